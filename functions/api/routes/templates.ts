import { defineRoute, type Route } from '../../../shared/http/route.js';
import { z } from '../../../shared/http/zod.js';
import { createTemplate, deleteTemplate, findTemplate, listTemplates, updateTemplate } from '../../../shared/jobs/templates.js';
import type { Platform } from '../../../shared/platform.js';
import { fieldInput, template, uuid } from '../schemas.js';

const params = z.object({ templateId: uuid });

export function templateRoutes(platform: () => Promise<Platform>): Route[] {
  const db = async () => (await platform()).database.db;
  return [
    defineRoute({
      method: 'post', path: '/v1/templates', tag: 'Templates', summary: 'Save a reusable list of fields',
      body: z.object({ name: z.string().trim().min(1).max(255), description: z.string().max(2000).nullish(), fields: z.array(fieldInput).min(1).max(200) }),
      status: 201, response: template, idempotent: true, versioned: true,
      handler: async ({ body, identity }) => createTemplate(await db(), identity.uid, body),
    }),
    defineRoute({
      method: 'get', path: '/v1/templates', tag: 'Templates', summary: 'List your templates and the public ones',
      status: 200, response: z.object({ items: z.array(template) }),
      handler: async ({ identity }) => ({ items: await listTemplates(await db(), identity.uid) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/templates/:templateId', tag: 'Templates', summary: 'Get a template',
      params, status: 200, response: template, errors: [404], versioned: true,
      handler: async ({ params: p, identity }) => findTemplate(await db(), identity.uid, p.templateId),
    }),
    defineRoute({
      method: 'patch', path: '/v1/templates/:templateId', tag: 'Templates', summary: 'Change one of your templates',
      params, body: z.object({ name: z.string().trim().min(1).max(255).optional(), description: z.string().max(2000).nullish(), fields: z.array(fieldInput).min(1).max(200).optional() }),
      status: 200, response: template, errors: [404], versioned: true,
      handler: async ({ params: p, body, identity, ifMatch }) => updateTemplate(await db(), identity.uid, p.templateId, body, ifMatch),
    }),
    defineRoute({
      method: 'delete', path: '/v1/templates/:templateId', tag: 'Templates', summary: 'Delete one of your templates',
      params, status: 204, errors: [404], versioned: true,
      handler: async ({ params: p, identity, ifMatch }) => deleteTemplate(await db(), identity.uid, p.templateId, ifMatch),
    }),
  ];
}
