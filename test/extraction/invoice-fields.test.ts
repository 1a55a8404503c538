import { describe, expect, it } from 'vitest';
import { documentCurrency, isCurrencyField } from '../../shared/extraction/currency.js';
import { labelWords } from '../../shared/extraction/label-match.js';
import type { FieldSpec } from '../../shared/extraction/types.js';
import { firstRow, printedPdf } from '../support/printed-invoice.js';

/**
 * The local extractor's invoice number, total and currency on the kinds of layout real
 * invoices and receipts print (issue 14): receipts that number themselves ("Ticket n°",
 * "Bon-Nr.", "Receipt 4096"), a number glued to its "n°" or printed after a "#", a value
 * two lines under its label, a booking's payment receipt, totals in a row of columns or
 * after qualifying words, an amount due after the payments already made, and the
 * currency of the amounts. The documents are written here as PDFs with a text layer and
 * read through the extractor's real path (unpdf, layout, labels).
 */

/** A job as a user writes it, names only (no descriptions to lean on). */
const BARE: FieldSpec[] = [
  { name: 'invoice_number', type: 'text', required: false },
  { name: 'invoice_date', type: 'date', required: false },
  { name: 'total', type: 'currency', required: false },
  { name: 'currency', type: 'text', required: false },
];

/** The same with descriptions, one of which says what the number is not. */
const DESCRIBED: FieldSpec[] = [
  { name: 'invoice_number', type: 'text', description: 'The invoice number (not the order or customer number)', required: false },
  { name: 'invoice_date', type: 'date', description: 'The date the invoice was issued', required: false },
  { name: 'total', type: 'currency', description: 'The total amount due, VAT included', required: false },
  { name: 'currency', type: 'text', description: 'The currency of the amounts, as an ISO 4217 code', required: false },
];

type Line = Array<[number, string]>;

const read = async (lines: Line[], fields: FieldSpec[] = BARE) => firstRow(await printedPdf(lines.map((cells) => ({ cells }))), fields);

