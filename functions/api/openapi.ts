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
  const noPlatform = () => Promise.reject(new Error('documentation only')) as Promise<Platform>;
  for (const route of apiRoutes(noPlatform)) registry.registerPath(routeConfig(route));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'ByteReview pipeline API', version: '1.0.0', description: 'Documents in, spreadsheets out. Every object is visible only to its owner; errors are `{ error: { code, message } }`.' },
    servers: [{ url: '/' }],
  });
}
