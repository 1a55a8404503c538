import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import { createApiApp } from '../../functions/api/app.js';
import { createLocalExtractor } from '../../shared/extraction/local.js';
import { withPageWindows } from '../../shared/extraction/page-windows.js';
import { makeLongStatement } from '../extraction/long-document.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

const alice = { Authorization: 'Bearer dev:alice' };
let platform: TestPlatform;
afterEach(() => platform?.close());

/** The platform's extractor as both platforms build it: the local engine, in windows of 20 pages. */
async function setUp() {
  const readFile = (uri: string) => platform.blobs.readAll(uri);
  platform = await createTestPlatform({ extractor: withPageWindows(createLocalExtractor({ readFile }), { readFile, windowPages: 20 }) });
  return request(createApiApp(async () => platform));
}

async function readExport(name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of platform.blobs.read('exports', name)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('a long statement through a run', () => {
  it('600 rows from 120 pages, each value with its verified citation in the results api, the windows in the step trail, and a Sources sheet in the XLSX', async () => {
    const api = await setUp();
    const statement = await makeLongStatement(120, 600);
    const job = await api.post('/v1/jobs').set(alice).send({
      name: 'Statements',
      fields: [{ name: 'Statement number', type: 'text', required: true }, { name: 'Item', type: 'text' }, { name: 'Quantity', type: 'number' }, { name: 'Amount', type: 'currency' }],
    }).expect(201);
    await api.post(`/v1/jobs/${job.body.id}/files`).set(alice).attach('file', statement.bytes, { filename: 'statement.pdf', contentType: 'application/pdf' }).expect(201);
    const started = await api.post(`/v1/jobs/${job.body.id}/runs`).set(alice).expect(202);
    await platform.dispatcher.drain();

    const results = await api.get(`/v1/runs/${started.body.runId}/results`).set(alice).expect(200);
    const [result] = results.body.items;
    expect(result.rows).toEqual(statement.items.map((item) => [statement.number, item.item, item.quantity, item.amount]));
    expect(result.citations).toHaveLength(600);
    expect(result.citations[599]).toEqual([
      { page: 1, quote: `Statement No: ${statement.number}`, verified: true },
      { page: 120, quote: statement.items[599]!.item, verified: true },
      { page: 120, quote: String(statement.items[599]!.quantity), verified: true },
      { page: 120, quote: statement.items[599]!.amount.toFixed(2), verified: true },
    ]);

    const steps = await platform.database.db.selectFrom('operation_steps').select(['step_name', 'event_status', 'data'])
      .where('operation_id', '=', started.body.operationId).where('step_name', 'like', 'extract %').orderBy('created_at').execute();
    expect(steps.map((step) => [step.step_name, step.event_status])).toEqual(
      [[1, 20], [20, 39], [39, 58], [58, 77], [77, 96], [96, 115], [115, 120]].map(([first, last]) => [`extract statement.pdf pages ${first}-${last}`, 'completed']),
    );
    expect(steps[0]!.data).toMatchObject({ firstPage: 1, lastPage: 20, rows: 100 });

    const xlsx = await api.post(`/v1/runs/${started.body.runId}/exports`).set(alice).send({ destType: 'download', fileType: 'xlsx', sources: true }).expect(202);
    const csv = await api.post(`/v1/runs/${started.body.runId}/exports`).set(alice).send({ destType: 'download', fileType: 'csv' }).expect(202);
    await platform.dispatcher.drain();
    const xlsxDone = (await api.get(`/v1/exports/${xlsx.body.id}`).set(alice).expect(200)).body;
    expect(xlsxDone).toMatchObject({ status: 'completed', options: { sources: true }, rowsExported: 600 });
    const workbook = XLSX.read(await readExport(xlsxDone.externalId), { type: 'buffer' });
    expect(workbook.SheetNames).toEqual(['Statements', 'Sources']);
    const sources = XLSX.utils.sheet_to_json<unknown[]>(workbook.Sheets.Sources!, { header: 1, raw: true });
    expect(sources[0]).toEqual(['Source file', 'Sheet row', 'Field', 'Value', 'Page', 'Quote', 'Verified']);
    expect(sources).toHaveLength(1 + 600 * 4);
    // Results row 102 (sheet row 103) is the first line item on page 21.
    expect(sources.filter((row) => row[1] === 103)).toEqual([
      ['statement.pdf', 103, 'Statement number', statement.number, 1, `Statement No: ${statement.number}`, true],
      ['statement.pdf', 103, 'Item', statement.items[101]!.item, 21, statement.items[101]!.item, true],
      ['statement.pdf', 103, 'Quantity', statement.items[101]!.quantity, 21, String(statement.items[101]!.quantity), true],
      ['statement.pdf', 103, 'Amount', statement.items[101]!.amount, 21, statement.items[101]!.amount.toFixed(2), true],
    ]);
    const results102 = XLSX.utils.sheet_to_json<unknown[]>(workbook.Sheets.Statements!, { header: 1, raw: true })[102];
    expect(results102?.slice(0, 4)).toEqual([statement.number, statement.items[101]!.item, statement.items[101]!.quantity, statement.items[101]!.amount]);

    const csvDone = (await api.get(`/v1/exports/${csv.body.id}`).set(alice).expect(200)).body;
    const records = parse(await readExport(csvDone.externalId), { bom: true }) as string[][];
    expect(records[0]).toEqual(['Statement number', 'Item', 'Quantity', 'Amount', 'Source file', 'Source type']);
    expect(records).toHaveLength(601);
  }, 120_000);

  it('asking for a Sources sheet in a CSV export is refused, naming the option', async () => {
    const api = await setUp();
    const runId = '00000000-0000-4000-8000-000000000000';
    const refused = await api.post(`/v1/runs/${runId}/exports`).set(alice).send({ destType: 'download', fileType: 'csv', sources: true }).expect(400);
    expect(JSON.stringify(refused.body)).toContain('only for fileType xlsx');
  });
});
