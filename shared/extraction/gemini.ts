import {
  FinishReason,
  GoogleGenAI,
  HarmBlockThreshold,
  HarmCategory,
  type GenerateContentResponse,
  type GoogleGenAIOptions,
  type Part,
  type SafetySetting,
} from '@google/genai';
import { PermanentError } from '../errors.js';
import { joinStoredAnswers, toStoredAnswer, type StoredAnswer } from './answer-rows.js';
import { planAnswerRequests, type AnswerRequest } from './answer-schema.js';
import { describeFieldsForModel } from './extraction-prompt.js';
import { InvalidAnswerError, type ExtractionAnswer, type ExtractionRequest, type Extractor } from './types.js';
import { classifyVertexFailure } from './vertex-failure.js';

/**
 * Who pays and answers: a Google Cloud project (Application Default Credentials, or
 * `googleAuthOptions`) in a location, or a Vertex AI express-mode API key.
 */
export type GeminiExtractorOptions = ({ project: string; location: string; apiKey?: undefined } | { apiKey: string; project?: undefined; location?: undefined }) &
  GeminiClientOptions;

interface GeminiClientOptions {
  /** Another endpoint than `https://{location}-aiplatform.googleapis.com/` (tests: the Vertex double). */
  baseUrl?: string;
  /** Vertex REST version; `v1` (GA) unless told, where the SDK would default to `v1beta1`. */
  apiVersion?: string;
  safetySettings?: SafetySetting[];
  /**
   * Passed to google-auth-library. Leave unset in production: Application Default
   * Credentials (the function's service account). Tests pass `{ authClient }` holding a
   * fixed access token so nothing asks the metadata server.
   */
  googleAuthOptions?: GoogleGenAIOptions['googleAuthOptions'];
  /** Deadline for one `generateContent` call; a slower answer is a TransientError. */
  timeoutMs?: number;
  /**
   * Reads a file that has no `gs://` URI (the local stack's blobs): its bytes are sent
   * inline. Without it, only `gs://` URIs are read (Gemini fetches them itself).
   */
  readFile?: (uri: string) => Promise<Buffer>;
  /** Ask for each value as `{ value, page, quote }` (issue 14's citations); off by default. */
  citations?: boolean;
}

/** Vertex's limit for one PDF sent through the API (document understanding, Gemini 2.5). */
export const MAX_INLINE_BYTES = 50 * 1024 * 1024;

/**
 * Business documents quote amounts, names and medical or legal terms; blocking on
 * "medium" probability refuses harmless invoices, so only high-probability harm blocks.
 */
export const DOCUMENT_SAFETY_SETTINGS: SafetySetting[] = [
  HarmCategory.HARM_CATEGORY_HARASSMENT,
  HarmCategory.HARM_CATEGORY_HATE_SPEECH,
  HarmCategory.HARM_CATEGORY_SEXUALLY_EXPLICIT,
  HarmCategory.HARM_CATEGORY_DANGEROUS_CONTENT,
].map((category) => ({ category, threshold: HarmBlockThreshold.BLOCK_ONLY_HIGH }));

const BLOCKING_FINISH_REASONS = new Set<string>([
  FinishReason.SAFETY,
  FinishReason.RECITATION,
  FinishReason.BLOCKLIST,
  FinishReason.PROHIBITED_CONTENT,
  FinishReason.SPII,
]);

/**
 * An Extractor that asks Gemini on Vertex AI to read the file straight from its `gs://`
 * URI (no download, seed 002 §4.3), or inline when it has none (the local stack), and
 * answer rows keyed by field, each value typed by its field (`answer-schema.ts`). One
 * `generateContent` call per `extract`, more only for a job too big for one schema;
 * every answer goes through the one conversion to the stored shape (`answer-rows.ts`).
 * Retries belong to the extraction stage.
 *
 * @example
 * const gemini = createGeminiExtractor({ project: 'bytereview-prod', location: 'europe-west4' });
 * const express = createGeminiExtractor({ apiKey: process.env.GOOGLE_API_KEY! });
 */
