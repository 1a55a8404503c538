import { PDFDocument, StandardFonts, type PDFFont } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { createLocalExtractor } from '../../shared/extraction/local.js';
import type { Cell } from '../../shared/extraction/pdf-layout.js';
import { readLineItems } from '../../shared/extraction/tables.js';
import type { FieldSpec } from '../../shared/extraction/types.js';

/**
 * Line items read by the local extractor (shared/extraction/tables.ts) from layouts real
 * invoices use: a header row placing the columns, wrapped descriptions, detail lines under
 * an item, tables going on over a page break, sub-total/VAT/total lines ending them, and
 * receipts without a header. Each PDF is drawn here with pdf-lib.
 */

/** A run of text: left-aligned at x, or right-aligned at x when `right` is set; y from the top of an A4 page. */
type Run = { x: number; y: number; text: string; right?: boolean };

async function pdfOf(pages: Run[][]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setCreationDate(new Date('2025-01-01T00:00:00Z'));
  pdf.setModificationDate(new Date('2025-01-01T00:00:00Z'));
  const font: PDFFont = await pdf.embedFont(StandardFonts.Helvetica);
  for (const runs of pages) {
    const page = pdf.addPage([595, 842]);
    for (const run of runs) {
      const x = run.right ? run.x - font.widthOfTextAtSize(run.text, 9) : run.x;
      page.drawText(run.text, { x, y: 842 - run.y, size: 9, font });
    }
  }
  return Buffer.from(await pdf.save());
}

const ITEM_FIELDS: FieldSpec[] = [
  { name: 'description', type: 'text', description: 'The line item description', required: false },
  { name: 'quantity', type: 'number', description: 'The quantity of the line item', required: false },
  { name: 'amount', type: 'currency', description: 'The line total of the item', required: false },
];
const LIST_FIELD: FieldSpec[] = [{ name: 'items', type: 'list', description: 'The description of each line item', required: false }];

async function ask(bytes: Buffer, fields: FieldSpec[]): Promise<unknown[][]> {
  const extractor = createLocalExtractor({ readFile: async () => bytes });
  const answer = await extractor.extract({
    fields,
    file: { uri: 'mem://doc.pdf', mimeType: 'application/pdf', filename: 'doc.pdf' },
    systemPrompt: { version: 'v1', text: 'unused' },
    model: 'local-text-v1',
  });
  return answer.results;
}

/** A row of an item table: cells at the columns' x (numbers right-aligned at their column's right edge). */
function row(y: number, cells: Array<[number, string, boolean?]>): Run[] {
  return cells.filter(([, text]) => text !== '').map(([x, text, right]) => ({ x, y, text, right: right ?? false }));
}

function letterhead(lines: string[]): Run[] {
  return lines.map((text, i) => ({ x: 50, y: 60 + i * 12, text }));
}

