/**
 * The language and number/date conventions of one document, decided once from its own
 * words, so every date and amount on it is read the same way: a German or French
 * document's `03/04/2025` is 3 April and its `1.234` is one thousand two hundred and
 * thirty-four; a US document's `03/04/2025` is 4 March.
 *
 * The language is the one whose marker words (invoice vocabulary and the commonest
 * short words) appear most often; English on a tie. The date order is the document's own
 * when one of its numeric dates has a part above 12 (`25/03/2025`); else day first for
 * German, French, Dutch and Spanish; for English, day first in pounds or euros, month
 * first in dollars, else day first only with British, Irish or Australian markers ("VAT",
 * "Ltd", "GST"). The decimal mark is the one the document's two-decimal amounts use most
 * (`12,50` vs `12.50`), the language's convention when it has none.
 */

export type Language = 'en' | 'de' | 'fr' | 'nl' | 'es';

export interface DocumentLocale {
  language: Language;
  /** Read an ambiguous numeric date `03/04/2025` as 3 April. */
  dayFirst: boolean;
  /** The decimal mark of the document's amounts: `1.234` is 1234 when it is `,`. */
  decimal: ',' | '.';
}

/** Words that only invoices, receipts and statements of one language use. */
const MARKERS: Record<Language, readonly string[]> = {
  en: [
    'invoice', 'date', 'total', 'amount', 'due', 'number', 'bill', 'tax', 'the', 'and', 'for', 'of', 'payment', 'subtotal', 'quantity',
    'description', 'price', 'receipt', 'order', 'customer', 'thank', 'you', 'your', 'balance', 'paid',
  ],
  de: [
    'rechnung', 'rechnungsnummer', 'rechnungsdatum', 'datum', 'betrag', 'gesamtbetrag', 'rechnungsbetrag', 'nettobetrag', 'mwst', 'ust',
    'umsatzsteuer', 'steuernummer', 'kundennummer', 'bestellnummer', 'menge', 'einzelpreis', 'gesamt', 'summe', 'bezeichnung', 'zahlbar',
    'bis', 'und', 'für', 'mit', 'ihre', 'vielen', 'dank', 'bankverbindung', 'lieferdatum', 'leistungszeitraum', 'rechnungsempfänger',
  ],
  fr: [
    'facture', 'montant', 'tva', 'ttc', 'ht', 'désignation', 'quantité', 'qté', 'prix', 'unitaire', 'échéance', 'règlement',
    'siret', 'siren', 'à', 'payer', 'référence', 'commande', 'numéro', 'le', 'les', 'du', 'des', 'pour', 'avec', 'conditions',
  ],
  nl: [
    'factuur', 'factuurnummer', 'factuurdatum', 'factuurnr', 'bedrag', 'totaal', 'btw', 'klant', 'klantnummer', 'omschrijving', 'aantal',
    'prijs', 'vervaldatum', 'betalen', 'te', 'het', 'van', 'een', 'voor', 'met', 'kvk', 'excl', 'incl', 'bestelnummer', 'ordernummer',
  ],
  es: [
    'factura', 'fecha', 'importe', 'iva', 'cliente', 'descripción', 'cantidad', 'precio', 'vencimiento', 'imponible', 'nif', 'cif',
    'número', 'núm', 'pedido', 'pagar', 'el', 'los', 'las', 'del', 'por', 'con', 'para', 'de', 'emisión',
  ],
};

/**
 * Amounts in a currency of a country that writes the day first, English documents among
 * them: ringgit ("RM 12.50", "(RM)", MYR), rupees (₹, INR, "Rs 450"), Singapore dollars
 * (SGD, "S$"). They decide like pounds and euros, before a "$" (which OCR also reads for a
 * "S" or a "5": "2 $6" for "2.86").
 */
export const DAY_FIRST_CURRENCY = /\bRM\s?\d|\(RM\)|\bMYR\b|₹|\bINR\b|\bRs\.?\s?\d|\bSGD\b|\bS\$/;

/** Words that say an English document is British, Irish or Australian (day-first dates). */
const DAY_FIRST_ENGLISH = /\bVAT\b|\bGST\b|\bABN\b|\bUK\b|\bUnited Kingdom\b|\bIreland\b|\bAustralia\b|\bLtd\b|\bLimited\b/;

const DEFAULT_DECIMAL: Record<Language, ',' | '.'> = { en: '.', de: ',', fr: ',', nl: ',', es: ',' };

/** Decides a document's language, date order and decimal mark from its lines. */
export function documentLocale(lines: readonly string[]): DocumentLocale {
  const counts: Record<Language, number> = { en: 0, de: 0, fr: 0, nl: 0, es: 0 };
  const markerSets = Object.entries(MARKERS).map(([language, words]) => [language as Language, new Set(words)] as const);
  for (const line of lines) {
    for (const word of line.toLowerCase().split(/[^\p{L}]+/u)) {
      if (word === '') continue;
      for (const [language, words] of markerSets) if (words.has(word)) counts[language]++;
    }
  }
  // The language with the most marker words; English on a tie, or when none reach two.
  let language: Language = 'en';
  for (const candidate of ['de', 'fr', 'nl', 'es'] as const) {
    if (counts[candidate] >= 2 && counts[candidate] > counts[language]) language = candidate;
  }
  const text = lines.join('\n');
  return { language, dayFirst: dayFirstOn(text, language), decimal: decimalMark(text) ?? DEFAULT_DECIMAL[language] };
}

/**
 * Whether the document writes the day first: its own numeric dates decide when one has
 * a part above 12; else a non-English document does; an English one does when it counts
 * in pounds, euros or a day-first country's currency (`DAY_FIRST_CURRENCY`), or (without dollars) prints British or Australian markers.
 */
function dayFirstOn(text: string, language: Language): boolean {
  const order = dateOrderEvidence(text);
  if (order !== null) return order;
  if (language !== 'en') return true;
  if (/£|€|\bGBP\b|\bEUR\b/.test(text) || DAY_FIRST_CURRENCY.test(text)) return true;
  if (/\$|\bUSD\b/.test(text)) return false;
  return DAY_FIRST_ENGLISH.test(text);
}
/** True when a numeric date on the document has its first part above 12 (`25/03/2025`, `25/03/25`), false when its second (`03/25/2025`), else null. */
function dateOrderEvidence(text: string): boolean | null {
  let dayFirst = false;
  let monthFirst = false;
  for (const match of text.matchAll(/\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b/g)) {
    const [first, second] = [Number(match[1]), Number(match[2])];
    if (first > 12 && second <= 12) dayFirst = true;
    if (second > 12 && first <= 12) monthFirst = true;
  }
  return dayFirst === monthFirst ? null : dayFirst;
}

/** The mark before two final digits that the document's amounts use most, or null. */
function decimalMark(text: string): ',' | '.' | null {
  // "1.234,56", "12,50", not "2025,12" in a list or a date such as "03.04.2025".
  const comma = [...text.matchAll(/(?<![\d.,])\d{1,3}(?:[.\s\u00a0\u202f']\d{3})*,\d{2}(?![\d.,])/g)].length;
  const dot = [...text.matchAll(/(?<![\d.,])\d{1,3}(?:[,\s\u00a0\u202f']\d{3})*\.\d{2}(?![\d.,])/g)].length;
  if (comma === dot) return null;
  return comma > dot ? ',' : '.';
}
