import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOLDER_MIME, SHORTCUT_MIME, renderTextPdf, startGoogleDouble, type GoogleDouble } from '../../shared/local/google/index.js';
import { DRIVE, driveClient, signedInClient } from './clients.js';

type GaxiosError = Error & { status?: number; response?: { data?: unknown } };

let google: GoogleDouble;
let auth: ReturnType<typeof signedInClient>;
let api: ReturnType<typeof driveClient>;

beforeAll(async () => {
  google = await startGoogleDouble();
  auth = signedInClient(google, 'ada@example.test', [DRIVE]);
  api = driveClient(google, auth);
});
afterAll(() => google.close());

const pdf = (text: string) => renderTextPdf([text]);

describe('the Drive v3 double', () => {
  it('lists a folder page by page with pageSize and pageToken, and recurses into subfolders', async () => {
    const drive = google.state.drive;
    const top = drive.addFolder({ name: 'Invoices' });
    const nested = drive.addFolder({ name: '2024', parents: [top.id] });
    for (let i = 0; i < 5; i++) drive.addFile({ name: `top-${i}.pdf`, mimeType: 'application/pdf', bytes: pdf(`top ${i}`), parents: [top.id] });
    drive.addFile({ name: 'deep.pdf', mimeType: 'application/pdf', bytes: pdf('deep'), parents: [nested.id] });
    drive.addFile({ name: 'gone.pdf', mimeType: 'application/pdf', bytes: pdf('gone'), parents: [top.id] });
    drive.trash(drive.filesIn(top.id).find((f) => f.name === 'gone.pdf')!.id);

    const names: string[] = [];
    const walk = async (folderId: string): Promise<void> => {
      let pageToken: string | undefined;
      do {
        const { data } = await api.files.list({
          q: `'${folderId}' in parents and trashed = false`,
          pageSize: 2,
          pageToken,
          fields: 'nextPageToken, files(id, name, mimeType, size, parents)',
        });
        for (const file of data.files ?? []) {
          if (file.mimeType === FOLDER_MIME) await walk(file.id!);
          else names.push(file.name!);
        }
        pageToken = data.nextPageToken ?? undefined;
      } while (pageToken);
    };
    await walk(top.id);

    expect(names.sort()).toEqual(['deep.pdf', 'top-0.pdf', 'top-1.pdf', 'top-2.pdf', 'top-3.pdf', 'top-4.pdf']);
    const listCalls = google.state.requestsTo('drive', '/drive/v3/files').filter((r) => r.query.q?.includes(top.id));
    expect(listCalls).toHaveLength(3); // 6 untrashed children (5 files and a folder), 2 per page
  });

  it('answers files.get with the requested fields only', async () => {
    const file = google.state.drive.addFile({ name: 'a.pdf', mimeType: 'application/pdf', bytes: pdf('a'), appProperties: { source: 'test' } });
    const { data } = await api.files.get({ fileId: file.id, fields: 'id,name,mimeType,size,md5Checksum,parents,appProperties' });
    expect(data).toEqual({
      id: file.id,
      name: 'a.pdf',
      mimeType: 'application/pdf',
      size: String(file.bytes!.length),
      md5Checksum: createHash('md5').update(file.bytes!).digest('hex'),
      parents: [google.state.drive.root.id],
      appProperties: { source: 'test' },
    });
    const bare = await api.files.get({ fileId: file.id });
    expect(bare.data).toEqual({ kind: 'drive#file', id: file.id, name: 'a.pdf', mimeType: 'application/pdf' });
  });

  it('answers 404 for an unknown file id', async () => {
    const error = (await api.files.get({ fileId: 'nope' }).catch((e: unknown) => e)) as GaxiosError;
    expect(error.status).toBe(404);
    expect(error.message).toBe('File not found: nope.');
  });

  it('streams a file\'s bytes with alt=media', async () => {
    const bytes = pdf('download me');
    const file = google.state.drive.addFile({ name: 'dl.pdf', mimeType: 'application/pdf', bytes });
    const res = await api.files.get({ fileId: file.id, alt: 'media' }, { responseType: 'stream' });
    const chunks: Buffer[] = [];
    for await (const chunk of res.data as unknown as Readable) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('exports a native Google Doc as a readable PDF', async () => {
    const doc = google.state.drive.addGoogleDoc({ name: 'Supplier notes', text: 'Payment terms: 30 days' });
    const res = await api.files.export({ fileId: doc.id, mimeType: 'application/pdf' }, { responseType: 'arraybuffer' });
    const bytes = new Uint8Array(res.data as ArrayBuffer);
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const { text } = await extractText(bytes, { mergePages: true });
    expect(text).toContain('Payment terms: 30 days');
  });

  it('refuses to export a Doc over 10 MB with 403 exportSizeLimitExceeded, and a binary file with fileNotExportable', async () => {
    const big = google.state.drive.addGoogleDoc({ name: 'Huge', exportSizeBytes: 11 * 1024 * 1024 });
    const error = (await api.files.export({ fileId: big.id, mimeType: 'application/pdf' }).catch((e: unknown) => e)) as GaxiosError;
    expect(error.status).toBe(403);
    expect(error.response?.data).toMatchObject({ error: { code: 403, errors: [{ reason: 'exportSizeLimitExceeded' }] } });

    const binary = google.state.drive.addFile({ name: 'b.pdf', mimeType: 'application/pdf', bytes: pdf('b') });
    const refused = (await api.files.export({ fileId: binary.id, mimeType: 'application/pdf' }).catch((e: unknown) => e)) as GaxiosError;
    expect(refused.response?.data).toMatchObject({ error: { errors: [{ reason: 'fileNotExportable' }] } });
  });

  it('takes a resumable upload in chunks with appProperties, then finds it again with appProperties has', async () => {
    const folder = google.state.drive.addFolder({ name: 'Exports' });
    const bytes = Buffer.from('a,b\n'.repeat(100_000)); // 400 kB, three chunks
    const start = await auth.request({
      url: `${google.endpoints.rootUrl}upload/drive/v3/files?uploadType=resumable`,
      method: 'POST',
      headers: { 'X-Upload-Content-Type': 'text/csv', 'X-Upload-Content-Length': String(bytes.length) },
      data: { name: 'run-7.csv', parents: [folder.id], appProperties: { bytereviewExportId: 'exp-42' } },
    });
    const session = start.headers.get('location')!;
    expect(session).toContain('upload_id=');

    const chunk = 256 * 1024;
    let last;
    for (let offset = 0; offset < bytes.length; offset += chunk) {
      const end = Math.min(offset + chunk, bytes.length) - 1;
      last = await auth.request<{ id?: string }>({
        url: session,
        method: 'PUT',
        headers: { 'Content-Range': `bytes ${offset}-${end}/${bytes.length}` },
        data: bytes.subarray(offset, end + 1),
        validateStatus: (s) => s === 200 || s === 308,
      });
      if (end < bytes.length - 1) expect([last.status, last.headers.get('range')]).toEqual([308, `bytes=0-${end}`]);
    }
    expect(last!.status).toBe(200);

    const { data } = await api.files.list({
      q: `appProperties has { key='bytereviewExportId' and value='exp-42' } and trashed = false`,
      fields: 'files(id,name,parents,size,appProperties)',
    });
    expect(data.files).toEqual([{ id: last!.data.id, name: 'run-7.csv', parents: [folder.id], size: String(bytes.length), appProperties: { bytereviewExportId: 'exp-42' } }]);
    const media = await api.files.get({ fileId: last!.data.id!, alt: 'media' }, { responseType: 'arraybuffer' });
    expect(Buffer.from(media.data as ArrayBuffer).equals(bytes)).toBe(true);
  });

  it('tells an interrupted resumable upload how many bytes it has, so the client can resume', async () => {
    const bytes = Buffer.alloc(1000, 7);
    const start = await auth.request({
      url: `${google.endpoints.rootUrl}upload/drive/v3/files?uploadType=resumable`,
      method: 'POST',
      headers: { 'X-Upload-Content-Type': 'application/pdf' },
      data: { name: 'resumed.pdf' },
    });
    const session = start.headers.get('location')!;
    const put = (range: string, data?: Buffer) =>
      auth.request<{ name?: string }>({ url: session, method: 'PUT', headers: { 'Content-Range': range }, data, validateStatus: (s) => s === 200 || s === 308 });
    await put('bytes 0-399/*', bytes.subarray(0, 400));
    const status = await put('bytes */1000');
    expect([status.status, status.headers.get('range')]).toEqual([308, 'bytes=0-399']);
    const done = await put('bytes 400-999/1000', bytes.subarray(400));
    expect([done.status, done.data.name]).toEqual([200, 'resumed.pdf']);
  });

  it('creates a file with a multipart upload through files.create (rootUrl given per call, see the note)', async () => {
    // googleapis-common rewrites the API URL with the client-level rootUrl but not the media
    // upload URL, so uploads need rootUrl again in the per-call options.
    const { data } = await api.files.create(
      {
        requestBody: { name: 'report.xlsx', appProperties: { run: 'r1' } },
        media: { mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: Readable.from([Buffer.from([0, 1, 2, 255])]) },
        fields: 'id,name,mimeType,size,appProperties',
      },
      { rootUrl: google.endpoints.rootUrl },
    );
    expect(data).toMatchObject({ name: 'report.xlsx', size: '4', appProperties: { run: 'r1' } });
    expect(google.state.drive.get(data.id!)!.bytes).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('lists by mimeType, and serves shortcuts with their target, even one that makes a folder its own descendant', async () => {
    const loop = google.state.drive.addFolder({ name: 'Loop' });
    const shortcut = google.state.drive.addShortcut({ name: 'Back to Loop', targetId: loop.id, parents: [loop.id] });
    const { data } = await api.files.list({
      q: `'${loop.id}' in parents and mimeType = '${SHORTCUT_MIME}'`,
      fields: 'files(id,name,mimeType,shortcutDetails)',
    });
    expect(data.files).toEqual([{ id: shortcut.id, name: 'Back to Loop', mimeType: SHORTCUT_MIME, shortcutDetails: { targetId: loop.id, targetMimeType: FOLDER_MIME } }]);
  });

  it('answers 400 to a query it cannot read', async () => {
    const error = (await api.files.list({ q: "name = 'unterminated" }).catch((e: unknown) => e)) as GaxiosError;
    expect(error.status).toBe(400);
  });

  it('reports added and removed files through changes, page by page, ending with a new start token', async () => {
    const { data: start } = await api.changes.getStartPageToken({});
    const a = google.state.drive.addFile({ name: 'c1.pdf', mimeType: 'application/pdf', bytes: pdf('1') });
    const b = google.state.drive.addFile({ name: 'c2.pdf', mimeType: 'application/pdf', bytes: pdf('2') });
    const c = google.state.drive.addFile({ name: 'c3.pdf', mimeType: 'application/pdf', bytes: pdf('3') });
    google.state.drive.remove(b.id);

    const seen: { fileId: string; removed: boolean; name?: string }[] = [];
    let pageToken = start.startPageToken!;
    let newStart: string | undefined;
    while (!newStart) {
      const { data } = await api.changes.list({ pageToken, pageSize: 2, fields: 'nextPageToken,newStartPageToken,changes(fileId,removed,file(name))' });
      for (const change of data.changes ?? []) seen.push({ fileId: change.fileId!, removed: change.removed!, name: change.file?.name ?? undefined });
      if (data.nextPageToken) pageToken = data.nextPageToken;
      newStart = data.newStartPageToken ?? undefined;
    }
    expect(seen).toEqual([
      { fileId: a.id, removed: false, name: 'c1.pdf' },
      { fileId: c.id, removed: false, name: 'c3.pdf' },
      { fileId: b.id, removed: true, name: undefined },
    ]);
    const { data: after } = await api.changes.list({ pageToken: newStart });
    expect(after.changes).toEqual([]);
  });
});
