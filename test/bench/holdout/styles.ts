/**
 * The issuers of the held-out set: twelve invoice styles imitating layouts real companies
 * send (telecom bill, hosting provider, marketplace order invoice, utility bill, freelancer
 * invoice, restaurant receipt, hardware store receipt, SaaS subscription, craftsman's
 * Rechnung, French Facture, Dutch Factuur, Spanish Factura), each in the languages such an
 * issuer writes. Every style decides its labels, which numbers and dates stand near each
 * other, how amounts and dates are written, and returns the ground truth with the exact
 * strings it printed for it.
 */
import type { Faker } from '@faker-js/faker';
import { drawA4, type Column, type TableRow } from './a4.js';
import { addDays, formatDate, formatMoney, formatNumber, formatQuantity, isoDate, localeOf, winAnsi, type HoldoutTruth, type Lang, type LineItemTruth, type Printed, type Random, type Sheet } from './model.js';
import { drawReceipt, type ReceiptLine } from './receipt.js';

export interface StyleContext {
  rng: Random;
  lang: Lang;
  faker: Faker;
}

export interface Built {
  sheet: Sheet;
  truth: HoldoutTruth;
  printed: Printed;
}

export interface Style {
  name: string;
  langs: readonly Lang[];
  build(context: StyleContext): Built;
}

// ---------------------------------------------------------------- shared pieces

interface Party {
  name: string;
  street: string;
  city: string;
  phone: string;
  email: string;
  web: string;
}

function party(context: StyleContext, name: string): Party {
  const { faker } = context;
  const domain = name.toLowerCase().replace(/[^a-z0-9]+/g, '').slice(0, 14) || 'example';
  const tld = { en: 'co.uk', de: 'de', fr: 'fr', nl: 'nl', es: 'es' }[context.lang];
  return {
    name,
    street: winAnsi(faker.location.streetAddress()),
    city: winAnsi(`${faker.location.zipCode()} ${faker.location.city()}`),
    phone: winAnsi(faker.phone.number()),
    email: `info@${domain}.${tld}`,
    web: `www.${domain}.${tld}`,
  };
}

function customer(context: StyleContext, business: boolean): string[] {
  const { faker } = context;
  const person = winAnsi(faker.person.fullName());
  const lines = business ? [winAnsi(faker.company.name()), person] : [person];
  return [...lines, winAnsi(faker.location.streetAddress()), winAnsi(`${faker.location.zipCode()} ${faker.location.city()}`)];
}

const LEGAL: Record<Lang, readonly string[]> = { en: ['Ltd', 'Limited', 'Ltd.'], de: ['GmbH', 'AG', 'GmbH & Co. KG'], fr: ['SAS', 'SARL', 'SA'], nl: ['B.V.', 'B.V.', 'N.V.'], es: ['S.L.', 'S.A.', 'S.L.U.'] };

function vatId(rng: Random, lang: Lang): string {
  switch (lang) {
    case 'de':
      return `DE${rng.digits(9)}`;
    case 'fr':
      return `FR${rng.digits(2)}${rng.digits(9)}`;
    case 'nl':
      return `NL${rng.digits(9)}B01`;
    case 'es':
      return `ES${rng.letters(1)}${rng.digits(8)}`;
    default:
      return `GB${rng.digits(3)} ${rng.digits(4)} ${rng.digits(2)}`;
  }
}

function iban(rng: Random, lang: Lang): string {
  const country = { en: 'GB', de: 'DE', fr: 'FR', nl: 'NL', es: 'ES' }[lang];
  const body = lang === 'nl' ? `${rng.letters(4)}${rng.digits(10)}` : lang === 'en' ? `${rng.letters(4)}${rng.digits(14)}` : rng.digits(lang === 'fr' ? 23 : lang === 'es' ? 20 : 18);
  const raw = `${country}${rng.digits(2)}${body}`;
  return raw.replace(/(.{4})/g, '$1 ').trim();
}

function invoiceDate(rng: Random): string {
  return isoDate(rng.pick([2024, 2025, 2025, 2026]), rng.int(1, 12), rng.int(1, 28));
}

interface Priced {
  description: string;
  quantity: number;
  unitCents: number;
  amountCents: number;
  detail?: string;
}

function priced(description: string, quantity: number, unitCents: number, detail?: string): Priced {
  return { description: winAnsi(description), quantity, unitCents, amountCents: Math.round(quantity * unitCents), detail };
}

const sum = (items: readonly Priced[]) => items.reduce((total, item) => total + item.amountCents, 0);
const vatOf = (netCents: number, rate: number) => Math.round((netCents * rate) / 100);
const includedVat = (grossCents: number, rate: number) => Math.round((grossCents * rate) / (100 + rate));
const truthItems = (items: readonly Priced[]): LineItemTruth[] => items.map((item) => ({ description: item.description, quantity: item.quantity, amount: item.amountCents / 100 }));

function pickItems(rng: Random, catalogue: readonly (readonly [string, number, number])[], count: number, quantity: () => number): Priced[] {
  const chosen = rng.shuffle([...catalogue]).slice(0, Math.min(count, catalogue.length));
  while (chosen.length < count) chosen.push(rng.pick(catalogue));
  return chosen.map(([description, low, high]) => priced(description, quantity(), rng.int(low, high) * 5));
}

function footerColumns(company: Party, legal: string, lang: Lang, rng: Random, extra: { vat: string; registry: string; bank: string; ibanText: string; manager?: string }): string[][] {
  const labels = {
    en: { tel: 'Tel.', vat: 'VAT No.', iban: 'IBAN', bic: 'BIC' },
    de: { tel: 'Tel.', vat: 'USt-IdNr.', iban: 'IBAN', bic: 'BIC' },
    fr: { tel: 'Tél.', vat: 'TVA intracom.', iban: 'IBAN', bic: 'BIC' },
    nl: { tel: 'Tel.', vat: 'BTW-nr.', iban: 'IBAN', bic: 'BIC' },
    es: { tel: 'Tel.', vat: 'NIF', iban: 'IBAN', bic: 'BIC' },
  }[lang];
  return [
    [legal, company.street, company.city],
    [`${labels.tel} ${company.phone}`, company.email, company.web],
    [extra.bank, `${labels.iban} ${extra.ibanText}`, `${labels.bic} ${rng.letters(4)}${lang.toUpperCase()}${rng.letters(2)}XXX`],
    [extra.registry, `${labels.vat} ${extra.vat}`, ...(extra.manager ? [extra.manager] : [])],
  ];
}

function registry(rng: Random, lang: Lang, city: string, faker: Faker): string {
  const town = city.replace(/^[\d\s-]+[A-Z]{0,2}\s/, '');
  switch (lang) {
    case 'de':
      return `Amtsgericht ${town} HRB ${rng.digits(5)}`;
    case 'fr':
      return `RCS ${town} ${rng.digits(3)} ${rng.digits(3)} ${rng.digits(3)}`;
    case 'nl':
      return `KvK ${rng.digits(8)}`;
    case 'es':
      return `Reg. Merc. ${winAnsi(faker.location.city())}, Tomo ${rng.digits(4)}, Hoja ${rng.letters(1)}-${rng.digits(5)}`;
    default:
      return `Registered in England No. ${rng.digits(8)}`;
  }
}

const BANKS: Record<Lang, readonly string[]> = {
  en: ['Barclays Bank', 'HSBC UK', 'Lloyds Bank'],
  de: ['Sparkasse', 'Commerzbank', 'Volksbank eG'],
  fr: ['BNP Paribas', 'Crédit Agricole', 'Société Générale'],
  nl: ['ING Bank', 'Rabobank', 'ABN AMRO'],
  es: ['Banco Santander', 'CaixaBank', 'BBVA'],
};

