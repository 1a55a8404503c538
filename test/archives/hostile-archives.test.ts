import { describe, expect, it } from 'vitest';
import { unpackZip, type MemberOutcome } from '../../shared/archives/unzip.js';
import {
  breakCentralRecord, buildZip, corruptData, declareSize, memoryStore, random, renameEntry, setFlagBits,
} from './zip-fixtures.js';

const good = { first: random(6000), last: Buffer.from('fine,1\nfine,2\n') };

/** An archive with a good member on either side of `hostile`. */
function around(hostile: { name: string; data: Buffer; compress?: boolean }): Promise<Buffer> {
  return buildZip([{ name: 'first.bin', data: good.first }, hostile, { name: 'last.csv', data: good.last }]);
}

function refusals(members: MemberOutcome[]) {
  return members.filter((m) => !m.ok).map((m) => ({ path: m.member.path, ...m.error }));
}

function expectGoodMembersIntact(sink: ReturnType<typeof memoryStore>): void {
  expect(sink.stored.get('first.bin')?.bytes.equals(good.first)).toBe(true);
  expect(sink.stored.get('last.csv')?.bytes.equals(good.last)).toBe(true);
}

describe('unsafe member names', () => {
  const cases = [
    ['../../etc/passwd', "../../etc/passwd: unsafe name, it contains a '..' segment; skipped"],
    ['/abs', '/abs: unsafe name, it is an absolute path; skipped'],
    ['C:/Windows/win.ini', 'C:/Windows/win.ini: unsafe name, it starts with a drive letter; skipped'],
    ['..\\..\\evil.exe', '..\\..\\evil.exe: unsafe name, it contains a backslash; skipped'],
    ['ok.pdf\0.txt', 'ok.pdf\\x00.txt: unsafe name, it contains a NUL byte; skipped'],
  ] as const;

  it.each(cases)('refuses %j with unsafe_path and stores its neighbours', async (hostileName, message) => {
    const placeholder = 'P'.repeat(Buffer.byteLength(hostileName, 'latin1'));
    const zip = renameEntry(await around({ name: placeholder, data: random(500) }), placeholder, hostileName);
    const sink = memoryStore();

    const result = await unpackZip(zip, sink.store);

    expect(refusals(result.members)).toEqual([{ path: message.slice(0, message.indexOf(': unsafe')), code: 'unsafe_path', message }]);
    expect(sink.calls).toEqual(['first.bin', 'last.csv']);
    expectGoodMembersIntact(sink);
  });
});

describe('encrypted members', () => {
  it('refuses a member whose encryption bit is set with encrypted_entry', async () => {
    const zip = setFlagBits(await around({ name: 'secret.pdf', data: random(800) }), 'secret.pdf', 0x1);
    const sink = memoryStore();

    const result = await unpackZip(zip, sink.store);

    expect(refusals(result.members)).toEqual([{ path: 'secret.pdf', code: 'encrypted_entry', message: 'secret.pdf: encrypted, cannot be read; skipped' }]);
    expect(sink.calls).toEqual(['first.bin', 'last.csv']);
    expectGoodMembersIntact(sink);
  });
});

