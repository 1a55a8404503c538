import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalBlobStore } from '../../shared/blobs/local.js';
import { serveLocalBlobs } from '../../shared/blobs/local-server.js';
import type { TestPlatform } from './platform.js';

/**
 * Gives `platform` a local blob store whose signed links are served over real HTTP, so a
 * signed upload runs as a browser does it. Answers the clean-up.
 */
export async function serveSignedBlobLinks(platform: TestPlatform): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'br-links-'));
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const blobs = new LocalBlobStore({ root: dir, linkBaseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/blobs`, linkSecret: 'signed-links-test-secret-0123456789' });
  server.on('request', serveLocalBlobs(blobs));
  platform.blobs = blobs;
  return async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  };
}
