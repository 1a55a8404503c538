import { coerceCell, type CoerceOptions } from './cells.js';
import type { Cell } from './pdf-layout.js';

/**
 * Line items read off a document's layout (issue 14): the local extractor's answer to a
 * `list` field of items and to records (one row per item: description, quantity, unit
 * price, VAT rate, amount). Two kinds of layout:
 *
 * - an item table: a header row whose cells name the columns ("Description | Qty | Unit
 *   price | VAT | Amount", in English, German, French, Dutch and Spanish; two names
 *   printed in one cell are split), each column placed by its header cell's x position;
 *   each following line with a description and an amount in those columns is an item. A
 *   description that wraps (the next line continues it because the word did not fit
 *   before the next column) is joined; other lines under an item (a period, a serial
 *   number) are not part of it. Sub-total, VAT and total lines end the table and are never
 *   items; a "carried forward" line is skipped; at a page break the table goes on with the
 *   next page's rows (its header repeated or not), a page's footer and heading skipped;
 * - a receipt without a header: the run of "description ... amount" lines just above its
 *   first total line, a "2 x" before a description or a "2 x 8,95" line under it giving the
 *   quantity (else one), kept only when their amounts add up to a total or sub-total the
 *   receipt prints.
 *
 * Precision first: a line that is not clearly an item (a total, a tax line, an address
 * line, a footer) is left out, and a value whose column is not found is null. On a scan,
 * OCR's specks are no cells, a description that starts right of the others (its first
 * words lost) and a quantity, unit price and amount that do not multiply out are marked
 * unsure, and the caller (local.ts) answers null for them as for any value OCR was unsure of.
 */

export type ColumnRole = 'position' | 'code' | 'description' | 'quantity' | 'unit' | 'unit_price' | 'discount' | 'vat' | 'amount' | 'other';

/** A value of one item, with the cell (or cells) it was read from and its line. */
export interface ItemValue<T> {
  value: T;
  text: string;
  line: number;
  cells: readonly Cell[];
  /** Read by OCR but likely cut: a description starting right of where the others start (its first words lost). */
  unsure?: boolean;
}

export interface LineItem {
  description: ItemValue<string>;
  quantity: ItemValue<number> | null;
  unitPrice: ItemValue<number> | null;
  vat: ItemValue<number> | null;
  amount: ItemValue<number> | null;
  code: ItemValue<string> | null;
}

interface Column {
  role: ColumnRole;
  x: number;
  right: number;
  text: string;
  /** Strong description words ("Description", "Bezeichnung") beat weak ones ("Item", "Artikel"). */
  strong?: boolean;
}

/** Every line item of the document: an item table's rows, else a receipt's item lines; empty when there is neither. */
export function readLineItems(lines: readonly Cell[][], pages: readonly number[] | undefined, coerce: CoerceOptions): LineItem[] {
  const grid = lines.map((line) => line.filter((cell) => !isSpeck(cell)));
  const table = tableItems(grid, pages, coerce);
  if (table.found) return table.items;
  return receiptItems(grid, coerce);
}

/** OCR's specks: a cell of punctuation only (":", "|", "="), or a lone letter read off a scan's noise. */
function isSpeck(cell: Cell): boolean {
  if (!/[\p{L}\p{N}]/u.test(cell.text)) return true;
  return cell.words !== undefined && /^\p{L}\W?$/u.test(cell.text.trim());
}

// ---------------------------------------------------------------------------------------
// Header cells: which column each names.

