import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PermanentError, RetryAfterError, TransientError } from '../../shared/errors.js';
import { createGeminiExtractor } from '../../shared/extraction/gemini.js';
import { InvalidAnswerError, type ExtractionRequest, type FieldSpec } from '../../shared/extraction/types.js';
import { fixedTokenClient, quotaExhausted, startVertexDouble, type VertexDouble } from '../doubles/vertex.js';

const fields: FieldSpec[] = [
  { name: 'invoice_number', type: 'text', description: 'Invoice or receipt number', required: true },
  { name: 'invoice_date', type: 'date', description: null, required: true },
  { name: 'total_amount', type: 'currency', description: 'Grand total', required: true },
  { name: 'paid', type: 'boolean', required: false },
  { name: 'line_items', type: 'list', required: false },
];

const request: ExtractionRequest = {
  fields,
  file: { uri: 'gs://bytereview-files/users/u1/jobs/j1/acme.pdf', mimeType: 'application/pdf', filename: 'acme.pdf' },
  systemPrompt: { version: 'v3', text: 'You read business documents and answer only JSON.' },
  model: 'gemini-2.5-flash',
};

const goodAnswer = {
  rows: [{ invoice_number: 'INV-0042', invoice_date: '2025-03-12', total_amount: 1234.5, paid: false, line_items: ['Office chair', 'Desk lamp'] }],
};
const goodRows = [['INV-0042', '2025-03-12', 1234.5, false, ['Office chair', 'Desk lamp']]];

let vertex: VertexDouble;
let gemini: ReturnType<typeof createGeminiExtractor>;

beforeAll(async () => {
  vertex = await startVertexDouble();
  gemini = createGeminiExtractor({
    project: 'bytereview-test',
    location: 'europe-west4',
    baseUrl: vertex.url,
    googleAuthOptions: { authClient: fixedTokenClient() },
    timeoutMs: 2_000,
  });
});
afterAll(() => vertex.close());
beforeEach(() => {
  vertex.requests.length = 0;
  vertex.respondWith(() => ({ kind: 'error', status: 500, googleStatus: 'INTERNAL', message: 'The Vertex double has no scripted reply for this request' }));
});

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(Error);
  return outcome as Error;
}

