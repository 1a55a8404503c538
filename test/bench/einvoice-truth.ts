/**
 * Ground truth from e-invoices: `npm run bench:einvoice-truth -- --dir <folder> [--out truth.csv]`.
 *
 * A Factur-X / ZUGFeRD / XRechnung PDF carries its invoice as an embedded XML (attachment
 * factur-x.xml, zugferd-invoice.xml, ZUGFeRD-invoice.xml, xrechnung.xml; CII syntax, ZUGFeRD 1's
 * own CrossIndustryDocument, or UBL): the seller's own values, a truth no person typed. For every
 * PDF in the folder this reads that XML and writes the truth CSV `npm run bench:extraction --
 * --dir <folder> --truth <csv>` reads (header file,field,type,value):
 *
 *   invoice_number text      BT-1   the invoice number
 *   invoice_date   date      BT-2   the issue date, yyyy-mm-dd
 *   total          currency  BT-112 the grand total (with VAT)
 *   vendor         text      BT-27  the seller's name
 *   currency       text      BT-5   the invoice currency code (EUR)
 *
 * A value is kept only when the page PRINTS it: the PDF's text layer (read by the extractor's
 * own reader, pdf-layout.ts) must show the number, the date (numeric in any order and
 * separator, or with a month name in English, German, French, Dutch, Spanish or Italian), the
 * amount (in any locale's format: 1234.56, 1.234,56, 1 234,56, 1'234.56), the seller's name
 * and the currency (its code or symbol). A value the XML holds but the page does not print is
 * dropped from that document's truth with a line saying so: the bench then expects no answer
 * (null) for it, as a person reading the page would give. A total the page prints only with a
 * minus (a credit note) is kept with that sign, a seller's name the page prints with its legal
 * form with it. A PDF whose page lacks two of number, date and total shows another invoice than
 * its XML (a test file's) and is skipped, as is one without an e-invoice XML or without a text
 * layer (a scan), each with a line saying why.
 *
 * Without `--out` the CSV goes to stdout and the report to stderr.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { getDocumentProxy } from 'unpdf';
import { pdfCells } from '../../shared/extraction/pdf-layout.js';

/** The values of one e-invoice, as the bench's truth holds them (null: the XML has none). */
export interface EinvoiceValues {
  invoice_number: string | null;
  invoice_date: string | null;
  total: number | null;
  vendor: string | null;
  currency: string | null;
}

export const EINVOICE_FIELDS = [
  { name: 'invoice_number', type: 'text' },
  { name: 'invoice_date', type: 'date' },
  { name: 'total', type: 'currency' },
  { name: 'vendor', type: 'text' },
  { name: 'currency', type: 'text' },
] as const satisfies ReadonlyArray<{ name: keyof EinvoiceValues; type: string }>;

/** The attachment names the standards give the invoice XML (compared case-insensitively). */
const XML_NAMES = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml', 'order-x.xml'];

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

/** The embedded invoice XML of a PDF: the attachment with a standard name, else any .xml one. */
export async function embeddedInvoiceXml(pdf: PdfDocument): Promise<{ name: string; xml: string } | null> {
  const attachments = ((await pdf.getAttachments()) ?? {}) as Record<string, { filename: string; content: Uint8Array }>;
  const found = Object.values(attachments).filter((attachment) => attachment.filename.toLowerCase().endsWith('.xml'));
  found.sort((a, b) => Number(!XML_NAMES.includes(a.filename.toLowerCase())) - Number(!XML_NAMES.includes(b.filename.toLowerCase())));
  const chosen = found[0];
  return chosen ? { name: chosen.filename, xml: new TextDecoder('utf-8').decode(chosen.content) } : null;
}

type Node = unknown;

function child(node: Node, ...names: string[]): Node {
  let at = node;
  for (const name of names) {
    if (Array.isArray(at)) at = at[0];
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[name];
  }
  return at;
}

function text(node: Node): string | null {
  if (Array.isArray(node)) return text(node[0]);
  if (typeof node === 'string' || typeof node === 'number') return String(node).replace(/\s+/g, ' ').trim() || null;
  if (node && typeof node === 'object' && '#text' in node) return text((node as Record<string, unknown>)['#text']);
  return null;
}