/** Lower case, notes in parentheses, currencies and "incl./excl. VAT" qualifiers dropped. */
function headerWords(text: string): string[] {
  // Accents dropped on both sides: "Descripcion", and OCR's "Descripciôn", are "Descripción".
  const lower = plain(text)
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\b(?:incl|inkl|excl|exkl|zzgl|einschl|including|excluding|inclusief|exclusief|ohne|hors|sin|zonder|con)\b\.?\s*(?:btw|vat|tax|ust|mwst|tva|iva|taxes)?\.?/g, ' ')
    .replace(/[€$£]|\b(?:eur|usd|gbp|chf)\b/g, ' ')
    .replace(/%/g, ' % ')
    .replace(/[.:;|"'“”„«»‘’*]/g, ' ');
  return lower.split(/[\s/\-–]+/).filter((word) => word !== '');
}

function plain(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const ROLE_WORDS: Array<{ role: ColumnRole; heads: readonly string[]; modifiers: readonly string[]; strong?: readonly string[] }> = [
  { role: 'position', heads: ['pos', 'position', 'nr', 'no', 'n°', 'nº', '#', 'lfd', 'line', 'regel', 'ligne', 'línea'], modifiers: ['nr', 'no', '#'] },
  {
    role: 'quantity',
    heads: [
      'qty', 'quantity', 'quantities', 'quant', 'menge', 'anzahl', 'anz', 'stück', 'stk', 'stückzahl', 'qté', 'qte', 'quantité', 'quantite', 'nombre', 'nbre', 'nb',
      'aantal', 'hoeveelheid', 'cantidad', 'cant', 'uds', 'unidades', 'hours', 'hrs', 'std', 'stunden', 'uren', 'heures', 'horas', 'verbruik', 'verbrauch',
      'consommation', 'consumo', 'usage', 'consumption', 'units', 'pcs', 'stuks', 'days', 'tage', 'jours', 'dagen', 'días',
    ],
    modifiers: ['h', 'kwh', 'm³', 'of'],
  },
  { role: 'unit', heads: ['einheit', 'einh', 'me', 'unit', 'unité', 'unite', 'eenheid', 'unidad', 'uom', 'ud'], modifiers: [] },
  {
    role: 'unit_price',
    heads: ['price', 'preis', 'prijs', 'prix', 'precio', 'cost', 'rate', 'tarief', 'tarif', 'satz', 'pu', 'ep', 'einzelpreis', 'stückpreis', 'stukprijs', 'eenheidsprijs', 'tarifa'],
    modifiers: [
      'unit', 'unitaire', 'unitario', 'unit', 'einzel', 'per', 'pro', 'par', 'por', 'stuk', 'stück', 'eenheid', 'unité', 'unidad', 'each', 'vk', 'ek', 'list', 'net', 'netto',
      'brutto', 'gross', 'ht', 'ttc', 'mois', 'month', 'monat', 'maand', 'mes', 'hour', 'stunde', 'uur', 'heure', 'hora', 'h', 'jour', 'day', 'tag', 'dag', 'día', 'item', 'de', 'u',
    ],
  },
  {
    role: 'vat',
    heads: ['vat', 'tax', 'taxes', 'mwst', 'ust', 'tva', 'btw', 'iva', 'gst', 'steuer', 'impuesto', 'igic'],
    modifiers: ['%', 'rate', 'tarief', 'satz', 'taux', 'tipo', 'code', 'percent', 'de', 'sales', 'tax', 'mw', 'st'],
  },
  { role: 'discount', heads: ['rabatt', 'discount', 'disc', 'remise', 'korting', 'descuento', 'dto', 'nachlass'], modifiers: ['%'] },
  {
    role: 'amount',
    heads: [
      'amount', 'total', 'betrag', 'gesamt', 'gesamtpreis', 'gesamtbetrag', 'summe', 'zeilenbetrag', 'nettobetrag', 'bruttobetrag', 'zwischensumme', 'montant', 'bedrag',
      'totaal', 'importe', 'subtotal', 'subtotaal', 'sous', 'value', 'valor', 'wert', 'totale', 'regelbedrag', 'regeltotaal',
    ],
    modifiers: ['line', 'item', 'net', 'netto', 'brutto', 'gross', 'ht', 'ttc', 'zeilen', 'position', 'total', 'sub', 'de', 'la', 'línea', 'ligne', 'regel'],
  },
  // Columns that are no item value but name a column all the same: a date, a period, a running balance.
  { role: 'other', heads: ['date', 'datum', 'fecha', 'valuta', 'buchungsdatum', 'balance', 'saldo', 'solde', 'kontostand', 'period', 'periode', 'période', 'periodo', 'zeitraum'], modifiers: ['value', 'booking'] },
  {
    role: 'code',
    heads: ['code', 'sku', 'ref', 'réf', 'référence', 'reference', 'referencia', 'artikelnummer', 'artikelnr', 'artnr', 'art', 'ean', 'codigo', 'código', 'partnumber', 'part', 'artikelcode'],
    modifiers: ['nr', 'no', 'number', '#', 'item', 'product', 'article', 'artikel', 'n°', 'produit', 'producto', 'de'],
  },
  {
    role: 'description',
    heads: [
      'description', 'beschreibung', 'bezeichnung', 'artikelbezeichnung', 'leistung', 'leistungen', 'leistungsbeschreibung', 'désignation', 'designation', 'libellé', 'libelle',
      'omschrijving', 'beschrijving', 'descripción', 'descripcion', 'concepto', 'title', 'titel', 'particulars', 'details', 'detail', 'détail', 'item', 'items', 'product', 'products', 'produkt',
      'produit', 'producto', 'article', 'articles', 'artikel', 'artículo', 'articulo', 'service', 'services', 'dienst', 'diensten', 'servicio', 'prestation', 'prestations',
      'transaction', 'transactions', 'buchungstext', 'verwendungszweck', 'opération', 'transactie', 'movimiento',
    ],
    modifiers: ['of', 'de', 'du', 'des', 'the', 'product', 'item', 'service', 'article', 'goods', 'waren', 'artikel', 'name'],
    strong: [
      'description', 'beschreibung', 'bezeichnung', 'artikelbezeichnung', 'leistungsbeschreibung', 'désignation', 'designation', 'libellé', 'libelle', 'omschrijving',
      'beschrijving', 'descripción', 'descripcion', 'concepto', 'title', 'titel', 'particulars', 'leistung',
    ],
  },
];

/** The role a header text names, when all its words are that role's words (one of them a head word). */
const PLAIN_ROLE_WORDS = ROLE_WORDS.map(({ role, heads, modifiers, strong }) => ({ role, heads: heads.map(plain), modifiers: modifiers.map(plain), strong: strong?.map(plain) }));

function roleOf(text: string): { role: ColumnRole; strong: boolean } | null {
  const words = headerWords(text);
  if (words.length === 0 || /\d/.test(text.replace(/\([^)]*\)/g, ''))) return null;
  for (const { role, heads, modifiers, strong } of PLAIN_ROLE_WORDS) {
    if (!words.some((word) => heads.includes(word))) continue;
    if (words.every((word) => heads.includes(word) || modifiers.includes(word))) return { role, strong: words.some((word) => strong?.includes(word) ?? false) };
  }
  return null;
}

/** A header cell as one column, or as two or three when it prints several names ("BTW Hoeveelheid"); null when it names none. */
function headerColumns(cell: Cell): Column[] | null {
  const whole = roleOf(cell.text);
  if (whole) return [{ role: whole.role, strong: whole.strong, x: cell.x, right: cell.right, text: cell.text }];
  const words = [...cell.text.matchAll(/\S+/g)].map((match) => ({ text: match[0], start: match.index }));
  if (words.length < 2 || words.length > 8) return null;
  const perChar = (cell.right - cell.x) / Math.max(1, cell.text.length);
  const part = (from: number, to: number): Column | null => {
    const start = words[from]!.start;
    const end = words[to - 1]!.start + words[to - 1]!.text.length;
    const text = cell.text.slice(start, end);
    const found = roleOf(text);
    return found ? { role: found.role, strong: found.strong, x: cell.x + start * perChar, right: cell.x + end * perChar, text } : null;
  };
  // The words from `from` on as consecutive names, the longest first name first.
  const split = (from: number): Column[] | null => {
    for (let to = words.length; to > from; to--) {
      if (from === 0 && to === words.length) continue;
      const first = part(from, to);
      if (!first) continue;
      if (to === words.length) return [first];
      const rest = split(to);
      if (rest) return [first, ...rest];
    }
    return null;
  };
  return split(0);
}

/**
 * The columns of a header row: two or more named cells, one of them the description and
 * one an amount, a unit price or a quantity, at most one cell naming nothing, no figures.
 */
function headerOf(line: readonly Cell[]): Column[] | null {
  if (line.length < 2) return null;
  const columns: Column[] = [];
  let unnamed = 0;
  for (const cell of line) {
    const named = headerColumns(cell);
    if (named) columns.push(...named);
    else {
      if (/\d/.test(cell.text.replace(/\([^)]*\)/g, '').replace(/%/g, ''))) return null;
      unnamed++;
      columns.push({ role: 'other', x: cell.x, right: cell.right, text: cell.text });
    }
  }
  if (unnamed > 1 || unnamed * 3 > columns.length) return null;
  // "Position | Menge | Preis | Betrag": without another description column, "Position" names the item.
  if (!columns.some((column) => column.role === 'description')) {
    const position = columns.find((column) => column.role === 'position' && /^position(?:en)?$/i.test(column.text.trim()));
    if (position) position.role = 'description';
  }
  const descriptions = columns.filter((column) => column.role === 'description');
  if (descriptions.length === 0) return null;
  // Two description-like columns ("Artikel | Omschrijving", "Product | Title"): the one a strong word names.
  if (descriptions.length > 1) {
    const strong = descriptions.filter((column) => column.strong);
    if (strong.length !== 1) return null;
    for (const column of descriptions) if (column !== strong[0]) column.role = column.text.toLowerCase().startsWith('art') ? 'code' : 'other';
  }
  const prices = columns.filter((column) => column.role === 'unit_price');
  // "Unit price | Price", "Prijs per stuk | Prijs incl. BTW": the rightmost price is the line's amount.
  if (!columns.some((column) => column.role === 'amount') && prices.length >= 2) prices.at(-1)!.role = 'amount';
  // A lone price beside no quantity is the line's price.
  if (!columns.some((column) => column.role === 'amount' || column.role === 'quantity') && prices.length === 1) prices[0]!.role = 'amount';
  // "Tax(%) | Tax": the rate is the one with a percent sign, the other the tax amount.
  const vats = columns.filter((column) => column.role === 'vat');
  if (vats.length > 1) {
    const rate = vats.find((column) => column.text.includes('%')) ?? vats[0]!;
    for (const column of vats) if (column !== rate) column.role = 'other';
  }
  // Two amounts ("Montant HT | Montant TTC"): the rightmost is the line's total; two unit prices or quantities: the first.
  for (const role of ['quantity', 'amount', 'unit_price'] as const) {
    const named = columns.filter((column) => column.role === role);
    const kept = role === 'amount' ? named.at(-1) : named[0];
    for (const column of named) if (column !== kept) column.role = 'other';
  }
  if (!columns.some((column) => column.role === 'amount' || column.role === 'unit_price')) return null;
  return columns;
}

