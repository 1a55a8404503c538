/**
 * Generates the held-out invoice set deterministically from a seed: document i takes style
 * i mod 12 (`styles.ts`) in that style's language with the fewest documents so far, its
 * own faker and PRNG seeds, and is written as a text PDF (a line or a word per text object,
 * in reading order or not) or, for one document in four, as a scan (`render.ts`). Nothing generated is committed: the bench writes the set to a temporary
 * directory each time (`npm run bench:holdout -- --keep <dir>` keeps it, with truth.json).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fakerDE, fakerEN_GB, fakerES, fakerFR, fakerNL, type Faker } from '@faker-js/faker';
import { Random, type HoldoutDocument, type Lang } from './model.js';
import { renderScanPdf, renderTextPdf, type TextPdfOptions } from './render.js';
import { STYLES } from './styles.js';

const FAKERS: Record<Lang, Faker> = { en: fakerEN_GB, de: fakerDE, fr: fakerFR, nl: fakerNL, es: fakerES };

export interface GeneratedDocument extends HoldoutDocument {
  bytes: Uint8Array;
  /** How a text PDF's text objects were written (`render.ts`). */
  text?: TextPdfOptions;
}

/** Builds the documents (pages, truth, PDF bytes) without writing them. */
/**
 * `scans: false` prints every document as a text PDF; `only` keeps the documents of one kind
 * (the others are not rendered), so a text-only run scores the same text PDFs as a full one.
 */
export async function generateHoldout(options: { seed: number; count: number; scans?: boolean; only?: 'text' | 'scan' }): Promise<GeneratedDocument[]> {
  const documents: GeneratedDocument[] = [];
  const perLang = new Map<Lang, number>();
  for (let i = 0; i < options.count; i++) {
    const style = STYLES[i % STYLES.length]!;
    const round = Math.floor(i / STYLES.length);
    // The style's language with the fewest documents so far (ties: rotating with the round), so the five stay balanced.
    const rotated = style.langs.map((_, k) => style.langs[(k + round + options.seed) % style.langs.length]!);
    const lang = rotated.reduce((best, candidate) => ((perLang.get(candidate) ?? 0) < (perLang.get(best) ?? 0) ? candidate : best));
    perLang.set(lang, (perLang.get(lang) ?? 0) + 1);
    const docSeed = (options.seed * 1_000_003 + i * 7919) >>> 0;
    const faker = FAKERS[lang];
    faker.seed(docSeed);
    const built = style.build({ rng: new Random(docSeed), lang, faker });
    // One in four is a scan, rotating over the styles from round to round.
    const kind = options.scans !== false && (i + round) % 4 === 3 ? 'scan' : 'text';
    if (options.only && kind !== options.only) continue;
    const file = `${String(i + 1).padStart(3, '0')}-${style.name.replace(/[^A-Za-z]+/g, '-').toLowerCase()}-${lang}-${kind}.pdf`;
    const title = `${style.name} ${built.printed.invoice_number}`;
    const producer = new Random(docSeed ^ 0x5bd1e995);
    const text: TextPdfOptions = { words: producer.chance(1 / 3), order: producer.pick(['reading', 'reading', 'right-first', 'bottom-up'] as const) };
    const bytes = kind === 'text' ? await renderTextPdf(built.sheet.pages, title, text) : await renderScanPdf(built.sheet.pages, title, docSeed);
    documents.push({ file, style: style.name, lang, kind, pages: built.sheet.pages, truth: built.truth, printed: built.printed, bytes, ...(kind === 'text' ? { text } : {}) });
  }
  return documents;
}

/** Writes the PDFs and a truth.json beside them; returns the documents. */
export async function writeHoldout(dir: string, options: { seed: number; count: number; only?: 'text' | 'scan' }): Promise<GeneratedDocument[]> {
  const documents = await generateHoldout(options);
  for (const document of documents) await writeFile(path.join(dir, document.file), document.bytes);
  const truth = documents.map(({ file, style, lang, kind, text, truth, printed }) => ({ file, style, lang, kind, text, truth, printed }));
  await writeFile(path.join(dir, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
  return documents;
}
