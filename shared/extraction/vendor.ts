import { findVatId } from './identifiers.js';
import { bestField, type FieldVocabulary } from './label-match.js';
import type { Cell } from './pdf-layout.js';
import { lineText, overlapping } from './cell-lines.js';

/**
 * The issuer of a document (its vendor) when no label names it. Each way a document
 * names a company is a mention: a name-like cell at the top of page 1 (above its first
 * table) or in its footer (below its last table), a footer's legal sentence ("Onda SAS au
 * capital de..."), and, anywhere on page 1, a seller or payee statement ("Sold by X",
 * "Service Provider:" over X, "Payable to X", "Titulaire du compte : X", "Kontoinhaber:
 * X"), and the name in a seller's block ("Verkäufer" over "Name: Acme GmbH"). Never a name
 * from the customer's block ("Bill to", "Rechnungsempfänger", "Käufer", "Client", "Klant",
 * "Cliente", "Guest", "Attn" and their cells below, the address window under a sender
 * line) or another party's (a deviating payee, a tax representative). Mentions of one company
 * ("Nimbus Cloud Services" and "Nimbus Cloud Services, LLC"; "Onda Service Abonnés" and
 * "Onda SAS") are one candidate, scored by its evidence, each kind once:
 *
 * - a legal form in a mention (GmbH, SARL, B.V., S.L., Ltd, Inc., Sdn Bhd...): 4;
 * - named as the seller or the payee: 4;
 * - the first name on the page, in its first three lines and alone among names on its
 *   line (a letterhead; two names side by side may be issuer and customer), unless it shows
 *   no contact while another company has a VAT id, its own domain, a seller or payee
 *   statement or a legal block: 3;
 * - an e-mail or web domain that spells the name (`billing@hetzner.com` for "Hetzner
 *   Online GmbH"): 3;
 * - a legal block under or beside it (registration, share capital, VAT id, registered
 *   office: "RCS", "HRB", "KvK", "au capital de", "Registered office"): 3;
 * - a VAT id, e-mail or web address in its block (its line and the five below, in its column): 2;
 * - printed twice (letterhead and footer), or opening a sender line ("Acme GmbH ·
 *   Hauptstr. 1 · 10115 Berlin", printed above the address window): 2.
 *
 * Two names side by side at the top head two parties' blocks (the customer's address
 * window beside the issuer's): there a company known by its legal form alone is out when the
 * company beside it has a VAT id, its own domain, a seller statement or a legal block. A form's
 * placeholders ("LOGO", "SELLER TRADE NAME", the words of a name's label) are no names. A
 * company named only in the footer, its block printing another VAT id than the one the top of
 * the page prints outside the customer's block, is another company than the issuer.
 *
 * The best candidate with 3 points or more is the issuer. Null, a customer's name being
 * worse than none, when nothing scores, on a tie, or when two different companies are
 * each named seller or payee (a brand and the legal entity behind it, a marketplace and
 * its seller: which one the user means is a guess).
 *
 * The answer is the mention as printed; when the company is printed both with and without
 * its legal form ("Nimbus Cloud Services" over "Nimbus Cloud Services, LLC"), the name
 * without it, which is how the document itself calls the company.
 *
 * On a scan (OCR'd cells) only the top of page 1 is read, and only a name tesseract was
 * sure of in every word (`MIN_NAME_CONFIDENCE`), with no figure inside a word (a misread
 * "&" or "S"), is a mention: a misread name is a wrong answer that looks like a right one.
 */

/**
 * The labels of the customer's block. The label ends where no letter follows (a `\b` after
 * "Facturé à" or "Livré à" would want a word character after the "à", which it is not).
 */
const CUSTOMER_LABEL =
  /^(?:bill(?:ed)?\s+to|invoice\s+to|sold\s+to|ship(?:ped)?\s+to|deliver(?:y|ed)?\s+to|customer|client|buyer|recipient|guest|attn\b|attention|k[äa]ufer|acheteur|koper|comprador|rechnungsempfänger|rechnungsadresse|lieferadresse|leistungsempfänger|kunde|empfänger|z\.\s?hd\.?|factur[ée]\s+à|adresse\s+(?:de\s+(?:facturation|livraison)|du\s+client)|destinataire|livr[ée]\s+à|nom\s+de\s+l.abonné|abonné|à\s+l.attention|klant|factuuradres|factuur\s+aan|afleveradres|t\.a\.v\.?|cliente|facturar\s+a|datos\s+del\s+cliente|enviar\s+a|destinatario|a\s+la\s+atención)(?![\p{L}\d])\s*:?\s*/iu;

/** The heading of another party's block than the issuer's: a tax representative, a deviating payee or consignee ("Abweichender Zahlungsempfänger:"). */
const OTHER_PARTY =
  /^(?:abweichende[rs]?\s+\p{L}+|steuerbevollm[äa]chtigte[rs]?|warenempf[äa]nger|tax\s+representative|repr[ée]sentant\s+fiscal|fiscaal\s+vertegenwoordiger|representante\s+fiscal)\b/iu;

/**
 * A salutation opens the customer's address window on letter-style invoices ("Herrn Max
 * Mustermann", "Firma Beta GmbH", "Mme Claire Dubois"): that block is the customer's too.
 * The one-letter "M." and "D." count only with their dot ("M. Dupont", "D. José").
 */
const SALUTATION = /^(?:(?:herrn?|frau|firma|mr|mrs|ms|miss|monsieur|madame|mme|mlle|dhr|mevr|de\s+heer|mevrouw|sr|sra|srta|don|doña|dña)\b\.?(?:\s|$)|[md]\.\s)/i;

/** "SR" alone in its cell is a receipt's tax code (GST standard-rated, beside "ZR"), not the salutation "Sr." heading a name. */
const TAX_CODE = /^sr\.?$/i;

/** Legal forms in English, German (with the mutual insurer's "a.G.", the association's "e.V.", the cooperative's "eG"), French, Dutch and Spanish company names, and the common Asian ones. */
const LEGAL_FORM_SOURCE =
  String.raw`(?:GmbH(?:\s*&\s*Co\.?\s*KG)?|gGmbH|AG|KGaA|KG|a\.\s?G\.|e\.\s?V\.|eG|OHG|UG(?:\s*\(haftungsbeschränkt\))?|e\.\s?K\.|GbR|SE|SARL|S\.A\.R\.L\.|SAS|SASU|SA|S\.A\.|S\.A\.U\.|EURL|SNC|[Bb]\.\s?[Vv]\.?|BV|[Nn]\.\s?[Vv]\.?|NV|S\.à\s?r\.l\.|VOF|V\.O\.F\.|S\.L\.U?\.?|SLU?|S\.\s?Coop\.?|(?:Pvt\.?|Pte\.?|Private|Pty\.?)\s+(?:Ltd\.?|Limited)|Ltd\.?|Limited|LLC|L\.L\.C\.|LLP|Inc\.?|Corp\.?|Corporation|plc|PLC|Co\.|S\.p\.A\.|S\.r\.l\.|[Ss][Dd][Nn]\.?\s+[Bb][Hh][Dd]\.?|[Bb][Hh][Dd]\.?|S\/B|LTD\.?|LIMITED|INC\.?|CORP\.?|GMBH)`;
