import { PDFDocument, StandardFonts, degrees } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { coerceCell } from '../../shared/extraction/cells.js';
import type { FieldSpec } from '../../shared/extraction/types.js';
import { firstRow, printedPdf } from '../support/printed-invoice.js';

/**
 * Where invoices print the number, the date, the total and the currency beside their labels:
 * a value right-aligned under a label in the right-hand column, a colon in a column of its own,
 * a title line "Rechnung # X von <date>", a party's block under an "Abweichender ..." heading,
 * the German compounds and the French "Avoir". Drawn with pdf-lib, read through the
 * extractor's real path; each caution has its "answers null" case.
 */

const FIELDS: FieldSpec[] = [
  { name: 'invoice_number', type: 'text', required: false },
  { name: 'invoice_date', type: 'date', required: false },
  { name: 'total', type: 'currency', required: false },
  { name: 'currency', type: 'text', required: false },
];

type Line = Array<[number, string]>;

const read = async (lines: Line[]) => firstRow(await printedPdf(lines.map((cells) => ({ cells }))), FIELDS);

describe('a value right-aligned under its label in the right-hand column', () => {
  const header = (number: Line, date: Line): Line[] => [
    [[40, 'Rechnungsersteller']],
    [[50, 'Brunnhuber Werkzeugbau GmbH']],
    [[50, 'Kastanienstraße 12'], [360, 'RECHNUNG']],
    [[360, 'Rechnungsnummer']],
    number,
    [[360, 'Rechnungsdatum']],
    date,
    [[360, 'Leistungsdatum']],
    [[50, 'Deutschland'], [515, '02.04.2024']],
    [[50, 'Rechnungssumme Netto (excl. USt.)'], [505, '1.000,00']],
    [[50, 'Rechnungssumme Brutto (inkl. USt.)'], [505, '1.190,00']],
  ];

  it('reads the number and the date printed under "Rechnungsnummer" / "Rechnungsdatum", right of the address block', async () => {
    const answer = await read(header([[50, '80333 München'], [530, '471102']], [[50, 'Hans Muster'], [515, '05.04.2024']]));
    expect(answer).toMatchObject({ invoice_number: '471102', invoice_date: '2024-04-05', total: 1190 });
  });

  it('answers null when the line under the label holds two cells right of it (no one value)', async () => {
    const answer = await read(header([[50, '80333 München'], [455, 'GE2020211'], [530, '471102']], [[50, 'Hans Muster'], [455, '01.04.2024'], [515, '05.04.2024']]));
    expect(answer.invoice_number).toBeNull();
    expect(answer.invoice_date).toBeNull();
  });
});

describe('labels in columns: a colon cell, a receipt\'s date, the invoice currency', () => {
  it('reads "Beleg-Nr | : | value" and "Beleg-Datum | : | date", the colon in a column of its own', async () => {
    const answer = await read([
      [[40, 'Lieferant'], [210, 'Käufer'], [360, 'RECHNUNGS-KORREKTUR']],
      [[40, 'MUSTERLIEFERANT GMBH'], [210, 'MUSTER-KUNDE GMBH'], [360, 'Beleg-Nr'], [450, ':'], [460, 'RK21012345']],
      [[360, 'Beleg-Datum'], [450, ':'], [460, '16.09.2024']],
      [[360, 'Leistungs-Datum'], [450, ':'], [460, '05.08.2024']],
      [[360, 'Bestell-Datum'], [450, ':'], [460, '01.08.2024']],
    ]);
    expect(answer).toMatchObject({ invoice_number: 'RK21012345', invoice_date: '2024-09-16' });
  });

  it('a bare "Beleg" heading labels no date: two other dates answer null', async () => {
    const answer = await read([
      [[40, 'MUSTERLIEFERANT GMBH'], [360, 'Beleg']],
      [[360, 'Leistungs-Datum'], [450, ':'], [460, '05.08.2024']],
      [[360, 'Bestell-Datum'], [450, ':'], [460, '01.08.2024']],
    ]);
    expect(answer.invoice_date).toBeNull();
  });

  it('answers the invoice currency ("Rechnungswährung | : | GBP") over the tax accounting one', async () => {
    const answer = await read([
      [[50, 'Handelsrechnung Nr. 47110815 vom 31.10.2024']],
      [[50, 'Rechnungswährung'], [176, ':'], [188, 'GBP']],
      [[50, 'Währung der Umsatzsteuerbuchung'], [242, ':'], [254, 'EUR']],
      [[50, 'Bruttosumme'], [300, '1021,91']],
    ]);
    expect(answer.currency).toBe('GBP');
  });
});

