import { PDFArray, PDFDocument, PDFNumber, PDFOperator, PDFOperatorNames, StandardFonts, beginText, endText, moveText, setFontAndSize } from 'pdf-lib';
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import type { FieldSpec } from '../../shared/extraction/types.js';
import { at, firstRow, printedPdf, type PrintedLine } from '../support/printed-invoice.js';

/**
 * The vendor of a text PDF laid out the ways printed views of e-invoices and German letters
 * are: a seller's block of "Label: value" lines under its heading, an indented block under
 * "Rechnungsersteller" beside an interleaved right-hand column, a name wrapped over two lines,
 * a sender line over the address window with its bullets as cells of their own, words of a
 * fixed-width font one character apart. Precision first: the customer, a heading of notes,
 * a copyright line, a title line or a payment label is never the vendor; null is.
 */

const FIELDS: FieldSpec[] = [
  { name: 'invoice_number', type: 'text', description: 'Invoice number', required: false },
  { name: 'vendor', type: 'text', description: 'The name of the company or person that issued the invoice', required: false },
];

async function vendorOf(lines: PrintedLine[]): Promise<unknown> {
  return (await firstRow(await printedPdf(lines), FIELDS)).vendor;
}

/** A page of Courier text: each word drawn on its own at its x position, as some e-invoice viewers print. */
async function courierPdf(lines: ReadonlyArray<Array<[number, string]>>): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Courier);
  const page = pdf.addPage([595, 842]);
  lines.forEach((cells, i) => {
    for (const [x, text] of cells) page.drawText(text, { x, y: 780 - i * 16, size: 10, font });
  });
  return Buffer.from(await pdf.save());
}

/**
 * A page of Helvetica text runs drawn as TJ arrays, the way some producers letter-space
 * each glyph: a run is its text with, after a character, the adjustment (thousandths of an
 * em, negative widens) that follows it, e.g. [['Liefer', -55], ...].
 */
async function kernedPdf(lines: ReadonlyArray<{ x: number; runs: Array<Array<[string, number]>> }>, { scan = false } = {}): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([595, 842]);
  if (scan) {
    // A searchable scan: the page's image painted whole, its text layer over it.
    const canvas = createCanvas(620, 877);
    const context = canvas.getContext('2d');
    context.fillStyle = '#f4f1ea';
    context.fillRect(0, 0, 620, 877);
    page.drawImage(await pdf.embedJpg(canvas.toBuffer('image/jpeg')), { x: 0, y: 0, width: 595, height: 842 });
  }
  const name = page.node.newFontDictionary(font.name, font.ref);
  lines.forEach(({ x, runs }, i) => {
    let left = x;
    for (const run of runs) {
      const array = PDFArray.withContext(pdf.context);
      let width = 0;
      for (const [text, adjust] of run) {
        array.push(font.encodeText(text));
        array.push(PDFNumber.of(adjust));
        width += font.widthOfTextAtSize(text, 10) - (adjust / 1000) * 10;
      }
      page.pushOperators(beginText(), setFontAndSize(name, 10), moveText(left, 780 - i * 16), PDFOperator.of(PDFOperatorNames.ShowTextAdjusted, [array]), endText());
      left += width + 2.8;
    }
  });
  return Buffer.from(await pdf.save());
}

/** Words of one line one character apart in Courier (a character is 6 points wide at 10 points). */
function courierWords(x: number, text: string): Array<[number, string]> {
  const cells: Array<[number, string]> = [];
  for (const word of text.split(' ')) {
    cells.push([x, word]);
    x += (word.length + 1) * 6;
  }
  return cells;
}

