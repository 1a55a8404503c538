/**
 * What an identifier printed on a document (an invoice, receipt, order or statement
 * number) can look like, so the local extractor never answers prose ("at the time of
 * check-out."), a date, an amount or another kind of number for one. An identifier has a
 * digit, is short (three to 32 characters, at most three words, each with a figure or a
 * short capital prefix such as "INV"), does not end a sentence, and is
 * none of these, which sit next to invoice numbers on real invoices:
 * a date (`15.01.2025`), an amount (`1.234,56 €`), a percentage, a telephone number
 * (`+49 30 1234567`, `(030) 123 45 67`), an IBAN, a VAT id (`DE123456789`,
 * `FR12345678901`, `NL123456789B01`, `ESX1234567X`, `GB123456789`), an e-mail address
 * or a web address.
 */

/** VAT identification numbers of the EU member states and the UK (the shapes VIES and HMRC accept). */
export const VAT_ID = new RegExp(
  [
    'ATU\\d{8}', 'BE[01]\\d{9}', 'BG\\d{9,10}', 'CHE[-\\s]?\\d{3}\\.?\\d{3}\\.?\\d{3}(?:\\s?(?:MWST|TVA|IVA))?', 'CY\\d{8}[A-Z]', 'CZ\\d{8,10}',
    'DE\\d{9}', 'DK\\d{8}', 'EE\\d{9}', 'EL\\d{9}', 'ES[A-Z0-9]\\d{7}[A-Z0-9]', 'FI\\d{8}', 'FR[A-HJ-NP-Z0-9]{2}\\d{9}',
    'GB(?:\\d{9}|\\d{12}|GD\\d{3}|HA\\d{3})', 'HR\\d{11}', 'HU\\d{8}', 'IE\\d[A-Z0-9+*]\\d{5}[A-Z]{1,2}', 'IT\\d{11}',
    'LT(?:\\d{9}|\\d{12})', 'LU\\d{8}', 'LV\\d{11}', 'MT\\d{8}', 'NL\\d{9}B\\d{2}', 'PL\\d{10}', 'PT\\d{9}', 'RO\\d{2,10}',
    'SE\\d{12}', 'SI\\d{8}', 'SK\\d{10}',
  ].join('|'),
);

const VAT_ID_WHOLE = new RegExp(`^(?:${VAT_ID.source})$`);

/** A VAT id anywhere in `text`, spaces inside it allowed (`DE 123 456 789`), or null. */
export function findVatId(text: string): string | null {
  const upper = text.toUpperCase();
  for (const start of upper.matchAll(/\b(?=[A-Z]{2})/g)) {
    const run = /^[A-Z]{2,3}(?:[\s.-]?[A-Z0-9+*]){7,14}/.exec(upper.slice(start.index));
    if (!run) continue;
    // The longest prefix that ends a word and reads as a VAT id: "DE 814645262 · www..." -> DE814645262.
    for (let end = run[0].length; end >= 8; end--) {
      if (/[A-Z0-9]/.test(upper[start.index + end] ?? '')) continue;
      const compact = run[0].slice(0, end).replace(/[\s.-]/g, '');
      if (VAT_ID_WHOLE.test(compact)) return compact;
    }
  }
  return null;
}

/** An IBAN: two letters, two check digits, 11 to 30 letters and digits, in groups or not. */
const IBAN = /^[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{2,4}){3,8}$/i;
/** A telephone number: a leading + or 0 and groups of digits, or a parenthesised area code. */
const PHONE = /^(?:\+\d{1,3}|\(?0\d{1,5}\)?)(?:[\s./-]*\d{1,6}){2,}$/;
const EMAIL_OR_WEB = /@|^(?:https?:\/\/|www\.)|\.(?:com|de|fr|nl|es|eu|net|org|be|ch|at|uk|io)(?:\/|$)/i;
/** An amount: figures with grouping and decimals, a currency mark or a percent sign. */
const AMOUNT = /^[-+(]?\s?(?:[$€£¥]|EUR|USD|GBP|CHF)?\s?\d{1,3}(?:[.,\s'’]\d{3})*[.,]\d{2}\)?\s?(?:[$€£¥%]|EUR|USD|GBP|CHF)?-?$|^\d+(?:[.,]\d+)?\s?%$|^[$€£¥]\s?\d/i;
/** A numeric date: `15.01.2025`, `2025-01-15`, `03/04/25`. */
const DATE = /^(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2})$/;

/** Why `text` cannot be an identifier, or null when it can. */
export function identifierProblem(text: string): string | null {
  const value = text.trim();
  if (!/\d/.test(value)) return 'has no digit';
  // "1" under a "Nr." column heading is a position, not an invoice number.
  if (value.replace(/\s/g, '').length < 3) return 'is too short for an identifier';
  if (value.length > 32 || value.split(/\s+/).length > 3) return 'is too long for an identifier';
  if (/[.!?]$/.test(value) && !/^[A-Z0-9][A-Z0-9./-]*\d\.$/i.test(value)) return 'ends a sentence';
  // A code in parentheses qualifies what it follows ("Handelsrechnung (380)": the document type), it numbers nothing.
  if (/^\([^()]*\)$/.test(value)) return 'is a code in parentheses';
  if (DATE.test(value)) return 'is a date';
  if (AMOUNT.test(value)) return 'is an amount';
  if (EMAIL_OR_WEB.test(value)) return 'is an e-mail or web address';
  if (VAT_ID_WHOLE.test(value.replace(/[\s.-]/g, '').toUpperCase())) return 'is a VAT id';
  if (IBAN.test(value) && value.replace(/\s/g, '').length >= 15) return 'is an IBAN';
  if (PHONE.test(value) && value.replace(/\D/g, '').length >= 7 && /[\s()/+]/.test(value)) return 'is a telephone number';
  // Every word has a figure or is a short capital prefix ("INV 2025 001", "RE 4711"): "für Januar 2025" is prose.
  if (!value.split(/\s+/).every((word) => /\d/.test(word) || /^[A-Z]{1,4}[-/.#]?$/.test(word))) return 'has words, not a code';
  return null;
}

/**
 * The identifier that opens a value followed by its date, as a title line prints both:
 * "10092837465 du 1er avril 2025" (French), "RE-4711 vom 15.01.2025", "RE-4711 von 15.01.2025",
 * "INV-7 dated ...", "INV-7 issued at 2020-11-21", "F-12 van 3 maart 2025", "A-9 de 12 de
 * febrero", a title wrapped before its date ("471102 vom"): the first word, or null.
 */
export function identifierBeforeDate(text: string): string | null {
  // The date may be on the next line, the value ending at the word ("471102 vom").
  const match = /^(\S+)\s+(?:du|vom|von|from|of|dated|issued\s+(?:at|on)|van|de|del|d\.d\.)(?:\s+\S|$)/i.exec(text.trim());
  return match ? match[1]! : null;
}

/**
 * An identifier as printed after its label, a number sign set apart closed up: "# BLR_7"
 * (after "Invoice No :") is "#BLR_7". A number sign printed with the value is part of what
 * the document prints, and the answer keeps it.
 */
export function printedIdentifier(text: string): string {
  return text.replace(/^#\s+(?=\S*\d)/, '#');
}