const LEGAL_FORM = new RegExp(String.raw`(?:^|[\s,])${LEGAL_FORM_SOURCE}(?=$|[\s,.·|)])`);
/** "Mr." before a name with a legal form is a company's brand ("MR. FIX-IT (M) SDN BHD"): a person has no legal form. */
const BRAND_TITLE = new RegExp(String.raw`^(?:[Mm][Rr][Ss]?|[Mm][Ss]|[Mm]iss|MISS)\b.*(?:^|[\s,])${LEGAL_FORM_SOURCE}(?=$|[\s,.·|)])`);
/** Every legal form in a name, to take them out of it. */
const LEGAL_FORMS = new RegExp(String.raw`(?<=^|[\s,])${LEGAL_FORM_SOURCE}(?=$|[\s,.·|)])`, 'g');
/** The legal form ending a name, with the comma before it: "Nimbus Cloud Services, LLC" -> "Nimbus Cloud Services". */
const TRAILING_LEGAL_FORM = new RegExp(String.raw`[\s,]+${LEGAL_FORM_SOURCE}\.?$`);

/** The first word of a two-word legal form ending a name: "Sdn" (of "Sdn Bhd"), "Pte"/"Pvt"/"Pty" (of "Pte Ltd"): the rest of the name was lost. */
const HALF_LEGAL_FORM = /\s(?:sdn|pte|pvt|pty)\.?$/i;

/** A legal form alone ("BHD", the end of a name OCR read on its own line) is no name. */
const ONLY_LEGAL_FORM = new RegExp(String.raw`^${LEGAL_FORM_SOURCE}\.?$`);

/** Words that make a line a document's title ("Invoice", "Retail Invoices/Bill", "Tax Invoice"), never a name. */
const TITLE_WORD =
  /\b(?:invoices?|bill|receipts?|credit\s+note|purchase\s+order|order\s+confirmation|statement|quote|quotation|rechnung(?:en)?|gutschrift|quittung|kassenbon|beleg|factures?|avoir|reçu|ticket|devis|factu(?:ur|ren)|creditnota|kwitantie|facturas?|recibo|abono|presupuesto)\b/i;
/** A title line: title words and their qualifiers only. */
const TITLE =
  /^(?:(?:tax|simplified|retail|commercial|pro[\s-]?forma|sales|final|vat|gst|cash|official|payment|original|duplicate|copy|kopie|copie|your|ihre|votre|uw|su)\s+)*(?:invoices?|bill|receipts?|credit\s+note|purchase\s+order|order\s+confirmation|statement(?:\s+of\s+account)?|quote|quotation|rechnung|gutschrift|quittung|kassenbon|beleg|facture|avoir|reçu|ticket|devis|factuur|creditnota|kwitantie|factura|recibo|abono|presupuesto|page|seite|pagina|página|copy|kopie|copie|original|duplicate)\b/i;

/** A street in one word, the German and Dutch way ("Lieferantenstraße", "Pappelallee", "Kerkstraat"). */
const COMPOUND_STREET = /\p{L}(?:straße|strasse|straat|allee|gasse|promenade|platz|weg|laan|steeg|gracht)\b/iu;

/** A country ending an address block ("Deutschland", "Inhalt | Deutschland"): no company is named so without a legal form. */
const COUNTRY_LAST =
  /(?:^|\s)(?:deutschland|germany|allemagne|alemania|duitsland|österreich|austria|schweiz|suisse|switzerland|france|frankreich|francia|frankrijk|nederland|netherlands|the\s+netherlands|niederlande|pays-bas|países\s+bajos|belgi(?:ë|que|um|en)|españa|spain|spanien|espagne|spanje|italia|italy|italien|luxembourg|luxemburg|united\s+kingdom|uk|usa|united\s+states|india|malaysia|singapore)$/i;

/** A party's heading ("Käufer", "Verkäufer:", "Seller") names the block, not the company in it (a company with a legal form may bear the word: "Lieferant GmbH"). */
const PARTY_WORD = /^(?:verk[äa]ufer|k[äa]ufer|lieferant|rechnungs(?:s?teller|ersteller|empf[äa]nger)|leistungsempf[äa]nger|leverancier|fournisseur|vendeur|acheteur|seller|buyer|supplier|vendor|proveedor|comprador|vendedor|verkoper|koper)s?\b/i;

/** A word qualifying the label after it on its line ("Globale | Nummer: 4000001123452"), not a name. */
const NUMBER_LABEL = /^(?:nummer|number|nr\.?|no\.?|id|kennung|n[°º])\s*:/i;

/** Street, postcode and contact lines, which are the issuer's address, not its name. */
const ADDRESS =
  /^\d|\b\d{4,5}\b|\s\d{1,4}\s?[a-z]?$|\b(?:straße|strasse|str\.|weg|allee|platz|gasse|street|st\.|road|rd\.|avenue|ave\.|lane|rue|boulevard|bd|chemin|place|calle|c\/|avda\.?|plaza|paseo|laan|straat|plein|gracht|kade|postbus|p\.?o\.?\s+box|bp|jalan|jln|lot|taman)\b|\b(?:tel|telefon|phone|fax|mobile|e-?mail|www|iban|bic|swift)\b|\bweb(?:site)?\s*:/i;

const EMAIL_OR_WEB = /[\w.+-]+@([\w-]+(?:\.[\w-]+)+)|\b(?:https?:\/\/)?www\.([\w-]+(?:\.[\w-]+)+)|\b([\w-]+)\.(?:com|de|fr|nl|es|eu|net|org|be|ch|at|co\.uk|io)\b/gi;

const HAS_EMAIL_OR_WEB = new RegExp(EMAIL_OR_WEB.source, 'i');

/** "Sold by Shopmarkt EU S.à r.l.": the words before a seller's name on marketplace invoices. */
const SOLD_BY = /^(?:sold\s+by|verkauft\s+von|vendu\s+par|verkocht\s+door|vendido\s+por)\s*:?\s*/i;

/**
 * Statements that name the seller or the payee, the name after them (on the line, or the
 * next line's first cell when the statement ends the line): "All services are sold by
 * X", "Payment received by X", "Make cheques payable to X", "in favour of X", "Titulaire du
 * compte : X", "Kontoinhaber: X", "Begünstigter: X", "ten name van X", "a favor de X".
 */
const SELLER_STATEMENT =
  /(?:^|\s)(?:sold\s+by|verkauft\s+von|vendu\s+par|verkocht\s+door|vendido\s+por|payable\s+to|in\s+fav(?:o|ou)r\s+of|payment\s+received\s+by|account\s+holder|kontoinhaber(?:in)?|zahlungsempfänger|begünstigter|titulaire\s+du\s+compte|bénéficiaire|à\s+l.ordre\s+de|rekeninghouder|ten\s+name\s+van|t\.n\.v\.|titular\s+de\s+la\s+cuenta|beneficiario|a\s+favor\s+de)\s*:?\s*(.*)$/i;

/** A direct debit: the account holder named near it is the customer. */
const DIRECT_DEBIT = /lastschrift|einzug|mandat|prélèvement|domiciliëring|incasso|machtiging|domiciliación|adeudo|direct\s+debit/i;

/** A label over the seller's name, in its column ("Service Provider:", "Verkäufer:", "Fournisseur :"). */
const SELLER_LABEL =
  /^(?:service\s+provider|provider|seller|supplier|vendor|issuer|merchant|verkäufer|lieferant|dienstleister|rechnungss?teller|rechnungsersteller|vendeur|fournisseur|prestataire|émetteur|verkoper|leverancier|vendedor|proveedor|emisor)\s*:?$/i;

/** The label of a party's name in a block of "Label: value" lines ("Name:", "Firma:", "Nom :", "Razón social:"), and the value after it. */
const NAME_LABEL = /^(?:name|firma|firmenname|company(?:\s+name)?|nom|raison\s+sociale|naam|bedrijfsnaam|handelsnaam|nombre|raz[óo]n\s+social)\s*:\s*(.*)$/i;