// ---------------------------------------------------------------------------------------
// Lines that are not items.

/** Words of a totals line: a sub-total, a tax line, the total and what is due or paid. */
const TOTALS =
  /^(?:(?:invoice|order|factuur|rechnungs?|facture|factura|bestel|order)\s*)?(?:sub-?\s?total|subtotaal|sous-total|total|totaal|totale|summe|gesamt|gesamtbetrag|gesamtsumme|zwischensumme|nettobetrag|netto|bruttobetrag|brutto|rechnungsbetrag|endbetrag|endsumme|zahlbetrag|base|grand|net|amount|montant|importe|bedrag|betrag|balance|saldo|vat|tax|taxes|sales tax|mwst|mw\.?\s?st|ust|umsatzsteuer|mehrwertsteuer|tva|btw|iva|gst|hst|pst|igic|irpf|retenci[oó]n|zzgl|te betalen|à payer|a pagar|zu zahlen|net à payer|reste à payer|montant dû|amount due|balance due|paid|payé|bezahlt|betaald|pagado|rounding|rundung|arrondi|afronding|redondeo|discount|rabatt|remise|korting|descuento|shipping total)\b/i;
/** A line carrying the running total to or from the next page. */
const CARRIED = /^(?:carried forward|brought forward|carry forward|balance forward|übertrag|transport|report|à reporter|reporté|suma y sigue|suma anterior|transporte|overdracht|saldo vorige pagina|van vorige pagina|naar volgende pagina|a transportar)\b/i;

