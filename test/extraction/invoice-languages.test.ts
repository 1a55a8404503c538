import { describe, expect, it } from 'vitest';
import { createLocalExtractor } from '../../shared/extraction/local.js';
import type { FieldSpec } from '../../shared/extraction/types.js';
import { at, firstRow, printedPdf, type PrintedLine } from '../support/printed-invoice.js';

/**
 * The local extractor on invoices laid out the way real ones are, in English, German,
 * French, Dutch and Spanish: a telecom bill with a sender line above the address window
 * and the keys at the right, a hosting invoice with "Total HT / TVA / Total TTC", a web
 * shop's invoice with its labels above their values, a Spanish utility bill, British and
 * US invoices whose `03/04/2025` differ, a restaurant receipt. Each shows the language's
 * labels, dates and amounts, the vendor read from the issuer block (never the customer),
 * and the numbers that must not pass for the invoice number (customer, order, VAT id).
 * The documents are written here as PDFs with a text layer, positions and all, and read
 * through the extractor's real path (unpdf, layout, labels).
 */

/** What a job asks of an invoice, as a user writes it. */
const FIELDS: FieldSpec[] = [
  { name: 'invoice_number', type: 'text', description: 'Invoice number', required: false },
  { name: 'invoice_date', type: 'date', description: 'Date of the invoice', required: false },
  { name: 'total', type: 'currency', description: 'Total amount due', required: false },
  { name: 'vendor', type: 'text', description: 'The company that issued the invoice', required: false },
];

/** The same, for a job that reads receipts too. */
const RECEIPT_FIELDS: FieldSpec[] = FIELDS.map((field) =>
  field.name === 'invoice_number' ? { ...field, description: 'Invoice or receipt number' } : field,
);

const read = async (lines: PrintedLine[], fields: FieldSpec[] = FIELDS) => firstRow(await printedPdf(lines), fields);

