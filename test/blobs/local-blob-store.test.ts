import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../../shared/blobs/local.js';
import { describeBlobStoreContract } from './contract.js';

const secret = 'a-local-link-secret-for-tests';

/** Sum of the sizes of the files under `dir` (0 when it does not exist). */
async function folderBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  let total = 0;
  for (const entry of entries) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

describeBlobStoreContract('LocalBlobStore', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'br-blobs-'));
  const root = path.join(dataDir, 'blobs');
  return {
    store: new LocalBlobStore({ root, linkBaseUrl: 'http://127.0.0.1:1/blobs', linkSecret: secret }),
    bytesInFlight: () => folderBytes(path.join(root, '.tmp')),
    close: () => rm(dataDir, { recursive: true, force: true }),
  };
});

describe('LocalBlobStore on disk', () => {
  let sandbox: string;
  let root: string;
  let store: LocalBlobStore;
  beforeAll(async () => {
    sandbox = await mkdtemp(path.join(tmpdir(), 'br-blobs-sandbox-'));
    root = path.join(sandbox, 'data', 'blobs');
    store = new LocalBlobStore({ root, linkBaseUrl: 'http://127.0.0.1:1/blobs', linkSecret: secret });
  });
  afterAll(async () => rm(sandbox, { recursive: true, force: true }));

  it('an object is the file <root>/<bucket>/<name>, and its uri is that file', async () => {
    await store.write('uploads', 'users/u1/scan.pdf', Buffer.from('%PDF'), { contentType: 'application/pdf' });

    const file = path.join(root, 'uploads', 'users', 'u1', 'scan.pdf');
    expect(await readFile(file, 'utf8')).toBe('%PDF');
    expect(store.uri('uploads', 'users/u1/scan.pdf')).toBe(pathToFileURL(file).href);
    expect(store.uri('uploads', 'users/u1/scan.pdf')).toMatch(/^file:\/\/\//);
  });

  it('hostile names leave nothing outside the root, whatever the method', async () => {
    const hostile = ['../../escaped.txt', '../escaped.txt', 'a/../../../escaped.txt', '/tmp/escaped.txt', 'x\u0000/../../escaped.txt'];
    for (const name of hostile) {
      await expect(store.write('uploads', name, Buffer.from('pwned'), { contentType: 'text/plain' })).rejects.toThrow(/Invalid blob name/);
      await expect(store.delete('uploads', name)).rejects.toThrow(/Invalid blob name/);
      await expect(store.signedDownloadUrl('uploads', name, { expiresInSeconds: 60 })).rejects.toThrow(/Invalid blob name/);
    }

    expect(await readdir(sandbox, { recursive: true })).not.toContain('escaped.txt');
    expect((await readdir(sandbox, { recursive: true })).filter((p) => p.includes('escaped'))).toEqual([]);
  });

  it('readAll refuses a file URI outside the store, even one that exists', async () => {
    const outside = path.join(sandbox, 'secret.txt');
    await writeFile(outside, 'not a blob');

    await expect(store.readAll(pathToFileURL(outside).href)).rejects.toMatchObject({ code: 'invalid_blob_uri' });
    await expect(store.readAll(`${pathToFileURL(root).href}/uploads/..%2F..%2Fsecret.txt`)).rejects.toThrow();
    await expect(store.readAll('gs://bucket/name')).rejects.toMatchObject({ code: 'invalid_blob_uri' });
  });

  it('a name that would need a file to be a folder fails with a clear conflict error', async () => {
    await store.write('uploads', 'clash/file', Buffer.from('a file'), { contentType: 'text/plain' });

    await expect(store.write('uploads', 'clash/file/child', Buffer.from('b'), { contentType: 'text/plain' })).rejects.toMatchObject({
      code: 'blob_name_conflict',
    });
    expect(await store.exists('uploads', 'clash/file/child')).toBe(false);
  });

  it('a failed write leaves no temporary file behind', async () => {
    const writer = store.openWriteStream('exports', 'runs/r1/partial.csv', { contentType: 'text/csv' });
    await new Promise<void>((resolve) => writer.write('half a file', () => resolve()));
    writer.destroy(new Error('export crashed'));
    await expect(finished(writer)).rejects.toThrow('export crashed');

    expect(await folderBytes(path.join(root, '.tmp'))).toBe(0);
    expect(await store.exists('exports', 'runs/r1/partial.csv')).toBe(false);
  });

  it('refuses a link secret too short to sign with', () => {
    expect(() => new LocalBlobStore({ root, linkBaseUrl: 'http://127.0.0.1:1/blobs', linkSecret: 'short' })).toThrow(/at least 16/);
  });
});
