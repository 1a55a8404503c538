import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { DRIVE_FILE, DRIVE_READONLY, GMAIL_READONLY, GMAIL_SEND } from '../../shared/google/scopes.js';
import { runCleanup } from '../../shared/maintenance/cleanup.js';
import { alice, bob, seedRun, startExportWorld, type ExportWorld } from '../export-runs/fixtures.js';
import { pdf } from '../imports/fixtures.js';
import type { scriptedExtractor } from '../support/extractors.js';
import { connectGoogleAccount } from '../support/google-account.js';

let world: ExportWorld;
let jobId: string;
let otherJobId: string;
let uploadJobId: string;
let accountId: string;
let driveFiles: string[];

const db = () => world.platform.database.db;
const modelCalls = () => (world.platform.extractor as ReturnType<typeof scriptedExtractor>).calls.length;
async function count(table: 'extraction_jobs' | 'templates' | 'automations' | 'job_runs' | 'job_exports' | 'connector_jobs' | 'oauth_states' | 'source_files', where?: { column: string; value: string }) {
  const row = await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'))
    .$if(where !== undefined, (qb) => qb.where(sql.ref(where!.column), '=', where!.value)).executeTakeFirstOrThrow();
  return Number(row.n);
}
/** The job's runs, newest first. */
const runsOf = async (job: string) => db().selectFrom('job_runs').select('id').where('job_id', '=', job).orderBy('run_number', 'desc').execute();

beforeAll(async () => {
  world = await startExportWorld();
  accountId = await connectGoogleAccount(world.platform, world.google, 'alice', 'alice@example.com', { scopes: [DRIVE_READONLY, DRIVE_FILE, GMAIL_READONLY, GMAIL_SEND] });
  const job = (name: string) => world.api.post('/v1/jobs').set(alice).send({ name, fields: [{ name: 'File', type: 'text' }] }).expect(201).then((r) => r.body.id as string);
  [jobId, otherJobId, uploadJobId] = [await job('Invoices'), await job('Receipts'), await job('Uploads')];
  for (const [job, name] of [[jobId, 'a.pdf'], [jobId, 'unreadable-b.pdf'], [otherJobId, 'c.pdf']] as const) {
    await world.api.post(`/v1/jobs/${job}/files`).set(alice).attach('file', pdf(name), name).expect(201);
  }
  driveFiles = ['one.pdf', 'two.pdf'].map((name) => world.google.state.drive.addFile({ name, mimeType: 'application/pdf', bytes: pdf(name) }).id);
});
afterAll(() => world?.close());

/** A POST taking an Idempotency-Key: `send` makes the request (`other`: a different one), `effects` counts what it makes. */
interface IdempotentCase {
  route: string;
  send(key: string, other?: boolean): PromiseLike<Response>;
  effects(): Promise<Record<string, number>>;
}

