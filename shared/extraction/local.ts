import { PermanentError } from '../errors.js';
import { fieldKeys, toStoredAnswer, type Citation } from './answer-rows.js';
import { coerceCell, type CoerceOptions } from './cells.js';
import { currencyCode, documentCurrency, isCurrencyField, withoutCurrencyMark } from './currency.js';
import { readDocumentText, type DocumentText, type OcrOptions } from './document-text.js';
import { identifierBeforeDate, identifierProblem, printedIdentifier } from './identifiers.js';
import { bestField, COLON_BONUS, labelledCells, labelWords, vocabularies, type FieldVocabulary, type LabelledCell, type OcrConfidence } from './label-match.js';
import { documentLocale } from './locale.js';
import { implausibleYear, MIN_LABEL_CONFIDENCE, MIN_UNLABELLED_CONFIDENCE, MIN_VALUE_CONFIDENCE, confusableMix, hasCents, ocrValueProblem, otherDateText, poorlyRead, totalsCheck, unsureDayOrder } from './ocr-trust.js';
import { ocrLineDates, oneFigureApart } from './ocr-dates.js';
import { contradicts, rowSum, severalAmounts, subtotalLine, totalEvidence } from './ocr-totals.js';
import type { Cell } from './pdf-layout.js';
import { lineText } from './cell-lines.js';
import { isItemList, itemFieldRoles, readLineItems, type ItemRole, type ItemValue, type LineItem } from './tables.js';
import { taxLinesTotal, taxSummaryTotal } from './tax-summary.js';
import { hasLegalForm, issuer as issuerOf, issuerLike } from './vendor.js';
import type { ExtractionAnswer, ExtractionRequest, Extractor, FieldSpec } from './types.js';

export const LOCAL_ENGINE = 'local-text-v1';

export interface LocalExtractorOptions {
  /** Bytes of the file at `request.file.uri` (the local blob seam). */
  readFile: (uri: string) => Promise<Buffer>;
  /**
   * Read `03/04/2025` as 3 April on every document. By default each document decides
   * (locale.ts): day first on German, French, Dutch and Spanish documents and on English
   * ones with British or European markers, month first on the others.
   */
  dayFirst?: boolean;
  /** How scans and images are read (languages, page limit; `document-text.ts`). */
  ocr?: OcrOptions;
}

/** Cells found for one row, and where each was read (null for a null cell). */
interface FoundRow {
  cells: unknown[];
  sources: (Citation | null)[];
}

type Lines = Extract<DocumentText, { kind: 'lines' }>;

/**
 * The embedded default for extraction: no model, no network. Reads a PDF's text layer
 * (OCR for a scanned page), an image (OCR), a plain-text file or a CSV and fills each field from the line its label is on
 * ("Invoice No: INV-7" fills `invoice_number`), one row per document; a CSV with a
 * header row, or a PDF table under a header row of field labels printed in columns,
 * gives one row per record, the other fields repeated on each. Every value is cited:
 * the page (PDFs, images) and the line or table cell it was read from; the answer carries
 * the OCR text of each scanned page (`ocrPages`), which `page-windows.ts` verifies those
 * citations against. Deterministic, and
 * labelled `local-text-v1` on every answer so its rows are never mistaken for Gemini's.
 *
 * Each document's dates and amounts are read in its own locale (locale.ts: language, date
 * order, decimal mark), month names in five languages (dates.ts); identifiers must look
 * like one (identifiers.ts); an unlabelled vendor comes from the issuer block, never the
 * customer's (vendor.ts). Precision first: labels that disagree, or a value that does not
 * read as its field, give null rather than a guess; so does a value read by OCR that
 * tesseract was unsure of or a misread character could have made (ocr-trust.ts).
 *
 * @example
 * const local = createLocalExtractor({ readFile: (uri) => blobs.readAll(uri) });
 */
export function createLocalExtractor(options: LocalExtractorOptions): Extractor {
  const coerce: CoerceOptions = { dayFirst: options.dayFirst ?? false };
  return {
    engine: LOCAL_ENGINE,
    async extract(request: ExtractionRequest): Promise<ExtractionAnswer> {
      request.signal?.throwIfAborted();
      const { fields, file } = request;
      const document = await readDocumentText(file.bytes ?? (await options.readFile(file.uri)), file, { ...(options.ocr ? { ocr: options.ocr } : {}), signal: request.signal });
      const found = document.kind === 'lines' ? rowsFromLines(document, fields, coerce) : rowsFromCsv(document.rows, fields, coerce, file.filename);
      for (const row of found) requireFields(row.cells, fields, file.filename);
      // The object form Gemini answers in, with citations, through the same conversion and checks.
      const keys = fieldKeys(fields);
      const rows = found.map((row) =>
        Object.fromEntries(keys.map((key, i) => [key, { value: row.cells[i], page: row.sources[i]?.page ?? null, quote: row.sources[i]?.quote ?? null }])),
      );
      const { columns, results, citations } = toStoredAnswer(fields, { rows }, { keys, citations: true });
      const ocrPages = document.kind === 'lines' ? document.ocrPages : undefined;
      return { columns, results, citations, ...(ocrPages ? { ocrPages } : {}), engine: LOCAL_ENGINE, model: LOCAL_ENGINE, usage: { inputTokens: null, outputTokens: null } };
    },
  };
}

/** Words in a field's name that make it an identifier: its value has a digit and is short. */
const IDENTIFIER_WORDS = new Set(['number', 'id', 'reference', 'code', 'identifier']);
/** Words in a field's name that make it the issuer of the document. */
const ISSUER_WORDS = new Set(['vendor', 'supplier', 'seller', 'issuer', 'merchant', 'company', 'store', 'shop', 'payee', 'biller', 'bank']);