describe('German invoices', () => {
  it('a telecom bill: sender line over the address window, keys at the right, "Rechnungsbetrag" over "Summe netto", the customer number left alone', async () => {
    const row = await read([
      { cells: [[50, 'Telekom Deutschland GmbH · Landgrabenweg 151 · 53227 Bonn']], size: 7 },
      at([50, 'Herrn'], [340, 'Rechnungsdatum'], [460, '15. Januar 2025']),
      at([50, 'Max Mustermann'], [340, 'Kundennummer'], [460, '5500123456']),
      at([50, 'Musterweg 3'], [340, 'Rechnungsnummer'], [460, '9028 1137 4711']),
      at([50, '12345 Berlin'], [340, 'Buchungskonto'], [460, '0123456789']),
      { cells: [[50, 'Ihre Rechnung für Januar 2025']], size: 13, gap: 20 },
      { cells: [[50, 'Leistung'], [300, 'Zeitraum'], [460, 'Betrag (EUR)']], gap: 10 },
      at([50, 'MagentaZuhause L'], [300, '01.01.-31.01.2025'], [460, '33,57']),
      at([50, 'Summe netto'], [460, '33,57']),
      at([50, 'Umsatzsteuer 19 %'], [460, '6,38']),
      at([50, 'Rechnungsbetrag'], [460, '39,95 €']),
      { cells: [[50, 'Telekom Deutschland GmbH · USt-IdNr. DE 814645262 · www.telekom.de']], size: 7, gap: 200 },
    ]);
    expect(row).toEqual({ invoice_number: '9028 1137 4711', invoice_date: '2025-01-15', total: 39.95, vendor: 'Telekom Deutschland GmbH' });
  });

  it('a web shop invoice: "Rechnung Nr." beside "Bestellnummer", a dotted date, "Gesamtbetrag" in thousands with a dot', async () => {
    const row = await read([
      { cells: [[50, 'Brightline Versand GmbH']], size: 16 },
      at([50, 'Hafenstraße 12, 20457 Hamburg']),
      at([50, 'service@brightline-versand.de']),
      at([50, 'Rechnungsempfänger:'], [340, 'Rechnung Nr.'], [460, 'RE-2025-00042']),
      at([50, 'Kunde Elektro AG'], [340, 'Bestellnummer'], [460, '302-4471-9921']),
      at([50, 'Industrieweg 4'], [340, 'Datum'], [460, '03.04.2025']),
      at([50, '80331 München'], [340, 'Kundennr.'], [460, 'K-100234']),
      { cells: [[50, 'Artikel'], [300, 'Menge'], [460, 'Gesamt']], gap: 12 },
      at([50, 'Etikettendrucker LX-200'], [300, '3'], [460, '1.037,82']),
      at([300, 'Nettobetrag'], [460, '1.037,82 €']),
      at([300, 'MwSt. 19 %'], [460, '197,19 €']),
      at([300, 'Gesamtbetrag'], [460, '1.235,01 €']),
    ]);
    // "Gesamt" heads the line items' column; the grand total is the last and largest.
    expect(row).toEqual({ invoice_number: 'RE-2025-00042', invoice_date: '2025-04-03', total: 1235.01, vendor: 'Brightline Versand GmbH' });
  });

  it('a marketplace invoice: "Rechnungsdatum/Lieferdatum", "Rechnungsnr.", the seller after "Verkauft von", the order number and order date left alone', async () => {
    const row = await read([
      at([50, 'Rechnung'], [330, 'Rechnungsdatum/Lieferdatum'], [480, '12 März 2025']),
      at([50, 'Verkauft von Amazon EU S.à r.l.'], [330, 'Rechnungsnr.'], [480, 'DE5ABC123XYZ']),
      at([50, 'USt-ID LU20260743'], [330, 'Gesamtpreis'], [480, '59,99 €']),
      { cells: [[50, 'Rechnungsadresse'], [250, 'Lieferadresse']], gap: 12 },
      at([50, 'Max Mustermann'], [250, 'Max Mustermann']),
      { cells: [[50, 'Bestelldatum'], [180, '10 März 2025']], gap: 12 },
      at([50, 'Bestellnr.'], [180, '302-1234567-1234567']),
      { cells: [[50, 'Beschreibung'], [300, 'Menge'], [380, 'USt. %'], [470, 'Zwischensumme (inkl. USt.)']], gap: 12 },
      at([50, 'USB-C Ladegerät 65 W'], [300, '1'], [380, '19 %'], [470, '59,99 €']),
      at([330, 'Gesamtpreis'], [470, '59,99 €']),
    ]);
    expect(row).toEqual({ invoice_number: 'DE5ABC123XYZ', invoice_date: '2025-03-12', total: 59.99, vendor: 'Amazon EU S.à r.l.' });
  });

  it('a bilingual invoice: "Rechnungsnummer / Invoice No." and "Datum / Date"', async () => {
    const row = await read([
      { cells: [[50, 'Nordlicht Software AG']], size: 14 },
      at([50, 'Speicherstadt 1, 20457 Hamburg · www.nordlicht-software.de']),
      { cells: [[50, 'Rechnungsnummer / Invoice No.'], [250, 'NS-2025-118']], gap: 10 },
      at([50, 'Datum / Date'], [250, '28.02.2025']),
      at([50, 'Gesamtbetrag / Total'], [250, '2.380,00 EUR']),
    ]);
    expect(row).toEqual({ invoice_number: 'NS-2025-118', invoice_date: '2025-02-28', total: 2380, vendor: 'Nordlicht Software AG' });
  });

  it('a restaurant receipt: "Beleg-Nr.", the date and time on one line, "Summe" over "Gegeben" and "Rückgeld"', async () => {
    const row = await read([
      { cells: [[60, 'Trattoria Da Mario']], size: 14 },
      at([60, 'Leopoldstraße 5, 80802 München']),
      at([60, 'Tisch 4'], [250, 'Beleg-Nr. 4711']),
      at([60, '15.01.2025 20:14']),
      { cells: [[60, 'Pizza Margherita'], [250, '9,50']], gap: 8 },
      at([60, 'Tiramisu'], [250, '6,90']),
      at([60, 'Summe EUR'], [250, '16,40']),
      at([60, 'MwSt 19% enth.'], [250, '2,62']),
      at([60, 'Gegeben Bar'], [250, '20,00']),
      at([60, 'Rückgeld'], [250, '3,60']),
    ], RECEIPT_FIELDS);
    expect(row).toEqual({ invoice_number: '4711', invoice_date: '2025-01-15', total: 16.4, vendor: 'Trattoria Da Mario' });
  });
});

