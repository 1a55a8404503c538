import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../functions/api/openapi.js';
import { consoleApiTypes } from '../../functions/api/openapi-types.js';

it('functions/api/openapi.json is what the route schemas generate (run npm run openapi after changing a route)', async () => {
  const committed = JSON.parse(await readFile(new URL('../../functions/api/openapi.json', import.meta.url), 'utf8'));
  expect(committed).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
});

it('documents every endpoint with its error shape and a Firebase bearer scheme', () => {
  const doc = buildOpenApiDocument() as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>>; components: { securitySchemes: Record<string, unknown> } };
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
    '/v1/jobs', '/v1/jobs/{jobId}', '/v1/jobs/{jobId}/files', '/v1/jobs/{jobId}/files/uploads', '/v1/jobs/{jobId}/files/{fileId}/finalize',
    '/v1/jobs/{jobId}/runs', '/v1/runs/{runId}', '/v1/runs/{runId}/cancel', '/v1/runs/{runId}/retry', '/v1/runs/{runId}/results',
    '/v1/operations/{operationId}', '/v1/templates', '/v1/templates/{templateId}', '/v1/settings',
    '/v1/runs/{runId}/tasks', '/v1/integrations/google/complete',
  ]));
  expect(doc.paths['/v1/jobs/{jobId}/runs']!.post!.responses).toHaveProperty('202');
  expect(doc.paths['/v1/jobs/{jobId}/files']!.post!.responses).toHaveProperty('413');
  expect(doc.components.securitySchemes).toHaveProperty('firebase');
});

it('console/src/api-types.ts, the console\'s typed client, is what openapi-typescript makes of the document (run npm run openapi)', async () => {
  const committed = await readFile(new URL('../../console/src/api-types.ts', import.meta.url), 'utf8');
  expect(committed).toBe(await consoleApiTypes(buildOpenApiDocument()));
});
