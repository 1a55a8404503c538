import { defineRoute, type Route } from '../../../shared/http/route.js';
import { z } from '../../../shared/http/zod.js';
import type { Platform } from '../../../shared/platform.js';
import { findSettings, updateSettings } from '../../../shared/settings/settings.js';
import { version } from '../schemas.js';

const settings = z.object({
  maxUploadBytes: z.number().int().min(1).max(1024 * 1024 * 1024),
  exportRetentionDays: z.number().int().min(1).max(365),
  activityRetentionDays: z.number().int().min(1).max(3650),
  modelName: z.string().min(1).max(100).nullable(),
  customSystemPrompt: z.string().max(20_000).nullable(),
});
const settingsView = settings.extend({ version: version.openapi({ description: 'Bumped by every change (0: never changed); also the ETag. Send it back in If-Match to change only this version' }) }).openapi('Settings');

export function settingsRoutes(platform: () => Promise<Platform>): Route[] {
  const db = async () => (await platform()).database.db;
  return [
    defineRoute({
      method: 'get', path: '/v1/settings', tag: 'Settings', summary: 'Your settings: upload limit, retention, model, custom system prompt',
      status: 200, response: settingsView, versioned: true,
      handler: async ({ identity }) => findSettings(await db(), identity.uid),
    }),
    defineRoute({
      method: 'patch', path: '/v1/settings', tag: 'Settings', summary: 'Change some of your settings',
      body: settings.partial(), status: 200, response: settingsView, versioned: true,
      handler: async ({ body, identity, ifMatch }) => updateSettings(await db(), identity.uid, body, ifMatch),
    }),
  ];
}
