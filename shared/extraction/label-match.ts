import type { FieldSpec } from './types.js';

/**
 * Label matching for the local extractor: which line of a document labels which field.
 * A label ("Invoice No:", "Receipt #", "VAT (19%)") matches a field when every word of
 * the label is a word of the field's name or description, so the description is where
 * a job lists its synonyms ("Invoice or receipt number").
 */

const ABBREVIATIONS: Record<string, string> = {
  no: 'number', nr: 'number', num: 'number', nbr: 'number', '#': 'number',
  amt: 'amount', qty: 'quantity', dt: 'date', ref: 'reference', tot: 'total',
};

const STOP_WORDS = new Set([
  'a', 'an', 'the', 'of', 'or', 'and', 'for', 'to', 'in', 'on', 'at', 'by', 'is', 'be', 'was', 'has',
  'been', 'this', 'that', 'with', 'as', 'it', 'its', 'one', 'per', 'each', 'which', 'when', 'if',
]);

/**
 * Lower-case words with abbreviations spelled out and plurals folded:
 * "Invoice No." -> [invoice, number]. A label's parenthetical ("VAT (19%)") is a note,
 * not part of the label; a description's is kept.
 */
export function labelWords(text: string, { parentheticals = false } = {}): string[] {
  const words = (parentheticals ? text : text.replace(/\([^)]*\)/g, ' '))
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/#/g, ' # ')
    .split(/[^\p{L}\p{N}#]+/u)
    .filter((word) => word !== '' && !/^\d+$/.test(word))
    .map((word) => ABBREVIATIONS[word] ?? word)
    .map((word) => (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word));
  const meaningful = words.filter((word) => !STOP_WORDS.has(word));
  // A name made only of stop words ("when", "to") is still a name: keep its words.
  return meaningful.length > 0 ? meaningful : words;
}

export interface FieldVocabulary {
  field: FieldSpec;
  name: Set<string>;
  description: Set<string>;
  /** Missing one of these costs more: no other field's name has it ("due" vs "date"). */
  distinctive: Set<string>;
}

/** A colon marks a label for sure; it outweighs a tie-break, not a word. */
const COLON_BONUS = 10;

/** One way to read a line as `label value`. */
export interface LabelledLine {
  index: number;
  value: string;
  /** True when the label ended with a colon; the value may then sit on the next line. */
  colon: boolean;
  score: number;
}

/** Prepares each field's words once per document. */
export function vocabularies(fields: readonly FieldSpec[]): FieldVocabulary[] {
  const names = fields.map((field) => new Set(labelWords(field.name)));
  return fields.map((field, i) => {
    const name = names[i]!;
    const elsewhere = new Set(names.filter((_, j) => j !== i).flatMap((other) => [...other]));
    return {
      field,
      name,
      description: new Set(labelWords(field.description ?? '', { parentheticals: true })),
      distinctive: new Set([...name].filter((word) => !elsewhere.has(word))),
    };
  });
}

/**
 * How well `label` names the field: 0 when a label word is foreign to the field, else
 * ten points per word (name words 3, description words 2). Name words the label lacks
 * only break ties, a distinctive one costing 2 and a shared one 1, so a bare "Date:"
 * goes to the invoice date rather than the due date.
 */
export function labelScore(label: string, vocabulary: FieldVocabulary): number {
  const words = new Set(labelWords(label));
  if (words.size === 0) return 0;
  let score = 0;
  for (const word of words) {
    if (vocabulary.name.has(word)) score += 30;
    else if (vocabulary.description.has(word)) score += 20;
    else return 0;
  }
  for (const word of vocabulary.name) {
    if (!words.has(word)) score -= vocabulary.distinctive.has(word) ? 2 : 1;
  }
  return Math.max(1, score);
}

/** The field `label` suits best (the earlier field on a tie), or null when it suits none. */
export function bestField(label: string, vocabs: readonly FieldVocabulary[]): { field: FieldSpec; score: number } | null {
  let best: { field: FieldSpec; score: number } | null = null;
  for (const vocabulary of vocabs) {
    const score = labelScore(label, vocabulary);
    if (score > 0 && (!best || score > best.score)) best = { field: vocabulary.field, score };
  }
  return best;
}

/**
 * Every line that reads as a label for one of the fields, grouped by field, best first.
 * A line counts only for the field its label suits best, so "Invoice Date" never feeds
 * `invoice_number`. A label without a colon needs its value on the same line (a heading
 * such as "INVOICE" is not a label).
 */
export function labelledLines(lines: readonly string[], fields: readonly FieldSpec[]): Map<string, LabelledLine[]> {
  const vocabs = vocabularies(fields);
  const found = new Map<string, LabelledLine[]>(fields.map((field) => [field.name, []]));
  lines.forEach((line, index) => {
    let best: { field: string; hit: LabelledLine } | null = null;
    for (const split of splits(line)) {
      if (!split.colon && split.value === '') continue;
      const match = bestField(split.label, vocabs);
      if (!match) continue;
      const score = match.score + (split.colon ? COLON_BONUS : 0);
      if (!best || score > best.hit.score) {
        best = { field: match.field.name, hit: { index, value: split.value, colon: split.colon, score } };
      }
    }
    if (best) found.get(best.field)!.push(best.hit);
  });
  for (const hits of found.values()) hits.sort((a, b) => b.score - a.score || a.index - b.index);
  return found;
}

/** "Label: value" at the first colon, and "Label value" after each of the first five words. */
function splits(line: string): Array<{ label: string; value: string; colon: boolean }> {
  const result: Array<{ label: string; value: string; colon: boolean }> = [];
  const colon = line.indexOf(':');
  if (colon > 0) result.push({ label: line.slice(0, colon), value: line.slice(colon + 1).trim(), colon: true });
  const words = line.split(/\s+/).filter((word) => word !== '');
  for (let k = 1; k <= Math.min(5, words.length); k++) {
    result.push({ label: words.slice(0, k).join(' '), value: words.slice(k).join(' '), colon: false });
  }
  return result;
}
