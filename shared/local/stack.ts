import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import express from 'express';
import { createApiApp } from '../../functions/api/app.js';
import { loadCorsSettings } from '../../functions/api/cors.js';
import { oauthCallbackHandler } from '../../functions/oauth-callback/handler.js';
import { createAuthenticator } from '../auth/identity.js';
import { LocalBlobStore } from '../blobs/local.js';
import { serveLocalBlobs } from '../blobs/local-server.js';
import { loadDatabaseConfig, type DatabaseConfig } from '../db/config.js';
import { openDatabase, type DatabaseHandle } from '../db/connect.js';
import { migrateIfBehind } from '../db/migrate.js';
import { createLogger } from '../log.js';
import { runCleanup } from '../maintenance/cleanup.js';
import type { MessageName } from '../messaging/contracts.js';
import { pubsubHandler, tasksHandler } from '../messaging/edge.js';
import { createLocalDispatcher } from '../messaging/local-dispatcher.js';
import type { Platform } from '../platform.js';
import { stageHandler, stageHandlers } from '../stages.js';
import { localKeyringSource } from '../secrets/keyring-source.js';
import { closeOcr } from '../extraction/ocr.js';
import { localStackExtractor } from './extractor.js';
import { seedDemoAccount, startGoogleDouble } from './google/index.js';
import { consoleRouter } from './console.js';
import { localSecret } from './secret-file.js';
import { localWebhookSettings } from '../webhooks/settings.js';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

async function samplePdfs(): Promise<{ name: string; bytes: Buffer }[]> {
  const dir = fileURLToPath(new URL('./samples/', import.meta.url));
  const names = (await readdir(dir)).filter((n) => n.endsWith('.pdf')).sort();
  return Promise.all(names.map(async (name) => ({ name, bytes: await readFile(path.join(dir, name)) })));
}

export interface LocalStackOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  /** Seconds between outbox / stuck-task sweeps. */
  sweepSeconds?: number;
  /** Port of the simulated Google account; 0 picks a free one. */
  googlePort?: number;
  env?: NodeJS.ProcessEnv;
  /** A migrated database to use as it is (tests); otherwise the configured one (DATABASE_URL or PGlite in the data folder). */
  database?: DatabaseHandle;
}

export interface LocalStack {
  url: string;
  /** Which engine extracts, and whether documents leave the machine. */
  extraction: string;
  /** The simulated Google account's URL. */
  googleUrl: string;
  /** Which database it uses, for the banner: "PostgreSQL postgres://user@host:5432/db", "PGlite in .data/pglite". */
  databaseLabel: string;
  platform: Platform;
  close(): Promise<void>;
}