/** An amount element; of several (ZUGFeRD 1 may give one per currency) the one in `currency`. */
function amount(node: Node, currency: string | null): number | null {
  const nodes = Array.isArray(node) ? node : node === undefined ? [] : [node];
  const chosen = nodes.find((one) => currency && typeof one === 'object' && (one as Record<string, unknown>)['@_currencyID'] === currency) ?? nodes[0];
  const value = text(chosen);
  return value !== null && /^-?\d+(\.\d+)?$/.test(value) ? Math.round(Number(value) * 100) / 100 : null;
}

/** An issue date: CII's DateTimeString (format 102, yyyymmdd) or UBL's yyyy-mm-dd. */
function isoDate(value: string | null): string | null {
  const match = value?.match(/^(\d{4})-?(\d{2})-?(\d{2})$/);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

/** Element names of the two CII generations: CII proper (ZUGFeRD 2, Factur-X, XRechnung) and ZUGFeRD 1. */
const CII_SYNTAXES = [
  {
    document: 'ExchangedDocument',
    transaction: 'SupplyChainTradeTransaction',
    agreement: 'ApplicableHeaderTradeAgreement',
    settlement: 'ApplicableHeaderTradeSettlement',
    summation: 'SpecifiedTradeSettlementHeaderMonetarySummation',
  },
  {
    document: 'HeaderExchangedDocument',
    transaction: 'SpecifiedSupplyChainTradeTransaction',
    agreement: 'ApplicableSupplyChainTradeAgreement',
    settlement: 'ApplicableSupplyChainTradeSettlement',
    summation: 'SpecifiedTradeSettlementMonetarySummation',
  },
];

/**
 * The bench's values from an e-invoice XML: CII (Factur-X, ZUGFeRD 2, XRechnung CII),
 * ZUGFeRD 1 (CrossIndustryDocument) or UBL (Invoice, CreditNote). Throws for other XML.
 */
export function parseInvoiceXml(xml: string): EinvoiceValues {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, parseTagValue: false, parseAttributeValue: false, trimValues: true });
  const parsed = parser.parse(xml.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  const rootName = Object.keys(parsed).find((key) => !key.startsWith('?') && !key.startsWith('#'));
  const root = rootName ? parsed[rootName] : undefined;
  // Told apart by their content, not the root's name: ZUGFeRD 1's drafts named the root Invoice.
  const has = (name: string) => child(root, name) !== undefined;
  const issueDate = (node: Node) => isoDate(text(child(node, 'DateTimeString')) ?? text(node));
  // CII (Factur-X, ZUGFeRD 2, XRechnung CII: rsm:CrossIndustryInvoice) and ZUGFeRD 1
  // (rsm:CrossIndustryDocument) hold the same values under other element names.
  const cii = CII_SYNTAXES.find((names) => has(names.document));
  if (cii) {
    const transaction = child(root, cii.transaction);
    const settlement = child(transaction, cii.settlement);
    const currency = text(child(settlement, 'InvoiceCurrencyCode'));
    return {
      invoice_number: text(child(root, cii.document, 'ID')),
      invoice_date: issueDate(child(root, cii.document, 'IssueDateTime')),
      total: amount(child(settlement, cii.summation, 'GrandTotalAmount'), currency),
      vendor: text(child(transaction, cii.agreement, 'SellerTradeParty', 'Name')),
      currency,
    };
  }
  if ((rootName === 'Invoice' || rootName === 'CreditNote') && has('ID')) {
    // UBL (XRechnung UBL, Peppol).
    const currency = text(child(root, 'DocumentCurrencyCode'));
    const party = child(root, 'AccountingSupplierParty', 'Party');
    return {
      invoice_number: text(child(root, 'ID')),
      invoice_date: isoDate(text(child(root, 'IssueDate'))),
      total: amount(child(root, 'LegalMonetaryTotal', 'TaxInclusiveAmount'), currency),
      vendor: text(child(party, 'PartyLegalEntity', 'RegistrationName')) ?? text(child(party, 'PartyName', 'Name')),
      currency,
    };
  }
  throw new Error(`not an e-invoice XML (root ${rootName ?? 'none'})`);
}

