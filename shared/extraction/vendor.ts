import { findVatId } from './identifiers.js';
import { bestField, type FieldVocabulary } from './label-match.js';
import type { Cell } from './pdf-layout.js';

/**
 * The issuer of a document (its vendor) when no label names it: a name from the issuer
 * block at the top of page 1 (above its first table) or its footer (below its last
 * table), never from the customer's block ("Bill to", "Rechnungs-
 * empfänger", "Client", "Klant", "Cliente" and their cells below). Each name-like cell
 * (letters, a few words, not a label, a title, an address or a contact line) near the top
 * of page 1 or in its footer is scored by its evidence:
 *
 * - a legal form in the name (GmbH, SARL, B.V., S.L., Ltd, Inc...): 4;
 * - being the first name on the page, in its first three lines and alone among names on
 *   its line (a letterhead; two names side by side may be issuer and customer), unless it
 *   shows no contact while another name has a VAT id or its own domain: 3;
 * - an e-mail or web domain that spells the name (`billing@hetzner.com` for "Hetzner
 *   Online GmbH"): 3;
 * - a VAT id (`DE123456789`), e-mail or web address in its block (its line and the five
 *   below, in its column): 2;
 * - printed twice (letterhead and footer), or opening a sender line ("Acme GmbH ·
 *   Hauptstr. 1 · 10115 Berlin", printed above the address window): 2.
 *
 * The best name with 3 points or more is the issuer; a tie between two different names,
 * or nothing that scores, answers null: a customer's name is worse than none.
 */

const CUSTOMER_LABEL =
  /^(?:bill(?:ed)?\s+to|invoice\s+to|sold\s+to|ship(?:ped)?\s+to|deliver(?:y|ed)?\s+to|customer|client|buyer|recipient|rechnungsempfänger|rechnungsadresse|lieferadresse|leistungsempfänger|kunde|empfänger|factur[ée]\s+à|adresse\s+de\s+(?:facturation|livraison)|destinataire|livr[ée]\s+à|klant|factuuradres|factuur\s+aan|afleveradres|cliente|facturar\s+a|datos\s+del\s+cliente|enviar\s+a|destinatario)\b\s*:?\s*/i;

/**
 * A salutation opens the customer's address window on letter-style invoices ("Herrn Max
 * Mustermann", "Firma Beta GmbH", "Mme Claire Dubois"): that block is the customer's too.
 * The one-letter "M." and "D." count only with their dot ("M. Dupont", "D. José").
 */
const SALUTATION = /^(?:(?:herrn?|frau|firma|mr|mrs|ms|miss|monsieur|madame|mme|mlle|dhr|mevr|de\s+heer|mevrouw|sr|sra|srta|don|doña|dña)\b\.?(?:\s|$)|[md]\.\s)/i;

/** Legal forms in English, German, French, Dutch and Spanish company names. */
const LEGAL_FORM =
  /(?:^|[\s,])(?:GmbH(?:\s*&\s*Co\.?\s*KG)?|AG|KG|OHG|UG(?:\s*\(haftungsbeschränkt\))?|e\.\s?K\.|GbR|SE|SARL|S\.A\.R\.L\.|SAS|SASU|SA|S\.A\.|S\.A\.U\.|EURL|SNC|[Bb]\.\s?[Vv]\.?|BV|[Nn]\.\s?[Vv]\.?|NV|S\.à\s?r\.l\.|VOF|V\.O\.F\.|S\.L\.U?\.?|SLU?|S\.\s?Coop\.?|Ltd\.?|Limited|LLC|L\.L\.C\.|LLP|Inc\.?|Corp\.?|Corporation|plc|PLC|Co\.|S\.p\.A\.|S\.r\.l\.|Pty\s+Ltd)(?=$|[\s,.·|)])/;

