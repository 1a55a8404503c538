import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it, vi } from 'vitest';
import { createLocalExtractor } from '../../shared/extraction/local.js';
import type { OcrLine } from '../../shared/extraction/ocr.js';
import type { FieldSpec } from '../../shared/extraction/types.js';
import { ocrLineAt, ocrPage, ocrRow, scannedAnswer } from '../support/ocr-lines.js';

// Scanned invoices (issue 14): the invoice rules that read a text PDF read the scan of the
// same page, held to what tesseract was sure of. No OCR here: tesseract's words are given
// with their confidences (as `recognizeImage` passes them to `cellsFromOcrLines`), and the
// extractor reads an image whose "OCR" returns them. Every line is made up.

let page: OcrLine[] = [];
vi.mock('../../shared/extraction/ocr.js', async (importOriginal) =>
  (await import('../support/ocr-lines.js')).ocrReading(await importOriginal<typeof import('../../shared/extraction/ocr.js')>(), () => page),
);

const row = ocrLineAt;
const scan = ocrPage;

const fields: FieldSpec[] = [
  { name: 'invoice_number', type: 'text', description: null, required: false },
  { name: 'invoice_date', type: 'date', description: null, required: false },
  { name: 'total', type: 'currency', description: null, required: false },
  { name: 'vendor', type: 'text', description: null, required: false },
];
const blank = createCanvas(400, 600).toBuffer('image/png');
const extractor = createLocalExtractor({ readFile: async () => blank });

async function answer(lines: OcrLine[], name: string): Promise<unknown> {
  page = lines;
  return scannedAnswer(extractor, fields, name);
}

describe('a scanned invoice\'s title line', () => {
  const title = (words: Array<[string, number]>) => scan([['Muster Handel GmbH'], [words], ['Lieferdatum:', '03.06.2021'], ['Zu zahlen', '119,00 EUR']]);
  const sure = (text: string) => text.split(' ').map((word): [string, number] => [word, 95]);

  it('dates and numbers the document, as on a text PDF ("Rechnung Nr. X vom <date>")', async () => {
    expect(await answer(title(sure('Handelsrechnung Nr. 471102 vom 05.06.2021')), 'invoice_date')).toBe('2021-06-05');
    expect(await answer(title(sure('Handelsrechnung Nr. 471102 vom 05.06.2021')), 'invoice_number')).toBe('471102');
  });

  it('answers null when tesseract was unsure of a word of the title', async () => {
    const unsure: Array<[string, number]> = [['Handelsrechnung', 95], ['Nr.', 95], ['471102', 95], ['vom', 95], ['05.06.2021', 78]];
    expect(await answer(title(unsure), 'invoice_date')).toBeNull();
    const unsureNumber: Array<[string, number]> = [['Handelsrechnung', 95], ['Nr.', 95], ['471182', 70], ['vom', 95], ['05.06.2021', 95]];
    expect(await answer(title(unsureNumber), 'invoice_number')).toBeNull();
  });

  it('reads a title that prints no number sign: the word before "vom" is its number, a code in parentheses is none', async () => {
    expect(await answer(title(sure('Handelsrechnung (380) 471102 vom 05.06.2021')), 'invoice_number')).toBe('471102');
    expect(await answer(title(sure('Handelsrechnung (380) 471102 vom 05.06.2021')), 'invoice_date')).toBe('2021-06-05');
    expect(await answer(title(sure('Handelsrechnung (380) vom 05.06.2021')), 'invoice_date')).toBe('2021-06-05');
    expect(await answer(title(sure('Handelsrechnung (380) vom 05.06.2021')), 'invoice_number')).toBeNull();
    expect(await answer(title(sure('Facture du 05/06/2021')), 'invoice_date')).toBe('2021-06-05');
  });

  it('holds the number and the date to the bar, not the title\'s own words: an unsure "Nr." still answers, an unsure number keeps the date', async () => {
    const unsureSign: Array<[string, number]> = [['Handelsrechnung', 95], ['Nr.', 65], ['471102', 95], ['vom', 95], ['05.06.2021', 95]];
    expect(await answer(title(unsureSign), 'invoice_number')).toBe('471102');
    const unsureNumber: Array<[string, number]> = [['Handelsrechnung', 95], ['Nr.', 95], ['471182', 70], ['vom', 95], ['05.06.2021', 95]];
    expect(await answer(title(unsureNumber), 'invoice_date')).toBe('2021-06-05');
  });

  it('is no title when it names another document or its date does not read', async () => {
    expect(await answer(scan([['Muster Handel GmbH'], ['Rechnungskopie vom Lieferschein'], ['Zu zahlen', '119,00 EUR']]), 'invoice_date')).toBeNull();
    expect(await answer(scan([['Muster Handel GmbH'], ['Gutschrift gemäß Bestellung 4711 vom 05.06.2021'], ['Zu zahlen', '119,00 EUR']]), 'invoice_number')).toBeNull();
  });

  it('gives no number that mixes letters and figures OCR confuses', async () => {
    expect(await answer(title(sure('Rechnung Nr. RE-2O21 vom 05.06.2021')), 'invoice_number')).toBeNull();
  });

  it('gives no English title date whose day order the document does not tell', async () => {
    expect(await answer(scan([['Invoice No. 4711 dated 05/06/2021'], ['Amount due', '119.00']]), 'invoice_date')).toBeNull();
    expect(await answer(scan([['Invoice No. 4711 dated 25/06/2021'], ['Amount due', '119.00']]), 'invoice_date')).toBe('2021-06-25');
  });
});

