import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Cloud Storage JSON API double: a real HTTP server on 127.0.0.1 that the real
 * `@google-cloud/storage` client talks to (`new Storage({ apiEndpoint: double.url })`).
 * It implements what the blob store uses: multipart, media and resumable uploads
 * (initiate, then one or many PUTs with Content-Range), object metadata, alt=media
 * downloads (with x-goog-hash, so the client's CRC32C check runs), DELETE and list.
 * Objects live in memory; every request is recorded.
 */
export interface GcsDouble {
  url: string;
  requests: RecordedRequest[];
  /** Body bytes received so far over all requests, counted as they arrive. */
  bytesReceived(): number;
  object(bucket: string, name: string): StoredObject | undefined;
  put(bucket: string, name: string, bytes: Buffer, contentType?: string): StoredObject;
  close(): Promise<void>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  bucket?: string;
  name?: string;
  /** The stored object's content type, for uploads that completed in this request. */
  contentType?: string;
}

export interface StoredObject {
  bucket: string;
  name: string;
  bytes: Buffer;
  contentType: string;
  metadata: Record<string, string>;
  generation: number;
  created: Date;
}

interface UploadSession {
  bucket: string;
  name: string;
  contentType: string;
  metadata: Record<string, string>;
  chunks: Buffer[];
  received: number;
}

export async function startGcsDouble(): Promise<GcsDouble> {
  const objects = new Map<string, StoredObject>();
  const sessions = new Map<string, UploadSession>();
  const requests: RecordedRequest[] = [];
  let bytesReceived = 0;
  let generation = 1_700_000_000_000_000;

  const key = (bucket: string, name: string) => `${bucket}\u0000${name}`;
  const store = (bucket: string, name: string, bytes: Buffer, contentType: string, metadata: Record<string, string>) => {
    const stored = { bucket, name, bytes, contentType, metadata, generation: ++generation, created: new Date() };
    objects.set(key(bucket, name), stored);
    return stored;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://double');
    const query = Object.fromEntries(url.searchParams);
    const record: RecordedRequest = { method: req.method ?? '', path: url.pathname, query, headers: req.headers };
    requests.push(record);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      bytesReceived += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        route(req, res, url, record, Buffer.concat(chunks));
      } catch (error) {
        sendError(res, 500, 'internalError', String(error));
      }
    });
  });

  function route(req: IncomingMessage, res: ServerResponse, url: URL, record: RecordedRequest, body: Buffer): void {
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    const object = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
    const list = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    const uploadType = url.searchParams.get('uploadType');
    if (upload && req.method === 'POST' && uploadType === 'multipart') {
      const bucket = decodeURIComponent(upload[1]!);
      const [metaPart, dataPart] = multipartParts(req.headers['content-type'] ?? '', body);
      const meta = JSON.parse(metaPart?.body.toString('utf8') ?? '{}') as ObjectMetaInput;
      const name = url.searchParams.get('name') ?? meta.name ?? '';
      const contentType = meta.contentType ?? dataPart?.contentType ?? 'application/octet-stream';
      const stored = store(bucket, name, dataPart?.body ?? Buffer.alloc(0), contentType, meta.metadata ?? {});
      Object.assign(record, { bucket, name, contentType });
      return sendJson(res, 200, resource(stored));
    }
    if (upload && req.method === 'POST' && uploadType === 'media') {
      const bucket = decodeURIComponent(upload[1]!);
      const name = url.searchParams.get('name') ?? '';
      const contentType = req.headers['content-type'] ?? 'application/octet-stream';
      Object.assign(record, { bucket, name, contentType });
      return sendJson(res, 200, resource(store(bucket, name, body, contentType, {})));
    }
    if (upload && req.method === 'POST' && uploadType === 'resumable') {
      const bucket = decodeURIComponent(upload[1]!);
      const meta = (body.length ? JSON.parse(body.toString('utf8')) : {}) as ObjectMetaInput;
      const name = url.searchParams.get('name') ?? meta.name ?? '';
      const contentType = header(req, 'x-upload-content-type') ?? meta.contentType ?? 'application/octet-stream';
      const id = randomUUID();
      sessions.set(id, { bucket, name, contentType, metadata: meta.metadata ?? {}, chunks: [], received: 0 });
      Object.assign(record, { bucket, name });
      res.setHeader('Location', `${double.url}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${id}`);
      return sendJson(res, 200, {});
    }
    if (upload && req.method === 'PUT' && url.searchParams.has('upload_id')) {
      const session = sessions.get(url.searchParams.get('upload_id')!);
      if (!session) return sendError(res, 404, 'notFound', 'No such upload session');
      Object.assign(record, { bucket: session.bucket, name: session.name });
      const range = /^bytes (?:\*|(\d+)-(\d+|\*))\/(\d+|\*)$/.exec(header(req, 'content-range') ?? 'bytes 0-*/*');
      if (!range) return sendError(res, 400, 'invalid', 'Bad Content-Range');
      const start = range[1] === undefined ? session.received : Number(range[1]);
      const fresh = body.subarray(Math.max(0, session.received - start));
      session.chunks.push(fresh);
      session.received += fresh.length;
      const total = range[3] === '*' ? undefined : Number(range[3]);
      const streamedToEnd = range[2] === '*';
      // `bytes N-*/*` is the client streaming the rest in this one request: its end is the end.
      if ((total !== undefined && session.received >= total) || streamedToEnd) {
        sessions.delete(url.searchParams.get('upload_id')!);
        const stored = store(session.bucket, session.name, Buffer.concat(session.chunks), session.contentType, session.metadata);
        record.contentType = stored.contentType;
        return sendJson(res, 200, resource(stored));
      }
      if (session.received > 0) res.setHeader('Range', `bytes=0-${session.received - 1}`);
      res.writeHead(308).end();
      return;
    }
    if (list && req.method === 'GET') {
      const bucket = decodeURIComponent(list[1]!);
      const prefix = url.searchParams.get('prefix') ?? '';
      record.bucket = bucket;
      const items = [...objects.values()]
        .filter((o) => o.bucket === bucket && o.name.startsWith(prefix))
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .map(resource);
      return sendJson(res, 200, { kind: 'storage#objects', items });
    }
    if (object) {
      const bucket = decodeURIComponent(object[1]!);
      const name = decodeURIComponent(object[2]!);
      Object.assign(record, { bucket, name });
      const stored = objects.get(key(bucket, name));
      if (!stored) return sendError(res, 404, 'notFound', `No such object: ${bucket}/${name}`);
      if (req.method === 'DELETE') {
        objects.delete(key(bucket, name));
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'GET' && url.searchParams.get('alt') === 'media') {
        res.writeHead(200, {
          'Content-Type': stored.contentType,
          'Content-Length': String(stored.bytes.length),
          'x-goog-hash': `crc32c=${crc32c(stored.bytes)},md5=${md5(stored.bytes)}`,
          'x-goog-stored-content-encoding': 'identity',
          'x-goog-generation': String(stored.generation),
        });
        res.end(stored.bytes);
        return;
      }
      if (req.method === 'GET') return sendJson(res, 200, resource(stored));
    }
    sendError(res, 501, 'notImplemented', `The GCS double does not implement ${req.method} ${url.pathname}`);
  }

  function resource(o: StoredObject) {
    const path = `${encodeURIComponent(o.bucket)}/o/${encodeURIComponent(o.name)}`;
    return {
      kind: 'storage#object',
      id: `${o.bucket}/${o.name}/${o.generation}`,
      selfLink: `${double.url}/storage/v1/b/${path}`,
      mediaLink: `${double.url}/download/storage/v1/b/${path}?generation=${o.generation}&alt=media`,
      name: o.name,
      bucket: o.bucket,
      generation: String(o.generation),
      metageneration: '1',
      contentType: o.contentType,
      size: String(o.bytes.length),
      md5Hash: md5(o.bytes),
      crc32c: crc32c(o.bytes),
      storageClass: 'STANDARD',
      timeCreated: o.created.toISOString(),
      updated: o.created.toISOString(),
      ...(Object.keys(o.metadata).length ? { metadata: o.metadata } : {}),
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const double: GcsDouble = {
    url: `http://127.0.0.1:${port}`,
    requests,
    bytesReceived: () => bytesReceived,
    object: (bucket, name) => objects.get(key(bucket, name)),
    put: (bucket, name, bytes, contentType = 'application/octet-stream') => store(bucket, name, bytes, contentType, {}),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return double;
}

interface ObjectMetaInput {
  name?: string;
  contentType?: string;
  metadata?: Record<string, string>;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Splits a multipart/related body into parts (headers are only read for Content-Type). */
function multipartParts(contentType: string, body: Buffer): { contentType?: string; body: Buffer }[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new Error(`multipart upload without boundary: ${contentType}`);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { contentType?: string; body: Buffer }[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const afterDelimiter = at + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', afterDelimiter);
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd);
    const headers = body.subarray(afterDelimiter, headerEnd).toString('utf8');
    const partType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
    parts.push({ ...(partType ? { contentType: partType } : {}), body: body.subarray(headerEnd + 4, next) });
    at = next === -1 ? -1 : next + 2;
  }
  return parts;
}

function md5(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('base64');
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC32C (Castagnoli), base64 of the big-endian value, as GCS reports it. */
function crc32c(bytes: Buffer): string {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out.toString('base64');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, reason: string, message: string): void {
  sendJson(res, status, { error: { code: status, message, errors: [{ reason, message, domain: 'global' }] } });
}
