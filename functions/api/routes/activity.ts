import { activityKinds } from '../../../shared/activity/activity.js';
import { listActivity, parseKindFilter } from '../../../shared/activity/list.js';
import { defineRoute, type Route } from '../../../shared/http/route.js';
import { cursorTimestamp, decodeCursor, encodeCursor, pageQuery } from '../../../shared/http/pagination.js';
import { z } from '../../../shared/http/zod.js';
import type { Platform } from '../../../shared/platform.js';
import { page, timestamp, uuid } from '../schemas.js';

const event = z.object({
  id: uuid,
  kind: z.enum(activityKinds),
  description: z.string().openapi({ description: 'What to show, e.g. "Google Drive sync completed - 37 files imported"' }),
  context: z.record(z.string(), z.unknown()).openapi({ description: 'Structured details (seed 001 §3), e.g. provider, connector_account_id, job_id' }),
  createdAt: timestamp,
}).openapi('ActivityEvent');

// `at` (an event's created_at) is what cursors carried before migration 000020; still accepted, unused.
const cursor = z.object({ seq: z.string().regex(/^\d{1,19}$/), at: cursorTimestamp.optional() });

export function activityRoutes(platform: () => Promise<Platform>): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/v1/activity', tag: 'Activity', summary: 'Your activity log, newest first, optionally filtered by kind',
      query: pageQuery.extend({
        kind: z.string().max(64).optional().openapi({ description: 'One kind (run_completed) or a prefix ending in _ (connector_)' }),
        kinds: z.string().max(1024).optional().openapi({ description: 'A comma list of kinds or prefixes; events matching any are listed' }),
      }),
      status: 200, response: page(event),
      handler: async ({ query, identity }) => {
        const kinds = parseKindFilter(query.kind, query.kinds);
        const after = decodeCursor(query.cursor, cursor);
        const db = (await platform()).database.db;
        const result = await listActivity(db, identity.uid, { kinds, limit: query.limit, ...(after ? { after: { seq: after.seq } } : {}) });
        return { items: result.items, nextCursor: result.next ? encodeCursor(result.next) : null };
      },
    }),
  ];
}