describe('the seller\'s block of a printed e-invoice', () => {
  it('"Verkäufer" over "Label: value" lines: the value of its "Name:" line, even a name that is a party word with a legal form; a heading of notes beside the legal lines is no name', async () => {
    const vendor = await vendorOf([
      at([65, 'Handelsrechnung (380)'], [208, 'Nr. 58120'], [282, 'vom'], [318, '02.04.2024']),
      at([70, 'Währung:'], [261, 'EUR']),
      at([70, 'Verkäufer']),
      at([70, 'Nummer:'], [261, '773311']),
      at([70, 'Globale Nummer:'], [261, '4012345000009 (GLN)']),
      at([70, 'Name:'], [261, 'Lieferant GmbH']),
      at([70, 'Anschrift:'], [261, 'Werkstraße 4']),
      at([261, 'DE 50667 Köln']),
      at([70, 'Käufer/Leistungsempfänger']),
      at([70, 'Nummer:'], [261, 'K-2231']),
      at([70, 'Name:'], [261, 'Abnehmer AG Nord']),
      at([70, 'Anschrift:'], [261, 'Hafenweg 9']),
      at([70, 'Bemerkungen']),
      at([70, 'Betreff:'], [175, 'REG'], [194, 'Regulatory information']),
      at([175, 'Lieferant GmbH']),
      at([144, 'Inhalt'], [175, 'Deutschland']),
      at([175, 'Geschäftsführer: Jana Beispiel']),
      at([175, 'Handelsregisternummer: HRB 4411']),
    ]);
    expect(vendor).toBe('Lieferant GmbH');
  });

  it('a name wrapped over two lines beside its "Name:" label reads whole', async () => {
    const vendor = await vendorOf([
      at([65, 'Rechnung des Versicherers'], [263, 'Nr. 88-2024-7']),
      at([70, 'Verkäufer']),
      at([70, 'Nummer:'], [261, '440012']),
      at([261, 'NVH Nordhafener']),
      at([70, 'Name:'], [261, 'Versicherungsverein Hafenstadt a.G.']),
      at([70, 'Anschrift:'], [261, 'Kaistraße 3']),
      at([70, 'Käufer/Leistungsempfänger']),
      at([70, 'Name:'], [261, 'Jonas Beispiel']),
    ]);
    expect(vendor).toBe('NVH Nordhafener Versicherungsverein Hafenstadt a.G.');
  });

  it('a letterhead wrapped before its legal form reads whole; a brand over its own legal name does not join it', async () => {
    expect(
      await vendorOf([
        at([71, 'NVH Nordhafener']),
        at([71, 'Versicherungsverein Hafenstadt a.G.']),
        at([71, 'Herrn']),
        at([71, 'Jonas Beispiel']),
        at([71, 'Lindenweg 11']),
        at([71, '23552 Lübeck']),
        { cells: [[71, 'Beitragsrechnung'], [425, '24. Januar 2024']], gap: 20 },
      ]),
    ).toBe('NVH Nordhafener Versicherungsverein Hafenstadt a.G.');
    expect(
      await vendorOf([
        at([71, 'Kranich Cloud']),
        at([71, 'Kranich Cloud Services GmbH']),
        at([71, 'Wolkenweg 2, 10115 Berlin']),
        at([71, 'rechnung@kranich-cloud.de']),
        { cells: [[71, 'Rechnung Nr. 2024-88']], gap: 20 },
      ]),
    ).toBe('Kranich Cloud Services GmbH');
  });

  it('"Rechnungsersteller" over an indented block; the customer\'s block under "Rechnungsempfänger" goes on past lines of the right-hand column', async () => {
    const vendor = await vendorOf([
      at([40, 'Rechnungsersteller']),
      at([53, 'Lieferant GmbH']),
      at([53, 'Werkstraße 4'], [365, 'RECHNUNG']),
      at([365, 'Rechnungsnummer']),
      at([53, '50667 Köln'], [520, '58120']),
      at([53, 'GLN 4012345000009'], [365, 'Leistungsdatum'], [505, '02.04.2024']),
      at([40, 'Rechnungsempfänger'], [365, 'Kundennummer']),
      at([505, 'K-2231']),
      at([365, 'Beträge in']),
      at([53, 'Abnehmer AG Nord'], [540, 'EUR']),
      at([53, 'Hafenweg 9']),
      at([53, '20457 Hamburg']),
    ]);
    expect(vendor).toBe('Lieferant GmbH');
  });
});

