import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GcsBlobStore } from '../../shared/blobs/gcs.js';
import { startGcsDouble, type GcsDouble } from '../doubles/gcs.js';
import { gcsStoreFor, signerEmail } from './gcs-store.js';

/** RFC 3986 encoding, as V4 canonical requests use it. */
const strict = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Rebuilds the V4 string-to-sign from the URL alone (Google's documented algorithm) and
 * checks the signature with the public key: nothing is sent to Google.
 */
function verifiesOffline(signedUrl: string, method: string, headers: Record<string, string>, publicKey: Parameters<typeof verify>[2]): boolean {
  const url = new URL(signedUrl);
  const query = [...url.searchParams].filter(([key]) => key !== 'X-Goog-Signature');
  const canonicalQuery = query
    .map(([key, value]) => [strict(key), strict(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const signed = url.searchParams.get('X-Goog-SignedHeaders')!.split(';');
  // The client library signs the host name without a port (the double listens on one).
  const all: Record<string, string> = { host: url.hostname, ...headers };
  const canonicalHeaders = signed.map((name) => `${name}:${all[name]}\n`).join('');
  const canonicalRequest = [method, url.pathname, canonicalQuery, canonicalHeaders, signed.join(';'), 'UNSIGNED-PAYLOAD'].join('\n');
  const credential = url.searchParams.get('X-Goog-Credential')!;
  const stringToSign = [
    'GOOG4-RSA-SHA256',
    url.searchParams.get('X-Goog-Date'),
    credential.slice(credential.indexOf('/') + 1),
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  return verify('RSA-SHA256', Buffer.from(stringToSign), publicKey, Buffer.from(url.searchParams.get('X-Goog-Signature')!, 'hex'));
}

describe('GcsBlobStore V4 signed URLs, checked offline', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { publicKey: strangerKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let double: GcsDouble;
  let store: GcsBlobStore;
  beforeAll(async () => {
    double = await startGcsDouble();
    store = gcsStoreFor(double, privateKey);
  });
  afterAll(async () => double?.close());

  it('a seven-day download URL is a V4 GET for the export, signed by the service account, as an attachment', async () => {
    const signed = await store.signedDownloadUrl('exports', 'runs/r1/Résultats 2024.csv', { expiresInSeconds: 604_800, filename: 'Résultats 2024.csv' });
    const url = new URL(signed);

    expect(url.pathname).toBe('/br-test-exports/runs/r1/R%C3%A9sultats%202024.csv');
    expect(url.searchParams.get('X-Goog-Algorithm')).toBe('GOOG4-RSA-SHA256');
    expect(url.searchParams.get('X-Goog-Expires')).toBe('604800');
    expect(url.searchParams.get('X-Goog-Credential')).toMatch(new RegExp(`^${signerEmail}/\\d{8}/auto/storage/goog4_request$`));
    expect(url.searchParams.get('X-Goog-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('X-Goog-Signature')).toMatch(/^[0-9a-f]{512}$/);
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="R_sultats 2024.csv"; filename*=UTF-8''R%C3%A9sultats%202024.csv`,
    );
    expect(verifiesOffline(signed, 'GET', {}, publicKey)).toBe(true);
    expect(verifiesOffline(signed, 'GET', {}, strangerKey)).toBe(false);
    expect(verifiesOffline(signed.replace('r1', 'r2'), 'GET', {}, publicKey)).toBe(false);
  });

  it('a download URL without a filename is offered under the object name', async () => {
    const url = new URL(await store.signedDownloadUrl('exports', 'runs/r1/results.xlsx', { expiresInSeconds: 3600 }));

    expect(url.searchParams.get('X-Goog-Expires')).toBe('3600');
    expect(url.searchParams.get('response-content-disposition')).toBe(`attachment; filename="results.xlsx"; filename*=UTF-8''results.xlsx`);
  });

  it('an upload URL starts a resumable upload, and the headers handed to the browser are exactly the signed ones', async () => {
    const upload = await store.signedUploadUrl('uploads', 'users/u1/files/f1/scan.pdf', {
      contentType: 'application/pdf',
      maxBytes: 25 * 1024 * 1024,
      expiresInSeconds: 900,
    });
    const url = new URL(upload.url);

    expect(upload.method).toBe('POST');
    expect(upload.headers).toEqual({
      'content-type': 'application/pdf',
      'x-goog-resumable': 'start',
      'x-goog-content-length-range': '0,26214400',
    });
    expect(url.pathname).toBe('/br-test-uploads/users/u1/files/f1/scan.pdf');
    expect(url.searchParams.get('X-Goog-SignedHeaders')).toBe('content-type;host;x-goog-content-length-range;x-goog-resumable');
    expect(verifiesOffline(upload.url, 'POST', upload.headers, publicKey)).toBe(true);
    expect(verifiesOffline(upload.url, 'POST', { ...upload.headers, 'x-goog-content-length-range': '0,999999999' }, publicKey)).toBe(false);
    expect(verifiesOffline(upload.url, 'PUT', upload.headers, publicKey)).toBe(false);
  });

  it('signing talks to no server, not even the storage endpoint', async () => {
    const before = double.requests.length;
    await store.signedDownloadUrl('exports', 'a.csv', { expiresInSeconds: 60 });
    await store.signedUploadUrl('uploads', 'b.pdf', { contentType: 'application/pdf', expiresInSeconds: 60 });

    expect(double.requests.length).toBe(before);
  });

  it('a lifetime over seven days is refused before signing', async () => {
    await expect(store.signedDownloadUrl('exports', 'a.csv', { expiresInSeconds: 604_801 })).rejects.toMatchObject({ code: 'invalid_link_lifetime' });
  });
});