describe('French invoices', () => {
  it('a hosting invoice: "N° de facture", "3 mars 2025", "Total TTC" over "Total HT", the client block and its reference left alone', async () => {
    const row = await read([
      at([50, 'OVH SAS'], [400, 'FACTURE']),
      at([50, '2 rue Kellermann'], [340, 'N° de facture :'], [450, 'FR58213347']),
      at([50, '59100 Roubaix'], [340, 'Date :'], [450, '3 mars 2025']),
      at([50, 'N° TVA : FR22424761419'], [340, 'Référence client :'], [450, 'ab12345-ovh']),
      { cells: [[300, 'Facturé à :']], gap: 12 },
      at([300, 'Atelier Martin SARL']),
      at([300, '12 avenue Foch']),
      at([300, '75016 Paris']),
      { cells: [[50, 'Désignation'], [300, 'Quantité'], [380, 'Prix unitaire HT'], [480, 'Total HT']], gap: 12 },
      at([50, 'Serveur dédié Advance-1'], [300, '12'], [380, '102,88 €'], [480, '1 234,56 €']),
      at([380, 'Total HT'], [480, '1 234,56 €']),
      at([380, 'TVA (20 %)'], [480, '246,91 €']),
      at([380, 'Total TTC'], [480, '1 481,47 €']),
    ]);
    expect(row).toEqual({ invoice_number: 'FR58213347', invoice_date: '2025-03-03', total: 1481.47, vendor: 'OVH SAS' });
  });

  it('an energy bill: "Facture n°" inline, "le 1er avril 2025", "Montant TTC", the vendor from its e-mail domain', async () => {
    const row = await read([
      { cells: [[50, 'EDF']], size: 18 },
      at([50, 'Service Client EDF - TSA 21941']),
      at([50, 'Contact : clients@edf.fr']),
      { cells: [[50, 'Facture n° 10092837465 du 1er avril 2025']], gap: 10 },
      at([50, 'Date de facture :'], [200, 'le 1er avril 2025']),
      at([50, 'Client :'], [200, 'Mme Claire Dubois']),
      at([50, 'N° client :'], [200, '6 012 345 678']),
      { cells: [[50, 'Montant HT'], [400, '88,25 €']], gap: 12 },
      at([50, 'TVA'], [400, '17,65 €']),
      at([50, 'Montant TTC'], [400, '105,90 €']),
    ]);
    expect(row).toEqual({ invoice_number: '10092837465', invoice_date: '2025-04-01', total: 105.9, vendor: 'EDF' });
  });
});

describe('Dutch invoices', () => {
  it('a web shop invoice: labels above their values, "3 maart 2025", "Totaal incl. btw" over "excl.", the vendor with a lower-case "b.v."', async () => {
    const row = await read([
      { cells: [[50, 'bol.com b.v.']], size: 14 },
      at([50, 'Papendorpseweg 100, 3528 BJ Utrecht']),
      at([50, 'BTW NL8137.08.213.B01']),
      { cells: [[50, 'FACTUUR']], size: 14, gap: 10 },
      { cells: [[50, 'Factuurnummer'], [180, 'Factuurdatum'], [310, 'Klantnummer'], [440, 'Vervaldatum']], gap: 6 },
      at([50, '4300123456'], [180, '3 maart 2025'], [310, '1234567'], [440, '2 april 2025']),
      { cells: [[50, 'Factuuradres']], gap: 10 },
      at([50, 'J. de Vries']),
      at([50, 'Kerkstraat 12']),
      { cells: [[50, 'Omschrijving'], [300, 'Aantal'], [380, 'Prijs'], [480, 'Bedrag']], gap: 12 },
      at([50, 'Philips Hue starterset'], [300, '1'], [380, '€ 41,28'], [480, '€ 41,28']),
      at([380, 'Totaal excl. btw'], [480, '€ 41,28']),
      at([380, 'Btw 21%'], [480, '€ 8,67']),
      at([380, 'Totaal incl. btw'], [480, '€ 49,95']),
    ]);
    expect(row).toEqual({ invoice_number: '4300123456', invoice_date: '2025-03-03', total: 49.95, vendor: 'bol.com b.v.' });
  });

  it('a telecom bill: "Factuurnr.", a dashed date, "Te betalen", the ordernummer left alone', async () => {
    const row = await read([
      at([50, 'KPN B.V.'], [380, 'Factuurnr.'], [470, '6019283746']),
      at([50, 'Postbus 30000'], [380, 'Ordernummer'], [470, '88-772-1']),
      at([50, '2500 GA Den Haag'], [380, 'Datum'], [470, '12-02-2025']),
      at([50, 'www.kpn.com'], [380, 'Klantnr.'], [470, '31245566']),
      { cells: [[50, 'Abonnement KPN Compleet'], [470, '€ 37,19']], gap: 20 },
      at([50, 'Btw 21%'], [470, '€ 7,81']),
      at([50, 'Te betalen'], [470, '€ 45,00']),
    ]);
    expect(row).toEqual({ invoice_number: '6019283746', invoice_date: '2025-02-12', total: 45, vendor: 'KPN B.V.' });
  });
});