const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const squeeze = (value: string) => value.normalize('NFC').replace(/\s+/g, ' ').trim();

/** The value printed as a whole token: not inside a longer word or number. */
function printedToken(page: string, value: string): boolean {
  return new RegExp(`(?<![\\p{L}\\p{N}])${escape(squeeze(value))}(?![\\p{L}\\p{N}])`, 'iu').test(page);
}

/**
 * The amount as the page prints it, in any locale's format (grouping none, '.', ',', ' ' or
 * "'"; decimals ',' or '.'): null when it is not printed, else the value signed as printed. A
 * credit note's XML holds a positive total (EN 16931) that its page may print as "-233,47 €":
 * a person reading the page answers the printed sign, so that is the truth.
 */
export function printedAmount(page: string, value: number): number | null {
  const [whole, cents] = Math.abs(value).toFixed(2).split('.') as [string, string];
  const forms = new Set<string>();
  for (const group of ['', '.', ',', ' ', "'"]) {
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
    for (const decimal of ['.', ',']) if (group !== decimal) forms.add(`${grouped}${decimal}${cents}`);
    // A whole amount may be printed without its cents (",-" or nothing).
    if (cents === '00') forms.add(grouped);
  }
  let negative = false;
  let positive = false;
  for (const form of forms) {
    for (const match of page.matchAll(new RegExp(`((?<!\\d\\s?)[-\u2212]\\s?)?(?<![\\d.,'])${escape(form)}(?!\\d|[.,']\\d)(-(?!\\s?\\d))?`, 'g'))) {
      if (match[1] || match[2]) negative = true;
      else positive = true;
    }
  }
  if (!negative && !positive) return null;
  return negative && !positive ? -Math.abs(value) : positive && !negative ? Math.abs(value) : value;
}

/** Month names (and their abbreviations, by prefix) in the five languages and Italian. */
const MONTHS: Array<[RegExp, number]> = [
  [/^(jan|jän|ene|gen)/, 1],
  [/^(feb|fév|fev)/, 2],
  [/^(mar|mär|mrt|maa)/, 3],
  [/^(apr|avr|abr)/, 4],
  [/^(may|mai|mei|mag)/, 5],
  [/^(jun|juin|giu)/, 6],
  [/^(jul|juil|lug)/, 7],
  [/^(aug|aoû|aou|ago)/, 8],
  [/^(sep|set)/, 9],
  [/^(oct|okt|ott)/, 10],
  [/^nov/, 11],
  [/^(dec|déc|dez|dic)/, 12],
];

function monthNumber(word: string): number | null {
  const lower = word.toLowerCase();
  if (lower.length < 3) return null;
  // French "juin" (June) and "juillet" (July) share "jui": the longer prefix decides.
  if (lower.startsWith('juil')) return 7;
  return MONTHS.find(([pattern]) => pattern.test(lower))?.[1] ?? null;
}

/** The date printed as numbers (d.m.y, d/m/y, m/d/y, y-m-d, two- or four-digit year) or with a month name. */
export function printsDate(page: string, iso: string): boolean {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  const yearMatches = (y: string) => Number(y) === year || (y.length === 2 && Number(y) === year % 100);
  for (const match of page.matchAll(/(?<!\d)(\d{1,4})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{2,4})(?!\d)/g)) {
    const [, a, , b, c] = match as unknown as [string, string, string, string, string];
    if (a.length === 4 && Number(a) === year && Number(b) === month && Number(c) === day && c.length <= 2) return true;
    if (a.length <= 2 && c.length !== 3 && yearMatches(c) && Number(b) === month && Number(a) === day) return true;
    if (a.length <= 2 && c.length !== 3 && yearMatches(c) && Number(a) === month && Number(b) === day) return true;
  }
  for (const match of page.matchAll(/(?<!\d)(\d{1,2})(?:\.|er|st|nd|rd|th)?\s*(?:de\s+)?([\p{L}]{3,})\.?\s*(?:de\s+)?,?\s*(\d{4})(?!\d)/gu)) {
    if (Number(match[1]) === day && monthNumber(match[2]!) === month && Number(match[3]) === year) return true;
  }
  for (const match of page.matchAll(/([\p{L}]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)/gu)) {
    if (monthNumber(match[1]!) === month && Number(match[2]) === day && Number(match[3]) === year) return true;
  }
  return false;
}