describe('totals', () => {
  it('reads a bare "Brutto" under "Netto" and the tax, and "Total Amount (DEM)" beside its amount', async () => {
    const brutto = await read([
      [[50, 'Rechnung R0005532486']],
      [[470, 'Netto'], [530, '87,39 €']],
      [[450, 'USt. (19 %)'], [530, '16,61 €']],
      [[470, 'Brutto'], [530, '104,00 €']],
    ]);
    expect(brutto.total).toBe(104);
    const dem = await read([
      [[50, 'Rechnung 90005178']],
      [[300, 'Total Before Tax'], [500, '32.838,00']],
      [[300, 'Total Tax'], [500, '4.925,70']],
      [[300, 'Total Amount (DEM)'], [500, '37.763,70']],
    ]);
    expect(dem.total).toBe(37763.7);
  });

  it('a line of only the net and the tax ("Total Before Tax", "Total Tax") gives no total', async () => {
    const answer = await read([
      [[50, 'Rechnung 90005178']],
      [[300, 'Total Before Tax'], [500, '32.838,00']],
      [[300, 'Total Tax'], [500, '4.925,70']],
    ]);
    expect(answer.total).toBeNull();
  });
});

describe('title lines and parties', () => {
  it('reads "Rechnung # X von <date>" and "Invoice # X issued at <date>" for the number and the date, not the delivery date', async () => {
    const german = await read([
      [[57, 'Kundennummer:2']],
      [[57, 'Rechnung # RE-20170509/505 von 09.05.2017']],
      [[57, 'Leistungsdatum 07.05.2017']],
      [[57, 'Gesamtbetrag: 571,04 €']],
    ]);
    expect(german).toMatchObject({ invoice_number: 'RE-20170509/505', invoice_date: '2017-05-09', total: 571.04 });
    const english = await read([
      [[57, 'Customer:2']],
      [[57, 'Invoice # RE-20201121/508 issued at 2020-11-21']],
      [[57, 'Date of delivery 2020-11-10']],
      [[57, 'Due payable: 571.04 €']],
    ]);
    expect(english).toMatchObject({ invoice_number: 'RE-20201121/508', invoice_date: '2020-11-21' });
  });

  it('"Date of delivery <date>" labels no invoice date: with another date on the page it answers null', async () => {
    const answer = await read([
      [[57, 'Invoice RE-20201121/508']],
      [[57, 'Date of delivery 2020-11-10']],
      [[57, 'Please remit until 2020-12-12.']],
    ]);
    expect(answer.invoice_date).toBeNull();
    expect(coerceCell('date', 'of delivery 3 March 2025')).toBeNull();
    expect(coerceCell('date', 'le 3 mars 2025')).toBe('2025-03-03');
  });

  it('takes a corrective invoice\'s titled number over the bare "Nummer:" of a party under "Abweichender Warenempfänger"', async () => {
    const parties = (title: Line): Line[] => [
      title,
      [[70, 'Währung:'], [260, 'EUR']],
      [[70, 'Abweichender Warenempfänger']],
      [[70, 'Nummer:'], [260, '75969815']],
      [[70, 'Name:'], [260, 'Metallbau Leipzig GmbH & Co. KG']],
      [[70, 'Abweichender'], [150, 'Zahlungsempfänger:']],
      [[70, 'Nummer:'], [260, '4711']],
      [[70, 'Bruttosumme'], [400, '-8,79']],
    ];
    const titled = await read(parties([[65, 'Rechnungskorrektur (384)'], [225, 'Nr. RK21012345'], [330, 'vom'], [360, '16.09.2018']]));
    expect(titled).toMatchObject({ invoice_number: 'RK21012345', total: -8.79 });
    const untitled = await read(parties([[65, 'Rechnungskorrektur (384)']]));
    expect(untitled.invoice_number).toBeNull();
  });

  it('reads a French credit note\'s "Avoir AV-2017-0005" and a German compound title\'s date ("Beitragsrechnung | 24. Januar 2014")', async () => {
    const avoir = await read([
      [[31, 'Avoir AV-2017-0005']],
      [[34, 'Date de facture'], [155, '16/11/2017']],
      [[34, 'Facture liée'], [155, 'FA-2017-0010']],
      [[448, 'Total TTC'], [520, '-233,47 €']],
    ]);
    expect(avoir).toMatchObject({ invoice_number: 'AV-2017-0005', invoice_date: '2017-11-16', total: -233.47 });
    const premium = await read([
      [[71, 'Beitragsrechnung'], [425, '24. Januar 2014']],
      [[71, 'zu Ihrer Versicherung wird der Beitrag für den Zeitraum vom 06.12.2013 bis zum 06.12.2014']],
      [[71, 'Rechnungsbetrag'], [294, '59,50 €']],
    ]);
    expect(premium).toMatchObject({ invoice_date: '2014-01-24', total: 59.5 });
  });

  it('a verb\'s noun ending in "-rechnung" ("Berechnung", "Verrechnung") names no invoice', async () => {
    const answer = await read([
      [[71, 'Berechnung'], [425, '24. Januar 2014']],
      [[71, 'Verrechnung'], [425, '3. Februar 2014']],
      [[71, 'Rechnungsbetrag'], [294, '59,50 €']],
    ]);
    expect(answer.invoice_date).toBeNull();
  });
});