/** The rows of a table under a header of field labels, the other fields from their labels; else one row from the labels. */
function rowsFromLines(document: Lines, fields: readonly FieldSpec[], options: CoerceOptions): FoundRow[] {
  // The document's language, date order and decimal mark, decided once for all its values.
  const locale = documentLocale(document.lines);
  const coerce: CoerceOptions = { dayFirst: options.dayFirst || locale.dayFirst, language: locale.language, decimal: locale.decimal };
  // The document's line items (tables.ts), read once for a list of items and for item records.
  let items: LineItem[] | undefined;
  const lineItems = () => (items ??= document.cells ? readLineItems(document.cells, document.pages, coerce) : []);
  const labelled = rowFromLines(document, fields, coerce, lineItems);
  const roles = itemFieldRoles(fields, labelWords);
  if (roles && lineItems().length > 0) return lineItems().map((item) => itemRecord(document, item, fields, roles, labelled));
  const records = document.cells ? tableRows(document, document.cells, fields, coerce) : [];
  // Asked for line items where there are none: the item fields are null, not a label's value ("Total" for an item's amount).
  if (records.length === 0 && roles) return [{ cells: labelled.cells.map((cell, i) => (roles[i] === undefined ? cell : null)), sources: labelled.sources.map((source, i) => (roles[i] === undefined ? source : null)) }];
  if (records.length === 0) return [labelled];
  return records.map((record) => ({
    cells: record.cells.map((cell, i) => (record.sources[i] ? cell : labelled.cells[i]!)),
    sources: record.sources.map((source, i) => source ?? labelled.sources[i]!),
  }));
}

/**
 * Each field from its best label whose value reads as the field's type (the invoice date a
 * title line "Rechnung Nr. X vom <date>" states first); failing that, an invoice number from
 * such a title line, a total from the sum row of the tax summary table (tax-summary.ts), a
 * date field from the only date on the document and an issuer field (vendor) from the
 * issuer block at the top of the first page or its footer (on a scan, a letterhead OCR was sure of: vendor.ts). Anything less certain stays null. Each value
 * is cited by the line it was read from (the first line, from the label's on, holding it).
 */