/** The text without what OCR reads off a scan's specks before it ("‘Carried forward"). */
const bare = (text: string) => text.replace(/^[^\p{L}\p{N}]+/u, '');

function isTotalsLabel(text: string): boolean {
  return TOTALS.test(bare(text));
}

/** A sub-total: a table may go on under it (a section's sub-total, then the next section's items). */
const SUBTOTAL = /^(?:sub-?\s?total|subtotaal|sous-total|zwischensumme|teilsumme|suma parcial|summe)\b/i;

/** A money amount somewhere on the line ("12,50", "$ 112.00", "0 €"). */
function hasMoney(line: readonly Cell[]): boolean {
  return line.some((cell) => /\d[.,]\d{2}(?!\d)/.test(cell.text) || (/\d/.test(cell.text) && CURRENCY_MARK.test(cell.text)));
}

/** A totals line: a cell that starts with a totals word (a total, a sub-total, a tax line), and an amount on the line. */
function totalsLine(line: readonly Cell[]): 'subtotal' | 'total' | null {
  const label = line.find((cell) => /\p{L}/u.test(cell.text) && isTotalsLabel(cell.text));
  if (!label || !hasMoney(line)) return null;
  return SUBTOTAL.test(bare(label.text)) ? 'subtotal' : 'total';
}

function isCarried(text: string): boolean {
  return CARRIED.test(bare(text));
}

// ---------------------------------------------------------------------------------------
// Values.

const CURRENCY_MARK = /[$€£¥₹]|\b(?:USD|EUR|GBP|CHF|CAD|AUD|JPY|INR|NZD|SEK|NOK|DKK|PLN|Rs)\b/i;

/** An amount as invoices print them: with cents, or with a currency mark ("0 €"); a date, a percentage or an id is none. */
function moneyOf(text: string, coerce: CoerceOptions): number | null {
  const trimmed = text.trim();
  if (!/\d[.,]\d{2}(?!\d)/.test(trimmed) && !CURRENCY_MARK.test(trimmed)) return null;
  if (/%/.test(trimmed) || /\d[./-]\d{1,2}[./-]\d{2,4}/.test(trimmed)) return null;
  const value = coerceCell('currency', trimmed, coerce);
  return typeof value === 'number' ? value : null;
}

/** A quantity, its unit after it if any ("2", "2,5", "1.00 kg", "1 PCS", "3 Std."). */
function quantityOf(text: string, coerce: CoerceOptions): number | null {
  const match = /^([-+]?\d[\d.,\s]*?)\s*(?:[a-zA-Zäöüéèàçñ.²³]{1,8})?\.?$/.exec(text.trim());
  if (!match) return null;
  const value = coerceCell('number', match[1]!, coerce);
  return typeof value === 'number' && Math.abs(value) < 1e7 ? value : null;
}

function rateOf(text: string, coerce: CoerceOptions): number | null {
  const match = /^(\d{1,2}(?:[.,]\d{1,2})?)\s*%?$/.exec(text.trim());
  if (!match) return null;
  const value = coerceCell('number', match[1]!, { ...coerce, decimal: match[1]!.includes(',') ? ',' : '.' });
  return typeof value === 'number' ? value : null;
}

// ---------------------------------------------------------------------------------------
// Item tables.

interface Placed {
  column: number;
  cell: Cell;
  text: string;
}