describe('a total printed only in the tax summary table', () => {
  const summary = (rows: Line[]): Line[] => [
    [[40, 'MUSTERLIEFERANT GMBH'], [360, 'Beleg-Nr'], [450, ':'], [460, 'R87654321012345']],
    [[40, '1 KR3M'], [107, '55T01'], [180, 'Kunstrasen grün 3m breit'], [520, '12,00']],
    [[50, 'Warenwert'], [120, 'Skonto'], [338, 'Nettobetrag'], [400, 'MwSt-Betrag'], [482, 'MwSt-%'], [530, 'Endbetrag']],
    ...rows,
  ];

  it('reads the gross of the sum row when every row adds up (net + tax = gross, the last row the sum of the others)', async () => {
    const answer = await read(
      summary([
        [[64, '326,50'], [122, '-8,10'], [357, '321,40'], [424, '61,07'], [486, '19,0'], [539, '382,47']],
        [[64, '130,70'], [122, '-3,11'], [357, '127,59'], [429, '8,93'], [490, '7,0'], [539, '136,52']],
        [[64, '457,20'], [117, '-11,21'], [357, '448,99'], [424, '70,00'], [486, 'EUR'], [539, '518,99']],
      ]),
    );
    expect(answer).toMatchObject({ total: 518.99, currency: 'EUR', invoice_number: 'R87654321012345' });
  });

  it('answers null when the last row is not the sum of the rows above it', async () => {
    const answer = await read(
      summary([
        [[64, '326,50'], [122, '-8,10'], [357, '321,40'], [424, '61,07'], [486, '19,0'], [539, '382,47']],
        [[64, '130,70'], [122, '-3,11'], [357, '127,59'], [429, '8,93'], [490, '7,0'], [539, '136,52']],
      ]),
    );
    expect(answer.total).toBeNull();
  });
});