describe('the Gemini request', () => {
  it('points Gemini at the gs:// URI with the schema, JSON mode and the system prompt', async () => {
    vertex.script({ kind: 'answer', answer: goodAnswer });
    await gemini.extract(request);

    expect(vertex.requests).toHaveLength(1);
    const [sent] = vertex.requests;
    expect(sent!.route).toEqual({ version: 'v1', project: 'bytereview-test', location: 'europe-west4', model: 'gemini-2.5-flash' });
    expect(sent!.authorization).toBe('Bearer test-access-token');
    const parts = sent!.body.contents[0].parts;
    expect(parts).toContainEqual({ fileData: { fileUri: request.file.uri, mimeType: 'application/pdf' } });
    const prompt = parts.find((part: { text?: string }) => part.text).text as string;
    for (const field of fields) expect(prompt).toContain(field.name);
    expect(sent!.body.systemInstruction.parts[0].text).toBe(request.systemPrompt.text);
    expect(sent!.body.generationConfig.responseMimeType).toBe('application/json');
    const schema = sent!.body.generationConfig.responseSchema;
    expect(schema.required).toEqual(['rows']);
    expect(schema.properties.rows.items.propertyOrdering).toEqual(['invoice_number', 'invoice_date', 'total_amount', 'paid', 'line_items']);
    expect(sent!.body.safetySettings.length).toBeGreaterThan(0);
  });

  it('gives each of two date fields and two text fields its own typed property', async () => {
    const fourFields: FieldSpec[] = [
      { name: 'Invoice date', type: 'date', description: 'When the invoice was issued', required: true },
      { name: 'Due date', type: 'date', description: 'When payment is due', required: false },
      { name: 'Vendor', type: 'text', description: 'Who sends the invoice', required: true },
      { name: 'Customer', type: 'text', description: 'Who is billed', required: false },
    ];
    // The model writes the due date first: the keys, not the positions, say which is which.
    vertex.script({ kind: 'answer', answer: { rows: [{ due_date: '2025-04-11', customer: 'Globex', invoice_date: '2025-03-12', vendor: 'Acme' }] } });
    const answer = await gemini.extract({ ...request, fields: fourFields });

    const row = vertex.requests[0]!.body.generationConfig.responseSchema.properties.rows.items;
    expect(row.propertyOrdering).toEqual(['invoice_date', 'due_date', 'vendor', 'customer']);
    expect(row.required).toEqual(['invoice_date', 'vendor']);
    expect(row.properties.invoice_date).toMatchObject({ type: 'STRING', nullable: true });
    expect(row.properties.invoice_date.description).toContain('"Invoice date" (date, required). When the invoice was issued');
    expect(row.properties.invoice_date.description).toContain('YYYY-MM-DD');
    expect(row.properties.due_date.description).toContain('"Due date" (date, optional');
    expect(row.properties.vendor.description).toContain('Who sends the invoice');
    expect(row.properties.customer.description).toContain('Who is billed');
    expect(answer.columns).toEqual(['Invoice date', 'Due date', 'Vendor', 'Customer']);
    expect(answer.results).toEqual([['2025-03-12', '2025-04-11', 'Acme', 'Globex']]);
  });

  it('sends a file without a gs:// URI inline, as its bytes', async () => {
    const bytes = Buffer.from('%PDF-1.7 not really a pdf');
    const reading = createGeminiExtractor({
      project: 'bytereview-test',
      location: 'europe-west4',
      baseUrl: vertex.url,
      googleAuthOptions: { authClient: fixedTokenClient() },
      readFile: async (uri) => {
        expect(uri).toBe('file:///data/blobs/uploads/acme.pdf');
        return bytes;
      },
    });
    vertex.script({ kind: 'answer', answer: goodAnswer });
    await reading.extract({ ...request, file: { ...request.file, uri: 'file:///data/blobs/uploads/acme.pdf' } });
    const parts = vertex.requests[0]!.body.contents[0].parts;
    expect(parts).toContainEqual({ inlineData: { data: bytes.toString('base64'), mimeType: 'application/pdf' } });
  });

  it('with citations switched on, asks for { value, page, quote } and returns where each value was read', async () => {
    const citing = createGeminiExtractor({ apiKey: 'test-express-key', baseUrl: vertex.url, citations: true });
    const two = fields.slice(0, 2);
    vertex.script({
      kind: 'answer',
      answer: { rows: [{ invoice_number: { value: 'INV-0042', page: 1, quote: 'Invoice INV-0042' }, invoice_date: { value: '2025-03-12', page: 1, quote: '12 March 2025' } }] },
    });
    const answer = await citing.extract({ ...request, fields: two });
    const row = vertex.requests[0]!.body.generationConfig.responseSchema.properties.rows.items;
    expect(row.properties.invoice_date.propertyOrdering).toEqual(['value', 'page', 'quote']);
    expect(answer.results).toEqual([['INV-0042', '2025-03-12']]);
    expect(answer.citations).toEqual([[{ page: 1, quote: 'Invoice INV-0042' }, { page: 1, quote: '12 March 2025' }]]);
  });

  it('uses a Vertex AI express-mode API key instead of a project and credentials', async () => {
    const express = createGeminiExtractor({ apiKey: 'test-express-key', baseUrl: vertex.url });
    vertex.script({ kind: 'answer', answer: goodAnswer });
    const answer = await express.extract(request);
    const [sent] = vertex.requests;
    expect(sent!.apiKey).toBe('test-express-key');
    expect(sent!.authorization).toBeUndefined();
    expect(sent!.route).toEqual({ version: 'v1', project: null, location: null, model: 'gemini-2.5-flash' });
    expect(answer.results).toEqual(goodRows);
  });

  it('keeps the API key out of the error when Vertex refuses it', async () => {
    const express = createGeminiExtractor({ apiKey: 'secret-express-key-123', baseUrl: vertex.url });
    vertex.script({ kind: 'error', status: 403, googleStatus: 'PERMISSION_DENIED', message: 'API key not valid. Please pass a valid API key.' });
    const error = await failureOf(express.extract(request));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toContain('API key not valid');
    expect(`${error.message} ${String(error.stack)} ${JSON.stringify(error)}`).not.toContain('secret-express-key-123');
  });

  it('does not send a file Gemini cannot read from Cloud Storage', async () => {
    const local = { ...request, file: { ...request.file, uri: 'file:///tmp/acme.pdf' } };
    const error = await failureOf(gemini.extract(local));
    expect(error).toBeInstanceOf(PermanentError);
    expect(vertex.requests).toHaveLength(0);
  });
});

