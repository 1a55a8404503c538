import * as chrono from 'chrono-node';
import type { Language } from './locale.js';

/**
 * Dates written with a month name, in the five languages the local extractor reads:
 * "3 mars 2025", "15. Januar 2025", "12 de febrero de 2025", "3 maart 2025",
 * "Mar 3, 2025", "Tuesday, 4 March 2025", "1er avril 2025". chrono-node reads them (its
 * en, de, fr, nl and es parsers); the document's own language is tried first, then the
 * others, since a month name is rarely ambiguous across them. Numeric dates are not read
 * here: their day/month order is the document's (cells.ts, locale.ts).
 *
 * Strict, for precision: a date needs its day, month and year written out (chrono's
 * "certain" components; "March 2025" or "3 March" is no date), a year between 1900 and
 * 2100, and the match must be the whole cell but for a weekday-like word or two, with
 * no other figures or a label's colon beside it ("Order 123 of 3 March 2025" is not a date cell).
 */

const PARSERS: Record<Language, chrono.Chrono> = {
  en: chrono.en.casual,
  de: chrono.de.casual,
  fr: chrono.fr.casual,
  nl: chrono.nl.casual,
  es: chrono.es.casual,
};

const ORDER: readonly Language[] = ['en', 'de', 'fr', 'nl', 'es'];

/**
 * The words a date cell may hold beside its date, in the five languages: weekdays (in full
 * and abbreviated), the articles and prepositions that open a date ("le 3 mars 2025", "am 5.
 * März 2025", "on 3 March 2025") and the ordinal marks ("1er", "3rd"). Not "vom", "du",
 * "van", "of", "dated": a cell "vom 01.03.2013" refers to another document's date (an order's).
 */
const BESIDE_DATE = new Set([
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun',
  'montag', 'dienstag', 'mittwoch', 'donnerstag', 'freitag', 'samstag', 'sonnabend', 'sonntag', 'mo', 'di', 'mi', 'do', 'fr', 'sa', 'so',
  'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche', 'lun', 'mar', 'mer', 'jeu', 'ven', 'sam', 'dim',
  'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag', 'ma', 'wo', 'vr', 'za', 'zo',
  'lunes', 'martes', 'miércoles', 'miercoles', 'jueves', 'viernes', 'sábado', 'sabado', 'domingo', 'lu', 'ju', 'vi', 'sá', 'dom',
  'the', 'on', 'am', 'den', 'le', 'op', 'de', 'el', 'er', 'st', 'nd', 'rd', 'th',
  // A bare date label before its date ("Date 3 March 2025", "Datum 5. März 2025", "Fecha 3 de marzo de 2025").
  'date', 'datum', 'fecha',
]);

/** A fixed reference, so a parse never depends on today's date. */
const REFERENCE = new Date(Date.UTC(2000, 0, 1));

/** The ISO date of a cell written with a month name, or null. */
export function readNamedDate(text: string, language: Language = 'en'): string | null {
  // Cheap checks first: a month name (letters), a printed year, and the length of a date cell.
  if (!/\p{L}{3,}/u.test(text) || !/\b(?:19|20)\d{2}\b/.test(text) || text.length > 48) return null;
  // Spellings chrono-node misses: German "5 März 2025" (it wants "5. März"), Spanish "del 2025".
  const variants = [text, text.replace(/(^|\s)(\d{1,2})\s+(?=\p{L})/u, '$1$2. '), text.replace(/\bdel\s+(?=\d{4})/i, 'de ')];
  for (const candidate of [language, ...ORDER.filter((other) => other !== language)]) {
    for (const variant of new Set(variants)) {
      const date = parseWith(PARSERS[candidate], variant);
      if (date) return date;
    }
  }
  return null;
}

function parseWith(parser: chrono.Chrono, text: string): string | null {
  const results = parser.parse(text, REFERENCE);
  if (results.length !== 1) return null;
  const [result] = results as [chrono.ParsedResult];
  const start = result.start;
  // The year must be printed: chrono also reads "within 30 days" as a day.
  if (!/\b(?:19|20)\d{2}\b/.test(result.text)) return null;
  if (!start.isCertain('day') || !start.isCertain('month') || !start.isCertain('year')) return null;
  // The rest of the cell: at most a weekday or an article, never another figure or word
  // ("delivery 2020-11-10" is the end of a label "Date of delivery", not a date cell).
  const rest = `${text.slice(0, result.index)} ${text.slice(result.index + result.text.length)}`;
  if (/[\d:]/.test(rest) || rest.replace(/[^\p{L}]/gu, '').length > 12) return null;
  if (!rest.toLowerCase().split(/[^\p{L}]+/u).every((word) => word === '' || BESIDE_DATE.has(word))) return null;
  const [year, month, day] = [start.get('year')!, start.get('month')!, start.get('day')!];
  if (year < 1900 || year > 2100) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
