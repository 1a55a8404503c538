/**
 * Public sets of real documents as bench input: `npm run bench:real-sets -- --invoice2data <dir>
 * --out <folder>` or `npm run bench:real-sets -- --sroie <data dir> [--from N] [--to M] --out <folder>`.
 * Copies the documents into `--out` and writes `<out>/truth.csv` beside them, the ground truth
 * `npm run bench:extraction -- --dir <out> --truth <out>/truth.csv` scores against (header
 * file,field,type,value). The sets themselves stay outside the repository (their licences).
 *
 * - invoice2data (github.com/invoice-x/invoice2data, folder tests/compare): each `<name>.json`
 *   holds the values of `<name>.pdf` (and of `<name>.png`, `.jpg`, a scan of it, when present):
 *   invoice_number, invoice_date from `date`, total from `amount`, vendor from `issuer`,
 *   currency. Plain-text dumps (`.txt`) are not documents a user uploads: left out.
 * - SROIE (github.com/zzzDavid/ICDAR-2019-SROIE, folder data/): `key/<n>.json` holds the
 *   values of the receipt `img/<n>.jpg`: vendor from `company` (as printed), invoice_date from
 *   `date` (dd/mm/yyyy, dd-mm-yy, yyyy-mm-dd, "dd Mon yyyy" and their like: day first, as
 *   Malaysian receipts print it), total. `--from N --to M` take receipts N to M (inclusive, by
 *   number): OCR costs seconds a receipt.
 *
 * A document any of whose values cannot be read (missing, an amount that is no number, a
 * date in no known form) is skipped with a line saying why: a truth with a hole in it would
 * count a right answer as wrong.
 */
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export type TruthRow = [file: string, field: string, type: string, value: string];

/** What one converter gives: the documents to copy (source path, name in the set), truth rows, what it skipped and why. */
export interface Converted {
  documents: Array<{ source: string; file: string }>;
  rows: TruthRow[];
  skipped: string[];
}

const DOCUMENT_TYPES = ['.pdf', '.png', '.jpg', '.jpeg'];

/** An amount from a number or a printed string ("4.11", "RM 3.90", "$8.20", "1,234.50"); null when it is none. */
export function readAmount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const bare = value.trim().replace(/^(RM|MYR|USD|EUR|INR|\$|€|£)\s*/i, '').replace(/\s*(RM|MYR|USD|EUR|INR|\$|€|£)$/i, '');
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(bare)) return Number(bare.replace(/,/g, ''));
  return /^-?\d+(\.\d+)?$/.test(bare) ? Number(bare) : null;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function isoDate(year: number, month: number, day: number): string | null {
  const full = year < 100 ? 2000 + year : year;
  const date = new Date(Date.UTC(full, month - 1, day));
  if (date.getUTCFullYear() !== full || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * A date as yyyy-mm-dd from the forms these sets write: yyyy-mm-dd (an ISO timestamp's date
 * part too), yyyy/mm/dd, and day first: dd/mm/yyyy, dd-mm-yy, dd.mm.yyyy, "dd Mon yyyy",
 * "dd-Mon-yy"; or "Mon dd, yyyy". Null for any other form (08122018: which order?) or no real day.
 */
export function readDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim().replace(/^\((.*)\)$/, '$1').trim();
  let match = text.match(/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.]+Z?)?$/);
  if (match) return isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
  match = text.match(/^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})$/);
  if (match) return isoDate(Number(match[4]), Number(match[3]), Number(match[1]));
  match = text.match(/^(\d{1,2})[-/ ]([A-Za-z]{3,9})\.?[-/ ](\d{4}|\d{2})$/);
  const month = (word: string) => MONTHS.indexOf(word.slice(0, 3).toLowerCase()) + 1;
  if (match && month(match[2]!) > 0) return isoDate(Number(match[3]), month(match[2]!), Number(match[1]));
  match = text.match(/^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$/);
  if (match && month(match[1]!) > 0) return isoDate(Number(match[3]), month(match[1]!), Number(match[2]));
  return null;
}

const textValue = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.replace(/\s+/g, ' ').trim() : typeof value === 'number' ? String(value) : null);

