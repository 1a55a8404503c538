import { describe, expect, it } from 'vitest';
import { coerceCell } from '../../shared/extraction/cells.js';
import { readNamedDate } from '../../shared/extraction/dates.js';
import { findVatId, identifierBeforeDate, identifierProblem } from '../../shared/extraction/identifiers.js';
import { labelWords } from '../../shared/extraction/label-match.js';
import { documentLocale } from '../../shared/extraction/locale.js';

/** The pieces the local extractor reads invoice values with, one language convention at a time. */

describe('documentLocale', () => {
  it.each([
    ['de', ['Rechnung', 'Rechnungsnummer: RE-1', 'Datum: 03.04.2025', 'Nettobetrag 1.000,00 €', 'MwSt. 19 % 190,00 €', 'Gesamtbetrag 1.190,00 €']],
    ['fr', ['FACTURE', 'N° de facture : F-1', 'Désignation Qté Prix unitaire', 'Total HT 100,00 €', 'TVA 20 % 20,00 €', 'Total TTC 120,00 €']],
    ['nl', ['FACTUUR', 'Factuurnummer 1', 'Omschrijving Aantal Prijs', 'Totaal excl. btw € 41,28', 'Btw 21% € 8,67', 'Totaal incl. btw € 49,95']],
    ['es', ['FACTURA', 'Nº factura: A-1', 'Fecha de emisión: 03/04/2025', 'Base imponible 41,28 €', 'IVA 21% 8,67 €', 'Total a pagar 49,95 €']],
  ] as const)('reads a %s document as day first with a decimal comma', (language, lines) => {
    expect(documentLocale(lines)).toEqual({ language, dayFirst: true, decimal: ',' });
  });

  it('reads a US invoice month first with a decimal point', () => {
    expect(documentLocale(['INVOICE', 'Invoice Date: 03/04/2025', 'Bill To: Summit Print Co.', 'Subtotal $1,000.00', 'Total Due $1,080.00'])).toEqual({
      language: 'en',
      dayFirst: false,
      decimal: '.',
    });
  });

  it('reads a British invoice (pounds, VAT) day first', () => {
    expect(documentLocale(['Invoice', 'Invoice date: 03/04/2025', 'VAT 20% £200.00', 'Total £1,200.00']).dayFirst).toBe(true);
  });

  it('lets the document\'s own dates decide: a 25/03/2025 makes every date day first, a 03/25/2025 month first', () => {
    expect(documentLocale(['Invoice date 03/04/2025', 'Due 25/04/2025', 'Total $10.00']).dayFirst).toBe(true);
    expect(documentLocale(['Rechnung', 'Rechnungsdatum 03/04/2025', 'Fällig 03/25/2025', 'Gesamtbetrag 10,00']).dayFirst).toBe(false);
  });

  it('takes the decimal mark from the amounts, not the language: a German company\'s English invoice in euros', () => {
    expect(documentLocale(['Invoice no.: 1', 'Total (excl. VAT) € 1.034,00', 'Total € 1.230,46'])).toMatchObject({ language: 'en', decimal: ',' });
  });
});

describe('dates with month names (chrono-node)', () => {
  it.each([
    ['3 mars 2025', 'fr', '2025-03-03'],
    ['le 1er avril 2025', 'fr', '2025-04-01'],
    ['mardi 4 mars 2025', 'fr', '2025-03-04'],
    ['15 janv. 2025', 'fr', '2025-01-15'],
    ['15. Januar 2025', 'de', '2025-01-15'],
    ['3. Oktober 2025', 'de', '2025-10-03'],
    ['5 März 2025', 'de', '2025-03-05'],
    ['Montag, 3. März 2025', 'de', '2025-03-03'],
    ['12 de febrero del 2025', 'es', '2025-02-12'],
    ['3 mrt 2025', 'nl', '2025-03-03'],
    ['1 août 2025', 'fr', '2025-08-01'],
    ['12 de febrero de 2025', 'es', '2025-02-12'],
    ['15 ene. 2025', 'es', '2025-01-15'],
    ['3 maart 2025', 'nl', '2025-03-03'],
    ['5 mei 2025', 'nl', '2025-05-05'],
    ['Mar 3, 2025', 'en', '2025-03-03'],
    ['Tuesday, 4 March 2025', 'en', '2025-03-04'],
    ['3rd March 2025', 'en', '2025-03-03'],
  ] as const)('%s (%s) is %s', (text, language, iso) => {
    expect(readNamedDate(text, language)).toBe(iso);
    // A month name is read whatever language the document was taken for.
    expect(readNamedDate(text, 'en')).toBe(iso);
  });

  it.each(['March 2025', '3 March', 'Januar', 'Order 123 of 3 March 2025', 'Date: 3 March 2025', 'payable within 30 days', 'mars'])(
    'answers null for %j (no day, month and year alone in the cell)',
    (text) => {
      expect(readNamedDate(text, 'en')).toBeNull();
    },
  );

  it('reads numeric dates in the document\'s order: 03/04/2025 is 3 April day first, 4 March otherwise; dotted is always day first', () => {
    expect(coerceCell('date', '03/04/2025', { dayFirst: true })).toBe('2025-04-03');
    expect(coerceCell('date', '03/04/2025', { dayFirst: false })).toBe('2025-03-04');
    expect(coerceCell('date', '03.04.2025')).toBe('2025-04-03');
    expect(coerceCell('date', '12-02-2025', { dayFirst: true })).toBe('2025-02-12');
    expect(coerceCell('date', '3 maart 2025', { language: 'nl' })).toBe('2025-03-03');
    expect(coerceCell('date', '15.01.2025 20:14 Uhr')).toBe('2025-01-15');
  });
});