function rowFromLines(document: Lines, fields: readonly FieldSpec[], coerce: CoerceOptions, lineItems: () => LineItem[] = () => []): FoundRow {
  const { lines, cells } = document;
  const grid = cells ?? lines.map((line) => (line === '' ? [] : [{ text: line, x: 0, right: Number.MAX_SAFE_INTEGER }]));
  const hits = labelledCells(grid, fields);
  const vocabs = vocabularies(fields);
  const cite = (text: string | undefined, from = 0): Citation | null => {
    if (text === undefined) return null;
    const at = lines.findIndex((line, i) => i >= from && line.includes(text));
    const index = at >= 0 ? at : lines.findIndex((line) => line.includes(text));
    return index < 0 ? null : { page: document.pages?.[index] ?? null, quote: lines[index]! };
  };
  // The only date on the document fills one date field, when the document labels none of
  // them (a receipt's date line): beside a labelled date it is that date, not another one.
  // A label counts when a value of it reads as a date (an OCR'd heading "INVOICE" over a table is no date label),
  // and OCR was sure of the label: one it misread may be any date's, and the only date then still fills the field.
  let dateFallbackUsed = fields.some(
    (field) =>
      field.type === 'date' &&
      (hits.get(field.name) ?? []).some(
        (hit) => !hit.confidence || hit.values.some((value, i) => coerceCell('date', value, coerce) !== null && (hit.confidence?.[i]?.label ?? 100) >= MIN_LABEL_CONFIDENCE),
      ),
  );
  const row: FoundRow = { cells: [], sources: [] };
  const found = (cell: unknown, source: Citation | null) => {
    row.cells.push(cell);
    row.sources.push(cell === null ? null : source);
  };
  for (const field of fields) {
    const words = new Set(labelWords(field.name));
    const identifier = isIdentifier(words);
    const issuer = [...words].some((word) => ISSUER_WORDS.has(word));
    // "Facture n° 10092837465 du 1er avril 2025": an identifier field also tries the word before the date.
    const fieldHits = (hits.get(field.name) ?? []).map((hit) => {
      if (!identifier || field.type !== 'text') return hit;
      const pairs = hit.values.flatMap((value, i) => {
        const before = identifierBeforeDate(value);
        const confidence = hit.confidence?.[i] ?? null;
        return before === null ? [{ value, confidence }] : [{ value, confidence }, { value: before, confidence }];
      });
      return { ...hit, values: pairs.map((pair) => pair.value), ...(hit.confidence ? { confidence: pairs.map((pair) => pair.confidence) } : {}) };
    });
    if (isCurrencyField(field)) {
      const currency = fieldCurrency(grid, fieldHits);
      found(currency?.code ?? null, currency ? { page: document.pages?.[currency.line] ?? null, quote: lines[currency.line]! } : null);
      continue;
    }
    if (field.type === 'list') {
      // Line items from the item table or the receipt's item lines (tables.ts), each read as the value OCR was sure of.
      const itemList = isItemList(field, labelWords);
      const read = itemList ? lineItems().filter((item) => trustedItemValue('text', item.description)) : [];
      if (read.length > 0) {
        found(read.map((item) => item.description.value), citeItem(document, read[0]!.description));
        continue;
      }
      // A PDF or scan without an item table or a receipt's items has none: the older readers'
      // guesses (a column under a label, the lines above a total) are kept for plain text and CSV.
      if (itemList && cells) {
        found(null, null);
        continue;
      }
      const items = tableColumn(grid, field, vocabs) ?? (cells ? itemsAboveTotal(grid, hits) : null) ?? listAt(lines, fieldHits);
      found(items.length > 0 ? items : null, cite(items[0], fieldHits[0]?.index));
      continue;
    }
    const read = agreedValue(field, fieldHits, (value, confidence) => {
      // Read by OCR: only what tesseract was sure of, and nothing a misread character could have made (ocr-trust.ts).
      // "Rs 1939", "RM 12.50": amounts in marks coerceCell does not strip; "# BLR_7" is the identifier "#BLR_7".
      const cell = coerceCell(field.type, field.type === 'currency' || field.type === 'number' ? withoutCurrencyMark(value) : identifier ? printedIdentifier(value) : value, coerce);
      // A total the printed subtotal and tax add up to is vouched for by them.
      const vouched = field.type === 'currency' && typeof cell === 'number' && confidence !== null && totalsCheck(grid, cell, coerce) === 'agree';
      if (confidence && ocrValueProblem(field.type, value, confidence, identifier, vouched) !== null) return null;
      if (confidence && field.type === 'date' && (unsureDayOrder(value, lines, coerce.language, coerce.dayFirst ?? false) || (typeof cell === 'string' && (implausibleYear(cell) || oneFigureApart(grid, cell, coerce))))) return null;
      // A labelled issuer reads as a name (vendor.ts): "The issuer printed their details in the logo below:" labels no name.
      if (typeof cell === 'string' && issuer && !issuerLike(cell, vocabs)) return null;
      return cell === null || (typeof cell === 'string' && !plausibleText(cell, words)) ? null : cell;
    });
    // On a scan, a total label's word on a subtotal line ("SUB TOTAL (INCL. GST) 18.60") names no total: as if unlabelled.
    const labelled = read && read !== 'disagree' && read.confidence && field.type === 'currency' && subtotalLine(grid, read.hit.index, coerce) ? null : read;
    // A total read by OCR that is not the printed subtotal plus tax is a misread one of them at least.
    const unsureTotal =
      labelled !== null && labelled !== 'disagree' && labelled.confidence !== null && field.type === 'currency' && totalsCheck(grid, labelled.cell as number, coerce) === 'disagree';
    // A total printed only as the sum row of the tax summary table (net + tax = gross on every row); on a scan
    // too, when tesseract was sure of the sum row's amounts and they print their cents (ocr-trust.ts): the table's
    // arithmetic vouches for the rest. On a text layer also one under a net line and a tax line it is the sum of
    // (its label a word no vocabulary has).
    const summed =
      labelled === null && field.type === 'currency' && words.has('total')
        ? (scannedSum(taxSummaryTotal(grid, coerce), grid) ?? (document.ocrPages ? null : taxLinesTotal(grid, coerce)))
        : null;
    // "Rechnung des Versicherers Nr. X vom <date>": a title's number when no label names one.
    const titledNumber = labelled === null && identifier && field.type === 'text' && words.has('invoice') ? titleNumber(grid, coerce, document.ocrPages !== undefined) : null;
    // On a scan, a total the other printed amounts add up to (ocr-totals.ts) outranks its label's reading.
    const evidence = field.type === 'currency' && words.has('total') && document.ocrPages ? totalEvidence(grid, coerce) : null;
    // "Rechnung Nr. 42 vom 05.03.2020", "Facture n° 12 du 2 juillet 2015": the date the title gives its document is the issue date.
    // On a scan too (the title line read whole and sure: titleLine), its day order known (ocr-trust.ts).
    const titled = field.type === 'date' && words.has('invoice') ? scannedTitleDate(titleDate(grid, coerce), lines, coerce, document.ocrPages !== undefined) : null;
    // "München, den 01.11.2024": a letter's place and date line dates the letter, over a bare "Datum:" (a print stamp's).
    const placed = field.type === 'date' && words.has('invoice') && !document.ocrPages && (labelled === null || (labelled !== 'disagree' && bareLabel(labelled.hit, vocabs))) ? placeDate(grid, coerce) : null;
    let settled: { name: string; line: number } | null = null;
    // A table's totals row ("Total | 1 | 278.61 | 40.39 | 319.00") and the one total line under it read the same amount: two reads agree.
    const rowAgrees =
      evidence?.single && labelled && labelled !== 'disagree' && labelled.confidence && labelled.hit.index !== evidence.single.index && labelled.cell === evidence.single.amount && !contradicts(evidence, evidence.single.amount);
    if (evidence?.vouched) {
      found(evidence.vouched.amount, cite(evidence.vouched.text, evidence.vouched.index));
    } else if (rowAgrees) {
      found(evidence!.single!.amount, cite(evidence!.single!.text, evidence!.single!.index));
    } else if (titled) {
      found(titled.value, cite(titled.text, titled.index));
    } else if (placed) {
      found(placed.value, cite(placed.text, placed.index));
    } else if (labelled === 'disagree' && (settled = issuer && field.type === 'text' && !document.ocrPages ? issuerAmong(grid, document.pages, vocabs, fieldHits) : null)) {
      // Labels that name every party's name ("Name:" in the seller's block and in the buyer's): the one the issuer block reads (vendor.ts).
      found(settled.name, { page: document.pages?.[settled.line] ?? null, quote: lines[settled.line]! });
    } else if (labelled === 'disagree' || unsureTotal || (evidence && labelled?.confidence && (contradicts(evidence, labelled.cell as number) || severalRead(grid[labelled.hit.index], labelled.cell, coerce, evidence.single)))) {
      found(null, null);
    } else if (labelled) {
      // Asked for the amount due: what is left of the total after the payments it lists as made.
      const due = field.type === 'currency' && asksAmountDue(field, vocabs) ? amountDueAfter(grid, labelled.hit.index, labelled.cell as number, coerce) : null;
      // A seller's name wrapped over two lines under its label ("Verkäufer:" / "MVM Musterhafter" / "Versicherungsverein
      // Musterstadt a.G."): the label's value is its first line, the issuer block (vendor.ts) reads it whole.
      // On a scan too: OCR splits a name at a wide word space ("Taxi | TX | GmbH"), and the label's value is then its first word.
      const whole = issuer && typeof labelled.cell === 'string' ? issuerOf(grid, document.pages, vocabs) : null;
      if (due) found(due.value, cite(due.text, labelled.hit.index));
      else if (whole && whole.name.startsWith(`${labelled.cell as string} `)) found(whole.name, { page: document.pages?.[whole.line] ?? null, quote: lines[whole.line]! });
      // On a scan, an issuer's name read from its label only with its legal form or as the issuer block reads it (vendor.ts):
      // else the cell beside the label may be one word of the name, or a heading or code OCR placed there ("GLN").
      else if (issuer && labelled.confidence && !hasLegalForm(labelled.cell as string) && whole?.name !== labelled.cell) {
        // ... unless the cells after it on its line, a word space away, end the name with its legal form ("Taxi | TX | GmbH").
        const name = splitName(grid, labelled.hit.index, labelled.cell as string);
        if (name && hasLegalForm(name) && issuerLike(name, vocabs)) found(name, cite(labelled.value, labelled.hit.index));
        else found(null, null);
      }
      else found(labelled.cell, cite(labelled.value, labelled.hit.index));
    } else if (titledNumber) {
      found(titledNumber.value, cite(titledNumber.value, titledNumber.index));
    } else if (summed) {
      found(summed.amount, { page: document.pages?.[summed.index] ?? null, quote: lines[summed.index]! });
    } else if (evidence?.single && !contradicts(evidence, evidence.single.amount)) {
      // The one total line of a scan, its label one a field's vocabulary missed ("TOTAL: RM 39.80").
      found(evidence.single.amount, cite(evidence.single.text, evidence.single.index));
    } else if (field.type === 'date' && !dateFallbackUsed) {
      dateFallbackUsed = true;
      let date = onlyDate(grid, coerce);
      // On a scan, only when no other date-like text was misread and its day order is known (ocr-trust.ts).
      if (date && document.ocrPages && (otherDateText(grid, date.text, { value: date.value, coerce }) || poorlyRead(grid) || unsureDayOrder(date.text, lines, coerce.language, coerce.dayFirst ?? false))) date = null;
      found(date?.value ?? null, cite(date?.text));
    } else if (field.type === 'text' && issuer) {
      // Cited by the line it was read from: a name OCR split over two lines, or read "SON BHD" for "SDN BHD", is on no one line.
      const named = issuerOf(grid, document.pages, vocabs);
      found(named?.name ?? null, named ? { page: document.pages?.[named.line] ?? null, quote: lines[named.line]! } : null);
    } else found(null, null);
  }
  return row;
}