describe('Spanish invoices', () => {
  it('a telecom bill: keys at the right, "12 de febrero de 2025", "Total a pagar" over "Base imponible", the client and order numbers left alone', async () => {
    const row = await read([
      { cells: [[50, 'Telefónica de España, S.A.U.']], size: 13 },
      at([50, 'Gran Vía 28, 28013 Madrid'], [330, 'Nº factura:'], [450, 'TA5U60123456']),
      at([50, 'CIF A82018474'], [330, 'Fecha de emisión:'], [450, '12 de febrero de 2025']),
      at([330, 'Nº de cliente:'], [450, '12345678']),
      at([330, 'Nº de pedido:'], [450, 'P-99120']),
      { cells: [[50, 'Datos del cliente']], gap: 10 },
      at([50, 'Distribuciones Ruiz S.L.']),
      at([50, 'Calle Mayor 5, 41001 Sevilla']),
      { cells: [[50, 'Concepto'], [460, 'Importe']], gap: 12 },
      at([50, 'Fusión Total Plus'], [460, '41,28 €']),
      at([300, 'Base imponible'], [460, '41,28 €']),
      at([300, 'IVA 21%'], [460, '8,67 €']),
      at([300, 'Total a pagar'], [460, '49,95 €']),
    ]);
    expect(row).toEqual({ invoice_number: 'TA5U60123456', invoice_date: '2025-02-12', total: 49.95, vendor: 'Telefónica de España, S.A.U.' });
  });

  it('a shop invoice: "Número de factura" above its value, a slashed day-first date, "Importe total"', async () => {
    const row = await read([
      { cells: [[50, 'Gráficas López S.L.']], size: 14 },
      at([50, 'Avda. de la Constitución 3, 46001 Valencia']),
      at([50, 'NIF ESB12345674 · info@graficaslopez.es']),
      { cells: [[50, 'Número de factura'], [250, 'Fecha']], gap: 12 },
      at([50, 'A/2025-0087'], [250, '03/04/2025']),
      { cells: [[50, 'Cliente:'], [130, 'Café Sol S.L.']], gap: 10 },
      { cells: [[300, 'Subtotal'], [460, '1.000,00 €']], gap: 12 },
      at([300, 'IVA 21%'], [460, '210,00 €']),
      at([300, 'Importe total'], [460, '1.210,00 €']),
    ]);
    expect(row).toEqual({ invoice_number: 'A/2025-0087', invoice_date: '2025-04-03', total: 1210, vendor: 'Gráficas López S.L.' });
  });
});