describe('a band of totals over its amounts a few lines down', () => {
  // A French Factur-X layout: "TOTAL HT | TOTAL TVA | TOTAL TTC" at the right, the payment terms' lines at the
  // left, the three amounts printed beside the note's third line, then a deposit and what is left to pay.
  const band = (amounts: Line): Line[] => [
    [[300, 'Facture n° :'], [450, 'FA-2291']],
    [[300, 'Date :'], [450, '14/02/2025']],
    [[50, 'Pénalités de retard au taux légal majoré de trois points, exigibles'], [360, 'TOTAL HT'], [420, 'TOTAL TVA'], [490, 'TOTAL TTC']],
    [[50, 'dès le lendemain de la date d\'échéance.']],
    [[50, 'Indemnité de recouvrement : 40 €.']],
    amounts,
    [[420, 'Acompte :'], [510, '30,00']],
    [[330, 'NET A PAYER'], [460, '210,00 EUR']],
  ];

  it('reads the gross under "TOTAL TTC" when the net and the tax beside it add up to it, the note\'s lines between', async () => {
    const answer = await read(band([[50, 'Escompte : néant.'], [365, '200,00'], [430, '40,00'], [500, '240,00']]));
    expect(answer).toMatchObject({ total: 240, invoice_number: 'FA-2291' });
  });

  it('answers null when the net and the tax do not add up to the gross', async () => {
    const answer = await read(band([[50, 'Escompte : néant.'], [365, '200,00'], [430, '40,00'], [500, '250,00']]));
    expect(answer.total).toBeNull();
  });
});

describe('a total under the net and the tax lines it is the sum of', () => {
  // An insurer's premium invoice: the amount to pay labelled "Rechnungsbeitrag", a word no vocabulary has.
  // The amounts are right-aligned: "9,50 €" one figure (5.56 points of Helvetica at 10) right of "50,00 €".
  const premium = (gross: string, after: Line[] = []): Line[] => [
    [[70, 'Beitragsrechnung'], [420, '24. Januar 2025']],
    [[70, 'Privathaftpflicht'], [300, '50,00 €']],
    [[70, 'Gesamtbeitrag'], [300, '50,00 €']],
    [[70, 'Versicherungsteuer 19 %'], [305.56, '9,50 €']],
    [[70, 'Rechnungsbeitrag'], [300, gross]],
    ...after,
  ];

  it('reads the last of three right-aligned lines when it is the net plus the tax line with its rate', async () => {
    expect((await read(premium('59,50 €'))).total).toBe(59.5);
  });

  it('answers null when the amounts do not add up, or another amount follows in the column', async () => {
    expect((await read(premium('59,00 €'))).total).toBeNull();
    expect((await read(premium('59,50 €', [[[70, 'Bereits gezahlt'], [300, '59,50 €']]]))).total).toBeNull();
  });
});

describe('a note printed up the margin', () => {
  it('is no part of the line its start meets: the label beside the total reads whole', async () => {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    const page = pdf.addPage([595, 842]);
    const lines: Array<[number, number, string]> = [
      [700, 60, 'Rechnungsnummer: 2025-118'],
      [680, 60, 'Rechnungssumme Netto (excl. USt.)'],
      [660, 60, 'Rechnungssumme Brutto (inkl. USt.)'],
    ];
    for (const [y, x, text] of lines) page.drawText(text, { x, y, size: 10, font });
    page.drawText('445,00', { x: 512, y: 680, size: 10, font });
    page.drawText('529,55', { x: 512, y: 660, size: 10, font });
    // Up the left margin from the total's line, its first letters over the label's start.
    page.drawText('Musterformular 2025 - Copyright Formularverlag e.V.', { x: 64, y: 662, size: 5, font, rotate: degrees(90) });
    const answer = await firstRow(Buffer.from(await pdf.save()), FIELDS);
    expect(answer).toMatchObject({ invoice_number: '2025-118', total: 529.55 });
  });
});

