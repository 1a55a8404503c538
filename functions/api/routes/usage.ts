import { defineRoute, type Route } from '../../../shared/http/route.js';
import { z } from '../../../shared/http/zod.js';
import type { Platform } from '../../../shared/platform.js';
import { findUsage } from '../../../shared/usage/usage.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'must be a real date');
const counts = {
  runsStarted: z.number().int(),
  documentsProcessed: z.number().int(),
  pagesProcessed: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  exports: z.object({ download: z.number().int(), gdrive: z.number().int(), gmail: z.number().int() }),
  importedBytes: z.number().int(),
  apiRequests: z.number().int(),
};
const usage = z.object({
  from: z.string(),
  to: z.string(),
  days: z.array(z.object({ day: z.string(), ...counts }).openapi('UsageDay')),
  totals: z.object(counts),
}).openapi('Usage');

const dayBefore = (isoDay: string, days: number) => new Date(Date.parse(`${isoDay}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

export function usageRoutes(platform: () => Promise<Platform>): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/v1/usage', tag: 'Usage',
      summary: 'Your usage per UTC day: runs, documents and pages processed, model tokens, exports by destination, imported bytes, api requests',
      query: z.object({
        from: day.optional().openapi({ description: 'First day (UTC), 29 days before `to` when absent' }),
        to: day.optional().openapi({ description: 'Last day (UTC), today when absent' }),
      }),
      status: 200, response: usage,
      handler: async ({ query, identity }) => {
        const to = query.to ?? new Date().toISOString().slice(0, 10);
        const from = query.from ?? dayBefore(to, 29);
        return findUsage((await platform()).database.db, identity.uid, { from, to });
      },
    }),
  ];
}