describe('English invoices', () => {
  it('a British invoice: £ makes 03/04/2025 the 3rd of April; the VAT number and order number are not the invoice number', async () => {
    const row = await read([
      at([50, 'Invoice'], [350, 'Northwind Traders Ltd']),
      at([350, '14 Market Street, Leeds LS1 6DT']),
      at([350, 'VAT Reg. No. GB 123 4567 89']),
      { cells: [[50, 'Invoice number:'], [180, 'NWT-20931']], gap: 10 },
      at([50, 'Invoice date:'], [180, '03/04/2025']),
      at([50, 'Order number:'], [180, '206-1234567-1234567']),
      { cells: [[50, 'Bill to:'], [180, 'Harbor Tech Services Inc.']], gap: 8 },
      { cells: [[300, 'Total (excl. VAT)'], [460, '£1,000.00']], gap: 12 },
      at([300, 'VAT 20%'], [460, '£200.00']),
      at([300, 'Total'], [460, '£1,200.00']),
    ]);
    expect(row).toEqual({ invoice_number: 'NWT-20931', invoice_date: '2025-04-03', total: 1200, vendor: 'Northwind Traders Ltd' });
  });

  it('a US invoice: $ keeps 03/04/2025 the 4th of March; "Mar 3, 2025" style dates; a negative credit line is not the total', async () => {
    const row = await read([
      { cells: [[50, 'Acme Office Supplies Inc.']], size: 15 },
      at([50, '100 Main Street, Springfield, IL 62701']),
      at([50, 'billing@acmeoffice.com']),
      { cells: [[50, 'Invoice #'], [160, '10482']], gap: 10 },
      at([50, 'Invoice Date'], [160, '03/04/2025']),
      at([50, 'Ship Date'], [160, 'Mar 3, 2025']),
      { cells: [[50, 'Bill To'], [300, 'Ship To']], gap: 8 },
      at([50, 'Summit Print Co.'], [300, 'Summit Print Co.']),
      { cells: [[300, 'Subtotal'], [460, '$2,450.00']], gap: 12 },
      at([300, 'Credit'], [460, '($50.00)']),
      at([300, 'Sales Tax'], [460, '$192.00']),
      at([300, 'Total Due'], [460, 'USD 2,592.00']),
    ]);
    expect(row).toEqual({ invoice_number: '10482', invoice_date: '2025-03-04', total: 2592, vendor: 'Acme Office Supplies Inc.' });
  });

  it('a SaaS invoice: "Date of issue" beside "Date due", "$120.00 due March 17, 2025" as a headline, the vendor "Acme, Inc."', async () => {
    const row = await read([
      at([50, 'Invoice'], [420, 'Acme, Inc.']),
      at([420, '510 Townsend Street']),
      at([420, 'San Francisco, CA 94103']),
      { cells: [[50, 'Invoice number'], [170, 'F3A9C1D2-0007']], gap: 10 },
      at([50, 'Date of issue'], [170, 'March 3, 2025']),
      at([50, 'Date due'], [170, 'March 17, 2025']),
      { cells: [[50, 'Bill to']], gap: 10 },
      at([50, 'Jansen Drukwerk']),
      { cells: [[50, '$120.00 USD due March 17, 2025']], size: 14, gap: 10 },
      { cells: [[50, 'Description'], [300, 'Qty'], [380, 'Unit price'], [480, 'Amount']], gap: 10 },
      at([50, 'Pro plan'], [300, '1'], [380, '$120.00'], [480, '$120.00']),
      at([380, 'Subtotal'], [480, '$120.00']),
      at([380, 'Total'], [480, '$120.00']),
      at([380, 'Amount due'], [480, '$120.00 USD']),
    ]);
    expect(row).toEqual({ invoice_number: 'F3A9C1D2-0007', invoice_date: '2025-03-03', total: 120, vendor: 'Acme, Inc.' });
  });

  it('a hosting invoice in English from a German company: "Total" over "Total (excl. VAT)", the customer number left alone, 1.234 read in its locale', async () => {
    const row = await read([
      { cells: [[50, 'Hetzner Online GmbH · Industriestr. 25 · 91710 Gunzenhausen']], size: 7 },
      at([50, 'Jane Doe'], [360, 'Invoice no.:'], [460, '082000123456']),
      at([50, 'Flat 2, 10 Baker Street'], [360, 'Customer no.:'], [460, 'K0123456789']),
      at([50, 'London NW1 6XE'], [360, 'Invoice date:'], [460, '05/02/2025']),
      { cells: [[50, 'Dedicated server AX52'], [460, '€ 1.034,00']], gap: 20 },
      at([300, 'Total (excl. VAT)'], [460, '€ 1.034,00']),
      at([300, 'VAT 19 %'], [460, '€ 196,46']),
      at([300, 'Total'], [460, '€ 1.230,46']),
      { cells: [[50, 'Hetzner Online GmbH · VAT ID DE 812871812 · www.hetzner.com']], size: 7, gap: 200 },
    ]);
    expect(row).toEqual({ invoice_number: '082000123456', invoice_date: '2025-02-05', total: 1230.46, vendor: 'Hetzner Online GmbH' });
  });
});

