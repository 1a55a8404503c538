import { compileDriveQuery, DriveQueryError } from './drive-query.js';
import { fileResource, FOLDER_MIME, SHORTCUT_MIME, type DriveFile } from './drive-state.js';
import { driveUploadRoutes } from './drive-upload.js';
import { withFields } from './fields.js';
import { GoogleApiError, intParam, sendBytes, sendJson } from './http.js';
import { renderTextPdf } from './pdf.js';
import type { Route, RouteContext } from './route.js';

/** Google's documented limit on exported Docs Editors files. */
export const EXPORT_LIMIT_BYTES = 10 * 1024 * 1024;

const FILE_DEFAULT = 'kind,id,name,mimeType';
const LIST_DEFAULT = 'kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)';
const CHANGES_DEFAULT = 'kind,nextPageToken,newStartPageToken,changes(kind,changeType,time,removed,fileId,file(kind,id,name,mimeType))';

/** Drive v3: about, files (list, get, media, export, create, delete) and changes. */
export const driveRoutes: Route[] = [
  { method: 'GET', pattern: /^\/drive\/v3\/about$/, api: 'drive', needs: 'drive.read', handle: about },
  { method: 'GET', pattern: /^\/drive\/v3\/files$/, api: 'drive', needs: 'drive.read', handle: listFiles },
  { method: 'GET', pattern: /^\/drive\/v3\/files\/([^/]+)$/, api: 'drive', needs: 'drive.read', handle: getFile },
  { method: 'DELETE', pattern: /^\/drive\/v3\/files\/([^/]+)$/, api: 'drive', needs: 'drive.write', handle: deleteFile },
  { method: 'GET', pattern: /^\/drive\/v3\/files\/([^/]+)\/export$/, api: 'drive', needs: 'drive.read', handle: exportFile },
  { method: 'GET', pattern: /^\/drive\/v3\/changes\/startPageToken$/, api: 'drive', needs: 'drive.read', handle: startPageToken },
  { method: 'GET', pattern: /^\/drive\/v3\/changes$/, api: 'drive', needs: 'drive.read', handle: listChanges },
  ...driveUploadRoutes,
];

/** The file named by the path, or Drive's 404. */
export function fileOr404(ctx: RouteContext): DriveFile {
  const id = ctx.params[0]!;
  const file = ctx.state.drive.get(id);
  if (!file) throw new GoogleApiError(404, 'notFound', `File not found: ${id}.`);
  return file;
}

function about({ account, query, res }: RouteContext): void {
  const body = { kind: 'drive#about', user: { kind: 'drive#user', displayName: account!.name, emailAddress: account!.email, me: true } };
  sendJson(res, 200, withFields(body, query.fields, 'kind,user'));
}

function listFiles({ query, state, res }: RouteContext): void {
  let predicate;
  try {
    predicate = compileDriveQuery(query.q ?? '', (id) => state.drive.get(id)?.id ?? id);
  } catch (error) {
    if (error instanceof DriveQueryError) throw new GoogleApiError(400, 'invalid', 'Invalid Value');
    throw error;
  }
  const pageSize = intParam(query.pageSize, 100, 1000, 'pageSize');
  const offset = decodePageToken(query.pageToken);
  const matching = sortFiles([...state.drive.files.values()].filter((f) => f.id !== state.drive.root.id && predicate(f)), query.orderBy);
  const page = matching.slice(offset, offset + pageSize);
  const body: Record<string, unknown> = { kind: 'drive#fileList', incompleteSearch: false, files: page.map(fileResource) };
  if (offset + pageSize < matching.length) body.nextPageToken = Buffer.from(JSON.stringify({ o: offset + pageSize })).toString('base64url');
  sendJson(res, 200, withFields(body, query.fields, LIST_DEFAULT));
}

function getFile(ctx: RouteContext): void {
  const file = fileOr404(ctx);
  if (ctx.query.alt === 'media') return download(ctx, file);
  sendJson(ctx.res, 200, withFields(fileResource(file), ctx.query.fields, FILE_DEFAULT));
}

/** `alt=media`: the bytes, honouring a single `Range: bytes=a-b`. Native files are not downloadable. */
function download({ req, res }: RouteContext, file: DriveFile): void {
  if (!file.bytes) {
    throw new GoogleApiError(403, 'fileNotDownloadable', 'Only files with binary content can be downloaded. Use Export with Docs Editors files.');
  }
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (range && (range[1] || range[2])) {
    const size = file.bytes.length;
    const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start >= size) throw new GoogleApiError(416, 'requestedRangeNotSatisfiable', 'Request range not satisfiable');
    return sendBytes(res, 206, file.bytes.subarray(start, end + 1), file.mimeType, { 'content-range': `bytes ${start}-${end}/${size}` });
  }
  sendBytes(res, 200, file.bytes, file.mimeType);
}

