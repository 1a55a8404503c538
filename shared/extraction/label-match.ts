import type { Cell } from './pdf-layout.js';
import { lineText, overlapping } from './cell-lines.js';
import type { FieldSpec } from './types.js';

/**
 * Label matching for the local extractor: which line of a document labels which field.
 * A label ("Invoice No:", "Receipt #", "VAT (19%)") matches a field when every word of
 * the label is a word of the field's name or description, so the description is where
 * a job lists its synonyms ("Invoice or receipt number").
 */

const ABBREVIATIONS: Record<string, string> = {
  no: 'number', nr: 'number', nº: 'number', po: 'order', id: 'number', inv: 'invoice', issue: 'date', issued: 'date', num: 'number', nbr: 'number', '#': 'number',
  amt: 'amount', qty: 'quantity', dt: 'date', ref: 'reference', tot: 'total', rg: 'invoice', rechn: 'invoice', fact: 'invoice',
};

/**
 * Label words of German, French, Dutch and Spanish documents in English, so one field
 * ("invoice_number") matches "Rechnungsnummer", "Facture n°", "Factuurnummer" and
 * "Factura nº" alike. Phrases first (they decide what a total is), then single words.
 */
const PHRASES: Array<[RegExp, string]> = [
  // "MwSt." (split as "Mw St" by its capitals) is the German VAT.
  [/\bmw\s?st\b/g, 'vat'],
  // Totals with and without tax: the grand total is the one with it.
  [/\btotaa?l\s+(?:incl\.?|inclusief|including)\s*(?:btw|vat|tax)?\b/g, 'total'],
  [/\btotaa?l\s+(?:excl\.?|exclusief|excluding|before|net|hors)\s*(?:btw|vat|tax|taxes)?\b/g, 'net amount'],
  [/\b(?:summe|gesamtbetrag|gesamtsumme|betrag|rechnungsbetrag)\s+(?:inkl\.?|incl\.?|einschl\.?)\s*(?:vat|ust)?\.?/g, 'total'],
  [/\b(?:summe|betrag|gesamtbetrag)\s+(?:exkl\.?|ohne|zzgl\.?|netto)\s*(?:vat|ust)?\.?/g, 'net amount'],
  [/\b(?:summe\s+netto|netto(?:betrag|summe)?|zwischensumme|importe\s+neto|montant\s+net\s+ht)\b/g, 'net amount'],
  // "incl. VAT" adds nothing to a label ("Total inkl. MwSt." is the total); "excl. VAT" makes it net.
  [/\b(?:incl|inkl|einschl)\.?\s*(?:btw|vat|tax|ust|tva|iva)\b\.?|\b(?:including|inclusief)\s+(?:btw|vat|tax)\b|\b(?:iva|tva|btw)\s+(?:incluido|incluse|inbegrepen)\b/g, ' '],
  [/\b(?:excl|exkl|zzgl)\.?\s*(?:btw|vat|tax|ust|tva|iva)\b\.?|\b(?:excluding|exclusief|ohne|hors|sin)\s+(?:btw|vat|tax|ust|tva|iva|taxes)\b/g, ' net '],
  [/\b(?:importe\s+total|montant\s+(?:total\s+)?ttc|gesamtpreis)\b/g, 'total'],
  [/\btotal\s+(?:ttc|factura|general|a pagar|à payer)\b/g, 'total'],
  [/\btotaal te betalen\b/g, 'total due'],
  [/\b(?:order|grand|invoice)\s+total\b/g, 'total'],
  // A till receipt's "Total Sales (Inclusive of GST)" is its total ("(Excluding GST)" makes it net).
  [/\btotal\s+sales?\b/g, 'total'],
  // Cash rounding: the "Rounded Total" / "Total Rounded" is what the customer pays.
  [/\b(?:rounded\s+total|total\s+rounded)\b/g, 'total'],
  [/\b(?:total ht|montant ht|base imponible|nettobetrag|subtota[a]?l)\b/g, 'net amount'],
  [/\bnet à payer\b/g, 'total due'],
  [/\bsumme brutto\b/g, 'total'],
  // "Beträge in | EUR", "Amounts in EUR", "Montants en euros": what the amounts are counted in is the currency.
  [/^\s*(?:beträge|amounts|montants|bedragen|importes)\s+(?:in|en)\b/g, 'currency '],
  // "Netto | USt. (19 %) | Brutto": a bare "Brutto" under the net and the tax is the gross total.
  [/^\s*brutto\s*$/g, 'total'],
  [/\bn\s*[°º]/g, ' number '],
  // A French "bon" of an order or a delivery is no receipt ("Bon de commande n°").
  [/\bbons?\s+de\s+commande\b/g, 'order'],
  [/\bbons?\s+de\s+livraison\b/g, 'delivery note'],
  // A bill's number and date are the invoice's ("Bill number", "Bill date"); "Bill to" is not.
  [/\bbill\s+(?=(?:number|no|nr|date)\b|#)/g, 'invoice '],
];

const FOREIGN_WORDS: Record<string, string> = {
  rechnungsnummer: 'invoice number', rechnungsdatum: 'invoice date', rechnung: 'invoice', handelsrechnung: 'invoice',
  // A credit note is the invoice document of a refund: its number is what a job asks for as the invoice number.
  gutschrift: 'invoice', creditnota: 'invoice', gesamtbetrag: 'total',
  gesamtsumme: 'total', endbetrag: 'total', rechnungsbetrag: 'total', betrag: 'amount', datum: 'date', nummer: 'number',
  bezeichnung: 'description', beschreibung: 'description', artikel: 'item', lieferant: 'supplier', fällig: 'due',
  fälligkeitsdatum: 'due date', kunde: 'customer', rechnungsempfänger: 'customer', menge: 'quantity', einzelpreis: 'price',
  facture: 'invoice', facturation: 'invoice', montant: 'amount', désignation: 'description', fournisseur: 'supplier',
  échéance: 'due', reçu: 'receipt', commande: 'order', qté: 'quantity',
  factuur: 'invoice', factuurnummer: 'invoice number', factuurdatum: 'invoice date', totaal: 'total', bedrag: 'amount',
  omschrijving: 'description', vervaldatum: 'due date', leverancier: 'supplier', aantal: 'quantity', prijs: 'price',
  factura: 'invoice', fecha: 'date', importe: 'amount', descripción: 'description', descripcion: 'description',
  proveedor: 'supplier', vencimiento: 'due date', cliente: 'customer', precio: 'price', cant: 'quantity',
  rechnungs: 'invoice', beleg: 'receipt', belegdatum: 'receipt date', belegnummer: 'receipt number', zahlen: 'due',
  numéro: 'number', numero: 'number', número: 'number', núm: 'number', émission: 'date', emisión: 'date', ttc: '',
  factuurnr: 'invoice number', betalen: 'due',
  // A Dutch utility's or practitioner's invoice is a "nota" ("Notanummer", "Notadatum", "Jaarnota"); a bare "Nota"
  // is left out, a note in Spanish and Italian.
  notanummer: 'invoice number', notanr: 'invoice number', notadatum: 'invoice date', jaarnota: 'invoice', eindnota: 'invoice',
  // A corrective invoice ("Rechnungskorrektur") and a French credit note ("Avoir") are invoice documents, as "Gutschrift" is.
  rechnungskorrektur: 'invoice', avoir: 'invoice',
  // Receipts by their names: a receipt's number is what a job asking for the invoice number means on one.
  ticket: 'receipt', bon: 'receipt', bonnummer: 'receipt number', bonnr: 'receipt number', kassenbon: 'receipt', kassabon: 'receipt',
  quittung: 'receipt', recibo: 'receipt', tiquet: 'receipt', simplificada: '', kassenbeleg: 'receipt',
  // The currency of the amounts ("Währung: EUR").
  währung: 'currency', rechnungswährung: 'currency', devise: 'currency', valuta: 'currency', moneda: 'currency', divisa: 'currency',
  // A hotel's or a trip's booking ("Booking ID", "Reservierungsnummer").
  reservation: 'booking', réservation: 'booking', reservierung: 'booking', reservierungsnummer: 'booking number',
  buchungsnummer: 'booking number', reserva: 'booking', reservering: 'booking', boeking: 'booking',
  // Other numbers and parties printed beside the invoice number, so they never pass for it.
  kundennummer: 'customer number', kundennr: 'customer number', bestellnummer: 'order number', bestellung: 'order',
  auftragsnummer: 'order number', auftrag: 'order', lieferscheinnummer: 'delivery note number', lieferschein: 'delivery note',
  vertragsnummer: 'contract number', kontonummer: 'account number', kundenkonto: 'customer account', steuernummer: 'tax number',
  klantnummer: 'customer number', klantnr: 'customer number', klant: 'customer', ordernummer: 'order number', bestelnummer: 'order number',
  bestelling: 'order', referentie: 'reference', kenmerk: 'reference', client: 'customer', référence: 'reference', pedido: 'order',
  albarán: 'delivery note', contrato: 'contract', mandat: 'mandate',
  // The issuer by its other names.
  verkäufer: 'seller', rechnungssteller: 'issuer', vendeur: 'seller', émetteur: 'issuer', verkoper: 'seller', vendedor: 'seller',
  emisor: 'issuer',
  // Abbreviated German numbers and other dates.
  rechnungsnr: 'invoice number', belegnr: 'receipt number', bestellnr: 'order number', auftragsnr: 'order number',
  lieferscheinnr: 'delivery note number', vertragsnr: 'contract number', lieferdatum: 'delivery date', leistungsdatum: 'delivery date',
  bestelldatum: 'order date',
  // Taxes, and the words that make a total one without them.
  mwst: 'vat', ust: 'vat', umsatzsteuer: 'vat', mehrwertsteuer: 'vat', tva: 'vat', btw: 'vat', iva: 'vat',
  // Totals and what is due.
  zahlender: 'due', zahlbetrag: 'total due', rechnungssumme: 'total', nachzahlung: 'due', bruttobetrag: 'total', bruttosumme: 'total', gesamtbrutto: 'total', endsumme: 'total', payer: 'due', pagar: 'due', summe: 'total', gesamt: 'total',
  netto: 'net', excl: 'net', exkl: 'net', ht: 'net', brutto: '', incl: '', inkl: '',
};

/**
 * A German compound whose head is "Rechnung" names an invoice of a kind: "Beitragsrechnung",
 * "Schlussrechnung", "Teilrechnung", "Stornorechnung", "Betriebskostenabrechnung". Not a verb's
 * noun made with a bare prefix ("Berechnung", "Verrechnung", "Umrechnung", "Anrechnung"),
 * which is a calculation or an offset, no document.
 */
const INVOICE_COMPOUND = /^(?!(?:be|ver|um|an|auf|ab|ein|gegen|nach|vor|zu|mit|hoch|zusammen|er)rechnung$)\p{L}{2,}rechnung$/u;

/** The first member of a German coordinated compound, its head left out: "Liefer- und ", "Bestell- bzw. ", "Kunden- oder ". */
const ELIDED_COMPOUND = /(?<![\p{L}-])\p{L}+-\s+(?:und|oder|bzw\.?|u\.)\s+(?=\p{L})/gu;

const STOP_WORDS = new Set([
  'a', 'an', 'the', 'of', 'or', 'and', 'for', 'to', 'in', 'on', 'at', 'by', 'is', 'be', 'was', 'has',
  'been', 'this', 'that', 'with', 'as', 'it', 'its', 'one', 'per', 'each', 'which', 'when', 'if',
  'de', 'du', 'des', 'la', 'le', 'les', 'd', 'l', 'am', 'te', 'van', 'het', 'der', 'die', 'el', 'del', 'zu', 'à', 'a',
  // A currency named in a label ("Summe EUR", "Total (USD)") says nothing of the field.
  'eur', 'usd', 'gbp', 'chf', 'euro', 'rm', 'rs', 'inr', 'myr', 'sgd', 'cad', 'aud', 'nzd', 'hkd', 'jpy', 'cny', 'sek', 'nok', 'dkk', 'pln', 'czk',
]);

/**
 * Lower-case words with abbreviations spelled out and plurals folded:
 * "Invoice No." -> [invoice, number]. A label's parenthetical ("VAT (19%)") is a note,
 * not part of the label; a description's is kept.
 */
export function labelWords(text: string, { parentheticals = false } = {}): string[] {
  // "Total (excl. VAT)": a parenthetical that takes the tax out is part of the label.
  const netNote = /\((?:excl|exkl|excluding|ohne|hors|sin|zonder|net|before)\b[^)]*\)/gi;
  let lower = (parentheticals ? text : text.replace(netNote, ' net ').replace(/\([^)]*\)/g, ' ')).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  // A German compound sharing its head with the next ("Liefer- und Rechnungsdatum", "Bestell- bzw. Rechnungsnummer")
  // names both: the whole compound after the conjunction says what the label is.
  lower = lower.replace(ELIDED_COMPOUND, '');
  for (const [phrase, english] of PHRASES) lower = lower.replace(phrase, english);
  const words = lower
    .replace(/#/g, ' # ')
    .split(/[^\p{L}\p{N}#]+/u)
    .filter((word) => word !== '' && !/^\d+$/.test(word))
    .flatMap((word) => (FOREIGN_WORDS[word] ?? (INVOICE_COMPOUND.test(word) ? 'invoice' : word)).split(' ').filter((english) => english !== ''))
    .map((word) => ABBREVIATIONS[word] ?? word)
    .map((word) => (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !STOP_WORDS.has(word) ? word.slice(0, -1) : word));
  let meaningful = words.filter((word) => !STOP_WORDS.has(word));
  // The invoice's total is the total: "Total for this invoice", "Total facture", "Factuur totaal".
  if (meaningful.includes('total')) meaningful = meaningful.filter((word) => word !== 'invoice');
  // A name made only of stop words ("when", "to") is still a name: keep its words.
  return meaningful.length > 0 ? meaningful : words;
}

/**
 * What a description says the field is not ("The invoice number (not the order or
 * customer number)"): those words name other things, so a label made of them ("Order
 * number") is not this field's. Clauses from "not" (nicht, niet, pas, no el...) to the end
 * of the parenthesis or sentence.
 */
const NEGATED_CLAUSE = /\b(?:not|nor|never|nicht|kein|keine|niet|geen|pas|jamais|no(?=\s+(?:el|la|los|las|un|una)\b))\b[^).;]*/gi;

/** The word documents print for themselves on receipts (a bill's number is the invoice number's phrase above). */
const DOCUMENT_SYNONYMS = ['receipt'];

/** The words documents use for the party that issued them. */
const ISSUER_SYNONYMS = ['vendor', 'supplier', 'seller', 'issuer', 'merchant'];

export interface FieldVocabulary {
  field: FieldSpec;
  name: Set<string>;
  description: Set<string>;
  /** Missing one of these costs more: no other field's name has it ("due" vs "date"). */
  distinctive: Set<string>;
  /**
   * Words that count as description words only beside a word of the name: the invoice date
   * is a receipt's "Belegdatum" / "Receipt date", but a bare "Receipt" heading labels no date.
   */
  companions?: Set<string>;
}

/** A colon marks a label for sure; it outweighs a tie-break, not a word. */
export const COLON_BONUS = 10;

/** Field types whose values always have a figure: a label's words followed by more words holds none of them. */
const FIGURE_TYPES = new Set<FieldSpec['type']>(['currency', 'number', 'date']);

/** A label found on a document, with the texts its value may be, nearest first. */
export interface LabelledCell {
  index: number;
  values: string[];
  score: number;
  /**
   * Parallel to `values`: how sure OCR was of the value's words and of the label's (the
   * lowest word confidence of each, 0-100); null where both are text-layer text.
   */
  confidence?: (OcrConfidence | null)[];
}

/** The lowest tesseract confidence among the words of a value and among those of its label. */
export interface OcrConfidence {
  value: number;
  label: number;
}

/** Prepares each field's words once per document. */
export function vocabularies(fields: readonly FieldSpec[]): FieldVocabulary[] {
  const names = fields.map((field) => new Set(labelWords(field.name)));
  return fields.map((field, i) => {
    const name = names[i]!;
    const elsewhere = new Set(names.filter((_, j) => j !== i).flatMap((other) => [...other]));
    const description = new Set(labelWords((field.description ?? '').replace(NEGATED_CLAUSE, ' '), { parentheticals: true }));
    // A field about the issuer answers to each of its names ("Lieferant:", "Seller:" for `vendor`).
    if ([...name, ...description].some((word) => ISSUER_SYNONYMS.includes(word))) for (const word of ISSUER_SYNONYMS) if (!name.has(word)) description.add(word);
    // The invoice number is the receipt's on a receipt ("Receipt #", "Bon-Nr.", "Ticket n°"), and a
    // booking's number is the only one a hotel's payment receipt prints ("Booking ID"): both rank below
    // "Invoice No." on a document that has one, a description word (20) against a name word (30).
    // (Not the invoice date's: a bare "Receipt" heading would label it and stop the only-date fallback.)
    if (name.has('invoice') && name.has('number')) for (const word of [...DOCUMENT_SYNONYMS, 'booking']) description.add(word);
    // The invoice date is the receipt's date ("Beleg-Datum", "Receipt date"), named with the word "date".
    const companions = name.has('invoice') && name.has('date') ? new Set(DOCUMENT_SYNONYMS.filter((word) => !description.has(word))) : undefined;
    return {
      field,
      name,
      description,
      distinctive: new Set([...name].filter((word) => !elsewhere.has(word))),
      ...(companions && companions.size > 0 ? { companions } : {}),
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
  // A label in two languages or for two things, "Rechnungsnummer / Invoice No.",
  // "Rechnungsdatum/Lieferdatum": the part that names the field best.
  const parts = label.split(/(?<=\p{L}\.?)\s*\/\s*(?=\p{L})/u);
  if (parts.length > 1) return Math.max(...parts.map((part) => labelScore(part, vocabulary)));
  const words = new Set(labelWords(label));
  if (words.size === 0) return 0;
  const score = wordScore(words, vocabulary);
  // A field named for a total, asked without the words "amount" or "due", still takes
  // "Total amount", "Total due", "Amount due", "Balance due" for one, a point below "Total".
  if (score === 0 && vocabulary.name.has('total') && isTotalPhrase(words)) return Math.max(1, wordScore(new Set(['total']), vocabulary) - 1);
  return score;
}

/** Words that name the amount to pay together: "total amount due", "amount payable", "balance due". */
const TOTAL_WORDS = new Set(['total', 'amount', 'due', 'payable', 'balance']);

function isTotalPhrase(words: ReadonlySet<string>): boolean {
  if (words.size < 2 || ![...words].every((word) => TOTAL_WORDS.has(word))) return false;
  return words.has('total') || words.has('due') || words.has('payable');
}

function wordScore(words: ReadonlySet<string>, vocabulary: FieldVocabulary): number {
  let score = 0;
  const named = [...words].some((word) => vocabulary.name.has(word));
  for (const word of words) {
    if (vocabulary.name.has(word)) score += 30;
    else if (vocabulary.description.has(word) || (named && vocabulary.companions?.has(word))) score += 20;
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
 * Every cell that reads as a label for one of the fields, grouped by field, best first.
 * A cell counts only for the field its label suits best, so "Invoice Date" never feeds
 * `invoice_number`. Its value is the rest of the cell ("Total: 12.00"), else the cell to
 * its right, else (after a colon, or in a row of labels such as "Invoice Number | Date")
 * the cell below it. A label without a colon needs a value beside it or a row of labels
 * around it (a heading such as "INVOICE" is not a label). Lines of plain text are lines
 * of one cell.
 */
export function labelledCells(grid: readonly Cell[][], fields: readonly FieldSpec[]): Map<string, LabelledCell[]> {
  const vocabs = vocabularies(fields);
  const found = new Map<string, LabelledCell[]>(fields.map((field) => [field.name, []]));
  // A cell with figures outside parentheses ("PO-2024-7", "19.99") is a value, never a label.
  const isLabel = (cell: Cell | undefined) =>
    cell !== undefined && !/\d/.test(cell.text.replace(/\([^)]*\)/g, '')) && bestField(cell.text.replace(/:\s*$/, ''), vocabs) !== null;
  grid.forEach((line, index) => {
    const labelRow = line.length >= 2 && line.filter((cell) => isLabel(cell)).length >= 2;
    // A label among words without figures over a line of as many cells heads a column of
    // values too ("Booking ID | Payment Mode" over "IBZY2087 | Cash at Hotel"), for a text
    // field: an amount's "Total" heading a column of line amounts is not the total.
    const nextLine = grid.slice(index + 1).find((other) => other.length > 0);
    const headerRow = line.length >= 2 && line.every((cell) => !/\d/.test(cell.text)) && (nextLine?.length ?? 0) >= line.length;
    line.forEach((cell, column) => {
      let best: { field: string; hit: LabelledCell } | null = null;
      for (const split of splits(cell.text)) {
        const bare = bestField(split.label, vocabs);
        if (!bare) continue;
        if (unqualifiedNumber(split.label, bare.field, line, column, grid, index)) continue;
        const match = titledNumber(split.label, bare, line, column, vocabs);
        // "SELLER TRADE NAME", "SELLER TAX REP": a party's word opening a cell without a colon heads a block
        // (a form's placeholder, the seller's tax representative), it labels no name printed after it in the cell.
        if (split.value !== '' && !split.colon && match.field.type === 'text' && labelWords(split.label).every((word) => ISSUER_SYNONYMS.includes(word))) continue;
        // "Total Amount (EUR) | 12,00": an amount's or a date's label is not cut before words ("Total" | "Amount (EUR)"); the whole label is.
        if (split.value !== '' && !/\d/.test(split.value) && FIGURE_TYPES.has(match.field.type)) continue;
        // "Beleg-Nr | : | R-4711", "Währung | : GBP": a colon printed in a column of its own, or
        // opening the value's cell (the colons aligned in a column), is the label's.
        const colonCell = split.value === '' && line[column + 1]?.text.trim() === ':';
        const colonOpens = split.value === '' && !colonCell && /^:\s*\S/.test(line[column + 1]?.text.trim() ?? '');
        const colon = split.colon || colonCell || colonOpens;
        const valueColumn = colonCell ? column + 2 : column + 1;
        const next = line[valueColumn];
        const right = next && colonOpens ? { ...next, text: next.text.trim().replace(/^:\s*/, '') } : next;
        // A label alone on its line ("Invoice Number") may have its value under it.
        const alone = line.length === 1 && split.value === '' && !split.colon;
        // A band of headings over one line of values ("Date de facture | N° client | Échéance" over
        // "22 janvier 2026 | C72974 | 21/02/2026"): a date heading naming its field in full heads its value too.
        const band = headerRow && match.field.type === 'date' && namesInFull(split.label, match.field, vocabs) && !figureTwoBelow(grid, index, cell);
        const heads = labelRow || (headerRow && match.field.type === 'text') || band;
        const below = split.value === '' && (colon || heads || alone) ? cellBelow(grid, index, cell) : undefined;
        const label = spanConfidence(cell, 0, split.label.length);
        // "Total facture | 24.99 | 5.00 | 29.99": net, tax and gross in columns, the gross last and largest.
        const rowTotal = split.value === '' ? lastAndLargestAmount(line.slice(column + 1)) : undefined;
        // Other rows of two amounts or more ("Total : | 22.00 | 1.32" under "Amount | Tax" in a tax
        // summary) print the parts of something, not one value for the label: no value beside it.
        const parts = !rowTotal && line.slice(column + 1).filter((other) => isAmountCell(other)).length >= 2;
        const rightValue = split.value === '' && right && !isLabel(right) && !parts ? withCurrencyCell(right, line[valueColumn + 1]) : '';
        // "TOTAL | TTC EUR | 107,00", "Total | : | 4.90": words that change nothing of the label
        // stand between it and its amount ("Total | GST | 5.71" is another label; not for a date,
        // which the words could be part of).
        const afterWords = split.value === '' && right && !/\d/.test(right.text) && !isLabel(right) && !parts && match.field.type !== 'date' ? figureAfterWords(line, column, split.label, match.field, vocabs) : undefined;
        const candidates: Array<[string, number | null]> = [
          [split.value, spanConfidence(cell, cell.text.length - split.value.length, cell.text.length)],
          [rowTotal?.text ?? '', spanConfidence(rowTotal, 0, Infinity)],
          [rightValue, minConfidence(spanConfidence(right, 0, Infinity), rightValue === right?.text ? null : spanConfidence(line[valueColumn + 1], 0, Infinity))],
          [afterWords?.text ?? '', spanConfidence(afterWords, 0, Infinity)],
          [below && !isLabel(below) ? below.text : '', spanConfidence(below, 0, Infinity)],
        ];
        const kept = candidates.filter(([value]) => value !== '');
        const values = kept.map(([value]) => value);
        if (values.length === 0) continue;
        const confidence = kept.map(([, value]) => (value === null && label === null ? null : { value: value ?? 100, label: label ?? 100 }));
        // Without a colon, a label alone on its line must name the field (a word of its
        // name): a heading such as "INVOICE" is not a label.
        if (alone && (match.score <= 20 || below?.text.includes(':'))) continue;
        const score = match.score + (colon ? COLON_BONUS : 0);
        // On a tie the longer label wins: "Date of issue | 2025-04-28" over "Date | of issue".
        const ocr = confidence.some((entry) => entry !== null) ? { confidence } : {};
        if (!best || score >= best.hit.score) best = { field: match.field.name, hit: { index, values, score, ...ocr } };
      }
      if (best) found.get(best.field)!.push(best.hit);
    });
  });
  for (const hits of found.values()) hits.sort((a, b) => b.score - a.score || a.index - b.index);
  return found;
}

/** What a document calls itself in its title line: "Rechnung | Nr. 123", "Handelsrechnung (380) | Nr. ...". */
const DOCUMENT_TITLE = /(?:rechnung(?:skorrektur)?|invoice|facture|factuur|factura|receipt|quittung|beleg|gutschrift|credit\s*note|avoir|nota\s+de\s+cr[ée]dito|creditnota)\b/i;

/**
 * Headings of the parties' blocks: a bare "Nummer:" under one is that party's number. The
 * other parties an e-invoice may name count too, "abweichend" ones included ("Abweichender
 * Warenempfänger", "Abweichender Zahlungsempfänger": the goods' and the payment's recipients).
 */
const PARTY_HEADING =
  /^(?:abweichende[rs]?\s+)?(?:verk[äa]ufer|k[äa]ufer|lieferant|kunde|rechnungs(?:empf[äa]nger|steller)|leistungsempf[äa]nger|zahlungsempf[äa]nger|warenempf[äa]nger|steuerbevollm[äa]chtigter|empf[äa]nger|absender|seller|buyer|supplier|customer|vendor|payee|bill(?:ed)?\s+to|ship\s+to|sold\s+(?:to|by)|client|fournisseur|acheteur|vendeur|destinataire|klant|leverancier|koper|verkoper|cliente|proveedor|comprador|vendedor)\b/i;

/**
 * A bare "Nr." / "Nummer:" / "No." / "#" names an identifier field (the invoice number) only
 * when nothing qualifies it: not "(GLN) Nr.", not "Globale | Nummer:", not "Vertrag | Nr:",
 * not prose ("nach § 4 | Nr. 10a UStG"), and not a line of a party's block ("Verkäufer" /
 * "Nummer: 549910", the seller's number). A document title before it ("Rechnung | Nr. 42")
 * makes it the document's number. Labels that say what they number ("Invoice No.") pass.
 */
function unqualifiedNumber(label: string, field: FieldSpec, line: readonly Cell[], column: number, grid: readonly Cell[][], index: number): boolean {
  const words = labelWords(label);
  if (words.length !== 1 || (words[0] !== 'number' && words[0] !== '#')) return false;
  if (!labelWords(field.name).includes('number')) return false;
  const before = column > 0 ? line[column - 1]!.text : '';
  const qualifier = label.replace(/n\s*[°º]|\b(?:nr|no|nummer|number|num[ée]ro|n[uú]mero|n[uú]m)\b\.?|[#:.\s]/gi, '');
  if (/\p{L}/u.test(qualifier) && !DOCUMENT_TITLE.test(qualifier)) return true;
  if (column > 0) return !DOCUMENT_TITLE.test(before);
  // A column heading of a table's header row ("No. | Description | Date | Quantity"): an item's number is under it.
  if (line.length >= 3 && line.every((cell) => !/\d/.test(cell.text))) return true;
  // The block above: a party's heading within the three lines before (its words may be cells of
  // their own: "Abweichender | Warenempfänger:"; a letter-spaced one reads "Ver käufer :").
  for (const above of grid.slice(Math.max(0, index - 3), index)) {
    const heading = above.map((cell) => cell.text.trim()).join(' ');
    if (PARTY_HEADING.test(heading) || PARTY_HEADING.test(heading.replace(/\s+/g, ''))) return true;
  }
  return false;
}

/** True when the label has every word of the field's name ("Date de facture" for `invoice_date`, not a bare "Date"). */
function namesInFull(label: string, field: FieldSpec, vocabs: readonly FieldVocabulary[]): boolean {
  const words = new Set(labelWords(label));
  const vocabulary = vocabs.find((entry) => entry.field === field);
  return vocabulary !== undefined && [...vocabulary.name].every((word) => words.has(word));
}

/**
 * True when the second line under a heading also has a figure under it: the heading heads a
 * column of values (a list of transactions and their dates), not one value.
 */
function figureTwoBelow(grid: readonly Cell[][], index: number, cell: Cell): boolean {
  const [, second] = grid.slice(index + 1).filter((line) => line.length > 0);
  return second?.some((other) => overlapping(other, cell) && /\d/.test(other.text)) ?? false;
}

/**
 * A bare "Nr." / "No." after the document's title in the cell before ("Handelsrechnung (380) |
 * Nr. 471102", "Rechnungskorrektur | Nr. RK-12") is scored as the whole label, "Rechnung Nr.":
 * it says which number it is, so it outranks a bare "Nummer:" elsewhere on the page (a
 * party's). Any other label keeps its own score.
 */
function titledNumber(label: string, match: { field: FieldSpec; score: number }, line: readonly Cell[], column: number, vocabs: readonly FieldVocabulary[]): { field: FieldSpec; score: number } {
  const words = labelWords(label);
  if (column === 0 || words.length !== 1 || (words[0] !== 'number' && words[0] !== '#')) return match;
  const title = line[column - 1]!.text;
  if (!DOCUMENT_TITLE.test(title)) return match;
  const whole = bestField(`${title} ${label}`, vocabs);
  return whole && whole.field === match.field && whole.score > match.score ? whole : match;
}

/**
 * The lowest OCR confidence among the words of `cell` that overlap its text from `start`
 * to `end` (its words joined by single spaces); null for a text-layer cell or no cell.
 */
function spanConfidence(cell: Cell | undefined, start: number, end: number): number | null {
  if (!cell?.words) return null;
  let lowest: number | null = null;
  let offset = 0;
  for (const word of cell.words) {
    const wordEnd = offset + word.text.length;
    if (wordEnd > start && offset < end) lowest = minConfidence(lowest, word.confidence);
    offset = wordEnd + 1;
  }
  return lowest;
}

const minConfidence = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/** A currency printed in a cell of its own before the amount ("EUR" | "1.234,56") joins it. */
function withCurrencyCell(cell: Cell, next: Cell | undefined): string {
  return next && /^(?:EUR|USD|GBP|CHF|[€$£])$/i.test(cell.text) ? `${cell.text} ${next.text}` : cell.text;
}

/**
 * The cell under `cell`: the one overlapping it on the next line that has any, or the one
 * cell right of the label's start there under a label that ends its line (a right-aligned
 * value), or a lone cell there under a lone label; failing all, the overlapping one on the line after
 * (a label in the right-hand column over a line of the address block at the left, then
 * its value: "Nº de factura" / "Cliente S.L." / "F792").
 */
function cellBelow(grid: readonly Cell[][], index: number, cell: Cell): Cell | undefined {
  const overlaps = (other: Cell) => overlapping(other, cell);
  const [next, after] = grid.slice(index + 1).filter((line) => line.length > 0);
  if (!next) return undefined;
  const under = next.find(overlaps);
  if (under) return opensLabel(next, under) ? undefined : under;
  // A label ending its line in the right-hand column over a value printed right-aligned under it
  // ("Rechnungsnummer" over "80333 München | 471102"): the one cell of the next line from the label's start on.
  const fromLabel = next.filter((other) => other.x >= cell.x - 2);
  if (grid[index]!.at(-1) === cell && fromLabel.length === 1 && !opensLabel(next, fromLabel[0]!)) return fromLabel[0];
  const lone = next.length === 1 && grid[index]!.length === 1 ? next[0] : undefined;
  const further = after?.find(overlaps);
  return further && opensLabel(after!, further) ? undefined : (further ?? lone);
}

/** A cell followed on its line by a label's end ("Globale | Nummer: | 4000001123452") is the label's first word, no value. */
function opensLabel(line: readonly Cell[], cell: Cell): boolean {
  const next = line[line.indexOf(cell) + 1];
  return next !== undefined && /^[^\d:]{1,30}:/.test(next.text);
}

/** An amount alone in a cell: figures with two decimals, a currency mark or code before or after. */
const AMOUNT_CELL = /^[-(]?\s?(?:[$€£₹]|[A-Z]{3}|Rs\.?)?\s?-?\d{1,3}(?:[.,\s'’]?\d{3})*[.,]\d{2}\)?\s?(?:[$€£₹]|[A-Z]{3})?$/;

/** An amount alone in a cell, table rules read by OCR after it ("0.36|") left out. */
function isAmountCell(cell: Cell): boolean {
  return AMOUNT_CELL.test(cell.text.replace(/[\s|/\\]+$/, ''));
}

/** The value of an amount cell, whichever its decimal mark (two decimals after the last mark). */
function amountOf(text: string): number {
  const digits = text.replace(/[^\d.,]/g, '');
  return Number(`${digits.slice(0, -3).replace(/[.,]/g, '')}.${digits.slice(-2)}`);
}

/**
 * The last of two or more figures printed to the right of a label, when it is an amount
 * and the largest of the amounts (the gross after the net and the tax, the total after a
 * quantity and prices: "Total | 1 | 278.61 | 40.39 | 319.00"); else undefined.
 */
function lastAndLargestAmount(cells: readonly Cell[]): Cell | undefined {
  const figures = cells.filter((cell) => /\d/.test(cell.text));
  const amounts = figures.filter((cell) => isAmountCell(cell));
  const last = figures.at(-1);
  if (figures.length < 2 || !last || amounts.at(-1) !== last) return undefined;
  const value = amountOf(last.text);
  return amounts.every((cell) => amountOf(cell.text) <= value) ? last : undefined;
}

/**
 * The first cell right of the label's (at `column`) that holds a figure, when the cells
 * between hold none and leave the label naming the same field ("TOTAL TTC EUR" is still the
 * total); else undefined.
 */
function figureAfterWords(line: readonly Cell[], column: number, label: string, field: FieldSpec, vocabs: readonly FieldVocabulary[]): Cell | undefined {
  const at = line.findIndex((cell, i) => i > column && /\d/.test(cell.text));
  if (at < 0) return undefined;
  const words = lineText(line.slice(column + 1, at));
  return bestField(`${label} ${words}`, vocabs)?.field === field ? line[at] : undefined;
}

/** "Label: value" at the first colon, and "Label value" after each of the first five words. */
function splits(text: string): Array<{ label: string; value: string; colon: boolean }> {
  const result: Array<{ label: string; value: string; colon: boolean }> = [];
  // "Facture n°562044387": the number sign belongs to the label, the figures are the value.
  const line = text.replace(/\b(n[°º]|nr\.|no\.)(?=\d)/gi, '$1 ');
  const colon = line.indexOf(':');
  if (colon > 0) result.push({ label: line.slice(0, colon), value: line.slice(colon + 1).trim(), colon: true });
  const words = line.split(/\s+/).filter((word) => word !== '');
  for (let k = 1; k <= Math.min(5, words.length); k++) {
    // A label ends before its first figure: "Date 12 03 2025" is "Date" and "12 03 2025".
    if (k > 1 && /\d/.test(words[k - 1]!)) break;
    const value = words.slice(k).join(' ');
    // A parenthetical after a label is part of it: "Order Total (USD)".
    if (/^\([^)]*\)$/.test(value)) continue;
    result.push({ label: words.slice(0, k).join(' '), value, colon: false });
  }
  return result;
}