/**
 * The whole pipeline in one process, with no Google account: every HTTP function under
 * its own path on one port, the in-process dispatcher delivering messages to the same
 * stage handlers Cloud Functions run, PGlite (or DATABASE_URL), blobs in a folder, and
 * the local extractor (or Gemini with EXTRACTOR=gemini, `./extractor.ts`).
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const env = options.env ?? process.env;
  const dataDir = path.resolve(options.dataDir ?? env.DATA_DIR ?? '.data');
  const host = options.host ?? env.HOST ?? '127.0.0.1';
  const log = createLogger('local-stack');
  // First, so a bad setting stops the stack before it opens anything; files are read at extraction time.
  const extraction = await localStackExtractor(env, (uri) => blobs.readAll(uri));

  const dbConfig = loadDatabaseConfig({ ...env, DATA_DIR: dataDir });
  // The database opens (and PGlite migrates) once the server answers; api requests wait for it.
  let openDb!: () => void;
  const opening = new Promise<void>((resolve) => (openDb = resolve)).then(async () => {
    if (options.database) return options.database;
    if (dbConfig.kind === 'pglite') await embeddedDatabaseCreated(dbConfig.dataDir);
    const db = await openDatabase(dbConfig);
    // PGlite migrates itself, once: a database already at the latest migration is not migrated again.
    if (dbConfig.kind === 'pglite') await migrateIfBehind(db);
    return db;
  });
  opening.catch(() => {});

  // The server listens first (the blob links need its URL). A request that arrives before
  // the app exists (the double, the keys) waits for it rather than hanging unanswered; once
  // attached, the console page answers while the database is still opening, and api
  // requests wait for it.
  let attach!: (app: RequestListener) => void;
  const attached = new Promise<RequestListener>((resolve) => (attach = resolve));
  const server = createServer((req, res) => {
    attached.then((app) => app(req, res), () => res.destroy());
  });
  server.listen(options.port ?? Number(env.PORT ?? 8080), host);
  await once(server, 'listening');
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;

  const blobs = new LocalBlobStore({ root: path.join(dataDir, 'blobs'), linkBaseUrl: `${url}/blobs`, linkSecret: await localSecret(dataDir, 'link-secret') });
  // A clearly labelled simulated Google account (Drive, Gmail, OAuth) for connections.
  const google = await startGoogleDouble({ port: options.googlePort ?? Number(env.GOOGLE_DOUBLE_PORT ?? 0) });
  seedDemoAccount(google.state, await samplePdfs());
  const dispatcher = createLocalDispatcher();
  const [stateSecret, tokenKeyring] = await Promise.all([localSecret(dataDir, 'oauth-state-secret'), localKeyringSource({ dataDir }).loadKeyring()]);
  const ready: Promise<Platform> = opening.then((database) => ({
    database,
    bus: dispatcher,
    blobs,
    extractor: extraction.extractor,
    authenticate: createAuthenticator({ mode: 'development' }, env),
    google: {
      clientId: 'local-client-id',
      clientSecret: 'local-client-secret',
      redirectUri: `${url}/oauth-callback`,
      endpoints: google.endpoints,
      stateSecret,
      frontendUrl: env.FRONTEND_URL ?? `${url}/connected`,
      gmailEnabled: (env.GMAIL_ENABLED ?? 'true') === 'true',
      gmailWatchTopic: 'projects/local/topics/gmail-watch',
      tokenKeyring: async () => tokenKeyring,
    },
    defaultModel: extraction.defaultModel,
    workerId: `local-${randomUUID().slice(0, 8)}`,
    log,
    webhooks: localWebhookSettings(env),
  }));
  ready.catch(() => {});
  for (const [name, handler] of Object.entries(stageHandlers)) {
    dispatcher.subscribe(name as MessageName, async (message) => handler!(await ready, message as never));
  }

  const app = express();
  const getPlatform = () => ready;
  app.get('/healthz', (_req, res) => res.json({ ok: true }));
  // The frontend's landing page when FRONTEND_URL is not the console: it shows the outcome and, after consent,
  // what the real frontend does next with its own ID token (README, "connect the simulated account").
  app.get('/connected', (req, res) => res.json({
    outcome: req.query,
    ...(req.query.status === 'consented' ? { next: 'POST /api/v1/integrations/google/complete {"code":"<code above>"} as the user who started connecting' } : {}),
  }));
  app.use(consoleRouter({ googleUrl: google.url }));
  // Its own pages (the console) and whatever FRONTEND_ORIGINS adds may call the api from a browser.
  const cors = loadCorsSettings({ FRONTEND_ORIGINS: env.FRONTEND_ORIGINS });
  app.use('/api', createApiApp(getPlatform, { frontendOrigins: [...new Set([url, ...cors.frontendOrigins])] }));
  app.get('/oauth-callback', oauthCallbackHandler(getPlatform));
  app.use('/blobs', serveLocalBlobs(blobs));
  app.post('/extraction', express.json(), tasksHandler('extraction', async (task, delivery) => stageHandler('extraction')(await ready, task, delivery.signal)));
  app.post('/cleanup', async (_req, res) => res.json(await runCleanup(await ready)));
  // A Pub/Sub push of the Gmail watch topic (`{ message: { data }, subscription }`), as Cloud Functions receives it.
  const gmailPush = pubsubHandler('gmail.notification', async (message) => stageHandler('gmail.notification')(await ready, message));
  app.post('/gmail-push', express.json(), async (req, res) => {
    try {
      await gmailPush({ data: req.body } as Parameters<typeof gmailPush>[0]);
      res.status(204).end();
    } catch {
      res.status(500).send('Failed');
    }
  });
  // Writing to the simulated inbox (the double's /local/mailbox) on the stack's own port, for curl and the console.
  app.post('/local/mailbox/:address/messages', async (req, res, next) => {
    try {
      const answer = await fetch(`${google.url}${req.originalUrl}`, {
        method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: Readable.toWeb(req) as ReadableStream, duplex: 'half',
      } as RequestInit);
      res.status(answer.status).type(answer.headers.get('content-type') ?? 'application/json').send(Buffer.from(await answer.arrayBuffer()));
    } catch (error) {
      next(error);
    }
  });
  // The double's mailbox notifies its watch as Gmail would publish to the watch topic.
  google.state.gmail.onWatchNotification((n) => {
    dispatcher.publish('gmail.notification', { emailAddress: n.emailAddress, historyId: String(n.historyId) })
      .catch((error) => log.warn('gmail watch notification not delivered', { error }));
  });
  attach(app);
  openDb();

  let platform: Platform;
  try {
    platform = await ready;
  } catch (error) {
    await google.close();
    server.close();
    throw error;
  }
  const database = platform.database;
  // Whatever a previous run left unrelayed (it was stopped mid-way) goes out now.
  await runCleanup(platform, { outboxAgeSeconds: 0 });
  const sweep = setInterval(() => {
    runCleanup(platform).catch((error) => log.warn('sweep failed', { error }));
  }, (options.sweepSeconds ?? 15) * 1000);
  sweep.unref();

  return {
    url,
    extraction: extraction.description,
    googleUrl: google.url,
    databaseLabel: options.database ? `the given ${options.database.engine} database` : describeDatabase(dbConfig),
    platform,
    close: async () => {
      await google.close();
      clearInterval(sweep);
      server.close();
      server.closeAllConnections();
      await dispatcher.drain().catch(() => {});
      await dispatcher.close();
      await database.close();
      // The OCR worker thread, if a scan started one (shared/extraction/ocr.ts).
      await closeOcr();
    },
  };
}

/**
 * Waits for the PGlite cluster `npm start`'s launcher (./launch.mjs) is creating in a
 * worker thread in `pgliteDir`, if it is: the first start's initdb runs beside the loading
 * of the stack instead of before its first query.
 */
async function embeddedDatabaseCreated(pgliteDir: string): Promise<void> {
  const aside = (globalThis as Record<symbol, unknown>)[Symbol.for('bytereview.pglite-created')] as { dataDir: string; created: Promise<void> } | undefined;
  if (aside && path.resolve(aside.dataDir) === path.resolve(pgliteDir)) await aside.created;
}

/** The database a config points at, without its password: what the banner shows. */
export function describeDatabase(config: DatabaseConfig): string {
  switch (config.kind) {
    case 'postgres': {
      const u = new URL(config.url);
      u.password = '';
      return `PostgreSQL ${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}`;
    }
    case 'cloud-sql':
      return `Cloud SQL ${config.instanceConnectionName}/${config.database}`;
    case 'pglite': {
      const relative = path.relative(process.cwd(), config.dataDir);
      return `PGlite in ${relative && !relative.startsWith('..') ? relative : config.dataDir}`;
    }
  }
}
