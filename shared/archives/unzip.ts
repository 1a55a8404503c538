import { pipeline, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { PermanentError, errorMessage } from '../errors.js';
import { detectContentType, isArchiveType, sniffSampleBytes } from './content-type.js';
import { defaultZipLimits, ratioCheckFloorBytes, zipProblem, type ZipLimits } from './limits.js';
import { MemberMeter, type InflateBudget } from './member-meter.js';
import { decodeMemberName, judgeMemberName } from './member-name.js';

export { defaultZipLimits, type ZipLimits, type ZipProblemCode } from './limits.js';

/** One file taken out of an archive. */
export interface ZipMember {
  /** Normalised relative path, nested archives as prefixes (`a.zip/b/c.pdf`); for display only. */
  path: string;
  /** Basename of `path`. */
  name: string;
  /** 0 for members of the archive given, 1 for members of a zip inside it, ... */
  depth: number;
  /** Sniffed from the bytes, else by extension, else `application/octet-stream`. */
  contentType: string;
  /** Uncompressed size in bytes (declared, and verified while streaming). */
  size: number;
}

export interface ZipProblem {
  code: string;
  message: string;
}

/** What happened to one member: stored (`ok`), or refused with a reason. */
export interface MemberOutcome {
  member: ZipMember | { path: string };
  ok: boolean;
  error?: ZipProblem;
}

export interface UnpackResult {
  members: MemberOutcome[];
  /** Set when the walk stopped early (too many entries, total size, unreadable directory). */
  archiveError?: ZipProblem;
}

/** Receives one member's bytes; must consume `content` and reject if it errors. */
export type StoreMember = (member: ZipMember, content: Readable) => Promise<void>;

/** Local file header signature (`PK\3\4`) and that of an empty archive's end record (`PK\5\6`). */
const zipMagics = [Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from([0x50, 0x4b, 0x05, 0x06])];

/** Whether bytes start like a ZIP archive. Note that .docx/.xlsx/.odt are ZIPs too. */
export function isZip(bytes: Buffer): boolean {
  return zipMagics.some((magic) => bytes.subarray(0, 4).equals(magic));
}

interface Walk {
  limits: ZipLimits;
  store: StoreMember;
  budget: InflateBudget;
  entriesReserved: number;
  outcomes: MemberOutcome[];
  stop?: PermanentError;
}

interface Level {
  prefix: string;
  depth: number;
}

/**
 * Streams every acceptable member of the archive to `store(member, stream)`, one at a
 * time; a .zip inside is unpacked in turn, up to `maxDepth` levels. Per-member problems
 * are reported as outcomes and never thrown; members already stored stay stored. A
 * member that fails mid-stream destroys its stream, so `store` rejects and can delete
 * the partial object. Throws PermanentError (`corrupt_archive`) only when the archive
 * cannot be opened at all; rethrows a rejection of `store` that the archive did not
 * cause (a storage outage is the caller's to retry).
 *
 * @example
 * const { members } = await unpackZip(attachment, (m, content) => blobs.write(key(m), content, m.contentType));
 */
export async function unpackZip(source: Buffer, store: StoreMember, limits: Partial<ZipLimits> = {}): Promise<UnpackResult> {
  const walk: Walk = { limits: { ...defaultZipLimits, ...limits }, store, budget: { inflatedBytes: 0 }, entriesReserved: 0, outcomes: [] };
  const zip = await openArchive(source).catch((error: unknown) => {
    throw zipProblem('corrupt_archive', `the archive cannot be opened: ${errorMessage(error)}`, error);
  });
  const problem = (await walkArchive(zip, walk, { prefix: '', depth: 0 })) ?? walk.stop;
  return { members: walk.outcomes, ...(problem ? { archiveError: asProblem(problem) } : {}) };
}

function openArchive(bytes: Buffer): Promise<yauzl.ZipFile> {
  // Names are decoded and judged per member (member-name.ts) and sizes are checked by
  // MemberMeter, so that one bad entry fails that entry, not the whole archive.
  return yauzl.fromBufferPromise(bytes, { decodeStrings: false, validateEntrySizes: false });
}

/** Walks one archive's entries; returns the problem that stopped it, if any. */
async function walkArchive(zip: yauzl.ZipFile, walk: Walk, level: Level): Promise<PermanentError | undefined> {
  zip.on('error', () => {}); // errors reach us through eachEntry
  try {
    const { maxEntries } = walk.limits;
    if (walk.entriesReserved + zip.entryCount > maxEntries) {
      const where = level.prefix ? `${level.prefix.slice(0, -1)}: nested archive` : 'the archive';
      return zipProblem('too_many_entries', `${where} declares ${zip.entryCount} entries; the limit is ${maxEntries} entries in all (${walk.entriesReserved} already used)`);
    }
    walk.entriesReserved += zip.entryCount;
    const entries = zip.eachEntry();
    for (;;) {
      let next: IteratorResult<yauzl.Entry>;
      try {
        next = await entries.next();
      } catch (error) {
        return unreadableDirectory(error, level);
      }
      if (next.done) return undefined;
      await unpackEntry(zip, next.value, walk, level); // a rejection here is store's own: rethrown
      if (walk.stop) return undefined;
    }
  } finally {
    zip.close();
  }
}

function unreadableDirectory(error: unknown, level: Level): PermanentError {
  const where = level.prefix ? level.prefix.slice(0, -1) : 'the archive';
  // yauzl fails the whole directory on "strong encryption" (flag bit 6).
  const code = /encryption/.test(errorMessage(error)) ? 'encrypted_entry' : 'corrupt_archive';
  return zipProblem(code, `${where}: central directory unreadable (${errorMessage(error)}); unpacking stopped`, error);
}

/** Refuses, stores or descends into one entry, recording its outcome. */
async function unpackEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, walk: Walk, level: Level): Promise<void> {
  const verdict = judgeMemberName(decodeMemberName(entry));
  if (verdict.kind === 'skip') return;
  if (verdict.kind === 'unsafe') {
    const path = level.prefix + verdict.display;
    return refuse(walk, { path }, zipProblem('unsafe_path', `${path}: unsafe name, it ${verdict.reason}; skipped`));
  }
  const path = level.prefix + verdict.path;
  const refusal = refusalFromHeaders(entry, path, walk);
  if (refusal) {
    if (refusal.code === 'archive_too_large') walk.stop = refusal;
    return refuse(walk, { path }, refusal);
  }

  let raw: Readable;
  try {
    raw = await zip.openReadStreamPromise(entry);
  } catch (error) {
    return refuse(walk, { path }, zipProblem('corrupt_archive', `${path}: cannot be read (${errorMessage(error)})`, error));
  }
  const meter = new MemberMeter({
    path, declaredSize: entry.uncompressedSize, declaredCrc32: entry.crc32,
    budget: walk.budget, headBytes: sniffSampleBytes,
  });
  pipeline(raw, meter, () => {}); // the outcome is read from meter.failure

  const head = await meter.head.catch(() => undefined);
  if (!head) return refuseFailed(walk, { path }, meter);
  const member: ZipMember = {
    path, name: verdict.name, depth: level.depth,
    contentType: await detectContentType(head, verdict.name), size: entry.uncompressedSize,
  };
  if (isArchiveType(member.contentType)) return unpackNested(meter, member, walk, level);
  await storeMember(meter, member, walk);
}

