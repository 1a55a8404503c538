import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { attachmentDisposition } from './content-disposition.js';
import { SignedLinkError, type SignedLink } from './local-links.js';
import type { LocalBlobStore } from './local.js';

type Next = (error?: unknown) => void;

/**
 * A node:http (and express-compatible) request listener for the local store's signed
 * links, mounted at the store's `linkBaseUrl`:
 *  - GET/HEAD a download link: the bytes, with Content-Type and an attachment
 *    Content-Disposition;
 *  - POST an upload link with `x-goog-resumable: start`: 201 and a `Location` to PUT to
 *    (the GCS resumable protocol, so a browser client serves both stacks);
 *  - PUT (or POST without that header) an upload link: stores the body, 413 past maxBytes.
 * Expired or altered links get 403 with a message saying which.
 */
export function serveLocalBlobs(store: LocalBlobStore): (req: IncomingMessage, res: ServerResponse, next?: Next) => void {
  return (req, res, next) => {
    answer(store, req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else if (next) next(error);
      else reply(res, 500, 'internal', 'The blob store failed');
    });
  };
}

async function answer(store: LocalBlobStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'Location, Content-Disposition');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, PUT, POST');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Content-Range, X-Goog-Resumable, X-Goog-Content-Length-Range');
    res.writeHead(204).end();
    return;
  }
  const url = new URL((req as { originalUrl?: string }).originalUrl ?? req.url ?? '/', store.linkBaseUrl);
  let link: SignedLink;
  try {
    link = store.verifySignedLink(url);
  } catch (error) {
    if (error instanceof SignedLinkError) return reply(res, error.status, error.code, error.message);
    throw error;
  }
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      if (link.action !== 'download') return reply(res, 403, 'link_wrong_action', 'This link is for uploading, not downloading');
      return download(store, link, req, res);
    case 'POST':
    case 'PUT':
      if (link.action !== 'upload') return reply(res, 403, 'link_wrong_action', 'This link is for downloading, not uploading');
      if (req.method === 'POST' && req.headers['x-goog-resumable'] === 'start') return startUpload(store, link, url, req, res);
      return upload(store, link, req, res);
    default:
      res.setHeader('Allow', 'GET, HEAD, PUT, POST, OPTIONS');
      return reply(res, 405, 'method_not_allowed', `${req.method} is not supported on blob links`);
  }
}

async function download(store: LocalBlobStore, link: SignedLink, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const info = await store.stat(link.bucket, link.name);
  if (!info) return reply(res, 404, 'blob_not_found', 'The file is no longer available');
  res.writeHead(200, {
    'Content-Type': info.contentType,
    'Content-Length': String(info.size),
    'Content-Disposition': attachmentDisposition(link.filename ?? link.name.slice(link.name.lastIndexOf('/') + 1)),
    'Cache-Control': 'private, no-store',
  });
  if (req.method === 'HEAD') return void res.end();
  await pipeline(store.read(link.bucket, link.name), res);
}

function startUpload(store: LocalBlobStore, link: SignedLink, url: URL, req: IncomingMessage, res: ServerResponse): void {
  if (link.contentType !== undefined && req.headers['content-type'] !== link.contentType) {
    return reply(res, 403, 'link_content_type', `This link uploads ${link.contentType} only`);
  }
  req.resume();
  res.writeHead(201, { Location: `${store.linkBaseUrl}${url.pathname.slice(new URL(store.linkBaseUrl).pathname.replace(/\/$/, '').length)}${url.search}` });
  res.end();
}

async function upload(store: LocalBlobStore, link: SignedLink, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const limit = link.maxBytes ?? Number.POSITIVE_INFINITY;
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > limit) {
    req.resume();
    return tooLarge(res, limit);
  }
  const contentType = link.contentType ?? req.headers['content-type'] ?? 'application/octet-stream';
  const writer = store.openWriteStream(link.bucket, link.name, { contentType });
  // The request is piped, not put in the pipeline: a failed upload must not destroy the
  // socket before the 413 is written.
  const limiter = new ByteLimit(limit);
  req.once('close', () => {
    if (!req.complete) limiter.destroy(new Error('The upload was interrupted'));
  });
  req.pipe(limiter);
  try {
    await pipeline(limiter, writer);
  } catch (error) {
    req.unpipe(limiter);
    req.resume();
    if (error instanceof TooLargeError) return tooLarge(res, limit);
    throw error;
  }
  const info = await store.stat(link.bucket, link.name);
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ bucket: link.bucket, name: link.name, size: info?.size, contentType, md5Hash: info?.md5 }));
}

class TooLargeError extends Error {}

/** Passes bytes through until `limit` is crossed, then fails the pipeline. */
class ByteLimit extends Transform {
  #seen = 0;
  constructor(readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.limit) return callback(new TooLargeError());
    callback(null, chunk);
  }
}

function tooLarge(res: ServerResponse, limit: number): void {
  res.setHeader('Connection', 'close');
  reply(res, 413, 'blob_too_large', `The upload is larger than the ${limit} bytes this link allows`);
}

function reply(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ error: { code, message } }));
}