describe('invoice numbers', () => {
  it.each([
    ['Ticket n° 4412/305/9921', '4412/305/9921'],
    ['Bon-Nr. 7310/228/5016', '7310/228/5016'],
    ['Bonnummer 2291/774/1083', '2291/774/1083'],
    ['Receipt 5817', '5817'],
    ['Factura simplificada 70412', '70412'],
  ])('a receipt numbered "%s" answers %j for the invoice number', async (numbered, number) => {
    const row = await read([
      [[60, 'Bistro Am Markt']],
      [[60, 'Marktplatz 2, 79098 Freiburg']],
      [[14, numbered]],
      [[14, '14.03.2025 12:41']],
      [[14, 'Espresso'], [190, '2,80']],
      [[14, 'Apfelstrudel'], [190, '6,40']],
      [[14, 'SUMME EUR'], [190, '9,20']],
    ]);
    expect(row.invoice_number).toBe(number);
  });

  it('leaves a job without an invoice number its only-date fallback on a receipt ("Receipt No.:" labels no date)', async () => {
    const fields: FieldSpec[] = [
      { name: 'invoice_date', type: 'date', required: false },
      { name: 'total', type: 'currency', required: false },
    ];
    const row = await read([[[55, 'Receipt No.:'], [190, 'CS1801/26874'], [449, '18/01/2018']], [[47, 'TOTAL'], [484, '4.90']]], fields);
    expect(row.invoice_date).toBe('2018-01-18');
  });

  it('cuts "n°" glued to the number off it ("Facture n°562204417 du 2 juillet 2025")', async () => {
    const row = await read([
      [[40, 'Fibre Service Abonnés']],
      [[40, 'Facture n°562204417 du 02 Juillet 2025']],
      [[40, 'Total facture'], [330, '24,99'], [430, '5,00'], [530, '29,99']],
    ]);
    expect(row.invoice_number).toBe('562204417');
  });

  it('keeps the "#" printed before a number after "Invoice No :", closed up', async () => {
    const row = await read([
      [[230, 'Retail Invoice']],
      [[400, 'Invoice No : # KAR_WHSE20240000518243']],
      [[10, 'Order ID: OD4410998120033']],
      [[300, 'Grand Total'], [520, '1,249.00']],
    ]);
    expect(row.invoice_number).toBe('#KAR_WHSE20240000518243');
  });

  it('reads a value two lines under its label, past a line of the address block at the left', async () => {
    const row = await read(
      [
        [[50, 'Jardines del Sur S.L.']],
        [[360, 'Nº de factura']],
        [[57, 'Ferretería Olmos Pardo S.L.']],
        [[360, 'F318']],
        [[360, 'Nº de pedido']],
        [[57, 'NIF 51235097H'], [360, '660184']],
      ],
      DESCRIBED,
    );
    expect(row.invoice_number).toBe('F318');
  });

  it('never answers the order number for a field described "not the order or customer number"', async () => {
    const row = await read(
      [
        [[50, 'Webshop GmbH']],
        [[360, 'Bestellnummer'], [470, '302-7731942-1187']],
        [[360, 'Gesamtbetrag'], [470, '59,99 €']],
      ],
      DESCRIBED,
    );
    expect(row.invoice_number).toBeNull();
  });

  it('reads a hotel payment receipt\'s booking ID, under its column header, when it prints no invoice number', async () => {
    const lines: Line[] = [
      [[120, 'PAYMENT RECEIPT']],
      [[42, 'Guest Name: Meera'], [420, 'Date: 14/02/2025']],
      [[317, 'Booking ID'], [405, 'Payment Mode']],
      [[317, 'KQWX4471'], [405, 'Cash at Hotel']],
      [[51, 'Grand Total'], [503, 'Rs 2450']],
    ];
    expect((await read(lines)).invoice_number).toBe('KQWX4471');
    // Beside an invoice number, the booking's is not the invoice's.
    const invoiced = await read([[[317, 'Invoice No: HT-2025-0193']], ...lines]);
    expect(invoiced.invoice_number).toBe('HT-2025-0193');
  });

  it('reads a telecom "Bill number", not the account number', async () => {
    const row = await read([
      [[50, 'TELCOMA']],
      [[360, 'Account number'], [498, '2630611591']],
      [[360, 'Bill number'], [498, '4861153892']],
      [[360, 'Bill date'], [502, '11/09/2025']],
      [[360, 'Total amount due'], [514, '£58.80']],
    ]);
    expect(row.invoice_number).toBe('4861153892');
    expect(row.invoice_date).toBe('2025-09-11');
  });
});

