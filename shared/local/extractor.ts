import { z } from 'zod';
import { optionalString, parseEnv } from '../config.js';
import { DEFAULT_OCR_LANGUAGES, DEFAULT_OCR_MAX_PAGES } from '../extraction/document-text.js';
import { createLocalExtractor, LOCAL_ENGINE } from '../extraction/local.js';
import { OCR_LANGUAGE_CODES, type OcrLanguage } from '../extraction/ocr.js';
import { pageWindowEnv } from '../extraction/page-window-settings.js';
import { withPageWindows } from '../extraction/page-windows.js';
import type { Extractor } from '../extraction/types.js';

const unsetIsDefault = (value: unknown) => (value === '' ? undefined : value);

const localExtractionEnv = z
  .object({
    EXTRACTOR: z.preprocess(unsetIsDefault, z.enum(['local', 'gemini']).default('local')),
    GOOGLE_API_KEY: optionalString,
    GOOGLE_CLOUD_PROJECT: optionalString,
    VERTEX_LOCATION: z.preprocess(unsetIsDefault, z.string().min(1).default('us-central1')),
    GEMINI_MODEL: z.preprocess(unsetIsDefault, z.string().min(1).default('gemini-2.5-flash')),
    VERTEX_BASE_URL: z.preprocess(unsetIsDefault, z.url().optional()),
    OCR_LANGUAGES: z.preprocess(
      unsetIsDefault,
      z
        .string()
        .default(DEFAULT_OCR_LANGUAGES.join('+'))
        .transform((value) => value.split('+').map((code) => code.trim()))
        .pipe(z.array(z.enum(OCR_LANGUAGE_CODES)).min(1, 'name at least one language')),
    ),
    OCR_MAX_PAGES: z.preprocess(unsetIsDefault, z.coerce.number().int().min(1).max(2000).default(DEFAULT_OCR_MAX_PAGES)),
  })
  .extend(pageWindowEnv.shape)
  .refine((env) => env.EXTRACTOR !== 'gemini' || env.GOOGLE_API_KEY || env.GOOGLE_CLOUD_PROJECT, {
    path: ['EXTRACTOR'],
    message: 'EXTRACTOR=gemini needs GOOGLE_API_KEY (a Vertex AI express-mode key) or GOOGLE_CLOUD_PROJECT with Application Default Credentials',
  });

export interface LocalStackExtractor {
  extractor: Extractor;
  /** The model a run uses unless the user's settings name another. */
  defaultModel: string;
  /** One line for the start-up banner: which engine reads the documents, and where they go. */
  description: string;
}

/**
 * The local stack's extractor, from its environment (README "Settings"): the local
 * extractor unless `EXTRACTOR=gemini`, which sends each document's bytes inline to Gemini
 * on Vertex AI (no bucket locally) with an express-mode API key (`GOOGLE_API_KEY`) or a
 * project and Application Default Credentials (`GOOGLE_CLOUD_PROJECT`), at
 * `VERTEX_BASE_URL` when set. The Gemini client is imported only then. The local
 * extractor OCRs scans and images in `OCR_LANGUAGES` (`fra+spa+deu+nld+eng`), at most
 * `OCR_MAX_PAGES` pages a file.
 */
export async function localStackExtractor(env: NodeJS.ProcessEnv, readFile: (uri: string) => Promise<Buffer>): Promise<LocalStackExtractor> {
  const e = parseEnv(localExtractionEnv, env);
  const windows = { readFile, windowPages: e.EXTRACTION_WINDOW_PAGES };
  if (e.EXTRACTOR === 'local') {
    const ocr = { languages: e.OCR_LANGUAGES as OcrLanguage[], maxPages: e.OCR_MAX_PAGES };
    return { extractor: withPageWindows(createLocalExtractor({ readFile, ocr }), windows), defaultModel: LOCAL_ENGINE, description: `local extractor (${LOCAL_ENGINE}): documents stay on this machine` };
  }
  const { createGeminiExtractor } = await import('../extraction/gemini.js');
  const shared = { readFile, citations: true, ...(e.VERTEX_BASE_URL ? { baseUrl: e.VERTEX_BASE_URL } : {}) };
  const extractor = e.GOOGLE_API_KEY
    ? createGeminiExtractor({ apiKey: e.GOOGLE_API_KEY, ...shared })
    : createGeminiExtractor({ project: e.GOOGLE_CLOUD_PROJECT!, location: e.VERTEX_LOCATION, ...shared });
  const who = e.GOOGLE_API_KEY ? 'an express-mode API key' : `project ${e.GOOGLE_CLOUD_PROJECT} in ${e.VERTEX_LOCATION}`;
  const where = e.VERTEX_BASE_URL ?? 'Vertex AI';
  return {
    extractor: withPageWindows(extractor, windows),
    defaultModel: e.GEMINI_MODEL,
    description: `Gemini (${e.GEMINI_MODEL}) with ${who}: each document's bytes are SENT TO ${where}`,
  };
}
