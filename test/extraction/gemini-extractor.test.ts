import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
  columns: fields.map((field) => field.name),
  results: [['INV-0042', '2025-03-12', 1234.5, false, ['Office chair', 'Desk lamp']]],
};

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
    expect(schema.required).toEqual(['columns', 'results']);
    expect(schema.properties.columns.items.enum).toEqual(fields.map((field) => field.name));
    expect(schema.properties.results.items.type).toBe('ARRAY');
    expect(sent!.body.safetySettings.length).toBeGreaterThan(0);
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
      columns: goodAnswer.columns,
      results: goodAnswer.results,
      engine: 'gemini-vertex',
      model: 'gemini-2.5-flash-001',
      usage: { inputTokens: 1830, outputTokens: 57 },
    });
  });

  it('reports unknown usage as null rather than zero', async () => {
    vertex.script({ kind: 'answer', answer: goodAnswer });
    const answer = await gemini.extract(request);
    expect(answer.usage).toEqual({ inputTokens: null, outputTokens: null });
  });

  it('treats malformed JSON as an invalid answer', async () => {
    vertex.script({ kind: 'text', text: '{"columns": ["invoice_number"], "results": [[' });
    const error = await failureOf(gemini.extract(request));
    expect(error).toBeInstanceOf(InvalidAnswerError);
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('says a truncated answer was cut off at the token limit', async () => {
    vertex.script({ kind: 'text', text: '{"columns": ["invoice_number", "inv', finishReason: 'MAX_TOKENS' });
    const error = await failureOf(gemini.extract(request));
    expect(error).toBeInstanceOf(InvalidAnswerError);
    expect(error.message).toMatch(/cut off at the output token limit/);
  });

  it('treats an off-schema answer as invalid and names the row, column and problem', async () => {
    const offSchema = { ...goodAnswer, results: [['INV-0042', '2025-03-12', '$1,234.50', false, []]] };
    vertex.script({ kind: 'answer', answer: offSchema });
    const error = await failureOf(gemini.extract(request));
    expect(error).toBeInstanceOf(InvalidAnswerError);
    expect(error.message).toContain('Row 1, column "total_amount"');
    expect(error.message).toContain('finite number');
  });

  it('fails permanently when Gemini refuses the document', async () => {
    vertex.script({ kind: 'blocked', blockReason: 'PROHIBITED_CONTENT' });
    const error = await failureOf(gemini.extract(request));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('content_blocked');
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
