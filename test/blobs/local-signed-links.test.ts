import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../../shared/blobs/local.js';
import { serveLocalBlobs } from '../../shared/blobs/local-server.js';

const secret = 'a-local-link-secret-for-tests';

interface ErrorBody {
  error: { code: string; message: string };
}

describe('local signed links served by serveLocalBlobs over HTTP', () => {
  let dataDir: string;
  let server: Server;
  let store: LocalBlobStore;
  let clock = Date.parse('2030-01-01T00:00:00Z');

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'br-links-'));
    let serve: ReturnType<typeof serveLocalBlobs> = (_req, res) => res.end();
    server = createServer((req, res) => serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    store = new LocalBlobStore({ root: path.join(dataDir, 'blobs'), linkBaseUrl: `http://127.0.0.1:${port}/blobs`, linkSecret: secret, now: () => clock });
    serve = serveLocalBlobs(store);
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a download link serves the bytes with their content type as an attachment named for the user', async () => {
    await store.write('exports', 'runs/r1/export-1.csv', Buffer.from('a,b\n1,2\n'), { contentType: 'text/csv' });
    const url = await store.signedDownloadUrl('exports', 'runs/r1/export-1.csv', { expiresInSeconds: 3600, filename: 'Factures été "2024".csv' });

    const response = await fetch(url);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Factures _t_ _2024_.csv"; filename*=UTF-8''Factures%20%C3%A9t%C3%A9%20%222024%22.csv`,
    );
    expect(await response.text()).toBe('a,b\n1,2\n');
  });

  it('an expired link is refused with 403 and says it expired', async () => {
    await store.write('exports', 'runs/r1/old.csv', Buffer.from('x'), { contentType: 'text/csv' });
    const url = await store.signedDownloadUrl('exports', 'runs/r1/old.csv', { expiresInSeconds: 60 });

    clock += 61_000;
    const response = await fetch(url);

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: 'link_expired', message: expect.stringMatching(/^The link expired at 2030-01-01T/) } });
  });

  it.each([
    ['another object name', (u: URL) => (u.pathname = u.pathname.replace('mine.csv', 'theirs.csv'))],
    ['another bucket', (u: URL) => (u.pathname = u.pathname.replace('/exports/', '/uploads/'))],
    ['a later expiry', (u: URL) => u.searchParams.set('X-Expires', String(Number(u.searchParams.get('X-Expires')) + 86_400))],
    ['a forged signature', (u: URL) => u.searchParams.set('X-Signature', '0'.repeat(64))],
    ['no signature', (u: URL) => u.searchParams.delete('X-Signature')],
  ])('a link altered to %s is refused with 403 as tampered', async (_label, alter) => {
    await store.write('exports', 'runs/r2/mine.csv', Buffer.from('mine'), { contentType: 'text/csv' });
    await store.write('exports', 'runs/r2/theirs.csv', Buffer.from('theirs'), { contentType: 'text/csv' });
    await store.write('uploads', 'runs/r2/mine.csv', Buffer.from('upload'), { contentType: 'text/csv' });
    const url = new URL(await store.signedDownloadUrl('exports', 'runs/r2/mine.csv', { expiresInSeconds: 600 }));
    alter(url);

    const response = await fetch(url);

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: 'link_tampered', message: expect.stringMatching(/signature does not match/) } });
  });

  it('a link whose path climbs out of the store names no object and is refused', async () => {
    const url = await store.signedDownloadUrl('exports', 'runs/r1/export-1.csv', { expiresInSeconds: 600 });
    const climbing = url.replace('/exports/runs/r1/export-1.csv', '/exports/..%2F..%2F..%2Fetc%2Fpasswd');

    const response = await fetch(climbing);

    expect(response.status).toBe(403);
    expect(((await response.json()) as ErrorBody).error.code).toBe('link_invalid');
  });

  it('an upload link takes the GCS resumable route: POST start answers 201 with a Location to PUT the bytes to', async () => {
    const upload = await store.signedUploadUrl('uploads', 'users/u1/files/f9/report.pdf', { contentType: 'application/pdf', maxBytes: 1024, expiresInSeconds: 900 });
    expect(upload).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/pdf', 'x-goog-resumable': 'start' } });

    const started = await fetch(upload.url, { method: upload.method, headers: upload.headers });
    expect(started.status).toBe(201);
    const session = started.headers.get('location')!;
    const put = await fetch(session, { method: 'PUT', body: '%PDF-1.7 uploaded' });

    expect(put.status).toBe(200);
    expect(await text(store.read('uploads', 'users/u1/files/f9/report.pdf'))).toBe('%PDF-1.7 uploaded');
    expect(await store.stat('uploads', 'users/u1/files/f9/report.pdf')).toMatchObject({ contentType: 'application/pdf', size: 17 });
  });

  it('starting an upload with another content type than the link allows is refused', async () => {
    const upload = await store.signedUploadUrl('uploads', 'users/u1/files/f10/a.pdf', { contentType: 'application/pdf', expiresInSeconds: 900 });

    const started = await fetch(upload.url, { method: 'POST', headers: { ...upload.headers, 'content-type': 'text/html' } });

    expect(started.status).toBe(403);
    expect(((await started.json()) as ErrorBody).error.message).toBe('This link uploads application/pdf only');
  });

  it('an upload over maxBytes gets 413 and stores nothing, whether its length is declared or streamed', async () => {
    const name = 'users/u1/files/f11/huge.pdf';
    const upload = await store.signedUploadUrl('uploads', name, { contentType: 'application/pdf', maxBytes: 100_000, expiresInSeconds: 900 });

    const declared = await fetch(upload.url, { method: 'PUT', body: Buffer.alloc(100_001) });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as ErrorBody).error.message).toBe('The upload is larger than the 100000 bytes this link allows');

    async function* chunks() {
      for (let i = 0; i < 40; i++) yield Buffer.alloc(16 * 1024, i);
    }
    const streamed = await fetch(upload.url, { method: 'PUT', body: ReadableStream.from(chunks()), duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);

    expect(await store.exists('uploads', name)).toBe(false);
    expect(await readdir(path.join(store.root, '.tmp'))).toEqual([]);
  });

  it('a download link cannot upload and an upload link cannot download', async () => {
    await store.write('exports', 'runs/r3/out.csv', Buffer.from('keep me'), { contentType: 'text/csv' });
    const download = await store.signedDownloadUrl('exports', 'runs/r3/out.csv', { expiresInSeconds: 600 });
    const upload = await store.signedUploadUrl('exports', 'runs/r3/out.csv', { contentType: 'text/csv', expiresInSeconds: 600 });

    expect((await fetch(download, { method: 'PUT', body: 'overwritten' })).status).toBe(403);
    expect((await fetch(upload.url)).status).toBe(403);
    expect(await text(store.read('exports', 'runs/r3/out.csv'))).toBe('keep me');
  });

  it('a link lifetime beyond seven days is refused when the link is made', async () => {
    await expect(store.signedDownloadUrl('exports', 'runs/r1/export-1.csv', { expiresInSeconds: 604_801 })).rejects.toMatchObject({
      code: 'invalid_link_lifetime',
    });
  });
});

describe('serveLocalBlobs mounted in an express app', () => {
  it('serves download links under the mount path', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'br-links-express-'));
    const app = express();
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const store = new LocalBlobStore({ root: dataDir, linkBaseUrl: `http://127.0.0.1:${port}/blobs/`, linkSecret: secret });
    app.use('/blobs', serveLocalBlobs(store));
    try {
      await store.write('exports', 'runs/r1/x.csv', Buffer.from('via express'), { contentType: 'text/csv' });
      const response = await fetch(await store.signedDownloadUrl('exports', 'runs/r1/x.csv', { expiresInSeconds: 60 }));

      expect(response.status).toBe(200);
      expect(await response.text()).toBe('via express');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