describe('labelled vendors and plain text', () => {
  it.each(['Lieferant:', 'Verkäufer:', 'Fournisseur :', 'Vendeur :', 'Leverancier:', 'Proveedor:', 'Seller:', 'Supplier:'])(
    '%s labels the vendor of a job that asks for "vendor"',
    async (label) => {
      const row = await read([at([50, 'Bill to:'], [200, 'Kunde Elektro AG']), { cells: [[50, label], [200, 'Rheinwerk Technik GmbH']], gap: 10 }]);
      expect(row.vendor).toBe('Rheinwerk Technik GmbH');
    },
  );

  it('reads an e-mailed receipt in plain text (French): labels with colons, a month-name date, "Total TTC"', async () => {
    const text = ['Boulangerie Lefèvre', '12 rue des Lilas, 69003 Lyon', 'Ticket n° : 000-4821', 'Date : mardi 4 mars 2025', '', 'Baguette tradition 1,30', 'Croissant x2 2,40', 'Total HT : 3,51 €', 'TVA 5,5 % : 0,19 €', 'Total TTC : 3,70 €'].join('\n');
    const extractor = createLocalExtractor({ readFile: async () => Buffer.from(text) });
    const answer = await extractor.extract({
      fields: RECEIPT_FIELDS.map((field) => (field.name === 'invoice_number' ? { ...field, description: 'Invoice, receipt or ticket number' } : field)),
      file: { uri: 'mem://ticket.txt', mimeType: 'text/plain', filename: 'ticket.txt' },
      systemPrompt: { version: 'v1', text: 'unused' },
      model: 'local',
    });
    expect(answer.results).toEqual([['000-4821', '2025-03-04', 3.7, 'Boulangerie Lefèvre']]);
  });
});

