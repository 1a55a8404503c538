import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInvoiceXml, printedAmount, printedVendor, printsDate } from './einvoice-truth.js';

const run = promisify(execFile);

interface Invoice {
  number: string;
  date: string; // yyyymmdd
  total: string;
  seller: string;
  currency: string;
}

/** A Factur-X (CII) invoice XML with the values the truth is read from. */
function ciiXml(invoice: Invoice): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>${invoice.number}</ram:ID>
    <ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">${invoice.date}</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty><ram:Name>${invoice.seller.replace(/&/g, '&amp;')}</ram:Name></ram:SellerTradeParty>
      <ram:BuyerTradeParty><ram:Name>Kunde AG</ram:Name></ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>${invoice.currency}</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:TaxBasisTotalAmount>100.00</ram:TaxBasisTotalAmount>
        <ram:GrandTotalAmount>${invoice.total}</ram:GrandTotalAmount>
        <ram:DuePayablePayableAmount>${invoice.total}</ram:DuePayablePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>`;
}

/** ZUGFeRD 1.0's own syntax, with an amount per currency. */
function zugferd1Xml(invoice: Invoice): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15">
  <rsm:HeaderExchangedDocument>
    <ram:ID>${invoice.number}</ram:ID>
    <ram:IssueDateTime><udt:DateTimeString format="102">${invoice.date}</udt:DateTimeString></ram:IssueDateTime>
  </rsm:HeaderExchangedDocument>
  <rsm:SpecifiedSupplyChainTradeTransaction>
    <ram:ApplicableSupplyChainTradeAgreement><ram:SellerTradeParty><ram:Name>${invoice.seller}</ram:Name></ram:SellerTradeParty></ram:ApplicableSupplyChainTradeAgreement>
    <ram:ApplicableSupplyChainTradeSettlement>
      <ram:InvoiceCurrencyCode>${invoice.currency}</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementMonetarySummation>
        <ram:GrandTotalAmount currencyID="CHF">999.00</ram:GrandTotalAmount>
        <ram:GrandTotalAmount currencyID="${invoice.currency}">${invoice.total}</ram:GrandTotalAmount>
      </ram:SpecifiedTradeSettlementMonetarySummation>
    </ram:ApplicableSupplyChainTradeSettlement>
  </rsm:SpecifiedSupplyChainTradeTransaction>
</rsm:CrossIndustryDocument>`;
}

/** A one-page PDF printing `lines` (top to bottom), the XML attached as the standard names it. */
async function einvoicePdf(lines: string[], attachment?: { name: string; xml: string }): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  lines.forEach((line, i) => page.drawText(line, { x: 50, y: 780 - i * 20, size: 11, font }));
  if (attachment) await pdf.attach(new TextEncoder().encode(attachment.xml), attachment.name, { mimeType: 'text/xml', description: 'Factur-X invoice' });
  return pdf.save();
}

