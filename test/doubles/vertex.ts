import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GoogleGenAIOptions } from '@google/genai';
import { OAuth2Client } from 'google-auth-library';

/**
 * A stand-in for Vertex AI's REST `:generateContent` endpoint, on 127.0.0.1, that the
 * real @google/genai client talks to through `httpOptions.baseUrl`.
 */

type SdkAuthClient = NonNullable<NonNullable<GoogleGenAIOptions['googleAuthOptions']>['authClient']>;

/**
 * google-auth-library with a fixed token (`test-access-token`): it never asks the metadata
 * server for one. The SDK bundles google-auth-library 10 and the project has 11; the
 * clients keep one runtime contract (`getRequestHeaders`) but their private fields make the
 * types differ.
 */
export function fixedTokenClient(): SdkAuthClient {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'test-access-token', expiry_date: Date.now() + 3_600_000 });
  return client as unknown as SdkAuthClient;
}

/** What the double answers to the next request. */
export type VertexReply =
  /** 200 with the JSON-encoded `answer` as the candidate's text. */
  | { kind: 'answer'; answer: unknown; usage?: { prompt: number; candidates: number }; finishReason?: string; delayMs?: number }
  /** 200 with this exact candidate text (malformed JSON, prose). */
  | { kind: 'text'; text: string; finishReason?: string; delayMs?: number }
  /** 200 whose prompt was blocked: no candidates, `promptFeedback.blockReason`. */
  | { kind: 'blocked'; blockReason: string }
  /** An error status with Google's error envelope and optional extra headers. */
  | { kind: 'error'; status: number; googleStatus: string; message: string; headers?: Record<string, string>; details?: unknown[] };

export interface RecordedVertexRequest {
  method: string;
  path: string;
  /**
   * Path parts of `/{version}/projects/{p}/locations/{l}/publishers/google/models/{m}:generateContent`;
   * express mode (an API key) leaves out the project and location.
   */
  route: { version: string; project: string | null; location: string | null; model: string } | null;
  authorization: string | undefined;
  /** The express-mode API key header, `x-goog-api-key`. */
  apiKey: string | undefined;
  body: any;
}

export interface VertexDouble {
  /** Base URL to hand the SDK as `httpOptions.baseUrl`. */
  url: string;
  requests: RecordedVertexRequest[];
  /** Queues replies, answered in order, one per request. An empty queue asks the responder, or answers 500. */
  script(...replies: VertexReply[]): void;
  /** Answers each request the queue does not, from what it asked (concurrent requests in any order). */
  respondWith(responder: (request: RecordedVertexRequest) => VertexReply): void;
  close(): Promise<void>;
}

/** 429 as Vertex sends it, with the wait both as a header and as google.rpc.RetryInfo. */
export function quotaExhausted(retryAfterSeconds: number, where: 'header' | 'header-and-body' = 'header-and-body'): VertexReply {
  return {
    kind: 'error',
    status: 429,
    googleStatus: 'RESOURCE_EXHAUSTED',
    message: 'Resource exhausted. Please try again later.',
    headers: { 'retry-after': String(retryAfterSeconds) },
    details:
      where === 'header-and-body'
        ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSeconds}s` }]
        : [],
  };
}

const ROUTE = /^\/([^/]+)\/(?:projects\/([^/]+)\/locations\/([^/]+)\/)?publishers\/google\/models\/([^/:]+):generateContent$/;

/** Starts the double on an ephemeral port of 127.0.0.1. */
export async function startVertexDouble(): Promise<VertexDouble> {
  const requests: RecordedVertexRequest[] = [];
  const queue: VertexReply[] = [];
  let responder: ((request: RecordedVertexRequest) => VertexReply) | undefined;
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    const path = (req.url ?? '').split('?')[0]!;
    const match = ROUTE.exec(path);
    const route = match
      ? { version: match[1]!, project: match[2] ?? null, location: match[3] ?? null, model: decodeURIComponent(match[4]!) }
      : null;
    const apiKey = req.headers['x-goog-api-key'];
    const recorded = { method: req.method ?? '', path, route, authorization: req.headers.authorization, apiKey: typeof apiKey === 'string' ? apiKey : undefined, body: safeJson(text) };
    requests.push(recorded);
    if (!route || req.method !== 'POST') {
      return sendError(res, { kind: 'error', status: 404, googleStatus: 'NOT_FOUND', message: `No route ${req.method} ${path}` });
    }
    const reply = queue.shift() ?? responder?.(recorded) ?? {
      kind: 'error',
      status: 500,
      googleStatus: 'INTERNAL',
      message: 'The Vertex double has no scripted reply for this request',
    };
    const delayMs = 'delayMs' in reply ? (reply.delayMs ?? 0) : 0;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (res.destroyed) return;
      answer(res, reply, route.model);
    }, delayMs);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...replies) => void queue.push(...replies),
    respondWith: (answer) => {
      responder = answer;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answer(res: ServerResponse, reply: VertexReply, model: string): void {
  switch (reply.kind) {
    case 'error':
      return sendError(res, reply);
    case 'blocked':
      return sendJson(res, 200, { promptFeedback: { blockReason: reply.blockReason }, modelVersion: model });
    case 'answer':
    case 'text': {
      const text = reply.kind === 'answer' ? JSON.stringify(reply.answer) : reply.text;
      const usage = reply.kind === 'answer' ? reply.usage : undefined;
      return sendJson(res, 200, {
        candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: reply.finishReason ?? 'STOP', index: 0 }],
        usageMetadata: usage
          ? { promptTokenCount: usage.prompt, candidatesTokenCount: usage.candidates, totalTokenCount: usage.prompt + usage.candidates }
          : undefined,
        modelVersion: `${model}-001`,
      });
    }
  }
}

function sendError(res: ServerResponse, reply: Extract<VertexReply, { kind: 'error' }>): void {
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  const error: Record<string, unknown> = { code: reply.status, message: reply.message, status: reply.googleStatus };
  if (reply.details && reply.details.length > 0) error['details'] = reply.details;
  sendJson(res, reply.status, { error });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
