import { afterAll, describe, expect, it } from 'vitest';
import { vocabularies } from '../../shared/extraction/label-match.js';
import { closeOcr } from '../../shared/extraction/ocr.js';
import type { Cell } from '../../shared/extraction/pdf-layout.js';
import type { FieldSpec } from '../../shared/extraction/types.js';
import { issuerName } from '../../shared/extraction/vendor.js';
import { at, firstRow, printedPdf, type PrintedLine } from '../support/printed-invoice.js';
import { drawScan } from './scans.js';

/**
 * The vendor (issuer) the local extractor answers when no label names it (vendor.ts), on
 * the kinds of layout real invoices and receipts have: the customer's address window first
 * on the page and the issuer in the footer's legal block, a document title and a marketplace
 * seller, a brand beside its legal name, a scanned receipt's letterhead. Precision first:
 * a title, a sentence, the customer or a misread name is never the answer; null is.
 */

const FIELDS: FieldSpec[] = [
  { name: 'invoice_number', type: 'text', description: 'Invoice number', required: false },
  { name: 'vendor', type: 'text', description: 'The name of the company or person that issued the invoice', required: false },
];

async function vendorOf(lines: PrintedLine[] | Buffer, fields: FieldSpec[] = FIELDS): Promise<unknown> {
  if (Buffer.isBuffer(lines)) return (await firstRow(lines, fields, { mimeType: 'image/png', filename: 'receipt.png' })).vendor;
  return (await firstRow(await printedPdf(lines), fields)).vendor;
}