describe('a scanned invoice\'s vendor', () => {
  it('is the company its seller block names with a legal form, though not at the head of the page', async () => {
    const page = (name: string) =>
      scan([['Rechnung'], ['Datum:', '05.06.2021'], ['Verkäufer'], ['Nummer:', '549910'], ['Name:', name], ['Anschrift:', 'Hauptstraße 20'], ['Käufer'], ['Name:', 'Kunden AG']]);
    expect(await answer(page('Muster Handel GmbH'), 'vendor')).toBe('Muster Handel GmbH');
    // Without a legal form a name so far down may be a misread line: null.
    expect(await answer(page('Muster Handel'), 'vendor')).toBeNull();
  });

  it('is not the first word of a name that OCR split from the rest beside its label', async () => {
    // "Verkäufer: | Muster | Handel": the label's value is one word of the name, and no legal form vouches for it.
    expect(await answer(scan([['Rechnung'], ['Datum:', '05.06.2021'], ['Verkäufer:', 'Muster', 'Handel'], ['Summe', '119,00']]), 'vendor')).toBeNull();
  });
});

describe('a scanned invoice without a date OCR could read', () => {
  it('is not dated by a line item\'s date printed beside the item\'s amount', async () => {
    const lines = (item: string[]) => scan([['Facture n° 4711'], ['Désignation', 'Montant HT'], item, ['Total TTC:', '56,02 €']]);
    expect(await answer(lines(['Annonce du 06/12/2022', '45,93 €']), 'invoice_date')).toBeNull();
    // A date line without an amount is still the document's only date.
    expect(await answer(scan([['Facture n° 4711'], ['Lyon, 06/12/2022'], ['Total TTC:', '56,02 €']]), 'invoice_date')).toBe('2022-12-06');
  });
});

describe('a scanned invoice\'s footer', () => {
  it('names the company by its legal sentence, as the letterhead\'s brand prints it', async () => {
    const lines = scan([
      ['Onda Service Abonnés'],
      ['75001 Paris'],
      ['Facture n° 4711 du 02 juillet 2015'],
      ['Désignation', 'Montant HT', 'TVA', 'Montant TTC'],
      ['Abonnement', '24,99', '5,00', '29,99'],
      ['Somme à payer', '29,99 €'],
      ['Onda SAS au capital de 1.000 Euros', 'RCS Paris B 123 456 789'],
    ]);
    expect(await answer(lines, 'vendor')).toBe('Onda');
  });
});

describe('a scanned invoice\'s customer block', () => {
  it('is not opened by a "Guest | Name:" label OCR split in two cells', async () => {
    // Two companies named as payee (the brand and its legal entity): which one is meant is a guess, null; the hotel
    // under "Hotel Details" is not the guest's block.
    const lines = scan([
      ['NIMBUS', 'PAYMENT RECEIPT'],
      ['Guest', 'Name:', 'Ravi'],
      ['Hotel Details'],
      ['NIMBUS 12 Resort Lakeside'],
      ['Please note that the amount payable is inclusive of all taxes at their rates.'],
      ['Grand Total', 'Rs 1939.00'],
      ['Payment received by NIMBUS'],
      ['Payment to be made in favor of'],
      ['Lakeside Stays Pvt. Ltd.'],
    ]);
    expect(await answer(lines, 'vendor')).toBeNull();
  });
});

/** One OCR'd line of `text` starting at `x` (its words read at 95), for pages with two columns. */
function lineAt(index: number, x: number, text: string): OcrLine {
  const shifted = ocrRow(index * 60, [text.split(' ').map((word): [string, number] => [word, 95])]);
  const move = (box: { x0: number; x1: number }) => ({ ...box, x0: box.x0 + x, x1: box.x1 + x });
  return { bbox: { ...shifted.bbox, ...move(shifted.bbox) }, words: shifted.words.map((word) => ({ ...word, bbox: { ...word.bbox, ...move(word.bbox) } })) };
}