describe('a Gemini answer', () => {
  it('returns the validated rows, the model version and the token usage', async () => {
    vertex.script({ kind: 'answer', answer: goodAnswer, usage: { prompt: 1830, candidates: 57 } });
    const answer = await gemini.extract(request);
    expect(answer).toEqual({
      columns: fields.map((field) => field.name),
      results: goodRows,
      engine: 'gemini-vertex',
      model: 'gemini-2.5-flash-001',
      usage: { inputTokens: 1830, outputTokens: 57 },
    });
  });

  it('logs the billed tokens on one structured line (the vertex_tokens metric reads it)', async () => {
    vertex.script({ kind: 'answer', answer: goodAnswer, usage: { prompt: 1830, candidates: 57 } });
    const spy = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await gemini.extract(request);
      const lines = spy.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
      expect(lines).toEqual([{ severity: 'INFO', component: 'vertex', message: 'gemini answered', model: 'gemini-2.5-flash-001', inputTokens: 1830, outputTokens: 57, totalTokens: 1887 }]);
    } finally {
      spy.mockRestore();
    }
  });

  it('reports unknown usage as null rather than zero', async () => {
    vertex.script({ kind: 'answer', answer: goodAnswer });
    const answer = await gemini.extract(request);
    expect(answer.usage).toEqual({ inputTokens: null, outputTokens: null });
  });

  it('treats malformed JSON as an invalid answer', async () => {
    vertex.script({ kind: 'text', text: '{"rows": [{"invoice_number": "INV' });
    const error = await failureOf(gemini.extract(request));
    expect(error).toBeInstanceOf(InvalidAnswerError);
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('says a truncated answer was cut off at the token limit', async () => {
    vertex.script({ kind: 'text', text: '{"rows": [{"invoice_number": "INV', finishReason: 'MAX_TOKENS' });
    const error = await failureOf(gemini.extract(request));
    expect(error).toBeInstanceOf(InvalidAnswerError);
    expect(error.message).toMatch(/cut off at the output token limit/);
  });

  it('treats an off-schema answer as invalid and names the row, field and problem', async () => {
    const offSchema = { rows: [{ ...goodAnswer.rows[0], total_amount: '$1,234.50' }] };
    vertex.script({ kind: 'answer', answer: offSchema });
    const error = await failureOf(gemini.extract(request));
    expect(error).toBeInstanceOf(InvalidAnswerError);
    expect(error.message).toContain('Row 1, field "total_amount" (currency)');
    expect(error.message).toContain('finite number');
  });

  it('treats an answer with a key that is none of the fields as invalid', async () => {
    vertex.script({ kind: 'answer', answer: { rows: [{ ...goodAnswer.rows[0], customer: 'Globex' }] } });
    const error = await failureOf(gemini.extract(request));
    expect(error).toBeInstanceOf(InvalidAnswerError);
    expect(error.message).toContain('"customer"');
  });

  it('fails permanently when Gemini refuses the document', async () => {
    vertex.script({ kind: 'blocked', blockReason: 'PROHIBITED_CONTENT' });
    const error = await failureOf(gemini.extract(request));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('content_blocked');
  });
});

describe('a job with more fields than one schema holds', () => {
  const wide: FieldSpec[] = Array.from({ length: 200 }, (_, i) => ({
    name: `Box ${i + 1}`,
    type: i % 2 === 0 ? 'text' : 'number',
    required: i === 0,
  }));
  const valueOf = (i: number) => (i % 2 === 0 ? `text ${i + 1}` : i + 1);

  /** Answers each request with the rows its own schema asks for. */
  function answerWhatIsAsked(rowsPerRequest: (index: number) => number) {
    let index = 0;
    vertex.respondWith((sent) => {
      const keys: string[] = sent.body.generationConfig.responseSchema.properties.rows.items.propertyOrdering;
      const row = Object.fromEntries(keys.map((key) => [key, valueOf(Number(/\d+/.exec(key)![0]) - 1)]));
      return { kind: 'answer', answer: { rows: Array.from({ length: rowsPerRequest(index++) }, () => row) }, usage: { prompt: 1000, candidates: 50 } };
    });
  }

  it('asks in several requests for the same document and stores one row of all 200 fields in order', async () => {
    answerWhatIsAsked(() => 1);
    const answer = await gemini.extract({ ...request, fields: wide });
    expect(vertex.requests).toHaveLength(2);
    for (const sent of vertex.requests) {
      expect(sent.body.contents[0].parts).toContainEqual({ fileData: { fileUri: request.file.uri, mimeType: 'application/pdf' } });
    }
    expect(answer.columns).toEqual(wide.map((field) => field.name));
    expect(answer.results).toEqual([wide.map((_, i) => valueOf(i))]);
    expect(answer.usage).toEqual({ inputTokens: 2000, outputTokens: 100 });
  });

  it('treats requests that found different numbers of rows as an invalid answer', async () => {
    answerWhatIsAsked((index) => index + 1);
    const error = await failureOf(gemini.extract({ ...request, fields: wide }));
    expect(error).toBeInstanceOf(InvalidAnswerError);
    expect(error.message).toContain('has 1 row(s) but the answer for fields');
  });

  it('fails a job too big to ask about without sending anything', async () => {
    const huge: FieldSpec[] = Array.from({ length: 801 }, (_, i) => ({ name: `Box ${i + 1}`, type: 'text', required: false }));
    const error = await failureOf(gemini.extract({ ...request, fields: huge }));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('too_many_fields');
    expect(vertex.requests).toHaveLength(0);
  });
});

describe('Vertex failures', () => {
  it('turns a 429 with a seven-second hint into RetryAfterError(7)', async () => {
    vertex.script(quotaExhausted(7));
    const error = await failureOf(gemini.extract(request));
    expect(error).toBeInstanceOf(RetryAfterError);
    expect((error as RetryAfterError).retryAfterSeconds).toBe(7);
  });

  it('bounds a quota back-off at five minutes', async () => {
    vertex.script(quotaExhausted(3600));
    const error = await failureOf(gemini.extract(request));
    expect((error as RetryAfterError).retryAfterSeconds).toBe(300);
  });

  // The SDK's ApiError drops response headers; a header-only hint cannot be read.
  it('waits the default 30 seconds when the 429 body carries no RetryInfo', async () => {
    vertex.script(quotaExhausted(7, 'header'));
    const error = await failureOf(gemini.extract(request));
    expect(error).toBeInstanceOf(RetryAfterError);
    expect((error as RetryAfterError).retryAfterSeconds).toBe(30);
  });

  it('turns a 500 into a TransientError', async () => {
    vertex.script({ kind: 'error', status: 500, googleStatus: 'INTERNAL', message: 'Internal error encountered.' });
    const error = await failureOf(gemini.extract(request));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toContain('Internal error encountered.');
  });

  it('turns a 400 about the file into a PermanentError that names it', async () => {
    vertex.script({
      kind: 'error',
      status: 400,
      googleStatus: 'INVALID_ARGUMENT',
      message: 'The document has no pages or is not a valid PDF.',
    });
    const error = await failureOf(gemini.extract(request));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('unreadable_file');
    expect(error.message).toContain('acme.pdf');
    expect(error.message).toContain('not a valid PDF');
  });

  it('turns any other 4xx into a PermanentError', async () => {
    vertex.script({ kind: 'error', status: 404, googleStatus: 'NOT_FOUND', message: 'Publisher model gemini-9 was not found.' });
    const error = await failureOf(gemini.extract(request));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('vertex_rejected');
  });

  it('turns an answer slower than the deadline into a TransientError', async () => {
    vertex.script({ kind: 'answer', answer: goodAnswer, delayMs: 5_000 });
    const started = Date.now();
    const error = await failureOf(gemini.extract(request));
    expect(error).toBeInstanceOf(TransientError);
    expect(Date.now() - started).toBeLessThan(4_500);
  });

  it('stops waiting when the caller aborts', async () => {
    vertex.script({ kind: 'answer', answer: goodAnswer, delayMs: 5_000 });
    const started = Date.now();
    const error = await failureOf(gemini.extract({ ...request, signal: AbortSignal.timeout(100) }));
    expect(error).toBeInstanceOf(TransientError);
    // Well before the extractor's own 2 s deadline: the caller's signal ended the call.
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('turns a refused connection into a TransientError', async () => {
    const gone = await startVertexDouble();
    await gone.close();
    const unreachable = createGeminiExtractor({
      project: 'bytereview-test',
      location: 'europe-west4',
      baseUrl: gone.url,
      googleAuthOptions: { authClient: fixedTokenClient() },
    });
    const error = await failureOf(unreachable.extract(request));
    expect(error).toBeInstanceOf(TransientError);
  });
});
