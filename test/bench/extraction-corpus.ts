/**
 * The extraction benchmark's corpus: invoices in five languages and several layouts,
 * receipts, purchase orders, bank statements and key-value CSVs, each written with the
 * values a person reads on it (its ground truth). Deterministic for a seed, so two runs
 * of `npm run bench:extraction` score the same documents; written to a directory the
 * bench makes (never committed).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import type { FieldSpec } from '../../shared/extraction/types.js';
import { seededRandom } from '../support/seeded-random.js';

/** The fields every corpus document is read with. */
export const CORPUS_FIELDS: FieldSpec[] = [
  { name: 'document_number', type: 'text', description: 'Invoice, receipt, order or statement number', required: false },
  { name: 'document_date', type: 'date', description: 'Invoice, receipt, order or statement date', required: false },
  { name: 'total', type: 'currency', description: 'Total amount due, grand total or closing balance', required: false },
  { name: 'vendor', type: 'text', description: 'Vendor or supplier: the company the document is from', required: false },
  { name: 'line_items', type: 'list', description: 'Descriptions of the line items or transactions', required: false },
];

export type Truth = Record<string, string | number | string[] | null>;

export interface CorpusDocument {
  file: string;
  layout: string;
  mimeType: string;
  truth: Truth;
  /** Other answers also right for a single-value field (a truth CSV's further rows for it: "Roomio" or "Sundara Stays Private Limited"). */
  alternatives?: Record<string, Array<string | number | null>>;
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const int = (rng: Rng, low: number, high: number) => low + Math.floor(rng() * (high - low + 1));

const COMPANIES = {
  en: ['Acme Office Supplies Inc.', 'Northwind Traders Ltd', 'Bluebird Logistics LLC', 'Summit Print Co.', 'Harbor Tech Services Inc.'],
  de: ['Brightline GmbH', 'Müller & Söhne KG', 'Nordlicht Software AG', 'Bäckerei Schmidt GmbH', 'Rheinwerk Technik GmbH'],
  fr: ['Atelier Dubois SARL', 'Boulangerie Lefèvre', 'Solutions Numériques SAS', 'Transports Girard SA', 'Éditions Moreau'],
  nl: ['Van Dijk Installatie B.V.', 'De Vries Advies', 'Bakker Logistiek B.V.', 'Jansen Drukwerk', 'Smit & Zonen B.V.'],
  es: ['Distribuciones García S.L.', 'Talleres Martínez S.A.', 'Café Sol S.L.', 'Gráficas López', 'Servicios Ruiz S.L.'],
} as const;
type Language = keyof typeof COMPANIES;

const ITEMS = {
  en: ['Ergonomic office chair', 'Standing desk frame', 'Printer paper A4', 'Consulting hours', 'Cloud hosting plan', 'USB-C docking station', 'Wireless keyboard', 'Annual support contract'],
  de: ['Bürostuhl ergonomisch', 'Druckerpapier A4', 'Beratungsleistung', 'Wartungsvertrag', 'Etikettendrucker LX-200', 'Thermoetiketten 100x50 mm', 'Montagearbeiten'],
  fr: ['Chaise de bureau', 'Papier A4 ramette', 'Prestation de conseil', 'Maintenance annuelle', 'Câble réseau 5 m', 'Installation sur site'],
  nl: ['Bureaustoel', 'Printpapier A4', 'Adviesuren', 'Onderhoudscontract', 'Netwerkkabel 5 m', 'Installatiewerk'],
  es: ['Silla de oficina', 'Papel A4 paquete', 'Horas de consultoría', 'Contrato de mantenimiento', 'Cable de red 5 m', 'Instalación'],
} as const;

const BANKS = ['First Harbor Bank', 'Sparkasse Rheinland', 'Banque du Midi', 'Noordbank N.V.', 'Banco Meridional'];
const TRANSACTIONS = ['Card payment Tesco', 'Salary ACME Inc', 'Direct debit Vodafone', 'Transfer to savings', 'ATM withdrawal', 'Rent payment', 'Card payment Amazon', 'Interest'];

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface Money {
  value: number;
  text: string;
}

/** Amounts and dates written the way each language writes them. */
function amount(value: number, language: Language | 'en-plain'): string {
  const [whole, cents] = value.toFixed(2).split('.') as [string, string];
  const group = (mark: string) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, mark);
  switch (language) {
    case 'en':
      return `$${group(',')}.${cents}`;
    case 'en-plain':
      return `${group(',')}.${cents}`;
    case 'de':
      return `${group('.')},${cents} €`;
    case 'fr':
      return `${group(' ')},${cents} €`;
    case 'nl':
      return `€ ${group('.')},${cents}`;
    case 'es':
      return `${group('.')},${cents} €`;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

function dateText(iso: string, style: 'us' | 'long' | 'dotted' | 'slash-dmy' | 'dash-dmy' | 'iso'): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  switch (style) {
    case 'us':
      return `${pad(m)}/${pad(d)}/${y}`;
    case 'long':
      return `${MONTHS_EN[m - 1]} ${d}, ${y}`;
    case 'dotted':
      return `${pad(d)}.${pad(m)}.${y}`;
    case 'slash-dmy':
      return `${pad(d)}/${pad(m)}/${y}`;
    case 'dash-dmy':
      return `${pad(d)}-${pad(m)}-${y}`;
    case 'iso':
      return iso;
  }
}

/** One line of a page: text at x, or cells at column positions. */
interface Line {
  text?: string;
  x?: number;
  cells?: Array<[number, string]>;
  size?: number;
  bold?: boolean;
  gap?: number;
}

interface Drawn {
  lines: Line[];
}

async function renderPdf(drawn: Drawn): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const fixed = new Date('2025-06-30T12:00:00Z');
  pdf.setCreationDate(fixed);
  pdf.setModificationDate(fixed);
  pdf.setProducer('bytereview bench');
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = pdf.addPage([595, 842]);
  let y = 790;
  const draw = (text: string, x: number, size: number, font: PDFFont) => page.drawText(text, { x, y, size, font });
  for (const line of drawn.lines) {
    const size = line.size ?? 10;
    y -= (line.gap ?? 0) + size + 4;
    if (y < 50) {
      page = pdf.addPage([595, 842]);
      y = 790;
    }
    const font = line.bold ? bold : regular;
    if (line.text !== undefined) draw(line.text, line.x ?? 50, size, font);
    for (const [x, text] of line.cells ?? []) draw(text, x, size, font);
  }
  return pdf.save({ useObjectStreams: false });
}