/** The issuer's name (vendor.ts) when it is one of the values the field's labels disagree on, else null. */
function issuerAmong(grid: readonly Cell[][], pages: readonly number[] | undefined, vocabs: readonly FieldVocabulary[], hits: readonly LabelledCell[]): { name: string; line: number } | null {
  const named = issuerOf(grid, pages, vocabs);
  // Or one line of it, when the name is wrapped over two lines ("MVM Musterhafter" / "Name: Versicherungsverein Musterstadt a.G.").
  const among = (value: string) => value === named!.name || named!.name.startsWith(`${value} `) || named!.name.endsWith(` ${value}`);
  return named && hits.some((hit) => hit.values.some((value) => among(value.trim()))) ? named : null;
}

/**
 * The value of a field from its labels: each label's nearest value that reads as the
 * field's type, from the labels that name the field best. When those disagree the answer
 * is 'disagree' (the caller answers null: two invoice numbers, or a "Datum" that heads a
 * column of dates, are no answer), except for an amount, where the last and largest of
 * them is the grand total printed under its parts ("Total" of a line, then "Total").
 */
function agreedValue(
  field: FieldSpec,
  hits: readonly LabelledCell[],
  read: (value: string, confidence: OcrConfidence | null) => unknown,
): { hit: LabelledCell; value: string; cell: unknown; confidence: OcrConfidence | null } | 'disagree' | null {
  const candidates = hits.flatMap((hit) => {
    for (const [i, value] of hit.values.entries()) {
      const confidence = hit.confidence?.[i] ?? null;
      const cell = read(value, confidence);
      if (cell !== null) return [{ hit, value, cell, confidence }];
    }
    return [];
  });
  const best = candidates[0];
  if (!best) return null;
  const top = candidates.filter((candidate) => candidate.hit.score === best.hit.score);
  if (new Set(top.map((candidate) => JSON.stringify(candidate.cell))).size === 1) return best;
  if (field.type === 'currency' || field.type === 'number') {
    const last = top.reduce((a, b) => (b.hit.index > a.hit.index ? b : a));
    if (top.every((candidate) => (candidate.cell as number) <= (last.cell as number))) return last;
  }
  return 'disagree';
}

/**
 * A table printed in columns: a line whose two or more cells are each a different field's
 * label is a header, and each following line with as many cells is a record, up to a
 * line that has not (a header repeated on the next page starts again). Each value is
 * cited by its page and cell. (`tableColumn` reads one list field's column; this reads
 * whole records, one row each.)
 */
function tableRows(document: Lines, grid: readonly Cell[][], fields: readonly FieldSpec[], coerce: CoerceOptions): FoundRow[] {
  const vocabs = vocabularies(fields);
  const records: FoundRow[] = [];
  let header: number[] | null = null;
  grid.forEach((line, index) => {
    const matched = line.length >= 2 ? line.map((cell) => bestField(cell.text, vocabs)) : [];
    const fieldIndexes = matched.map((match) => (match ? fields.indexOf(match.field) : -1));
    if (fieldIndexes.length >= 2 && fieldIndexes.every((f) => f >= 0 && fields[f]!.type !== 'list') && new Set(fieldIndexes).size === fieldIndexes.length) {
      header = fieldIndexes;
      return;
    }
    if (!header) return;
    if (line.length !== header.length) {
      header = null;
      return;
    }
    const record: FoundRow = { cells: fields.map(() => null), sources: fields.map(() => null) };
    header.forEach((f, column) => {
      const { text, words } = line[column]!;
      // An OCR'd cell answers only when OCR was sure of it (ocr-trust.ts; the header's words placed it).
      const ocr = words ? { value: Math.min(...words.map((word) => word.confidence)), label: 100 } : null;
      if (ocr && ocrValueProblem(fields[f]!.type, text, ocr, isIdentifier(new Set(labelWords(fields[f]!.name)))) !== null) return;
      const cell = coerceCell(fields[f]!.type, text, coerce);
      if (cell === null) return;
      record.cells[f] = cell;
      record.sources[f] = { page: document.pages?.[index] ?? null, quote: text };
    });
    if (record.cells.some((cell) => cell !== null)) records.push(record);
  });
  return records;
}