describe('precision first: null rather than a guess', () => {
  it('prose after an invoice label is no invoice number; neither is a customer or order number, a date or an amount', async () => {
    const row = await read([
      at([50, 'Harbor Bean Cafe']),
      at([50, 'Invoice #: at the time of check-out.']),
      at([50, 'Customer number:'], [200, 'C-99812']),
      at([50, 'Order number:'], [200, '123-456']),
      at([50, 'Total'], [200, '12.40']),
    ]);
    expect(row.invoice_number).toBeNull();
    expect(row.total).toBe(12.4);
  });

  it('a title "Rechnung für Januar 2025" is no invoice number; an amount after a currency cell of its own is read', async () => {
    const row = await read([
      { cells: [[50, 'Rechnung für Januar 2025']], size: 13 },
      at([50, 'Gesamtbetrag'], [400, 'EUR'], [440, '1.190,00']),
    ]);
    expect(row.invoice_number).toBeNull();
    expect(row.total).toBe(1190);
  });

  it('German distractors alone (Kundennummer, Bestellnummer, Auftragsnummer) give no invoice number', async () => {
    const row = await read([
      at([50, 'Müller & Söhne KG']),
      at([50, 'Kundennummer:'], [200, '100234']),
      at([50, 'Bestellnummer:'], [200, '4500012345']),
      at([50, 'Auftragsnummer:'], [200, 'A-7781']),
    ]);
    expect(row.invoice_number).toBeNull();
  });

  it('an invoice number label whose value is a VAT id, an IBAN or a telephone number answers null', async () => {
    for (const value of ['DE123456789', 'DE89 3704 0044 0532 0130 00', '+49 30 1234567', '15.01.2025', '1.234,56 €']) {
      const row = await read([at([50, 'Rechnungsnummer:'], [200, value])]);
      expect(row.invoice_number, value).toBeNull();
    }
  });

  it('two different invoice numbers answer null; the same one printed twice is kept', async () => {
    const twice = [at([50, 'Invoice number:'], [200, 'INV-1001']), at([50, 'Invoice number:'], [200, 'INV-1002'])];
    expect((await read(twice)).invoice_number).toBeNull();
    const same = [at([50, 'Invoice number:'], [200, 'INV-1001']), { cells: [[50, 'Invoice number:'], [200, 'INV-1001']] as Array<[number, string]>, gap: 300 }];
    expect((await read(same)).invoice_number).toBe('INV-1001');
  });

  it('the customer named first on the page is never the vendor: a "Rechnungsempfänger" block at the top left', async () => {
    const row = await read([
      at([50, 'Rechnungsempfänger:'], [350, 'Rheinwerk Technik GmbH']),
      at([50, 'Nordlicht Software AG'], [350, 'Rheinallee 9, 40213 Düsseldorf']),
      at([50, 'Am Hafen 3, 24103 Kiel'], [350, 'info@rheinwerk-technik.de']),
      at([50, 'Rechnungsnummer:'], [200, 'RW-5512']),
    ]);
    expect(row.vendor).toBe('Rheinwerk Technik GmbH');
  });

  it('a letter-style invoice without a sender line: the salutation block is the customer\'s, the vendor comes from the footer', async () => {
    const row = await read([
      at([50, 'Herrn'], [360, 'Rechnungsnummer:'], [470, '2025-0815']),
      at([50, 'Max Mustermann'], [360, 'Datum:'], [470, '05.03.2025']),
      at([50, 'Musterweg 3'], [360, 'Kundennummer:'], [470, '10077']),
      at([50, '12345 Berlin']),
      { cells: [[50, 'Nr.'], [100, 'Bezeichnung'], [460, 'Betrag']], gap: 20 },
      at([50, '1'], [100, 'Heizungswartung'], [460, '180,00 €']),
      at([300, 'Gesamtbetrag'], [460, '214,20 €']),
      { cells: [[50, 'Haustechnik Weber GmbH · Ringstraße 8 · 50667 Köln · USt-IdNr. DE298765432']], size: 7, gap: 200 },
    ]);
    expect(row).toEqual({ invoice_number: '2025-0815', invoice_date: '2025-03-05', total: 214.2, vendor: 'Haustechnik Weber GmbH' });
  });

  it('an unlabelled address window first on the page (a logo for a letterhead) is not the vendor when the footer names one with its VAT id', async () => {
    const row = await read([
      at([50, 'Beta Handel GmbH'], [360, 'Rechnungsnummer:'], [470, 'AW-2025-31']),
      at([50, 'Lagerstraße 7'], [360, 'Datum:'], [470, '07.03.2025']),
      at([50, '28195 Bremen']),
      { cells: [[50, 'Pos.'], [100, 'Bezeichnung'], [460, 'Betrag']], gap: 20 },
      at([50, '1'], [100, 'Wartung Klimaanlage'], [460, '420,00 €']),
      at([300, 'Gesamtbetrag'], [460, '499,80 €']),
      { cells: [[50, 'Alpha Kältetechnik GmbH']], size: 7, gap: 200 },
      { cells: [[50, 'Hafenweg 2, 20457 Hamburg']], size: 7 },
      { cells: [[50, 'USt-IdNr. DE287654321']], size: 7 },
    ]);
    expect(row.vendor).toBe('Alpha Kältetechnik GmbH');
  });

  it('a "Nr." column heading gives no invoice number from its first position', async () => {
    const row = await read([
      { cells: [[50, 'Nr.'], [100, 'Bezeichnung'], [460, 'Betrag']] },
      at([50, '1'], [100, 'Heizungswartung'], [460, '180,00 €']),
    ]);
    expect(row.invoice_number).toBeNull();
  });

  it('two equally likely issuers (no label, no evidence either way) answer null', async () => {
    const row = await read([
      { cells: [[50, 'Invoice']], size: 14 },
      at([50, 'Alpha Trading GmbH'], [350, 'Beta Handel GmbH']),
      at([50, 'Invoice number:'], [200, 'X-1']),
    ]);
    expect(row.vendor).toBeNull();
  });
});
