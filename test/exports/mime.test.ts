import { Readable } from 'node:stream';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { writeXlsx } from '../../shared/exports/xlsx.js';
import { buildExportEmail, toGmailRaw } from '../../shared/exports/mime.js';
import { exportContentType, exportFileName } from '../../shared/exports/naming.js';
import { COLUMNS, inBatches, memorySink, sampleRows } from './fixtures.js';

async function sampleXlsx(): Promise<Buffer> {
  const { out, done } = memorySink();
  await writeXlsx(COLUMNS, inBatches(sampleRows()), out);
  return done;
}

describe('buildExportEmail', () => {
  it('parses back with mailparser: text body, the file byte for byte, its type, the decoded subject', async () => {
    const file = await sampleXlsx();
    const filename = exportFileName('Factures été 日本', 3, 'xlsx');
    const message = await buildExportEmail({
      from: 'ByteReview <exports@bytereview.example>',
      to: 'ana@example.com',
      subject: 'Export ready: Factures été 日本 (run 3)',
      text: 'Your export of “Factures été 日本” is attached.',
      attachment: { filename, contentType: exportContentType('xlsx'), content: file },
    });
    const head = message.subarray(0, message.indexOf('\r\n\r\n')).toString('latin1');
    expect(head).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/im); // RFC 2047, no raw 8-bit header
    expect(head).toMatch(/^Content-Type: multipart\/mixed;/im);
    expect([...head].every((char) => char.charCodeAt(0) < 128)).toBe(true);

    const parsed = await simpleParser(message);
    expect(parsed.subject).toBe('Export ready: Factures été 日本 (run 3)');
    expect(parsed.text?.trim()).toBe('Your export of “Factures été 日本” is attached.');
    expect(parsed.attachments).toHaveLength(1);
    const [attachment] = parsed.attachments;
    expect(attachment!.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(attachment!.filename).toBe('Factures été 日本 - run 3.xlsx');
    expect(attachment!.contentDisposition).toBe('attachment');
    expect(Buffer.compare(attachment!.content, file)).toBe(0);
  });

  it('streams a Readable attachment into the message unchanged', async () => {
    const csv = Buffer.from('\uFEFFVendor,Source file,Source type\r\nCafé,a.pdf,upload\r\n', 'utf8');
    const message = await buildExportEmail({
      from: 'exports@bytereview.example',
      to: ['a@example.com', 'b@example.com'],
      subject: 'Plain subject',
      text: 'Attached.',
      attachment: { filename: 'job - run 1.csv', contentType: exportContentType('csv'), content: Readable.from([csv.subarray(0, 10), csv.subarray(10)]) },
    });
    const parsed = await simpleParser(message);
    const [attachment] = parsed.attachments;
    expect(attachment!.contentType).toBe('text/csv');
    expect(Buffer.compare(attachment!.content, csv)).toBe(0);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((address) => address.address) : []).toEqual(['a@example.com', 'b@example.com']);
  });
});

describe('toGmailRaw', () => {
  it('is base64url without padding and decodes to the same message', async () => {
    const message = await buildExportEmail({
      from: 'exports@bytereview.example',
      to: 'ana@example.com',
      subject: 'Export ready: 日本',
      text: 'Attached.',
      attachment: { filename: 'x.csv', contentType: exportContentType('csv'), content: Buffer.from([0xfb, 0xff, 0xfe, 0x3e, 0x3f]) },
    });
    for (const length of [message.length, message.length - 1, message.length - 2]) {
      const raw = toGmailRaw(message.subarray(0, length));
      expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(raw.replaceAll('-', '+').replaceAll('_', '/'), 'base64').equals(message.subarray(0, length))).toBe(true);
    }
  });
});