describe('line items from an item table', () => {
  it('reads each row under a German header, joins a wrapped description, leaves out detail lines and the totals under the table', async () => {
    const header = (y: number) => row(y, [[50, 'Pos.'], [80, 'Bezeichnung'], [360, 'Menge', true], [450, 'Einzelpreis', true], [545, 'Betrag', true]]);
    const bytes = await pdfOf([
      [
        ...letterhead(['Schreinerei Holzmann GmbH', 'Rechnung Nr. 2025-117', 'Datum: 12.03.2025']),
        ...header(200),
        ...row(215, [[50, '1'], [80, 'Einbauschrank Eiche massiv'], [360, '1', true], [450, '1.850,00 €', true], [545, '1.850,00 €', true]]),
        ...row(228, [[80, 'Lieferzeitraum 01.03.2025 - 05.03.2025']]),
        // The description runs up to the quantity column and goes on under itself.
        ...row(243, [[50, '2'], [80, 'Montage und Anpassung vor Ort inklusive Kleinmaterial und'], [360, '6,5', true], [450, '58,00 €', true], [545, '377,00 €', true]]),
        ...row(256, [[80, 'Entsorgung']]),
        ...row(271, [[50, '3'], [80, 'Anfahrtspauschale'], [360, '1', true], [450, '35,00 €', true], [545, '35,00 €', true]]),
        ...row(295, [[360, 'Zwischensumme'], [545, '2.262,00 €', true]]),
        ...row(308, [[360, 'zzgl. 19 % MwSt.'], [545, '429,78 €', true]]),
        ...row(321, [[360, 'Gesamtbetrag'], [545, '2.691,78 €', true]]),
      ],
    ]);
    expect(await ask(bytes, ITEM_FIELDS)).toEqual([
      ['Einbauschrank Eiche massiv', 1, 1850],
      ['Montage und Anpassung vor Ort inklusive Kleinmaterial und Entsorgung', 6.5, 377],
      ['Anfahrtspauschale', 1, 35],
    ]);
    expect(await ask(bytes, LIST_FIELD)).toEqual([[['Einbauschrank Eiche massiv', 'Montage und Anpassung vor Ort inklusive Kleinmaterial und Entsorgung', 'Anfahrtspauschale']]]);
  });

  it('goes on over a page break without a repeated header, skipping the footer, the next page heading and the carried-forward lines', async () => {
    const footer: Run[] = [
      { x: 50, y: 790, text: 'Studio Verde S.r.l. · IBAN IT60 X054 2811 1010 0000 0123 456' },
      { x: 545, y: 775, text: 'Page 1 of 2', right: true },
    ];
    const bytes = await pdfOf([
      [
        ...letterhead(['Studio Verde', 'Invoice 4471', 'Invoice date: 03/02/2025']),
        ...row(200, [[50, 'Description'], [380, 'Qty', true], [460, 'Unit price', true], [545, 'Amount', true]]),
        ...row(215, [[50, 'Garden design consultation'], [380, '3', true], [460, '€120.00', true], [545, '€360.00', true]]),
        ...row(230, [[50, 'Planting plan'], [380, '1', true], [460, '€450.00', true], [545, '€450.00', true]]),
        ...row(700, [[360, 'Carried forward'], [545, '€810.00', true]]),
        ...footer,
      ],
      [
        { x: 50, y: 60, text: 'Studio Verde · Invoice 4471 (continued)' },
        ...row(95, [[360, 'Brought forward'], [545, '€810.00', true]]),
        ...row(110, [[50, 'Irrigation survey'], [380, '2', true], [460, '€95.50', true], [545, '€191.00', true]]),
        ...row(140, [[360, 'Subtotal'], [545, '€1,001.00', true]]),
        ...row(153, [[360, 'VAT 20%'], [545, '€200.20', true]]),
        ...row(166, [[360, 'Total due'], [545, '€1,201.20', true]]),
        { x: 50, y: 200, text: 'Thank you for your business. Payment within 30 days: 1,201.20' },
        { x: 545, y: 775, text: 'Page 2 of 2', right: true },
      ],
    ]);
    expect(await ask(bytes, ITEM_FIELDS)).toEqual([
      ['Garden design consultation', 3, 360],
      ['Planting plan', 1, 450],
      ['Irrigation survey', 2, 191],
    ]);
  });

  it('splits two column names printed in one header cell, takes the named description over an article number, and reads Dutch amounts', async () => {
    const bytes = await pdfOf([
      [
        ...letterhead(['Koffiehuis B.V.', 'Factuur 2025-0042']),
        // "BTW Aantal" is one text run over two columns; the description header is centred over its column.
        ...row(200, [[50, 'Artikel'], [140, 'Omschrijving'], [380, 'Prijs', true], [400, 'BTW Aantal'], [545, 'Bedrag', true]]),
        ...row(215, [[50, 'K-1001'], [100, 'Espressobonen 1 kg'], [380, '€ 21,45', true], [400, '9 %'], [428, '4 st'], [545, '€ 85,80', true]]),
        ...row(230, [[50, 'K-2040'], [100, 'Melkopschuimer RVS'], [380, '€ 1.249,00', true], [400, '21 %'], [428, '1 st'], [545, '€ 1.249,00', true]]),
        ...row(255, [[50, 'Prijzen zijn inclusief BTW'], [400, 'Factuur totaal EUR'], [545, '1.334,80', true]]),
      ],
    ]);
    expect(await ask(bytes, ITEM_FIELDS)).toEqual([
      ['Espressobonen 1 kg', 4, 85.8],
      ['Melkopschuimer RVS', 1, 1249],
    ]);
  });

  it('reads the items of every section of a table, never its section sub-totals or totals', async () => {
    const bytes = await pdfOf([
      [
        ...letterhead(['Fournitures Martin SARL', 'Facture FA-2025-310']),
        ...row(200, [[50, 'Désignation'], [330, 'Qté', true], [420, 'P.U. HT', true], [545, 'Montant HT', true]]),
        ...row(215, [[50, '--- Bureau ---']]),
        ...row(230, [[50, 'Chaise ergonomique'], [330, '2', true], [420, '189,00 €', true], [545, '378,00 €', true]]),
        ...row(245, [[460, 'Sous-total 378,00 €']]),
        ...row(260, [[50, '--- Informatique ---']]),
        ...row(275, [[50, 'Écran 27 pouces'], [330, '1', true], [420, '1 249,90 €', true], [545, '1 249,90 €', true]]),
        ...row(290, [[460, 'Sous-total 1 249,90 €']]),
        ...row(310, [[360, 'Total HT'], [545, '1 627,90 €', true]]),
        ...row(323, [[360, 'TVA 20 %'], [545, '325,58 €', true]]),
        ...row(336, [[360, 'Total TTC'], [545, '1 953,48 €', true]]),
      ],
    ]);
    expect(await ask(bytes, ITEM_FIELDS)).toEqual([
      ['Chaise ergonomique', 2, 378],
      ['Écran 27 pouces', 1, 1249.9],
    ]);
  });

  it('answers null for a description that may go on under it (a line reading on though the word would have fitted)', async () => {
    const bytes = await pdfOf([
      [
        ...letterhead(['Retail Services Pvt. Ltd.', 'Invoice No: R-88812']),
        ...row(200, [[50, 'Title'], [360, 'Qty', true], [450, 'Price', true], [545, 'Total', true]]),
        ...row(215, [[50, 'SanMicro Ultra 32 GB microSD Class'], [360, '1', true], [450, '278.61', true], [545, '319.00', true]]),
        ...row(228, [[50, '10 UHS-I Memory Card']]),
        ...row(243, [[50, 'USB card reader'], [360, '2', true], [450, '4.50', true], [545, '9.00', true]]),
        ...row(256, [[50, 'Serial: CR-22841']]),
        ...row(275, [[360, 'Grand Total'], [545, '328.00', true]]),
      ],
    ]);
    expect(await ask(bytes, ITEM_FIELDS)).toEqual([
      [null, 1, 319],
      ['USB card reader', 2, 9],
    ]);
    expect(await ask(bytes, LIST_FIELD)).toEqual([[['USB card reader']]]);
  });

  it('answers null for a field whose column the table does not have, and repeats the document fields on each item', async () => {
    const bytes = await pdfOf([
      [
        ...letterhead(['Hosting Nord GmbH']),
        { x: 50, y: 100, text: 'Rechnungsnummer: RN-88812' },
        ...row(200, [[50, 'Leistung'], [545, 'Betrag', true]]),
        ...row(215, [[50, 'Webhosting Paket M'], [545, '9,90 €', true]]),
        ...row(230, [[50, 'Domain example.de'], [545, '1,20 €', true]]),
        ...row(250, [[360, 'Gesamtbetrag'], [545, '11,10 €', true]]),
      ],
    ]);
    const fields: FieldSpec[] = [{ name: 'invoice_number', type: 'text', description: 'The invoice number', required: false }, ...ITEM_FIELDS];
    expect(await ask(bytes, fields)).toEqual([
      ['RN-88812', 'Webhosting Paket M', null, 9.9],
      ['RN-88812', 'Domain example.de', null, 1.2],
    ]);
  });
});