describe('totals', () => {
  it('reads "Total for this invoice"', async () => {
    const row = await read([
      [[257, 'Cloud Services Invoice']],
      [[257, 'TOTAL AMOUNT DUE ON March 3 , 2025'], [546, '$8.24']],
      [[50, 'Compute charges'], [547, '$8.24']],
      [[40, 'Total for this invoice'], [547, '$8.24']],
    ]);
    expect(row.total).toBe(8.24);
  });

  it('reads the gross at the end of a totals row of net, tax and gross ("Total facture | 24,99 | 5,00 | 29,99")', async () => {
    const row = await read([
      [[297, 'Montant HT'], [402, 'Montant TVA'], [487, 'Montant TTC']],
      [[40, 'Abonnement'], [335, '24,99'], [431, '5,00'], [530, '29,99']],
      [[40, 'Total facture'], [335, '24,99'], [431, '5,00'], [530, '29,99']],
    ]);
    expect(row.total).toBe(29.99);
  });

  it('reads the amount after a count of items in a totals row ("Total | 3 | 45.00"), not the count', async () => {
    const row = await read([
      [[50, 'Widget'], [300, '3'], [480, '45.00']],
      [[250, 'Total'], [300, '3'], [480, '45.00']],
    ]);
    expect(row.total).toBe(45);
  });

  it('passes over no word that changes the label: "Total | GST | 5.71" is the tax, not the total', async () => {
    const row = await read([
      [[239, 'Net sales'], [371, '95.19']],
      [[300, 'Total'], [360, 'GST'], [400, ':'], [440, '5.71']],
    ]);
    expect(row.total).toBeNull();
  });

  it('reads a till receipt\'s "Total Sales (Inclusive of GST)", not the "Total" of its GST summary table (net and tax)', async () => {
    const row = await read([
      [[94, 'Total Sales (Excluding GST)'], [382, ':'], [444, '22.00']],
      [[267, 'Total GST'], [382, ':'], [459, '1.32']],
      [[49, 'Total Sales (Inclusive of GST) :'], [444, '23.32']],
      [[78, 'Tax Code'], [234, '%'], [305, 'Amt (RM)'], [449, 'Tax (RM)']],
      [[78, 'SR'], [234, '6'], [343, '22.00'], [492, '1.32']],
      [[199, 'Total :'], [343, '22.00'], [492, '1.32']],
    ]);
    expect(row.total).toBe(23.32);
    // Alone, the summary's row answers nothing.
    expect((await read([[[199, 'Total :'], [343, '22.00'], [492, '1.32']]])).total).toBeNull();
  });

  it('reads "TOTAL | RM | 14.10" and "Total Rounded"', async () => {
    expect((await read([[[63, 'TOTAL'], [315, 'RM'], [381, '14.10']]])).total).toBe(14.1);
    expect((await read([[[19, 'Subtotal'], [428, '8.48']], [[19, 'Total Rounded'], [428, '8.50']]])).total).toBe(8.5);
  });

  it('reads the figure after the words that qualify a total ("TOTAL | TTC EUR | 107,00")', async () => {
    const row = await read([
      [[14, 'Plat du jour'], [189, '59,10']],
      [[14, 'TOTAL'], [54, 'TTC EUR'], [173, '107,00']],
      [[14, 'TVA'], [33, '10%'], [194, '9,73']],
    ]);
    expect(row.total).toBe(107);
  });

  it('reads "Factuur totaal EUR" and an amount in rupees ("Rs 1939")', async () => {
    expect((await read([[[411, 'Factuur totaal EUR'], [527, '49,99']]])).total).toBe(49.99);
    expect((await read([[[51, 'Grand Total'], [503, 'Rs 1939']]])).total).toBe(1939);
  });

  it('never answers a line amount under a "Total" column heading for the total', async () => {
    const row = await read([
      [[50, 'Item'], [300, 'Qty'], [480, 'Total']],
      [[50, 'Widget'], [300, '2'], [480, '20.00']],
      [[50, 'Gadget'], [300, '1'], [480, '25.00']],
    ]);
    expect(row.total).toBeNull();
  });

  it('answers the amount due after the instalments paid when the field asks for the amount due, the total otherwise', async () => {
    const lines: Line[] = [
      [[50, 'Stroom'], [512, '€ 859,88']],
      [[360, 'Totaal excl. btw'], [502, '€ 3.417,41']],
      [[360, 'Btw 21%'], [510, '€ 717,66']],
      [[360, 'Totaal incl. btw'], [502, '€ 4.135,07']],
      [[360, 'Betaalde termijnbedragen'], [497, '- € 3.888,00']],
      [[360, 'Te betalen'], [506, '€ 247,07']],
    ];
    expect((await read(lines, DESCRIBED)).total).toBe(247.07);
    expect((await read(lines, BARE)).total).toBe(4135.07);
    // A "rest" that is not the total less the payments is no amount due: the total stands.
    const off = lines.map((line, i): Line => (i === 5 ? [[360, 'Te betalen'], [506, '€ 240,00']] : line));
    expect((await read(off, DESCRIBED)).total).toBe(4135.07);
  });
});

