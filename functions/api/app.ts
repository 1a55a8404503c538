import express, { type Express, type Request } from 'express';
import { sql } from 'kysely';
import { HttpError } from '../../shared/errors.js';
import { upsertUser } from '../../shared/jobs/jobs.js';
import { requestIds } from '../../shared/http/request-id.js';
import { answerErrors, mountRoutes, type Identity } from '../../shared/http/route.js';
import type { Platform } from '../../shared/platform.js';
import { corsFor, type CorsSettings } from './cors.js';
import { buildOpenApiDocument } from './openapi.js';
import { apiRoutes } from './routes/index.js';

/**
 * The `api` function as an express app: the frontend's endpoints under /v1, the OpenAPI
 * document at /openapi.json. Every route authenticates the caller and sees only their data;
 * every answer has an `X-Request-Id`; pages on `cors.frontendOrigins` may call it.
 */
export function createApiApp(platform: () => Promise<Platform>, settings: CorsSettings = { frontendOrigins: [] }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const routes = apiRoutes(platform);
  app.use(requestIds());
  app.use((req, res, next) => {
    // Answers are one user's and change (signed links, progress): no browser or proxy keeps them.
    res.set('Cache-Control', 'no-store');
    // One line per refused or failed request, with its request id (from the log context), for support.
    res.on('finish', () => {
      if (res.statusCode < 400) return;
      const fields = { method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, code: res.locals.errorCode, requestId: res.getHeader('X-Request-Id') };
      void platform().then((p) => p.log.warn('api request refused', fields), () => {});
    });
    next();
  });
  app.use(corsFor(settings, [...new Set(['GET', 'HEAD', ...routes.map((r) => r.method.toUpperCase())])]));
  app.use(express.json({ limit: '1mb' }));

  const knownUsers = new Set<string>();
  const authenticate = async (req: Request): Promise<Identity> => {
    const p = await platform();
    const identity = await p.authenticate(req.headers.authorization);
    // One upsert per user per process: the users row exists before anything refers to it.
    if (!knownUsers.has(identity.uid)) {
      await upsertUser(p.database.db, identity);
      knownUsers.add(identity.uid);
    }
    return identity;
  };

  // The deploy's smoke call (cloudbuild.yaml): the function starts, and its database user
  // can log in and read. No caller identity, no detail on failure.
  app.get('/healthz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      await sql`SELECT 1`.execute((await platform()).database.db);
      res.json({ status: 'ok' });
    } catch (error) {
      void platform().then((p) => p.log.error('health check failed', { error }), () => console.error('health check failed', error));
      res.status(503).json({ status: 'unavailable' });
    }
  });

  let document: object | undefined;
  app.get('/openapi.json', (_req, res) => {
    document ??= buildOpenApiDocument();
    res.json(document);
  });
  const router = express.Router();
  mountRoutes(router, routes, { authenticate, database: async () => (await platform()).database.db });
  app.use(router);
  app.use((_req, _res, next) => next(new HttpError(404, 'not_found', 'No such endpoint')));
  app.use(answerErrors((message, error) => {
    void platform().then((p) => p.log.error(message, { error }), () => console.error(message, error));
  }));
  return app;
}