const CURRENCY_SYMBOLS: Record<string, string[]> = { EUR: ['€'], USD: ['$'], GBP: ['£'], JPY: ['¥'], INR: ['₹'], CHF: ['Fr.', 'SFr.'], PLN: ['zł'] };

/** The currency printed as its code or its symbol. */
export function printsCurrency(page: string, code: string): boolean {
  return printedToken(page, code) || (CURRENCY_SYMBOLS[code.toUpperCase()] ?? []).some((symbol) => page.includes(symbol));
}

/** Legal forms a company name is printed with (German, French, Dutch, Spanish, English). */
const LEGAL_FORM = String.raw`GmbH & Co\.? ?KG|GmbH|gGmbH|AG|KGaA|KG|OHG|UG(?: \(haftungsbeschränkt\))?|e\. ?K\.|e\. ?V\.|SARL|S\.A\.R\.L\.|SASU|SAS|SA|EURL|SNC|B\.V\.|BV|N\.V\.|NV|VOF|S\.L\.U?\.?|SLU?|S\.A\.U?\.?|Ltd\.?|Limited|LLC|Inc\.?|plc|LLP|Corp\.?`;

/**
 * The seller's name as the page prints it, or null when it does not: spaces aside (a text
 * layer may split a word, "Liefer ant", or the name over two lines), and with its legal form
 * when the page prints the name with one everywhere ("Au bon moulin" printed "Au bon moulin
 * SARL": a person copies the name as printed).
 */