function deleteFile(ctx: RouteContext): void {
  const file = fileOr404(ctx);
  ctx.state.drive.remove(file.id);
  ctx.res.writeHead(204).end();
}

/** files.export: Docs Editors files only; over 10 MB is 403 `exportSizeLimitExceeded`, as at Google. */
function exportFile(ctx: RouteContext): void {
  const file = fileOr404(ctx);
  const mimeType = ctx.query.mimeType;
  if (!mimeType) throw new GoogleApiError(400, 'required', 'Required parameter: mimeType');
  const native = file.mimeType.startsWith('application/vnd.google-apps.') && file.mimeType !== FOLDER_MIME && file.mimeType !== SHORTCUT_MIME;
  if (!native) throw new GoogleApiError(403, 'fileNotExportable', 'Export only supports Docs Editors files.');
  if ((file.exportSizeBytes ?? 0) > EXPORT_LIMIT_BYTES) {
    throw new GoogleApiError(403, 'exportSizeLimitExceeded', 'This file is too large to be exported.');
  }
  const lines = [file.name, ...(file.text ?? '').split('\n')];
  if (mimeType === 'application/pdf') return sendBytes(ctx.res, 200, renderTextPdf(lines), mimeType);
  if (mimeType === 'text/plain' || mimeType === 'text/csv') return sendBytes(ctx.res, 200, Buffer.from(lines.join('\n')), mimeType);
  throw new GoogleApiError(400, 'badRequest', 'The requested conversion is not supported.');
}

function startPageToken({ state, res }: RouteContext): void {
  sendJson(res, 200, { kind: 'drive#startPageToken', startPageToken: state.drive.startPageToken() });
}

/** changes.list: one entry per file (its latest change) since the token, paged by `pageSize`. */
function listChanges({ query, state, res }: RouteContext): void {
  const token = Number(query.pageToken);
  if (query.pageToken === undefined) throw new GoogleApiError(400, 'required', 'Required parameter: pageToken');
  if (!Number.isInteger(token) || token < 1 || token > Number(state.drive.startPageToken())) {
    throw new GoogleApiError(400, 'invalid', 'Invalid Value');
  }
  const pageSize = intParam(query.pageSize, 100, 1000, 'pageSize');
  const latest = new Map<string, (typeof state.drive.changes)[number]>();
  for (const change of state.drive.changes) if (change.seq >= token) {
    latest.delete(change.fileId);
    latest.set(change.fileId, change);
  }
  const collapsed = [...latest.values()].filter((c) => query.includeRemoved !== 'false' || !c.removed);
  const page = collapsed.slice(0, pageSize);
  const body: Record<string, unknown> = {
    kind: 'drive#changeList',
    changes: page.map((change) => {
      const file = change.removed ? undefined : state.drive.files.get(change.fileId);
      return { kind: 'drive#change', changeType: 'file', type: 'file', time: change.time, removed: !file, fileId: change.fileId, file: file && fileResource(file) };
    }),
  };
  if (collapsed.length > pageSize) body.nextPageToken = String(collapsed[pageSize]!.seq);
  else body.newStartPageToken = state.drive.startPageToken();
  sendJson(res, 200, withFields(body, query.fields, CHANGES_DEFAULT));
}

function decodePageToken(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const offset = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o: unknown }).o;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // answered below
  }
  throw new GoogleApiError(400, 'invalid', 'Invalid Value');
}

function sortFiles(files: DriveFile[], orderBy: string | undefined): DriveFile[] {
  if (!orderBy) return files;
  const keys = orderBy.split(',').map((part) => {
    const [key, direction] = part.trim().split(/\s+/);
    return { key: key as 'name' | 'modifiedTime' | 'createdTime' | 'folder', desc: direction === 'desc' };
  });
  return [...files].sort((a, b) => {
    for (const { key, desc } of keys) {
      const va = key === 'folder' ? String(a.mimeType !== FOLDER_MIME) : String(a[key] ?? '');
      const vb = key === 'folder' ? String(b.mimeType !== FOLDER_MIME) : String(b[key] ?? '');
      if (va !== vb) return (va < vb ? -1 : 1) * (desc ? -1 : 1);
    }
    return 0;
  });
}