/** Document titles and page furniture, which are never the issuer. */
const TITLE =
  /^(?:invoice|tax\s+invoice|receipt|credit\s+note|purchase\s+order|order\s+confirmation|statement(?:\s+of\s+account)?|quote|quotation|rechnung|gutschrift|quittung|kassenbon|beleg|facture|avoir|reçu|ticket|devis|factuur|creditnota|kwitantie|factura|recibo|abono|presupuesto|page|seite|pagina|página|copy|kopie|copie|original|duplicate)\b/i;

/** Street, postcode and contact lines, which are the issuer's address, not its name. */
const ADDRESS =
  /^\d|\b\d{4,5}\b|\b(?:straße|strasse|str\.|weg|allee|platz|gasse|street|st\.|road|rd\.|avenue|ave\.|lane|rue|boulevard|bd|chemin|place|calle|c\/|avda\.?|plaza|paseo|laan|straat|plein|gracht|kade|postbus|p\.?o\.?\s+box|bp)\b|\b(?:tel|telefon|phone|fax|mobile|e-?mail|web|www|iban|bic|swift)\b/i;

const EMAIL_OR_WEB = /[\w.+-]+@([\w-]+(?:\.[\w-]+)+)|\b(?:https?:\/\/)?www\.([\w-]+(?:\.[\w-]+)+)|\b([\w-]+)\.(?:com|de|fr|nl|es|eu|net|org|be|ch|at|co\.uk|io)\b/gi;

const HAS_EMAIL_OR_WEB = new RegExp(EMAIL_OR_WEB.source, 'i');

/** "Sold by Amazon EU S.à r.l.": the words before a seller's name on marketplace invoices. */
const SOLD_BY = /^(?:sold\s+by|verkauft\s+von|vendu\s+par|verkocht\s+door|vendido\s+por)\s+/i;

/** Separators between the parts of a sender line: "Acme GmbH · Hauptstr. 1 · 10115 Berlin". */
const SEPARATOR = /\s+[·•|–—]\s+|\s+-\s+/;

/** Lines read from the top of page 1 for the name, and from its bottom for the footer. */
const TOP_LINES = 14;
const FOOTER_LINES = 6;

interface Candidate {
  text: string;
  line: number;
  cell: Cell;
  score: number;
}

/** The issuer's name on the first page of `grid`, or null when not sure (see above). */
export function issuerName(grid: readonly Cell[][], pages: readonly number[] | undefined, vocabs: readonly FieldVocabulary[]): string | null {
  const firstPage = grid.map((_, index) => index).filter((index) => (pages?.[index] ?? 1) === 1);
  // Above the first table (a line of three cells or more) and below the last: a
  // transaction or line item ("Salary ACME Inc 879") is never the issuer.
  const tableLines = firstPage.filter((index) => isTableLine(grid[index]!));
  const top = firstPage.slice(0, TOP_LINES).filter((index) => tableLines.length === 0 || index < tableLines[0]!);
  const footer = firstPage
    .slice(-FOOTER_LINES)
    .filter((index) => !top.includes(index) && (tableLines.length === 0 || index > tableLines.at(-1)!));
  const customer = customerCells(grid, firstPage);
  const candidates: Candidate[] = [];
  for (const index of [...top, ...footer]) {
    for (const cell of grid[index]!) {
      if (customer.has(cell)) continue;
      const parts = cell.text.split(SEPARATOR);
      const name = parts[0]!.replace(SOLD_BY, '').trim();
      if (!nameLike(name, vocabs)) continue;
      candidates.push({ text: name, line: index, cell, score: parts.length > 1 ? 2 : 0 });
    }
  }
  if (candidates.length === 0) return null;
  const customerText = [...customer].map((cell) => cell.text.toLowerCase());
  const contact = new Map<Candidate, { any: boolean; hard: boolean }>();
  for (const candidate of candidates) {
    if (customerText.some((text) => text.includes(candidate.text.toLowerCase()))) candidate.score = -Infinity;
    if (LEGAL_FORM.test(candidate.text)) candidate.score += 4;
    const block = blockText(grid, candidate);
    const vatId = findVatId(block) !== null;
    const spelled = domainSpellsName(grid, firstPage, candidate.text);
    if (vatId || HAS_EMAIL_OR_WEB.test(block)) candidate.score += 2;
    if (spelled) candidate.score += 3;
    if (candidates.some((other) => other !== candidate && other.line !== candidate.line && sameName(other.text, candidate.text))) candidate.score += 2;
    contact.set(candidate, { any: vatId || HAS_EMAIL_OR_WEB.test(block), hard: vatId || spelled });
  }
  // A letterhead: the first name, in the first three lines, alone among names on its line;
  // not when it shows no contact while another name has a VAT id or its own domain (then the
  // first name is likely the customer's address window, the issuer's name in its footer).
  const first = candidates[0]!;
  const outweighed = !contact.get(first)!.any && candidates.some((other) => !sameName(other.text, first.text) && contact.get(other)!.hard);
  if (top.slice(0, 3).includes(first.line) && !outweighed && !candidates.some((other) => other !== first && other.line === first.line)) first.score += 3;
  const ranked = candidates.filter((candidate) => candidate.score >= 3).sort((a, b) => b.score - a.score);
  const [best, next] = ranked;
  if (!best) return null;
  if (next && next.score === best.score && !sameName(next.text, best.text)) return null;
  return best.text;
}

