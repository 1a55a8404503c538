import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import yazl from 'yazl';
import type { ZipMember } from '../../shared/archives/unzip.js';

/** Archives for the tests: yazl builds well-formed ones, the patchers below spoil them. */

export interface FixtureEntry {
  name: string;
  data: Buffer;
  /** Deflate (default) or store. */
  compress?: boolean;
}

/** A well-formed archive; names ending in `/` become directory entries. */
export function buildZip(entries: FixtureEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    if (entry.name.endsWith('/')) zip.addEmptyDirectory(entry.name);
    else zip.addBuffer(entry.data, entry.name, { compress: entry.compress ?? true });
  }
  zip.end();
  return readAll(zip.outputStream);
}

export async function readAll(stream: Readable | NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export const random = (size: number): Buffer => randomBytes(size);
export const pdfBytes = (): Buffer => Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1'), random(2000)]);

interface EntryOffsets {
  name: string;
  central: number;
  local: number;
  /** Where the member's (compressed) data starts. */
  data: number;
}

/** Finds every entry's header offsets by walking the central directory (no comment, no zip64). */
export function entryOffsets(zip: Buffer): EntryOffsets[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let cursor = zip.readUInt32LE(eocd + 16);
  const found: EntryOffsets[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(cursor + 28);
    const extraLength = zip.readUInt16LE(cursor + 30);
    const commentLength = zip.readUInt16LE(cursor + 32);
    const local = zip.readUInt32LE(cursor + 42);
    const name = zip.subarray(cursor + 46, cursor + 46 + nameLength).toString('utf8');
    const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    found.push({ name, central: cursor, local, data });
    cursor += 46 + nameLength + extraLength + commentLength;
  }
  return found;
}

function offsetsOf(zip: Buffer, name: string): EntryOffsets {
  const entry = entryOffsets(zip).find((e) => e.name === name);
  if (!entry) throw new Error(`fixture has no entry ${name}`);
  return entry;
}

/** Renames an entry in both headers; yazl refuses hostile names, so we write them here. */
export function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  const out = Buffer.from(zip);
  const target = Buffer.from(to, 'latin1');
  if (target.length !== Buffer.byteLength(from)) throw new Error('a rename must keep the length');
  const { central, local } = offsetsOf(zip, from);
  target.copy(out, central + 46);
  target.copy(out, local + 30);
  return out;
}

/** Sets general purpose flag bits (bit 0: encrypted) in the local and central headers. */
export function setFlagBits(zip: Buffer, name: string, bits: number): Buffer {
  const out = Buffer.from(zip);
  const { central, local } = offsetsOf(zip, name);
  out.writeUInt16LE(out.readUInt16LE(central + 8) | bits, central + 8);
  out.writeUInt16LE(out.readUInt16LE(local + 6) | bits, local + 6);
  return out;
}

/** Makes both headers lie about an entry's uncompressed size. */
export function declareSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const { central, local } = offsetsOf(zip, name);
  out.writeUInt32LE(size, central + 24);
  out.writeUInt32LE(size, local + 22);
  return out;
}

/** Overwrites one byte of an entry's stored data, `at` bytes in. */
export function corruptData(zip: Buffer, name: string, at: number, value: number): Buffer {
  const out = Buffer.from(zip);
  out[offsetsOf(zip, name).data + at] = value;
  return out;
}

/** Breaks the signature of an entry's central directory record. */
export function breakCentralRecord(zip: Buffer, name: string): Buffer {
  const out = Buffer.from(zip);
  out.writeUInt32LE(0xdeadbeef, offsetsOf(zip, name).central);
  return out;
}

/** A store that keeps what it read completely, and records every call and rejection. */
export function memoryStore() {
  const stored = new Map<string, { member: ZipMember; bytes: Buffer }>();
  const calls: string[] = [];
  const rejected = new Map<string, Error>();
  const store = async (member: ZipMember, content: Readable): Promise<void> => {
    calls.push(member.path);
    try {
      stored.set(member.path, { member, bytes: await readAll(content) });
    } catch (error) {
      rejected.set(member.path, error as Error);
      throw error;
    }
  };
  return { store, stored, calls, rejected };
}
