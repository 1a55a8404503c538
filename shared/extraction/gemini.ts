import {
  FinishReason,
  GoogleGenAI,
  HarmBlockThreshold,
  HarmCategory,
  type GenerateContentResponse,
  type GoogleGenAIOptions,
  type SafetySetting,
} from '@google/genai';
import { PermanentError } from '../errors.js';
import { buildResponseSchema, validateAnswer } from './answer-schema.js';
import { describeFieldsForModel } from './extraction-prompt.js';
import { InvalidAnswerError, type ExtractionAnswer, type ExtractionRequest, type Extractor } from './types.js';
import { classifyVertexFailure } from './vertex-failure.js';

export interface GeminiExtractorOptions {
  project: string;
  location: string;
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
}

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
 * URI (no download, seed 002 §4.3) and answer JSON constrained by the fields' schema.
 * One `generateContent` call per `extract`; retries belong to the extraction stage.
 *
 * @example
 * const gemini = createGeminiExtractor({ project: 'bytereview-prod', location: 'europe-west4' });
 */
export function createGeminiExtractor(options: GeminiExtractorOptions): Extractor {
  const client = new GoogleGenAI({
    vertexai: true,
    project: options.project,
    location: options.location,
    ...(options.googleAuthOptions ? { googleAuthOptions: options.googleAuthOptions } : {}),
    httpOptions: {
      apiVersion: options.apiVersion ?? 'v1',
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    },
  });
  const safetySettings = options.safetySettings ?? DOCUMENT_SAFETY_SETTINGS;

  return {
    engine: 'gemini-vertex',
    async extract(request: ExtractionRequest): Promise<ExtractionAnswer> {
      const { file, fields, model } = request;
      if (!file.uri.startsWith('gs://')) {
        throw new PermanentError(`Gemini reads files from gs:// URIs only; ${file.filename} is at ${file.uri}`, 'unsupported_uri');
      }
      let response: GenerateContentResponse;
      try {
        response = await client.models.generateContent({
          model,
          contents: [
            {
              role: 'user',
              parts: [{ text: describeFieldsForModel(fields) }, { fileData: { fileUri: file.uri, mimeType: file.mimeType } }],
            },
          ],
          config: {
            systemInstruction: request.systemPrompt.text,
            safetySettings,
            responseMimeType: 'application/json',
            responseSchema: buildResponseSchema(fields),
            // Extraction wants the most likely reading, the same one every retry.
            temperature: 0,
            // One request per task: a continuation hop would bill and retry behind our back.
            automaticContinuation: false,
            ...(request.signal ? { abortSignal: request.signal } : {}),
          },
        });
      } catch (error) {
        throw classifyVertexFailure(error, { filename: file.filename, model });
      }
      logVertexUsage(response, model);
      const parsed = parseAnswerText(response, file.filename);
      const { columns, results } = validateAnswer(fields, parsed);
      return {
        columns,
        results,
        engine: 'gemini-vertex',
        model: response.modelVersion ?? model,
        usage: {
          inputTokens: response.usageMetadata?.promptTokenCount ?? null,
          outputTokens: response.usageMetadata?.candidatesTokenCount ?? null,
        },
      };
    },
  };
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