describe('the other parties\' blocks', () => {
  it('the buyer\'s "Name:" under "Käufer" is the customer\'s, legal form or not: the seller\'s name without one answers', async () => {
    const vendor = await vendorOf([
      at([65, 'Mietrechnung (387)'], [189, 'Nr. 9311/00/M'], [365, 'vom'], [401, '01.10.2024']),
      at([70, 'Verkäufer']),
      at([70, 'Nummer:'], [261, '549910']),
      at([70, 'Name:'], [261, 'NORD-Autovermietung']),
      at([70, 'Anschrift:'], [261, 'Hafenstr. 99']),
      at([70, 'Käufer/Leistungsempfänger']),
      at([70, 'Nummer:'], [261, '9314110911']),
      at([70, 'Name:'], [261, 'SÜD-HANDEL GMBH']),
      at([70, 'Anschrift:'], [261, 'Bergweg 88']),
    ]);
    expect(vendor).toBe('NORD-Autovermietung');
  });

  it('a deviating payee\'s and a tax representative\'s blocks are not the seller\'s; a buyer\'s block of "Label: value" lines ends at the next heading', async () => {
    expect(
      await vendorOf([
        at([65, 'Handelsrechnung (380)'], [208, 'Nr. 58120'], [282, 'vom'], [318, '02.04.2024']),
        at([70, 'Verkäufer']),
        at([70, 'Name:'], [261, 'Lieferant GmbH']),
        at([70, 'Anschrift:'], [261, 'Werkstraße 4']),
        at([70, 'Käufer/Leistungsempfänger']),
        at([70, 'Nummer:'], [261, 'K-2231']),
        at([70, 'Name:'], [261, 'Abnehmer AG Nord']),
        at([70, 'Abweichender Zahlungsempfänger']),
        at([70, 'Name:'], [261, 'Factoring GmbH']),
        at([70, 'Bemerkungen']),
        at([70, 'Betreff:'], [175, 'REG'], [194, 'Regulatory information']),
        at([175, 'Lieferant GmbH']),
        at([175, 'Werkstraße 4']),
      ]),
    ).toBe('Lieferant GmbH');
    expect(
      await vendorOf([
        at([50, 'Gutschrift Nr. 47110818 vom 31.10.2024']),
        at([50, 'Verkäufer:']),
        at([50, 'Nummer'], [134, ':'], [146, '12345676']),
        at([50, 'Westbridge Trading Ltd.']),
        at([50, '153 Victoria Street']),
        at([50, 'Käufer:']),
        at([50, 'Metallbau Leipzig GmbH']),
        at([50, 'Pappelallee 15']),
        at([50, 'Qualifizierung der Textart: REG']),
        at([50, 'Westbridge Trading Ltd.']),
        at([50, 'Steuerbevollmächtigter des Verkäufers:']),
        at([50, 'Westbridge Trading Tax Services']),
        at([50, 'Friedrichstraße 165']),
      ]),
    ).toBe('Westbridge Trading Ltd.');
  });
});

describe('the sender line over the address window', () => {
  it('a sender line with its bullets as cells of their own is the issuer\'s; the company in the window under it is the customer, however it scores', async () => {
    const vendor = await vendorOf([
      at([451, 'Blauwerk GmbH']),
      { cells: [[100, 'Blauwerk GmbH'], [164, '•'], [172, 'Ecke 12'], [206, '•'], [214, '12345 Stadthausen'], [451, '12345 Stadthausen']], size: 7 },
      at([71, 'Kunde Handel AG'], [451, 'Tel. (555) 23 87-0']),
      at([71, 'Bahnstr. 42']),
      at([71, '88802 Spielkreis']),
      { cells: [[57, 'Rechnung # RE-2024/501 vom 22.05.2024']], gap: 20 },
      at([429, 'Kontoinhaber: Max Beispiel']),
    ]);
    expect(vendor).toBe('Blauwerk GmbH');
  });

  it('a title line with its number after a dash is no sender line: answers null rather than the title\'s first word', async () => {
    const vendor = await vendorOf([
      at([44, 'Seite 1 von 2']),
      at([44, 'Buchungshilfe - KEINE Rechnung Nr. 471102 vom 13.11.2024']),
      at([44, 'Währung : EUR']),
      at([44, 'Zahlbar innerhalb 30 Tagen netto bis 04.04.2024, 3% Skonto innerhalb 10 Tagen.']),
    ]);
    expect(vendor).toBeNull();
  });
});

