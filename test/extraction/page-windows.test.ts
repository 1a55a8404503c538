import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '../../shared/errors.js';
import { createGeminiExtractor } from '../../shared/extraction/gemini.js';
import { createLocalExtractor } from '../../shared/extraction/local.js';
import { mergeWindowAnswers, planWindows, withPageWindows } from '../../shared/extraction/page-windows.js';
import type { ExtractionRequest, FieldSpec } from '../../shared/extraction/types.js';
import { startVertexDouble, type RecordedVertexRequest, type VertexDouble, type VertexReply } from '../doubles/vertex.js';
import { makeLongStatement, type LineItem } from './long-document.js';

const fields: FieldSpec[] = [
  { name: 'Statement number', type: 'text', required: true },
  { name: 'Item', type: 'text', required: true },
  { name: 'Quantity', type: 'number', required: true },
  { name: 'Amount', type: 'currency', required: true },
  { name: 'Total', type: 'currency', required: false },
];

const URI = 'local://uploads/statement.pdf';
const request: ExtractionRequest = {
  fields,
  file: { uri: URI, mimeType: 'application/pdf', filename: 'statement.pdf' },
  systemPrompt: { version: 'v1', text: 'Read the document.' },
  model: 'gemini-2.5-flash',
};

let statement: Awaited<ReturnType<typeof makeLongStatement>>;
let vertex: VertexDouble;
const readFile = async (uri: string) => {
  if (uri !== URI) throw new Error(`no file ${uri}`);
  return statement.bytes;
};

beforeAll(async () => {
  statement = await makeLongStatement(120, 600);
  vertex = await startVertexDouble();
});
afterAll(() => vertex.close());

/** The rows the user should see: one per line item, in printed order, the statement's number and total on each. */
const expectedRows = (items: readonly LineItem[]) => items.map((item) => [statement.number, item.item, item.quantity, item.amount, statement.total]);

describe('page windows', () => {
  it('plans windows of the given size, each sharing one page with the one before', () => {
    expect(planWindows(120, 20)).toEqual([
      { firstPage: 1, lastPage: 20 }, { firstPage: 20, lastPage: 39 }, { firstPage: 39, lastPage: 58 }, { firstPage: 58, lastPage: 77 },
      { firstPage: 77, lastPage: 96 }, { firstPage: 96, lastPage: 115 }, { firstPage: 115, lastPage: 120 },
    ]);
    expect(planWindows(20, 20)).toEqual([{ firstPage: 1, lastPage: 20 }]);
  });

  it('the local extractor reads a 120-page, 600-row statement in windows: every row once, in order, each value cited and verified', async () => {
    const extractor = withPageWindows(createLocalExtractor({ readFile }), { readFile, windowPages: 20 });
    const answer = await extractor.extract(request);
    expect(answer.results).toEqual(expectedRows(statement.items));
    expect(answer.windows?.map((w) => [w.firstPage, w.lastPage, w.outcome])).toEqual(planWindows(120, 20).map((w) => [w.firstPage, w.lastPage, 'completed']));
    // Row 101 is the first on page 21: its cells are cited there, the number on page 1, the total on page 120.
    expect(answer.citations![100]).toEqual([
      { page: 1, quote: `Statement No: ${statement.number}`, verified: true },
      { page: 21, quote: statement.items[100]!.item, verified: true },
      { page: 21, quote: String(statement.items[100]!.quantity), verified: true },
      { page: 21, quote: statement.items[100]!.amount.toFixed(2), verified: true },
      { page: 120, quote: `Total: ${statement.total.toFixed(2)}`, verified: true },
    ]);
    expect(answer.citations!.flat().every((citation) => citation?.verified === true)).toBe(true);
  });

  it('the local extractor gives the same rows reading the statement whole', async () => {
    const extractor = withPageWindows(createLocalExtractor({ readFile }), { readFile, windowPages: 200 });
    const answer = await extractor.extract(request);
    expect(answer.results).toEqual(expectedRows(statement.items));
    expect(answer.windows).toBeUndefined();
  });
});