/** A telecom bill's itemised calls (four bills in ten): date and time, number, duration, charge; amounts that are not line items. */
function callList(context: StyleContext, heading: string, start: string, locale: string, money: (cents: number) => string): string[] {
  const { rng, faker } = context;
  if (!rng.chance(0.4)) return [];
  const lines = ['', heading];
  let day = start;
  for (let i = rng.int(30, 70); i > 0; i--) {
    if (rng.chance(0.3)) day = addDays(day, 1);
    const time = `${String(rng.int(7, 22)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
    const duration = `${String(rng.int(0, 25)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
    lines.push(`${formatDate(day, locale, 'numeric')}   ${time}   ${winAnsi(faker.phone.number())}   ${duration}   ${money(rng.chance(0.7) ? 0 : rng.int(1, 300))}`);
  }
  return lines;
}

// ---------------------------------------------------------------- the styles

/** Telecom bill: summary with the amount due on page 1, the service list after it; customer number and account next to the invoice number. */
const telecom: Style = {
  name: 'telecom bill',
  langs: ['de', 'nl', 'fr', 'es', 'en'],
  build(context) {
    const { rng, lang, faker } = context;
    const brand = rng.pick(['Telvia', 'Mobilnet', 'Fonexa', 'Connecta', 'Vivanet', 'Kabelnord']);
    const legal = `${brand} ${rng.pick(LEGAL[lang])}`;
    const company = party(context, brand);
    const locale = localeOf(lang, 'GB');
    const currency = lang === 'en' ? 'GBP' : 'EUR';
    const date = invoiceDate(rng);
    const L = {
      en: { calls: 'Itemised calls', title: 'Your bill', number: 'Bill number', date: 'Bill date', customer: 'Account number', contract: 'Phone number', period: 'Billing period', net: 'Charges excl. VAT', vat: 'VAT 20%', total: 'Total amount due', debit: 'The amount will be collected by Direct Debit on or after', rate: 20, service: 'Service', amount: 'Amount', page: (p: number, n: number) => `Page ${p} of ${n}`, qty: 'Qty' },
      de: { calls: 'Einzelverbindungsnachweis', title: 'Ihre Rechnung', number: 'Rechnungsnummer', date: 'Rechnungsdatum', customer: 'Kundennummer', contract: 'Buchungskonto', period: 'Abrechnungszeitraum', net: 'Summe netto', vat: 'Umsatzsteuer 19 %', total: 'Rechnungsbetrag', debit: 'Der Rechnungsbetrag wird abgebucht am', rate: 19, service: 'Leistung', amount: 'Betrag', page: (p: number, n: number) => `Seite ${p} von ${n}`, qty: 'Anzahl' },
      fr: { calls: 'Détail des communications', title: 'Votre facture', number: 'N° de facture', date: 'Date de facture', customer: 'N° client', contract: 'N° de ligne', period: 'Période de facturation', net: 'Total HT', vat: 'TVA 20 %', total: 'Montant total TTC', debit: 'Ce montant sera prélevé à partir du', rate: 20, service: 'Prestation', amount: 'Montant HT', page: (p: number, n: number) => `Page ${p}/${n}`, qty: 'Qté' },
      nl: { calls: 'Gespreksspecificatie', title: 'Uw factuur', number: 'Factuurnummer', date: 'Factuurdatum', customer: 'Klantnummer', contract: 'Telefoonnummer', period: 'Periode', net: 'Totaal excl. btw', vat: 'Btw 21%', total: 'Totaal te betalen', debit: 'Wij schrijven het bedrag af rond', rate: 21, service: 'Omschrijving', amount: 'Bedrag', page: (p: number, n: number) => `Pagina ${p} van ${n}`, qty: 'Aantal' },
      es: { calls: 'Detalle de llamadas', title: 'Su factura', number: 'Nº de factura', date: 'Fecha de emisión', customer: 'Nº de cliente', contract: 'Línea', period: 'Periodo de facturación', net: 'Base imponible', vat: 'IVA 21%', total: 'Total a pagar', debit: 'Importe que se cargará en su cuenta el', rate: 21, service: 'Concepto', amount: 'Importe', page: (p: number, n: number) => `Página ${p} de ${n}`, qty: 'Unid.' },
    }[lang];
    const number = rng.digits(10);
    const accountNumber = rng.digits(10);
    const catalogue = ({
      en: [['Unlimited Plan 30GB monthly charge', 300, 800], ['Handset instalment', 200, 900], ['Roaming data EU', 20, 200], ['Calls to premium numbers', 10, 120], ['International calls', 20, 300], ['Insurance Plus', 100, 200], ['Broadband 500 Mbit/s', 500, 900]],
      de: [['Grundpreis Mobil M', 400, 900], ['Grundpreis Festnetz & Internet L', 600, 1000], ['Verbindungen ins Ausland', 20, 300], ['Datenpaket 5 GB', 150, 300], ['Router-Miete', 100, 150], ['Sonderrufnummern', 10, 100], ['Gerätezuzahlung Rate 7/24', 200, 600]],
      fr: [['Forfait Mobile 100 Go', 300, 700], ['Abonnement Box Fibre', 600, 900], ['Communications hors forfait', 20, 300], ['Location décodeur TV', 100, 200], ['Option international', 100, 300], ['Paiement en plusieurs fois mobile', 200, 600]],
      nl: [['Abonnement Mobiel Onbeperkt', 500, 900], ['Internet + TV Compleet', 800, 1200], ['Bellen buiten bundel', 20, 200], ['Extra data 2 GB', 100, 200], ['Toestelkrediet termijn', 200, 600], ['Servicenummers', 10, 100]],
      es: [['Cuota Fibra 600Mb + Móvil', 700, 1100], ['Línea adicional 25GB', 300, 600], ['Llamadas internacionales', 20, 300], ['Bono datos extra', 100, 300], ['Pago a plazos terminal', 200, 600], ['Servicios de tarificación adicional', 10, 100]],
    } as Record<Lang, Array<[string, number, number]>>)[lang];
    const items = pickItems(rng, catalogue, rng.int(3, 6), () => 1);
    const net = sum(items);
    const vat = vatOf(net, L.rate);
    const total = net + vat;
    const money = (cents: number) => formatMoney(cents, currency, locale);
    const dateText = formatDate(date, locale, rng.pick(['long', 'numeric'] as const));
    const periodStart = addDays(date, -35);
    const sheet = drawA4({
      brand: { text: brand.toUpperCase(), size: 28 },
      senderLine: `${legal} · ${company.street} · ${company.city}`,
      recipient: customer(context, false),
      info: {
        placement: 'right',
        labelsAbove: rng.chance(0.5),
        pairs: [
          { label: L.customer, value: accountNumber },
          { label: L.contract, value: lang === 'de' ? rng.digits(10) : winAnsi(faker.phone.number()) },
          { label: L.number, value: number },
          { label: L.date, value: dateText },
          { label: L.period, value: `${formatDate(periodStart, locale, 'numeric')} - ${formatDate(addDays(periodStart, 30), locale, 'numeric')}` },
        ],
      },
      title: L.title,
      summaryFirst: true,
      columns: [
        { header: L.service, x: 50, align: 'left', maxChars: 60 },
        { header: L.qty, x: 420, align: 'right' },
        { header: L.amount, x: 545, align: 'right' },
      ],
      rows: items.map((item) => ({ cells: [item.description, '1', money(item.amountCents)] })),
      totals: [
        { label: L.net, value: money(net) },
        { label: L.vat, value: money(vat) },
        { label: L.total, value: money(total), bold: true },
      ],
      after: [`${L.debit} ${formatDate(addDays(date, 10), locale, 'numeric')}.`, ...callList(context, L.calls, periodStart, locale, money)],
      footer: footerColumns(company, legal, lang, rng, { vat: vatId(rng, lang), registry: registry(rng, lang, company.city, faker), bank: rng.pick(BANKS[lang]), ibanText: iban(rng, lang) }),
      pageLabel: L.page,
      continuationHeader: `${brand} · ${L.number} ${number}`,
    });
    return {
      sheet,
      truth: { invoice_number: number, invoice_date: date, total: total / 100, vendor: [brand, legal], currency, items: truthItems(items) },
      printed: { invoice_number: number, invoice_date: dateText, total: money(total), vendor: brand.toUpperCase() },
    };
  },
};

/** Hosting provider (a German company invoicing in English or German): long server lists with periods, reverse-charge notes, `€ 1,234.56`. */
const hosting: Style = {
  name: 'hosting provider',
  langs: ['en', 'de'],
  build(context) {
    const { rng, lang, faker } = context;
    const brand = rng.pick(['Nordhost', 'Serverwerk', 'Cloudbahn', 'Rechenzentrum Mitte']);
    const legal = `${brand} GmbH`;
    const company = { ...party({ ...context, lang: 'de' }, brand) };
    const date = invoiceDate(rng);
    const english = lang === 'en';
    const locale = english ? 'en-IE' : 'de-DE';
    const number = `R${rng.digits(10)}`;
    const customerNo = `K${rng.digits(10)}`;
    const products: Array<[string, number, number]> = [
      ['Dedicated Server AX41-NVMe', 700, 900], ['Dedicated Server EX44', 900, 1100], ['Cloud Server CX22', 70, 90], ['Cloud Server CPX31', 250, 320], ['Storage Box BX11', 60, 80],
      ['Primary IPv4', 10, 20], ['Floating IP', 60, 80], ['Load Balancer LB11', 100, 120], ['Volume 100 GB', 80, 100], ['Backup Space 500 GB', 150, 200], ['Managed Server MS 2', 600, 800], ['Snapshot storage', 5, 40],
    ];
    const items = pickItems(rng, products, rng.pick([4, 8, 14, 24, 36, 48]), () => 1).map((item, i) => ({ ...item, description: `${item.description} #${rng.digits(7)}`, detail: english ? `${formatDate(addDays(date, -31), locale, 'iso')} - ${formatDate(addDays(date, -1), locale, 'iso')}` : `Zeitraum ${formatDate(addDays(date, -31), 'de-DE', 'numeric')} - ${formatDate(addDays(date, -1), 'de-DE', 'numeric')}`, idx: i }));
    const reverse = rng.chance(0.3);
    const net = sum(items);
    const vat = reverse ? 0 : vatOf(net, 19);
    const total = net + vat;
    const money = (cents: number) => (english ? `€ ${formatNumber(cents, 'en-IE')}` : `${formatNumber(cents, 'de-DE')} €`);
    const dateText = formatDate(date, locale, english ? rng.pick(['long', 'iso'] as const) : 'numeric');
    const L = english
      ? { title: `Invoice ${number}`, number: 'Invoice number', date: 'Invoice date', customer: 'Customer number', due: 'Due date', desc: 'Description', qty: 'Qty', unit: 'Unit price', amount: 'Price', net: 'Total (excl. VAT)', vat: reverse ? 'VAT 0 % (reverse charge)' : 'VAT 19 %', total: 'Total (incl. VAT)', page: (p: number, n: number) => `Page ${p} of ${n}`, carried: 'Carried forward' }
      : { title: `Rechnung ${number}`, number: 'Rechnungsnummer', date: 'Rechnungsdatum', customer: 'Kundennummer', due: 'Fällig am', desc: 'Beschreibung', qty: 'Menge', unit: 'Einzelpreis', amount: 'Betrag', net: 'Summe netto', vat: reverse ? 'USt. 0 % (Steuerschuldnerschaft des Leistungsempfängers)' : 'USt. 19 %', total: 'Gesamtbetrag', page: (p: number, n: number) => `Seite ${p} / ${n}`, carried: 'Übertrag' };
    const sheet = drawA4({
      brand: { text: brand, size: 24, tagline: english ? 'Servers · Cloud · Storage' : 'Server · Cloud · Speicher' },
      senderLine: `${legal} · ${company.street} · ${company.city}`,
      recipient: customer(context, true),
      info: { placement: 'right', pairs: [{ label: L.number, value: number }, { label: L.customer, value: customerNo }, { label: L.date, value: dateText }, { label: L.due, value: formatDate(addDays(date, 14), locale, english ? 'iso' : 'numeric') }] },
      title: L.title,
      columns: [
        { header: 'Pos.', x: 50, align: 'left' },
        { header: L.desc, x: 80, align: 'left', maxChars: 52 },
        { header: L.qty, x: 380, align: 'right' },
        { header: L.unit, x: 460, align: 'right' },
        { header: L.amount, x: 545, align: 'right' },
      ],
      rows: items.map((item, i): TableRow => ({ cells: [String(i + 1), item.description, formatQuantity(item.quantity, locale), money(item.unitCents), money(item.amountCents)], detail: item.detail })),
      carried: { label: L.carried, format: money, amountOf: (row) => items[row]!.amountCents },
      totals: [{ label: L.net, value: money(net) }, { label: L.vat, value: money(vat) }, { label: L.total, value: money(total), bold: true }],
      after: english ? ['Please pay the invoice amount within 14 days, quoting the invoice number.'] : ['Bitte überweisen Sie den Rechnungsbetrag innerhalb von 14 Tagen unter Angabe der Rechnungsnummer.'],
      footer: footerColumns(company, legal, 'de', rng, { vat: vatId(rng, 'de'), registry: registry(rng, 'de', company.city, faker), bank: rng.pick(BANKS.de), ibanText: iban(rng, 'de'), manager: `Geschäftsführer: ${winAnsi(faker.person.fullName())}` }),
      pageLabel: L.page,
      continuationHeader: `${legal} · ${L.title}`,
    });
    return {
      sheet,
      truth: { invoice_number: number, invoice_date: date, total: total / 100, vendor: [legal, brand], currency: 'EUR', items: truthItems(items) },
      printed: { invoice_number: number, invoice_date: dateText, total: money(total), vendor: brand },
    };
  },
};

/** Marketplace order invoice: the marketplace's name big, the seller in "Sold by", order number and order date beside the invoice number, VAT per line, amounts including VAT. */
const marketplace: Style = {
  name: 'marketplace order',
  langs: ['de', 'fr', 'es', 'en', 'nl'],
  build(context) {
    const { rng, lang, faker } = context;
    const brand = rng.pick(['shopmarkt', 'Bazaro', 'Kaufplatz', 'Ventana Market']);
    const legal = `${brand === 'shopmarkt' ? 'Shopmarkt' : brand} EU S.à r.l.`;
    const company = party(context, brand);
    const locale = localeOf(lang, 'GB');
    const currency = lang === 'en' ? 'GBP' : 'EUR';
    const rate = { en: 20, de: 19, fr: 20, nl: 21, es: 21 }[lang];
    const date = invoiceDate(rng);
    const orderDate = addDays(date, -rng.int(1, 6));
    const country = { en: 'GB', de: 'DE', fr: 'FR', nl: 'NL', es: 'ES' }[lang];
    const number = `${country}${rng.int(2, 6)}${rng.letters(4)}${rng.digits(5)}${rng.letters(1)}`;
    const orderNo = `${rng.digits(3)}-${rng.digits(7)}-${rng.digits(7)}`;
    const L = {
      en: { title: 'Invoice', sub: 'Paid', number: 'Invoice number', date: 'Invoice date / Delivery date', order: 'Order number', orderDate: 'Order date', soldBy: 'Sold by', desc: 'Description', qty: 'Qty', unit: 'Unit price (excl. VAT)', vatRate: 'VAT rate', amount: 'Item subtotal (incl. VAT)', net: 'Total excl. VAT', vat: 'VAT', total: 'Total', page: (p: number, n: number) => `Page ${p} of ${n}` },
      de: { title: 'Rechnung', sub: 'Bezahlt', number: 'Rechnungsnummer', date: 'Rechnungsdatum/Lieferdatum', order: 'Bestellnummer', orderDate: 'Bestelldatum', soldBy: 'Verkauft von', desc: 'Beschreibung', qty: 'Menge', unit: 'Stückpreis (ohne USt.)', vatRate: 'USt. %', amount: 'Zwischensumme (inkl. USt.)', net: 'Gesamtpreis ohne USt.', vat: 'USt.', total: 'Gesamtpreis', page: (p: number, n: number) => `Seite ${p} von ${n}` },
      fr: { title: 'Facture', sub: 'Payée', number: 'Numéro de la facture', date: 'Date de la facture/Date de livraison', order: 'Numéro de la commande', orderDate: 'Date de la commande', soldBy: 'Vendu par', desc: 'Description', qty: 'Qté', unit: 'Prix unitaire (HT)', vatRate: 'Taux TVA', amount: 'Sous-total (TTC)', net: 'Total HT', vat: 'TVA', total: 'Total', page: (p: number, n: number) => `Page ${p} sur ${n}` },
      nl: { title: 'Factuur', sub: 'Betaald', number: 'Factuurnummer', date: 'Factuurdatum/Leveringsdatum', order: 'Bestelnummer', orderDate: 'Besteldatum', soldBy: 'Verkocht door', desc: 'Beschrijving', qty: 'Aantal', unit: 'Prijs per eenheid (excl. btw)', vatRate: 'Btw-tarief', amount: 'Subtotaal (incl. btw)', net: 'Totaal excl. btw', vat: 'Btw', total: 'Totaal', page: (p: number, n: number) => `Pagina ${p} van ${n}` },
      es: { title: 'Factura', sub: 'Pagado', number: 'Número de factura', date: 'Fecha de la factura/Fecha de entrega', order: 'Número del pedido', orderDate: 'Fecha del pedido', soldBy: 'Vendido por', desc: 'Descripción', qty: 'Cant.', unit: 'Precio unitario (sin IVA)', vatRate: 'Tipo IVA', amount: 'Subtotal (IVA incl.)', net: 'Total sin IVA', vat: 'IVA', total: 'Total', page: (p: number, n: number) => `Página ${p} de ${n}` },
    }[lang];
    const items = Array.from({ length: rng.pick([1, 2, 3, 5, 12, 30]) }, () => {
      const gross = rng.int(199, 18999);
      const quantity = rng.pick([1, 1, 1, 2, 3]);
      return { description: winAnsi(context.faker.commerce.productName()), quantity, unitGross: gross, amountCents: gross * quantity, unitCents: Math.round((gross * 100) / (100 + rate)) };
    });
    const total = items.reduce((a, item) => a + item.amountCents, 0);
    const vat = includedVat(total, rate);
    const money = (cents: number) => formatMoney(cents, currency, locale);
    const dateText = formatDate(date, locale, 'long');
    const sheet = drawA4({
      brand: { text: brand, size: 30, tagline: undefined },
      senderBlock: [`${L.soldBy} ${legal}`, company.street, company.city, `VAT ${vatId(rng, lang)}`],
      recipient: customer(context, false),
      info: {
        placement: 'below',
        pairs: [
          { label: L.date, value: dateText },
          { label: L.number, value: number },
          { label: L.order, value: orderNo },
          { label: L.orderDate, value: formatDate(orderDate, locale, 'long') },
        ],
      },
      title: `${L.title} · ${L.sub} ${money(total)}`,
      columns: [
        { header: L.desc, x: 50, align: 'left', maxChars: 40 },
        { header: L.qty, x: 272, align: 'right' },
        { header: L.unit, x: 395, align: 'right' },
        { header: L.vatRate, x: 445, align: 'right' },
        { header: L.amount, x: 545, align: 'right' },
      ],
      rows: items.map((item) => ({ cells: [item.description, String(item.quantity), money(item.unitCents), `${rate}%`, money(item.amountCents)], detail: `ASIN: B0${rng.letters(2)}${rng.digits(6)}` })),
      totals: [{ label: L.net, value: money(total - vat) }, { label: L.vat, value: money(vat) }, { label: L.total, value: money(total), bold: true }],
      footer: [[legal, company.street, company.city], [registry(rng, 'fr', company.city, faker).replace('RCS', 'RCS Luxembourg B'), `VAT ${vatId(rng, lang)}`], [company.web]],
      pageLabel: L.page,
      continuationHeader: `${L.title} ${number}`,
    });
    return {
      sheet,
      truth: { invoice_number: number, invoice_date: date, total: total / 100, vendor: [legal, brand], currency, items: items.map((item) => ({ description: item.description.slice(0, 40).trimEnd(), quantity: item.quantity, amount: item.amountCents / 100 })) },
      printed: { invoice_number: number, invoice_date: dateText, total: money(total), vendor: brand },
    };
  },
};

/** Utility bill (energy): meter readings with dates and numbers everywhere, the year's consumption, advance payments deducted, the balance as the amount due. */
const utility: Style = {
  name: 'utility bill',
  langs: ['nl', 'de', 'fr'],
  build(context) {
    const { rng, lang, faker } = context;
    const brand = winAnsi(rng.pick({ nl: ['Energie Oost', 'Watt & Gas', 'Groene Stroom Nederland'], de: ['Stadtwerke Rheinau', 'Energieversorgung Mittelland', 'Watt & Gas'], fr: ['Électricité du Val', 'Énergie Lumière', 'Watt & Gaz'] }[lang as 'nl' | 'de' | 'fr']));
    const legal = `${brand} ${rng.pick(LEGAL[lang])}`;
    const company = party(context, brand);
    const locale = localeOf(lang);
    const rate = { nl: 21, de: 19, fr: 20, en: 20, es: 21 }[lang];
    const date = invoiceDate(rng);
    const number = `${rng.digits(4)} ${rng.digits(4)} ${rng.digits(2)}`;
    const L = {
      nl: { title: 'Jaarnota', number: 'Notanummer', date: 'Notadatum', customer: 'Klantnummer', meter: 'Meternummer', ean: 'EAN-code', desc: 'Omschrijving', qty: 'Verbruik', unit: 'Tarief', amount: 'Bedrag', net: 'Totaal excl. btw', vat: `Btw ${rate}%`, gross: 'Totaal incl. btw', advance: 'Betaalde termijnbedragen', total: 'Te betalen', kwh: 'kWh', page: (p: number, n: number) => `Pagina ${p} van ${n}` },
      de: { title: 'Jahresverbrauchsabrechnung', number: 'Rechnungsnummer', date: 'Datum', customer: 'Vertragskonto', meter: 'Zählernummer', ean: 'Marktlokation', desc: 'Position', qty: 'Menge', unit: 'Preis', amount: 'Betrag', net: 'Nettobetrag', vat: `Umsatzsteuer ${rate} %`, gross: 'Bruttobetrag', advance: 'abzüglich geleisteter Abschläge', total: 'Nachzahlung', kwh: 'kWh', page: (p: number, n: number) => `Seite ${p} von ${n}` },
      fr: { title: 'Facture de régularisation', number: 'Facture n°', date: 'Date', customer: 'Référence client', meter: 'N° de compteur', ean: 'PDL', desc: 'Détail', qty: 'Consommation', unit: 'Prix unitaire', amount: 'Montant HT', net: 'Total HT', vat: `TVA ${rate} %`, gross: 'Total TTC', advance: 'Mensualités déjà réglées', total: 'Montant à payer', kwh: 'kWh', page: (p: number, n: number) => `Page ${p}/${n}` },
    }[lang as 'nl' | 'de' | 'fr'];
    const kwh = rng.int(1800, 4200);
    const gas = rng.int(600, 1600);
    const items = [
      priced(lang === 'nl' ? 'Stroom normaaltarief' : lang === 'de' ? 'Arbeitspreis Strom' : 'Consommation électricité', kwh, rng.int(24, 34)),
      priced(lang === 'nl' ? 'Vaste leveringskosten stroom' : lang === 'de' ? 'Grundpreis Strom' : 'Abonnement électricité', 12, rng.int(500, 900)),
      priced(lang === 'nl' ? 'Gas' : lang === 'de' ? 'Arbeitspreis Gas' : 'Consommation gaz', gas, rng.int(90, 140)),
      priced(lang === 'nl' ? 'Netbeheerkosten' : lang === 'de' ? 'Messstellenbetrieb' : 'Acheminement', 12, rng.int(1500, 2500)),
      priced(lang === 'nl' ? 'Energiebelasting' : lang === 'de' ? 'Stromsteuer' : 'Contribution CTA', kwh, rng.int(5, 12)),
    ];
    const net = sum(items);
    const gross = net + vatOf(net, rate);
    const advance = Math.round((gross * rng.int(80, 95)) / 100 / 1200) * 1200;
    const total = gross - advance;
    const moneyStyle = rng.pick(['symbol', 'code'] as const);
    const money = (cents: number) => formatMoney(cents, 'EUR', locale, moneyStyle);
    const dateText = formatDate(date, locale, rng.pick(['long', 'numeric'] as const));
    const start = addDays(date, -380);
    const sheet = drawA4({
      brand: { text: brand, size: 24, align: 'right' },
      senderLine: `${brand} · ${company.street} · ${company.city}`,
      recipient: customer(context, false),
      info: { placement: 'right', labelsAbove: true, pairs: [{ label: L.customer, value: rng.digits(9) }, { label: L.number, value: number }, { label: L.date, value: dateText }, { label: L.meter, value: `${rng.digits(2)}${rng.letters(2)}${rng.digits(6)}` }] },
      title: L.title,
      intro: [`${formatDate(start, locale, 'numeric')} - ${formatDate(addDays(start, 364), locale, 'numeric')} · ${L.ean} 871${rng.digits(15)}`],
      columns: [
        { header: L.desc, x: 50, align: 'left', maxChars: 40 },
        { header: L.qty, x: 330, align: 'right' },
        { header: L.unit, x: 430, align: 'right' },
        { header: L.amount, x: 545, align: 'right' },
      ],
      rows: items.map((item) => ({ cells: [item.description, formatQuantity(item.quantity, locale), formatNumber(item.unitCents, locale), money(item.amountCents)] })),
      totals: [{ label: L.net, value: money(net) }, { label: L.vat, value: money(gross - net) }, { label: L.gross, value: money(gross) }, { label: L.advance, value: `- ${money(advance)}` }, { label: L.total, value: money(total), bold: true }],
      footer: footerColumns(company, legal, lang, rng, { vat: vatId(rng, lang), registry: registry(rng, lang, company.city, faker), bank: rng.pick(BANKS[lang]), ibanText: iban(rng, lang) }),
      pageLabel: L.page,
      continuationHeader: `${brand} · ${L.number} ${number}`,
    });
    return {
      sheet,
      truth: { invoice_number: number, invoice_date: date, total: total / 100, vendor: [brand, legal], currency: 'EUR', items: truthItems(items) },
      printed: { invoice_number: number, invoice_date: dateText, total: money(total), vendor: brand },
    };
  },
};

/** Freelancer invoice: a person's name as the letterhead, "Bill to", hours, US dates month first or day first, "Invoice #". */
const freelancer: Style = {
  name: 'freelancer',
  langs: ['en', 'nl', 'de'],
  build(context) {
    const { rng, lang, faker } = context;
    const name = winAnsi(`${faker.person.firstName()} ${faker.person.lastName()}`);
    const trade = rng.pick(lang === 'en' ? ['Web Development', 'Graphic Design', 'Copywriting', 'Photography'] : lang === 'nl' ? ['Webontwikkeling', 'Grafisch ontwerp', 'Vertalingen', 'Fotografie'] : ['Webentwicklung', 'Grafikdesign', 'Übersetzungen', 'Fotografie']);
    const us = lang === 'en' && rng.chance(0.5);
    const locale = lang === 'en' ? (us ? 'en-US' : 'en-GB') : localeOf(lang);
    const currency = lang === 'en' ? (us ? 'USD' : 'GBP') : 'EUR';
    const rate = lang === 'en' ? (us ? 0 : 20) : lang === 'nl' ? 21 : 19;
    const date = invoiceDate(rng);
    const number = rng.pick([`${date.slice(0, 4)}-${rng.digits(3)}`, `#${rng.int(100, 999)}`, `INV-${rng.digits(4)}`]);
    const printedNumber = number;
    const truthNumber = number.replace(/^#/, '');
    const tasks = lang === 'en' ? ['Design review meeting', 'Homepage layout', 'Logo revisions', 'Content writing', 'Photo editing', 'Frontend development', 'Bug fixes', 'Project management', 'Travel time'] : lang === 'nl' ? ['Overleg en briefing', 'Ontwerp homepage', 'Logo aanpassingen', 'Teksten schrijven', 'Fotobewerking', 'Frontend ontwikkeling', 'Reistijd'] : ['Abstimmung und Briefing', 'Gestaltung Startseite', 'Logo-Überarbeitung', 'Texterstellung', 'Bildbearbeitung', 'Frontend-Entwicklung', 'Fahrtzeit'];
    const hourly = rng.int(12, 24) * 500;
    const items = rng.shuffle([...tasks]).slice(0, rng.int(2, 6)).map((task) => priced(task, rng.pick([0.5, 1, 1.5, 2, 3, 4, 6.5, 8, 12]), hourly));
    const net = sum(items);
    const vat = vatOf(net, rate);
    const total = net + vat;
    const money = (cents: number) => formatMoney(cents, currency, locale);
    const dateText = formatDate(date, locale, rng.pick(['numeric', 'long', 'short-month'] as const));
    const L = {
      en: { title: 'INVOICE', number: 'Invoice #', date: 'Date', due: 'Due Date', billTo: 'Bill To', desc: 'Description', qty: 'Hours', unit: 'Rate', amount: 'Amount', net: 'Subtotal', vat: `VAT (${rate}%)`, total: us ? 'Balance Due' : 'Total', page: (p: number, n: number) => `${p}/${n}` },
      nl: { title: 'FACTUUR', number: 'Factuurnr.', date: 'Datum', due: 'Vervaldatum', billTo: 'Aan', desc: 'Omschrijving', qty: 'Uren', unit: 'Tarief', amount: 'Bedrag', net: 'Subtotaal', vat: `BTW ${rate}%`, total: 'Totaal', page: (p: number, n: number) => `${p}/${n}` },
      de: { title: 'RECHNUNG', number: 'Rechnung Nr.', date: 'Datum', due: 'Zahlbar bis', billTo: 'An', desc: 'Leistung', qty: 'Std.', unit: 'Satz', amount: 'Betrag', net: 'Zwischensumme', vat: `USt. ${rate} %`, total: 'Gesamt', page: (p: number, n: number) => `${p}/${n}` },
    }[lang as 'en' | 'nl' | 'de'];
    const me = party(context, name);
    const totals = [{ label: L.net, value: money(net) }, ...(rate > 0 ? [{ label: L.vat, value: money(vat) }] : []), { label: L.total, value: money(total), bold: true }];
    const sheet = drawA4({
      brand: { text: name, size: 20, tagline: trade },
      senderBlock: [me.street, me.city, me.phone, me.email],
      recipient: [L.billTo + ':', ...customer(context, true)],
      info: { placement: 'right', inline: rng.chance(0.5), pairs: [{ label: L.number, value: printedNumber }, { label: L.date, value: dateText }, { label: L.due, value: formatDate(addDays(date, 30), locale, 'numeric') }] },
      title: L.title,
      columns: [
        { header: L.desc, x: 50, align: 'left', maxChars: 50 },
        { header: L.qty, x: 360, align: 'right' },
        { header: L.unit, x: 450, align: 'right' },
        { header: L.amount, x: 545, align: 'right' },
      ],
      rows: items.map((item) => ({ cells: [item.description, formatQuantity(item.quantity, locale), money(item.unitCents), money(item.amountCents)] })),
      totals,
      after: [lang === 'en' ? `Thank you for your business! Payment by bank transfer to ${iban(rng, 'en')}.` : lang === 'nl' ? `Graag binnen 30 dagen overmaken op ${iban(rng, 'nl')} o.v.v. het factuurnummer.` : `Kleinunternehmer? Nein. Bitte überweisen Sie den Betrag auf ${iban(rng, 'de')}.`],
      footer: [[name, trade], [lang === 'en' ? (us ? `EIN ${rng.digits(2)}-${rng.digits(7)}` : `VAT No. ${vatId(rng, 'en')}`) : lang === 'nl' ? `KvK ${rng.digits(8)}` : `Steuernummer ${rng.digits(3)}/${rng.digits(3)}/${rng.digits(5)}`]],
      pageLabel: L.page,
      continuationHeader: `${name} · ${L.number} ${printedNumber}`,
    });
    return {
      sheet,
      truth: { invoice_number: truthNumber, invoice_date: date, total: total / 100, vendor: [name], currency, items: truthItems(items) },
      printed: { invoice_number: printedNumber, invoice_date: dateText, total: money(total), vendor: name },
    };
  },
};

/** Restaurant bill: narrow receipt, table and server, items with quantities, total VAT included, tips and card payment below it. */
const restaurant: Style = {
  name: 'restaurant receipt',
  langs: ['fr', 'es', 'de', 'en', 'nl'],
  build(context) {
    const { rng, lang, faker } = context;
    const brand = winAnsi(rng.pick({ fr: ['Le Petit Zinc', 'Brasserie du Port', 'Chez Margot'], es: ['Taberna El Puerto', 'Casa Lola', 'Bar Restaurante Sol'], de: ['Gasthaus Zur Linde', 'Ristorante Da Marco', 'Brauhaus am Markt'], en: ['The Red Lion', 'Olive & Thyme', 'Harbour Kitchen'], nl: ['Eetcafé De Kroon', 'Brasserie Het Plein', 'Café Soestdijk'] }[lang]));
    const legal = `${brand} ${rng.pick(LEGAL[lang])}`;
    const company = party(context, brand);
    const locale = localeOf(lang, 'GB');
    const currency = lang === 'en' ? 'GBP' : 'EUR';
    const rate = { fr: 10, es: 10, de: 19, en: 20, nl: 9 }[lang];
    const date = invoiceDate(rng);
    const number = rng.digits(rng.pick([4, 5, 6]));
    const menu: Record<Lang, Array<[string, number, number]>> = {
      fr: [['Café crème', 50, 90], ['Croque-monsieur', 200, 300], ['Entrecôte frites', 400, 600], ['Salade de chèvre', 250, 350], ['Pichet vin rouge 50cl', 250, 400], ['Crème brûlée', 150, 200], ['Eau minérale', 80, 120], ['Plat du jour', 300, 400]],
      es: [['Caña', 40, 70], ['Tortilla española', 150, 250], ['Pulpo a la gallega', 300, 450], ['Menú del día', 250, 350], ['Agua mineral', 40, 60], ['Café con leche', 30, 50], ['Croquetas caseras', 150, 250], ['Vino tinto crianza', 80, 150]],
      de: [['Weizenbier 0,5l', 80, 110], ['Wiener Schnitzel', 350, 450], ['Apfelschorle 0,4l', 70, 90], ['Käsespätzle', 250, 330], ['Espresso', 50, 70], ['Tagessuppe', 120, 170], ['Apfelstrudel', 130, 180]],
      en: [['Pint of Ale', 100, 140], ['Fish and Chips', 300, 400], ['Sunday Roast', 350, 450], ['Sticky Toffee Pudding', 140, 180], ['Flat White', 60, 80], ['Sparkling Water', 50, 70], ['Burger & Fries', 280, 360]],
      nl: [['Verse muntthee', 70, 90], ['Bitterballen (8)', 140, 180], ['Uitsmijter ham/kaas', 200, 260], ['Pils 0,25', 70, 90], ['Tosti', 100, 140], ['Appeltaart met slagroom', 100, 130], ['Saté van de haas', 400, 500]],
    };
    const items = pickItems(rng, menu[lang], rng.int(2, 7), () => rng.pick([1, 1, 1, 2, 2, 3]));
    const total = sum(items);
    const vat = includedVat(total, rate);
    const number2 = (cents: number) => formatNumber(cents, locale);
    const money = (cents: number) => formatMoney(cents, currency, locale);
    const dateText = formatDate(date, locale, 'numeric');
    const time = `${String(rng.int(12, 22)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
    const L = {
      fr: { receipt: 'Ticket', table: 'Table', server: 'Serveur', total: 'TOTAL TTC', vat: `TVA ${rate}%`, ht: 'HT', paid: 'CB', thanks: 'Merci de votre visite !', siret: `SIRET ${rng.digits(14)}` },
      es: { receipt: 'Factura simplificada', table: 'Mesa', server: 'Camarero', total: 'TOTAL', vat: `IVA ${rate}%`, ht: 'Base', paid: 'Tarjeta', thanks: 'Gracias por su visita', siret: `CIF B${rng.digits(8)}` },
      de: { receipt: 'Beleg-Nr.', table: 'Tisch', server: 'Bedienung', total: 'SUMME', vat: `MwSt. ${rate}%`, ht: 'Netto', paid: 'EC-Karte', thanks: 'Vielen Dank für Ihren Besuch!', siret: `St.-Nr. ${rng.digits(3)}/${rng.digits(4)}/${rng.digits(4)}` },
      en: { receipt: 'Receipt', table: 'Table', server: 'Served by', total: 'TOTAL', vat: `VAT ${rate}%`, ht: 'Net', paid: 'Card', thanks: 'Thank you - service not included', siret: `VAT Reg ${vatId(rng, 'en')}` },
      nl: { receipt: 'Bonnr.', table: 'Tafel', server: 'Bediend door', total: 'TOTAAL', vat: `BTW ${rate}%`, ht: 'Excl.', paid: 'PIN', thanks: 'Bedankt en tot ziens!', siret: `BTW ${vatId(rng, 'nl')}` },
    }[lang];
    const tip = rng.chance(0.4) ? rng.int(1, 5) * 100 : 0;
    const lines: ReceiptLine[] = [
      { left: brand, bold: true, size: 13, center: true },
      { left: company.street, center: true },
      { left: company.city, center: true },
      { left: `Tel. ${company.phone}`, center: true },
      { left: '---' },
      { left: `${L.receipt} ${number}`, right: `${L.table} ${rng.int(1, 30)}` },
      { left: `${dateText} ${time}`, right: `${L.server}: ${winAnsi(faker.person.firstName())}` },
      { left: '---' },
      ...items.flatMap((item): ReceiptLine[] => (item.quantity === 1 ? [{ left: item.description, right: number2(item.amountCents) }] : [{ left: `${item.quantity} x ${item.description}`, right: number2(item.amountCents) }, { left: `${item.quantity} x ${number2(item.unitCents)}`, indent: true, size: 7 }])),
      { left: '---' },
      { left: `${L.total} ${currency === 'EUR' ? 'EUR' : ''}`.trim(), right: number2(total), bold: true, size: 11 },
      { left: `${L.vat}`, right: number2(vat) },
      { left: L.ht, right: number2(total - vat) },
      { left: L.paid, right: number2(total + tip) },
      ...(tip > 0 ? [{ left: lang === 'fr' ? 'Pourboire' : lang === 'es' ? 'Propina' : lang === 'de' ? 'Trinkgeld' : lang === 'nl' ? 'Fooi' : 'Gratuity', right: number2(tip) }] : []),
      { left: '---' },
      { left: L.thanks, center: true },
      { left: L.siret, center: true, size: 7 },
    ];
    return {
      sheet: drawReceipt(lines, 'mono'),
      truth: { invoice_number: number, invoice_date: date, total: total / 100, vendor: [brand, legal], currency, items: items.map((item) => ({ description: item.description, quantity: item.quantity, amount: item.amountCents / 100 })) },
      printed: { invoice_number: number, invoice_date: dateText, total: number2(total), vendor: brand },
    };
  },
};

/** Hardware store receipt ("Kassenbon"): article numbers before names, quantity lines, a big SUM, cash given and change just below it. */
const hardware: Style = {
  name: 'hardware store receipt',
  langs: ['de', 'nl', 'fr'],
  build(context) {
    const { rng, lang } = context;
    const brand = rng.pick({ de: ['BAUPROFI', 'Werkmarkt', 'HOLZ & HAMMER'], nl: ['KLUSHUIS', 'Bouwmaat Noord', 'GAMMA-PUNT'], fr: ['BRICOMAX', 'Le Quincaillier', 'OUTIBAT'] }[lang as 'de' | 'nl' | 'fr']);
    const legal = `${brand} ${rng.pick(LEGAL[lang])}`;
    const company = party(context, brand);
    const locale = localeOf(lang);
    const rate = { de: 19, nl: 21, fr: 20, en: 20, es: 21 }[lang];
    const date = invoiceDate(rng);
    const number = `${rng.digits(4)}/${rng.digits(3)}/${rng.digits(4)}`;
    const catalogue: Record<'de' | 'nl' | 'fr', Array<[string, number, number]>> = {
      de: [['Schrauben 4x40 200St', 100, 200], ['Dübel 8mm 50St', 60, 120], ['Wandfarbe weiß 10l', 800, 1400], ['Abdeckvlies 25m2', 300, 500], ['Malerkrepp 50m', 80, 140], ['Akku-Bohrschrauber 18V', 1600, 2600], ['Holzleim 750g', 150, 250], ['Silikon transparent', 120, 200], ['Kabelbinder 100St', 60, 100], ['Arbeitshandschuhe Gr. 9', 80, 160]],
      nl: [['Schroeven 4x40 200st', 100, 200], ['Pluggen 8mm 50st', 60, 120], ['Muurverf wit 10L', 800, 1400], ['Afplaktape 50m', 80, 140], ['Accuboormachine 18V', 1600, 2600], ['Houtlijm 750g', 150, 250], ['Kitkoker transparant', 120, 200], ['Werkhandschoenen mt 9', 80, 160]],
      fr: [['Vis 4x40 boîte 200', 100, 200], ['Chevilles 8mm x50', 60, 120], ['Peinture blanche 10L', 800, 1400], ['Ruban de masquage 50m', 80, 140], ['Perceuse visseuse 18V', 1600, 2600], ['Colle à bois 750g', 150, 250], ['Mastic silicone', 120, 200], ['Gants de travail T9', 80, 160]],
    };
    const items = pickItems(rng, catalogue[lang as 'de' | 'nl' | 'fr'], rng.pick([3, 5, 8, 14]), () => rng.pick([1, 1, 2, 3, 4, 10]));
    const total = sum(items);
    const vat = includedVat(total, rate);
    const num = (cents: number) => formatNumber(cents, locale);
    const dateText = formatDate(date, locale, 'numeric');
    const given = Math.ceil((total + 1) / 5000) * 5000;
    const L = {
      de: { bon: 'Bon-Nr.', till: 'Kasse', total: 'SUMME EUR', given: 'Gegeben BAR', change: 'Rückgeld', vat: `A ${rate}% MwSt`, net: 'Netto', gross: 'Brutto' },
      nl: { bon: 'Bonnummer', till: 'Kassa', total: 'TOTAAL EUR', given: 'Contant', change: 'Wisselgeld', vat: `BTW hoog ${rate}%`, net: 'Excl.', gross: 'Incl.' },
      fr: { bon: 'Ticket n°', till: 'Caisse', total: 'TOTAL EUR', given: 'Espèces', change: 'Rendu', vat: `TVA ${rate}%`, net: 'HT', gross: 'TTC' },
    }[lang as 'de' | 'nl' | 'fr'];
    const lines: ReceiptLine[] = [
      { left: brand, bold: true, size: 14, center: true },
      { left: `${company.street}, ${company.city}`, center: true, size: 7 },
      { left: `${vatId(rng, lang)}`, center: true, size: 7 },
      { left: '---' },
      ...items.flatMap((item): ReceiptLine[] => [
        { left: `${rng.digits(7)} ${item.description}`.slice(0, 34), right: `${num(item.amountCents)} A` },
        ...(item.quantity > 1 ? [{ left: `${item.quantity} Stk x ${num(item.unitCents)}`.replace('Stk', lang === 'de' ? 'Stk' : lang === 'nl' ? 'st' : 'pce'), indent: true }] : []),
      ]),
      { left: '---' },
      { left: L.total, right: num(total), bold: true, size: 12 },
      { left: L.given, right: num(given) },
      { left: L.change, right: num(given - total) },
      { left: '---' },
      { left: L.vat, right: `${L.net} ${num(total - vat)}` },
      { left: '', right: `${L.gross} ${num(total)}` },
      { left: '---' },
      { left: `${dateText}  ${String(rng.int(8, 19)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}  ${L.till} ${rng.int(1, 9)}` },
      { left: `${L.bon} ${number}` },
    ];
    return {
      sheet: drawReceipt(lines, 'mono'),
      // Item descriptions are printed after a 7-digit article number, so the item truth is left out: what "the description" is, is the reader's choice.
      truth: { invoice_number: number, invoice_date: date, total: total / 100, vendor: [brand, legal], currency: 'EUR', items: null },
      printed: { invoice_number: number, invoice_date: dateText, total: num(total), vendor: brand },
    };
  },
};

/** SaaS subscription (Stripe-like): invoice number with a prefix, "Date of issue", "Date due", "Amount due", seats times price, period lines. */
const saas: Style = {
  name: 'SaaS subscription',
  langs: ['en', 'de', 'fr', 'es', 'nl'],
  build(context) {
    const { rng, lang, faker } = context;
    const brand = rng.pick(['Trackly', 'Notebase', 'Pipewise', 'Formcraft', 'Chatterly']);
    const legal = `${brand}, Inc.`;
    const company = { ...party({ ...context, lang: 'en' }, brand), street: '548 Market St', city: 'San Francisco, CA 94104' };
    const locale = lang === 'en' ? 'en-US' : localeOf(lang);
    const currency = lang === 'en' ? 'USD' : 'EUR';
    const date = invoiceDate(rng);
    const number = `${rng.letters(4)}${rng.digits(4)}-${String(rng.int(1, 40)).padStart(4, '0')}`;
    const L = {
      en: { title: 'Invoice', number: 'Invoice number', date: 'Date of issue', due: 'Date due', billTo: 'Bill to', desc: 'Description', qty: 'Qty', unit: 'Unit price', amount: 'Amount', net: 'Subtotal', vat: 'Tax', total: 'Total', due2: 'Amount due', page: (p: number, n: number) => `Page ${p} of ${n}` },
      de: { title: 'Rechnung', number: 'Rechnungsnummer', date: 'Rechnungsdatum', due: 'Fälligkeitsdatum', billTo: 'Rechnung an', desc: 'Beschreibung', qty: 'Menge', unit: 'Stückpreis', amount: 'Betrag', net: 'Zwischensumme', vat: 'USt. (19 %)', total: 'Summe', due2: 'Fälliger Betrag', page: (p: number, n: number) => `Seite ${p} von ${n}` },
      fr: { title: 'Facture', number: 'Numéro de facture', date: "Date d'émission", due: "Date d'échéance", billTo: 'Facturer à', desc: 'Description', qty: 'Qté', unit: 'Prix unitaire', amount: 'Montant', net: 'Sous-total', vat: 'TVA (20 %)', total: 'Total', due2: 'Montant dû', page: (p: number, n: number) => `Page ${p} sur ${n}` },
      es: { title: 'Factura', number: 'Número de factura', date: 'Fecha de emisión', due: 'Fecha de vencimiento', billTo: 'Facturar a', desc: 'Descripción', qty: 'Cant.', unit: 'Precio unitario', amount: 'Importe', net: 'Subtotal', vat: 'IVA (21 %)', total: 'Total', due2: 'Importe adeudado', page: (p: number, n: number) => `Página ${p} de ${n}` },
      nl: { title: 'Factuur', number: 'Factuurnummer', date: 'Uitgiftedatum', due: 'Vervaldatum', billTo: 'Factureren aan', desc: 'Omschrijving', qty: 'Aantal', unit: 'Prijs per stuk', amount: 'Bedrag', net: 'Subtotaal', vat: 'Btw (21%)', total: 'Totaal', due2: 'Verschuldigd bedrag', page: (p: number, n: number) => `Pagina ${p} van ${n}` },
    }[lang];
    const rate = { en: 0, de: 19, fr: 20, es: 21, nl: 21 }[lang];
    const plan = rng.pick(['Pro', 'Business', 'Team', 'Starter']);
    const seats = rng.int(1, 25);
    const end = addDays(date, 30);
    const period = `${formatDate(date, locale, 'short-month')} - ${formatDate(end, locale, 'short-month')}`;
    const items = [priced(`${plan} plan`, seats, rng.pick([800, 1200, 1500, 2900, 4900])), ...(rng.chance(0.5) ? [priced('Additional storage 100 GB', rng.int(1, 3), 500)] : []), ...(rng.chance(0.3) ? [priced(`Unused time on ${plan} plan`, 1, -rng.int(100, 900))] : [])];
    const net = sum(items);
    const vat = vatOf(net, rate);
    const total = net + vat;
    const money = (cents: number) => formatMoney(cents, currency, locale);
    const dateText = formatDate(date, locale, 'long');
    const sheet = drawA4({
      brand: { text: brand, size: 22, align: 'right' },
      senderBlock: undefined,
      recipient: [L.billTo, ...customer(context, true), winAnsi(faker.internet.email())],
      info: { placement: 'right', pairs: [{ label: L.number, value: number }, { label: L.date, value: dateText }, { label: L.due, value: formatDate(end, locale, 'long') }] },
      title: `${money(total)} ${L.due2.toLowerCase()} ${formatDate(end, locale, 'long')}`,
      intro: [`${legal} · ${company.street} · ${company.city} · United States`],
      columns: [
        { header: L.desc, x: 50, align: 'left', maxChars: 48 },
        { header: L.qty, x: 370, align: 'right' },
        { header: L.unit, x: 450, align: 'right' },
        { header: L.amount, x: 545, align: 'right' },
      ],
      rows: items.map((item) => ({ cells: [item.description, String(item.quantity), money(item.unitCents), money(item.amountCents)], detail: period })),
      totals: [{ label: L.net, value: money(net) }, ...(rate > 0 ? [{ label: L.vat, value: money(vat) }] : []), { label: L.total, value: money(total) }, { label: L.due2, value: money(total), bold: true }],
      after: [lang === 'en' ? `Questions? Contact ${brand} at billing@${brand.toLowerCase()}.com` : `${brand.toLowerCase()}.com/billing`],
      footer: [[`${number} · ${money(total)} ${L.due2.toLowerCase()}`]],
      pageLabel: L.page,
      continuationHeader: number,
    });
    return {
      sheet,
      truth: { invoice_number: number, invoice_date: date, total: total / 100, vendor: [brand, legal], currency, items: truthItems(items) },
      printed: { invoice_number: number, invoice_date: dateText, total: money(total), vendor: brand },
    };
  },
};

/** Craftsman's Rechnung: serif letterhead, "Rechnung Nr. 2025-017 vom 15.01.2025" in one line, positions with units, §35a labour share, the total as "Rechnungsbetrag". */
const craftsman: Style = {
  name: 'craftsman Rechnung',
  langs: ['de'],
  build(context) {
    const { rng, faker } = context;
    const trade = rng.pick(['Malermeister', 'Elektro', 'Sanitär & Heizung', 'Tischlerei', 'Dachdeckerei']);
    const owner = winAnsi(faker.person.lastName());
    const brand = `${trade} ${owner}`;
    const company = party(context, brand);
    const date = invoiceDate(rng);
    const number = `${date.slice(0, 4)}-${rng.digits(3)}`;
    const work: Array<[string, string, number, number]> = [
      ['Arbeitszeit Geselle', 'Std.', 1000, 1300], ['Arbeitszeit Meister', 'Std.', 1300, 1700], ['Anfahrtspauschale', 'psch.', 600, 900], ['Dispersionsfarbe weiß', 'l', 80, 150],
      ['Abdeckmaterial', 'psch.', 300, 600], ['Kupferrohr 15 mm', 'm', 150, 300], ['Steckdose Unterputz', 'Stk.', 300, 600], ['Spachtelmasse', 'kg', 100, 200], ['Entsorgung Altmaterial', 'psch.', 500, 1200], ['Silikonfuge erneuern', 'lfm', 200, 400],
    ];
    const wanted = rng.pick([4, 6, 9, 18, 34]);
    const chosen = rng.shuffle([...work]).slice(0, wanted);
    while (chosen.length < wanted) chosen.push(rng.pick(work));
    while (chosen.length < 12 && rng.chance(0.3)) chosen.push(rng.pick(work));
    const items = chosen.map(([description, unit, low, high]) => ({ ...priced(description, unit === 'psch.' ? 1 : unit === 'Stk.' ? rng.int(1, 12) : rng.pick([1, 2, 2.5, 4, 6, 8, 12.5]), rng.int(low, high) * 5), unit }));
    const net = sum(items);
    const vat = vatOf(net, 19);
    const total = net + vat;
    const money = (cents: number) => `${formatNumber(cents, 'de-DE')} €`;
    const short = rng.chance(0.5);
    const dateText = formatDate(date, 'de-DE', short ? 'numeric' : 'long');
    const delivery = addDays(date, -rng.int(2, 20));
    const sheet = drawA4({
      font: 'serif',
      brand: { text: brand, size: 22, tagline: `Meisterbetrieb · ${company.phone}` },
      senderLine: `${brand} · ${company.street} · ${company.city}`,
      recipient: customer(context, rng.chance(0.3)),
      info: { placement: 'right', pairs: [{ label: 'Kunden-Nr.:', value: rng.digits(5) }, { label: 'Datum:', value: dateText }, { label: 'Leistungsdatum:', value: formatDate(delivery, 'de-DE', 'numeric') }] },
      title: `Rechnung Nr. ${number}`,
      intro: ['Sehr geehrte Damen und Herren,', `für die am ${formatDate(delivery, 'de-DE', 'numeric')} ausgeführten Arbeiten erlauben wir uns zu berechnen:`],
      columns: [
        { header: 'Pos.', x: 50, align: 'left' },
        { header: 'Menge', x: 110, align: 'right' },
        { header: 'Einh.', x: 118, align: 'left' },
        { header: 'Bezeichnung', x: 150, align: 'left', maxChars: 40 },
        { header: 'Einzelpreis', x: 470, align: 'right' },
        { header: 'Gesamtpreis', x: 545, align: 'right' },
      ],
      rows: items.map((item, i) => ({ cells: [String(i + 1), formatQuantity(item.quantity, 'de-DE'), item.unit, item.description, money(item.unitCents), money(item.amountCents)] })),
      carried: { label: 'Übertrag', format: money, amountOf: (row) => items[row]!.amountCents },
      totals: [{ label: 'Nettobetrag', value: money(net) }, { label: 'zzgl. 19 % MwSt.', value: money(vat) }, { label: 'Rechnungsbetrag', value: money(total), bold: true }],
      after: [`Im Rechnungsbetrag sind Lohnkosten nach § 35a EStG in Höhe von ${money(Math.round(net * 0.6))} enthalten.`, 'Zahlbar innerhalb von 14 Tagen ohne Abzug.', 'Mit freundlichen Grüßen'],
      footer: [[brand, company.street, company.city], [`Tel. ${company.phone}`, company.email], [rng.pick(BANKS.de), `IBAN ${iban(rng, 'de')}`], [`Steuernummer ${rng.digits(2)}/${rng.digits(3)}/${rng.digits(5)}`, `Handwerkskammer ${winAnsi(faker.location.city())}`]],
      pageLabel: (p, n) => `Seite ${p} von ${n}`,
      continuationHeader: `Rechnung Nr. ${number} vom ${formatDate(date, 'de-DE', 'numeric')}`,
    });
    return {
      sheet,
      truth: { invoice_number: number, invoice_date: date, total: total / 100, vendor: [brand], currency: 'EUR', items: items.map((item) => ({ description: item.description, quantity: item.quantity, amount: item.amountCents / 100 })) },
      printed: { invoice_number: number, invoice_date: dateText, total: money(total), vendor: brand },
    };
  },
};

/** French Facture: "FACTURE N° F2025-0042", HT/TVA/TTC, "Net à payer", SIRET/RCS/TVA intracommunautaire, capital social, penalties text. */
const facture: Style = {
  name: 'Facture',
  langs: ['fr'],
  build(context) {
    const { rng, faker } = context;
    const legal = `${winAnsi(faker.company.name())} ${rng.pick(['SARL', 'SAS', 'EURL'])}`.replace(/ (SARL|SAS|SA|EURL) (SARL|SAS|EURL)$/, ' $2');
    const company = party(context, legal);
    const date = invoiceDate(rng);
    const number = rng.pick([`F${date.slice(0, 4)}-${rng.digits(4)}`, `FA${date.slice(2, 4)}${rng.digits(5)}`, `${rng.digits(6)}`]);
    const work: Array<[string, number, number]> = [['Prestation de conseil', 1000, 1600], ['Maintenance annuelle', 2000, 6000], ['Installation sur site', 800, 1500], ['Formation utilisateurs (jour)', 1200, 1800], ['Licence logiciel', 500, 4000], ['Frais de déplacement', 100, 400], ['Développement spécifique', 1200, 1600], ['Audit de sécurité', 3000, 8000]];
    const items = pickItems(rng, work, rng.pick([2, 4, 6, 25, 40]), () => rng.pick([1, 1, 2, 3, 5, 0.5]));
    const net = sum(items);
    const vat = vatOf(net, 20);
    const total = net + vat;
    const money = (cents: number) => formatMoney(cents, 'EUR', 'fr-FR');
    const dateText = formatDate(date, 'fr-FR', rng.pick(['long', 'numeric'] as const));
    const labelsAbove = rng.chance(0.5);
    const sheet = drawA4({
      brand: { text: legal.toUpperCase(), size: 18 },
      senderBlock: [company.street, company.city, `Tél. ${company.phone}`, company.email],
      recipient: customer(context, true),
      info: { placement: labelsAbove ? 'below' : 'right', pairs: [{ label: 'Date de facture', value: dateText }, { label: 'N° client', value: `C${rng.digits(5)}` }, { label: 'Échéance', value: formatDate(addDays(date, 30), 'fr-FR', 'numeric') }, { label: 'Bon de commande', value: `BC-${rng.digits(6)}` }] },
      title: `FACTURE N° ${number}`,
      columns: [
        { header: 'Désignation', x: 50, align: 'left', maxChars: 46 },
        { header: 'Qté', x: 330, align: 'right' },
        { header: 'P.U. HT', x: 410, align: 'right' },
        { header: 'TVA', x: 450, align: 'right' },
        { header: 'Montant HT', x: 545, align: 'right' },
      ],
      rows: items.map((item) => ({ cells: [item.description, formatQuantity(item.quantity, 'fr-FR'), money(item.unitCents), '20 %', money(item.amountCents)] })),
      carried: rng.chance(0.5) ? { label: 'Report', format: money, amountOf: (row) => items[row]!.amountCents } : undefined,
      totals: [{ label: 'Total HT', value: money(net) }, { label: 'TVA 20 %', value: money(vat) }, { label: 'Total TTC', value: money(total) }, { label: 'Net à payer', value: money(total), bold: true }],
      after: ['Conditions de paiement : 30 jours date de facture.', "En cas de retard, pénalités au taux de 3 fois le taux d'intérêt légal et indemnité forfaitaire de 40 € pour frais de recouvrement.", 'Pas d\'escompte pour paiement anticipé.'],
      footer: [[legal, `Capital social ${formatNumber(rng.pick([100000, 500000, 1000000, 3700000]), 'fr-FR')} €`], [`SIRET ${rng.digits(3)} ${rng.digits(3)} ${rng.digits(3)} ${rng.digits(5)}`, registry(rng, 'fr', company.city, faker), `APE ${rng.digits(4)}${rng.letters(1)}`], [`TVA intracom. ${vatId(rng, 'fr')}`, `IBAN ${iban(rng, 'fr')}`]],
      pageLabel: (p, n) => `Page ${p}/${n}`,
      continuationHeader: `FACTURE N° ${number} (suite)`,
    });
    return {
      sheet,
      truth: { invoice_number: number, invoice_date: date, total: total / 100, vendor: [legal], currency: 'EUR', items: truthItems(items) },
      printed: { invoice_number: number, invoice_date: dateText, total: money(total), vendor: legal.toUpperCase() },
    };
  },
};

/** Dutch Factuur: "Factuurnummer", "Factuurdatum", "Vervaldatum", BTW 21%/9%, KvK and BTW-id in the footer, `€ 1.234,56`. */
const factuur: Style = {
  name: 'Factuur',
  langs: ['nl'],
  build(context) {
    const { rng, faker } = context;
    const brandBase = winAnsi(faker.company.name().replace(/ (B\.V\.|BV|N\.V\.|Bedrijf|Groep|en Zonen|VOF)$/, ''));
    const legal = `${brandBase} B.V.`;
    const company = party(context, legal);
    const date = invoiceDate(rng);
    const number = rng.pick([`${date.slice(0, 4)}${rng.digits(4)}`, `F-${rng.digits(5)}`, `${rng.digits(4)}-${rng.digits(3)}`]);
    const goods: Array<[string, number, number, number]> = [['Kantoorstoel ergonomisch', 2000, 6000, 21], ['Koffiebonen 1 kg', 300, 600, 9], ['Printerpapier A4 (5 pakken)', 400, 800, 21], ['Montage en installatie', 1000, 2000, 21], ['Boeken vakliteratuur', 500, 1500, 9], ['Bureaulamp LED', 800, 2000, 21], ['Bezorgkosten', 100, 300, 21], ['Fruitmand', 600, 1000, 9]];
    const chosen = rng.shuffle([...goods]).slice(0, rng.pick([2, 3, 5, 8, 8]));
    const items = chosen.map(([description, low, high, rate]) => ({ ...priced(description, rng.pick([1, 1, 2, 4, 6, 10]), rng.int(low, high) * 5), rate }));
    const net = sum(items);
    const rates = [...new Set(items.map((item) => item.rate))].sort((a, b) => b - a);
    const vats = rates.map((rate) => ({ rate, cents: vatOf(sum(items.filter((item) => item.rate === rate)), rate) }));
    const total = net + vats.reduce((a, v) => a + v.cents, 0);
    const money = (cents: number) => formatMoney(cents, 'EUR', 'nl-NL');
    const dateText = formatDate(date, 'nl-NL', rng.pick(['long', 'numeric'] as const));
    const sheet = drawA4({
      brand: { text: brandBase, size: 24, tagline: undefined },
      senderBlock: [legal, company.street, company.city, company.phone, company.web],
      recipient: customer(context, true),
      info: { placement: 'below', pairs: [{ label: 'Factuurnummer', value: number }, { label: 'Factuurdatum', value: dateText }, { label: 'Vervaldatum', value: formatDate(addDays(date, 14), 'nl-NL', 'numeric') }, { label: 'Klantnummer', value: rng.digits(6) }, { label: 'Uw referentie', value: `PO${rng.digits(5)}` }] },
      title: 'Factuur',
      columns: [
        { header: 'Aantal', x: 50, align: 'left' },
        { header: 'Omschrijving', x: 95, align: 'left', maxChars: 44 },
        { header: 'Prijs', x: 390, align: 'right' },
        { header: 'BTW', x: 440, align: 'right' },
        { header: 'Totaal', x: 545, align: 'right' },
      ],
      rows: items.map((item) => ({ cells: [formatQuantity(item.quantity, 'nl-NL'), item.description, money(item.unitCents), `${item.rate}%`, money(item.amountCents)] })),
      totals: [{ label: 'Subtotaal', value: money(net) }, ...vats.map((v) => ({ label: `BTW ${v.rate}%`, value: money(v.cents) })), { label: 'Totaal te betalen', value: money(total), bold: true }],
      after: [`Wij verzoeken u vriendelijk het bedrag van ${money(total)} voor ${formatDate(addDays(date, 14), 'nl-NL', 'long')} over te maken op ${iban(rng, 'nl')} t.n.v. ${legal}, onder vermelding van het factuurnummer.`.slice(0, 140)],
      footer: [[legal, company.street, company.city], [`KvK ${rng.digits(8)}`, `BTW-id ${vatId(rng, 'nl')}`], [rng.pick(BANKS.nl), `IBAN ${iban(rng, 'nl')}`]],
      pageLabel: (p, n) => `Pagina ${p} van ${n}`,
      continuationHeader: `Factuur ${number}`,
    });
    return {
      sheet,
      truth: { invoice_number: number, invoice_date: date, total: total / 100, vendor: [legal, brandBase], currency: 'EUR', items: truthItems(items) },
      printed: { invoice_number: number, invoice_date: dateText, total: money(total), vendor: brandBase },
    };
  },
};

/** Spanish Factura: "FACTURA Nº", "Fecha de emisión: 12 de febrero de 2025", Base imponible, IVA 21%, IRPF withholding for professionals, "Total factura", CIF/NIF. */
const factura: Style = {
  name: 'Factura',
  langs: ['es'],
  build(context) {
    const { rng, faker } = context;
    const legal = winAnsi(`${faker.company.name().replace(/ (S\.L\.|S\.A\.|Hermanos|e Hijos)$/, '')} ${rng.pick(['S.L.', 'S.A.', 'S.L.U.'])}`);
    const company = party(context, legal);
    const date = invoiceDate(rng);
    const series = rng.pick(['A', 'F', `${date.slice(0, 4)}/`]);
    const number = `${series}${rng.digits(rng.pick([3, 4, 5]))}`;
    const work: Array<[string, number, number]> = [['Servicio de asesoría fiscal', 1000, 4000], ['Reparación de equipo', 500, 2000], ['Suministro de material de oficina', 300, 1500], ['Mantenimiento mensual', 1500, 4000], ['Diseño de catálogo', 3000, 9000], ['Desplazamiento', 100, 400], ['Horas de consultoría', 900, 1400], ['Alquiler de equipo', 500, 1500]];
    const items = pickItems(rng, work, rng.pick([1, 3, 4, 7, 22, 38]), () => rng.pick([1, 1, 2, 3, 8]));
    const net = sum(items);
    const vat = vatOf(net, 21);
    const irpf = rng.chance(0.3) ? Math.round(net * 0.15) : 0;
    const total = net + vat - irpf;
    const moneyStyle = rng.pick(['symbol', 'symbol', 'code'] as const);
    const money = (cents: number) => formatMoney(cents, 'EUR', 'es-ES', moneyStyle);
    const dateText = formatDate(date, 'es-ES', rng.pick(['long', 'numeric'] as const));
    const sheet = drawA4({
      brand: { text: legal, size: 18 },
      senderBlock: [`CIF ${rng.letters(1)}${rng.digits(8)}`, company.street, company.city, `Tel. ${company.phone}`],
      recipient: [...customer(context, true), `NIF ${rng.digits(8)}${rng.letters(1)}`],
      info: { placement: 'right', ...rng.pick([{ labelsAbove: true }, { inline: true }, {}]), pairs: [{ label: 'Nº de factura', value: number }, { label: 'Fecha de emisión', value: dateText }, { label: 'Nº de pedido', value: rng.digits(6) }, { label: 'Forma de pago', value: 'Transferencia' }] },
      title: 'FACTURA',
      columns: [
        { header: 'Concepto', x: 50, align: 'left', maxChars: 46 },
        { header: 'Cantidad', x: 350, align: 'right' },
        { header: 'Precio', x: 440, align: 'right' },
        { header: 'Importe', x: 545, align: 'right' },
      ],
      rows: items.map((item) => ({ cells: [item.description, formatQuantity(item.quantity, 'es-ES'), money(item.unitCents), money(item.amountCents)] })),
      carried: { label: 'Suma y sigue', format: money, amountOf: (row) => items[row]!.amountCents },
      totals: [{ label: 'Base imponible', value: money(net) }, { label: 'IVA 21%', value: money(vat) }, ...(irpf ? [{ label: 'Retención IRPF 15%', value: `-${money(irpf)}` }] : []), { label: 'Total factura', value: money(total), bold: true }],
      after: [`Vencimiento: ${formatDate(addDays(date, 30), 'es-ES', 'numeric')} · ${iban(rng, 'es')}`],
      footer: [[registry(rng, 'es', company.city, faker)], [legal, company.web]],
      pageLabel: (p, n) => `Página ${p} de ${n}`,
      continuationHeader: `Factura ${number}`,
    });
    return {
      sheet,
      truth: { invoice_number: number, invoice_date: date, total: total / 100, vendor: [legal], currency: 'EUR', items: truthItems(items) },
      printed: { invoice_number: number, invoice_date: dateText, total: money(total), vendor: legal },
    };
  },
};

export const STYLES: readonly Style[] = [telecom, hosting, marketplace, utility, freelancer, restaurant, hardware, saas, craftsman, facture, factuur, factura];
