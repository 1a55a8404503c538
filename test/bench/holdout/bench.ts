/**
 * Held-out accuracy of the local extractor (issue 14): `npm run bench:holdout -- [--count 120]
 * [--seed 14] [--kind text|scan] [--keep <dir>] [--errors <n>]`.
 *
 * Generates the held-out invoice set (`generate.ts`: twelve issuer styles in English,
 * German, French, Dutch and Spanish, one in four a scan) into a temporary directory (or
 * `--keep <dir>`, with truth.json), and asks the local extractor for each document twice,
 * as a user would set up a job:
 * 1. the header fields `invoice_number` (text), `invoice_date` (date), `total` (currency),
 *    `vendor` (text), `currency` (text) and `items` (list: the line items' descriptions);
 * 2. line items as records: `description` (text), `quantity` (number), `amount` (currency),
 *    one answer row per item.
 * Prints, per field, for all documents, the text PDFs and the scans apart, per language (all
 * documents, and text PDFs only) and per style: exact match (documents whose answer is right; every truth is a value, so
 * it equals recall), precision (right / answered), recall (right / documents) and garbage
 * (answered but wrong); the mean over invoice_number, invoice_date, total and vendor (currency apart); and line items' precision and
 * recall; `--kind text` (or `scan`) scores only the documents of that kind, the same ones a
 * full run has (the others are not rendered); `--errors <n>` lists the first n wrong answers beside their truth. What counts as right is defined in `score.ts` (dates as dates, amounts to the cent,
 * text after case and whitespace normalisation). The last line is one JSON object.
 *
 * The set is generated, not real invoices, and was written without reading the extractor
 * (README, "Accuracy").
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalExtractor } from '../../../shared/extraction/local.js';
import type { Extractor, FieldSpec } from '../../../shared/extraction/types.js';
import { writeHoldout, type GeneratedDocument } from './generate.js';
import { LANGS } from './model.js';
import { CORE_FIELDS, count, countListItems, countRecordItems, emptyItems, emptyTally, figures, HEADER_FIELDS, isRight, itemFigures, type ItemTally, type Tally } from './score.js';

const HEADER_REQUEST: FieldSpec[] = [
  { name: 'invoice_number', type: 'text', description: 'The invoice number (not the order or customer number)', required: false },
  { name: 'invoice_date', type: 'date', description: 'The date the invoice was issued', required: false },
  { name: 'total', type: 'currency', description: 'The total amount due, VAT included', required: false },
  { name: 'vendor', type: 'text', description: 'The name of the company or person that issued the invoice', required: false },
  { name: 'currency', type: 'text', description: 'The currency of the amounts, as an ISO 4217 code', required: false },
  { name: 'items', type: 'list', description: 'The description of each line item', required: false },
];

const ITEM_REQUEST: FieldSpec[] = [
  { name: 'description', type: 'text', description: 'The line item description', required: false },
  { name: 'quantity', type: 'number', description: 'The quantity of the line item', required: false },
  { name: 'amount', type: 'currency', description: 'The line total of the item', required: false },
];

type Row = Record<string, unknown>;

async function ask(extractor: Extractor, fields: FieldSpec[], document: GeneratedDocument, dir: string): Promise<Row[]> {
  const answer = await extractor.extract({
    fields,
    file: { uri: path.join(dir, document.file), mimeType: 'application/pdf', filename: document.file },
    systemPrompt: { version: 'bench-holdout', text: 'Extract the fields from the document.' },
    model: 'local-text-v1',
  });
  return answer.results.map((cells) => Object.fromEntries(answer.columns.map((column, i) => [column, cells[i] ?? null])));
}

interface Group {
  fields: Record<string, Tally>;
  items: ItemTally;
  records: ItemTally;
}

const emptyGroup = (): Group => ({ fields: Object.fromEntries(HEADER_FIELDS.map((field) => [field, emptyTally()])), items: emptyItems(), records: emptyItems() });

function summarise(group: Group) {
  const byField = Object.fromEntries(Object.entries(group.fields).map(([field, tally]) => [field, figures(tally)]));
  const mean = (key: 'exact_match' | 'precision' | 'recall', fields: readonly string[] = CORE_FIELDS) => {
    const values = fields.map((field) => byField[field]![key]).filter((v): v is number => v !== null);
    return values.length === 0 ? null : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 1000) / 1000;
  };
  const garbage = Object.values(group.fields).reduce((a, t) => a + t.garbage, 0);
  return { documents: Object.values(group.fields)[0]!.documents, mean_exact_match: mean('exact_match'), mean_precision: mean('precision'), mean_recall: mean('recall'), mean_exact_match_with_currency: mean('exact_match', HEADER_FIELDS), mean_precision_with_currency: mean('precision', HEADER_FIELDS), garbage, by_field: byField, line_items_list: itemFigures(group.items), line_items_records: itemFigures(group.records) };
}

function table(title: string, groups: Record<string, Group>): string {
  const cell = (v: number | null) => (v === null ? '-' : v.toFixed(3)).padStart(7);
  const header = `  ${title.padEnd(24)}${'docs'.padStart(5)} ${HEADER_FIELDS.map((f) => f.slice(0, 14).padStart(15)).join('')}   mean exact/prec   items list P/R    items rows P/R`;
  const lines = [header, `  ${''.padEnd(29)} ${HEADER_FIELDS.map(() => '  exact/prec/gb'.padStart(15)).join('')}`];
  for (const [key, group] of Object.entries(groups)) {
    const s = summarise(group);
    const fieldCells = HEADER_FIELDS.map((field) => {
      const f = s.by_field[field]!;
      return `${(f.exact_match ?? 0).toFixed(2)}/${f.precision === null ? ' - ' : f.precision.toFixed(2)}/${String(f.garbage).padStart(2)}`.padStart(15);
    }).join('');
    lines.push(`  ${key.padEnd(24)}${String(s.documents).padStart(5)} ${fieldCells} ${cell(s.mean_exact_match)}/${cell(s.mean_precision)} ${cell(s.line_items_list.precision)}/${cell(s.line_items_list.recall)} ${cell(s.line_items_records.precision)}/${cell(s.line_items_records.recall)}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '120' }, seed: { type: 'string', default: '14' }, keep: { type: 'string' }, kind: { type: 'string' }, errors: { type: 'string', default: '0' } } });
  if (values.kind !== undefined && values.kind !== 'text' && values.kind !== 'scan') throw new Error(`--kind must be text or scan (got ${values.kind})`);
  const only = values.kind as 'text' | 'scan' | undefined;
  const showErrors = Number(values.errors);
  const wrong: string[] = [];
  const seed = Number(values.seed);
  const total = Number(values.count);
  if (!Number.isInteger(seed) || !Number.isInteger(total) || total < 1) throw new Error(`--seed and --count must be whole numbers (got ${values.seed}, ${values.count})`);
  const dir = values.keep ? path.resolve(values.keep) : await mkdtemp(path.join(tmpdir(), 'bench-holdout-'));
  try {
    const generated = performance.now();
    const documents = await writeHoldout(dir, { seed, count: total, ...(only ? { only } : {}) });
    const generateSeconds = (performance.now() - generated) / 1000;
    const extractor = createLocalExtractor({ readFile: (uri: string) => readFile(uri) });
    const groups = { kind: {} as Record<string, Group>, lang: {} as Record<string, Group>, langText: {} as Record<string, Group>, style: {} as Record<string, Group> };
    const failures: string[] = [];
    let failed = 0;
    const started = performance.now();
    for (const document of documents) {
      let header: Row = {};
      let records: Row[] = [];
      try {
        header = (await ask(extractor, HEADER_REQUEST, document, dir))[0] ?? {};
        if (document.truth.items) records = await ask(extractor, ITEM_REQUEST, document, dir);
      } catch (error) {
        // Counted as no answer to every field (the local extractor refuses a PDF without a text layer).
        failed++;
        if (failures.length < 5) failures.push(`${document.file}: ${error instanceof Error ? error.message : String(error)}`);
      }
      const targets = [(groups.kind.all ??= emptyGroup()), (groups.kind[document.kind] ??= emptyGroup()), (groups.lang[document.lang] ??= emptyGroup()), (groups.style[document.style] ??= emptyGroup())];
      if (document.kind === 'text') targets.push((groups.langText[document.lang] ??= emptyGroup()));
      for (const field of HEADER_FIELDS) {
        const answer = header[field] ?? null;
        const right = answer !== null && isRight(field, answer, document.truth);
        for (const group of targets) count(group.fields[field]!, answer, right);
        if (answer !== null && !right && wrong.length < showErrors) wrong.push(`${document.file} ${field}: answered ${JSON.stringify(answer)}, truth ${JSON.stringify(document.truth[field])}`);
      }
      if (document.truth.items) {
        for (const group of targets) {
          countListItems(group.items, header.items ?? null, document.truth.items);
          countRecordItems(group.records, records, document.truth.items);
        }
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const byLang = Object.fromEntries(LANGS.filter((lang) => groups.lang[lang]).map((lang) => [lang, groups.lang[lang]!]));
    const byLangText = Object.fromEntries(LANGS.filter((lang) => groups.langText[lang]).map((lang) => [lang, groups.langText[lang]!]));
    const scans = documents.filter((document) => document.kind === 'scan').length;
    const pages = documents.reduce((a, d) => a + d.pages.length, 0);
    const multipage = documents.filter((document) => document.pages.length > 1).length;
    console.log(`holdout bench: ${documents.length} documents (${documents.length - scans} text PDFs, ${scans} scans; ${pages} pages, ${multipage} multi-page) in ${new Set(documents.map((d) => d.style)).size} styles, seed ${seed}; generated in ${generateSeconds.toFixed(1)} s`);
    console.log(`local extractor: ${failed} failed, ${seconds.toFixed(1)} s`);
    for (const failure of failures) console.log(`  failed: ${failure}`);
    if (wrong.length > 0) console.log(`\nwrong answers (first ${showErrors}):\n${wrong.map((line) => `  ${line}`).join('\n')}`);
    console.log('\nper field: exact match / precision / answered garbage; mean over invoice_number, invoice_date, total and vendor (currency apart); line items precision / recall');
    console.log(table('documents', { all: groups.kind.all!, text: groups.kind.text ?? emptyGroup(), scan: groups.kind.scan ?? emptyGroup() }));
    console.log(`\n${table('language', byLang)}`);
    console.log(`\n${table('language, text PDFs', byLangText)}`);
    console.log(`\n${table('style', groups.style)}`);
    const all = summarise(groups.kind.all!);
    const text = groups.kind.text ? summarise(groups.kind.text) : null;
    console.log(`\ngoal on real invoices (issue 14): mean exact match >= 0.8 and mean precision >= 0.95; here, all documents ${all.mean_exact_match}/${all.mean_precision}, text PDFs ${text?.mean_exact_match ?? '-'}/${text?.mean_precision ?? '-'}`);
    console.log(
      JSON.stringify({
        bench: 'holdout',
        engine: 'local-text-v1',
        seed,
        documents: documents.length,
        text_pdfs: documents.length - scans,
        scans,
        pages,
        failed,
        seconds: Math.round(seconds * 10) / 10,
        all,
        text,
        scan: groups.kind.scan ? summarise(groups.kind.scan) : null,
        by_language: Object.fromEntries(Object.entries(byLang).map(([lang, group]) => [lang, summarise(group)])),
        by_language_text: Object.fromEntries(Object.entries(byLangText).map(([lang, group]) => [lang, summarise(group)])),
        by_style: Object.fromEntries(Object.entries(groups.style).map(([style, group]) => { const s = summarise(group); return [style, { documents: s.documents, mean_exact_match: s.mean_exact_match, mean_precision: s.mean_precision }]; })),
        goal_met: { mean_exact_match: (all.mean_exact_match ?? 0) >= 0.8, mean_precision: (all.mean_precision ?? 0) >= 0.95 },
      }),
    );
  } finally {
    if (!values.keep) await rm(dir, { recursive: true, force: true });
  }
}

await main();