interface Invoice {
  language: Language;
  number: string;
  date: string;
  dueDate: string;
  vendor: string;
  customer: string;
  items: Array<{ description: string; quantity: number; price: number }>;
  net: number;
  tax: number;
  total: number;
  domain: string;
  vatId: string;
}

function makeInvoice(rng: Rng, language: Language, prefix: string): Invoice {
  const vendor = pick(rng, COMPANIES[language]);
  const customer = pick(rng, COMPANIES[pick(rng, ['en', 'de', 'fr', 'nl', 'es'] as const)].filter((c) => c !== vendor));
  const count = int(rng, 1, 6);
  const pool = [...ITEMS[language]];
  const items = Array.from({ length: count }, () => {
    const description = pool.splice(Math.floor(rng() * pool.length), 1)[0] ?? `Item ${int(rng, 1, 99)}`;
    return { description, quantity: int(rng, 1, 12), price: int(rng, 150, 250000) / 100 };
  });
  const net = Math.round(items.reduce((sum, item) => sum + item.quantity * item.price, 0) * 100) / 100;
  const rate = { en: 0.085, de: 0.19, fr: 0.2, nl: 0.21, es: 0.21 }[language];
  const tax = Math.round(net * rate * 100) / 100;
  const day = int(rng, 0, 364);
  const date = new Date(Date.UTC(2025, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
  const dueDate = new Date(Date.UTC(2025, 0, 1) + (day + 30) * 86_400_000).toISOString().slice(0, 10);
  const slug = vendor.toLowerCase().normalize('NFD').replace(/[^a-z]+/g, '').slice(0, 14);
  const tld = { en: 'com', de: 'de', fr: 'fr', nl: 'nl', es: 'es' }[language];
  return {
    language,
    number: `${prefix}${int(rng, 2024, 2025)}-${String(int(rng, 1, 99999)).padStart(5, '0')}`,
    date,
    dueDate,
    vendor,
    customer,
    items,
    net,
    tax,
    total: Math.round((net + tax) * 100) / 100,
    domain: `${slug}.${tld}`,
    vatId: `${{ en: 'GB', de: 'DE', fr: 'FR', nl: 'NL', es: 'ES' }[language]}${int(rng, 100000000, 999999999)}`,
  };
}

function invoiceTruth(invoice: Invoice): Truth {
  return {
    document_number: invoice.number,
    document_date: invoice.date,
    total: invoice.total,
    vendor: invoice.vendor,
    line_items: invoice.items.map((item) => item.description),
  };
}

/** Labels each invoice language prints; each document picks one of each kind's spellings. */
const WORDS = {
  en: { title: 'INVOICE', number: ['Invoice No:', 'Invoice #', 'Invoice Number', 'Inv. No.', 'Invoice ID:'], date: ['Invoice Date:', 'Date:', 'Date of issue', 'Issued:'], due: 'Due Date:', billTo: 'Bill To:', item: 'Description', qty: 'Qty', price: 'Unit Price', amount: 'Amount', net: 'Subtotal:', tax: 'Sales Tax:', total: ['Total Due:', 'Amount Due', 'Grand Total', 'Balance Due:', 'TOTAL'], dateStyle: ['long', 'us', 'iso'] },
  de: { title: 'RECHNUNG', number: ['Rechnungsnummer:', 'Rechnungs-Nr.:', 'Rechnung Nr.', 'Beleg-Nr.:'], date: ['Rechnungsdatum:', 'Datum:', 'Belegdatum:'], due: 'Fällig am:', billTo: 'Rechnungsempfänger:', item: 'Bezeichnung', qty: 'Menge', price: 'Einzelpreis', amount: 'Betrag', net: 'Nettobetrag:', tax: 'MwSt. 19%:', total: ['Gesamtbetrag:', 'Rechnungsbetrag:', 'Summe brutto:', 'Zu zahlen:'], dateStyle: ['dotted'] },
  fr: { title: 'FACTURE', number: ['Facture n°', 'N° de facture :', 'Numéro de facture :'], date: ['Date de facturation :', 'Date :', "Date d'émission :"], due: "Date d'échéance :", billTo: 'Client :', item: 'Désignation', qty: 'Qté', price: 'Prix unitaire', amount: 'Montant', net: 'Total HT :', tax: 'TVA 20 % :', total: ['Total TTC :', 'Net à payer :', 'Montant TTC :'], dateStyle: ['slash-dmy'] },
  nl: { title: 'FACTUUR', number: ['Factuurnummer:', 'Factuurnr.:', 'Nummer:'], date: ['Factuurdatum:', 'Datum:'], due: 'Vervaldatum:', billTo: 'Factuur aan:', item: 'Omschrijving', qty: 'Aantal', price: 'Prijs', amount: 'Bedrag', net: 'Subtotaal:', tax: 'BTW 21%:', total: ['Totaal te betalen:', 'Totaal:', 'Te betalen:'], dateStyle: ['dash-dmy'] },
  es: { title: 'FACTURA', number: ['Factura nº:', 'Nº de factura:', 'Número de factura:', 'Factura núm.:'], date: ['Fecha de factura:', 'Fecha:', 'Fecha de emisión:'], due: 'Vencimiento:', billTo: 'Cliente:', item: 'Descripción', qty: 'Cant.', price: 'Precio', amount: 'Importe', net: 'Base imponible:', tax: 'IVA 21%:', total: ['Total factura:', 'Total a pagar:', 'Importe total:'], dateStyle: ['slash-dmy'] },
} as const;

function itemTable(invoice: Invoice, words: { item: string; qty: string; price: string; amount: string }, money: (v: number) => string): Line[] {
  return [
    { cells: [[50, words.item], [300, words.qty], [370, words.price], [470, words.amount]], bold: true, gap: 14 },
    ...invoice.items.map((item): Line => ({
      cells: [[50, item.description], [300, String(item.quantity)], [370, money(item.price)], [470, money(Math.round(item.quantity * item.price * 100) / 100)]],
    })),
  ];
}

/**
 * Issuer block at the top, labels with their values to the right (or, on some documents,
 * each label above its value), a table, totals.
 */
function classicInvoice(invoice: Invoice, rng: Rng): Drawn {
  const words = WORDS[invoice.language];
  const money = (v: number) => amount(v, invoice.language);
  const style = pick(rng, words.dateStyle);
  const date = (iso: string) => dateText(iso, style);
  const stacked = rng() < 0.3;
  const field = (label: string, value: string, gap = 0): Line[] =>
    stacked ? [{ text: label, gap }, { text: value }] : [{ cells: [[50, label], [200, value]], gap }];
  return {
    lines: [
      { text: invoice.vendor, size: 16, bold: true },
      { text: `${int(rng, 1, 200)} Main Street · info@${invoice.domain} · www.${invoice.domain}`, size: 8 },
      { text: `VAT ${invoice.vatId}`, size: 8 },
      { text: words.title, size: 14, bold: true, gap: 16 },
      ...field(pick(rng, words.number), invoice.number, 8),
      ...field(pick(rng, words.date), date(invoice.date)),
      ...field(words.due, date(invoice.dueDate)),
      { text: words.billTo, gap: 10 },
      { text: invoice.customer },
      ...itemTable(invoice, words, money),
      { cells: [[370, words.net], [470, money(invoice.net)]], gap: 12 },
      { cells: [[370, words.tax], [470, money(invoice.tax)]] },
      { cells: [[370, pick(rng, words.total)], [470, money(invoice.total)]], bold: true },
    ],
  };
}

/** English, the header fields in a grid: labels in one row, their values in the row below. */
function gridInvoice(invoice: Invoice): Drawn {
  const money = (v: number) => amount(v, 'en');
  return {
    lines: [
      { cells: [[50, invoice.vendor], [420, 'INVOICE']], size: 14, bold: true },
      { text: `Questions? billing@${invoice.domain}`, size: 8 },
      { cells: [[50, 'Invoice Number'], [200, 'Invoice Date'], [330, 'Due Date'], [450, 'Amount Due']], bold: true, gap: 16 },
      { cells: [[50, invoice.number], [200, dateText(invoice.date, 'us')], [330, dateText(invoice.dueDate, 'us')], [450, money(invoice.total)]] },
      { text: 'Please pay the amount due at the time of check-out.', size: 8, gap: 6 },
      ...itemTable(invoice, WORDS.en, money),
      { cells: [[370, 'Subtotal'], [470, money(invoice.net)]], gap: 12 },
      { cells: [[370, 'Tax'], [470, money(invoice.tax)]] },
      { cells: [[370, 'Total'], [470, money(invoice.total)]], bold: true },
    ],
  };
}

function receipt(rng: Rng): { drawn: Drawn; truth: Truth } {
  const store = pick(rng, ['Harbor Bean Cafe', 'Corner Grocery Market', 'City Hardware Store', 'Green Leaf Pharmacy', 'Metro Books']);
  const products = ['Oat milk latte', 'Blueberry muffin', 'Bananas 1kg', 'Screws M4 (100)', 'Paperback novel', 'Sparkling water', 'Notebook A5', 'Batteries AA'];
  const items = Array.from({ length: int(rng, 1, 5) }, (_, i) => ({ description: products[(i * 3 + int(rng, 0, 7)) % products.length]!, price: int(rng, 99, 2999) / 100 }));
  const unique = items.filter((item, i) => items.findIndex((other) => other.description === item.description) === i);
  const total = Math.round(unique.reduce((sum, item) => sum + item.price, 0) * 100) / 100;
  const date = new Date(Date.UTC(2025, 0, 1) + int(rng, 0, 364) * 86_400_000).toISOString().slice(0, 10);
  const number = `R-${String(int(rng, 1, 999999)).padStart(6, '0')}`;
  return {
    drawn: {
      lines: [
        { text: store.toUpperCase(), size: 14, bold: true, x: 60 },
        { text: `${int(rng, 1, 99)} Harbor Way · Tel 555-0${int(rng, 100, 199)}`, size: 8, x: 60 },
        { cells: [[60, `Receipt # ${number}`], [260, `${dateText(date, 'iso')} ${pad(int(rng, 7, 20))}:${pad(int(rng, 0, 59))}`]], gap: 10 },
        ...unique.map((item): Line => ({ cells: [[60, item.description], [300, amount(item.price, 'en-plain')]] })),
        { cells: [[60, 'TOTAL'], [300, amount(total, 'en-plain')]], bold: true, gap: 6 },
        { cells: [[60, 'VISA ****' + int(rng, 1000, 9999)], [300, amount(total, 'en-plain')]] },
        { text: 'Prices include VAT at the time of check-out.', size: 8, x: 60, gap: 8 },
        { text: 'Thank you for shopping with us!', size: 8, x: 60 },
      ],
    },
    truth: { document_number: number, document_date: date, total, vendor: store.toUpperCase(), line_items: unique.map((item) => item.description) },
  };
}

function purchaseOrder(rng: Rng): { drawn: Drawn; truth: Truth } {
  const invoice = makeInvoice(rng, 'en', 'PO-');
  const money = (v: number) => amount(v, 'en-plain');
  return {
    drawn: {
      lines: [
        { text: invoice.vendor, size: 15, bold: true },
        { text: `purchasing@${invoice.domain}`, size: 8 },
        { text: 'PURCHASE ORDER', size: 13, bold: true, gap: 14 },
        { cells: [[50, 'PO Number'], [200, invoice.number]], gap: 8 },
        { cells: [[50, 'Order Date'], [200, dateText(invoice.date, 'long')]] },
        { cells: [[50, 'Supplier'], [200, invoice.customer]] },
        { cells: [[50, 'Deliver by'], [200, dateText(invoice.dueDate, 'long')]] },
        ...itemTable(invoice, { ...WORDS.en, item: 'Item' }, money),
        { cells: [[370, 'Order Total (USD)'], [470, money(invoice.total)]], bold: true, gap: 12 },
      ],
    },
    // A purchase order's vendor is its supplier, not the buyer who issues it.
    truth: { ...invoiceTruth(invoice), vendor: invoice.customer },
  };
}

function bankStatement(rng: Rng): { drawn: Drawn; truth: Truth } {
  const bank = pick(rng, BANKS);
  const number = `ST-${int(rng, 2025, 2025)}-${pad(int(rng, 1, 12))}-${int(rng, 1000, 9999)}`;
  const date = new Date(Date.UTC(2025, 0, 1) + int(rng, 0, 364) * 86_400_000).toISOString().slice(0, 10);
  let balance = int(rng, 10000, 900000) / 100;
  const opening = balance;
  const rows = Array.from({ length: int(rng, 3, 9) }, (_, i) => {
    const description = `${TRANSACTIONS[(i + int(rng, 0, 7)) % TRANSACTIONS.length]} ${int(rng, 100, 999)}`;
    const change = (rng() < 0.3 ? 1 : -1) * (int(rng, 100, 150000) / 100);
    balance = Math.round((balance + change) * 100) / 100;
    return { description, change, balance };
  });
  return {
    drawn: {
      lines: [
        { text: bank, size: 15, bold: true },
        { text: 'STATEMENT OF ACCOUNT', size: 12, bold: true, gap: 12 },
        { cells: [[50, 'Statement number:'], [200, number]], gap: 6 },
        { cells: [[50, 'Statement date:'], [200, dateText(date, 'long')]] },
        { cells: [[50, 'Opening balance:'], [200, amount(opening, 'en-plain')]] },
        { cells: [[50, 'Date'], [120, 'Transaction'], [370, 'Amount'], [470, 'Balance']], bold: true, gap: 12 },
        ...rows.map((row): Line => ({ cells: [[50, dateText(date, 'iso')], [120, row.description], [370, amount(row.change, 'en-plain').replace('$', '')], [470, amount(row.balance, 'en-plain')]] })),
        { cells: [[50, 'Closing balance:'], [200, amount(balance, 'en-plain')]], bold: true, gap: 12 },
      ],
    },
    truth: { document_number: number, document_date: date, total: balance, vendor: bank, line_items: rows.map((row) => row.description) },
  };
}

function keyValueCsv(rng: Rng): { text: string; truth: Truth } {
  const invoice = makeInvoice(rng, pick(rng, ['en', 'de'] as const), 'CSV-');
  const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const rows = [
    ['Vendor', invoice.vendor],
    ['Invoice number', invoice.number],
    ['Invoice date', invoice.date],
    ['Total', invoice.total.toFixed(2)],
    ['Line items', ...invoice.items.map((item) => item.description)],
  ];
  return { text: rows.map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n', truth: invoiceTruth(invoice) };
}

export const LAYOUTS = [
  'invoice-en', 'invoice-de', 'invoice-fr', 'invoice-nl', 'invoice-es', 'invoice-grid-en',
  'receipt', 'purchase-order', 'bank-statement', 'csv-key-value',
] as const;

/**
 * Writes `count` documents (spread evenly over the layouts) into `dir` and returns each
 * with its ground truth. The same seed and count give the same documents.
 */
export async function writeCorpus(dir: string, { seed = 14, count = 240 } = {}): Promise<CorpusDocument[]> {
  await mkdir(dir, { recursive: true });
  const documents: CorpusDocument[] = [];
  for (let i = 0; i < count; i++) {
    const layout = LAYOUTS[i % LAYOUTS.length]!;
    const rng = seededRandom(seed * 100_003 + i);
    const base = `${String(i).padStart(4, '0')}-${layout}`;
    let bytes: Uint8Array | string;
    let truth: Truth;
    let mimeType = 'application/pdf';
    let file = `${base}.pdf`;
    if (layout === 'csv-key-value') {
      ({ text: bytes, truth } = keyValueCsv(rng));
      mimeType = 'text/csv';
      file = `${base}.csv`;
    } else if (layout === 'receipt' || layout === 'purchase-order' || layout === 'bank-statement') {
      const made = { receipt, 'purchase-order': purchaseOrder, 'bank-statement': bankStatement }[layout](rng);
      bytes = await renderPdf(made.drawn);
      truth = made.truth;
    } else {
      const language = layout === 'invoice-grid-en' ? 'en' : (layout.slice(-2) as Language);
      const invoice = makeInvoice(rng, language, { en: 'INV-', de: 'RE-', fr: 'F', nl: 'F-', es: 'A/' }[language]);
      bytes = await renderPdf(layout === 'invoice-grid-en' ? gridInvoice(invoice) : classicInvoice(invoice, rng));
      truth = invoiceTruth(invoice);
    }
    await writeFile(path.join(dir, file), bytes);
    documents.push({ file, layout, mimeType, truth });
  }
  return documents;
}

/** Scanning resolution of the scanned variants: a common office-scanner setting. */
const SCAN_DPI = 200;

/**
 * Scanned variants (issue 14, OCR): the first `perLayout` PDFs of each layout printed and
 * scanned, as it were: each page rendered at 200 dpi (pdf.js onto `@napi-rs/canvas`),
 * JPEG-compressed, and embedded as the only content of a page of a new PDF, without a text
 * layer. Each keeps its original's truth, in layout `scanned-<layout>`, so the bench reports
 * OCR accuracy per layout beside the text layer's.
 */
export async function writeScannedVariants(dir: string, documents: readonly CorpusDocument[], perLayout: number): Promise<CorpusDocument[]> {
  const { readFile } = await import('node:fs/promises');
  const { getDocumentProxy, renderPageAsImage } = await import('unpdf');
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  const taken = new Map<string, number>();
  const scanned: CorpusDocument[] = [];
  for (const document of documents) {
    if (document.mimeType !== 'application/pdf' || (taken.get(document.layout) ?? 0) >= perLayout) continue;
    taken.set(document.layout, (taken.get(document.layout) ?? 0) + 1);
    const source = await getDocumentProxy(new Uint8Array(await readFile(path.join(dir, document.file))), { verbosity: 0 });
    const out = await PDFDocument.create();
    out.setCreationDate(new Date('2025-06-30T12:00:00Z'));
    for (let number = 1; number <= source.numPages; number++) {
      const png = await renderPageAsImage(source, number, { canvasImport: () => import('@napi-rs/canvas'), scale: SCAN_DPI / 72 });
      const image = await loadImage(Buffer.from(png));
      const canvas = createCanvas(image.width, image.height);
      const context = canvas.getContext('2d');
      context.fillStyle = 'white';
      context.fillRect(0, 0, image.width, image.height);
      context.drawImage(image, 0, 0);
      const jpeg = await out.embedJpg(canvas.toBuffer('image/jpeg', 80));
      const width = (image.width * 72) / SCAN_DPI;
      const height = (image.height * 72) / SCAN_DPI;
      out.addPage([width, height]).drawImage(jpeg, { x: 0, y: 0, width, height });
    }
    await source.destroy();
    const file = `scanned-${document.file}`;
    await writeFile(path.join(dir, file), await out.save());
    scanned.push({ ...document, file, layout: `scanned-${document.layout}` });
  }
  return scanned;
}