/**
 * One answer row of a line item: each item field from its column (null when the table has
 * none, or OCR was unsure of it), the document's other fields as read from their labels.
 */
function itemRecord(document: Lines, item: LineItem, fields: readonly FieldSpec[], roles: readonly (ItemRole | undefined)[], labelled: FoundRow): FoundRow {
  const row: FoundRow = { cells: [], sources: [] };
  fields.forEach((field, i) => {
    const role = roles[i];
    if (role === undefined) {
      row.cells.push(labelled.cells[i]);
      row.sources.push(labelled.sources[i]!);
      return;
    }
    const read: ItemValue<string | number> | null = role === null ? null : role === 'unit_price' ? item.unitPrice : item[role];
    const cell = read === null || !trustedItemValue(field.type, read) ? null : field.type === 'text' ? String(read.text) : typeof read.value === 'number' && (field.type === 'number' || field.type === 'currency') ? read.value : null;
    row.cells.push(cell);
    row.sources.push(cell === null || read === null ? null : citeItem(document, read));
  });
  return row;
}

/** A value of an item read by OCR answers only when tesseract was sure of its words (ocr-trust.ts); text-layer values always do. */
function trustedItemValue(type: FieldSpec['type'], read: ItemValue<unknown>): boolean {
  if (read.unsure) return false;
  const words = read.cells.flatMap((cell) => cell.words ?? []);
  if (words.length === 0) return true;
  const confidence = { value: Math.min(...words.map((word) => word.confidence)), label: 100 };
  return ocrValueProblem(type === 'list' ? 'text' : type, read.text, confidence, false) === null;
}

function citeItem(document: Lines, read: ItemValue<unknown>): Citation {
  return { page: document.pages?.[read.line] ?? null, quote: read.text };
}

function isIdentifier(nameWords: ReadonlySet<string>): boolean {
  return [...nameWords].some((word) => IDENTIFIER_WORDS.has(word));
}

/** An identifier reads as one (identifiers.ts: a digit, short, not a date, amount, phone, IBAN or VAT id); other text has at most twelve words. */
function plausibleText(text: string, nameWords: ReadonlySet<string>): boolean {
  if (isIdentifier(nameWords)) return identifierProblem(text) === null;
  return text.split(/\s+/).length <= 12;
}

/** True when the field asks for the amount due ("The total amount due"), not only the total. */
function asksAmountDue(field: FieldSpec, vocabs: readonly FieldVocabulary[]): boolean {
  const vocabulary = vocabs.find((entry) => entry.field === field);
  return vocabulary !== undefined && (vocabulary.name.has('due') || vocabulary.description.has('due'));
}

/**
 * The amount due after the payments an invoice deducts from its total: a utility's annual
 * bill prints its total, the instalments already paid (as negative amounts) and the rest
 * "Te betalen" / "Nachzahlung" / "Montant à payer". Read on the lines just below the
 * total: the first line labelled as due whose amount is the total less the deductions
 * printed between them, only when there is at least one and the rest is above zero; else
 * null (the total stands). The sum is what vouches for it, OCR'd or not.
 */
function amountDueAfter(grid: readonly Cell[][], totalIndex: number, total: number, coerce: CoerceOptions): { value: number; text: string } | null {
  let rest = total;
  let deducted = false;
  for (const line of grid.slice(totalIndex + 1, totalIndex + 6)) {
    const last = line.at(-1);
    const amount = line.length >= 2 && last ? coerceCell('currency', withoutCurrencyMark(last.text), coerce) : null;
    if (typeof amount !== 'number') continue;
    if (amount < 0) {
      rest += amount;
      deducted = true;
      continue;
    }
    const label = lineText(line.slice(0, -1));
    if (!labelWords(label).includes('due')) return null;
    return deducted && rest > 0 && Math.abs(rest - amount) < 0.005 ? { value: amount, text: last!.text } : null;
  }
  return null;
}

/**
 * A currency field's answer (currency.ts): a labelled "Currency: EUR" / "Währung: Euro"
 * when the label's value names one; else the one currency the document's amounts are in.
 * OCR'd words tesseract was unsure of are not read. The line index is the citation's.
 */
function fieldCurrency(grid: readonly Cell[][], hits: readonly LabelledCell[]): { code: string; line: number } | null {
  for (const hit of hits) {
    for (const [i, value] of hit.values.entries()) {
      const confidence = hit.confidence?.[i];
      if (confidence && (confidence.value < MIN_VALUE_CONFIDENCE || confidence.label < MIN_VALUE_CONFIDENCE)) continue;
      const code = currencyCode(value);
      if (code) return { code, line: hit.index };
    }
  }
  const trusted = grid.map((line) =>
    line.map((cell) => (cell.words ? cell.words.filter((word) => word.confidence >= MIN_VALUE_CONFIDENCE).map((word) => word.text).join(' ') : cell.text)).join('  '),
  );
  return documentCurrency(trusted);
}

/** The words a document's title is, alone or ending a compound ("Rechnung", "Handelsrechnung", "Invoice", "Facture"). */
const TITLE_WORD = '(?:rechnung|gutschrift|invoice|facture|avoir|factuur|creditnota|factura)';
/** The word before a title's date ("vom", "du", "dated"). */
const DATE_WORD = '(?:vom|von|du|del|de|van|of|dated|issued\\s+(?:at|on))';

/**
 * A document title giving its number and date: "Handelsrechnung Nr. 471102 vom 05.03.2020",
 * "Rechnung # RE-7 von 09.05.2017", "Invoice No. 12 dated 3 May 2024", "Invoice # RE-7 issued at 2020-11-21".
 */
const TITLE_DATE = new RegExp(`${TITLE_WORD}\\S*\\b(.*?)(?:\\bn[°º]|\\bnr\\.?|\\bno\\.?|\\bnumber|\\bnummer|\\bnuméro|\\bnúmero|#)\\s*:?\\s*(\\S+)\\s+${DATE_WORD}\\s+(.+)$`, 'i');