describe('words and lines that are no issuer', () => {
  it('a copyright line of the form\'s author is no vendor, legal form or not: null', async () => {
    const vendor = await vendorOf([
      at([43, '(c) Formularverein e.V. 2024']),
      at([43, 'Seite 1 von 2']),
      at([44, 'Handelsrechnung Nr. 471102 vom 05.03.2024']),
      at([44, 'Zahlbar innerhalb 30 Tagen netto.']),
    ]);
    expect(vendor).toBeNull();
  });

  it('a payment line\'s label ("Card | 78.10") above a VAT number does not outweigh the letterhead', async () => {
    const vendor = await vendorOf([
      at([67, 'The Copper Kettle']),
      at([73, '8 Mill Lane']),
      at([70, 'Tel. 0114 325 2564']),
      at([14, 'Receipt 4096'], [174, 'Table 28']),
      at([14, '2'], [24, 'x'], [33, 'Fish and Chips'], [189, '32.70']),
      at([14, 'TOTAL'], [180, '32.70']),
      at([14, 'Card'], [189, '32.70']),
      at([37, 'Thank you - service not included']),
      at([69, 'VAT Reg GB931 9427 57']),
    ]);
    expect(vendor).toBe('The Copper Kettle');
  });
});

describe('a form\'s headings and two parties side by side', () => {
  // A Factur-X form's seller block left with its placeholders: the top of the page names no company.
  const form = (...lines: PrintedLine[]): PrintedLine[] => [
    at([300, 'FACTURE N° :'], [450, 'FA-7730']),
    ...lines,
    at([50, '12 rue des Tanneurs'], [310, 'LE CLIENT']),
    at([50, '31000 TOULOUSE, FR'], [310, '4 avenue du Port']),
  ];

  it('a heading "SUPPLIER TRADE NAME" is no label "Supplier" of the name "TRADE NAME": null', async () => {
    expect(await vendorOf(form(at([50, 'SUPPLIER TRADE NAME'], [300, 'Adresse du client'])))).toBeNull();
  });

  it('"SUPPLIER TAX REP" under "Représentant fiscal" names no seller: null', async () => {
    expect(await vendorOf(form(at([300, 'Adresse du client']), at([50, 'Représentant fiscal']), at([60, 'SUPPLIER TAX REP'])))).toBeNull();
  });

  it('the placeholder "LOGO" where the logo goes is no letterhead: null', async () => {
    expect(await vendorOf(form(at([60, 'LOGO']), at([300, 'Client :'])))).toBeNull();
  });

  it('"Facturé à" heads the customer\'s block, ending with its "à": null', async () => {
    expect(await vendorOf(form(at([300, 'Facturé à']), at([310, 'Atelier Brun']), at([310, '7 quai Vauban'])))).toBeNull();
  });

  it('the heading "Adresse du client" heads the customer\'s block, no letterhead: null', async () => {
    expect(await vendorOf(form(at([300, 'Adresse du client'])))).toBeNull();
  });

  it('the customer\'s company beside the issuer at the top, known by its legal form alone, yields to the issuer its domain spells', async () => {
    const vendor = await vendorOf([
      at([57, 'Invoice 55310']),
      at([57, 'March 3, 2025']),
      at([57, 'Page 1 / 1']),
      at([57, 'Fabrikam Corporation'], [480, 'NORTHWIND']),
      at([57, '12 Lake Road'], [480, 'Hafenweg 3']),
      at([57, '10115 Berlin'], [480, '20095 Hamburg']),
      { cells: [[57, 'No.'], [110, 'Description'], [300, 'Quantity'], [420, 'Unit Price'], [500, 'Amount']], gap: 20 },
      at([57, '1'], [110, 'Desk chair'], [300, '2'], [420, '150.00'], [500, '300.00']),
      at([300, 'Total'], [500, '357.00']),
      { cells: [[57, 'VAT Registration No.'], [300, 'Email']], gap: 30 },
      at([57, 'DE123456789'], [300, 'billing@northwind.com']),
    ]);
    expect(vendor).toBe('NORTHWIND');
  });
});