export function createGeminiExtractor(options: GeminiExtractorOptions): Extractor {
  const client = new GoogleGenAI({
    vertexai: true,
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : { project: options.project, location: options.location }),
    ...(options.googleAuthOptions ? { googleAuthOptions: options.googleAuthOptions } : {}),
    httpOptions: {
      apiVersion: options.apiVersion ?? 'v1',
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    },
  });
  const safetySettings = options.safetySettings ?? DOCUMENT_SAFETY_SETTINGS;

  const answerOptions = { citations: options.citations ?? false };

  /** One `generateContent` call for one group of the fields, its answer checked and converted. */
  async function extractPart(request: ExtractionRequest, part: AnswerRequest, document: Part): Promise<{ stored: StoredAnswer; response: GenerateContentResponse }> {
    const { file, model } = request;
    let response: GenerateContentResponse;
    try {
      response = await client.models.generateContent({
        model,
        contents: [{ role: 'user', parts: [{ text: describeFieldsForModel(part.fields, part.keys, answerOptions) }, document] }],
        config: {
          systemInstruction: request.systemPrompt.text,
          safetySettings,
          responseMimeType: 'application/json',
          responseSchema: part.schema,
          // Extraction wants the most likely reading, the same one every retry.
          temperature: 0,
          // One request per part: a continuation hop would bill and retry behind our back.
          automaticContinuation: false,
          ...(request.signal ? { abortSignal: request.signal } : {}),
        },
      });
    } catch (error) {
      throw classifyVertexFailure(error, { filename: file.filename, model });
    }
    logVertexUsage(response, model);
    const parsed = parseAnswerText(response, file.filename);
    return { stored: toStoredAnswer(part.fields, parsed, { ...answerOptions, keys: part.keys }), response };
  }

  return {
    engine: 'gemini-vertex',
    async extract(request: ExtractionRequest): Promise<ExtractionAnswer> {
      const parts = planAnswerRequests(request.fields, answerOptions);
      const document = await documentPart(request.file, options.readFile);
      // One after another: a quota refusal stops the document before more is billed.
      const answers: Awaited<ReturnType<typeof extractPart>>[] = [];
      for (const part of parts) answers.push(await extractPart(request, part, document));
      const { columns, results, citations } = joinStoredAnswers(answers.map((answer) => answer.stored));
      const responses = answers.map((answer) => answer.response);
      return {
        columns,
        results,
        ...(citations ? { citations } : {}),
        engine: 'gemini-vertex',
        model: responses[0]?.modelVersion ?? request.model,
        usage: {
          inputTokens: sumOrNull(responses.map((response) => response.usageMetadata?.promptTokenCount)),
          outputTokens: sumOrNull(responses.map((response) => response.usageMetadata?.candidatesTokenCount)),
        },
      };
    },
  };
}

/**
 * The document as Gemini reads it: by its `gs://` URI (deployed: Gemini fetches it from
 * Cloud Storage), or its bytes inline when there is no bucket (the local stack).
 */
async function documentPart(file: ExtractionRequest['file'], readFile: GeminiClientOptions['readFile']): Promise<Part> {
  if (file.uri.startsWith('gs://')) return { fileData: { fileUri: file.uri, mimeType: file.mimeType } };
  if (!readFile) {
    throw new PermanentError(`Gemini reads files from gs:// URIs only; ${file.filename} is at ${file.uri}`, 'unsupported_uri');
  }
  const bytes = await readFile(file.uri);
  if (bytes.length > MAX_INLINE_BYTES) {
    throw new PermanentError(
      `${file.filename} is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; Gemini reads files of at most ${MAX_INLINE_BYTES / 1024 / 1024} MB`,
      'file_too_large',
    );
  }
  return { inlineData: { data: bytes.toString('base64'), mimeType: file.mimeType } };
}

/** Token counts added up over the parts; null when Vertex reported none. */
function sumOrNull(counts: (number | undefined)[]): number | null {
  const known = counts.filter((count): count is number => count !== undefined);
  return known.length === 0 ? null : known.reduce((sum, count) => sum + count, 0);
}

/**
 * One structured line per answered call with the tokens Vertex billed, so the
 * `vertex_tokens` log-based metric (terraform/monitoring.tf) can chart them.
 */
function logVertexUsage(response: GenerateContentResponse, model: string): void {
  const usage = response.usageMetadata;
  console.log(JSON.stringify({
    severity: 'INFO', component: 'vertex', message: 'gemini answered', model: response.modelVersion ?? model,
    inputTokens: usage?.promptTokenCount ?? 0, outputTokens: usage?.candidatesTokenCount ?? 0, totalTokens: usage?.totalTokenCount ?? 0,
  }));
}

/** The answer's text as JSON; a refusal is permanent, anything unparsable is invalid. */
function parseAnswerText(response: GenerateContentResponse, filename: string): unknown {
  const blockReason = response.promptFeedback?.blockReason;
  const finishReason = response.candidates?.[0]?.finishReason;
  if (blockReason || (finishReason && BLOCKING_FINISH_REASONS.has(finishReason))) {
    throw new PermanentError(`Gemini refused to read ${filename} (${blockReason ?? finishReason})`, 'content_blocked');
  }
  const text = response.text;
  if (!text) {
    throw new InvalidAnswerError(`Model answered no text (finish reason ${finishReason ?? 'unknown'})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const why = finishReason === FinishReason.MAX_TOKENS ? 'cut off at the output token limit' : (error as Error).message;
    throw new InvalidAnswerError(`Model answer is not valid JSON (${why}): ${text.slice(0, 80)}`, { cause: error });
  }
}