describe('a scanned invoice\'s letterhead', () => {
  it('keeps a legal form written with a capital after a small letter ("GmbH")', async () => {
    expect(await answer(scan([['Muster Handel GmbH'], ['Hauptstraße 20'], ['10115 Berlin'], ['Rechnung'], ['Summe', '119,00']]), 'vendor')).toBe('Muster Handel GmbH');
  });

  it('finds its contact down its column though OCR set the other column\'s lines between', async () => {
    // The letterhead on the right, the customer's window on the left, each line its own OCR row; a payee named in the
    // footer outweighs a letterhead without contact, so the e-mail in the letterhead's block must be found.
    const lines = [
      lineAt(0, 1200, 'Muster Handel GmbH'),
      lineAt(1, 1200, 'Hauptstraße 20'),
      lineAt(2, 0, 'Kunden AG'),
      lineAt(3, 1200, '10115 Berlin'),
      lineAt(4, 0, 'Kundenweg 5'),
      lineAt(5, 1200, 'Tel 030 1234'),
      lineAt(6, 0, '20095 Hamburg'),
      lineAt(7, 1200, 'info@muster-handel.de'),
      lineAt(8, 0, 'Rechnung'),
      row(9, [[['Summe', 95]], [['119,00', 95]]]),
      lineAt(10, 0, 'Kontoinhaber: Max Mustermann'),
    ];
    expect(await answer(lines, 'vendor')).toBe('Muster Handel GmbH');
  });
});

describe('a scanned invoice\'s total', () => {
  it('is the sum printed after the taxes of a total line, which was the net ("Gesamtbeitrag" + "Versicherungsteuer")', async () => {
    const lines = scan([
      ['Beitragsrechnung'],
      ['Privathaftpflicht', '50,00 €'],
      ['Gesamtbeitrag', '50,00 €'],
      ['Versicherungsteuer 19 %', '9,50 €'],
      ['Rechnungsbeitrag', '59,50 €'],
    ]);
    expect(await answer(lines, 'total')).toBe(59.5);
  });
});

describe('a scanned invoice\'s totals row', () => {
  const page = (gross: string) => scan([['Facture n° 12'], ['Désignation', 'Montant HT', 'TVA', 'Montant TTC'], ['Abonnement', '24.99', '5.00', gross], ['Total facture', '24.99', '5.00', gross]]);

  it('gives the gross when it is the sum of the net and the tax printed before it', async () => {
    expect(await answer(page('29.99'), 'total')).toBe(29.99);
  });

  it('gives null when the row does not add up (one of its amounts misread)', async () => {
    expect(await answer(page('29.90'), 'total')).toBeNull();
  });
});

describe('a scanned invoice\'s legal line', () => {
  it('states a share capital, no tax amount the total is checked against', async () => {
    const lines = scan([
      ['Moulin SARL'],
      ['TVA: FR11999999998 - SARL au capital de 120 000,00 €'],
      ['Facture n° 12'],
      ['Total HT', '624,90 €'],
      ['Total TTC', '671,15 €'],
    ]);
    expect(await answer(lines, 'total')).toBe(671.15);
  });
});

describe('a scanned invoice\'s two columns of totals on one row', () => {
  it('reads each amount with its own label, so the net and the subtotal with tax are not taken for one another', async () => {
    const lines = scan([
      ['Factuurnummer: 4711'],
      ['Exclusief BTW', '€ 4.053,67', 'Subtotaal', '€ 4.904,94'],
      ['BTW 21%', '€ 851,27'],
      ['Totaal', '€ 4.904,94'],
    ]);
    expect(await answer(lines, 'total')).toBe(4904.94);
  });
});

describe('a scanned letterhead beside a logo', () => {
  it('is still the letterhead when OCR was unsure only of a logo\'s two letters on its line', async () => {
    const sender = 'Moulin Bleu SARL - 12 chemin de la Gare - 84340 Malaucène'.split(' ').map((word): [string, number] => [word, 95]);
    const lines = [row(0, [[['NO', 66]], sender]), row(1, [[['Facture', 95], ['FA-2017-8', 95]]]), row(2, [[['Total', 95], ['TTC', 95]], [['671,15', 95], ['€', 95]]])];
    expect(await answer(lines, 'vendor')).toBe('Moulin Bleu SARL');
  });
});