/** Which column each cell of a line is in (by overlap with the header cells, else the nearest within a few points); -1 for a cell in none. */
function placeCells(line: readonly Cell[], columns: readonly Column[]): Placed[] {
  const placed: Placed[] = [];
  for (const cell of line) {
    const overlapping = columns.map((column, i) => ({ i, overlap: Math.min(cell.right, column.right + 2) - Math.max(cell.x, column.x - 2) })).filter((entry) => entry.overlap > 0);
    // A cell over two or more columns whose words are figures ("0.00 15.00%"): each word in its own.
    if (overlapping.length >= 2 && columns[overlapping[0]!.i]!.role !== 'description') {
      const words = [...cell.text.matchAll(/\S+/g)];
      if (words.length >= 2 && words.every((word) => /\d/.test(word[0]))) {
        const perChar = (cell.right - cell.x) / Math.max(1, cell.text.length);
        for (const word of words) {
          const piece: Cell = { text: word[0], x: cell.x + word.index * perChar, right: cell.x + (word.index + word[0].length) * perChar };
          placed.push(...placeCells([piece], columns).map((entry) => ({ ...entry, cell })));
        }
        continue;
      }
    }
    if (overlapping.length > 0) {
      const best = overlapping.reduce((a, b) => (b.overlap > a.overlap ? b : a));
      placed.push({ column: best.i, cell, text: cell.text });
      continue;
    }
    const nearest = columns
      .map((column, i) => ({ i, gap: Math.max(column.x - cell.right, cell.x - column.right) }))
      .reduce((a, b) => (b.gap < a.gap ? b : a));
    if (nearest.gap <= 12 || /\d/.test(cell.text)) {
      placed.push({ column: nearest.gap <= 12 ? nearest.i : -1, cell, text: cell.text });
      continue;
    }
    // Text under no header cell (a header centred over its column): the column whose stretch of the line it starts in.
    placed.push({ column: territory(cell, columns), cell, text: cell.text });
  }
  return placed;
}

/**
 * The column whose stretch of the line holds the cell's left edge: each column reaches
 * halfway to its neighbours, the description up to the next column's header.
 */
function territory(cell: Cell, columns: readonly Column[]): number {
  const order = columns.map((column, i) => ({ column, i })).sort((a, b) => a.column.x - b.column.x);
  for (const [k, { column, i }] of order.entries()) {
    const next = order[k + 1]?.column;
    const end = !next ? Number.MAX_SAFE_INTEGER : column.role === 'description' ? next.x - 2 : (column.right + next.x) / 2;
    if (cell.x < end) return i;
  }
  return -1;
}

interface TableState {
  columns: Column[];
  /** The description column's index, and the amount's (or unit price's). */
  description: number;
  value: number;
}