/** Lines of a seller's block read under its heading, and how far right of the heading its lines may start (an indented block). */
const SELLER_BLOCK_LINES = 6;
const BLOCK_INDENT = 24;

/** A platform an order went through, named beside the seller: "Ordered through: shopzone.in", "Bestellt über". */
const PLATFORM_STATEMENT = /\b(?:ordered\s+(?:through|via|on)|bestellt\s+(?:über|bei)|commandé\s+(?:via|sur)|besteld\s+via|pedido\s+a\s+través\s+de)\b/i;

/** The words of a legal block: registration, share capital, registered office, VAT id. */
const LEGAL_BLOCK =
  /\b(?:au\s+capital|capital\s+social|R\.?C\.?S\.?|SIRE[NT]|Siège(?:\s+social)?|TVA\s+intra|HRB|HRA|Amtsgericht|Registergericht|Handelsregister|Geschäftsführ(?:er|ung)|Vorstand|Sitz|USt-?Id(?:Nr)?|Steuer-?Nr|KvK|Kamer\s+van\s+Koophandel|Handelsregister|CIF|NIF|Registro\s+Mercantil|Registered\s+(?:office|in|address)|Regd\.?\s+office|Company\s+(?:number|no|reg)|Co\.?\s?Reg|CIN|GSTIN)\b/i;

/** A legal sentence opening with the company's name and legal form: "Onda SAS au capital de...", "Acme GmbH, Sitz Berlin". */
const LEGAL_SENTENCE = new RegExp(String.raw`^((?:[\p{Lu}\d][\p{L}\d&'’.-]*\s+){0,5}?[\p{Lu}\d][\p{L}\d&'’.-]*[\s,]+${LEGAL_FORM_SOURCE})(?=[\s,]+\S)`, 'u');

/** An amount (two decimals) in the cell after a word: the word labels it. */
const AMOUNT_BESIDE = /\d[.,]\d{2}(?!\d)/;

/**
 * The words of a name's label, not a name: "Trade name", "Company Name", "Nom commercial", "Raison sociale"
 * (a form's "SELLER TRADE NAME" left for the seller to fill in, read as "Seller" and its value).
 */
const NAME_LABEL_WORDS =
  /^(?:(?:trade|company|business|legal|brand|registered|full|display)\s+)?name$|^(?:firmen|handels)?name$|^(?:bedrijfs|handels)?naam$|^(?:nom|nombre)(?:\s+(?:commercial|comercial|de\s+la\s+soci[ée]t[ée]|de\s+la\s+empresa))?$|^raison\s+sociale$|^raz[óo]n\s+social$/i;

/** A form's placeholder for the issuer's logo ("LOGO", "LOGO Vendeur"), printed where the logo goes: no name. */
const LOGO_PLACEHOLDER = /^logo\b/i;

/** A copyright notice: "(c) AWV e.V.", "© 2024 Acme", "Copyright Acme Ltd". */
const COPYRIGHT = /^(?:\(c\)|©|copyright\b)/i;

/** Separators between the parts of a sender line: "Acme GmbH · Hauptstr. 1 · 10115 Berlin". */
const SEPARATOR = /\s+[·•●▪|–—]\s+|\s+-\s+/;

/** A separator in a cell of its own (a bullet set in a symbol font is an item of its own in the text layer). */
const SEPARATOR_CELL = /^[·•●▪|–—-]$/;

/** The widest gap (points) on either side of a separator cell that still joins the parts of one sender line. */
const SEPARATOR_GAP = 16;

/** Lowercase words a company or person name may hold: "van Dijk", "Smit & Zonen", "Bank of Scotland". */
const PARTICLES = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'van', 'der', 'den', 'het', 'von', 'zu', 'y', 'e', 'et', 'und', 'and', 'en', 'of', 'the', 'di', 'da', 'del', 'dos', 'l', 'd']);

/** Lines read from the top of page 1 for the name, and from its bottom for the footer. */
const TOP_LINES = 14;
const FOOTER_LINES = 6;
/** Tesseract's confidence (0-100) every word of a name read by OCR must reach. */
export const MIN_NAME_CONFIDENCE = 85;

type Evidence = 'legal' | 'seller' | 'letterhead' | 'domain' | 'legalBlock' | 'contact' | 'repeated' | 'sender';

const POINTS: Record<Evidence, number> = { legal: 4, seller: 4, letterhead: 3, domain: 3, legalBlock: 3, contact: 2, repeated: 2, sender: 2 };

interface Mention {
  text: string;
  line: number;
  /** The cell it was read from (statements: the statement's cell). */
  cell: Cell;
  evidence: Set<Evidence>;
  /** Read from a name-like cell of the top or footer (not a statement). */
  placed: boolean;
}

/** The issuer's name on the first page of `grid`, or null when not sure (see above). */
export function issuerName(lines: readonly Cell[][], pages: readonly number[] | undefined, vocabs: readonly FieldVocabulary[]): string | null {
  return issuer(lines, pages, vocabs)?.name ?? null;
}

