import { createHash, randomBytes } from 'node:crypto';

export const FOLDER_MIME = 'application/vnd.google-apps.folder';
export const SHORTCUT_MIME = 'application/vnd.google-apps.shortcut';
export const GOOGLE_DOC_MIME = 'application/vnd.google-apps.document';

/** A file in the simulated Drive. Native Google files and folders have no bytes. */
export interface DriveFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  bytes?: Buffer;
  appProperties: Record<string, string>;
  properties: Record<string, string>;
  shortcutDetails?: { targetId: string; targetMimeType: string };
  trashed: boolean;
  createdTime: string;
  modifiedTime: string;
  /** Drive's `version`: goes up by one with every change to the file. */
  version: string;
  /** For native files: text shown in the exported PDF. */
  text?: string;
  /** For native files: the size Google would export, checked against the 10 MB export limit. */
  exportSizeBytes?: number;
}

/** One entry of the change log `changes.list` reads. */
export interface DriveChange {
  seq: number;
  fileId: string;
  removed: boolean;
  time: string;
}

/** A resumable upload session (`uploadType=resumable`) between initiation and its last chunk. */
export interface ResumableUpload {
  id: string;
  metadata: Record<string, unknown>;
  contentType?: string;
  totalLength?: number;
  chunks: Buffer[];
  received: number;
  fields?: string;
  fileId?: string;
}

interface NewFile {
  id?: string;
  name: string;
  parents?: string[];
  appProperties?: Record<string, string>;
  properties?: Record<string, string>;
}

/** The simulated Drive ("My Drive") all accounts of the double share. */
export class DriveState {
  readonly files = new Map<string, DriveFile>();
  readonly changes: DriveChange[] = [];
  readonly uploads = new Map<string, ResumableUpload>();
  readonly root: DriveFile;
  private nextSeq = 1;

  constructor() {
    this.root = this.insert({ id: `0A${driveId().slice(0, 17)}Uk9PVA`, name: 'My Drive', mimeType: FOLDER_MIME, parents: [] });
  }

  /** Adds a folder (in My Drive unless `parents` says otherwise). */
  addFolder(input: NewFile): DriveFile {
    return this.insert({ ...input, mimeType: FOLDER_MIME });
  }

  /** Adds a binary file; `size` and `md5Checksum` come from `bytes`. */
  addFile(input: NewFile & { mimeType: string; bytes: Uint8Array }): DriveFile {
    return this.insert({ ...input, bytes: Buffer.from(input.bytes) });
  }

  /**
   * Adds a native Google Doc (or Sheet: pass `mimeType`). Its PDF export shows `text`;
   * `exportSizeBytes` over 10 MB makes export answer 403 `exportSizeLimitExceeded`.
   */
  addGoogleDoc(input: NewFile & { mimeType?: string; text?: string; exportSizeBytes?: number }): DriveFile {
    return this.insert({ ...input, mimeType: input.mimeType ?? GOOGLE_DOC_MIME });
  }

  /** Adds a shortcut to `targetId` (which may be an ancestor: Drive allows cycles through shortcuts). */
  addShortcut(input: NewFile & { targetId: string }): DriveFile {
    const target = this.files.get(input.targetId);
    return this.insert({
      ...input,
      mimeType: SHORTCUT_MIME,
      shortcutDetails: { targetId: input.targetId, targetMimeType: target?.mimeType ?? 'application/octet-stream' },
    });
  }

  /** A file by id (`'root'` is My Drive), trashed or not. */
  get(id: string): DriveFile | undefined {
    return this.files.get(id === 'root' ? this.root.id : id);
  }

  /** The untrashed children of a folder, in insertion order. */
  filesIn(folderId: string): DriveFile[] {
    const id = folderId === 'root' ? this.root.id : folderId;
    return [...this.files.values()].filter((f) => !f.trashed && f.parents.includes(id));
  }

  /** Moves a file to the trash (a change with `removed: false` and `trashed: true`, as in Drive). */
  trash(id: string): void {
    const file = this.mustGet(id);
    file.trashed = true;
    this.touch(file);
  }

  /** Deletes a file for good (a change with `removed: true`). */
  remove(id: string): void {
    this.mustGet(id);
    this.files.delete(id);
    this.record(id, true);
  }

  /** The token `changes.getStartPageToken` answers now. */
  startPageToken(): string {
    return String(this.nextSeq);
  }

  /** Inserts a file and records the change (used by the helpers and by files.create). */
  insert(input: NewFile & Partial<DriveFile> & { mimeType: string }): DriveFile {
    const now = new Date().toISOString();
    const id = input.id ?? driveId();
    if (this.files.has(id)) throw new Error(`Drive double: file ${id} already exists`);
    const parents = input.parents ?? (this.root ? [this.root.id] : []);
    const file: DriveFile = {
      appProperties: {},
      properties: {},
      trashed: false,
      createdTime: now,
      modifiedTime: now,
      version: '1',
      ...input,
      id,
      parents: parents.map((p) => (p === 'root' ? this.root.id : p)),
    };
    this.files.set(id, file);
    this.record(id, false);
    return file;
  }

  /** Changes a file's content (or name, or a native file's text), as an edit in Drive does: a new version and a change. */
  update(id: string, change: { bytes?: Uint8Array; name?: string; text?: string }): DriveFile {
    const file = this.mustGet(id);
    if (change.bytes) file.bytes = Buffer.from(change.bytes);
    if (change.name !== undefined) file.name = change.name;
    if (change.text !== undefined) file.text = change.text;
    this.touch(file);
    return file;
  }

  private touch(file: DriveFile): void {
    file.modifiedTime = new Date().toISOString();
    file.version = String(Number(file.version) + 1);
    this.record(file.id, false);
  }

  private record(fileId: string, removed: boolean): void {
    this.changes.push({ seq: this.nextSeq++, fileId, removed, time: new Date().toISOString() });
  }

  private mustGet(id: string): DriveFile {
    const file = this.files.get(id);
    if (!file) throw new Error(`Drive double: no file ${id}`);
    return file;
  }
}

/** The metadata Drive v3 answers for a file (before `fields` filtering). */
export function fileResource(file: DriveFile): Record<string, unknown> {
  const resource: Record<string, unknown> = {
    kind: 'drive#file',
    id: file.id,
    name: file.name,
    mimeType: file.mimeType,
    parents: file.parents,
    trashed: file.trashed,
    createdTime: file.createdTime,
    modifiedTime: file.modifiedTime,
    version: file.version,
    appProperties: file.appProperties,
    properties: file.properties,
  };
  if (file.bytes) {
    resource.size = String(file.bytes.length);
    resource.md5Checksum = createHash('md5').update(file.bytes).digest('hex');
    resource.fileExtension = file.name.includes('.') ? file.name.split('.').pop() : undefined;
  }
  if (file.shortcutDetails) resource.shortcutDetails = file.shortcutDetails;
  return resource;
}

function driveId(): string {
  return '1' + randomBytes(32).toString('base64url').replace(/[-_]/g, 'x').slice(0, 32);
}