function tableItems(grid: readonly Cell[][], pages: readonly number[] | undefined, coerce: CoerceOptions): { found: boolean; items: LineItem[] } {
  const items: LineItem[] = [];
  let found = false;
  let table: TableState | null = null;
  /** A table a sub-total interrupted: it goes on when an item row in its columns follows. */
  let suspended: TableState | null = null;
  /** Set at a page break inside a table: the page's footer and the next page's heading are skipped until a row fits. */
  let continuing = false;
  let last: { item: LineItem; descriptionCell: Cell; line: number } | null = null;
  const pageOf = (index: number) => pages?.[index] ?? 1;
  for (let index = 0; index < grid.length; index++) {
    const line = grid[index]!;
    if (line.length === 0) continue;
    const header = headerOf(line);
    if (header) {
      const description = header.findIndex((column) => column.role === 'description');
      const amount = header.findIndex((column) => column.role === 'amount');
      table = { columns: header, description, value: amount >= 0 ? amount : header.findIndex((column) => column.role === 'unit_price') };
      suspended = null;
      found = true;
      continuing = false;
      last = null;
      continue;
    }
    if (!table && suspended) {
      // After a sub-total: a section heading, then an item row in the same columns, resume the table.
      const held: TableState = suspended;
      if (totalsLine(line) === 'total') suspended = null;
      else if (totalsLine(line) === null) {
        const placed = placeCells(line, held.columns);
        const text = placed.every((entry) => entry.column === held.description) && !hasMoney(line);
        const row = placed.every((entry) => entry.column >= 0) && moneyOf(placed.filter((entry) => entry.column === held.value).map((entry) => entry.text).join(' '), coerce) !== null;
        if (row) {
          table = held;
          suspended = null;
        } else if (!text) suspended = null;
      }
    }
    if (!table) continue;
    if (index > 0 && pageOf(index) !== pageOf(index - 1)) continuing = true;
    const texts = line.map((cell) => cell.text);
    if (texts.some((text) => isCarried(text))) continue;
    const totals = totalsLine(line);
    if (totals) {
      // Under a sub-total the table may go on (the next section's items); under a total or a tax line it has ended.
      suspended = totals === 'subtotal' && !suspended ? table : null;
      table = null;
      last = null;
      continue;
    }
    const placed = placeCells(line, table.columns);
    const inColumn = (role: ColumnRole) => placed.filter((entry) => entry.column >= 0 && table!.columns[entry.column]!.role === role);
    const descriptionCells = nearby(placed.filter((entry) => entry.column === table!.description));
    for (const entry of placed) if (entry.column === table.description && !descriptionCells.includes(entry)) entry.column = -1;
    const descriptionText = descriptionCells.map((entry) => entry.text).join(' ').trim();
    const valueCells = placed.filter((entry) => entry.column === table!.value);
    const valueText = valueCells.map((entry) => entry.text).join(' ');
    const value = valueCells.length > 0 ? moneyOf(valueText, coerce) : null;
    const isRow = value !== null && /\p{L}/u.test(descriptionText) && !descriptionText.endsWith(':');
    if (!isRow) {
      // A line of text under an item's description continues it when its first word did not fit on the line above.
      if (!continuing && last && placed.every((entry) => entry.column === table!.description) && descriptionCells.length > 0 && last.line === index - 1) {
        if (wraps(last.descriptionCell, descriptionCells[0]!.cell, table)) {
          const description = last.item.description;
          last.item.description = { ...description, value: `${description.value} ${descriptionText}`, text: `${description.text} ${descriptionText}`, cells: [...description.cells, ...descriptionCells.map((entry) => entry.cell)] };
          last.line = index;
          last.descriptionCell = descriptionCells.at(-1)!.cell;
          continue;
        }
      }
      // A line under it that reads on from it though the word would have fitted ("Class" | "10 48 MB/s
      // Memory Card", a lower-case word): the description may go on there or not, so it is unsure.
      // Detail lines (a period, a "Label: value", a capitalised note) leave it as it is.
      if (!continuing && last && last.line === index - 1 && descriptionCells.length > 0 && !hasMoney(line) && readsOn(descriptionText)) {
        last.item.description = { ...last.item.description, unsure: true };
      }
      // A stray figure outside every column, or a sentence over several columns, ends the table (not at a page break: the footer and heading are skipped).
      const stray = placed.some((entry) => entry.column < 0 && /\d/.test(entry.text));
      const sentence = line.some((cell) => placeCells([cell], table!.columns).length === 1 && spans(cell, table!.columns) >= 3);
      if (!continuing && (stray || sentence)) {
        table = null;
        last = null;
      }
      continue;
    }
    // On a new page without a header, a row must fill what the table's rows fill.
    if (continuing && (placed.some((entry) => entry.column < 0) || (items.length > 0 && !sameShape(placed, table, items.at(-1)!)))) continue;
    continuing = false;
    const read = <T>(role: ColumnRole, parse: (text: string) => T | null): ItemValue<T> | null => {
      const entries = inColumn(role);
      if (entries.length === 0) return null;
      const text = entries.map((entry) => entry.text).join(' ');
      const parsed = parse(text);
      return parsed === null ? null : { value: parsed, text, line: index, cells: entries.map((entry) => entry.cell) };
    };
    const item: LineItem = {
      description: { value: descriptionText, text: descriptionText, line: index, cells: descriptionCells.map((entry) => entry.cell) },
      quantity: read('quantity', (text) => quantityOf(text, coerce)),
      unitPrice: read('unit_price', (text) => moneyOf(text, coerce) ?? (table!.columns[table!.value]!.role === 'unit_price' ? null : coerceCell('currency', text, coerce) as number | null)),
      vat: read('vat', (text) => rateOf(text, coerce)),
      amount: table.columns[table.value]!.role === 'amount' ? { value, text: valueText, line: index, cells: valueCells.map((entry) => entry.cell) } : null,
      code: read('code', (text) => text),
    };
    checkProduct(item);
    items.push(item);
    last = { item, descriptionCell: descriptionCells.at(-1)!.cell, line: index };
  }
  markCutDescriptions(items);
  return { found, items };
}

/** On a scan, a quantity, unit price and amount that do not multiply out: one of them was misread, so none is sure. */
function checkProduct(item: LineItem): void {
  const { quantity, unitPrice, amount } = item;
  if (!quantity || !unitPrice || !amount) return;
  if (![quantity, unitPrice, amount].some((read) => read.cells.some((cell) => cell.words))) return;
  if (Math.abs(quantity.value * unitPrice.value - amount.value) <= Math.max(0.011, Math.abs(amount.value) * 0.002)) return;
  item.quantity = { ...quantity, unsure: true };
  item.unitPrice = { ...unitPrice, unsure: true };
  item.amount = { ...amount, unsure: true };
}

/**
 * On a scan, a description that starts well right of where the other items' start lost
 * its first words to OCR ("CTA" for "Contribution CTA"): it is marked unsure.
 */
function markCutDescriptions(items: LineItem[]): void {
  const starts = items.filter((item) => item.description.cells[0]?.words).map((item) => Math.round(item.description.cells[0]!.x / 4) * 4);
  if (starts.length < 3) return;
  const counts = new Map<number, number>();
  for (const x of starts) counts.set(x, (counts.get(x) ?? 0) + 1);
  const [common, times] = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a));
  if (times < 2) return;
  for (const item of items) {
    const first = item.description.cells[0];
    if (first?.words && first.x > common + 12) item.description = { ...item.description, unsure: true };
  }
}