/** The issuer's name and the index of the line it was read from (its citation), or null when not sure. */
export function issuer(lines: readonly Cell[][], pages: readonly number[] | undefined, vocabs: readonly FieldVocabulary[]): { name: string; line: number } | null {
  const scanned = lines.some((line, index) => (pages?.[index] ?? 1) === 1 && line.some((cell) => cell.words));
  // On a scan, specks and rules read as "|", "-" or one letter are no cells.
  // On a scan, specks and rules read as "|", "-" or one letter are no cells ("&" and "(M)" are), and a name
  // tesseract split at wide letter spacing is one cell again.
  const grid = scanned ? lines.map((line) => joinWords(withoutRegistration(line.filter((cell, column) => wordCell(cell, line[column + 1]))), OCR_WORD_GAP)) : lines.map(joinSeparated);
  const firstPage = grid.map((_, index) => index).filter((index) => (pages?.[index] ?? 1) === 1);
  // Above the first table (a line of three cells or more) and below the last: a
  // transaction or line item ("Salary ACME Inc 879") is never the issuer.
  const tableLines = firstPage.filter((index) => isTableLine(grid[index]!));
  const top = firstPage.slice(0, TOP_LINES).filter((index) => tableLines.length === 0 || index < tableLines[0]!);
  const footer = firstPage.slice(-FOOTER_LINES).filter((index) => !top.includes(index) && (tableLines.length === 0 || index > tableLines.at(-1)!));
  const customer = customerCells(grid, firstPage, top);
  // The letterhead's lines: the first three of the top, on a scan those holding a word (`specks`).
  const head = (scanned ? top.filter((index) => !specks(grid[index]!)) : top).slice(0, 3);
  const mentions: Mention[] = [];
  /** Lines of the top holding a cell OCR was unsure of (`short`: fewer than three letters and figures). */
  const unsure: Array<{ line: number; short: boolean }> = [];
  let unsureLegalName = false;
  const add = (text: string, line: number, cell: Cell, evidence: Evidence[], placed: boolean) => {
    // OCR reads the D of "SDN BHD" (Sendirian Berhad) as an O: no name has "SON BHD".
    // A speck OCR read as a full stop after a whole word inside a name ("KWANG ELECTRICAL. SUPPLIES"): abbreviations are shorter.
    const name = cleanName(scanned ? text.replace(/\bSON(\.?\s+BHD)\b/, 'SDN$1').replace(SPECK_STOP, '$1') : text);
    // A sign no name is written with, or a capital after a small letter, read by OCR, is a
    // misread letter or "&" ("LIM HARDWARE £ TOOLS", "Mee CafE").
    // So is a small letter opening a name in capitals ("lop Of Ihe Hill Sdn Bhd": the T read as an l). A legal form
    // written so ("GmbH", "KGaA") is not such a capital: it is looked for in the name without it.
    if (scanned && (/[^\p{L}\d\s&.,'’()/-]/u.test(name) || /\p{Ll}\p{Lu}/u.test(name.replace(LEGAL_FORMS, ' ')) || /^\p{Ll}\S*\s+\p{Lu}/u.test(name))) return;
    // Words mostly of one letter ("E ACTU U R") are a letter-spaced word OCR broke apart (a title's "FACTUUR"), not a name.
    const words = name.split(/\s+/);
    if (scanned && words.filter((word) => /^\p{L}$/u.test(word)).length * 2 >= words.length) return;
    // A name in lower case only as a letterhead (a logo's "nimbus", "shopmarkt"): lower down it is a word of a sentence.
    if (nameLike(name, vocabs, head.includes(line))) mentions.push({ text: name, line, cell, evidence: new Set(evidence), placed });
  };
  for (const index of [...top, ...footer]) {
    // A name set in spaced capitals may come as one cell per word ("STEIN | & | KELLE").
    // A scan's footer line as OCR's cells: joined, its legal sentence would be held to the least sure word of the whole line.
    const row = scanned ? (footer.includes(index) ? lines[index]! : grid[index]!) : joinWords(grid[index]!, TEXT_WORD_GAP);
    for (const [column, cell] of row.entries()) {
      if (!sureName(cell)) {
        // A scan's name after a line OCR was unsure of is no letterhead: that line may have been the name.
        if (top.includes(index) && !(scanned && specks(grid[index]!))) unsure.push({ line: index, short: cell.text.replace(/[^\p{L}\d]/gu, '').length < 3 });
        // A company with its legal form OCR was unsure of, at the head: the legal name beside a brand, or the name itself.
        if (scanned && head.includes(index) && LEGAL_FORM.test(cell.text.replace(/\bSON(\.?\s+BHD)\b/, 'SDN$1'))) unsureLegalName = true;
        continue;
      }
      if (customer.has(cell)) continue;
      if (NUMBER_LABEL.test(row[column + 1]?.text ?? '')) continue;
      // A word with an amount beside it labels a line of the totals or the payment ("Card | 78.10", "Net | 65.08").
      if (AMOUNT_BESIDE.test(row[column + 1]?.text ?? '')) continue;
      // A sender line: the name, then its address ("Acme GmbH - Hauptstr. 1 - 10115 Berlin"); "Verhoeven - Smit B.V." is one name.
      const sender = senderLine(cell.text);
      const text = (sender ? cell.text.split(SEPARATOR)[0]! : cell.text).replace(SOLD_BY, '');
      const legalSentence = footer.includes(index) ? LEGAL_SENTENCE.exec(text) : null;
      if (legalSentence && LEGAL_BLOCK.test(text.slice(legalSentence[0].length))) {
        add(legalSentence[1]!, index, cell, ['legalBlock'], true);
        continue;
      }
      // A scan's footer gives only its legal sentence ("Acme SAS au capital de ...", read sure: `sureName`): another
      // name-like cell down there is too often a stamp, a signature or a misread line.
      if (scanned && footer.includes(index)) continue;
      // A name broken after "&" or "and" goes on with the next line ("DELIMA HARDWARE &" / "ELECTRICAL"),
      // and so does one whose legal form is printed under it ("KEDAI MAJU" / "SDN BHD").
      const below = grid[index + 1]?.length === 1 ? grid[index + 1]![0]! : undefined;
      const next = below && (/(?:\s&|\s(?:and|und|et|en|y))$/i.test(text) || (ONLY_LEGAL_FORM.test(below.text) && !LEGAL_FORM.test(text))) ? below : undefined;
      if (next && !sureName(next)) continue;
      // A long name wrapped before its last words goes on with the line under it that ends with its legal form (on a
      // scan, that line read sure as well: `sureName`).
      const wrapped = !next && !sender && below && (!scanned || sureName(below)) && wrapsOnto(text, cell, below, vocabs) ? below : undefined;
      const name = next || wrapped ? `${text} ${(next ?? wrapped)!.text}` : text;
      add(index === firstPage[0] ? withoutTitle(name) : name, index, cell, sender ? ['sender'] : [], true);
    }
  }
  mentions.push(...sellerMentions(grid, firstPage, customer, vocabs));
  if (mentions.length === 0) return null;

  const customerText = [...customer].map((cell) => ` ${words(cell.text)} `);
  for (const mention of mentions) {
    if (LEGAL_FORM.test(mention.text)) mention.evidence.add('legal');
    if (!mention.placed) continue;
    const block = blockText(grid, mention);
    if (findVatId(block) !== null || HAS_EMAIL_OR_WEB.test(block)) mention.evidence.add('contact');
    if (domainSpellsName(grid, firstPage, mention.text)) mention.evidence.add('domain');
    if (legalBlockBeside(grid, mention, footer)) mention.evidence.add('legalBlock');
  }
  const companies = groupByCompany(mentions);
  const excluded = new Set(companies.filter((company) => company.some((mention) => customerText.some((text) => text.includes(` ${words(mention.text)} `)))));
  const has = (company: Mention[], evidence: Evidence) => company.some((mention) => mention.evidence.has(evidence));
  // A letterhead: the first name, in the first three lines, alone among names on its line;
  // not when it shows no contact while another company has hard evidence (then the first
  // name is likely the customer's address window, the issuer's name in its footer).
  const placed = mentions.filter((mention) => mention.placed);
  const first = placed[0];
  // On a scan, a name under an address line is no letterhead: the company's name, printed above its street, was not read ("SELANGOR DARUL EHSAN").
  const underAddress = scanned && first !== undefined && top.some((index) => index < first.line && !specks(grid[index]!) && grid[index]!.some((cell) => ADDRESS.test(cell.text)));
  const hard = (members: Mention[]) => (['seller', 'domain', 'legalBlock'] as Evidence[]).some((evidence) => has(members, evidence)) || members.some((mention) => findVatId(blockText(grid, mention)) !== null);
  // Not a cell of fewer than three letters and figures beside the name on its line (a logo's "NO"): above it, such a
  // cell may be the lost start of the name ("B1" over "ILVER SPOON"), beside it no name is so short (`nameLike`).
  const unsureLine = Math.min(Infinity, ...unsure.filter(({ line, short }) => !(short && line === first?.line)).map(({ line }) => line));
  if (first && head.includes(first.line) && first.line < unsureLine && !underAddress && !placed.some((other) => other !== first && other.line === first.line)) {
    const company = companies.find((members) => members.includes(first))!;
    const outweighed = !has(company, 'contact') && companies.some((other) => other !== company && !excluded.has(other) && hard(other));
    if (!outweighed) first.evidence.add('letterhead');
  }
  // Two names side by side at the top head two parties' blocks (the customer's address window beside the
  // issuer's, as Business Central prints them): a legal form tells no issuer from a customer, so a company
  // shown by its legal form alone is outweighed there by the one beside it with hard evidence (its domain,
  // VAT id, legal block, a seller statement).
  for (const company of companies) {
    const beside = (mention: Mention) =>
      companies.some((other) => other !== company && !excluded.has(other) && hard(other) && other.some((peer) => peer.placed && peer.line === mention.line && top.includes(peer.line)));
    if (company.every((mention) => mention.placed && top.includes(mention.line) && [...mention.evidence].every((kind) => kind === 'legal') && beside(mention))) excluded.add(company);
  }
  // The VAT id the issuer's block at the top prints (one only, the customer's cells left out): a company named
  // only in the footer with another VAT id in its block is another company (a form's footer, a parent company).
  const topVatIds = new Set(top.flatMap((index) => grid[index]!.filter((cell) => !customer.has(cell)).map((cell) => findVatId(cell.text) ?? [])).flat());
  if (!scanned && topVatIds.size === 1) {
    const [topVatId] = topVatIds;
    for (const company of companies) {
      const vatIds = company.map((mention) => (footer.includes(mention.line) ? findVatId(blockText(grid, mention)) : undefined));
      if (vatIds.every((id) => id !== undefined && id !== null && id !== topVatId)) excluded.add(company);
    }
  }
  const scored = companies
    .filter((company) => !excluded.has(company))
    .map((company) => {
      const evidence = new Set(company.flatMap((mention) => [...mention.evidence]));
      if (new Set(company.filter((mention) => mention.placed).map((mention) => mention.line)).size > 1 || company.length > 2) evidence.add('repeated');
      return { company, score: [...evidence].reduce((sum, kind) => sum + POINTS[kind], 0) };
    });
  // Two different companies named seller or payee, or a platform beside the seller: which one is meant is a guess.
  const sellers = scored.filter(({ company }) => has(company, 'seller'));
  if (sellers.length > 1 || (sellers.length === 1 && platformNamed(grid, firstPage, sellers[0]!.company))) return null;
  const ranked = scored.filter((candidate) => candidate.score >= 3).sort((a, b) => b.score - a.score);
  const [best, next] = ranked;
  if (!best || (next && next.score === best.score)) return null;
  // On a scan, a shop's sign over the company that runs it ("CITY DAIRY" over "K&T VENTURES SDN BHD (1203344-P)"): the
  // company is the one with its legal form, printed right under the sign in the letterhead.
  const sign = scanned ? placed.find((mention) => mention.evidence.has('letterhead') && !LEGAL_FORM.test(mention.text)) : undefined;
  const entity = sign ? legalNameUnder(lines, placed, sign.line, head, excluded, companies) : null;
  if (entity) return entity;
  // On a scan, only a letterhead, or a company the invoice names as its seller with its legal form ("Verkäufer" over
  // "Name: Acme GmbH", "Sold by Acme Ltd"): a name OCR read further down is too often a misread line or a stamp, but a
  // seller's label and a legal form, each read sure (`sureName`), are two marks a misread line does not make.
  // The legal form may be on another mention of the company ("Amazon Web Services, Inc." named seller, answered as the
  // brand printed without it).
  if (scanned && !has(best.company, 'letterhead') && !(has(best.company, 'seller') && best.company.some((mention) => LEGAL_FORM.test(mention.text)))) return null;
  const answer = companyName(best.company);
  // On a scan, a name opening with "&" lost its first word ("& JOY RESTAURANT" for "K & JOY RESTAURANT").
  if (scanned && /^[&+]/.test(answer.name)) return null;
  // On a scan, one word without a legal form is too often the end of a name OCR lost the start of ("HUAT") or a misread word.
  // (Not when the company is also printed with its legal form, "Free" of "Free SAS": the legal name reads the word whole.)
  if (scanned && !best.company.some((mention) => LEGAL_FORM.test(mention.text)) && answer.name.trim().split(/\s+/).length < 2) return null;
  // ... a name ending in the first half of a two-word legal form ("... RESTAURANT SDN" without its "BHD") is cut short;
  // and a name without a legal form under or over a legal name OCR could not read is perhaps the brand of that company.
  if (scanned && (HALF_LEGAL_FORM.test(answer.name) || (unsureLegalName && !LEGAL_FORM.test(answer.name)))) return null;
  return answer;
}

/**
 * A scanned line of figures and marks only ("2 | 19 | 01-017", a stamp's or a till's
 * numbers, specks): a misread name still reads letters ("B1" may be the lost start of one).
 * Such a line above a letterhead is neither one of its first lines nor a line that may
 * have been its name.
 */
function specks(line: readonly Cell[]): boolean {
  return !line.some((cell) => /\p{L}/u.test(cell.text));
}

/** True when a labelled value reads as a company's or person's name ("Seller: Acme GmbH"), not a sentence, a title or an address. */
export function issuerLike(text: string, vocabs: readonly FieldVocabulary[]): boolean {
  return nameLike(cleanName(text), vocabs);
}

/** A line of a table: four cells or more, or three with an amount after the first. */
function isTableLine(line: readonly Cell[]): boolean {
  return line.length >= 4 || (line.length === 3 && line.slice(1).some((cell) => /\d[.,]\d{2}(?![\d.,])/.test(cell.text)));
}

/** Trailing commas and dashes off, a registration number after the name ("(123456-X)"), and "Sold by" before it. */
function cleanName(text: string): string {
  return text
    .replace(SOLD_BY, '')
    .replace(REGISTRATION_AFTER, '')
    // A company number printed after the legal form, without brackets: "MOONLIGHT CAKE HOUSE SDN BHD 862725-U".
    .replace(new RegExp(String.raw`(${LEGAL_FORM_SOURCE}\.?)\s+\(?\d{4,}[\d-]*-?[A-Z]?\)?$`), '$1')
    // ... or in brackets with its label: "DION REALTIES SDN BHD (Co. No: 20154-T)", "(CO.REG: 860671-D)".
    .replace(new RegExp(String.raw`(${LEGAL_FORM_SOURCE}\.?)\s*\((?:[Cc][Oo]|[Cc]ompany|COMPANY|[Rr][Ee][Gg]|R[Oo][Cc])\b[^()]*\d[^()]*\)?$`), '$1')
    .replace(/[\s,;–—-]+$/, '')
    .trim();
}

/**
 * True when `next` (the line under a name) ends the name `text` wrapped before its last words:
 * alone in the name's column, ending with the legal form the name lacks, itself name-like and
 * not the same company again ("MVM Musterhafter" / "Versicherungsverein Musterstadt a.G.", not
 * "Nimbus" / "Nimbus Cloud Services, LLC", a brand over its legal name).
 */
function wrapsOnto(text: string, cell: Cell, next: Cell, vocabs: readonly FieldVocabulary[]): boolean {
  if (LEGAL_FORM.test(text) || Math.abs(next.x - cell.x) >= 4 || !TRAILING_LEGAL_FORM.test(next.text)) return false;
  return nameLike(text, vocabs) && nameLike(cleanName(next.text), vocabs) && !sameCompany(text, next.text);
}

/** A sender line: a name, then its address after separators ("Acme GmbH · Hauptstr. 1 · 10115 Berlin"); "Verhoeven - Smit B.V." is one name, and a title line none. */
function senderLine(text: string): boolean {
  const parts = text.split(SEPARATOR);
  // A title with its number is no address ("Buchungshilfe - KEINE Rechnung Nr. 471102").
  // It opens with the name, which has letters: "05 158 004 - 11023 - 45" is a reference number, not a sender line.
  return parts.length > 1 && /\p{L}/u.test(parts[0]!) && parts.slice(1).some((part) => ADDRESS.test(part)) && !parts.some((part) => TITLE_WORD.test(part));
}

/** "Nimbus Cloud Services Invoice" -> "Nimbus Cloud Services": a name printed with the document's title after it. */
function withoutTitle(text: string): string {
  const words = text.split(/\s+/);
  for (let end = words.length - 1; end >= 2; end--) {
    if (TITLE.test(words.slice(end).join(' ')) && !TITLE_WORD.test(words.slice(0, end).join(' '))) return words.slice(0, end).join(' ');
  }
  return text;
}

/**
 * Letters, one to eight words, capitalised as a name: not a label, a title, an address,
 * a contact, a sentence or text in lower case ("printed their details in the logo
 * below", a stamp's "lim siew ling").
 */
function nameLike(text: string, vocabs: readonly FieldVocabulary[], lowerCaseOk = false): boolean {
  // A copyright notice names the author of the form or its software ("(c) AWV e.V. 2020"), not the issuer.
  if (COPYRIGHT.test(text) || NAME_LABEL_WORDS.test(text.trim()) || LOGO_PLACEHOLDER.test(text)) return false;
  if (text.includes('@') || text.includes(':') || (/[.!?]$/.test(text) && !LEGAL_FORM.test(text) && !/\b\p{Lu}\.$/u.test(text))) return false;
  const letters = text.replace(/[^\p{L}]/gu, '').length;
  const words = text.split(/\s+/);
  if (letters < 3 || letters < text.replace(/\D/g, '').length * 2 || words.length > (LEGAL_FORM.test(text) ? 10 : 8) || ONLY_LEGAL_FORM.test(text)) return false;
  // A number opening a name with a legal form is part of it ("88 QUICK MART S/B"), not a street number.
  const address = ADDRESS.test(LEGAL_FORM.test(text) ? text.replace(/^\d+\s+(?=\p{L})/u, '') : text);
  if (TITLE.test(text) || (TITLE_WORD.test(text) && !LEGAL_FORM.test(text)) || address || LEGAL_BLOCK.test(text) || findVatId(text)) return false;
  // A legal form makes the words before it a company's name, even a party word's ("Lieferant GmbH").
  if ((PARTY_WORD.test(text) || COMPOUND_STREET.test(text) || COUNTRY_LAST.test(text)) && !LEGAL_FORM.test(text)) return false;
  // Lower-case words other than particles make a sentence; a legal form vouches for a name set in lower case ("bol.com b.v.").
  const lower = LEGAL_FORM.test(text) ? [] : words.filter((word) => /^\p{Ll}/u.test(word) && !PARTICLES.has(word.toLowerCase()));
  if (lower.length >= 2 || (lower.length > 0 && lower.length === words.filter((word) => /\p{L}/u.test(word)).length && !(lowerCaseOk && words.length === 1))) return false;
  return bestField(text, vocabs) === null;
}

/**
 * The name with a legal form on the letterhead line just under `line` (a sign's company), or
 * null. Not the second line of a name wrapped under the first ("KEDAI MAJU JAYA VEGETARIAN" /
 * "RESTAURANT SDN BHD"), which a name of one word before its legal form may be, nor a line OCR
 * read something before (a misread "&" opening it: "9 | TEA GARDEN (M) SDN. BHD." under "THE COFFEE HOUSE").
 */
function legalNameUnder(
  lines: readonly Cell[][],
  placed: readonly Mention[],
  line: number,
  head: readonly number[],
  excluded: ReadonlySet<Mention[]>,
  companies: readonly Mention[][],
): { name: string; line: number } | null {
  const under = placed.find((mention) => mention.line === line + 1 && head.includes(mention.line) && LEGAL_FORM.test(mention.text));
  if (!under || lines[under.line]?.[0]?.x !== under.cell.x) return null;
  // The company's registration number printed on its line or the two under it (a legal form wrapped) marks it the legal entity apart from the sign;
  // without it the two lines may be one name wrapped ("NVK Beispielhafter" / "Versicherungsverein Beispielstadt a.G.").
  if (![0, 1, 2].some((after) => REGISTERED_NUMBER.test(lineText(lines[under.line + after] ?? [])))) return null;
  const words = core(under.text.replace(/\([^()]*\)/g, ' ')).split(/\s+/).filter((word) => /\p{L}/u.test(word));
  const company = companies.find((members) => members.includes(under));
  return words.length >= 2 && company && !excluded.has(company) ? { name: under.text, line: under.line } : null;
}

/** True when the name carries a company's legal form ("Acme GmbH", "Nimbus Cloud Services, LLC"). */
export function hasLegalForm(text: string): boolean {
  return LEGAL_FORM.test(text);
}

/** True when OCR was sure of every word of the cell and no word mixes in a figure OCR may have misread ("8HD", "6" for "&"). */
function sureName(cell: Cell): boolean {
  return (cell.words ?? []).every((word) => word.confidence >= MIN_NAME_CONFIDENCE && !/\p{L}\d|\d\p{L}/u.test(word.text) && !/^\d$/.test(word.text));
}

/** A company registration number printed after the name on its line, "(123456-X)": not part of the name. */
function withoutRegistration(line: Cell[]): Cell[] {
  const last = line.at(-1);
  return line.length > 1 && last && REGISTRATION.test(last.text) ? line.slice(0, -1) : line;
}

/** A company registration number as receipts print it after the name: "(1203344-P)", "204517-K", "Co. No: 20154-T". */
const REGISTERED_NUMBER = /(?<![\d-])\d{5,8}[\s-]?[A-Z](?![\p{L}\d])/u;

/** A full stop after a word of six letters or more with more of the name after it: no abbreviation is so long. */
const SPECK_STOP = /(\p{L}{6,})\.(?=\s+\p{L})/gu;

/**
 * Whether a scanned cell holds a word, not a speck: two letters or figures, an "&", a "(M)",
 * or a capital initial before an "&" ("K & JOY RESTAURANT", "A & W").
 */
function wordCell(cell: Cell, next: Cell | undefined): boolean {
  if (/^(?:&|\(\p{L}\))$/u.test(cell.text) || cell.text.replace(/[^\p{L}\d]/gu, '').length >= 2) return true;
  return /^\p{Lu}$/u.test(cell.text) && next !== undefined && /^&(?:\s|$)/.test(next.text);
}

/** A company registration number in brackets, its check letter after a hyphen or, as OCR reads the hyphen now and then, a space: "(123456-X)", "(204517 K)". */
const REGISTRATION = /^\(\d[\d-]*(?:[\s-]?[A-Z])?\)$/;
const REGISTRATION_AFTER = /\s*\(\d[\d-]*(?:[\s-]?[A-Z])?\)$/;

/**
 * A line as the parts of one sender line when separator cells join them: "Acme GmbH | ● |
 * Hauptstr. 1 | ● | 10115 Berlin" is one cell "Acme GmbH ● Hauptstr. 1 ● 10115 Berlin" (its
 * bullets, drawn in a symbol font, are text items of their own), not a table's row. Cells far
 * from a separator stay apart (the address block printed to the right on the same line).
 */
function joinSeparated(line: Cell[]): Cell[] {
  if (!line.some((cell) => SEPARATOR_CELL.test(cell.text))) return line;
  const joined: Cell[] = [];
  for (const [i, cell] of line.entries()) {
    const last = joined.at(-1);
    const previous = line[i - 1];
    const bridged = last && previous && (SEPARATOR_CELL.test(cell.text) ? line[i + 1] && line[i + 1]!.x - cell.right <= SEPARATOR_GAP : SEPARATOR_CELL.test(previous.text)) && cell.x - last.right <= SEPARATOR_GAP;
    if (bridged && last) joined[joined.length - 1] = { ...last, text: `${last.text} ${cell.text}`, right: cell.right };
    else joined.push(cell);
  }
  return joined;
}

/** The widest gap (points) between the words of one name split into cells, in a text layer and as OCR'd. */
const TEXT_WORD_GAP = 20;
const OCR_WORD_GAP = 40;

/**
 * The cells of a line as name candidates: a line split into cells at wide letter spacing
 * ("KEDAI | EMAS | TRADING | CO", "STEIN | & | KELLE") is one name when all its gaps are narrow.
 */
function joinWords(line: Cell[], maxGap: number): Cell[] {
  if (line.length < 2) return line;
  const gaps = line.slice(1).map((cell, i) => cell.x - line[i]!.right);
  if (Math.max(...gaps) > maxGap) return line;
  const joined: Cell = { text: line.map((cell) => cell.text).join(' '), x: line[0]!.x, right: line.at(-1)!.right };
  return [line.some((cell) => cell.words) ? { ...joined, words: line.flatMap((cell) => cell.words ?? []) } : joined];
}

/**
 * The names page 1 states as the seller or payee: after "Sold by", "Payable to",
 * "Titulaire du compte :" (on the line, or the next line's first cell), or under a
 * "Service Provider:" label in its column.
 */
function sellerMentions(grid: readonly Cell[][], lines: readonly number[], customer: ReadonlySet<Cell>, vocabs: readonly FieldVocabulary[]): Mention[] {
  const found: Mention[] = [];
  for (const index of lines) {
    for (const cell of grid[index]!) {
      if (customer.has(cell)) continue;
      const statement = SELLER_STATEMENT.exec(cell.text);
      // The account a direct debit is drawn from is the customer's ("Kontoinhaber" under "SEPA-Lastschrift").
      const debit = grid.slice(Math.max(0, index - 2), index + 1).some((line) => line.some((other) => DIRECT_DEBIT.test(other.text)));
      if (statement && debit) continue;
      if (statement) {
        const beside = grid[index]![grid[index]!.indexOf(cell) + 1];
        const named = statement[1]!.trim() ? cell : (beside ?? grid[index + 1]?.[0]);
        const line = named === cell || named === beside ? index : index + 1;
        const name = cleanName((named === cell ? statement[1]! : (named?.text ?? '')).split(SEPARATOR)[0]!);
        if (named && sureName(cell) && sureName(named) && nameLike(name, vocabs)) found.push({ text: name, line, cell, evidence: new Set(['seller']), placed: false });
        continue;
      }
      if (!SELLER_LABEL.test(cell.text)) continue;
      // The first name-like cell in its column within three lines ("(Not to be used for payment remittance)" skipped),
      // or the value of a "Name:" line of its block ("Verkäufer" / "Nummer: 549910" / "Name: Acme GmbH"), up to the next
      // party's heading. The block may be indented under its heading.
      for (let line = index + 1; line < Math.min(index + 1 + SELLER_BLOCK_LINES, grid.length); line++) {
        // Words of a name set apart by letter spacing are one cell; a word qualifying a label ("Globale | Nummer:") is none.
        const row = joinWords(grid[line]!, TEXT_WORD_GAP);
        const at = row.findIndex((other) => other.x > cell.x - 8 && other.x < cell.x + BLOCK_INDENT);
        const heading = row[at];
        if (heading && (customer.has(heading) || CUSTOMER_LABEL.test(heading.text) || (PARTY_WORD.test(heading.text) && !LEGAL_FORM.test(heading.text)))) break;
        const nameLabel = at >= 0 ? NAME_LABEL.exec(row[at]!.text) : null;
        const under = nameLabel ? (nameLabel[1] ? { ...row[at]!, text: nameLabel[1] } : row[at + 1]) : at >= 0 && line <= index + 3 && !NUMBER_LABEL.test(row[at + 1]?.text ?? '') ? row[at] : undefined;
        // A name wrapped over two lines: its first line over a "Name:" line's value, in the value's column and unlabelled, or the line under it.
        const above = nameLabel && under && grid[line - 1]?.length === 1 ? grid[line - 1]![0]! : undefined;
        const start = above && line - 1 > index && wrapsOnto(above.text, above, under!, vocabs) ? `${above.text} ` : '';
        const lineBelow = !nameLabel && under && grid[line + 1]?.length === 1 ? grid[line + 1]![0]! : undefined;
        const end = lineBelow && wrapsOnto(under!.text, under!, lineBelow, vocabs) ? ` ${lineBelow.text}` : '';
        const name = under ? cleanName(`${start}${under.text}${end}`) : '';
        if (under && sureName(under) && sureName(cell) && nameLike(name, vocabs)) {
          found.push({ text: name, line, cell: under, evidence: new Set(['seller']), placed: false });
          break;
        }
      }
    }
  }
  return found;
}

/** True when page 1 names a platform the order went through ("Ordered through: shopzone.in") that is not the seller. */
function platformNamed(grid: readonly Cell[][], lines: readonly number[], seller: readonly Mention[]): boolean {
  return lines.some((index) => {
    const text = lineText(grid[index]);
    if (!PLATFORM_STATEMENT.test(text)) return false;
    const after = text.slice(PLATFORM_STATEMENT.exec(text)!.index) + ' ' + lineText(grid[index + 1]);
    return !seller.some((mention) => fold(after).includes(fold(core(mention.text))));
  });
}

/** Mentions of the same company: one's name without its legal form is the other's first words. */
function groupByCompany(mentions: readonly Mention[]): Mention[][] {
  const companies: Mention[][] = [];
  for (const mention of mentions) {
    const company = companies.find((members) => members.some((member) => sameCompany(member.text, mention.text)));
    if (company) company.push(mention);
    else companies.push([mention]);
  }
  return companies;
}

function sameCompany(a: string, b: string): boolean {
  const [x, y] = [nameWords(core(a)), nameWords(core(b))];
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return short.length > 0 && short.join('').length >= 3 && short.every((word, i) => word === long[i]);
}

/**
 * The name as the document calls the company: without its legal form when it is also
 * printed so ("Nimbus Cloud Services Invoice" beside "Nimbus Cloud Services, LLC", "Onda
 * Service Abonnés" beside "Onda SAS"), else as printed, the legal name first.
 */
function companyName(company: readonly Mention[]): { name: string; line: number } {
  const ranked = [...company].sort((a, b) => b.evidence.size - a.evidence.size || Number(b.placed) - Number(a.placed) || a.line - b.line);
  const legal = ranked.find((mention) => LEGAL_FORM.test(mention.text));
  if (!legal) return { name: ranked[0]!.text, line: ranked[0]!.line };
  const name = nameWords(core(legal.text));
  const printedWithout = company.some((mention) => !LEGAL_FORM.test(mention.text) && name.every((word, i) => nameWords(mention.text)[i] === word));
  return { name: printedWithout ? core(legal.text) : legal.text, line: legal.line };
}

/** The name without its trailing legal form: "Nimbus Cloud Services, LLC" -> "Nimbus Cloud Services". */
function core(name: string): string {
  const stripped = name.replace(TRAILING_LEGAL_FORM, '').trim();
  return stripped === '' ? name : stripped;
}

function nameWords(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map(fold)
    .filter((word) => word !== '');
}

/**
 * The cells of the customer's block: a cell labelled as the customer ("Bill to:",
 * "Rechnungsempfänger") or opening with a salutation ("Herrn", "Mme"), with its value
 * beside it, and the cells under it in its column (`blockBelow`); and the address window
 * under a sender line at the top of the page.
 */
function customerCells(grid: readonly Cell[][], lines: readonly number[], top: readonly number[]): Set<Cell> {
  const cells = new Set<Cell>();
  for (const index of lines) {
    const line = grid[index]!;
    line.forEach((cell, column) => {
      // The sender line printed over the address window heads the recipient's block ("Acme GmbH · Hauptstr. 1 · Berlin" over "Beta AG").
      // Only at the top of the page (a footer's "Acme GmbH · HRB 123 · Berlin" heads no window), and a sender line under a
      // tagline ("Meisterbetrieb · 0368 884296" over "Acme · Hauptstr. 1 · Berlin") is the sender's, not the window's.
      if (top.includes(index) && senderLine(cell.text)) {
        // The window holds a name and an address, no "Label: value" line or contact ("Contact : clients@acme.fr" is the sender's).
        const window = blockBelow(grid, index, (other) => overlapping(other, cell, 0));
        const end = window.findIndex((other) => /[:@]/.test(other.text));
        for (const other of end < 0 ? window : window.slice(0, end)) cells.add(other);
        return;
      }
      if (!CUSTOMER_LABEL.test(cell.text) && !(SALUTATION.test(cell.text) && !TAX_CODE.test(cell.text) && !BRAND_TITLE.test(cell.text)) && !OTHER_PARTY.test(cell.text)) return;
      cells.add(cell);
      // "Guest Name: Sanjay": a name field with its value, not the head of an address block.
      // So is "Guest | Name: | Sanjay", the label split in two cells (OCR splits a line at a wide space).
      if (/^\S+\s+(?:name|nom|naam|nombre)\s*:\s*\S/i.test(cell.text) || /^(?:name|nom|naam|nombre)\s*:/i.test(line[column + 1]?.text ?? '')) return;
      // The value beside a bare label, when it is near, or in a column of "Label: value" lines
      // (the label's column goes on with labels): a cell far to the right of a heading over
      // its block, or itself a label, is another block.
      const beside = line[column + 1];
      const under = grid[index + 1]?.find((other) => Math.abs(other.x - cell.x) < 8);
      const keyValue = cell.text.endsWith(':') && (!under || under.text.includes(':')) && !beside?.text.includes(':');
      const valueBeside = beside && (beside.x - cell.right < 60 || (keyValue && beside.x - cell.right < 250));
      const next = valueBeside && cell.text.replace(CUSTOMER_LABEL, '') === '' ? beside : undefined;
      if (next) cells.add(next);
      const left = cell.x - 4;
      const right = Math.max(cell.right, next?.right ?? 0, cell.x + 160);
      // A block of "Label: value" lines ends at the next heading in its column ("Bemerkungen" under "Name: | Beta AG").
      const labelled = grid[index + 1]?.some((other) => Math.abs(other.x - cell.x) < 4 && other.text.endsWith(':'));
      const heading = (other: Cell) => labelled === true && Math.abs(other.x - cell.x) < 4 && !other.text.includes(':');
      const block = blockBelow(grid, index, (other) => other.x >= left && other.x < right, heading);
      for (const other of block) cells.add(other);
      // A block of "Label: value" lines ("Käufer" / "Name: | Beta AG"): the value printed beside each label is the block's too.
      for (const below of grid.slice(index + 1, index + 7)) {
        below.forEach((other, at) => {
          if (block.includes(other) && other.text.endsWith(':') && below[at + 1]) cells.add(below[at + 1]!);
        });
      }
    });
  }
  return cells;
}

/** Lines of another column only, which a block may have between its own lines ("Rechnungsempfänger" | ... | "Kundennummer" beside it). */
const MAX_LINES_ELSEWHERE = 2;

/**
 * The cells of the block under line `index`, in its column (`inColumn`), up to six lines:
 * a gap (more lines than `MAX_LINES_ELSEWHERE` with nothing in the column), a sentence
 * ("Greetings from Acme, we're writing to..."), a sender line, a label of three words or more or
 * a cell that `ends` it.
 */
function blockBelow(grid: readonly Cell[][], index: number, inColumn: (cell: Cell) => boolean, ends: (cell: Cell) => boolean = () => false): Cell[] {
  const block: Cell[] = [];
  let elsewhere = 0;
  for (const below of grid.slice(index + 1, index + 7)) {
    const under = below.filter(inColumn);
    // A label of three words or more ("Qualifizierung der Textart: REG", "Terms and conditions:") opens another section.
    if (under.some((cell) => ends(cell) || /^(?:\S+\s+){2,}\S+\s*:/.test(cell.text))) break;
    if (under.length === 0 && below.length > 0 && ++elsewhere <= MAX_LINES_ELSEWHERE) continue;
    if (under.length === 0 || under.some((other) => other.text.split(/\s+/).length > 8 || senderLine(other.text))) break;
    elsewhere = 0;
    block.push(...under);
  }
  return block;
}

/** The mention's line and the five below it, the cells in its column. */
function blockText(grid: readonly Cell[][], mention: Mention): string {
  const { cell } = mention;
  const texts = [grid[mention.line]!.map((other) => other.text).join(' ')];
  // On a scan, the five lines below that have a cell in its column, up to a gap of more than `MAX_LINES_ELSEWHERE`
  // lines without one: OCR sets the other column's lines (and a sender line's small type) as rows of their own
  // between the block's, where a text layer shares them.
  const scanned = cell.words !== undefined;
  let [lines, elsewhere] = [0, 0];
  for (const below of grid.slice(mention.line + 1, scanned ? undefined : mention.line + 6)) {
    const inColumn = below.filter((other) => overlapping(other, cell, 40));
    if (scanned && inColumn.length === 0 && ++elsewhere > MAX_LINES_ELSEWHERE) break;
    if (inColumn.length > 0) elsewhere = 0;
    texts.push(...inColumn.map((other) => other.text));
    if (scanned && inColumn.length > 0 && ++lines >= 5) break;
  }
  return texts.join('\n');
}

/**
 * A footer name with a legal block on its line or under it in its column ("Siège social", "RCS",
 * "HRB", "KvK"); a legal line under another column is another block's ("Inhalt" heading a column of notes).
 */
function legalBlockBeside(grid: readonly Cell[][], mention: Mention, footer: readonly number[]): boolean {
  if (!footer.includes(mention.line)) return false;
  if (grid[mention.line]!.some((cell) => cell !== mention.cell && LEGAL_BLOCK.test(cell.text))) return true;
  return (grid[mention.line + 1] ?? []).some((cell) => Math.abs(cell.x - mention.cell.x) < 8 && LEGAL_BLOCK.test(cell.text));
}

/** True when an e-mail or web domain on page 1 spells the name: `hetzner.com` for "Hetzner Online GmbH". */
function domainSpellsName(grid: readonly Cell[][], lines: readonly number[], name: string): boolean {
  const compact = fold(name);
  const firstWord = fold(name.split(/\s+/)[0]!);
  for (const index of lines) {
    for (const cell of grid[index]!) {
      for (const match of cell.text.matchAll(EMAIL_OR_WEB)) {
        const host = (match[1] ?? match[2] ?? match[3] ?? '').toLowerCase().split('.');
        // The registrable label: "billing.acme.co.uk" -> "acme".
        const label = fold(host.length >= 2 ? host[host.length - (host.at(-2) === 'co' ? 3 : 2)] ?? '' : host[0] ?? '');
        if (label.length >= 3 && (compact.startsWith(label) || (firstWord.length >= 4 && label.startsWith(firstWord)))) return true;
      }
    }
  }
  return false;
}

/** Lower-case words separated by single spaces: "ACME GmbH," -> "acme gmbh". */
function words(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Lower-case letters and digits only, accents removed: "Müller & Söhne" -> "mullersohne". */
function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}
