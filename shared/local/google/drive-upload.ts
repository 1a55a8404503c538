import { randomBytes } from 'node:crypto';
import { fileResource, FOLDER_MIME, type DriveFile, type ResumableUpload } from './drive-state.js';
import { withFields } from './fields.js';
import { GoogleApiError, parseJsonBody, sendJson } from './http.js';
import { parseMultipart } from './multipart.js';
import type { Route, RouteContext } from './route.js';

const FILE_DEFAULT = 'kind,id,name,mimeType';

/** files.create: metadata only, and `uploadType=media|multipart|resumable` (with `Content-Range` chunks). */
export const driveUploadRoutes: Route[] = [
  { method: 'POST', pattern: /^\/drive\/v3\/files$/, api: 'drive', needs: 'drive.write', handle: createFromMetadata },
  // Resumable chunks are authorised by the session URI itself, as at Google.
  { method: ['PUT', 'POST'], pattern: /^\/upload\/drive\/v3\/files$/, api: 'drive', needs: (query) => (query.upload_id ? undefined : 'drive.write'), handle: upload },
];

function createFromMetadata(ctx: RouteContext): void {
  const metadata = parseJsonBody(ctx.body);
  const file = createFile(ctx, metadata, undefined, undefined);
  sendJson(ctx.res, 200, withFields(fileResource(file), ctx.query.fields, FILE_DEFAULT));
}

function upload(ctx: RouteContext): void {
  if (ctx.query.upload_id) return resumeUpload(ctx);
  const contentType = ctx.req.headers['content-type'] ?? 'application/octet-stream';
  switch (ctx.query.uploadType) {
    case 'multipart': {
      const [meta, media] = parseMultipart(ctx.body, contentType);
      if (!meta || !media) throw new GoogleApiError(400, 'badContent', 'Multipart body must have a metadata part and a media part.');
      const file = createFile(ctx, parseJsonBody(meta.body), media.body, media.headers['content-type']);
      return sendJson(ctx.res, 200, withFields(fileResource(file), ctx.query.fields, FILE_DEFAULT));
    }
    case 'media': {
      const file = createFile(ctx, {}, ctx.body, contentType);
      return sendJson(ctx.res, 200, withFields(fileResource(file), ctx.query.fields, FILE_DEFAULT));
    }
    case 'resumable':
      return initiateResumable(ctx);
    default:
      throw new GoogleApiError(400, 'invalid', `Invalid value '${ctx.query.uploadType ?? ''}' for uploadType.`);
  }
}

/** Starts a session: 200 with `Location: .../upload/drive/v3/files?uploadType=resumable&upload_id=...`. */
function initiateResumable(ctx: RouteContext): void {
  const id = `ADPycdu${randomBytes(24).toString('base64url')}`;
  const length = ctx.req.headers['x-upload-content-length'];
  const session: ResumableUpload = {
    id,
    metadata: parseJsonBody(ctx.body),
    contentType: header(ctx, 'x-upload-content-type'),
    totalLength: length === undefined ? undefined : Number(length),
    chunks: [],
    received: 0,
    fields: ctx.query.fields,
  };
  checkParents(ctx, session.metadata);
  ctx.state.drive.uploads.set(id, session);
  const location = new URL('/upload/drive/v3/files', ctx.baseUrl);
  location.searchParams.set('uploadType', 'resumable');
  location.searchParams.set('upload_id', id);
  ctx.res.writeHead(200, { location: location.toString(), 'x-guploader-uploadid': id, 'content-length': '0' });
  ctx.res.end();
}

/**
 * PUT to the session URI: the whole body, a `Content-Range: bytes a-b/total` chunk (308 with
 * `Range` until the last byte), or a status check `Content-Range: bytes *\/total`.
 */
function resumeUpload(ctx: RouteContext): void {
  const session = ctx.state.drive.uploads.get(ctx.query.upload_id!);
  if (!session) throw new GoogleApiError(404, 'notFound', 'Upload session not found or expired.');
  if (session.fileId) return finished(ctx, session);
  const range = header(ctx, 'content-range');
  if (range === undefined) {
    session.chunks = [ctx.body];
    session.received = ctx.body.length;
    session.totalLength = ctx.body.length;
    return complete(ctx, session);
  }
  const status = /^bytes \*\/(\d+|\*)$/.exec(range);
  const chunk = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(range);
  if (status) {
    if (status[1] !== '*') session.totalLength = Number(status[1]);
    if (session.totalLength === session.received) return complete(ctx, session);
    return incomplete(ctx, session);
  }
  if (!chunk) throw new GoogleApiError(400, 'badContent', `Failed to parse Content-Range header: ${range}`);
  const start = Number(chunk[1]);
  if (chunk[3] !== '*') session.totalLength = Number(chunk[3]);
  if (start > session.received) throw new GoogleApiError(400, 'badContent', `Content-Range starts at ${start} but ${session.received} bytes were received.`);
  const fresh = ctx.body.subarray(session.received - start);
  session.chunks.push(fresh);
  session.received += fresh.length;
  if (session.totalLength !== undefined && session.received >= session.totalLength) return complete(ctx, session);
  incomplete(ctx, session);
}

function incomplete({ res }: RouteContext, session: ResumableUpload): void {
  const headers: Record<string, string> = { 'content-length': '0', 'x-guploader-uploadid': session.id };
  if (session.received > 0) headers.range = `bytes=0-${session.received - 1}`;
  res.writeHead(308, headers);
  res.end();
}

function complete(ctx: RouteContext, session: ResumableUpload): void {
  const bytes = Buffer.concat(session.chunks);
  const file = createFile(ctx, session.metadata, bytes, session.contentType);
  session.fileId = file.id;
  session.chunks = [];
  finished(ctx, session);
}

function finished(ctx: RouteContext, session: ResumableUpload): void {
  const file = ctx.state.drive.get(session.fileId!)!;
  sendJson(ctx.res, 200, withFields(fileResource(file), ctx.query.fields ?? session.fields, FILE_DEFAULT));
}

/** Creates the file a create/upload request describes. */
function createFile(ctx: RouteContext, metadata: Record<string, unknown>, bytes: Buffer | undefined, mediaType: string | undefined): DriveFile {
  const parents = checkParents(ctx, metadata);
  const mimeType = stringOr(metadata.mimeType, mediaType ?? 'application/octet-stream');
  const common = {
    name: stringOr(metadata.name, 'Untitled'),
    parents,
    appProperties: stringMap(metadata.appProperties),
    properties: stringMap(metadata.properties),
  };
  const drive = ctx.state.drive;
  if (mimeType === FOLDER_MIME) return drive.addFolder(common);
  if (mimeType.startsWith('application/vnd.google-apps.')) {
    return drive.addGoogleDoc({ ...common, mimeType, text: bytes?.toString('utf8'), exportSizeBytes: bytes?.length });
  }
  return drive.addFile({ ...common, mimeType, bytes: bytes ?? Buffer.alloc(0) });
}

function checkParents(ctx: RouteContext, metadata: Record<string, unknown>): string[] | undefined {
  const parents = Array.isArray(metadata.parents) ? metadata.parents.map(String) : undefined;
  for (const id of parents ?? []) {
    const parent = ctx.state.drive.get(id);
    if (!parent) throw new GoogleApiError(404, 'notFound', `File not found: ${id}.`);
    if (parent.mimeType !== FOLDER_MIME) throw new GoogleApiError(403, 'cannotAddParent', 'A shared drive item or a non-folder cannot be a parent.');
  }
  return parents;
}

function header(ctx: RouteContext, name: string): string | undefined {
  const value = ctx.req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value ? value : fallback;
}

function stringMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
