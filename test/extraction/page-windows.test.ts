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

/** The window's PDF as the Gemini client sent it inline, one text per page. */
async function pagesSent(sent: RecordedVertexRequest): Promise<string[]> {
  const inline = sent.body.contents[0].parts.find((part: any) => part.inlineData)?.inlineData;
  const pdf = await getDocumentProxy(new Uint8Array(Buffer.from(inline.data, 'base64')), { verbosity: 0 });
  try {
    return (await extractText(pdf, { mergePages: false })).text;
  } finally {
    await pdf.destroy();
  }
}

/** What a careful model answers for the pages it was sent: every line item, each value cited on its page of the window. */
function modelAnswer(pages: readonly string[]): unknown {
  const cite = (value: unknown, page: number, quote: string) => ({ value, page, quote });
  const none = { value: null, page: null, quote: null };
  let number: unknown = none;
  let total: unknown = none;
  const items: Array<{ item: unknown; quantity: unknown; amount: unknown; page: number }> = [];
  pages.forEach((text, p) => {
    for (const line of text.split('\n')) {
      const numbered = /^Statement No: (\S+)$/.exec(line);
      if (numbered) number = cite(numbered[1], p + 1, line);
      const totalled = /^Total: ([\d.]+)$/.exec(line);
      if (totalled) total = cite(Number(totalled[1]), p + 1, line);
      const item = /^(Part \d{4} \w+) (\d+) ([\d.]+)$/.exec(line);
      if (item) items.push({ item: cite(item[1], p + 1, item[1]!), quantity: cite(Number(item[2]), p + 1, item[2]!), amount: cite(Number(item[3]), p + 1, item[3]!), page: p + 1 });
    }
  });
  return { rows: items.map(({ item, quantity, amount }) => ({ statement_number: number, item, quantity, amount, total })) };
}

describe('page windows with Gemini (the Vertex double answering per window)', () => {
  const gemini = () =>
    withPageWindows(createGeminiExtractor({ apiKey: 'test-express-key', baseUrl: vertex.url, citations: true, timeoutMs: 10_000, readFile }), { readFile, windowPages: 20 });

  it('every row of the 120-page statement once, in order, from one request per window', async () => {
    vertex.requests.length = 0;
    vertex.respondWith(async (sent): Promise<VertexReply> => ({ kind: 'answer', answer: modelAnswer(await pagesSent(sent)), usage: { prompt: 1000, candidates: 500 } }));
    const answer = await gemini().extract(request);
    expect(answer.results).toEqual(expectedRows(statement.items));
    expect(vertex.requests).toHaveLength(7);
    expect(answer.usage).toEqual({ inputTokens: 7000, outputTokens: 3500 });
    expect(answer.citations![599]![1]).toEqual({ page: 120, quote: statement.items[599]!.item, verified: true });
  });

  it('an answer cut at the output limit is never kept: the window is split and asked again until each part fits', async () => {
    vertex.requests.length = 0;
    vertex.respondWith(async (sent): Promise<VertexReply> => {
      const pages = await pagesSent(sent);
      if (pages.length > 6) {
        // A cut answer that still parses (the rows array closed early) is not accepted either.
        const cut = modelAnswer(pages.slice(0, 2));
        return { kind: 'answer', answer: cut, finishReason: 'MAX_TOKENS' };
      }
      return { kind: 'answer', answer: modelAnswer(pages) };
    });
    const answer = await gemini().extract(request);
    expect(answer.results).toEqual(expectedRows(statement.items));
    const splits = answer.windows!.filter((w) => w.outcome === 'split');
    expect(splits[0]).toMatchObject({ firstPage: 1, lastPage: 20 });
    expect(answer.windows!.filter((w) => w.outcome === 'completed').every((w) => w.lastPage - w.firstPage + 1 <= 6)).toBe(true);
  });

  it('an answer cut mid-JSON is split too, and a single page that still overflows fails the document with that reason', async () => {
    vertex.requests.length = 0;
    vertex.respondWith(async (sent): Promise<VertexReply> => {
      const pages = await pagesSent(sent);
      const text = JSON.stringify(modelAnswer(pages));
      return pages.some((page) => page.includes('Page 3 of 4'))
        ? { kind: 'text', text: text.slice(0, Math.floor(text.length / 2)), finishReason: 'STOP' }
        : { kind: 'answer', answer: modelAnswer(pages) };
    });
    const small = await makeLongStatement(4, 20);
    const read = async () => small.bytes;
    const extractor = withPageWindows(createGeminiExtractor({ apiKey: 'k', baseUrl: vertex.url, citations: true, readFile: read }), { readFile: read, windowPages: 20 });
    const failure = await extractor.extract(request).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PermanentError);
    expect(failure).toMatchObject({ code: 'output_limit' });
    expect((failure as Error).message).toContain('page 3 of statement.pdf');
    // Pages 1-4, then 1-2 (answered), 3-4, then 3 alone.
    expect(vertex.requests).toHaveLength(4);
  });

  it('a quote that is not on the page it cites is returned unverified', async () => {
    vertex.requests.length = 0;
    const small = await makeLongStatement(2, 4);
    vertex.respondWith(async (sent): Promise<VertexReply> => {
      const answer = modelAnswer(await pagesSent(sent)) as { rows: Array<Record<string, { value: unknown; page: number | null; quote: string | null }>> };
      answer.rows[0]!['item']!.page = 2;
      answer.rows[1]!['amount']!.quote = 'nowhere on this page';
      return { kind: 'answer', answer };
    });
    const read = async () => small.bytes;
    const answer = await withPageWindows(createGeminiExtractor({ apiKey: 'k', baseUrl: vertex.url, citations: true, readFile: read }), { readFile: read }).extract(request);
    expect(answer.citations![0]![1]).toEqual({ page: 2, quote: small.items[0]!.item, verified: false });
    expect(answer.citations![1]![3]).toEqual({ page: 1, quote: 'nowhere on this page', verified: false });
    expect(answer.citations![1]![1]).toMatchObject({ verified: true });
  });
});

describe('merging window answers', () => {
  it('a one-record document takes each field from the first window that has it', () => {
    const merged = mergeWindowAnswers([
      { firstPage: 1, lastPage: 20, columns: ['Number', 'Total'], results: [['INV-1', null]], citations: [[{ page: 1, quote: 'No INV-1' }, null]] },
      { firstPage: 20, lastPage: 39, columns: ['Number', 'Total'], results: [['INV-9', null]], citations: [[{ page: 25, quote: 'ref INV-9' }, null]] },
      { firstPage: 39, lastPage: 40, columns: ['Number', 'Total'], results: [[null, 99.5]], citations: [[null, { page: 40, quote: 'Total 99.50' }]] },
    ]);
    expect(merged).toEqual({ columns: ['Number', 'Total'], results: [['INV-1', 99.5]], citations: [[{ page: 1, quote: 'No INV-1' }, { page: 40, quote: 'Total 99.50' }]] });
  });

  it('without citations, the rows one window ends with and the next starts with are kept once', () => {
    const merged = mergeWindowAnswers([
      { firstPage: 1, lastPage: 2, columns: ['Item'], results: [['a'], ['b'], ['c']] },
      { firstPage: 2, lastPage: 3, columns: ['Item'], results: [['b'], ['c'], ['d']] },
    ]);
    expect(merged.results).toEqual([['a'], ['b'], ['c'], ['d']]);
  });
});
