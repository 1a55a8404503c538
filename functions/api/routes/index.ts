import type { Route } from '../../../shared/http/route.js';
import type { Platform } from '../../../shared/platform.js';
import { activityRoutes } from './activity.js';
import { automationRoutes } from './automations.js';
import { exportRoutes } from './exports.js';
import { fileRoutes } from './files.js';
import { importRoutes } from './imports.js';
import { integrationRoutes } from './integrations.js';
import { jobRoutes } from './jobs.js';
import { runRoutes } from './runs.js';
import { settingsRoutes } from './settings.js';
import { templateRoutes } from './templates.js';
import { usageRoutes } from './usage.js';
import { webhookRoutes } from './webhooks.js';

/** Every route of the `api` function; the OpenAPI document is generated from this list. */
export function apiRoutes(platform: () => Promise<Platform>): Route[] {
  return [...jobRoutes(platform), ...templateRoutes(platform), ...fileRoutes(platform), ...runRoutes(platform), ...exportRoutes(platform), ...settingsRoutes(platform), ...integrationRoutes(platform), ...activityRoutes(platform), ...importRoutes(platform), ...automationRoutes(platform), ...usageRoutes(platform), ...webhookRoutes(platform)];
}
