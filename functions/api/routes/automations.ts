import {
  createAutomation, deleteAutomation, getAutomation, listAutomationRuns, listAutomations, updateAutomation,
} from '../../../shared/automations/automations.js';
import { exportDestinations, exportFileTypes } from '../../../shared/export-runs/exports.js';
import { defineRoute, type Route } from '../../../shared/http/route.js';
import { z } from '../../../shared/http/zod.js';
import type { Platform } from '../../../shared/platform.js';
import { timestamp, uuid, version } from '../schemas.js';

const params = z.object({ automationId: uuid });
const mimeType = z.string().trim().min(3).max(255).regex(/^[\w.+-]+\/[\w.+-]+$/, 'a MIME type');

const trigger = z.object({
  query: z.string().trim().min(1).max(1000).openapi({ description: 'A Gmail search, e.g. `from:vendor@example.com has:attachment`' }),
  mimeTypes: z.array(mimeType).max(50).optional().openapi({ description: 'Attachment types that fire the automation; any attachment when empty' }),
}).openapi('AutomationTrigger');

const exportSpec = z.object({
  destType: z.enum(exportDestinations),
  fileType: z.enum(exportFileTypes),
  folderId: z.string().trim().min(1).max(200).optional(),
  to: z.email().optional(),
}).openapi('AutomationExport');

const automation = z.object({
  id: uuid,
  name: z.string(),
  isEnabled: z.boolean(),
  jobId: uuid,
  accountId: uuid.nullable(),
  triggerType: z.string(),
  trigger: z.object({ query: z.string(), mimeTypes: z.array(z.string()) }),
  export: z.object({ destType: z.enum(exportDestinations), fileType: z.enum(exportFileTypes), folderId: z.string().optional(), to: z.string().optional() }).nullable(),
  lastFiredAt: timestamp.nullable(),
  version,
  createdAt: timestamp,
  updatedAt: timestamp,
}).openapi('Automation');

const automationRun = z.object({
  id: uuid,
  status: z.enum(['pending', 'completed', 'failed']),
  runId: uuid.nullable(),
  error: z.string().nullable(),
  triggeredAt: timestamp,
  completedAt: timestamp.nullable(),
}).openapi('AutomationRun');

const name = z.string().trim().min(1).max(255);

/** Automations (seed 000 §3.6): a Gmail trigger that chains import -> run -> export for one of the user's jobs. */
export function automationRoutes(platform: () => Promise<Platform>): Route[] {
  const db = async () => (await platform()).database.db;
  return [
    defineRoute({
      method: 'post', path: '/v1/automations', tag: 'Automations',
      summary: 'Create an automation: Gmail messages matching the query, with a matching attachment, are imported into the job, run, and exported',
      body: z.object({ name, jobId: uuid, accountId: uuid, trigger, export: exportSpec.optional() }),
      status: 201, response: automation, errors: [403, 404, 422], idempotent: true, versioned: true,
      handler: async ({ body, identity }) => {
        const p = await platform();
        return createAutomation(p.database.db, identity.uid, body, { gmailEnabled: p.google.gmailEnabled });
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/automations', tag: 'Automations', summary: "The user's automations, newest first",
      status: 200, response: z.object({ items: z.array(automation) }),
      handler: async ({ identity }) => ({ items: await listAutomations(await db(), identity.uid) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/automations/:automationId', tag: 'Automations', summary: 'One automation',
      params, status: 200, response: automation, errors: [404], versioned: true,
      handler: async ({ params, identity }) => getAutomation(await db(), identity.uid, params.automationId),
    }),
    defineRoute({
      method: 'patch', path: '/v1/automations/:automationId', tag: 'Automations',
      summary: 'Change an automation: turn it on or off (`isEnabled`), rename it, or change its job, account, trigger or export (`export: null` removes it)',
      params,
      body: z.object({
        name: name.optional(), isEnabled: z.boolean().optional(), jobId: uuid.optional(), accountId: uuid.optional(),
        trigger: trigger.optional(), export: exportSpec.nullable().optional(),
      }),
      status: 200, response: automation, errors: [403, 404, 409, 422], versioned: true,
      handler: async ({ params, body, identity, ifMatch }) => {
        const p = await platform();
        return updateAutomation(p.database.db, identity.uid, params.automationId, body, { gmailEnabled: p.google.gmailEnabled, ifMatch });
      },
    }),
    defineRoute({
      method: 'delete', path: '/v1/automations/:automationId', tag: 'Automations', summary: 'Delete an automation and its history (runs and exports it made stay)',
      params, status: 204, errors: [404], versioned: true,
      handler: async ({ params, identity, ifMatch }) => deleteAutomation(await db(), identity.uid, params.automationId, ifMatch),
    }),
    defineRoute({
      method: 'get', path: '/v1/automations/:automationId/runs', tag: 'Automations',
      summary: 'What the automation fired, newest first (up to 100): status, the run it started, the error',
      params, status: 200, response: z.object({ items: z.array(automationRun) }), errors: [404],
      handler: async ({ params, identity }) => ({ items: await listAutomationRuns(await db(), identity.uid, params.automationId) }),
    }),
  ];
}