describe('amounts in the document\'s locale', () => {
  it.each([
    ['1.234,56', ',', 1234.56],
    ['1 234,56 €', ',', 1234.56],
    ['1\u202f234,56 €', ',', 1234.56],
    ["CHF 1'234.50", '.', 1234.5],
    ['EUR 1,234.56', '.', 1234.56],
    ['€ 49,95', ',', 49.95],
    ['(12.00)', '.', -12],
    ['-12,00', ',', -12],
    ['12,00-', ',', -12],
    ['−7,50 €', ',', -7.5],
    ['1.234', ',', 1234],
    ['1.234', '.', 1.234],
    ['1,234', '.', 1234],
    ['£1,200.00', '.', 1200],
    ['1.234.567,89', ',', 1234567.89],
  ] as const)('%j with decimal %j is %d', (text, decimal, value) => {
    expect(coerceCell('currency', text, { decimal })).toBe(value);
  });

  it('answers null for text that is no amount', () => {
    expect(coerceCell('currency', 'siehe Anlage', { decimal: ',' })).toBeNull();
    expect(coerceCell('currency', '1,2,3', { decimal: ',' })).toBeNull();
  });
});

describe('identifiers', () => {
  it.each(['RE-2025-00042', 'INV 2025 001', 'FR58213347', '4300123456', 'A/2025-0087', 'TA5U60123456', '9028 1137 4711', 'INV-7', 'R-000913'])('%s can be an invoice number', (text) => {
    expect(identifierProblem(text)).toBeNull();
  });

  it.each([
    ['at the time of check-out.', 'has no digit'],
    ['Thank you for your order 123 today', 'is too long for an identifier'],
    ['für Januar 2025', 'has words, not a code'],
    ['for March 2025', 'has words, not a code'],
    ['1', 'is too short for an identifier'],
    ['(380)', 'is a code in parentheses'],
    ['15.01.2025', 'is a date'],
    ['2025-01-15', 'is a date'],
    ['1.234,56 €', 'is an amount'],
    ['$12.00', 'is an amount'],
    ['19 %', 'is an amount'],
    ['DE123456789', 'is a VAT id'],
    ['NL123456789B01', 'is a VAT id'],
    ['ESX1234567X', 'is a VAT id'],
    ['FR12345678901', 'is a VAT id'],
    ['GB123456789', 'is a VAT id'],
    ['DE89 3704 0044 0532 0130 00', 'is too long for an identifier'],
    ['DE89370400440532013000', 'is an IBAN'],
    ['+49 30 1234567', 'is a telephone number'],
    ['(030) 123 4567', 'is a telephone number'],
    ['billing42@acme.com', 'is an e-mail or web address'],
  ])('%j %s', (text, problem) => {
    expect(identifierProblem(text)).toBe(problem);
  });

  it('finds a VAT id in a line, spaced or dotted', () => {
    expect(findVatId('Telekom Deutschland GmbH · USt-IdNr. DE 814645262')).toBe('DE814645262');
    expect(findVatId('BTW NL8137.08.213.B01')).toBe('NL813708213B01');
    expect(findVatId('VAT Reg. No. GB 123 4567 89')).toBe('GB123456789');
    expect(findVatId('NIF ESB12345674')).toBe('ESB12345674');
    expect(findVatId('Kundennummer 5500123456')).toBeNull();
  });

  it('cuts the identifier off a title line that dates it', () => {
    expect(identifierBeforeDate('10092837465 du 1er avril 2025')).toBe('10092837465');
    expect(identifierBeforeDate('RE-4711 vom 15.01.2025')).toBe('RE-4711');
    expect(identifierBeforeDate('RE-4711')).toBeNull();
  });
});

describe('label words across languages', () => {
  it.each([
    ['Rechnungsnummer', ['invoice', 'number']],
    ['Rechnung Nr.', ['invoice', 'number']],
    ['Facture n°', ['invoice', 'number']],
    ['N° de facture', ['number', 'invoice']],
    ['Factuurnummer', ['invoice', 'number']],
    ['Factuurnr.', ['invoice', 'number']],
    ['Número de factura', ['number', 'invoice']],
    ['Nº factura', ['number', 'invoice']],
    ['Invoice #', ['invoice', 'number']],
    ['Total TTC', ['total']],
    ['Totaal incl. btw', ['total']],
    ['Gesamtbetrag', ['total']],
    ['Total a pagar', ['total']],
    ['Importe total', ['total']],
    ['Total inkl. MwSt.', ['total']],
    ['Summe EUR', ['total']],
    ['Zu zahlender Betrag', ['due', 'amount']],
    ['Montant à payer', ['amount', 'due']],
    ['Total incl. VAT', ['total']],
  ])('%j is %j', (label, words) => {
    expect(labelWords(label)).toEqual(words);
  });

  it.each([
    ['Kundennummer', ['customer', 'number']],
    ['Bestellnummer', ['order', 'number']],
    ['Référence client', ['reference', 'customer']],
    ['Klantnummer', ['customer', 'number']],
    ['Nº de pedido', ['number', 'order']],
    ['Total HT', ['net', 'amount']],
    ['Totaal excl. btw', ['net', 'amount']],
    ['Nettobetrag', ['net', 'amount']],
    ['Base imponible', ['net', 'amount']],
    ['Total (excl. VAT)', ['net', 'amount']],
    ['MwSt. 19 %', ['vat']],
    ['Total excl. VAT', ['net', 'amount']],
    ['Summe ohne MwSt.', ['net', 'amount']],
  ])('the distractor %j is %j, never an invoice number or the grand total', (label, words) => {
    expect(labelWords(label)).toEqual(words);
  });
});
