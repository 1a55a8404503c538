import type { Cell } from './pdf-layout.js';
import type { FieldSpec } from './types.js';

/**
 * The currency of a document's amounts, as an ISO 4217 code, for a field that asks for it
 * (`currency`, "Währung", "devise", "valuta", "moneda"): the local extractor's answer when
 * the document prints no "Currency: EUR" line of its own.
 *
 * The rule, precision first:
 * - Every currency the document names counts: a symbol (€ £ ₹ ¥...), an ISO code written
 *   as one (`EUR`, `USD`, `CHF`), a symbol with a country (`US$`, `C$`, `A$`, `R$`), a name
 *   ("euros", "US Dollars", "pounds sterling", "Indian rupees"), a local mark before a
 *   figure (`RM 12.50`, `Rs 1939`, `zł`). A `$` counts only beside a figure.
 * - They must agree on one currency. Two (a total in EUR beside one in USD, an exchange
 *   rate) give no answer.
 * - A `$`, "dollars", `Rs` or "rupees" alone is a family, not a currency: `$` is USD, CAD,
 *   AUD, NZD, SGD, HKD, MXN... It is decided by a code or name of one member on the
 *   document ("All charges are in US Dollars", `USD`, `CAD`), else by the country the
 *   document names when it names exactly one of the family's countries (a US address such
 *   as "Seattle, WA 98109" or "United States" for USD; "India", a GSTIN or an IFSC code
 *   for INR), else no answer: a bare `$` is never guessed to be USD.
 * - `¥` (yen or yuan) and "kr" (Swedish, Norwegian, Danish) are decided by a code only.
 * - A document that names no currency gets no answer (no guess from its country or language).
 */