/** invoice2data's tests/compare: `<name>.json` beside `<name>.pdf` (and its scans). */
export async function convertInvoice2data(dir: string): Promise<Converted> {
  const names = (await readdir(dir)).sort();
  const result: Converted = { documents: [], rows: [], skipped: [] };
  for (const json of names.filter((name) => name.endsWith('.json'))) {
    const base = json.slice(0, -'.json'.length);
    const files = names.filter((name) => name.startsWith(`${base}.`) && DOCUMENT_TYPES.includes(path.extname(name).toLowerCase()));
    if (files.length === 0) {
      result.skipped.push(`${json}: no ${DOCUMENT_TYPES.join('/')} document beside it`);
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(path.join(dir, json), 'utf8'));
    } catch (error) {
      result.skipped.push(`${json}: not JSON (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const record = (Array.isArray(parsed) ? parsed[0] : parsed) as Record<string, unknown> | undefined;
    const values = {
      invoice_number: textValue(record?.invoice_number),
      invoice_date: readDate(record?.date),
      total: readAmount(record?.amount),
      vendor: textValue(record?.issuer),
      currency: textValue(record?.currency),
    };
    const unread = [
      values.invoice_number === null && 'invoice_number',
      values.invoice_date === null && `date ${JSON.stringify(record?.date ?? null)}`,
      values.total === null && `amount ${JSON.stringify(record?.amount ?? null)}`,
      values.vendor === null && 'issuer',
      values.currency === null && 'currency',
    ].filter(Boolean);
    if (unread.length > 0) {
      result.skipped.push(`${files.join(', ')}: skipped, ${json} has no readable ${unread.join(', ')}`);
      continue;
    }
    for (const file of files) {
      result.documents.push({ source: path.join(dir, file), file });
      result.rows.push(
        [file, 'invoice_number', 'text', values.invoice_number!],
        [file, 'invoice_date', 'date', values.invoice_date!],
        [file, 'total', 'currency', values.total!.toFixed(2)],
        [file, 'vendor', 'text', values.vendor!],
        [file, 'currency', 'text', values.currency!],
      );
    }
  }
  return result;
}

/** SROIE's data/: `key/<n>.json` (company, date, total) for the receipt `img/<n>.jpg`, receipts `from` to `to`. */
export async function convertSroie(dir: string, range: { from?: number; to?: number } = {}): Promise<Converted> {
  const images = new Set(await readdir(path.join(dir, 'img')));
  const result: Converted = { documents: [], rows: [], skipped: [] };
  for (const json of (await readdir(path.join(dir, 'key'))).filter((name) => name.endsWith('.json')).sort()) {
    const base = json.slice(0, -'.json'.length);
    const number = Number(base);
    if (!/^\d+$/.test(base) || (range.from !== undefined && number < range.from) || (range.to !== undefined && number > range.to)) continue;
    const image = [...images].find((name) => name.startsWith(`${base}.`) && DOCUMENT_TYPES.includes(path.extname(name).toLowerCase()));
    if (!image) {
      result.skipped.push(`key/${json}: no image img/${base}.jpg`);
      continue;
    }
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(await readFile(path.join(dir, 'key', json), 'utf8')) as Record<string, unknown>;
    } catch (error) {
      result.skipped.push(`${image}: skipped, key/${json} is not JSON (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const vendor = textValue(record.company);
    const date = readDate(record.date);
    const total = readAmount(record.total);
    const unread = [vendor === null && 'company', date === null && `date ${JSON.stringify(record.date ?? null)}`, total === null && `total ${JSON.stringify(record.total ?? null)}`].filter(Boolean);
    if (unread.length > 0) {
      result.skipped.push(`${image}: skipped, no readable ${unread.join(', ')}`);
      continue;
    }
    result.documents.push({ source: path.join(dir, 'img', image), file: image });
    result.rows.push([image, 'invoice_date', 'date', date!], [image, 'total', 'currency', total!.toFixed(2)], [image, 'vendor', 'text', vendor!]);
  }
  return result;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

export function truthCsv(rows: readonly TruthRow[]): string {
  return `${[['file', 'field', 'type', 'value'], ...rows].map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { invoice2data: { type: 'string' }, sroie: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } } });
  if (!values.out || Boolean(values.invoice2data) === Boolean(values.sroie)) {
    throw new Error('usage: npm run bench:real-sets -- (--invoice2data <tests/compare dir> | --sroie <data dir> [--from N] [--to M]) --out <folder>');
  }
  const converted = values.invoice2data
    ? await convertInvoice2data(path.resolve(values.invoice2data))
    : await convertSroie(path.resolve(values.sroie!), { ...(values.from ? { from: Number(values.from) } : {}), ...(values.to ? { to: Number(values.to) } : {}) });
  const out = path.resolve(values.out);
  await mkdir(out, { recursive: true });
  for (const { source, file } of converted.documents) await copyFile(source, path.join(out, file));
  await writeFile(path.join(out, 'truth.csv'), truthCsv(converted.rows));
  for (const line of converted.skipped) console.log(line);
  console.log(`${converted.documents.length} documents and ${converted.rows.length} truth rows in ${out} (truth.csv), ${converted.skipped.length} skipped`);
  console.log(`measure: npm run bench:extraction -- --dir ${out} --truth ${path.join(out, 'truth.csv')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