/**
 * A title that begins its line and prints no number sign: "Handelsrechnung (380) 471102 vom 05.06.2025",
 * "Rechnung vom 3. Mai 2025", "Facture du 2 juillet 2015". The first word is the title itself (a compound
 * ending in a title word, not "Rechnungsdatum"); its number, if any, is the word just before the date word.
 */
const BARE_TITLE_DATE = new RegExp(`^\\p{L}*${TITLE_WORD}(?!\\p{L})(.*?)\\s+${DATE_WORD}\\s+(.+)$`, 'iu');

/**
 * A letter's place and date: "München, den" | "01.11.2024", "Paris, le 3 mars 2025", "Madrid, a 3 de
 * marzo de 2025", "Wien, am 5. Mai 2025". The word after the comma (den, le, el, a, am) marks it;
 * a bare "Berlin, 01.11.2024" may be an address line's end and is not taken.
 */
const PLACE_DATE = /^\p{Lu}[\p{L}. '-]*,\s*(?:den|le|el|a|am)(?:\s+(.+))?$/u;

/** How far down page 1 a letter's date line is looked for (it heads the letter, beside or under the address). */
const PLACE_DATE_LINES = 30;

/** The date of the first place and date line near the top, the date in its cell or the next; null when none reads. */
function placeDate(grid: readonly Cell[][], coerce: CoerceOptions): { value: string; text: string; index: number } | null {
  for (const [index, line] of grid.slice(0, PLACE_DATE_LINES).entries()) {
    for (const [column, cell] of line.entries()) {
      const match = PLACE_DATE.exec(cell.text.trim());
      if (!match) continue;
      const text = match[1] ?? line[column + 1]?.text ?? '';
      const value = coerceCell('date', text.trim(), coerce);
      if (typeof value === 'string') return { value, text: text.trim(), index };
    }
  }
  return null;
}

/** True when a hit's label is no more than a bare "Date:" (it names no document): the score of that label alone, with its colon. */
function bareLabel(hit: LabelledCell, vocabs: readonly FieldVocabulary[]): boolean {
  const bare = bestField('Date:', vocabs);
  return bare !== null && hit.score <= bare.score + COLON_BONUS;
}

/** A dash set between spaces after a title's date, before more words of the title ("01.12.2025 - RECHNUNG", "3 May 2024 – Copy"). */
const TITLE_TAIL = /\s+[-–—]\s+/;

/**
 * Words between a title and its number sign that make the number another document's or
 * party's, and the date that one's: "Rechnung gemäß Bestellung Nr. 2013-47 vom 01.03.2013"
 * (the order's), "Beitragsrechnung zur Kraftfahrtversicherung Nr. ..." (the policy's),
 * "Rechnung Kunden-Nr. 4711 vom ..." (the customer's).
 */
const OTHER_DOCUMENT = /(?<!\p{L})(?:gemäß|gem\.|zu|zur|zum|für|for|to|per|pour|selon|voor|volgens|según|para)(?!\p{L})|bestell|auftrag|liefer|vertrag|order|delivery|contract|commande|livraison|pedido|bestelling|kunde|customer|client|klant|konto|account|compte|cuenta|mandat/iu;

/**
 * The issue date a title line states, the first such line on the document; null when none or
 * when it does not read as a date. A title wrapped onto the next line ("Gutschrift ... Nr.
 * 47110818" over "vom 31.10.2018") is read with that line.
 */
function titleDate(grid: readonly Cell[][], coerce: CoerceOptions): { value: string; text: string; index: number } | null {
  const title = titleLine(grid, coerce);
  return title ? { value: title.date, text: title.dateText, index: title.index } : null;
}

/**
 * The number a title line gives its document ("Rechnung des Versicherers Nr. 00.123.456.7-2018-1
 * vom" over "11.03.2018"), for an invoice number no label gave: only from a whole title, its
 * date read too, and only when it reads as an identifier.
 */
function titleNumber(grid: readonly Cell[][], coerce: CoerceOptions, scanned: boolean): { value: string; index: number } | null {
  const title = titleLine(grid, coerce);
  // On a scan, not a number mixing letters and figures OCR confuses ("RE-2O14": ocr-trust.ts).
  const number = title?.number ?? null;
  return title && number !== null && identifierProblem(number) === null && !(scanned && confusableMix(number)) ? { value: number, index: title.index } : null;
}

/** A title's date read on a scan answers only when its day order is known (`unsureDayOrder`); a text layer's always does. */
function scannedTitleDate<T extends { text: string }>(title: T | null, lines: readonly string[], coerce: CoerceOptions, scanned: boolean): T | null {
  return title && scanned && unsureDayOrder(title.text, lines, coerce.language, coerce.dayFirst ?? false) ? null : title;
}

/**
 * The first title line ("<title> ... Nr. <number> vom <date>", "<title> (380) <number> vom <date>", "<title> vom <date>",
 * maybe wrapped once) with its number (null when it prints none) and its date read; null when none or its date does not read.
 * On a scan, null also when tesseract was unsure of a word of the date (under `MIN_VALUE_CONFIDENCE`), and no number when
 * it was unsure of one of the number: either may be misread, and the first title line is the one that counts, so a later
 * one is not read instead. The title's own words ("Rechnung", "Nr.", "vom") are vouched for by reading as the pattern's.
 */
function titleLine(grid: readonly Cell[][], coerce: CoerceOptions): { number: string | null; date: string; dateText: string; index: number } | null {
  for (const [index, line] of grid.entries()) {
    const text = lineText(line);
    const wrapped = titleParts(text) === null && grid[index + 1]?.length === 1;
    const title = titleParts(wrapped ? `${text} ${lineText(grid[index + 1])}` : text);
    if (!title) continue;
    const cells = wrapped ? [...line, ...grid[index + 1]!] : line;
    // The date may have the title's last word after a dash ("vom 01.12.2025 - RECHNUNG"): the part before the dash is the date.
    const dateText = title.dateText.split(TITLE_TAIL)[0]!.trim();
    const date = coerceCell('date', dateText.replace(/[.,;]\s*$/, '').trim(), coerce);
    // A title without a number sign whose date does not read is no title ("Facture de vente ...").
    if (title.bare && typeof date !== 'string') continue;
    if (typeof date !== 'string' || !sureText(cells, dateText)) return null;
    return { number: title.number !== null && sureText(cells, title.number) ? title.number : null, date, dateText, index };
  }
  return null;
}

/**
 * A line's title parts: the number (null when none is printed) and the text after the date word; null when the line is
 * no title, or its words before the number make it another document's (`OTHER_DOCUMENT`). Without a number sign
 * (`BARE_TITLE_DATE`) the number is the word before the date word when it has a figure and is no code in parentheses
 * ("Handelsrechnung (380) 471102 vom": "471102"; "Handelsrechnung (380) vom": none).
 */
function titleParts(text: string): { number: string | null; dateText: string; bare: boolean } | null {
  const signed = TITLE_DATE.exec(text);
  if (signed) return otherDocument(signed[1]!) ? null : { number: signed[2]!, dateText: signed[3]!, bare: false };
  const bare = BARE_TITLE_DATE.exec(text);
  if (!bare || otherDocument(bare[1]!)) return null;
  const last = bare[1]!.trim().split(/\s+/).at(-1) ?? '';
  return { number: /\d/.test(last) && !/^\(.*\)$/.test(last) ? last : null, dateText: bare[2]!, bare: true };
}

/** True when a title's words before its number name another document or party (`OTHER_DOCUMENT`); a code in parentheses does not count. */
function otherDocument(words: string): boolean {
  return OTHER_DOCUMENT.test(words.replace(/\([^)]*\)/g, ' '));
}

