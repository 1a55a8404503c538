import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../shared/errors.js';
import { isZip, unpackZip, type ZipMember } from '../../shared/archives/unzip.js';
import { buildZip, memoryStore, pdfBytes, random } from './zip-fixtures.js';

describe('unpackZip with well-formed archives', () => {
  it('stores every member byte for byte with its sniffed or guessed content type', async () => {
    const pdf = pdfBytes();
    const notes = Buffer.from('line one\nline two\n');
    const blob = random(70_000);
    const stored = random(5000);
    const zip = await buildZip([
      { name: 'scans/invoice.bin', data: pdf },
      { name: 'notes.txt', data: notes },
      { name: 'blob.dat', data: blob },
      { name: 'raw/stored.xyz', data: stored, compress: false },
    ]);
    const sink = memoryStore();

    const result = await unpackZip(zip, sink.store);

    expect(result.archiveError).toBeUndefined();
    expect(result.members.every((m) => m.ok)).toBe(true);
    expect(sink.stored.get('scans/invoice.bin')?.bytes.equals(pdf)).toBe(true);
    expect(sink.stored.get('notes.txt')?.bytes.equals(notes)).toBe(true);
    expect(sink.stored.get('blob.dat')?.bytes.equals(blob)).toBe(true);
    expect(sink.stored.get('raw/stored.xyz')?.bytes.equals(stored)).toBe(true);
    expect(sink.stored.get('scans/invoice.bin')?.member).toEqual<ZipMember>({
      path: 'scans/invoice.bin', name: 'invoice.bin', depth: 0, contentType: 'application/pdf', size: pdf.length,
    });
    expect(sink.stored.get('notes.txt')?.member.contentType).toBe('text/plain');
    expect(sink.stored.get('blob.dat')?.member.contentType).toBe('application/octet-stream');
  });

  it('skips directories, __MACOSX litter and .DS_Store without reporting them', async () => {
    const zip = await buildZip([
      { name: 'docs/', data: Buffer.alloc(0) },
      { name: 'docs/a.txt', data: Buffer.from('a') },
      { name: '__MACOSX/docs/._a.txt', data: random(100) },
      { name: 'docs/.DS_Store', data: random(100) },
    ]);
    const sink = memoryStore();

    const result = await unpackZip(zip, sink.store);

    expect(sink.calls).toEqual(['docs/a.txt']);
    expect(result.members).toHaveLength(1);
    expect(result.archiveError).toBeUndefined();
  });

  it('normalises names to NFC and drops empty and dot segments', async () => {
    const decomposed = 'dossier/./re\u0301sume\u0301.txt';
    const zip = await buildZip([{ name: decomposed.replace('/./', '/x/'), data: Buffer.from('cv') }]);
    const patched = Buffer.from(zip.toString('latin1').replaceAll('/x/', '/./'), 'latin1');
    const sink = memoryStore();

    await unpackZip(patched, sink.store);

    expect(sink.calls).toEqual(['dossier/r\u00e9sum\u00e9.txt']);
  });

  it('does not mistake a small, highly compressible text for a zip bomb', async () => {
    const text = Buffer.from('same line again\n'.repeat(50_000));
    const sink = memoryStore();

    const result = await unpackZip(await buildZip([{ name: 'log.csv', data: text }]), sink.store);

    expect(result.members[0]?.ok).toBe(true);
    expect(sink.stored.get('log.csv')?.bytes.equals(text)).toBe(true);
  });

  it('stores an empty member', async () => {
    const sink = memoryStore();

    const result = await unpackZip(await buildZip([{ name: 'empty.txt', data: Buffer.alloc(0) }]), sink.store);

    expect(result.members).toEqual([{ ok: true, member: expect.objectContaining({ path: 'empty.txt', size: 0, contentType: 'text/plain' }) }]);
    expect(sink.stored.get('empty.txt')?.bytes.length).toBe(0);
  });

  it('keeps a .docx whole instead of unpacking it as an archive', async () => {
    const docx = await buildZip([
      { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types/>') },
      { name: 'word/document.xml', data: Buffer.from('<w:document/>') },
    ]);
    const sink = memoryStore();

    await unpackZip(await buildZip([{ name: 'letter.docx', data: docx }]), sink.store);

    expect(sink.stored.get('letter.docx')?.bytes.equals(docx)).toBe(true);
    expect(sink.stored.get('letter.docx')?.member.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  });

  it('reports a member whose store resolved without reading it all', async () => {
    const zip = await buildZip([{ name: 'big.bin', data: random(200_000) }]);

    const result = await unpackZip(zip, async () => {});

    expect(result.members[0]).toMatchObject({ ok: false, error: { code: 'store_incomplete' } });
  });

  it("rethrows a store's own failure, which the caller retries", async () => {
    const zip = await buildZip([{ name: 'a.txt', data: Buffer.from('a') }]);
    const outage = new Error('bucket unavailable');

    await expect(unpackZip(zip, async () => { throw outage; })).rejects.toBe(outage);
  });
});

describe('unpackZip with nested archives', () => {
  async function threeDeep(): Promise<Buffer> {
    const l3 = await buildZip([{ name: 'l3.txt', data: Buffer.from('level three') }]);
    const l2 = await buildZip([{ name: 'l2.txt', data: Buffer.from('level two') }, { name: 'l3.zip', data: l3 }]);
    const l1 = await buildZip([{ name: 'l1.txt', data: Buffer.from('level one') }, { name: 'inner/l2.zip', data: l2 }]);
    return buildZip([{ name: 'top.txt', data: Buffer.from('top') }, { name: 'l1.zip', data: l1 }]);
  }

  it('unpacks zips inside zips up to maxDepth and refuses the next level with nesting_too_deep', async () => {
    const sink = memoryStore();

    const result = await unpackZip(await threeDeep(), sink.store);

    expect([...sink.stored.values()].map(({ member }) => [member.path, member.depth])).toEqual([
      ['top.txt', 0], ['l1.zip/l1.txt', 1], ['l1.zip/inner/l2.zip/l2.txt', 2],
    ]);
    expect(sink.stored.get('l1.zip/inner/l2.zip/l2.txt')?.bytes.toString()).toBe('level two');
    const refused = result.members.filter((m) => !m.ok);
    expect(refused).toEqual([{
      ok: false,
      member: expect.objectContaining({ path: 'l1.zip/inner/l2.zip/l3.zip', depth: 2, contentType: 'application/zip' }),
      error: { code: 'nesting_too_deep', message: 'l1.zip/inner/l2.zip/l3.zip: archive nested deeper than the limit of 2 levels; not unpacked' },
    }]);
    expect(sink.calls).not.toContain('l1.zip/inner/l2.zip/l3.zip');
  });

  it('follows a raised maxDepth, and unpacks nothing nested with maxDepth 0', async () => {
    const deep = memoryStore();
    await unpackZip(await threeDeep(), deep.store, { maxDepth: 3 });
    expect(deep.stored.get('l1.zip/inner/l2.zip/l3.zip/l3.txt')?.bytes.toString()).toBe('level three');

    const flat = memoryStore();
    const result = await unpackZip(await threeDeep(), flat.store, { maxDepth: 0 });
    expect(flat.calls).toEqual(['top.txt']);
    expect(result.members.find((m) => !m.ok)?.error?.code).toBe('nesting_too_deep');
  });

  it('counts entries of nested archives against maxEntries', async () => {
    const inner = await buildZip(['a', 'b', 'c'].map((n) => ({ name: `${n}.txt`, data: Buffer.from(n) })));
    const outer = await buildZip([{ name: 'top.txt', data: Buffer.from('top') }, { name: 'inner.zip', data: inner }]);
    const sink = memoryStore();

    const result = await unpackZip(outer, sink.store, { maxEntries: 4 });

    expect(sink.calls).toEqual(['top.txt']);
    expect(result.members.find((m) => !m.ok)?.error).toEqual({
      code: 'too_many_entries',
      message: 'inner.zip: nested archive declares 3 entries; the limit is 4 entries in all (2 already used)',
    });
  });
});

describe('archives that cannot be opened', () => {
  it('throws PermanentError corrupt_archive for a truncated archive', async () => {
    const zip = await buildZip([{ name: 'a.txt', data: random(3000) }]);

    const attempt = unpackZip(zip.subarray(0, zip.length - 30), memoryStore().store);

    await expect(attempt).rejects.toBeInstanceOf(PermanentError);
    await expect(attempt).rejects.toMatchObject({ code: 'corrupt_archive', message: expect.stringMatching(/^the archive cannot be opened/) });
  });

  it('throws PermanentError corrupt_archive for bytes that are not an archive', async () => {
    await expect(unpackZip(pdfBytes(), memoryStore().store)).rejects.toMatchObject({ code: 'corrupt_archive' });
  });
});

describe('isZip', () => {
  it('recognises an archive by its magic number and nothing else', async () => {
    expect(isZip(await buildZip([{ name: 'a.txt', data: Buffer.from('a') }]))).toBe(true);
    expect(isZip(await buildZip([]))).toBe(true);
    expect(isZip(pdfBytes())).toBe(false);
    expect(isZip(Buffer.from('PK'))).toBe(false);
  });
});