describe('a scanned invoice\'s brand and title', () => {
  const words = (text: string): Array<[string, number]> => text.split(' ').map((word): [string, number] => [word, 95]);

  it('is the brand of the company named seller with its legal form, though a logo OCR misread heads the page', async () => {
    const lines = [
      row(0, [[['nim', 96], ['bas', 69]], words('Nimbus Cloud Services Invoice')]),
      row(1, [words('Invoice Number:'), words('4711')]),
      row(2, [words('Total:'), words('$4.11')]),
      row(3, [words('Services sold by Nimbus Cloud Services, Inc.')]),
    ];
    expect(await answer(lines, 'vendor')).toBe('Nimbus Cloud Services');
  });

  it('is not a letter-spaced title OCR broke into letters ("F A C T U U R") beside the letterhead', async () => {
    const lines = [row(0, [[['E', 93], ['ACTU', 92], ['U', 90], ['R', 93]], words('Blauwe Winkel B.V.')]), row(1, [words('Weena 664')]), row(2, [words('Totaal'), words('€ 717,97')])];
    expect(await answer(lines, 'vendor')).toBe('Blauwe Winkel B.V.');
  });
});

/** One OCR'd line of cells each at its own `x` (its words read at 95), for a table's columns. */
function cellsAt(index: number, cells: Array<[number, string]>): OcrLine {
  const words = cells.flatMap(([x, text]) => {
    let left = x;
    return text.split(' ').map((word) => {
      const placed = { text: word, confidence: 95, bbox: { x0: left, x1: left + word.length * 20, y0: index * 60, y1: index * 60 + 30 } };
      left = placed.bbox.x1 + 8;
      return placed;
    });
  });
  return { bbox: { x0: words[0]!.bbox.x0, x1: words.at(-1)!.bbox.x1, y0: index * 60, y1: index * 60 + 30 }, words };
}

describe('a scanned invoice\'s tax summary table', () => {
  it('gives the total its sum row adds up to, as on a text PDF', async () => {
    const columns = (net: string, tax: string, rate: string, gross: string): Array<[number, string]> => [[0, net], [400, tax], [800, rate], [1200, gross]];
    const lines = [
      cellsAt(0, [[0, 'WARENRECHNUNG']]),
      cellsAt(1, columns('Nettobetrag', 'MwSt-Betrag', 'MwSt-%', 'Endbetrag')),
      cellsAt(2, columns('100,00', '19,00', '19,0', '119,00')),
      cellsAt(3, columns('50,00', '3,50', '7,0', '53,50')),
      cellsAt(4, columns('150,00', '22,50', '', '172,50').filter(([, text]) => text !== '')),
    ];
    expect(await answer(lines, 'total')).toBe(172.5);
  });
});

describe('a scanned seller\'s name OCR split at wide word spaces', () => {
  it('is read whole beside its label when its parts are a word space apart and end with a legal form', async () => {
    // Small type (10 px high): words 8 px apart are cells of their own for cellsFromOcrLines, a word space for a name.
    const small = (index: number, words: Array<[number, string]>): OcrLine => {
      const placed = words.map(([x, text]) => ({ text, confidence: 95, bbox: { x0: x, x1: x + text.length * 6, y0: index * 20, y1: index * 20 + 10 } }));
      return { bbox: { x0: placed[0]!.bbox.x0, x1: placed.at(-1)!.bbox.x1, y0: index * 20, y1: index * 20 + 10 }, words: placed };
    };
    const lines = [small(0, [[0, 'Rechnung']]), small(1, [[0, 'Verkäufer:'], [200, 'Taxibetrieb'], [274, 'Nord'], [306, 'GmbH']]), small(2, [[0, 'Summe'], [200, '18,08']])];
    expect(await answer(lines, 'vendor')).toBe('Taxibetrieb Nord GmbH');
  });
});

describe('a scanned letterhead wrapped over two lines', () => {
  it('is read whole when the line under it, read sure, ends the name with its legal form', async () => {
    const lines = scan([['Nordwind Gegenseitiger'], ['Versicherungsverein Hafenstadt a.G.'], ['Herrn'], ['Max Muster'], ['Hafenweg 11'], ['Beitragsrechnung', '24. Januar 2014']]);
    expect(await answer(lines, 'vendor')).toBe('Nordwind Gegenseitiger Versicherungsverein Hafenstadt a.G.');
  });
});

describe('a reference number printed with dashes', () => {
  it('is no sender line heading an address window, so the seller block under it is not the customer\'s', async () => {
    const lines = scan([['Rechnung'], ['Referenz des Käufers:', '05 158 004 - 11023 - 45'], ['Bestellung:', '2018092011804'], ['Verkäufer'], ['Name:', 'Stadtbahn Verkehr GmbH'], ['Anschrift:', 'Musterstraße 3']]);
    expect(await answer(lines, 'vendor')).toBe('Stadtbahn Verkehr GmbH');
  });
});
