import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { startAutomationWorld, type ImportWorld } from '../automations/world.js';
import { rawRequest, type RawAnswer } from './raw-http.js';

/**
 * Every operation of functions/api/openapi.json, read from the committed document (the
 * staleness test keeps it equal to the routes), gets the same hostile set: a route added
 * later joins this walk the day it is added. Each request must answer a 4xx (or a 2xx
 * where the input is legitimately fine) with `{ error: { code, message } }` on a 4xx,
 * never a 5xx, and the server must answer the next request.
 */

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  format?: string;
  $ref?: string;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  minItems?: number;
  minLength?: number;
}
interface Parameter { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: Schema }
interface Operation { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }
interface Document { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } }

const document = JSON.parse(readFileSync(new URL('../../functions/api/openapi.json', import.meta.url), 'utf8')) as Document;
const operations = Object.entries(document.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));

const alice = 'Bearer dev:alice';
const bob = 'Bearer dev:bob';
const MB = 1024 * 1024;

let world: ImportWorld;
let server: Server;
let base: string;
/** Real ids of alice's things by parameter / property name; anything else gets a fresh uuid. */
const ids: Record<string, string> = {};

beforeAll(async () => {
  const automation = await startAutomationWorld({ exportConfig: { destType: 'download', fileType: 'csv' } });
  world = automation.world;
  server = createServer(createApiApp(async () => world.platform));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api = world.api;
  const as = { Authorization: alice };
  ids.jobId = automation.jobId;
  ids.accountId = automation.accountId;
  ids.automationId = automation.automationId;
  ids.templateId = (await api.post('/v1/templates').set(as).send({ name: 'T', fields: [{ name: 'File', type: 'text' }] }).expect(201)).body.id;
  ids.fileId = (await api.post(`/v1/jobs/${ids.jobId}/files`).set(as).attach('file', Buffer.from('Invoice number: 7\n'), 'a.txt').expect(201)).body.id;
  const run = (await api.post(`/v1/jobs/${ids.jobId}/runs`).set(as).expect(202)).body;
  ids.runId = run.runId;
  ids.operationId = run.operationId;
  await world.platform.dispatcher.drain();
  ids.exportId = (await api.post(`/v1/runs/${ids.runId}/exports`).set(as).send({ destType: 'download', fileType: 'csv' }).expect(202)).body.id;
  await world.platform.dispatcher.drain();
  // Oversize multipart below means "over alice's limit": 1 MB here, so the walk stays light.
  await api.patch('/v1/settings').set(as).send({ maxUploadBytes: MB }).expect(200);
});
afterAll(async () => {
  server?.close();
  await world?.close();
});

function resolve(schema: Schema): Schema {
  if (schema.$ref) return resolve(document.components.schemas[schema.$ref.replace('#/components/schemas/', '')]!);
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice) return resolve(choice.find((s) => resolve(s).type !== 'null') ?? choice[0]!);
  if (schema.allOf) return schema.allOf.reduce<Schema>((all, s) => ({ ...all, ...resolve(s), properties: { ...all.properties, ...resolve(s).properties } }), {});
  return schema;
}

function typeOf(schema: Schema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
}

/** A plausible valid value: required properties only, alice's ids where a property names one. */
function example(raw: Schema, name = ''): unknown {
  const schema = resolve(raw);
  if (schema.enum) return schema.enum[0];
  switch (typeOf(schema)) {
    case 'object': return Object.fromEntries((schema.required ?? []).map((key) => [key, example(schema.properties![key]!, key)]));
    case 'array': return (schema.minItems ?? 0) > 0 ? [example(schema.items!, name)] : [];
    case 'integer': case 'number': return Math.max(schema.minimum ?? 1, 1);
    case 'boolean': return true;
    case 'string':
      if (schema.format === 'uuid') return ids[name] ?? randomUUID();
      if (schema.format === 'email') return 'someone@example.test';
      if (schema.format === 'date-time') return new Date().toISOString();
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
    default: return null;
  }
}

type Path = (string | number)[];

/** Every string and number leaf of a schema (arrays at index 0), optional ones included. */
function leaves(raw: Schema, path: Path = [], depth = 0): { path: Path; type: string }[] {
  const schema = resolve(raw);
  const type = typeOf(schema);
  if (depth > 6) return [];
  if (type === 'object') return Object.entries(schema.properties ?? {}).flatMap(([key, s]) => leaves(s, [...path, key], depth + 1));
  if (type === 'array' && schema.items) return leaves(schema.items, [...path, 0], depth + 1);
  if (type === 'string' || type === 'integer' || type === 'number') return [{ path, type }];
  return [];
}

/** An example of `raw` with `value` placed at `path`. */
function withValue(raw: Schema, path: Path, value: unknown, name = ''): unknown {
  if (path.length === 0) return value;
  const schema = resolve(raw);
  const [head, ...rest] = path;
  if (typeOf(schema) === 'array') return [withValue(schema.items!, rest, value, name)];
  const object = example(schema, name) as Record<string, unknown>;
  object[head as string] = withValue(schema.properties![head as string]!, rest, value, head as string);
  return object;
}