const cases: IdempotentCase[] = [
  {
    route: 'POST /v1/jobs',
    send: (key, other) => world.api.post('/v1/jobs').set(alice).set('Idempotency-Key', key).send({ name: other ? 'Other' : 'Retried job' }),
    effects: async () => ({ jobs: await count('extraction_jobs') }),
  },
  {
    route: 'POST /v1/templates',
    send: (key, other) => world.api.post('/v1/templates').set(alice).set('Idempotency-Key', key)
      .send({ name: 'Invoice fields', fields: [{ name: other ? 'Vendor' : 'Total', type: 'text' }] }),
    effects: async () => ({ templates: await count('templates') }),
  },
  {
    route: 'POST /v1/jobs/:jobId/runs',
    send: (key, other) => world.api.post(`/v1/jobs/${other ? otherJobId : jobId}/runs`).set(alice).set('Idempotency-Key', key),
    effects: async () => ({ runs: await count('job_runs', { column: 'job_id', value: jobId }), modelCalls: modelCalls() }),
  },
  {
    route: 'POST /v1/runs/:runId/retry',
    // unreadable-b.pdf fails for good, so every retry has a failed task to run again.
    send: async (key, other) => {
      const runs = await runsOf(jobId);
      return world.api.post(`/v1/runs/${runs[other ? 1 : 0]!.id}/retry`).set(alice).set('Idempotency-Key', key);
    },
    effects: async () => ({ modelCalls: modelCalls() }),
  },
  {
    route: 'POST /v1/runs/:runId/exports',
    send: async (key, other) => {
      const [latest] = await runsOf(jobId);
      return world.api.post(`/v1/runs/${latest!.id}/exports`).set(alice).set('Idempotency-Key', key)
        .send({ destType: 'gmail', fileType: 'csv', to: other ? 'other@example.org' : 'books@example.org' });
    },
    effects: async () => ({ exports: await count('job_exports'), emails: world.google.state.gmail.sentMessages().length }),
  },
  {
    route: 'POST /v1/jobs/:jobId/imports/drive',
    send: (key, other) => world.api.post(`/v1/jobs/${jobId}/imports/drive`).set(alice).set('Idempotency-Key', key)
      .send({ accountId, fileIds: [driveFiles[other ? 1 : 0]] }),
    effects: async () => ({ imports: await count('connector_jobs') }),
  },
  {
    route: 'POST /v1/automations',
    send: (key, other) => world.api.post('/v1/automations').set(alice).set('Idempotency-Key', key)
      .send({ name: 'Vendor invoices', jobId, accountId, trigger: { query: other ? 'from:other@example.org' : 'from:vendor@example.org' } }),
    effects: async () => ({ automations: await count('automations') }),
  },
  {
    route: 'POST /v1/jobs/:jobId/files (multipart)',
    send: (key, other) => world.api.post(`/v1/jobs/${uploadJobId}/files`).set(alice).set('Idempotency-Key', key)
      .attach('file', pdf(other ? 'another scan' : 'scan'), 'scan.pdf'),
    effects: async () => ({ files: await count('source_files', { column: 'job_id', value: uploadJobId }) }),
  },
  {
    route: 'POST /v1/jobs/:jobId/files/uploads',
    send: (key, other) => world.api.post(`/v1/jobs/${uploadJobId}/files/uploads`).set(alice).set('Idempotency-Key', key)
      .send({ filename: 'big.pdf', contentType: 'application/pdf', sizeBytes: other ? 2000 : 1000 }),
    effects: async () => ({ files: await count('source_files', { column: 'job_id', value: uploadJobId }) }),
  },
  {
    route: 'POST /v1/integrations/google/connect',
    send: (key, other) => world.api.post('/v1/integrations/google/connect').set(alice).set('Idempotency-Key', key).send({ scopes: [other ? 'gmail' : 'drive'] }),
    effects: async () => ({ oauthStates: await count('oauth_states') }),
  },
];

/** What the world holds once every message the requests caused has run. */
async function settled(c: IdempotentCase) {
  await world.platform.dispatcher.drain();
  return c.effects();
}

const minus = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - b[k]!]));