/** The description's cells: the first, and each next one close after it (OCR's words of a rate cell further right are not the description). */
function nearby(entries: Placed[]): Placed[] {
  const sorted = [...entries].sort((a, b) => a.cell.x - b.cell.x);
  const kept: Placed[] = [];
  for (const entry of sorted) {
    const previous = kept.at(-1);
    if (previous && entry.cell.x - previous.cell.right > 15) break;
    kept.push(entry);
  }
  return kept;
}

/** Text that continues a sentence: it starts in lower case, or with a figure that is not a date or a period. */
function readsOn(text: string): boolean {
  if (text.includes(':')) return false;
  if (/^\p{Ll}/u.test(text)) return true;
  return /^\d/.test(text) && !/\b(?:19|20)\d{2}\b|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|^\d+\s*[x×@]/.test(text);
}

/** How many columns a cell reaches over. */
function spans(cell: Cell, columns: readonly Column[]): number {
  return columns.filter((column) => cell.x < column.right && cell.right > column.x).length;
}

/** A row on a new page has values in the columns the previous item had them in. */
function sameShape(placed: readonly Placed[], table: TableState, previous: LineItem): boolean {
  const has = (role: ColumnRole) => placed.some((entry) => entry.column >= 0 && table.columns[entry.column]!.role === role);
  if (previous.quantity && !has('quantity')) return false;
  if (previous.unitPrice && !has('unit_price')) return false;
  return true;
}

/**
 * True when `next` continues the description in `above`: its first word would not have
 * fitted after the last word above before the next column starts (how text wraps).
 */
function wraps(above: Cell, next: Cell, table: TableState): boolean {
  if (Math.abs(next.x - above.x) > 4) return false;
  const description = table.columns[table.description]!;
  const limit = Math.min(...table.columns.filter((column) => column.x > description.x + 1).map((column) => column.x), Number.MAX_SAFE_INTEGER);
  if (limit === Number.MAX_SAFE_INTEGER) return false;
  const perChar = (above.right - above.x) / Math.max(1, above.text.length);
  const firstWord = next.text.split(/\s+/)[0] ?? '';
  return above.right + (firstWord.length + 1) * perChar > limit - 2 * perChar;
}

// ---------------------------------------------------------------------------------------
// Receipts.

/** "2 x", "2x", "2 ×" before a description. */
const COUNT_PREFIX = /^(\d{1,3})\s*[x×]\s+(?=\p{L})/u;
/** "2 x 8,95", "4 pce x 5,90", "3 @ 1.99" under an item. */
const COUNT_LINE = /^(\d{1,3}(?:[.,]\d{1,3})?)\s*(?:[a-zA-Z.]{1,5}\s*)?[x×@]\s*([-\d.,]+)\s*(?:[€$£]|EUR)?$/;

/**
 * A receipt's items without a header: the run of lines ending in an amount (a description
 * before it) just above the first total line, read upwards until a line that is neither
 * an item nor a "2 x 8,95" line under one.
 */
function receiptItems(grid: readonly Cell[][], coerce: CoerceOptions): LineItem[] {
  // "TOTAL | 44,15", "Subtotal: $14.25".
  const totalLine = grid.findIndex((line) => {
    const first = line.find((cell) => /\p{L}/u.test(cell.text));
    return first && /^(?:sub-?\s?total|total|totaal|summe|gesamt|zwischensumme|importe total)\b/i.test(bare(first.text)) && hasMoney(line);
  });
  if (totalLine < 0) return [];
  const items: LineItem[] = [];
  let detail: { quantity: number; price: number } | null = null;
  for (let index = totalLine - 1; index >= 0; index--) {
    const line = grid[index]!;
    if (line.length === 0) break;
    const text = line.map((cell) => cell.text).join(' ').replace(/\s+/g, ' ').trim();
    const count = COUNT_LINE.exec(text);
    if (count) {
      const quantity = coerceCell('number', count[1]!, coerce);
      const price = coerceCell('currency', count[2]!, coerce);
      if (detail !== null || typeof quantity !== 'number' || typeof price !== 'number') break;
      detail = { quantity, price };
      continue;
    }
    const lastCell = line.at(-1)!;
    const amount = line.length >= 2 ? moneyOf(lastCell.text, coerce) : null;
    const words = line.slice(0, -1);
    // Figures between the name and the amount (a unit price, a tax amount) are not part of the name.
    const named = [...words];
    let counted: number | null = null;
    while (named.length > 0 && !/\p{L}/u.test(named.at(-1)!.text.replace(/(?<=\d\s?)[x×]\b/gu, ''))) {
      const count = /^(\d{1,3})\s?[x×]$/u.exec(named.pop()!.text.trim());
      if (count) counted = Number(count[1]);
    }
    const description = named.map((cell) => cell.text).join(' ').replace(/\s+/g, ' ').trim();
    // Between the items and the total: a sub-total, tax lines, a zero line.
    if (items.length === 0 && detail === null && amount !== null && (isTotalsLabel(description) || amount === 0)) continue;
    if (
      // A name has a word of three letters or more ("1 PC" under a name is its quantity and unit).
      amount === null || amount === 0 || !/\p{L}{3,}/u.test(description) || description.includes(':') || /\d{3,}/.test(description.replace(/\([^)]*\)/g, '')) ||
      isTotalsLabel(description) || isCarried(description) || lastCell.x < Math.max(...words.map((cell) => cell.right))
    ) {
      break;
    }
    const prefix = COUNT_PREFIX.exec(description);
    let quantity: number | null = prefix ? Number(prefix[1]) : (counted ?? 1);
    if (detail) {
      // The line under the item says how many: it must agree with the prefix and the amount.
      const agrees = Math.abs(detail.quantity * detail.price - amount) < 0.015 && (!prefix || Number(prefix[1]) === detail.quantity);
      quantity = agrees ? detail.quantity : null;
    }
    const name = prefix ? description.slice(prefix[0].length) : description;
    items.unshift({
      description: { value: name, text: name, line: index, cells: named },
      quantity: quantity === null ? null : { value: quantity, text: prefix?.[1] ?? String(quantity), line: index, cells: named },
      unitPrice: detail ? { value: detail.price, text: String(detail.price), line: index + 1, cells: grid[index + 1] ?? [] } : null,
      vat: null,
      amount: { value: amount, text: lastCell.text, line: index, cells: [lastCell] },
      code: null,
    });
    detail = null;
  }
  // The items must add up to an amount the receipt prints on a total or sub-total line: else one was misread, or one is no item.
  const sum = Math.round(items.reduce((total, item) => total + item.amount!.value, 0) * 100) / 100;
  // An amount alone in its cell, or after the label in it ("Subtotal: $14.25").
  const printed = grid
    .filter((line) => totalsLine(line) !== null)
    .flatMap((line) => line.map((cell) => moneyOf(cell.text.replace(/^.*[\p{L}:]\s*(?=[-(]?[$€£]?\s?\d)/u, ''), coerce)).filter((value): value is number => value !== null));
  return printed.some((value) => Math.abs(value - sum) < 0.011) ? items : [];
}

