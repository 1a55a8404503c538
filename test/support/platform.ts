import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BlobStore } from '../../shared/blobs/blob-store.js';
import { LocalBlobStore } from '../../shared/blobs/local.js';
import { HttpError } from '../../shared/errors.js';
import type { Extractor } from '../../shared/extraction/types.js';
import { silentLogger } from '../../shared/log.js';
import { createLocalDispatcher, type LocalDispatcher } from '../../shared/messaging/local-dispatcher.js';
import type { MessageName } from '../../shared/messaging/contracts.js';
import type { Platform } from '../../shared/platform.js';
import { stageHandlers } from '../../shared/stages.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { randomBytes } from 'node:crypto';
import type { GoogleEndpoints } from '../../shared/google/settings.js';

export interface TestPlatform extends Platform {
  dispatcher: LocalDispatcher;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * A whole platform for a test: its own migrated database, blobs in a temporary folder,
 * the in-process dispatcher wired to the real stage handlers, and the extractor given.
 */
export async function createTestPlatform(options: {
  extractor: Extractor; duplicateDelivery?: boolean; maxAttempts?: number; googleEndpoints?: GoogleEndpoints;
  /** A database of the test's own (it is closed with the platform); a fresh migrated one otherwise. */
  database?: TestDatabase;
  /** Another blob store (the GCS one on its double, for gs:// URIs); a temporary folder otherwise. */
  blobs?: BlobStore;
}): Promise<TestPlatform> {
  const database = options.database ?? await createTestDatabase();
  const dir = await mkdtemp(path.join(tmpdir(), 'br-blobs-'));
  const blobs = options.blobs ?? new LocalBlobStore({ root: dir, linkBaseUrl: 'http://127.0.0.1:1/blobs', linkSecret: 'test-link-secret-0123456789' });
  const dispatcher = createLocalDispatcher({
    duplicateDelivery: options.duplicateDelivery,
    maxAttempts: options.maxAttempts ?? 5,
    backoff: () => 5,
    log: () => {},
  });
  const tokenKeyring = { activeKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) };
  const platform: TestPlatform = {
    database,
    bus: dispatcher,
    blobs,
    extractor: options.extractor,
    google: {
      clientId: 'test-client-id',
      clientSecret: 'test-client-secret',
      redirectUri: 'http://127.0.0.1:1/oauth-callback',
      endpoints: options.googleEndpoints,
      stateSecret: randomBytes(32).toString('base64url'),
      frontendUrl: 'http://frontend.test/integrations',
      gmailEnabled: true,
      gmailWatchTopic: 'projects/test/topics/gmail-watch',
      tokenKeyring: async () => tokenKeyring,
    },
    defaultModel: 'test-model',
    workerId: 'test-worker',
    log: silentLogger,
    dispatcher,
    authenticate: async (header) => {
      const match = /^Bearer dev:([A-Za-z0-9_.@-]{1,128})$/.exec(header ?? '');
      if (!match) throw new HttpError(401, 'unauthenticated', 'Sign in first');
      return { uid: match[1]! };
    },
    close: async () => {
      await dispatcher.close();
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  for (const [name, handler] of Object.entries(stageHandlers)) {
    dispatcher.subscribe(name as MessageName, (message) => handler!(platform, message as never));
  }
  return platform;
}