describe('currency', () => {
  it.each([
    ['euros after the figures', [[[50, 'Gesamtbetrag'], [470, '1.235,01 €']]], 'EUR'],
    ['a code in the total label', [[[14, 'TOTAAL EUR'], [190, '44,15']]], 'EUR'],
    ['pounds', [[[360, 'Total amount due'], [514, '£58.80']]], 'GBP'],
    ['dollars the document says are US dollars', [[[50, 'Total'], [500, '$4.11']], [[36, 'All charges and prices are in US Dollars']]], 'USD'],
    ['dollars on an invoice from a US address', [[[30, 'Fremont CA 94538']], [[310, 'Total'], [523, '$ 279.84']]], 'USD'],
    ['rupees on an Indian invoice', [[[6, 'Warehouse: Bangalore, Karnataka, India - 560067']], [[386, 'Grand Total'], [524, 'Rs 319.00']]], 'INR'],
    ['ringgit', [[[14, 'TOTAL'], [190, 'RM 12.50']]], 'MYR'],
    ['a "Currency:" line', [[[50, 'Currency: Euro']], [[50, 'Total'], [400, '12.00']]], 'EUR'],
    ['a "Währung" line', [[[50, 'Währung'], [200, 'CHF']], [[50, 'Total'], [400, '12.00']]], 'CHF'],
  ])('answers the ISO code of %s', async (_, lines, code) => {
    expect((await read(lines as Line[])).currency).toBe(code);
  });

  it.each([
    ['a bare "$" (USD, CAD, AUD...)', [[[50, 'Balance Due:'], [500, '$127.50']]]],
    ['amounts in two currencies', [[[50, 'Total'], [450, '€ 100,00']], [[50, 'Total in USD'], [450, '$108.20']]]],
    ['rupees with no country', [[[51, 'Grand Total'], [503, 'Rs 1939']]]],
    ['no currency at all', [[[14, 'TOTAL'], [180, '78.10']]]],
  ])('answers null for %s', async (_, lines) => {
    expect((await read(lines as Line[])).currency).toBeNull();
  });

  it('knows a currency field by its name or description in five languages, and only a text field', () => {
    const field = (name: string, description?: string, type: FieldSpec['type'] = 'text'): FieldSpec => ({ name, type, description: description ?? null, required: false });
    for (const name of ['currency', 'Währung', 'devise', 'valuta', 'moneda', 'invoice_currency', 'currencyCode']) expect(isCurrencyField(field(name)), name).toBe(true);
    expect(isCurrencyField(field('code', 'The currency of the amounts'))).toBe(true);
    expect(isCurrencyField(field('total', 'The total in the document\'s currency', 'currency'))).toBe(false);
    expect(isCurrencyField(field('note', 'Any note, in the currency section'))).toBe(false);
  });

  it('cites the line that names the currency', () => {
    expect(documentCurrency(['Invoice 7', 'Total   12,00 €'])).toEqual({ code: 'EUR', line: 1 });
    expect(documentCurrency(['CAD drawings, revision 3', 'Total   12,00 €'])).toEqual({ code: 'EUR', line: 1 });
    expect(documentCurrency(['Total  $ 40.00', 'Shipped from Toronto, Canada', 'Billed to: Seattle, WA 98109'])).toBeNull();
    expect(documentCurrency(['Total  $ 40.00', 'ABN 51 824 753 556'])).toEqual({ code: 'AUD', line: 0 });
    expect(documentCurrency(['Total  $ 40.00', 'ABN AMRO · IBAN NL18 ABNA 0123 4567 89'])).toBeNull();
  });
});

describe('label words of totals and receipts', () => {
  it.each([
    ['Total for this invoice', ['total']],
    ['Total facture', ['total']],
    ['Factuur totaal EUR', ['total']],
    ['Bruttobetrag', ['total']],
    ['Nachzahlung', ['due']],
    ['Bonnummer', ['receipt', 'number']],
    ['Ticket n°', ['receipt', 'number']],
    ['Bon de commande n°', ['order', 'number']],
    ['Bill number', ['invoice', 'number']],
    ['Booking ID', ['booking', 'number']],
  ])('%j is %j', (label, words) => {
    expect(labelWords(label)).toEqual(words);
  });
});