describe('Idempotency-Key on the POSTs that create something or cost money', () => {
  it.each(cases)('$route: the same key twice does the work once and answers the same; another request with it is 422; four at once do it once', async (c) => {
    const before = await settled(c);
    const key = randomUUID();
    const first = await c.send(key);
    expect(first.status, JSON.stringify(first.body)).toBeLessThan(300);
    const once = await settled(c);
    const oneCall = minus(once, before);
    expect(Object.values(oneCall).every((n) => n > 0), JSON.stringify(oneCall)).toBe(true);

    const again = await c.send(key);
    expect({ status: again.status, body: again.body, etag: again.headers.etag }).toEqual({ status: first.status, body: first.body, etag: first.headers.etag });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await settled(c)).toEqual(once);

    const other = await c.send(key, true);
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ code: 'idempotency_key_reused', requestId: other.headers['x-request-id'] });
    expect(await settled(c)).toEqual(once);

    const together = randomUUID();
    const answers = await Promise.all([1, 2, 3, 4].map(() => c.send(together)));
    const answered = answers.filter((a) => a.status < 300);
    expect(answered.length).toBeGreaterThan(0);
    for (const a of answered) expect(a.body).toEqual(answered[0]!.body);
    // One of them did the work; the others waited for its answer (or were told to come back).
    expect(answered.filter((a) => a.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status >= 300)) {
      expect(a.status).toBe(409);
      expect(a.headers['retry-after']).toBe('1');
    }
    expect(minus(await settled(c), once)).toEqual(oneCall);
  });

  it('every POST of the api declares Idempotency-Key in openapi.json', async () => {
    const document = (await world.api.get('/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
    const posts = Object.entries(document.paths).flatMap(([path, ops]) => (ops.post ? [[path, ops.post] as const] : []));
    expect(posts.length).toBeGreaterThan(10);
    for (const [path, op] of posts) {
      expect(op.parameters?.some((p) => p.name === 'Idempotency-Key' && p.in === 'header'), path).toBe(true);
    }
  });

  it('a replayed cancel answers what the first one did, where a new request is refused', async () => {
    const { runId } = await seedRun(world, { documents: [{ fileName: 'a.pdf', rows: [] }], status: 'in_progress' });
    const key = randomUUID();
    const cancel = (k: string) => world.api.post(`/v1/runs/${runId}/cancel`).set(alice).set('Idempotency-Key', k);
    const first = await cancel(key).expect(200);
    expect(first.body.status).toBe('cancelled');
    const again = await cancel(key).expect(200);
    expect(again.body).toEqual(first.body);
    await cancel(randomUUID()).expect(409);
  });

  it('an answer that says "try again" (409) is not kept: the repeat with the key runs again', async () => {
    const started = await world.api.post(`/v1/jobs/${uploadJobId}/files/uploads`).set(alice).send({ filename: 'x.pdf', contentType: 'application/pdf', sizeBytes: 10 }).expect(201);
    const key = randomUUID();
    const finalize = () => world.api.post(`/v1/jobs/${uploadJobId}/files/${started.body.fileId}/finalize`).set(alice).set('Idempotency-Key', key);
    const first = await finalize().expect(409);
    const again = await finalize().expect(409);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.body.error.code).toBe(first.body.error.code);
    expect(again.body.error.requestId).not.toBe(first.body.error.requestId);
  });

  it('keys are per user: the same key from another user is their own request', async () => {
    const key = randomUUID();
    const mine = await world.api.post('/v1/templates').set(alice).set('Idempotency-Key', key).send({ name: 'Mine', fields: [{ name: 'A', type: 'text' }] }).expect(201);
    const theirs = await world.api.post('/v1/templates').set(bob).set('Idempotency-Key', key).send({ name: 'Mine', fields: [{ name: 'A', type: 'text' }] }).expect(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('a malformed key is a 400 naming the header, and nothing is made', async () => {
    const before = await count('extraction_jobs');
    const res = await world.api.post('/v1/jobs').set(alice).set('Idempotency-Key', 'has spaces in it').send({ name: 'J' }).expect(400);
    expect(res.body.error.message).toMatch(/^Idempotency-Key: /);
    await world.api.post('/v1/jobs').set(alice).set('Idempotency-Key', 'x'.repeat(256)).send({ name: 'J' }).expect(400);
    expect(await count('extraction_jobs')).toBe(before);
  });

  it('the key order and spacing of a JSON body do not make it another request', async () => {
    const key = randomUUID();
    const first = await world.api.post('/v1/jobs').set(alice).set('Idempotency-Key', key).set('Content-Type', 'application/json')
      .send('{"name":"Ordered","fields":[{"name":"A","type":"text"}]}').expect(201);
    const again = await world.api.post('/v1/jobs').set(alice).set('Idempotency-Key', `"${key}"`).set('Content-Type', 'application/json')
      .send('{ "fields": [ { "type": "text", "name": "A" } ], "name": "Ordered" }').expect(201);
    expect(again.body.id).toBe(first.body.id);
  });

  it('a refusal is kept and replayed; a request whose first try was refused for a reason that passes runs again with a new key', async () => {
    const empty = (await world.api.post('/v1/jobs').set(alice).send({ name: 'Empty' }).expect(201)).body.id;
    const key = randomUUID();
    const first = await world.api.post(`/v1/jobs/${empty}/runs`).set(alice).set('Idempotency-Key', key).expect(422);
    const again = await world.api.post(`/v1/jobs/${empty}/runs`).set(alice).set('Idempotency-Key', key).expect(422);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('cleanup forgets keys after 24 hours; the same key then makes a new object', async () => {
    const key = randomUUID();
    const first = await world.api.post('/v1/templates').set(alice).set('Idempotency-Key', key).send({ name: 'Daily', fields: [{ name: 'A', type: 'text' }] }).expect(201);
    await db().updateTable('idempotency_keys').set({ created_at: sql<Date>`now() - interval '25 hours'` }).where('key', '=', key).execute();
    const report = await runCleanup(world.platform, { outboxAgeSeconds: 3600 });
    expect(report.expiredIdempotencyKeysDeleted).toBe(1);
    expect(await db().selectFrom('idempotency_keys').select('key').where('key', '=', key).execute()).toEqual([]);
    const later = await world.api.post('/v1/templates').set(alice).set('Idempotency-Key', key).send({ name: 'Daily', fields: [{ name: 'A', type: 'text' }] }).expect(201);
    expect(later.body.id).not.toBe(first.body.id);
  });
});

describe('two uploads with one key while the first is still sending its file', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer(createApiApp(async () => world.platform)).listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server?.close());

  /** A multipart upload sent by hand, half of its file at once and the rest on `finish()`; each gets its own boundary, as a browser's retry does. */
  function upload(key: string, bytes: Buffer) {
    const boundary = `----retry${randomUUID()}`;
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const req = httpRequest(`${base}/v1/jobs/${uploadJobId}/files`, {
      method: 'POST',
      headers: { ...alice, 'Idempotency-Key': key, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': head.length + bytes.length + tail.length },
    });
    const answer = once(req, 'response').then(async ([res]) => {
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      return { status: res.statusCode as number, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString()) };
    });
    const half = Math.floor(bytes.length / 2);
    req.write(Buffer.concat([head, bytes.subarray(0, half)]));
    return { answer, finish: () => req.end(Buffer.concat([bytes.subarray(half), tail])) };
  }

  const claimed = async (key: string) => {
    for (let i = 0; i < 200; i++) {
      if (await db().selectFrom('idempotency_keys').select('key').where('key', '=', key).executeTakeFirst()) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the first upload never claimed its key');
  };

  it('the second waits for the first and gets its answer; one file is kept', async () => {
    const before = await count('source_files', { column: 'job_id', value: uploadJobId });
    const key = randomUUID();
    const bytes = pdf('uploaded over a slow network');
    const first = upload(key, bytes);
    await claimed(key);
    const second = upload(key, bytes);
    second.finish();
    setTimeout(first.finish, 300);
    const [a, b] = await Promise.all([first.answer, second.answer]);
    expect(a.status).toBe(201);
    expect(b).toMatchObject({ status: 201, body: a.body, headers: { 'idempotent-replayed': 'true' } });
    expect(await count('source_files', { column: 'job_id', value: uploadJobId })).toBe(before + 1);
  });

  it('the second gets 409 with Retry-After when the first takes too long, and another file with the key is 422 once it is done', async () => {
    const before = await count('source_files', { column: 'job_id', value: uploadJobId });
    const key = randomUUID();
    const first = upload(key, pdf('a very slow upload'));
    await claimed(key);
    const impatient = upload(key, pdf('a very slow upload'));
    impatient.finish();
    const refused = await impatient.answer;
    expect(refused).toMatchObject({ status: 409, headers: { 'retry-after': '1' }, body: { error: { code: 'request_in_progress' } } });
    first.finish();
    expect((await first.answer).status).toBe(201);
    const retried = upload(key, pdf('a very slow upload'));
    retried.finish();
    expect(await retried.answer).toMatchObject({ status: 201, headers: { 'idempotent-replayed': 'true' } });
    const otherFile = upload(key, pdf('not the same file'));
    otherFile.finish();
    expect((await otherFile.answer).status).toBe(422);
    expect(await count('source_files', { column: 'job_id', value: uploadJobId })).toBe(before + 1);
  }, 20_000);
});