/**
 * True when OCR was sure (`MIN_VALUE_CONFIDENCE`) of every word of `text` among the cells' words; text-layer cells have
 * no words and always are. A word of the text found in no cell is not vouched for.
 */
function sureText(cells: readonly Cell[], text: string): boolean {
  const words = cells.flatMap((cell) => cell.words ?? []);
  if (words.length === 0) return true;
  return text.split(/\s+/).every((token) => {
    const read = words.filter((word) => word.text === token || (word.text.length > 1 && token.includes(word.text)));
    return read.length > 0 && read.every((word) => word.confidence >= MIN_VALUE_CONFIDENCE);
  });
}

/**
 * True when a scanned row prints several amounts and the one read is not the sum of the others printed last (`rowSum`):
 * which one the label names is a guess. Also when another total line (`single`) prints another amount: one is misread.
 */
function severalRead(line: readonly Cell[] | undefined, read: unknown, coerce: CoerceOptions, single: { amount: number } | null): boolean {
  if (!severalAmounts(line)) return false;
  const sum = rowSum(line, coerce);
  return sum === null || typeof read !== 'number' || Math.abs(sum - read) >= 0.005 || (single !== null && Math.abs(single.amount - read) >= 0.005);
}

/** A tax summary's total (tax-summary.ts) whose sum row OCR read sure, with cents; a text layer's as it is. */
function scannedSum<T extends { text: string; index: number }>(sum: T | null, grid: readonly Cell[][]): T | null {
  const row = sum ? grid[sum.index]! : [];
  if (!sum || !row.some((cell) => cell.words)) return sum;
  return sureWords(row) && row.filter((cell) => /\d/.test(cell.text)).every((cell) => hasCents(cell.text) || /%/.test(cell.text)) ? sum : null;
}

/** The widest gap (points) between two cells of one name OCR split at wide word spaces (a column gap is wider). */
const OCR_NAME_GAP = 10;

/**
 * A labelled name OCR split into cells at wide word spaces, whole: the cell reading `value` on the label's line or the
 * next, and the cells right after it each within `OCR_NAME_GAP`, OCR sure of all their words; null when none follows.
 */
function splitName(grid: readonly Cell[][], index: number, value: string): string | null {
  for (const line of grid.slice(index, index + 2)) {
    const at = line.findIndex((cell) => cell.words && cell.text === value);
    if (at < 0) continue;
    const parts = [line[at]!];
    for (const cell of line.slice(at + 1)) {
      if (cell.x - parts.at(-1)!.right > OCR_NAME_GAP) break;
      parts.push(cell);
    }
    return parts.length > 1 && sureWords(parts) ? parts.map((cell) => cell.text).join(' ') : null;
  }
  return null;
}

/** True when every OCR'd word of the cells reaches `MIN_VALUE_CONFIDENCE` (text-layer cells have no words and always are). */
function sureWords(cells: readonly Cell[]): boolean {
  return cells.every((cell) => (cell.words ?? []).every((word) => word.confidence >= MIN_VALUE_CONFIDENCE));
}

/**
 * The date when the document holds exactly one (a receipt's date and time line); an OCR'd
 * date counts when OCR was sure of its words, more so than of a labelled value, and is
 * also read inside a longer cell or across spaced cells (ocr-dates.ts).
 */
function onlyDate(grid: readonly Cell[][], coerce: CoerceOptions): { value: string; text: string } | null {
  const dates = new Map<string, string>();
  let itemDate = false;
  for (const line of grid) {
    if (line.length > 0 && line.every((cell) => cell.words)) {
      const read = ocrLineDates(line, coerce);
      // A date on a line with an amount of its own ("Annonce du 06/12/2022 | 45,93 €") dates that item, not the
      // document: on a scan the document's own date may be the line OCR lost, so "the only date" is no longer it.
      if (read.length > 0 && line.some((cell) => !read.some((date) => cell.text.includes(date.text)) && ITEM_AMOUNT.test(cell.text))) itemDate = true;
      for (const date of read) if (!dates.has(date.value)) dates.set(date.value, date.text);
      continue;
    }
    for (const cell of line) {
      if (cell.words?.some((word) => word.confidence < MIN_UNLABELLED_CONFIDENCE)) continue;
      const date = coerceCell('date', cell.text, coerce);
      if (typeof date === 'string' && !dates.has(date)) dates.set(date, cell.text);
    }
  }
  const [only] = dates;
  return dates.size === 1 && only && !itemDate ? { value: only[0], text: only[1] } : null;
}