describe('zip bombs and size limits', () => {
  it('refuses a run of zeros compressed past the ratio limit before storing anything of it', async () => {
    const zip = await around({ name: 'zeros.bin', data: Buffer.alloc(20 * 1024 * 1024) });
    const sink = memoryStore();

    const result = await unpackZip(zip, sink.store);

    const [refusal] = refusals(result.members);
    expect(refusal).toMatchObject({ path: 'zeros.bin', code: 'zip_bomb' });
    expect(refusal?.message).toMatch(/^zeros\.bin: compression ratio \d+ \(\d+ -> 20971520 bytes\) is over the limit of 100$/);
    expect(sink.calls).toEqual(['first.bin', 'last.csv']);
    expectGoodMembersIntact(sink);
  });

  it('aborts a member that inflates past its declared size and makes its store call reject', async () => {
    const honest = await around({ name: 'liar.bin', data: Buffer.alloc(2 * 1024 * 1024) });
    const zip = declareSize(honest, 'liar.bin', 100_000);
    const sink = memoryStore();

    const result = await unpackZip(zip, sink.store);

    expect(refusals(result.members)).toEqual([{
      path: 'liar.bin', code: 'zip_bomb',
      message: expect.stringMatching(/^liar\.bin: inflates past its declared size of 100000 bytes \(header lies\); aborted at \d+ bytes$/),
    }]);
    expect(sink.rejected.get('liar.bin')).toMatchObject({ code: 'zip_bomb' });
    expect(sink.stored.has('liar.bin')).toBe(false);
    expectGoodMembersIntact(sink);
  });

  it('refuses a lying member before calling store when it overflows within its first bytes', async () => {
    const zip = declareSize(await around({ name: 'tiny-liar.bin', data: Buffer.alloc(500_000) }), 'tiny-liar.bin', 100);
    const sink = memoryStore();

    const result = await unpackZip(zip, sink.store);

    expect(refusals(result.members)).toEqual([expect.objectContaining({ path: 'tiny-liar.bin', code: 'zip_bomb' })]);
    expect(sink.calls).toEqual(['first.bin', 'last.csv']);
  });

  it('refuses a member over maxEntryBytes with entry_too_large', async () => {
    const sink = memoryStore();

    const result = await unpackZip(await around({ name: 'big.bin', data: random(9000) }), sink.store, { maxEntryBytes: 8000 });

    expect(refusals(result.members)).toEqual([{
      path: 'big.bin', code: 'entry_too_large', message: 'big.bin: declares 9000 bytes, over the per-member limit of 8000 bytes',
    }]);
    expect(sink.calls).toEqual(['first.bin', 'last.csv']);
    expectGoodMembersIntact(sink);
  });

  it('stops with archive_too_large at the member that would cross the total, keeping those before it', async () => {
    const parts = [random(3000), random(3000), random(3000), random(10)];
    const zip = await buildZip(parts.map((data, i) => ({ name: `part${i}.bin`, data })));
    const sink = memoryStore();

    const result = await unpackZip(zip, sink.store, { maxTotalUncompressedBytes: 7000 });

    const message = 'part2.bin: its 3000 bytes would take the archive past its total limit of 7000 bytes; unpacking stopped';
    expect(refusals(result.members)).toEqual([{ path: 'part2.bin', code: 'archive_too_large', message }]);
    expect(result.archiveError).toEqual({ code: 'archive_too_large', message });
    expect(sink.calls).toEqual(['part0.bin', 'part1.bin']);
    expect(sink.stored.get('part1.bin')?.bytes.equals(parts[1]!)).toBe(true);
  });

  it('refuses an archive declaring more entries than maxEntries without storing anything', async () => {
    const zip = await buildZip(['a', 'b', 'c', 'd', 'e'].map((n) => ({ name: `${n}.txt`, data: Buffer.from(n) })));
    const sink = memoryStore();

    const result = await unpackZip(zip, sink.store, { maxEntries: 3 });

    expect(result.archiveError).toEqual({
      code: 'too_many_entries', message: 'the archive declares 5 entries; the limit is 3 entries in all (0 already used)',
    });
    expect(result.members).toEqual([]);
    expect(sink.calls).toEqual([]);
  });
});

describe('corrupt archives', () => {
  it('fails only the member whose bytes no longer match their CRC-32, after its store call began', async () => {
    const zip = corruptData(await around({ name: 'damaged.bin', data: random(10_000), compress: false }), 'damaged.bin', 9000, 0x00);
    const sink = memoryStore();

    const result = await unpackZip(zip, sink.store);

    const message = "damaged.bin: CRC-32 mismatch, the member's bytes are corrupt";
    expect(refusals(result.members)).toEqual([{ path: 'damaged.bin', code: 'corrupt_archive', message }]);
    expect(sink.rejected.get('damaged.bin')?.message).toBe(message);
    expectGoodMembersIntact(sink);
  });

  it('fails only the member whose deflate stream is invalid', async () => {
    const zip = corruptData(await around({ name: 'garbled.txt', data: Buffer.from('x'.repeat(5000)) }), 'garbled.txt', 0, 0xff);
    const sink = memoryStore();

    const result = await unpackZip(zip, sink.store);

    expect(refusals(result.members)).toEqual([{
      path: 'garbled.txt', code: 'corrupt_archive', message: expect.stringMatching(/^garbled\.txt: cannot be inflated \(.+\)$/),
    }]);
    expect(sink.calls).toEqual(['first.bin', 'last.csv']);
    expectGoodMembersIntact(sink);
  });

  it('stops with corrupt_archive at an unreadable central directory record, keeping the members before it', async () => {
    const zip = breakCentralRecord(await around({ name: 'middle.txt', data: Buffer.from('m') }), 'middle.txt');
    const sink = memoryStore();

    const result = await unpackZip(zip, sink.store);

    expect(result.archiveError).toEqual({
      code: 'corrupt_archive',
      message: 'the archive: central directory unreadable (invalid central directory file header signature: 0xdeadbeef); unpacking stopped',
    });
    expect(sink.calls).toEqual(['first.bin']);
    expect(sink.stored.get('first.bin')?.bytes.equals(good.first)).toBe(true);
  });

  it('reports a corrupt nested archive on that member and keeps the rest', async () => {
    const inner = await buildZip([{ name: 'inner.txt', data: Buffer.from('inner') }]);
    const sink = memoryStore();

    const result = await unpackZip(await around({ name: 'broken.zip', data: inner.subarray(0, inner.length - 5) }), sink.store);

    expect(refusals(result.members)).toEqual([{
      path: 'broken.zip', code: 'corrupt_archive', message: expect.stringMatching(/^broken\.zip: nested archive cannot be opened/),
    }]);
    expectGoodMembersIntact(sink);
  });
});
