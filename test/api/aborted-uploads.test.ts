import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import type { LocalBlobStore } from '../../shared/blobs/local.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { sleep } from '../support/wait.js';
import { rawRequest } from './raw-http.js';

/**
 * Uploads cut off at several byte offsets, by a client that disconnects and by a body that
 * simply ends early, while another user uploads: the other upload succeeds, the process
 * goes on serving, and no temporary file, object or row is left behind.
 */

const boundary = 'cutcutcut';
const pdfBody = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(256 * 1024, 0x41), Buffer.from('\n%%EOF\n')]);
const form = (bytes: Buffer, filename = 'a.pdf') => Buffer.concat([
  Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`),
  bytes, Buffer.from(`\r\n--${boundary}--\r\n`),
]);
const whole = form(pdfBody);
/** Inside the part headers, just after them, within the first sniffed bytes, mid-file, just before the closing boundary. */
const offsets = [20, 130, 1000, 100_000, whole.length - 10];

let platform: TestPlatform;
let server: Server;
let port: number;
let aliceJob: string;
let bobJob: string;

beforeAll(async () => {
  platform = await createTestPlatform({ extractor: scriptedExtractor() });
  server = createServer(createApiApp(async () => platform));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  const create = async (user: string) => {
    const answer = await rawRequest('POST', `http://127.0.0.1:${port}/v1/jobs`, { headers: { authorization: `Bearer dev:${user}`, 'content-type': 'application/json' }, body: Buffer.from('{"name":"Uploads"}') });
    return (answer.json as { id: string }).id;
  };
  aliceJob = await create('alice');
  bobJob = await create('bob');
});
afterAll(async () => {
  server?.close();
  await platform?.close();
});

/** Sends the request head and the first `offset` bytes of `body`, then disconnects or ends the body there. */
async function cutUpload(offset: number, how: 'disconnect' | 'truncate'): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const sent = whole.subarray(0, offset);
  // A truncated body declares exactly what it sends: HTTP is complete, the form is not.
  const length = how === 'truncate' ? sent.length : whole.length;
  socket.write(`POST /v1/jobs/${aliceJob}/files HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer dev:alice\r\n`
    + `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`);
  socket.write(sent);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {});
  if (how === 'disconnect') {
    await sleep(30);
    socket.destroy();
    return '';
  }
  await once(socket, 'close');
  return Buffer.concat(chunks).toString('utf8');
}

async function leftovers(): Promise<{ tmp: string[]; objects: string[] }> {
  const root = (platform.blobs as LocalBlobStore).root;
  const list = async (dir: string) => (await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return { tmp: await list(path.join(root, '.tmp')), objects: (await list(path.join(root, 'uploads'))).filter((f) => f.includes(`${path.sep}alice${path.sep}`)) };
}

describe('uploads cut off mid-body', () => {
  for (const how of ['disconnect', 'truncate'] as const) {
    it.each(offsets)(`a client that ${how === 'disconnect' ? 'disconnects' : 'ends the body'} after %i bytes harms nobody and leaves nothing behind`, async (offset) => {
      const bobUpload = rawRequest('POST', `http://127.0.0.1:${port}/v1/jobs/${bobJob}/files`, {
        headers: { authorization: 'Bearer dev:bob', 'content-type': `multipart/form-data; boundary=${boundary}` }, body: form(pdfBody, 'bob.pdf'),
      });
      const [answer, bob] = await Promise.all([cutUpload(offset, how), bobUpload]);
      expect(bob.status, bob.text).toBe(201);
      if (how === 'truncate') {
        expect(answer).toMatch(/^HTTP\/1\.1 400 /);
        expect(answer).toContain('"code":"invalid_upload"');
      }
      // The cut request's clean-up is asynchronous when the client went away: wait for it.
      const deadline = Date.now() + 10_000;
      let left = await leftovers();
      while ((left.tmp.length > 0 || left.objects.length > 0) && Date.now() < deadline) {
        await sleep(50);
        left = await leftovers();
      }
      expect(left).toEqual({ tmp: [], objects: [] });
      const rows = await platform.database.db.selectFrom('source_files').select('id').where('job_id', '=', aliceJob).execute();
      expect(rows).toEqual([]);
      const next = await rawRequest('GET', `http://127.0.0.1:${port}/v1/jobs/${aliceJob}/files`, { headers: { authorization: 'Bearer dev:alice' } });
      expect(next.status).toBe(200);
    });
  }

  it('the same body, whole, is stored (the cut-offs above are what fails)', async () => {
    const answer = await rawRequest('POST', `http://127.0.0.1:${port}/v1/jobs/${aliceJob}/files`, {
      headers: { authorization: 'Bearer dev:alice', 'content-type': `multipart/form-data; boundary=${boundary}` }, body: whole,
    });
    expect(answer.status, answer.text).toBe(201);
    expect(answer.json).toMatchObject({ filename: 'a.pdf', contentType: 'application/pdf', sizeBytes: pdfBody.length });
  });
});