/** What the central directory alone is enough to refuse. */
function refusalFromHeaders(entry: yauzl.Entry, path: string, walk: Walk): PermanentError | undefined {
  const { maxEntryBytes, maxCompressionRatio, maxTotalUncompressedBytes } = walk.limits;
  const { uncompressedSize: size, compressedSize } = entry;
  if (entry.generalPurposeBitFlag & 0x1) return zipProblem('encrypted_entry', `${path}: encrypted, cannot be read; skipped`);
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    return zipProblem('unsupported_compression', `${path}: compression method ${entry.compressionMethod} is not supported (only stored and deflate)`);
  }
  if (size > maxEntryBytes) return zipProblem('entry_too_large', `${path}: declares ${size} bytes, over the per-member limit of ${maxEntryBytes} bytes`);
  if (size > ratioCheckFloorBytes && size > compressedSize * maxCompressionRatio) {
    const ratio = compressedSize === 0 ? 'infinite' : Math.round(size / compressedSize).toString();
    return zipProblem('zip_bomb', `${path}: compression ratio ${ratio} (${compressedSize} -> ${size} bytes) is over the limit of ${maxCompressionRatio}`);
  }
  if (walk.budget.inflatedBytes + size > maxTotalUncompressedBytes) {
    return zipProblem('archive_too_large', `${path}: its ${size} bytes would take the archive past its total limit of ${maxTotalUncompressedBytes} bytes; unpacking stopped`);
  }
  return undefined;
}

async function storeMember(meter: MemberMeter, member: ZipMember, walk: Walk): Promise<void> {
  try {
    await walk.store(member, meter);
  } catch (error) {
    if (!meter.failure) {
      meter.destroy();
      throw error;
    }
  }
  if (meter.failure) return refuseFailed(walk, member, meter);
  if (!meter.readableEnded) {
    meter.destroy();
    return refuse(walk, member, zipProblem('store_incomplete', `${member.path}: store resolved before reading the whole member`));
  }
  walk.outcomes.push({ member, ok: true });
}

async function unpackNested(meter: MemberMeter, member: ZipMember, walk: Walk, level: Level): Promise<void> {
  if (level.depth + 1 > walk.limits.maxDepth) {
    meter.destroy();
    return refuse(walk, member, zipProblem('nesting_too_deep', `${member.path}: archive nested deeper than the limit of ${walk.limits.maxDepth} levels; not unpacked`));
  }
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of meter) chunks.push(chunk as Buffer);
  } catch {
    return refuseFailed(walk, member, meter);
  }
  let zip: yauzl.ZipFile;
  try {
    zip = await openArchive(Buffer.concat(chunks));
  } catch (error) {
    return refuse(walk, member, zipProblem('corrupt_archive', `${member.path}: nested archive cannot be opened (${errorMessage(error)})`, error));
  }
  const problem = await walkArchive(zip, walk, { prefix: `${member.path}/`, depth: level.depth + 1 });
  if (problem) refuse(walk, member, problem);
}

function refuseFailed(walk: Walk, member: ZipMember | { path: string }, meter: MemberMeter): void {
  refuse(walk, member, meter.failure ?? zipProblem('corrupt_archive', `${member.path}: stream ended unexpectedly`));
}

function refuse(walk: Walk, member: ZipMember | { path: string }, problem: PermanentError): void {
  walk.outcomes.push({ member, ok: false, error: asProblem(problem) });
}

function asProblem(error: PermanentError): ZipProblem {
  return { code: error.code, message: error.message };
}