export function printedVendor(page: string, vendor: string): string | null {
  const name = squeeze(vendor);
  // Spaces between any two characters, but the name whole: "Lieferant GmbH" is not printed by "MUSTERLIEFERANT GMBH".
  const spaced = [...name.replace(/\s+/g, '')].map(escape).join('\\s*');
  if (!new RegExp(`(?<![\\p{L}\\p{N}])${spaced}(?![\\p{L}\\p{N}])`, 'iu').test(page)) return null;
  const occurrences = [...page.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${escape(name)}(?:,? (${LEGAL_FORM}))?(?![\\p{L}\\p{N}])`, 'giu'))];
  const forms = new Set(occurrences.map((match) => match[1]?.toLowerCase() ?? ''));
  if (occurrences.length > 0 && forms.size === 1 && !forms.has('')) return squeeze(occurrences[0]![0]);
  return name;
}

/**
 * Which values the page's lines print: `values` as a reader of the page gives them (the total
 * signed as printed) and the names of those the page does not print.
 */
export function printedValues(values: EinvoiceValues, lines: readonly string[]): { printed: EinvoiceValues; missing: Array<keyof EinvoiceValues> } {
  const page = lines.map(squeeze).join('\n');
  const missing: Array<keyof EinvoiceValues> = [];
  if (values.invoice_number !== null && !printedToken(page, values.invoice_number)) missing.push('invoice_number');
  if (values.invoice_date !== null && !printsDate(page, values.invoice_date)) missing.push('invoice_date');
  const total = values.total === null ? null : printedAmount(page, values.total);
  if (values.total !== null && total === null) missing.push('total');
  const vendor = values.vendor === null ? null : printedVendor(page, values.vendor);
  if (values.vendor !== null && vendor === null) missing.push('vendor');
  if (values.currency !== null && !printsCurrency(page, values.currency)) missing.push('currency');
  return { printed: { ...values, total: total ?? values.total, vendor: vendor ?? values.vendor }, missing };
}

/** What one PDF gives: its values, those the page prints, or why it gives none. */
export type EinvoiceReading =
  | { file: string; xmlName: string; values: EinvoiceValues; kept: Partial<EinvoiceValues>; dropped: Array<keyof EinvoiceValues> }
  | { file: string; skipped: string };

/** Reads one e-invoice PDF: its embedded XML's values, checked against its text layer. */
export async function readEinvoice(bytes: Uint8Array, file: string): Promise<EinvoiceReading> {
  let pdf: PdfDocument;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (error) {
    return { file, skipped: `not a readable PDF (${error instanceof Error ? error.message : String(error)})` };
  }
  try {
    const embedded = await embeddedInvoiceXml(pdf);
    if (!embedded) return { file, skipped: 'no embedded invoice XML' };
    let values: EinvoiceValues;
    try {
      values = parseInvoiceXml(embedded.xml);
    } catch (error) {
      return { file, skipped: `${embedded.name}: ${error instanceof Error ? error.message : String(error)}` };
    }
    const { cells } = await pdfCells(pdf);
    const lines = cells.map((line) => line.map((cell) => cell.text).join(' ')).filter((line) => line !== '');
    if (lines.length === 0) return { file, skipped: 'no text layer (a scan): the printed values cannot be checked' };
    const { printed, missing: dropped } = printedValues(values, lines);
    // Two of number, date and total missing: the page is another invoice than its XML (a
    // test file's), and a truth of nulls would count a right reading of the page as wrong.
    const core = dropped.filter((name) => name === 'invoice_number' || name === 'invoice_date' || name === 'total');
    if (core.length >= 2) return { file, skipped: `the page shows another invoice than its ${embedded.name} (not printed: ${core.map((name) => `${name} ${JSON.stringify(values[name])}`).join(', ')})` };
    const kept = Object.fromEntries(EINVOICE_FIELDS.map(({ name }) => [name, printed[name]]).filter(([name, value]) => value !== null && !dropped.includes(name as keyof EinvoiceValues)));
    return { file, xmlName: embedded.name, values, kept, dropped };
  } finally {
    await pdf.destroy();
  }
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The truth CSV's rows (header first) for the readings that kept values. */
export function truthCsv(readings: readonly EinvoiceReading[]): string {
  const rows = [['file', 'field', 'type', 'value']];
  for (const reading of readings) {
    if ('skipped' in reading) continue;
    for (const { name, type } of EINVOICE_FIELDS) {
      const value = reading.kept[name];
      if (value === undefined || value === null) continue;
      rows.push([reading.file, name, type, typeof value === 'number' ? value.toFixed(2) : value]);
    }
  }
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

/** One line per document: what it gives, what it drops and why, or why it is skipped. */
export function reportLine(reading: EinvoiceReading): string {
  if ('skipped' in reading) return `${reading.file}: skipped, ${reading.skipped}`;
  const kept = Object.keys(reading.kept).length;
  const missing = EINVOICE_FIELDS.filter(({ name }) => reading.values[name] === null).map(({ name }) => name);
  const parts = [`${reading.file}: ${kept} values from ${reading.xmlName}`];
  for (const name of ['total', 'vendor'] as const) {
    const kept = reading.kept[name];
    if (kept !== undefined && kept !== reading.values[name]) parts.push(`${name} ${JSON.stringify(reading.values[name])} printed as ${JSON.stringify(kept)}`);
  }
  if (reading.dropped.length > 0) parts.push(`dropped (in the XML, not printed on the page): ${reading.dropped.map((name) => `${name} ${JSON.stringify(reading.values[name])}`).join(', ')}`);
  if (missing.length > 0) parts.push(`not in the XML: ${missing.join(', ')}`);
  return parts.join('; ');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, out: { type: 'string' } } });
  if (!values.dir) throw new Error('usage: npm run bench:einvoice-truth -- --dir <folder of e-invoice PDFs> [--out truth.csv]');
  const dir = path.resolve(values.dir);
  const files = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.pdf')).sort();
  const report = values.out ? console.log : console.error;
  const readings: EinvoiceReading[] = [];
  for (const file of files) {
    const reading = await readEinvoice(await readFile(path.join(dir, file)), file);
    readings.push(reading);
    report(reportLine(reading));
  }
  const csv = truthCsv(readings);
  const used = readings.filter((reading) => !('skipped' in reading) && Object.keys(reading.kept).length > 0).length;
  const dropped = readings.reduce((sum, reading) => sum + ('dropped' in reading ? reading.dropped.length : 0), 0);
  report(`${files.length} PDFs, ${used} with truth, ${files.length - used} skipped or empty, ${dropped} values dropped as not printed, ${csv.trim().split('\n').length - 1} truth rows`);
  if (values.out) await writeFile(values.out, csv);
  else process.stdout.write(csv);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