function pathFor(path: string, params: Parameter[], hostile?: { name: string; value: string }): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => (hostile?.name === name ? hostile.value : ids[name] ?? randomUUID()))
    + (params.some((p) => p.in === 'query' && p.required) ? `?${params.filter((p) => p.in === 'query' && p.required).map((p) => `${p.name}=${encodeURIComponent(String(example(p.schema, p.name)))}`).join('&')}` : '');
}

interface Case { name: string; method: string; url: string; headers?: Record<string, string>; body?: Buffer; expect?: (answer: RawAnswer) => void }

/** A 4xx carries the error shape; a 2xx is allowed (the input may be fine); a 5xx never. */
function assertAnswer(c: Case, answer: RawAnswer): void {
  expect(answer.status, `${c.name}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  if (answer.status >= 400) {
    expect(answer.json, `${c.name}: ${answer.text.slice(0, 300)}`).toEqual({ error: { code: expect.any(String), message: expect.any(String), requestId: expect.any(String) } });
    expect((answer.json as { error: { message: string } }).error.message.length).toBeGreaterThan(5);
  }
  // A rate limit (429) is an answer too; what the case expects otherwise is checked unless limited.
  if (answer.status !== 429) c.expect?.(answer);
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const hostileStrings: [string, string][] = [['a NUL', 'a\u0000b'], ['a lone surrogate', 'a\ud800b'], ['a 1 MB string', 'x'.repeat(MB)], ['a 64 KB string', 'é'.repeat(32 * 1024)]];
const hostileNumbers: [string, number | string][] = [['a huge number', 1e308], ['a negative number', -1], ['2^63', 2 ** 63], ['a fraction', 0.5], ['a numeric string', '12']];

function casesFor(method: string, path: string, op: Operation): Case[] {
  const params = op.parameters ?? [];
  const url = base + pathFor(path, params);
  const jsonBody = op.requestBody?.content['application/json']?.schema;
  const multipart = op.requestBody?.content['multipart/form-data'] !== undefined;
  const validBody = jsonBody ? json(example(jsonBody)) : undefined;
  const jsonHeaders = { 'content-type': 'application/json' };
  const cases: Case[] = [
    { name: 'no credentials', method, url, expect: (a) => expect(a.status).toBe(401) },
    { name: 'a malformed credential', method, url, headers: { authorization: 'Bearer' }, expect: (a) => expect(a.status).toBe(401) },
    { name: 'a Basic credential', method, url, headers: { authorization: 'Basic YWxpY2U6cGFzcw==' }, expect: (a) => expect(a.status).toBe(401) },
    { name: 'a forged token', method, url, headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.' }, expect: (a) => expect(a.status).toBe(401) },
    {
      name: "another user's credentials", method, url, headers: { authorization: bob, ...(validBody ? jsonHeaders : {}) }, ...(validBody ? { body: validBody } : {}),
      // Anything of alice's named in the path or the body is "not found" for bob, on every route.
      expect: (a) => { if (/\{\w+\}/.test(path) || Object.values(ids).some((id) => validBody?.includes(id))) expect([400, 404]).toContain(a.status); },
    },
    { name: 'malformed JSON', method, url, headers: { authorization: alice, ...jsonHeaders }, body: Buffer.from('{"name":'), expect: (a) => expect(a.status).toBe(400) },
    { name: 'JSON that is not an object', method, url, headers: { authorization: alice, ...jsonHeaders }, body: Buffer.from('"x"') },
    { name: 'a latin1 charset', method, url, headers: { authorization: alice, 'content-type': 'application/json; charset=latin1' }, body: Buffer.from('{"name":"caf\xe9"}', 'latin1'), expect: (a) => expect(a.status).toBe(415) },
    { name: 'a body that is not gzip', method, url, headers: { authorization: alice, ...jsonHeaders, 'content-encoding': 'gzip' }, body: Buffer.from('{"a":1}'), expect: (a) => expect(a.status).toBe(400) },
    { name: 'an unknown content-encoding', method, url, headers: { authorization: alice, ...jsonHeaders, 'content-encoding': 'zstd-x' }, body: Buffer.from('{}'), expect: (a) => expect(a.status).toBe(415) },
    { name: 'a JSON body over 1 MB', method, url, headers: { authorization: alice, ...jsonHeaders }, body: json({ padding: 'x'.repeat(MB + 10) }), expect: (a) => expect(a.status).toBe(413) },
  ];
  for (const param of params.filter((p) => p.in === 'path')) {
    for (const [what, value] of [['a NUL', '%00'], ['an invalid UTF-8 escape', '%ED%A0%80'], ['a broken escape', '%E0%A4%A'], ['a 4 KB string', 'x'.repeat(4096)], ['a negative number', '-1'], ['a huge number', '1e308']]) {
      cases.push({ name: `path ${param.name} holding ${what}`, method, url: base + pathFor(path, params, { name: param.name, value: value! }), headers: { authorization: alice }, expect: (a) => expect(a.status).toBe(400) });
    }
  }
  for (const param of params.filter((p) => p.in === 'query')) {
    const withQuery = (value: string) => `${url}${url.includes('?') ? '&' : '?'}${param.name}=${value}`;
    const values: [string, string][] = [
      ['a NUL', '%00'], ['an invalid UTF-8 escape', '%ED%A0%80'], ['an 8 KB string', 'x'.repeat(8192)], ['a negative number', '-1'], ['a huge number', '1e308'],
      ['twice', `1&${param.name}=2`],
      ['a forged cursor', Buffer.from(JSON.stringify({ createdAt: 'soon', at: 'soon', id: 'x', taskId: 'x', runNumber: 1e20 })).toString('base64url')],
      ['a cursor with a NUL', Buffer.from(JSON.stringify({ createdAt: '2026-01-01T00:00:00Z', at: '2026-01-01 00:00:00+00', id: ids.jobId, taskId: ids.jobId, runNumber: 1, x: '\u0000' })).toString('base64url')],
    ];
    for (const [what, value] of values) cases.push({ name: `query ${param.name} holding ${what}`, method, url: withQuery(value), headers: { authorization: alice } });
  }
  if (jsonBody) {
    for (const leaf of leaves(jsonBody)) {
      const field = ['body', ...leaf.path].join('.');
      const send = (what: string, value: unknown, check?: (a: RawAnswer) => void): Case => ({
        name: `${field} holding ${what}`, method, url, headers: { authorization: alice, ...jsonHeaders }, body: json(withValue(jsonBody, leaf.path, value)), ...(check ? { expect: check } : {}),
      });
      if (leaf.type === 'string') {
        for (const [what, value] of hostileStrings) {
          cases.push(send(what, value, (a) => {
            if (what === 'a 1 MB string') expect(a.status).toBe(413);
            if (what === 'a NUL' || what === 'a lone surrogate') {
              expect(a.status).toBe(400);
              expect((a.json as { error: { message: string } }).error.message).toContain(field);
            }
          }));
        }
      } else {
        for (const [what, value] of hostileNumbers) cases.push(send(what, value));
      }
    }
    cases.push({ name: 'a NUL in an unknown key', method, url, headers: { authorization: alice, ...jsonHeaders }, body: json({ ...(example(jsonBody) as object), 'k\u0000': 1 }), expect: (a) => expect(a.status).toBe(400) });
  }
  if (multipart) {
    const part = (boundary: string, filename: string, bytes: Buffer) => Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; ${filename.startsWith('filename') ? filename : `filename="${filename}"`}\r\nContent-Type: application/pdf\r\n\r\n`), bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const form = (body: Buffer, type = 'multipart/form-data; boundary=xx'): Case['headers'] => ({ authorization: alice, 'content-type': type, 'content-length': String(body.length) });
    const truncated = Buffer.from('--xx\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF');
    const oversize = part('xx', 'big.txt', Buffer.alloc(2 * MB, 0x61));
    const headerless = Buffer.from('--xx\r\n\r\n%PDF\r\n--xx--\r\n');
    const bigHeader = part('xx', 'a'.repeat(64 * 1024), Buffer.from('%PDF-1.4\n'));
    const nulHeader = part('xx', 'a\u0000b.txt', Buffer.from('hello\n'));
    const nulName = part('xx', "filename*=utf-8''a%00b.txt", Buffer.from('hello\n'));
    for (const [what, body, type, status] of [
      ['a multipart body cut short', truncated, undefined, 400], ['multipart without a boundary', truncated, 'multipart/form-data', 400],
      ['a file over the upload limit', oversize, undefined, 413], ['a part without headers', headerless, undefined, 400],
      ['a 64 KB part header', bigHeader, undefined, 400], ['only the closing boundary', Buffer.from('--xx--\r\n'), undefined, 400],
      ['an empty body', Buffer.alloc(0), undefined, 400], ['a NUL byte in a part header', nulHeader, undefined, 400], ['a file named with a NUL (RFC 5987)', nulName, undefined, 201],
    ] as [string, Buffer, string | undefined, number][]) {
      cases.push({ name: what, method, url, headers: form(body, type), body, expect: (a) => {
        expect(a.status, a.text).toBe(status);
        // The documented replacement: a NUL in a file name is stored as U+FFFD.
        if (status === 201) expect((a.json as { filename: string }).filename).toBe('a\uFFFDb.txt');
      } });
    }
  }
  return cases;
}

describe('every operation of openapi.json refuses hostile input with a 4xx JSON error and keeps serving', () => {
  it('the walk covers every operation the document lists', () => {
    expect(operations.length).toBeGreaterThan(30);
  });

  it.each(operations.map((o) => [`${o.method} ${o.path}`, o] as const))('%s', async (_title, { method, path, op }) => {
    for (const c of casesFor(method, path, op)) {
      const answer = await rawRequest(c.method, c.url, { headers: c.headers ?? {}, ...(c.body ? { body: c.body } : {}) });
      assertAnswer(c, answer);
      const next = await rawRequest('GET', `${base}/v1/jobs?limit=1`, { headers: { authorization: alice } });
      expect(next.status, `the server answers after ${c.name}`).toBeLessThan(500);
      expect(next.json, `the server answers after ${c.name}`).toBeDefined();
    }
  }, 120_000);
});
