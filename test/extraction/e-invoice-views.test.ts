import { describe, expect, it } from 'vitest';
import type { FieldSpec } from '../../shared/extraction/types.js';
import { firstRow, printedPdf } from '../support/printed-invoice.js';

/**
 * The printed views of German e-invoices (XRechnung / ZUGFeRD stylesheets): a title line
 * "Handelsrechnung Nr. ... vom ...", then one block per party under "Verkäufer:" and
 * "Käufer/Leistungsempfänger:", each with its own bare "Nummer:" and "Globale Nummer:"
 * (the party's numbers), its name, a one-word street and a country. A party's number is
 * never the invoice number, and a heading, a label's first word, a street or a country
 * is never the vendor. Drawn here with pdf-lib, read through the extractor's real path.
 */

const FIELDS: FieldSpec[] = [
  { name: 'invoice_number', type: 'text', description: 'The invoice number (not the order or customer number)', required: false },
  { name: 'invoice_date', type: 'date', required: false },
  { name: 'total', type: 'currency', required: false },
  { name: 'vendor', type: 'text', description: 'The name of the company or person that issued the invoice', required: false },
];

type Line = Array<[number, string]>;

const read = async (lines: Line[]) => firstRow(await printedPdf(lines.map((cells) => ({ cells }))), FIELDS);

const partyBlocks = (title: Line): Line[] => [
  [[40, 'Stylesheet zur Lesbarmachung der XML-Daten von E-Rechnungen']],
  title,
  [[40, 'Rechnungswährung'], [200, ':'], [210, 'EUR']],
  [[40, 'Verkäufer:']],
  [[40, 'Nummer'], [200, ':'], [210, '549910']],
  [[40, 'Globale'], [90, 'Nummer:'], [210, '4000001123452 (GTIN)']],
  [[40, 'Brunnhuber Werkzeugbau GmbH']],
  [[40, 'Kastanienstraße'], [120, '12']],
  [[40, 'Deutschland']],
  [[40, 'Käufer/Leistungsempfänger:']],
  [[40, 'Nummer'], [200, ':'], [210, 'K-77120']],
  [[40, 'Globale'], [90, 'Nummer:'], [210, '4000001987658 (GTIN)']],
  [[40, 'Praxis Dr. Lenz']],
  [[40, 'Birkenweg'], [120, '3']],
  [[40, 'Deutschland']],
  [[40, 'Bruttosumme'], [300, '1.190,00']],
];

describe('printed views of e-invoices', () => {
  it('takes the number from the title line, never a party\'s bare "Nummer:"', async () => {
    const answer = await read(partyBlocks([[40, 'Handelsrechnung (380)'], [160, 'Nr. RE-2024-0815'], [260, 'vom'], [290, '14.03.2024']]));
    expect(answer.invoice_number).toBe('RE-2024-0815');
    expect(answer.total).toBe(1190);
  });

  it('takes the issue date the title line gives ("Rechnung Nr. X vom <date>"), not a payment term\'s date', async () => {
    const answer = await read([
      [[40, 'Brunnhuber Werkzeugbau GmbH']],
      [[40, 'Handelsrechnung Nr. 471102 vom 05.03.2020']],
      [[40, 'Liefer- und Leistungsdatum'], [200, ': 03.03.2020']],
      [[40, 'Zahlbar innerhalb 30 Tagen netto bis 04.04.2020, 3% Skonto innerhalb 10 Tagen bis 15.03.2020.']],
      [[40, 'Bruttosumme'], [300, '235,62']],
    ]);
    expect(answer.invoice_date).toBe('2020-03-05');
    expect(answer.invoice_number).toBe('471102');
  });

  it('answers no invoice number when only the parties\' numbers are printed', async () => {
    const answer = await read(partyBlocks([[40, 'Handelsrechnung (380)']]));
    expect(answer.invoice_number).toBeNull();
  });

  it('never answers a heading, the first word of a label, a street or a country as the vendor', async () => {
    const answer = await read(partyBlocks([[40, 'Handelsrechnung (380)'], [160, 'Nr. RE-2024-0815']]));
    expect(['Brunnhuber Werkzeugbau GmbH', null]).toContain(answer.vendor);
  });

  it('a number qualified by what it numbers ("(GLN) Nr.:", "Vertrag | Nr:", "§ 4 | Nr. 10a") is not the invoice number', async () => {
    const answer = await read([
      [[40, 'Brunnhuber Werkzeugbau GmbH']],
      [[40, '(GLN) Nr.:'], [120, 'TB100A4']],
      [[40, 'Sachversicherungsvertrag'], [160, 'Nr: 00.123.456.7']],
      [[40, 'steuerfrei nach § 4'], [140, 'Nr. 10a UStG']],
      [[40, 'Bruttosumme'], [300, '59,50']],
    ]);
    expect(answer.invoice_number).toBeNull();
  });

  it('a credit note\'s "Gutschrift Nr." is the number asked for', async () => {
    const answer = await read([
      [[40, 'Brunnhuber Werkzeugbau GmbH']],
      [[40, 'Gutschrift Nr. 47110818']],
      [[40, 'Bruttosumme'], [300, '-119,00']],
    ]);
    expect(answer.invoice_number).toBe('47110818');
  });
});