describe('a footer\'s company and the VAT id of the block at the top', () => {
  // The issuer's block at the top without a name one can read (a logo), its VAT id printed; the footer's legal line.
  const invoice = (footerVatId: string): PrintedLine[] => [
    at([330, 'Rechnung Nr. R-5521']),
    at([50, 'Musterweg 4'], [330, 'Rechnungsempfänger']),
    at([50, '12345 Musterstadt'], [330, 'Beta Handel']),
    at([50, 'USt-IdNr.: DE111111111'], [330, 'Hafenstraße 9']),
    { cells: [[50, 'Pos'], [100, 'Bezeichnung'], [400, 'Menge'], [480, 'Betrag']], gap: 20 },
    at([50, '1'], [100, 'Wartung'], [400, '1'], [480, '100,00']),
    { cells: [[50, 'Nordwerk GmbH, Sitz Berlin, Amtsgericht Berlin HRB 1234']], gap: 30 },
    at([50, `USt-IdNr.: ${footerVatId}`]),
  ];

  it('is the issuer when its VAT id is the top block\'s', async () => {
    expect(await vendorOf(invoice('DE111111111'))).toBe('Nordwerk GmbH');
  });

  it('is another company when its VAT id differs from the top block\'s: null', async () => {
    expect(await vendorOf(invoice('DE222222222'))).toBeNull();
  });
});

describe('a fixed-width font', () => {
  it('words one character apart are one name; the label-value gap of two characters or more stays a gap', async () => {
    const bytes = await courierPdf([
      [[50, 'Handelsrechnung'], [146, 'Nr.'], [170, 'TX-4711']],
      [[50, 'Verkäufer:']],
      courierWords(50, 'Taxi Nord TX GmbH'),
      courierWords(50, 'Hafenstraße 20'),
      [[50, 'Käufer:']],
      courierWords(50, 'Gast Reisen AG'),
    ]);
    const row = await firstRow(bytes, FIELDS);
    expect(row.vendor).toBe('Taxi Nord TX GmbH');
  });
});

describe('a letter-spaced text layer', () => {
  /** A word letter-spaced glyph by glyph, 0.055 em apart and 0.11 em after an "r", as one producer of e-invoice views does. */
  const spaced = (word: string): Array<[string, number]> => [...word].map((glyph) => [glyph, glyph === 'r' ? -110 : -55]);

  it('a word letter-spaced by kerning is one word ("Liefer ant" was read for "Lieferant")', async () => {
    const bytes = await kernedPdf([
      { x: 44, runs: [spaced('Handelsrechnung'), spaced('Nr.'), spaced('471102')] },
      { x: 44, runs: [spaced('Verkäufer:')] },
      { x: 44, runs: [spaced('Lieferant'), spaced('GmbH')] },
      { x: 44, runs: [spaced('Werkstraße'), spaced('20')] },
      { x: 44, runs: [spaced('Käufer:')] },
      { x: 44, runs: [spaced('Kunden'), spaced('AG'), spaced('Mitte')] },
    ]);
    expect((await firstRow(bytes, FIELDS)).vendor).toBe('Lieferant GmbH');
  });

  it('a searchable scan (its page image under the text layer) is repaired the same, its image left out of the glyphs read', async () => {
    const bytes = await kernedPdf(
      [
        { x: 44, runs: [spaced('Verkäufer:')] },
        { x: 44, runs: [spaced('Lieferant'), spaced('GmbH')] },
        { x: 44, runs: [spaced('Käufer:')] },
        { x: 44, runs: [spaced('Kunden'), spaced('AG'), spaced('Mitte')] },
      ],
      { scan: true },
    );
    expect((await firstRow(bytes, FIELDS)).vendor).toBe('Lieferant GmbH');
  });

  it('a word space set by kerning alone in a run without letter spacing stays a space', async () => {
    const bytes = await kernedPdf([
      { x: 44, runs: [[['Verkäufer:', 0]]] },
      { x: 44, runs: [[['Nordlicht', -333], ['Handel', -333], ['GmbH', 0]]] },
      { x: 44, runs: [[['Käufer:', 0]]] },
      { x: 44, runs: [[['Kunden', -333], ['AG', 0]]] },
    ]);
    expect((await firstRow(bytes, FIELDS)).vendor).toBe('Nordlicht Handel GmbH');
  });
});