describe('a title wrapped onto the next line', () => {
  it('reads the number and the date of "Gutschrift (...) Nr. 471102 vom" over "05.03.2018", and of "... Nr. 47110818" over "vom 31.10.2018"', async () => {
    const before = await read([
      [[50, 'Stylesheet zur Lesbarmachung der XML-Daten']],
      [[50, 'Gutschrift (Selbst ausgestellte Rechnung) Nr. 471102 vom']],
      [[50, '05.03.2018']],
      [[50, 'Liefer- und Leistungsdatum'], [225, ': 01.03.2018']],
      [[50, 'Bruttosumme'], [400, '529,87']],
    ]);
    expect(before).toMatchObject({ invoice_number: '471102', invoice_date: '2018-03-05' });
    const after = await read([
      [[50, 'Gutschrift (Selbst ausgestellte Rechnung) Nr. 47110818']],
      [[50, 'vom 31.10.2018']],
      [[50, 'Liefer-/Leistungszeitraum'], [206, ':'], [218, '01.10.2018 bis 31.10.2018']],
      [[50, 'Bruttosumme'], [400, '2000,00']],
    ]);
    expect(after).toMatchObject({ invoice_number: '47110818', invoice_date: '2018-10-31' });
  });

  it('the order named in a title line ("Rechnung gemäß Bestellung Nr. X vom <date>") gives no invoice date', async () => {
    const answer = await read([
      [[50, 'Lieferant GmbH'], [350, 'Hinweis']],
      [[50, 'Kundenstraße 15'], [350, 'Rechnung gemäß Bestellung Nr. 2013-471331']],
      [[350, 'vom 01.03.2013.']],
      [[50, 'Zahlbar innerhalb 30 Tagen netto bis 04.07.2013']],
      [[50, 'Bruttosumme'], [400, '215,14']],
    ]);
    expect(answer.invoice_date).toBeNull();
    expect(answer.invoice_number).toBeNull();
  });
});

describe('the number a title line gives when no label names one', () => {
  it('reads "Rechnung des Versicherers Nr. 00.123.456.7-2018-1 vom" over its date, and "Währung | : GBP"', async () => {
    const answer = await read([
      [[50, 'Rechnung des Versicherers Nr. 00.123.456.7-2018-1 vom']],
      [[50, '11.03.2018']],
      [[50, 'Währung'], [173, ': GBP']],
      [[50, 'Steuerbetrag in EUR'], [400, '35,13 €']],
      [[50, 'Bruttosumme'], [400, '220,00']],
    ]);
    // The colon opening the value's cell (": GBP") is the label's: the labelled currency, not the document's two.
    expect(answer).toMatchObject({ invoice_number: '00.123.456.7-2018-1', invoice_date: '2018-03-11', currency: 'GBP', total: 220 });
  });

  it('answers null for a number the title gives another party or document ("Rechnung Kunden-Nr. 4711 vom ...", "... zur Bestellung Nr. ...")', async () => {
    const customer = await read([
      [[50, 'Rechnung Kunden-Nr. K-4711 vom 11.03.2018']],
      [[50, 'Bruttosumme'], [400, '220,00']],
    ]);
    expect(customer.invoice_number).toBeNull();
    const order = await read([
      [[50, 'Rechnung zur Bestellung Nr. B-2018-77 vom 11.03.2018']],
      [[50, 'Bruttosumme'], [400, '220,00']],
    ]);
    expect(order.invoice_number).toBeNull();
  });
});

describe('a party\'s bare number under a letter-spaced heading', () => {
  it('never answers the seller\'s "Nummer | : 549910" under "Ver käufer :" for the invoice number', async () => {
    const answer = await read([
      [[44, 'Währung'], [124, ': EUR']],
      [[44, 'Ver käufer :']],
      [[44, 'Nummer'], [98, ': 549910']],
      [[44, 'MUSTERLIEFERANT GMBH']],
      [[44, 'Bruttosumme'], [400, '-8,79']],
    ]);
    expect(answer.invoice_number).toBeNull();
  });
});