describe('the issuer of a text PDF', () => {
  it('a French letter: the customer\'s window at the top right is not the vendor; the name over the legal block, the account holder, is', async () => {
    const vendor = await vendorOf([
      at([380, 'PIXELWERK']),
      at([380, 'Durand Camille']),
      at([380, '12 rue des Lilas']),
      at([380, '69003 Lyon']),
      { cells: [[240, 'Facture n° 2025-4411']], gap: 20 },
      at([56, 'Date : 14/03/2025']),
      at([56, 'Référence : 88120 - PIXELWERK']),
      { cells: [[140, 'Désignation'], [320, 'Nombre'], [400, 'P.U. HT'], [470, 'Montant HT']], gap: 10 },
      at([56, 'Annonce légale du 12/03/2025'], [470, '120,00 €']),
      at([380, 'Total TTC :'], [470, '144,00 €']),
      { cells: [[48, 'Virement'], [124, 'Crédit Mutuel - Titulaire du compte : LEGALIA']], gap: 20 },
      at([124, 'IBAN : FR76 3000 4000 0500 0012 3456 789']),
      { cells: [[270, 'LEGALIA']], gap: 120 },
      { cells: [[130, 'Siège social : 21 rue de la Paix - 75002 Paris - contact@annonces-legalia.fr']], size: 8 },
      { cells: [[150, 'Sarl au capital de 5 000 € - RCS Paris B 512 345 678']], size: 8 },
    ]);
    expect(vendor).toBe('LEGALIA');
  });

  it('a subscriber bill: the company\'s department at the top, its legal name in the footer; the subscriber is no vendor, the name is the one the bill uses', async () => {
    const vendor = await vendorOf([
      at([40, 'Onda Service Abonnés']),
      at([40, '75010 Paris Cedex 10']),
      at([300, 'Martin Paul']),
      at([300, '4 avenue Foch']),
      at([300, '13001 Marseille']),
      at([40, 'Adresse email de contact'], [255, "Nom de l'abonné"]),
      at([40, 'paul.martin@example.org'], [255, 'Martin Paul']),
      at([40, 'Facture n°88120044 du 2 juillet 2025']),
      { cells: [[40, 'Abonnement'], [300, '24,99'], [400, '5,00'], [500, '29,99']], gap: 10 },
      at([40, 'Total facture'], [300, '24,99'], [400, '5,00'], [500, '29,99']),
      { cells: [[40, 'Onda SAS au capital de 2.000.000 Euros - B 421 000 111 RCS Paris - Siège social: 3 rue du Port 75008 Paris']], size: 7, gap: 200 },
    ]);
    expect(vendor).toBe('Onda');
  });

  it('a name printed with the title ("... Invoice") and as the service provider with its legal form: the name the document uses', async () => {
    const vendor = await vendorOf([
      { cells: [[260, 'Nimbus Cloud Services Invoice']], size: 14 },
      at([36, 'Account:']),
      at([36, '7710-2231'], [260, 'Invoice Number:'], [520, 'NC-55012']),
      at([36, 'Bill to:']),
      at([36, 'Attn: Orchid Labs Limited']),
      at([36, '93 Harbour Road']),
      at([36, 'Hello from Nimbus Cloud Services, here is the invoice for the cloud services your team used this month.']),
      { cells: [[60, 'Compute'], [540, '$18.40']], gap: 10 },
      at([60, 'Amount due'], [540, '$18.40']),
      { cells: [[426, 'Service Provider:']], gap: 20 },
      at([426, '(Not a payment address)']),
      at([426, 'Nimbus Cloud Services, LLC']),
      at([426, '12 Harbour Street']),
    ]);
    expect(vendor).toBe('Nimbus Cloud Services');
  });

  it('a document title ("Sales Invoice/Bill") is never the vendor; a seller beside the platform the order went through answers null', async () => {
    const lines = (platform: boolean): PrintedLine[] => [
      { cells: [[230, 'Sales Invoice/Bill']], size: 12 },
      at([400, 'Invoice No : # KST-2025-0077']),
      at([6, 'Sold By : Kestrel Retail Pvt. Ltd.,']),
      at([6, 'Order ID: ORD-55821'], [170, 'Billing Address'], [330, 'Shipping Address']),
      at([170, 'Ravi Kumar'], [330, 'Ravi Kumar']),
      { cells: [[9, 'Category'], [115, 'Item'], [345, 'Qty'], [400, 'Price'], [530, 'Total']], gap: 10 },
      at([9, 'Lighting'], [115, 'LED desk lamp'], [355, '1'], [386, '21.00'], [540, '24.50']),
      at([386, 'Grand Total'], [524, '24.50']),
      ...(platform ? [{ cells: [[327, 'Ordered Through :'], [420, 'shopzone.in']] as Array<[number, string]>, gap: 20 }] : []),
    ];
    expect(await vendorOf(lines(true))).toBeNull();
    expect(await vendorOf(lines(false))).toBe('Kestrel Retail Pvt. Ltd.');
  });

  it('a receipt that names two different payees (a brand, and a legal entity "in favour of" which to pay) answers null', async () => {
    const vendor = await vendorOf([
      { cells: [[120, 'PAYMENT RECEIPT']], size: 12 },
      at([42, 'Guest Name: Priya'], [420, 'Date: 14/11/2025']),
      { cells: [[46, 'Stay'], [317, 'Arrival'], [405, 'Departure'], [492, 'Nights']], gap: 10 },
      at([46, 'ROOMIO 77 Lake Resort'], [317, '14/11/2025'], [405, '16/11/2025'], [492, '2']),
      at([51, 'Grand Total'], [503, 'Rs 2450']),
      at([51, 'Payment received by ROOMIO'], [503, 'Rs 2450']),
      at([58, 'Please make all payments in favour of']),
      at([58, 'Sundara Stays Pvt. Ltd.']),
      { cells: [[241, 'Sundara Stays Private Limited']], gap: 60 },
      at([76, 'Registered Office: 5 MG Road, Bengaluru 560001']),
    ]);
    expect(vendor).toBeNull();
  });

  it('the account holder of a direct debit is the customer, not a payee', async () => {
    const vendor = await vendorOf([
      at([50, 'Rechnung Nr. 2025-311']),
      at([50, 'Datum: 03.06.2025']),
      { cells: [[50, 'Leistung'], [300, 'Menge'], [400, 'Preis'], [480, 'Betrag']], gap: 10 },
      at([50, 'Wartung'], [300, '1'], [400, '80,00'], [480, '80,00']),
      at([300, 'Gesamtbetrag'], [480, '95,20 €']),
      { cells: [[50, 'Der Betrag wird per SEPA-Lastschrift eingezogen.']], gap: 20 },
      at([50, 'Kontoinhaber: Max Mustermann']),
      at([50, 'IBAN: DE02 1203 0000 0000 2020 51']),
    ]);
    expect(vendor).toBeNull();
  });

  it('a sentence after an issuer label is no name: "The issuer printed their details in the logo below:" answers null', async () => {
    const vendor = await vendorOf([
      at([80, 'Factuuradres'], [360, 'Afleveradres']),
      at([80, 'Noorderlicht BV'], [360, 'Jan de Vries']),
      at([80, 'Dorpsstraat 46'], [360, 'Dorpsstraat 46']),
      { cells: [[44, 'Klant'], [144, 'Order'], [315, 'Datum'], [432, 'Factuur']], gap: 10 },
      at([44, 'K-2231'], [144, 'O-9912'], [338, '3-6-2025'], [409, 'F-2025-0042']),
      { cells: [[38, 'The issuer printed their details in the logo below:']], gap: 30 },
    ]);
    expect(vendor).toBeNull();
  });

  it('a name in capitals set one cell per word ("STEIN | & | KELLE") and a name joined by " - " are whole names', async () => {
    expect(await vendorOf([at([59, 'STEIN'], [101, '&'], [118, 'KELLE']), at([29, 'Lindenweg 12a, 34117 Kassel']), at([90, 'DE811234567']), at([14, 'Bon-Nr. 5120'])])).toBe(
      'STEIN & KELLE',
    );
    expect(await vendorOf([at([50, 'Verhoeven - Smit B.V.']), at([50, 'Kerkstraat 12, 5611 GH Eindhoven']), at([50, 'Factuurnummer:'], [200, 'F-2025-17'])])).toBe(
      'Verhoeven - Smit B.V.',
    );
  });
});

