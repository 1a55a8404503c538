import { z } from 'zod';

/** Pages per window unless told (the EXTRACTION_WINDOW_PAGES setting; `page-windows.ts`). */
export const DEFAULT_WINDOW_PAGES = 20;

/**
 * The setting both platforms read (README "Settings"): pages per window, 2 to 500. Apart
 * from `page-windows.ts` so reading the configuration loads no PDF library.
 */
export const pageWindowEnv = z.object({
  EXTRACTION_WINDOW_PAGES: z.preprocess((value) => (value === '' ? undefined : value), z.coerce.number().int().min(2).max(500).default(DEFAULT_WINDOW_PAGES)),
});