/** A field asking for the currency (a text field named so, or described as "The currency ..."), in five languages. */
export function isCurrencyField(field: FieldSpec): boolean {
  if (field.type !== 'text') return false;
  const word = /(?:^|[^\p{L}])(?:currency|currencies|w[äa]hrung|devise|valuta|moneda|divisa)(?:$|[^\p{L}])/iu;
  if (word.test(field.name.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2'))) return true;
  return /^\s*(?:(?:the|die|la|le|de|el)\s+)?(?:currency|w[äa]hrung|devise|valuta|moneda|divisa)\b/iu.test(field.description ?? '');
}

/** A family a symbol or word leaves open, and the codes it may be. */
type Family = 'dollar' | 'rupee' | 'yen' | 'krone';

const FAMILY_CODES: Record<Family, readonly string[]> = {
  dollar: ['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'MXN', 'TWD'],
  rupee: ['INR', 'PKR', 'LKR', 'NPR', 'MUR'],
  yen: ['JPY', 'CNY'],
  krone: ['SEK', 'NOK', 'DKK', 'ISK'],
};

/**
 * ISO codes recognised when printed in capitals as a word. Codes that are also common
 * words or abbreviations on invoices are left out (PHP, TRY, ALL, TOP, CUP, MOP...).
 */
const ISO_CODES = new Set([
  'EUR', 'USD', 'GBP', 'CHF', 'INR', 'CAD', 'AUD', 'NZD', 'JPY', 'CNY', 'RMB', 'HKD', 'SGD', 'SEK', 'NOK', 'DKK', 'ISK', 'PLN', 'CZK',
  'HUF', 'RON', 'BGN', 'MXN', 'BRL', 'ZAR', 'MYR', 'AED', 'ILS', 'KRW', 'THB', 'IDR', 'PKR', 'LKR', 'NPR', 'TWD', 'UAH', 'MUR',
]);

/** The codes counted wherever they are printed in capitals ("Total EUR", "Montant EUR HT"); the others beside a figure. */
const WORD_CODES = new Set(['EUR', 'USD', 'GBP', 'CHF', 'INR']);

/** Marks and names that say one currency. Matched against a line; `$` needs a figure beside it. */
const EXPLICIT: Array<[RegExp, string]> = [
  [/€|\beuros?\b/giu, 'EUR'],
  [/£|\bpounds?\s+sterling\b|\bsterling\b/giu, 'GBP'],
  [/₹|\bindian\s+rupees?\b/giu, 'INR'],
  [/\bUS\s?\$|\bU\.S\.\s?\$|\bUS[-\s]dollars?\b|\bU\.S\.\s+dollars?\b|\bdollars?\s+am[ée]ricains?\b|\bUS-Dollar\b/giu, 'USD'],
  [/\b(?:CA|C)\$|\bcanadian\s+dollars?\b|\bdollars?\s+canadiens?\b/giu, 'CAD'],
  [/\b(?:AU|A)\$|\baustralian\s+dollars?\b/giu, 'AUD'],
  [/\bNZ\$|\bnew\s+zealand\s+dollars?\b/giu, 'NZD'],
  [/\bS\$|\bsingapore\s+dollars?\b/giu, 'SGD'],
  [/\bHK\$|\bhong\s+kong\s+dollars?\b/giu, 'HKD'],
  [/\bR\$|\breais\b/giu, 'BRL'],
  [/\bRM\s?\d+[.,]\d{2}\b|\bringgit\b/gu, 'MYR'],
  [/\bSFr\.|\bschweizer\s+franken\b|\bfrancs?\s+suisses?\b|\bswiss\s+francs?\b/giu, 'CHF'],
  [/\d\s?zł|\bzłoty\b|\bzloty\b/giu, 'PLN'],
  [/\d\s?Kč/gu, 'CZK'],
];

/** Marks that say a family: `$` beside a figure, "dollars", `Rs`, "rupees", `¥`, "kr". */
const FAMILY_MARKS: Array<[RegExp, Family]> = [
  [/\$\s?-?\d|\d\s?\$|\bdollars?\b/giu, 'dollar'],
  [/\bRs\b\.?|\brupees?\b/gu, 'rupee'],
  [/¥|\byen\b|\byuan\b/giu, 'yen'],
  // "kr 100", "100 kr", "Kr. 1.250,00"; not an article code such as "KR3M" (capitals, letters after the figures).
  [/\d\s?[Kk]r\b|\b[Kk]r\.?\s?\d+(?:[.,]\d+)*(?![\p{L}\d])/gu, 'krone'],
];

/** Countries by the currency they use, as documents name them (a country, a US address, a tax number). */
const COUNTRIES: Array<[RegExp, string]> = [
  // "Seattle, WA 98109-5210", "Fremont CA 94538": a US state and ZIP code.
  [/\bUnited States\b|\bU\.S\.A\.?|\bUSA\b|\b(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY),?\s+\d{5}(?:-\d{4})?\b/u, 'USD'],
  [/\bCanada\b/u, 'CAD'],
  // An Australian Business Number has 11 digits ("ABN 51 824 753 556"; the Dutch bank ABN AMRO is not one).
  [/\bAustralia\b|\bABN:?\s*\d{2}\s?\d{3}\s?\d{3}\s?\d{3}\b/u, 'AUD'],
  [/\bNew Zealand\b/u, 'NZD'],
  [/\bSingapore\b/u, 'SGD'],
  [/\bHong Kong\b/u, 'HKD'],
  [/\bMexico\b|\bMéxico\b/u, 'MXN'],
  [/\bTaiwan\b/u, 'TWD'],
  [/\bIndia\b|\bGSTIN\b|\bIFSC\b/u, 'INR'],
  [/\bPakistan\b/u, 'PKR'],
  [/\bSri Lanka\b/u, 'LKR'],
  [/\bNepal\b/u, 'NPR'],
  [/\bMauritius\b/u, 'MUR'],
  [/\bJapan\b/u, 'JPY'],
  [/\bChina\b/u, 'CNY'],
  [/\bSweden\b|\bSverige\b/u, 'SEK'],
  [/\bNorway\b|\bNorge\b/u, 'NOK'],
  [/\bDenmark\b|\bDanmark\b/u, 'DKK'],
  [/\bIceland\b/u, 'ISK'],
];

/** Currency names a "Currency:" line may hold instead of the code. */
const NAMES: Record<string, string> = {
  '€': 'EUR', euro: 'EUR', euros: 'EUR', '£': 'GBP', '₹': 'INR', 'us$': 'USD', 'us dollar': 'USD', 'us dollars': 'USD', 'u.s. dollars': 'USD',
  'pound sterling': 'GBP', 'pounds sterling': 'GBP', 'swiss franc': 'CHF', 'swiss francs': 'CHF', 'franken': 'CHF',
};

/** The ISO code a labelled value ("EUR", "Euro", "€", "US Dollars") names, or null. */
export function currencyCode(value: string): string | null {
  const text = value.trim().replace(/[.:]+$/, '');
  const upper = text.toUpperCase();
  if (ISO_CODES.has(upper)) return upper === 'RMB' ? 'CNY' : upper;
  return NAMES[text.toLowerCase()] ?? null;
}

/**
 * The ISO 4217 code of the currency the document's amounts are in, by the rule above, or
 * null when it names none, names two, or leaves a family (`$`, `Rs`) undecided. Each line
 * is the text of one line of the document; `ignored` words (OCR'd ones tesseract was
 * unsure of) are left out by the caller. Returns the code and the index of a line naming it.
 */
export function documentCurrency(lines: readonly string[]): { code: string; line: number } | null {
  const codes = new Map<string, number>();
  const families = new Map<Family, number>();
  const countries = new Set<string>();
  lines.forEach((line, index) => {
    let rest = line;
    for (const [pattern, code] of EXPLICIT) {
      if (pattern.test(rest)) {
        if (!codes.has(code)) codes.set(code, index);
        // "US$ 12" is not also a bare "$ 12".
        rest = rest.replace(pattern, ' ');
      }
      pattern.lastIndex = 0;
    }
    for (const word of rest.matchAll(/\b[A-Z]{3}\b/g)) {
      if (!ISO_CODES.has(word[0])) continue;
      // The other codes are words too ("CAD drawings", "AED"): they count beside a figure or in parentheses.
      const before = rest.slice(0, word.index);
      const after = rest.slice(word.index + 3);
      const placed = WORD_CODES.has(word[0]) || /\d\s?$|\($/.test(before) || /^\s?[-\d]|^\)/.test(after);
      const code = word[0] === 'RMB' ? 'CNY' : word[0];
      if (placed && !codes.has(code)) codes.set(code, index);
    }
    for (const [pattern, family] of FAMILY_MARKS) {
      if (pattern.test(rest) && !families.has(family)) families.set(family, index);
      pattern.lastIndex = 0;
    }
    for (const [pattern, code] of COUNTRIES) if (pattern.test(line)) countries.add(code);
  });
  // Each family must be decided by a code of it the document names, or by one of its countries.
  for (const [family, index] of families) {
    const members = FAMILY_CODES[family];
    if ([...codes.keys()].some((code) => members.includes(code))) continue;
    const named = members.filter((code) => countries.has(code));
    if (named.length !== 1) return null;
    codes.set(named[0]!, index);
  }
  if (codes.size !== 1) return null;
  const [[code, line]] = [...codes];
  return { code: code!, line: line! };
}

/**
 * An amount's text without the currency marks coerceCell does not know (`Rs 1939`,
 * `RM 12.50`, `Rs. 40.00`), so it reads as a number; other text unchanged.
 */
export function withoutCurrencyMark(text: string): string {
  return text.replace(/^\s*(?:Rs\.?|RM|INR|MYR|SGD|HKD|NZD|₹)\s*(?=[-\d])/u, '').replace(/\s*(?:Rs\.?|RM|INR|MYR)\s*$/u, '');
}
