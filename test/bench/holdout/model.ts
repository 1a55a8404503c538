/**
 * The held-out invoice set's data model and locale formatting (issue 14: an independent
 * accuracy measure of the local extractor). A document is a list of drawn pages (text runs
 * and rules, coordinates in PDF points from the top-left corner) plus its ground truth;
 * `render.ts` turns the pages into a text PDF or a "scan". Written without reading the
 * extractor: only shared/extraction/types.ts and the bench's CLI were consulted.
 */
import { seededRandom } from '../../support/seeded-random.js';

export type Lang = 'en' | 'de' | 'fr' | 'nl' | 'es';
export const LANGS: readonly Lang[] = ['en', 'de', 'fr', 'nl', 'es'];

export type FontFamily = 'sans' | 'serif' | 'mono';

export interface TextRun {
  text: string;
  x: number;
  /** Baseline, points from the top of the page. */
  y: number;
  size: number;
  bold: boolean;
  align: 'left' | 'right' | 'center';
  font: FontFamily;
  /** 0 black .. 1 white. */
  gray: number;
}

export interface Rule {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  width: number;
  gray: number;
}

export interface PageDraw {
  width: number;
  height: number;
  runs: TextRun[];
  rules: Rule[];
}

export interface LineItemTruth {
  description: string;
  quantity: number;
  amount: number;
}

/** What a careful human reads off the document. */
export interface HoldoutTruth {
  invoice_number: string;
  /** ISO 8601 date (YYYY-MM-DD). */
  invoice_date: string;
  /** The amount due with VAT, to the cent. */
  total: number;
  /** The issuer's name as printed; every spelling printed on the document is accepted (brand, legal name). */
  vendor: string[];
  /** ISO 4217. */
  currency: string;
  /** Null where the layout has no item table (e.g. a telecom summary without a detail list). */
  items: LineItemTruth[] | null;
}

/** The strings printed for the truth values, so a test can find them in the text layer. */
export interface Printed {
  invoice_number: string;
  invoice_date: string;
  total: string;
  vendor: string;
}

export interface HoldoutDocument {
  file: string;
  style: string;
  lang: Lang;
  kind: 'text' | 'scan';
  pages: PageDraw[];
  truth: HoldoutTruth;
  printed: Printed;
}

/** Characters pdf-lib's standard fonts (WinAnsi) can encode; anything else is transliterated. */
const WIN_ANSI_EXTRA = new Set([...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ']);

export function winAnsi(text: string): string {
  let out = '';
  for (const char of text.replace(/[\u202f\u00a0\u2009]/g, ' ')) {
    const code = char.codePointAt(0)!;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char)) out += char;
    else out += char.normalize('NFD').replace(/[^\x20-\x7e]/g, '');
  }
  return out;
}

/** A page under construction: text runs and rules in reading order. */
export class Sheet {
  readonly pages: PageDraw[] = [];
  constructor(
    readonly width = 595.28,
    readonly height = 841.89,
    readonly font: FontFamily = 'sans',
  ) {
    this.addPage();
  }
  get page(): PageDraw {
    return this.pages.at(-1)!;
  }
  addPage(): void {
    this.pages.push({ width: this.width, height: this.height, runs: [], rules: [] });
  }
  text(x: number, y: number, text: string, options: { size?: number; bold?: boolean; align?: TextRun['align']; font?: FontFamily; gray?: number } = {}): void {
    if (text === '') return;
    this.page.runs.push({ x, y, text: winAnsi(text), size: options.size ?? 9, bold: options.bold ?? false, align: options.align ?? 'left', font: options.font ?? this.font, gray: options.gray ?? 0 });
  }
  rule(x1: number, y: number, x2: number, options: { width?: number; gray?: number; y2?: number } = {}): void {
    this.page.rules.push({ x1, y1: y, x2, y2: options.y2 ?? y, width: options.width ?? 0.5, gray: options.gray ?? 0 });
  }
}

const LOCALES: Record<Lang, string> = { en: 'en-GB', de: 'de-DE', fr: 'fr-FR', nl: 'nl-NL', es: 'es-ES' };

export function localeOf(lang: Lang, country?: 'US' | 'GB' | 'IE'): string {
  if (lang === 'en' && country) return `en-${country}`;
  return LOCALES[lang];
}

/** `1.234,56` / `1,234.56` / `1 234,56`: the locale's grouping and decimal mark, two decimals. */
export function formatNumber(cents: number, locale: string, grouping = true): string {
  return winAnsi(new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: grouping }).format(cents / 100));
}

/** An amount as the locale writes it: `1.234,56 €`, `€ 1.234,56` (nl), `€1,234.56`, `$1,234.56`, `1 234,56 €`. */
export function formatMoney(cents: number, currency: string, locale: string, style: 'symbol' | 'code' = 'symbol'): string {
  if (style === 'code') {
    const number = formatNumber(cents, locale);
    return locale.startsWith('en') ? `${currency} ${number}` : `${number} ${currency}`;
  }
  return winAnsi(new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100));
}

export function formatQuantity(quantity: number, locale: string): string {
  return winAnsi(new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(quantity));
}

export type DateStyle = 'numeric' | 'long' | 'short-month' | 'iso';

/** `15.01.2025`, `15. Januar 2025`, `3 mars 2025`, `12 de febrero de 2025`, `March 3, 2025`, `03/03/2025` (en-US: month first). */
export function formatDate(iso: string, locale: string, style: DateStyle): string {
  if (style === 'iso') return iso;
  const date = new Date(`${iso}T12:00:00Z`);
  const options: Intl.DateTimeFormatOptions =
    style === 'numeric' ? { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' } : { day: 'numeric', month: style === 'long' ? 'long' : 'short', year: 'numeric', timeZone: 'UTC' };
  let text = new Intl.DateTimeFormat(locale, options).format(date);
  if (locale === 'nl-NL' && style === 'numeric') text = text.replace(/\//g, '-');
  return winAnsi(text);
}

export function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** A deterministic PRNG (mulberry32) with the helpers the layouts use. */
export class Random {
  private readonly sequence: () => number;
  constructor(seed: number) {
    this.sequence = seededRandom(seed);
  }
  next(): number {
    return this.sequence();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  digits(n: number): string {
    let out = String(this.int(1, 9));
    while (out.length < n) out += String(this.int(0, 9));
    return out;
  }
  letters(n: number): string {
    let out = '';
    while (out.length < n) out += 'ABCDEFGHJKLMNPQRSTUVWXYZ'[this.int(0, 23)];
    return out;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}
