import request from 'supertest';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { createLocalExtractor } from '../../shared/extraction/local.js';
import { closeOcr } from '../../shared/extraction/ocr.js';
import { withPageWindows } from '../../shared/extraction/page-windows.js';
import { drawScan, scannedPdf } from '../extraction/scans.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

// A scanned PDF and a photo of an invoice through a whole run: upload (type sniffed from the
// bytes), extraction by the local extractor's OCR, rows and verified citations in the results api.
const alice = { Authorization: 'Bearer dev:alice' };
let platform: TestPlatform;
afterEach(() => platform?.close());
afterAll(() => closeOcr());

describe('scans through a run', () => {
  it('a scanned PDF and a PNG each give their row, cited on page 1 and verified against the OCR text', async () => {
    const readFile = (uri: string) => platform.blobs.readAll(uri);
    platform = await createTestPlatform({ extractor: withPageWindows(createLocalExtractor({ readFile }), { readFile }) });
    const api = request(createApiApp(async () => platform));
    const job = await api.post('/v1/jobs').set(alice).send({
      name: 'Scanned invoices',
      fields: [{ name: 'Invoice number', type: 'text', required: true }, { name: 'Total', type: 'currency', description: 'Total amount due', required: true }],
    }).expect(201);
    const scan = drawScan({ title: 'Northwind Office Supply', pairs: [['Invoice No:', 'INV-2025-0193'], ['Total Due:', '$1,482.50']] }, 'jpeg');
    const photo = drawScan({ title: 'Papierwaren Müller GmbH', pairs: [['Rechnungsnummer:', 'RE-2025-00042'], ['Gesamtbetrag:', '1.234,56 EUR']] }, 'png');
    await api.post(`/v1/jobs/${job.body.id}/files`).set(alice).attach('file', await scannedPdf([{ bytes: scan, format: 'jpeg' }]), { filename: 'scan.pdf', contentType: 'application/pdf' }).expect(201);
    await api.post(`/v1/jobs/${job.body.id}/files`).set(alice).attach('file', photo, { filename: 'rechnung.png', contentType: 'image/png' }).expect(201);
    const started = await api.post(`/v1/jobs/${job.body.id}/runs`).set(alice).expect(202);
    await platform.dispatcher.drain();

    const results = await api.get(`/v1/runs/${started.body.runId}/results`).set(alice).expect(200);
    const byFile = Object.fromEntries(results.body.items.map((item: { sourceFileName: string }) => [item.sourceFileName, item]));
    expect(byFile['scan.pdf']).toMatchObject({
      rows: [['INV-2025-0193', 1482.5]],
      citations: [[{ page: 1, quote: 'Invoice No: INV-2025-0193', verified: true }, { page: 1, quote: 'Total Due: $1,482.50', verified: true }]],
    });
    expect(byFile['rechnung.png']).toMatchObject({
      rows: [['RE-2025-00042', 1234.56]],
      citations: [[{ page: 1, quote: 'Rechnungsnummer: RE-2025-00042', verified: true }, { page: 1, quote: 'Gesamtbetrag: 1.234,56 EUR', verified: true }]],
    });
  }, 180_000);
});