// ---------------------------------------------------------------------------------------
// Which fields of a request are an item's.

/** What an item field reads: a column of the item table, or nothing the tables hold (null, answered null). */
export type ItemRole = 'description' | 'quantity' | 'unit_price' | 'vat' | 'amount' | 'code' | null;

const DESCRIPTION_WORDS = new Set(['description', 'item', 'product', 'article', 'service', 'designation', 'désignation', 'good', 'position', 'purchase']);
const ITEM_CONTEXT = new Set(['item', 'line', 'product', 'article', 'position', 'good', 'purchase', 'service']);

/**
 * For a request that asks for line items as records (a text field for the item's
 * description, named "description", "item", "product" ... or described as the line
 * item's), each field's item role; undefined for a field of the whole document (the
 * invoice number, its total), repeated on each row. Null when the request is not one for
 * line items.
 */
export function itemFieldRoles(fields: readonly { name: string; type: string; description?: string | null }[], words: (text: string) => string[]): (ItemRole | undefined)[] | null {
  const analysed = fields.map((field) => {
    const name = new Set(words(field.name));
    const described = new Set(words(field.description ?? ''));
    return { field, name, all: new Set([...name, ...described]), itemish: [...name, ...described].some((word) => ITEM_CONTEXT.has(word)) };
  });
  const roles = analysed.map(({ field, name, all, itemish }): ItemRole | undefined => {
    const has = (...list: string[]) => list.some((word) => all.has(word));
    const named = (...list: string[]) => list.some((word) => name.has(word));
    switch (field.type) {
      case 'text':
        if (named('code', 'sku', 'ean') || (itemish && named('reference', 'number') && !named('description'))) return itemish || named('sku', 'ean') ? 'code' : undefined;
        if ([...name].some((word) => DESCRIPTION_WORDS.has(word)) || (itemish && named('name', 'label', 'title', 'text'))) return 'description';
        return itemish ? null : undefined;
      case 'number':
        if (named('quantity', 'qty', 'count', 'hour', 'unit', 'piece') || (itemish && has('quantity'))) return 'quantity';
        if (has('vat', 'tax') && has('rate', 'percent', 'percentage')) return itemish ? 'vat' : undefined;
        return itemish ? null : undefined;
      case 'currency':
        if (named('total', 'due', 'grand', 'balance') && !has('line', 'item', 'position')) return undefined;
        if (has('vat', 'tax') && !has('line', 'item')) return undefined;
        if (named('unit', 'each', 'rate') || (named('price') && !has('total', 'line', 'amount'))) return 'unit_price';
        if (named('amount', 'price', 'cost', 'value') || itemish) return 'amount';
        return undefined;
      default:
        return itemish ? null : undefined;
    }
  });
  return roles.includes('description') && roles.filter((role) => role !== undefined).length >= 2 ? roles : null;
}

/** True for a list field of the items' descriptions ("items", "line_items", "products"). */
export function isItemList(field: { name: string; description?: string | null }, words: (text: string) => string[]): boolean {
  return [...words(field.name), ...words(field.description ?? '')].some((word) => ITEM_CONTEXT.has(word) || word === 'description');
}
