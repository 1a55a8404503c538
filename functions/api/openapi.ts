import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { routeConfig } from '../../shared/http/route.js';
import type { Platform } from '../../shared/platform.js';
import { apiRoutes } from './routes/index.js';

/** The OpenAPI 3.1 document of the `api` function, generated from the routes' zod schemas. */
export function buildOpenApiDocument(): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'firebase', {
    type: 'http', scheme: 'bearer', bearerFormat: 'JWT',
    description: 'A Firebase ID token. Outside production, `Bearer dev:<uid>` signs in as a development user.',
  });
  registry.registerComponent('headers', 'RequestId', {
    description: 'The id of this request: yours when you sent a well-formed X-Request-Id (1-128 of A-Z a-z 0-9 . _ : -), else a new one. Every log line of the request carries it',
    schema: { type: 'string' },
  });
  registry.registerComponent('headers', 'ETag', {
    description: 'The version of the object, e.g. "3": send it in If-Match to change or delete only that version',
    schema: { type: 'string' },
  });
  const noPlatform = () => Promise.reject(new Error('documentation only')) as Promise<Platform>;
  for (const route of apiRoutes(noPlatform)) registry.registerPath(routeConfig(route));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'ByteReview pipeline API', version: '1.0.0', description: 'Documents in, spreadsheets out. Every object is visible only to its owner; errors are `{ error: { code, message, requestId } }`. '
      + 'Every answer has an X-Request-Id. POSTs take an Idempotency-Key; jobs (with their fields), templates, automations and settings carry an ETag and take If-Match. '
      + 'Pages on the origins in FRONTEND_ORIGINS may call the api from a browser (CORS).' },
    servers: [{ url: '/' }],
  });
}