describe('line items of a receipt without a header', () => {
  it('reads the lines above the total, a "2 x" before the name or a "2 x 8,95" line under it giving the quantity', async () => {
    const bytes = await pdfOf([
      [
        { x: 20, y: 40, text: 'Bar La Plaza' },
        { x: 20, y: 52, text: 'Ticket 38112' },
        { x: 20, y: 64, text: '14/06/2025 21:40' },
        ...row(90, [[20, 'Agua mineral'], [200, '1,80', true]]),
        ...row(102, [[20, '2 x Tortilla española'], [200, '17,90', true]]),
        ...row(114, [[30, '2 x 8,95']]),
        ...row(126, [[20, 'Café con leche'], [200, '1,60', true]]),
        ...row(142, [[20, 'TOTAL EUR'], [200, '21,30', true]]),
        ...row(154, [[20, 'IVA 10%'], [200, '1,94', true]]),
        ...row(166, [[20, 'Tarjeta'], [200, '21,30', true]]),
      ],
    ]);
    expect(await ask(bytes, ITEM_FIELDS)).toEqual([
      ['Agua mineral', 1, 1.8],
      ['Tortilla española', 2, 17.9],
      ['Café con leche', 1, 1.6],
    ]);
    expect(await ask(bytes, LIST_FIELD)).toEqual([[['Agua mineral', 'Tortilla española', 'Café con leche']]]);
  });
});

