import { describe, expect, it } from 'vitest';
import type { FieldSpec } from '../../shared/extraction/types.js';
import { firstRow, printedPdf } from '../support/printed-invoice.js';

/**
 * How letter-style invoices date and number themselves: the place and date line ("München,
 * den 01.11.2024"), a title whose date has more of the title after a dash ("Nr. 4711 vom
 * 01.12.2025 - RECHNUNG"), a German coordinated compound label ("Liefer- und Rechnungsdatum"),
 * and a bare "No." heading an item column. Drawn with pdf-lib and read through the extractor's
 * real path; each rule with the case it must leave alone.
 */

const FIELDS: FieldSpec[] = [
  { name: 'invoice_number', type: 'text', required: false },
  { name: 'invoice_date', type: 'date', required: false },
  { name: 'total', type: 'currency', required: false },
];

type Line = Array<[number, string]>;

const read = async (lines: Line[]) => firstRow(await printedPdf(lines.map((cells) => ({ cells }))), FIELDS);

describe("a letter's place and date line", () => {
  const letter = (dateLine: Line, footer: Line): Line[] => [
    [[180, 'Kestrel Leasing GmbH'], [390, 'Geschäftsstelle Nord']],
    [[180, 'Hafenweg 3, 20457 Hamburg'], [390, 'Hafenweg 3']],
    [[60, 'Brandt Logistik GmbH'], [330, 'Rechnungsnummer:'], [440, '2015738820']],
    dateLine,
    [[60, '60325 Frankfurt am Main'], [330, 'Seite:'], [440, '1']],
    [[240, 'Rechnung']],
    [[45, 'Gesamtbetrag'], [480, '447,88']],
    footer,
  ];

  it('dates the invoice over a bare "Datum:" of a print stamp in the footer', async () => {
    const row = await read(letter([[60, 'z. Hd. Frau Brandt'], [330, 'München, den'], [440, '01.11.2024']], [[45, 'Bankverbindung: IBAN DE34 7007 0010 0156 9193 01'], [428, 'Datum:'], [470, '30.10.2024']]));
    expect(row.invoice_date).toBe('2024-11-01');
    expect(row.invoice_number).toBe('2015738820');
  });

  it('reads the date in the same cell ("Paris, le 3 mars 2025")', async () => {
    const row = await read(letter([[60, 'z. Hd. Frau Brandt'], [330, 'Paris, le 3 mars 2025']], [[45, 'Merci de votre confiance']]));
    expect(row.invoice_date).toBe('2025-03-03');
  });

  it('leaves a labelled invoice date alone ("Rechnungsdatum:" outranks the letter line)', async () => {
    const row = await read(letter([[60, 'z. Hd. Frau Brandt'], [330, 'München, den'], [440, '01.11.2024']], [[45, 'Rechnungsdatum:'], [160, '29.10.2024']]));
    expect(row.invoice_date).toBe('2024-10-29');
  });

  it('takes no address line ending in a date without the marker word ("Hamburg, 01.11.2024" may be anything)', async () => {
    const row = await read(letter([[60, 'z. Hd. Frau Brandt'], [330, 'Hamburg,'], [440, '01.11.2024']], [[45, 'Datum:'], [100, '30.10.2024']]));
    expect(row.invoice_date).toBe('2024-10-30');
  });
});

describe('a title whose date has more of the title after it', () => {
  it('reads "Handelsrechnung (380) | Nr. 47110815 | vom | 01.12.2025 - RECHNUNG" as dated 1 December 2025', async () => {
    const row = await read([
      [[63, 'Handelsrechnung (380)'], [200, 'Nr. 47110815'], [290, 'vom'], [320, '01.12.2025 - RECHNUNG']],
      [[66, 'Liefer- und Leistungsdatum:'], [305, '25.11.2025']],
    ]);
    expect(row.invoice_date).toBe('2025-12-01');
  });

  it('still answers null when what comes before the dash is no date', async () => {
    const row = await read([[[63, 'Handelsrechnung (380)'], [200, 'Nr. 47110815'], [290, 'vom'], [320, 'Dezember - RECHNUNG']]]);
    expect(row.invoice_date).toBeNull();
  });
});

describe('a German coordinated compound label', () => {
  it('"Liefer- und Rechnungsdatum" labels the invoice date', async () => {
    const row = await read([
      [[55, 'Rechnungsnummer: 2014-03'], [289, 'Liefer- und Rechnungsdatum: 11. Juli 2014']],
      [[320, 'Rechnungssumme brutto'], [479, '1.005,55']],
    ]);
    expect(row.invoice_date).toBe('2014-07-11');
    expect(row.total).toBe(1005.55);
  });

  it('"Liefer- und Leistungsdatum" (delivery and service) is no invoice date', async () => {
    const row = await read([
      [[55, 'Rechnungsnummer: 2014-03'], [289, 'Liefer- und Leistungsdatum: 11. Juli 2014']],
      [[55, 'Bestellt am 2. Juli 2014']],
    ]);
    expect(row.invoice_date).toBeNull();
  });
});

describe('a bare "No." heading a column of a table', () => {
  it('is not the invoice number: the item number under it is not answered', async () => {
    const row = await read([
      [[57, 'Order No.'], [184, 'Shipment Method'], [312, 'Payment Method']],
      [[57, 'No.'], [104, 'Description'], [218, 'Date'], [278, 'Quantity'], [456, 'Line Amount']],
      [[57, '1908-S'], [104, 'Desk chair, blue'], [218, '02/17/26'], [307, '3'], [542, '573.00']],
    ]);
    expect(row.invoice_number).toBeNull();
  });

  it('still labels the number where a title stands before it ("Invoice | No. | 4711")', async () => {
    const row = await read([[[57, 'Invoice'], [110, 'No.'], [150, 'INV-4711']]]);
    expect(row.invoice_number).toBe('INV-4711');
  });
});
