import { PermanentError, RetryAfterError, TransientError } from '../../shared/errors.js';
import { InvalidAnswerError, type ExtractionAnswer, type ExtractionRequest, type Extractor } from '../../shared/extraction/types.js';

/**
 * A scripted extractor for pipeline tests (the Vertex double covers the Gemini client
 * itself): answers one row per document, the first column holding the file name, and
 * misbehaves on cue by file name: `unreadable` fails for good, `flaky` fails twice with a
 * 503, `quota` answers 429 once, `garbled` always answers off-schema.
 */
export function scriptedExtractor(opts: { latencyMs?: (request: ExtractionRequest) => number } = {}): Extractor & { calls: ExtractionRequest[] } {
  const calls: ExtractionRequest[] = [];
  const seen = new Map<string, number>();
  return {
    engine: 'scripted-test',
    calls,
    async extract(request): Promise<ExtractionAnswer> {
      calls.push(request);
      const name = request.file.filename;
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      const wait = opts.latencyMs?.(request) ?? 0;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (name.includes('unreadable')) throw new PermanentError(`${name} cannot be read`, 'unreadable_file');
      if (name.includes('flaky') && n <= 2) throw new TransientError('Vertex answered 503');
      if (name.includes('quota') && n <= 1) throw new RetryAfterError('Vertex answered 429', 1);
      if (name.includes('garbled')) throw new InvalidAnswerError('results.0.1: expected a number');
      const columns = request.fields.map((f) => f.name);
      const row = request.fields.map((f, i) => (i === 0 ? name : f.type === 'number' || f.type === 'currency' ? 42.5 : f.type === 'boolean' ? true : null));
      return { columns, results: [row], engine: 'scripted-test', model: request.model, usage: { inputTokens: 100, outputTokens: 10 } };
    },
  };
}