/** A line of a table: four cells or more, or three with an amount after the first. */
function isTableLine(line: readonly Cell[]): boolean {
  return line.length >= 4 || (line.length === 3 && line.slice(1).some((cell) => /\d[.,]\d{2}(?![\d.,])/.test(cell.text)));
}

/** Letters, one to eight words, not a label, a title, an address, a contact or a sentence. */
function nameLike(text: string, vocabs: readonly FieldVocabulary[]): boolean {
  if (text.includes('@') || text.includes(':') || (/[.!?]$/.test(text) && !LEGAL_FORM.test(text))) return false;
  const letters = text.replace(/[^\p{L}]/gu, '').length;
  if (letters < 3 || letters < text.replace(/\D/g, '').length * 2 || text.split(/\s+/).length > 8) return false;
  if (TITLE.test(text) || ADDRESS.test(text) || findVatId(text)) return false;
  return bestField(text, vocabs) === null;
}

/**
 * The cells of the customer's block: a cell labelled as the customer ("Bill to:",
 * "Rechnungsempfänger") or opening with a salutation ("Herrn", "Mme"), with its value
 * beside it, and the cells under it in its column up to a blank line or six lines.
 */
function customerCells(grid: readonly Cell[][], lines: readonly number[]): Set<Cell> {
  const cells = new Set<Cell>();
  for (const index of lines) {
    const line = grid[index]!;
    line.forEach((cell, column) => {
      if (!CUSTOMER_LABEL.test(cell.text) && !SALUTATION.test(cell.text)) return;
      cells.add(cell);
      // The value beside a bare label, when it is near: a cell far to the right is another block.
      const beside = line[column + 1];
      const next = beside && beside.x - cell.right < 60 && cell.text.replace(CUSTOMER_LABEL, '') === '' ? beside : undefined;
      if (next) cells.add(next);
      const left = cell.x - 4;
      const right = Math.max(cell.right, next?.right ?? 0, cell.x + 160);
      for (const below of grid.slice(index + 1, index + 7)) {
        const under = below.filter((other) => other.x >= left && other.x < right);
        if (under.length === 0) break;
        for (const other of under) cells.add(other);
      }
    });
  }
  return cells;
}

/** The candidate's line and the five below it, the cells in its column. */
function blockText(grid: readonly Cell[][], candidate: Candidate): string {
  const { cell } = candidate;
  const texts = [grid[candidate.line]!.map((other) => other.text).join(' ')];
  for (const below of grid.slice(candidate.line + 1, candidate.line + 6)) {
    texts.push(...below.filter((other) => other.x < cell.right + 40 && other.right > cell.x - 40).map((other) => other.text));
  }
  return texts.join('\n');
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

function sameName(a: string, b: string): boolean {
  return fold(a) === fold(b);
}

/** Lower-case letters and digits only, accents removed: "Müller & Söhne" -> "mullersohne". */
function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}