describe('line items of a receipt that do not add up', () => {
  it('answers no items when the lines above the total are not what it adds up (a tax line, a misread amount)', async () => {
    const bytes = await pdfOf([
      [
        { x: 20, y: 40, text: 'KEDAI RUNCIT MAJU' },
        { x: 20, y: 52, text: 'Receipt 0091' },
        ...row(90, [[20, 'Glue stick'], [200, '5.20', true]]),
        ...row(102, [[20, 'A4 paper'], [200, '8.95', true]]),
        ...row(114, [[20, 'EXC GST 6% RM'], [200, '0.80', true]]),
        ...row(130, [[20, 'TOTAL'], [200, '14.10', true]]),
        ...row(142, [[20, 'CASH'], [200, '20.00', true]]),
      ],
    ]);
    expect(await ask(bytes, LIST_FIELD)).toEqual([[null]]);
    expect(await ask(bytes, ITEM_FIELDS)).toEqual([[null, null, null]]);
  });
});

describe('line items of a scan (cells read by OCR)', () => {
  /** An OCR'd cell: its words each read with `confidence`. */
  const ocr = (x: number, text: string, confidence = 95): Cell => ({ text, x, right: x + text.length * 4.5, words: text.split(' ').map((word) => ({ text: word, confidence })) });

  it('ignores specks between the header cells, reads a header word OCR misread an accent of, and marks a description that lost its first words', () => {
    const grid: Cell[][] = [
      [ocr(50, 'Descripciôn'), ocr(200, ':', 60), ocr(300, 'Cant.'), ocr(380, 'Precio'), ocr(500, 'Importe')],
      [ocr(50, 'Horas de consultoría'), ocr(310, '3'), ocr(380, '69,05 €'), ocr(500, '207,15 €')],
      [ocr(50, 'Desplazamiento'), ocr(250, '|', 60), ocr(310, '3'), ocr(380, '14,15 €'), ocr(500, '42,45 €')],
      [ocr(95, 'de material de oficina'), ocr(310, '3'), ocr(380, '45,00 €'), ocr(500, '135,00 €')],
      [ocr(360, 'Total factura'), ocr(500, '384,60 €')],
    ];
    const items = readLineItems(grid, undefined, { decimal: ',', dayFirst: true, language: 'es' });
    expect(items.map((item) => [item.description.value, item.description.unsure ?? false, item.quantity?.value, item.amount?.value])).toEqual([
      ['Horas de consultoría', false, 3, 207.15],
      ['Desplazamiento', false, 3, 42.45],
      ['de material de oficina', true, 3, 135],
    ]);
  });

  it('marks a quantity, unit price and amount that do not multiply out as unsure (one of them misread)', () => {
    const grid: Cell[][] = [
      [ocr(50, 'Description'), ocr(300, 'Qty'), ocr(380, 'Price'), ocr(500, 'Amount')],
      [ocr(50, 'Plastic bag'), ocr(310, '2'), ocr(380, '15.50'), ocr(500, '34.00')],
      [ocr(50, 'Paper cup'), ocr(310, '3'), ocr(380, '1.20'), ocr(500, '3.60')],
      [ocr(360, 'Total'), ocr(500, '37.60')],
    ];
    const items = readLineItems(grid, undefined, { decimal: '.' });
    expect(items.map((item) => [item.description.value, item.quantity?.unsure ?? false, item.amount?.unsure ?? false])).toEqual([
      ['Plastic bag', true, true],
      ['Paper cup', false, false],
    ]);
  });
});