describe('a band of headings over one line of values', () => {
  it('reads the date under "Date de facture" in a band with "N° client | Échéance | Bon de commande"', async () => {
    const answer = await read([
      [[50, 'OLIVIER ET AUBRY SAS']],
      [[50, 'FACTURE N° 543667']],
      [[50, 'Date de facture'], [174, 'N° client'], [298, 'Échéance'], [421, 'Bon de commande']],
      [[50, '22 janvier 2026'], [174, 'C72974'], [298, '21/02/2026'], [421, 'BC-391622']],
      [[50, 'Désignation'], [317, 'Qté'], [383, 'P.U. HT'], [501, 'Montant HT']],
      [[50, 'Maintenance annuelle'], [325, '3'], [377, '131,50 €'], [512, '394,50 €']],
      [[360, 'Total TTC'], [510, '473,40 €']],
    ]);
    expect(answer).toMatchObject({ invoice_number: '543667', invoice_date: '2026-01-22', total: 473.4 });
  });

  it('answers null for a date heading over a column of dates (a list of transactions), and for a bare "Date" heading', async () => {
    const column = await read([
      [[50, 'Invoice Date'], [174, 'Description'], [421, 'Reference']],
      [[50, '03/02/2026'], [174, 'Consulting'], [421, 'AB-1']],
      [[50, '04/02/2026'], [174, 'Travel'], [421, 'AB-2']],
    ]);
    expect(column.invoice_date).toBeNull();
    const bare = await read([
      [[50, 'Date'], [174, 'Customer'], [298, 'Due'], [421, 'Order']],
      [[50, '22/01/2026'], [174, 'C72974'], [298, '21/02/2026'], [421, 'BC-391622']],
      [[50, 'Description'], [421, 'Amount']],
    ]);
    expect(bare.invoice_date).toBeNull();
  });
});

describe('a Dutch "nota"', () => {
  it('reads "Notanummer" and "Notadatum" over their values in the right-hand column', async () => {
    const answer = await read([
      [[396, 'Energie Oost']],
      [[360, 'Klantnummer']],
      [[57, 'Donna de Corte'], [360, '986999057']],
      [[360, 'Notanummer']],
      [[57, '3333 ZN Overwater'], [360, '4735 7522 19']],
      [[360, 'Notadatum']],
      [[360, '23 juni 2024']],
      [[50, 'Jaarnota']],
      [[360, 'Totaal te betalen'], [500, '€ 247,07']],
    ]);
    expect(answer).toMatchObject({ invoice_number: '4735 7522 19', invoice_date: '2024-06-23' });
  });

  it('a bare "Nota" (a note in Spanish) labels no invoice number', async () => {
    const answer = await read([
      [[50, 'Ferretería López S.L.']],
      [[50, 'Nota'], [200, 'P-4711-B']],
      [[360, 'Total'], [500, '24,90 €']],
    ]);
    expect(answer.invoice_number).toBeNull();
  });
});

describe('the currency the amounts are counted in', () => {
  it('reads "Beträge in | CHF" over a euro amount elsewhere on the page', async () => {
    const answer = await read([
      [[51, 'Kunden AG Mitte'], [353, 'Beträge in'], [554, 'CHF']],
      [[51, 'Umrechnung: 1,00 € = 0,96 CHF']],
      [[57, 'Rechnungssumme Brutto (inkl. USt.)'], [517, '215,14']],
    ]);
    expect(answer).toMatchObject({ currency: 'CHF', total: 215.14 });
  });

  it('answers null when "Beträge in" names no currency and the page prints two', async () => {
    const answer = await read([
      [[51, 'Kunden AG Mitte'], [353, 'Beträge in'], [554, 'Tausend']],
      [[51, 'Umrechnung: 1,00 € = 0,96 CHF']],
      [[57, 'Rechnungssumme Brutto (inkl. USt.)'], [517, '215,14']],
    ]);
    expect(answer.currency).toBeNull();
  });
});