/** A cell that is an amount with cents, a currency mark maybe beside it ("45,93 €", "$ 12.50"): a line item's price. */
const ITEM_AMOUNT = /^[^\d\p{L}]{0,3}\d[\d.,' ]*[.,]\d{2}\s*(?:€|\$|£|EUR|USD|GBP)?$/u;

/**
 * Line items from a table: the column under a header cell naming the list field
 * ("Description", "Bezeichnung", "Transaction"), in a header row of two or more cells,
 * read down while each line has a cell in that column and no label ends with a colon.
 */
function tableColumn(grid: readonly Cell[][], field: FieldSpec, vocabs: readonly FieldVocabulary[]): string[] | null {
  for (const [index, line] of grid.entries()) {
    if (line.length < 2) continue;
    const header = line.find((cell) => bestField(cell.text, vocabs)?.field === field);
    if (!header) continue;
    const items: string[] = [];
    for (const row of grid.slice(index + 1)) {
      const cell = row.find((other) => Math.abs(other.x - header.x) < 8);
      if (row.length < 2 || !cell || row.some((other) => other.text.endsWith(':'))) break;
      items.push(cell.text);
    }
    if (items.length > 0) return items;
  }
  return null;
}

/**
 * A receipt's items without a header: the run of "description | amount" lines just above
 * the line that labels the total, when that run has a line or more.
 */
function itemsAboveTotal(grid: readonly Cell[][], hits: ReadonlyMap<string, LabelledCell[]>): string[] | null {
  const totals = [...hits.entries()].filter(([name]) => labelWords(name).includes('total')).flatMap(([, found]) => found);
  const total = totals[0];
  if (!total) return null;
  const items: string[] = [];
  for (let index = total.index - 1; index >= 0; index--) {
    const line = grid[index]!;
    const [first, last] = [line[0], line.at(-1)];
    if (line.length < 2 || !first || !last || /\d{3,}/.test(first.text.replace(/\([^)]*\)/g, '')) || first.text.includes(':') || coerceCell('currency', last.text) === null) break;
    items.unshift(first.text);
  }
  return items.length > 0 ? items : null;
}

/**
 * "Items: a; b" inline, or a table under a heading: each following line up to a blank
 * line or the next "Label:" line is an item, its trailing quantity and price columns cut.
 */
function listAt(lines: readonly string[], hits: readonly LabelledCell[]): string[] {
  const hit = hits[0];
  if (!hit) return [];
  const inline = lines[hit.index]!;
  const colon = inline.indexOf(':');
  if (colon > 0 && inline.slice(colon + 1).trim() !== '') return coerceCell('list', inline.slice(colon + 1)) as string[];
  const items: string[] = [];
  for (const line of lines.slice(hit.index + 1)) {
    if (line === '' || line.includes(':')) break;
    const item = withoutTrailingFigures(line);
    if (item !== '') items.push(item);
  }
  return items;
}

function withoutTrailingFigures(line: string): string {
  const words = line.split(' ');
  while (words.length > 0 && /^[-+(]?[$€£¥]?\s?[\d.,]+%?\)?$|^[x×@$€£]$|^(USD|EUR|GBP)$/i.test(words.at(-1)!)) words.pop();
  return words.join(' ').trim();
}

/**
 * A CSV whose first row is all field labels is a table, one row per record; any other
 * CSV is read as `label,value` lines.
 */
function rowsFromCsv(rows: readonly string[][], fields: readonly FieldSpec[], options: CoerceOptions, filename: string): FoundRow[] {
  const vocabs = vocabularies(fields);
  const locale = documentLocale(rows.map((row) => row.join(' ')));
  const coerce: CoerceOptions = { dayFirst: options.dayFirst || locale.dayFirst, language: locale.language, decimal: locale.decimal };
  const [header = [], ...records] = rows;
  // A cell with figures outside parentheses ("INV-9") is a value, not a column's name.
  const headerFields = header.map((cell) => (cell === '' || /\d/.test(cell.replace(/\([^)]*\)/g, '')) ? null : bestField(cell, vocabs)));
  const isTable = records.length > 0 && header.some((cell) => cell !== '') && headerFields.every((match, i) => match || header[i] === '');
  if (!isTable && header.filter((cell) => cell !== '').length > 2) {
    // Neither a table of the fields nor `label,value` lines: one row read from it would be junk.
    const unknown = header.filter((cell, i) => cell !== '' && !headerFields[i]);
    throw new PermanentError(
      `${filename}: the CSV header's column${unknown.length > 1 ? 's' : ''} ${unknown.map((cell) => JSON.stringify(cell)).join(', ')} match${unknown.length > 1 ? '' : 'es'} none of the fields (${fields.map((field) => field.name).join(', ')})`,
      'unrecognised_header',
    );
  }
  if (!isTable) {
    const lines = rows.map((row) => `${row[0] ?? ''}: ${row.slice(1).filter((cell) => cell !== '').join('; ')}`);
    return [rowFromLines({ kind: 'lines', lines }, fields, coerce)];
  }
  const columnOf = new Map<string, number>();
  headerFields.forEach((match, column) => {
    if (!match) return;
    const taken = columnOf.get(match.field.name);
    if (taken === undefined || match.score > headerFields[taken]!.score) columnOf.set(match.field.name, column);
  });
  return records.map((record) => {
    const row: FoundRow = { cells: [], sources: [] };
    for (const field of fields) {
      const column = columnOf.get(field.name);
      const cell = column === undefined ? null : coerceCell(field.type, record[column] ?? '', coerce);
      row.cells.push(cell);
      row.sources.push(cell === null ? null : { page: null, quote: record[column!]! });
    }
    return row;
  });
}

/** Retrying a deterministic reader cannot find a value it missed, so a gap is permanent. */
function requireFields(row: readonly unknown[], fields: readonly FieldSpec[], filename: string): void {
  const missing = fields.filter((field, i) => field.required && row[i] === null).map((field) => field.name);
  if (missing.length > 0) {
    throw new PermanentError(
      `The local extractor found no value for required field${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in ${filename}`,
      'required_field_missing',
    );
  }
}