describe('npm run bench:einvoice-truth', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'einvoice-truth-'));
    // A German Factur-X invoice printing every value of its XML (amount and date in German format).
    const invoice = { number: 'RE-2024-0117', date: '20240305', total: '1234.56', seller: 'Beispiel Werkstatt GmbH', currency: 'EUR' };
    await writeFile(
      path.join(dir, 'a-facturx.pdf'),
      await einvoicePdf(['Beispiel Werkstatt GmbH, Hauptstr. 1, 10115 Berlin', 'Rechnung Nr. RE-2024-0117', 'Rechnungsdatum: 05.03.2024', 'Gesamtbetrag 1.234,56 EUR'], { name: 'factur-x.xml', xml: ciiXml(invoice) }),
    );
    // The XML's total (980.00) is not what the page prints: that value is dropped, the rest kept.
    await writeFile(
      path.join(dir, 'b-other-total.pdf'),
      await einvoicePdf(['Atelier Durand', 'Facture FA-88', 'Date : 7 janvier 2025', 'Total TTC : 1 180,00 €'], {
        name: 'factur-x.xml',
        xml: ciiXml({ number: 'FA-88', date: '20250107', total: '980.00', seller: 'Atelier Durand', currency: 'EUR' }),
      }),
    );
    // ZUGFeRD 1 (its own syntax, attachment ZUGFeRD-invoice.xml), a date with an English month name.
    await writeFile(
      path.join(dir, 'c-zugferd1.pdf'),
      await einvoicePdf(['Northwind Supplies Ltd', 'Invoice 2019-77', 'March 9, 2019', 'Total due: GBP 2,500.00'], {
        name: 'ZUGFeRD-invoice.xml',
        xml: zugferd1Xml({ number: '2019-77', date: '20190309', total: '2500.00', seller: 'Northwind Supplies Ltd', currency: 'GBP' }),
      }),
    );
    // A plain PDF without an e-invoice: skipped with a line saying why.
    await writeFile(path.join(dir, 'd-plain.pdf'), await einvoicePdf(['Rechnung 12', 'Summe 10,00 EUR']));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the truth CSV bench:extraction reads, keeping only the values each page prints', async () => {
    const out = path.join(dir, 'truth.csv');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/bench/einvoice-truth.ts', '--dir', dir, '--out', out], {
      cwd: new URL('../..', import.meta.url),
    });
    expect(await readFile(out, 'utf8')).toBe(
      [
        'file,field,type,value',
        'a-facturx.pdf,invoice_number,text,RE-2024-0117',
        'a-facturx.pdf,invoice_date,date,2024-03-05',
        'a-facturx.pdf,total,currency,1234.56',
        'a-facturx.pdf,vendor,text,Beispiel Werkstatt GmbH',
        'a-facturx.pdf,currency,text,EUR',
        'b-other-total.pdf,invoice_number,text,FA-88',
        'b-other-total.pdf,invoice_date,date,2025-01-07',
        'b-other-total.pdf,vendor,text,Atelier Durand',
        'b-other-total.pdf,currency,text,EUR',
        'c-zugferd1.pdf,invoice_number,text,2019-77',
        'c-zugferd1.pdf,invoice_date,date,2019-03-09',
        'c-zugferd1.pdf,total,currency,2500.00',
        'c-zugferd1.pdf,vendor,text,Northwind Supplies Ltd',
        'c-zugferd1.pdf,currency,text,GBP',
        '',
      ].join('\n'),
    );
    expect(stdout).toContain('a-facturx.pdf: 5 values from factur-x.xml');
    expect(stdout).toContain('b-other-total.pdf: 4 values from factur-x.xml; dropped (in the XML, not printed on the page): total 980');
    expect(stdout).toContain('c-zugferd1.pdf: 5 values from ZUGFeRD-invoice.xml');
    expect(stdout).toContain('d-plain.pdf: skipped, no embedded invoice XML');
    expect(stdout).toContain('4 PDFs, 3 with truth, 1 skipped or empty, 1 values dropped as not printed, 14 truth rows');
  }, 60_000);

  it('skips a PDF whose page shows another invoice than its XML, rather than expecting nulls', async () => {
    const other = await mkdtemp(path.join(tmpdir(), 'einvoice-truth-other-'));
    try {
      await writeFile(
        path.join(other, 'sample.pdf'),
        await einvoicePdf(['Sample Seller', 'Invoice 42', 'Date 01/02/2024', 'Total 119.00 EUR'], {
          name: 'factur-x.xml',
          xml: ciiXml({ number: 'X-20131122', date: '20131122', total: '250.00', seller: 'Sample Seller', currency: 'EUR' }),
        }),
      );
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'test/bench/einvoice-truth.ts', '--dir', other], { cwd: new URL('../..', import.meta.url) });
      // Without --out: the CSV on stdout, the report on stderr.
      expect(stdout).toBe('file,field,type,value\n');
      expect(stderr).toContain('sample.pdf: skipped, the page shows another invoice than its factur-x.xml (not printed: invoice_number "X-20131122", invoice_date "2013-11-22", total 250)');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the printed checks', () => {
  it('finds an amount in any locale format, signed as printed, and not inside a longer number', () => {
    for (const page of ['Total 1234.56', 'Summe 1.234,56 €', 'Total TTC 1 234,56 €', "Total CHF 1'234.56", 'Amount due $1,234.56', 'Totaal € 1234,56']) {
      expect(printedAmount(page, 1234.56), page).toBe(1234.56);
    }
    expect(printedAmount('Gesamt 500,- EUR', 500)).toBe(500);
    expect(printedAmount('Total TTC -233,47 €', 233.47)).toBe(-233.47);
    expect(printedAmount('Zahlbetrag -8,79', -8.79)).toBe(-8.79);
    expect(printedAmount('Total 11234,56', 1234.56)).toBeNull();
    expect(printedAmount('Total 1234,567', 1234.56)).toBeNull();
    expect(printedAmount('Total 1234,50', 1234.56)).toBeNull();
    // A date range's dash is not a minus.
    expect(printedAmount('Zeitraum 2024 - 30,00', 30)).toBe(30);
  });

  it('finds a date printed with numbers in any order or with a month name in the five languages', () => {
    const pages = ['Datum: 05.03.2024', 'Date: 5/3/2024', 'Date: 03/05/2024', 'Fecha: 05-03-24', 'Date 2024-03-05', '5. März 2024', '5 mars 2024', '5 maart 2024', '5 de marzo de 2024', 'March 5th, 2024', '05 Mar 2024'];
    for (const page of pages) expect(printsDate(page, '2024-03-05'), page).toBe(true);
    for (const page of ['Datum: 05.04.2024', 'Date 2024-03-15', '15. März 2024', 'Rechnung 05032024', '5 mai 2024']) expect(printsDate(page, '2024-03-05'), page).toBe(false);
    expect(printsDate('le 1er juillet 2023', '2023-07-01')).toBe(true);
    expect(printsDate('le 1er juin 2023', '2023-07-01')).toBe(false);
  });

  it("reads the seller's name as printed: spaces aside, and with the legal form the page adds", () => {
    expect(printedVendor('Liefer ant GmbH\nLieferantenstraße 20', 'Lieferant GmbH')).toBe('Lieferant GmbH');
    expect(printedVendor('MVM Musterhafter\nVersicherungsverein a.G.', 'MVM Musterhafter Versicherungsverein a.G.')).toBe('MVM Musterhafter Versicherungsverein a.G.');
    expect(printedVendor('Au bon moulin SARL - 12 chemin de l’olive\nAu bon moulin SARL', 'Au bon moulin')).toBe('Au bon moulin SARL');
    // Printed once with and once without its legal form: the XML's name stands.
    expect(printedVendor('Au bon moulin\nAu bon moulin SARL', 'Au bon moulin')).toBe('Au bon moulin');
    expect(printedVendor('Rechnung von Muster', 'Muster Handel GmbH')).toBeNull();
    // The name whole, not the end of a longer one.
    expect(printedVendor('MUSTERLIEFERANT GMBH\nMusterstr. 1', 'Lieferant GmbH')).toBeNull();
  });

  it('reads UBL and rejects XML that is no invoice', () => {
    const ubl = `<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">
      <cbc:ID>00123</cbc:ID><cbc:IssueDate>2024-06-30</cbc:IssueDate><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
      <cac:AccountingSupplierParty><cac:Party><cac:PartyName><cbc:Name>Bakkerij Jansen</cbc:Name></cac:PartyName><cac:PartyLegalEntity><cbc:RegistrationName>Bakkerij Jansen B.V.</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
      <cac:LegalMonetaryTotal><cbc:TaxExclusiveAmount currencyID="EUR">100.00</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="EUR">121.00</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="EUR">121.00</cbc:PayableAmount></cac:LegalMonetaryTotal></Invoice>`;
    // The number keeps its leading zeros: XML text is read as text, never as a number.
    expect(parseInvoiceXml(ubl)).toEqual({ invoice_number: '00123', invoice_date: '2024-06-30', total: 121, vendor: 'Bakkerij Jansen B.V.', currency: 'EUR' });
    expect(() => parseInvoiceXml('<?xml version="1.0"?><Order><ID>1</ID></Order>')).toThrow('not an e-invoice XML (root Order)');
  });
});