/** An OCR'd line: cells of words, each with tesseract's confidence (ocr.ts). */
function ocrLine(...cells: Array<[number, string, number?]>): Cell[] {
  return cells.map(([x, text, confidence = 95]) => ({ text, x, right: x + text.length * 7, words: text.split(' ').map((word) => ({ text: word, confidence })) }));
}

const vocabs = vocabularies(FIELDS);
const scanVendor = (lines: Cell[][]) => issuerName(lines, undefined, vocabs);
const RECEIPT_BODY = [
  ocrLine([180, 'NO 12 JALAN MERANTI 3']),
  ocrLine([180, '81100 JOHOR BAHRU']),
  ocrLine([200, 'TEL 07-3523888']),
  ocrLine([230, 'TAX INVOICE']),
  ocrLine([30, 'ITEM'], [300, 'QTY'], [400, 'PRICE'], [500, 'AMOUNT']),
];

describe('the issuer of a scanned receipt (OCR)', () => {
  afterAll(async () => {
    await closeOcr();
  });

  it('an uploaded scan answers the letterhead OCR read (the local extractor made no guess on an OCR\'d page before)', async () => {
    const scan = drawScan({ title: 'Northwind Office Supply', pairs: [['Receipt No:', '20931'], ['Customer:', 'Contoso Ltd'], ['Total:', '$14.50']] }, 'png');
    expect(await vendorOf(scan)).toBe('Northwind Office Supply');
  }, 120_000);

  it('is its letterhead when tesseract was sure of every word: a name split into cells by letter spacing is one name', () => {
    expect(scanVendor([ocrLine([94, 'KEDAI'], [148, 'EMAS'], [196, 'TRADING'], [262, 'CO']), ...RECEIPT_BODY])).toBe('KEDAI EMAS TRADING CO');
  });

  it('skips a stamp in lower case above it, and reads a name broken after "&" over two lines', () => {
    expect(scanVendor([ocrLine([98, 'lim siew ling']), ocrLine([120, 'DELIMA HARDWARE &']), ocrLine([220, 'ELECTRICAL']), ...RECEIPT_BODY])).toBe(
      'DELIMA HARDWARE & ELECTRICAL',
    );
  });

  it('keeps an "&" OCR read as its own cell, and leaves out the registration number after the name', () => {
    expect(scanVendor([ocrLine([59, 'STEIN'], [101, '&'], [118, 'KELLE']), ...RECEIPT_BODY])).toBe('STEIN & KELLE');
    expect(scanVendor([ocrLine([170, 'KEDAI CO.'], [245, '(M)'], [275, 'BHD'], [310, '(123456-X)']), ...RECEIPT_BODY])).toBe('KEDAI CO. (M) BHD');
  });

  it('leaves out a registration number whose hyphen OCR read as a space ("(204517 K)")', () => {
    expect(scanVendor([ocrLine([60, 'MERANTI BAKERIES (KL) SDN BHD (204517 K)']), ...RECEIPT_BODY])).toBe('MERANTI BAKERIES (KL) SDN BHD');
    expect(scanVendor([ocrLine([60, 'MERANTI BAKERIES (KL) SDN BHD'], [400, '(204517 K)']), ...RECEIPT_BODY])).toBe('MERANTI BAKERIES (KL) SDN BHD');
  });

  it('is the company with its legal form printed right under a shop\'s sign', () => {
    expect(scanVendor([ocrLine([219, 'CITY DAIRY']), ocrLine([80, 'K&T VENTURES SDN BHD'], [313, '(1203344-P)']), ...RECEIPT_BODY])).toBe('K&T VENTURES SDN BHD');
    // ... or the number on the line under it; without one the two lines may be one name wrapped.
    expect(scanVendor([ocrLine([219, 'Sushi Kaizen']), ocrLine([80, 'KAIZEN FOODS SDN BHD']), ocrLine([120, '(894416-D)']), ...RECEIPT_BODY])).toBe('KAIZEN FOODS SDN BHD');
    // (Then it is that name, read whole: a letterhead wrapped over two lines of one column.)
    expect(scanVendor([ocrLine([60, 'NVK Beispielhafter']), ocrLine([60, 'Versicherungsverein Beispielstadt a.G.']), ...RECEIPT_BODY])).toBe(
      'NVK Beispielhafter Versicherungsverein Beispielstadt a.G.',
    );
    // Not the second line of a wrapped name, nor a line OCR read a misread "&" before, nor a small letter for a capital.
    expect(scanVendor([ocrLine([105, 'KEDAI MAJU JAYA VEGETARIAN']), ocrLine([161, 'RESTAURANT SDN BHD']), ...RECEIPT_BODY])).toBeNull();
    expect(scanVendor([ocrLine([272, 'THE COFFEE HOUSE']), ocrLine([245, '9'], [256, 'TEA GARDEN (M) SDN. BHD.']), ...RECEIPT_BODY])).toBeNull();
    expect(scanVendor([ocrLine([207, 'Harbourview']), ocrLine([82, 'lop Of Ihe Hill Sdn Bhd']), ...RECEIPT_BODY])).toBeNull();
  });

  it('leaves out a speck read as a full stop after a whole word of the name, not an abbreviation\'s', () => {
    expect(scanVendor([ocrLine([97, 'KWANG ELECTRICAL. SUPPLIES']), ...RECEIPT_BODY])).toBe('KWANG ELECTRICAL SUPPLIES');
    expect(scanVendor([ocrLine([97, 'T.K.L. MOTOR CO. SDN. BHD.']), ...RECEIPT_BODY])).toBe('T.K.L. MOTOR CO. SDN. BHD.');
  });

  it('reads a capital initial before "&", a number opening a name with its legal form, and "MR." before a legal name (a brand, no salutation)', () => {
    expect(scanVendor([ocrLine([90, 'K'], [105, '&'], [120, 'JOY'], [150, 'RESTAURANT']), ...RECEIPT_BODY])).toBe('K & JOY RESTAURANT');
    expect(scanVendor([ocrLine([108, '88 QUICK MART S/B'], [330, '(604412-K)']), ...RECEIPT_BODY])).toBe('88 QUICK MART S/B');
    expect(scanVendor([ocrLine([126, 'MR.'], [160, 'FIX-IT'], [210, '(M)'], [240, 'SDN'], [275, 'BHD']), ...RECEIPT_BODY])).toBe('MR. FIX-IT (M) SDN BHD');
  });

  it('answers null for a name opening with "&": OCR lost the word before it', () => {
    expect(scanVendor([ocrLine([120, '& JOY RESTAURANT']), ...RECEIPT_BODY])).toBeNull();
  });

  it('leaves out a company number printed after the legal form without brackets', () => {
    expect(scanVendor([ocrLine([150, 'MOONBEAM BAKERY SDN BHD 862725-U']), ...RECEIPT_BODY])).toBe('MOONBEAM BAKERY SDN BHD');
  });

  it('answers null for a one-word letterhead without a legal form (often the end of a name OCR lost the start of)', () => {
    expect(scanVendor([ocrLine([220, 'HUAT']), ...RECEIPT_BODY])).toBeNull();
    expect(scanVendor([ocrLine([200, 'KESTAURANT']), ...RECEIPT_BODY])).toBeNull();
  });

  it('reads a legal form printed under the name as part of it', () => {
    expect(scanVendor([ocrLine([88, 'KEDAI MAJU JAYA']), ocrLine([237, 'SDN BHD']), ...RECEIPT_BODY])).toBe('KEDAI MAJU JAYA SDN BHD');
  });

  it('reads "SON BHD" as the legal form "SDN BHD" it always is', () => {
    expect(scanVendor([ocrLine([216, 'PERMAI CITY SON BHD']), ...RECEIPT_BODY])).toBe('PERMAI CITY SDN BHD');
  });

  it('answers null when tesseract was unsure of a word of the name, when a line above it was unsure (the name may be that line), or when a figure, a sign or a capital sits in a word', () => {
    expect(scanVendor([ocrLine([120, 'DELIMA HARDWARE', 72]), ...RECEIPT_BODY])).toBeNull();
    expect(scanVendor([ocrLine([60, 'B1', 66]), ocrLine([90, 'ILVER SPOON']), ...RECEIPT_BODY])).toBeNull();
    expect(scanVendor([ocrLine([96, 'KEDAI BUKU SDN 8HD']), ...RECEIPT_BODY])).toBeNull();
    expect(scanVendor([ocrLine([96, 'LIM HARDWARE £ TOOLS']), ...RECEIPT_BODY])).toBeNull();
    expect(scanVendor([ocrLine([243, 'Mee CafE']), ...RECEIPT_BODY])).toBeNull();
  });

  it('reads the letterhead under lines of figures and specks (a till\'s numbers, a stamp), which no misread name becomes', () => {
    expect(scanVendor([ocrLine([54, '2', 86], [94, '19', 77], [152, '01-017', 78]), ocrLine([60, 'PERNIAGAAN SRI MERANTI']), ...RECEIPT_BODY])).toBe('PERNIAGAAN SRI MERANTI');
    // Specks read as marks and lone figures, three lines of them: the name is the first line with words.
    expect(scanVendor([ocrLine([71, '2'], [105, '\\']), ocrLine([217, '“'], [285, '1']), ocrLine([19, '4']), ocrLine([82, 'TAN SENG HARDWARE TRADING']), ...RECEIPT_BODY])).toBe(
      'TAN SENG HARDWARE TRADING',
    );
  });

  it('answers null for a name under an address line (the company\'s name above its street was not read: a logo)', () => {
    expect(scanVendor([ocrLine([104, ')']), ocrLine([102, '(004512-K)']), ocrLine([51, 'NO. 53, JALAN KENARI, 30450']), ocrLine([86, 'PERAK DARUL RIDZUAN']), ...RECEIPT_BODY])).toBeNull();
    expect(scanVendor([ocrLine([104, ')']), ocrLine([90, 'KENARI BOOK CENTRE']), ocrLine([102, '(004512-K)']), ocrLine([51, 'NO. 53, JALAN KENARI, 30450']), ...RECEIPT_BODY])).toBe('KENARI BOOK CENTRE');
  });

  it('leaves out a registration in brackets with its label after the legal form', () => {
    expect(scanVendor([ocrLine([74, 'MERANTI REALTY SDN BHD (Co. No:20154-T)']), ...RECEIPT_BODY])).toBe('MERANTI REALTY SDN BHD');
  });

  it('is not taken for the customer\'s when it is printed again under a tax code "SR" (no salutation)', () => {
    const footer = [ocrLine([66, 'SR'], [116, '6%'], [311, '47.17'], [477, '2.83']), ocrLine([94, 'Thank you for shopping at']), ocrLine([94, 'BINTANG PAINT CENTRE SDN BHD'])];
    expect(scanVendor([ocrLine([89, 'BINTANG PAINT CENTRE SDN BHD']), ...RECEIPT_BODY, ...footer])).toBe('BINTANG PAINT CENTRE SDN BHD');
  });

  it('answers null for a name cut after the first half of its legal form ("... SDN" without "BHD"), or a brand over a legal name OCR could not read', () => {
    expect(scanVendor([ocrLine([68, 'ONE TWO SEAFOOD RESTAURANT SDN']), ...RECEIPT_BODY])).toBeNull();
    expect(scanVendor([ocrLine([93, 'SUSHI KAIZEN CHERAS']), ocrLine([70, 'KAIZEN FOODS SDN. BHD.', 80]), ...RECEIPT_BODY])).toBeNull();
    expect(scanVendor([ocrLine([93, 'SUSHI KAIZEN CHERAS']), ...RECEIPT_BODY])).toBe('SUSHI KAIZEN CHERAS');
  });

  it('a legal form alone is no name ("BHD" read on its own line)', () => {
    expect(scanVendor([ocrLine([445, 'BHD']), ocrLine([118, 'LIGHTWAVE GALLERY SDN', 83]), ...RECEIPT_BODY])).toBeNull();
  });
});
