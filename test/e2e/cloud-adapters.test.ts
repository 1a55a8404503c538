import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { PubSub, type Message, type Subscription } from '@google-cloud/pubsub';
import { PassThroughClient } from 'google-auth-library';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real function modules: importing them registers `api`, `run-initializer` and
// `extraction` with the functions framework, exactly as the deployed entry point does.
import '../../functions/api/index.js';
import '../../functions/extraction/index.js';
import '../../functions/run-initializer/index.js';
import { createAuthenticator } from '../../shared/auth/identity.js';
import { GcsBlobStore } from '../../shared/blobs/gcs.js';
import { createGeminiExtractor } from '../../shared/extraction/gemini.js';
import { silentLogger } from '../../shared/log.js';
import { taskIdFor } from '../../shared/messaging/cloud-tasks.js';
import { createCloudMessageBus } from '../../shared/messaging/cloud.js';
import type { MessageOf } from '../../shared/messaging/contracts.js';
import { createPubSubPublisher, pubsubTopicId } from '../../shared/messaging/pubsub.js';
import { installPlatform, resetPlatform, type Platform } from '../../shared/platform.js';
import { startCloudTasksDouble, type CloudTasksDouble } from '../doubles/cloud-tasks.js';
import { startGcsDouble, type GcsDouble } from '../doubles/gcs.js';
import { fixedTokenClient, startVertexDouble, type VertexDouble } from '../doubles/vertex.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { pubsubEmulatorAvailable, startPubSubEmulator, type PubSubEmulator } from '../support/pubsub-emulator.js';
import { sleep, waitFor } from '../support/wait.js';

/**
 * The production Platform pieces end to end: the real function handlers served by the
 * functions framework, Pub/Sub through the gcloud emulator (a push subscription calls
 * `run-initializer`), Cloud Tasks through a double that the real client creates tasks on
 * and that dispatches them to `extraction`, Cloud Storage on the GCS double and Gemini on
 * the Vertex double. Nothing in-process stands between the stages.
 */

const project = 'bytereview-e2e';
const topicPrefix = 'bytereview-';
const buckets = { uploads: 'br-e2e-uploads', exports: 'br-e2e-exports' };
const tasksLocation = 'europe-west1';
const extractionQueue = 'extraction';
const invoker = 'tasks-invoker@bytereview-e2e.iam.gserviceaccount.com';
const vertexLocation = 'europe-west4';
const model = 'gemini-2.5-flash';
const alice = { Authorization: 'Bearer dev:alice' };
/** Pub/Sub client options for the emulator; an auth client of its own keeps the library from probing for a metadata server. */
const emulatorClient = (host: string) => ({ projectId: project, apiEndpoint: host, authClient: new PassThroughClient() });

const fields = [
  { name: 'Invoice number', type: 'text', required: true },
  { name: 'Total', type: 'currency', required: true },
];
/** What Gemini answers: rows keyed by field; what the api shows: the stored columns and rows. */
const geminiAnswer = { rows: [{ invoice_number: 'INV-0042', total: 1234.5 }] };
const storedAnswer = { columns: ['Invoice number', 'Total'], results: [['INV-0042', 1234.5]] };

/** A functions-framework server for a registered function, listening on a loopback port, with every answer it gave. */
async function serve(functionName: string): Promise<{ server: Server; url: string; answers: { path: string; status: number }[] }> {
  const server = getTestServer(functionName);
  const answers: { path: string; status: number }[] = [];
  server.on('request', (req, res) => res.once('finish', () => answers.push({ path: req.url ?? '', status: res.statusCode })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, answers };
}

async function samplePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Invoice INV-0042 - Total 1,234.50 EUR', { x: 50, y: 780, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}

describe.skipIf(!pubsubEmulatorAvailable())('the production adapters, end to end', { timeout: 120_000 }, () => {
  let emulator: PubSubEmulator;
  let admin: PubSub;
  let gcs: GcsDouble;
  let vertex: VertexDouble;
  let tasks: CloudTasksDouble;
  let database: TestDatabase;
  let bus: ReturnType<typeof createCloudMessageBus>;
  let api: Awaited<ReturnType<typeof serve>>;
  let initializer: Awaited<ReturnType<typeof serve>>;
  let extraction: Awaited<ReturnType<typeof serve>>;
  let completedSubscription: Subscription;
  const completed: Message[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    [emulator, gcs, vertex, tasks, database] = await Promise.all([
      startPubSubEmulator(project),
      startGcsDouble(),
      startVertexDouble(),
      startCloudTasksDouble({ dispatch: { minBackoffMs: 100, maxBackoffMs: 1000, maxAttempts: 5 } }),
      createTestDatabase(),
    ]);
    [api, initializer, extraction] = await Promise.all([serve('api'), serve('run-initializer'), serve('extraction')]);
    for (const s of [api, initializer, extraction]) {
      cleanups.push(() => new Promise((resolve) => {
        s.server.closeAllConnections();
        s.server.close(resolve);
      }));
    }

    bus = createCloudMessageBus({
      pubsub: { topicPrefix, pubsub: emulatorClient(emulator.host) },
      tasks: {
        queues: { extraction: { project, location: tasksLocation, queue: extractionQueue, url: `${extraction.url}/`, serviceAccountEmail: invoker } },
        client: tasks.clientOptions,
      },
      delayed: { project, location: tasksLocation, queue: 'delayed-messages', topicPrefix, serviceAccountEmail: invoker, pubsubEndpoint: `http://${emulator.host}` },
    });
    const tokenKeyring = { activeKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) };
    const platform: Platform = {
      database,
      bus,
      blobs: new GcsBlobStore({
        buckets,
        storage: {
          apiEndpoint: gcs.url,
          projectId: project,
          // No credential: the client talks to a custom endpoint as is (signed links are not used here).
          authClient: new PassThroughClient(),
          retryOptions: { autoRetry: false },
        },
      }),
      extractor: createGeminiExtractor({
        project, location: vertexLocation, baseUrl: vertex.url, googleAuthOptions: { authClient: fixedTokenClient() }, timeoutMs: 10_000,
      }),
      authenticate: createAuthenticator({ mode: 'development' }, { APP_ENV: 'development' }),
      google: {
        clientId: 'test-client-id',
        clientSecret: 'test-client-secret',
        redirectUri: 'http://127.0.0.1:1/oauth-callback',
        stateSecret: randomBytes(32).toString('base64url'),
        frontendUrl: 'http://frontend.test/integrations',
        gmailEnabled: true,
        gmailWatchTopic: `projects/${project}/topics/gmail-watch`,
        tokenKeyring: async () => tokenKeyring,
      },
      defaultModel: model,
      workerId: 'e2e-worker',
      log: silentLogger,
    };
    installPlatform(platform);

    admin = new PubSub(emulatorClient(emulator.host));
    const requestedTopicId = pubsubTopicId('run.requested', topicPrefix);
    const [requestedTopic] = await admin.createTopic(requestedTopicId);
    await requestedTopic.createSubscription(`${requestedTopicId}-run-initializer`, {
      // The framework turns a raw push into a CloudEvent when the path is shaped like a topic name.
      pushConfig: { pushEndpoint: `${initializer.url}/projects/${project}/topics/${requestedTopicId}` },
      ackDeadlineSeconds: 30,
      retryPolicy: { minimumBackoff: { seconds: 0 }, maximumBackoff: { seconds: 1 } },
    });
    const [completedTopic] = await admin.createTopic(pubsubTopicId('run.completed', topicPrefix));
    [completedSubscription] = await completedTopic.createSubscription(`${completedTopic.name.split('/').pop()}-observer`);
    completedSubscription.on('message', (m: Message) => {
      completed.push(m);
      m.ack();
    });
  }, 180_000);

  afterAll(async () => {
    resetPlatform();
    await completedSubscription?.close().catch(() => {});
    await bus?.close().catch(() => {});
    await admin?.close().catch(() => {});
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    await Promise.all([tasks?.close(), gcs?.close(), vertex?.close()].map((p) => p?.catch(() => {})));
    await database?.close();
    await emulator?.stop();
  }, 60_000);

  // Filled by the first test, reused by the redelivery test.
  let jobId: string;
  let runId: string;

  it('a run started through the api completes over Pub/Sub and Cloud Tasks, with Gemini reading the file from its gs:// URI', async () => {
    const http = request(api.server);
    vertex.script({ kind: 'answer', answer: geminiAnswer, usage: { prompt: 1200, candidates: 40 } });

    const job = await http.post('/v1/jobs').set(alice).send({ name: 'Invoices', fields }).expect(201);
    jobId = job.body.id;

    // The upload lands in the uploads bucket, named by ids only, typed from its bytes.
    const pdf = await samplePdf();
    const uploaded = await http.post(`/v1/jobs/${jobId}/files`).set(alice).attach('file', pdf, 'acme invoice.pdf').expect(201);
    const fileId: string = uploaded.body.id;
    const objectName = `alice/${jobId}/${fileId}`;
    const stored = gcs.object(buckets.uploads, objectName);
    expect(stored).toMatchObject({ bucket: buckets.uploads, name: objectName, contentType: 'application/pdf', metadata: { fileId } });
    expect(stored!.bytes.equals(pdf)).toBe(true);
    const writes = gcs.requests.filter((r) => r.path.startsWith('/upload/'));
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.map((r) => [r.bucket, r.name])).toEqual(writes.map(() => [buckets.uploads, objectName]));
    expect(writes.at(-1)!.contentType).toBe('application/pdf');

    const started = await http.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    runId = started.body.runId;
    const operationId: string = started.body.operationId;

    // run.completed arrives on its Pub/Sub topic, published by the extraction function.
    await waitFor(() => completed.some((m) => JSON.parse(m.data.toString('utf8')).runId === runId), 60_000);
    const [done] = completed;
    expect(JSON.parse(done!.data.toString('utf8'))).toEqual({ runId, jobId, userId: 'alice', status: 'completed' });
    expect(done!.attributes).toMatchObject({ topic: 'run.completed', dedupeKey: expect.stringContaining(`run.completed:${runId}`) });

    const run = await http.get(`/v1/runs/${runId}`).set(alice).expect(200);
    expect(run.body).toMatchObject({ id: runId, jobId, runNumber: 1, status: 'completed', tasksTotal: 1, tasksCompleted: 1, tasksFailed: 0, operationId });
    const results = await http.get(`/v1/runs/${runId}/results`).set(alice).expect(200);
    expect(results.body.items).toEqual([
      expect.objectContaining({ sourceFileName: 'acme invoice.pdf', sourceType: 'upload', columns: storedAnswer.columns, rows: storedAnswer.results, engine: 'gemini-vertex', model: `${model}-001` }),
    ]);
    const operation = await http.get(`/v1/operations/${operationId}`).set(alice).expect(200);
    expect(operation.body).toMatchObject({ status: 'completed', pct: 100 });

    // The push subscription delivered run.requested to run-initializer once, and it acknowledged.
    expect(initializer.answers).toEqual([{ path: `/projects/${project}/topics/${pubsubTopicId('run.requested', topicPrefix)}`, status: 204 }]);

    // Gemini was asked about the object in the uploads bucket by its gs:// URI, as the function's service account.
    expect(vertex.requests).toHaveLength(1);
    const [asked] = vertex.requests;
    expect(asked!.route).toEqual({ version: 'v1', project, location: vertexLocation, model });
    expect(asked!.authorization).toBe('Bearer test-access-token');
    expect(asked!.body.contents[0].parts).toContainEqual({ fileData: { fileUri: `gs://${buckets.uploads}/${objectName}`, mimeType: 'application/pdf' } });

    // One Cloud Tasks task, named from its dedupe key, aimed at extraction with an OIDC token for the invoker.
    const [taskRow] = await database.db.selectFrom('extraction_tasks').select(['id', 'run_id', 'status', 'attempts']).where('run_id', '=', runId).execute();
    expect(taskRow).toMatchObject({ status: 'completed', attempts: 1 });
    const parent = `projects/${project}/locations/${tasksLocation}/queues/${extractionQueue}`;
    const taskId = taskIdFor('extraction', `extract-${taskRow!.id}-a0`);
    expect(tasks.tasks).toHaveLength(1);
    const [task] = tasks.tasks;
    expect(task).toMatchObject({
      parent, name: `${parent}/tasks/${taskId}`, named: true, httpMethod: 'POST', url: `${extraction.url}/`,
      headers: { 'Content-Type': 'application/json' },
      oidcToken: { serviceAccountEmail: invoker, audience: `${extraction.url}/` },
    });
    expect(JSON.parse(task!.body)).toEqual({ taskId: taskRow!.id, runId });
    expect(tasks.taskState(task!.name)).toBe('succeeded');

    // The double delivered it the way Cloud Tasks would, and extraction answered 200 the first time.
    expect(tasks.attempts).toHaveLength(1);
    const [attempt] = tasks.attempts;
    expect(attempt).toMatchObject({
      task: task!.name, retryCount: 0, status: 200,
      headers: expect.objectContaining({ 'x-cloudtasks-taskname': taskId, 'x-cloudtasks-queuename': extractionQueue, 'x-cloudtasks-taskretrycount': '0', authorization: expect.stringMatching(/^Bearer /) }),
      oidcClaims: expect.objectContaining({ iss: 'https://accounts.google.com', email: invoker, aud: `${extraction.url}/` }),
    });
    expect(extraction.answers).toEqual([{ path: '/', status: 200 }]);
  });

  it('the same run.requested delivered again (twice at once) creates no second run, task, call or completion', async () => {
    expect(runId).toBeDefined();
    const [outboxed] = await database.db.selectFrom('outbox').select('payload').where('name', '=', 'run.requested').execute();
    const requested = outboxed!.payload as MessageOf<'run.requested'>;
    expect(requested).toMatchObject({ runId, jobId, userId: 'alice', trigger: 'manual' });

    const publisher = createPubSubPublisher({ topicPrefix, pubsub: emulatorClient(emulator.host) });
    await Promise.all([publisher.publish('run.requested', requested), publisher.publish('run.requested', requested)]);
    await publisher.close();
    await waitFor(() => initializer.answers.length >= 3);
    expect(initializer.answers.map((a) => a.status)).toEqual([204, 204, 204]);
    await tasks.whenIdle();
    // Room for anything a duplicate might have set off (a task dispatch, a run.completed) to show.
    await sleep(2000);

    const count = async (table: 'job_runs' | 'extraction_tasks' | 'extraction_results') =>
      Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('job_runs')).toBe(1);
    expect(await count('extraction_tasks')).toBe(1);
    expect(await count('extraction_results')).toBe(1);
    expect(tasks.tasks).toHaveLength(1);
    expect(tasks.attempts).toHaveLength(1);
    expect(vertex.requests).toHaveLength(1);
    expect(completed).toHaveLength(1);
    const run = await request(api.server).get(`/v1/runs/${runId}`).set(alice).expect(200);
    expect(run.body).toMatchObject({ runNumber: 1, status: 'completed', tasksCompleted: 1 });
  });

  it('a transient Gemini failure comes back as a second, delayed Cloud Tasks task that extraction completes', async () => {
    const http = request(api.server);
    vertex.script(
      { kind: 'error', status: 503, googleStatus: 'UNAVAILABLE', message: 'The service is currently unavailable.' },
      { kind: 'answer', answer: geminiAnswer },
    );
    const job = await http.post('/v1/jobs').set(alice).send({ name: 'Flaky', fields }).expect(201);
    await http.post(`/v1/jobs/${job.body.id}/files`).set(alice).attach('file', await samplePdf(), 'flaky.pdf').expect(201);
    const before = { tasks: tasks.tasks.length, attempts: tasks.attempts.length };
    const started = await http.post(`/v1/jobs/${job.body.id}/runs`).set(alice).expect(202);
    const flakyRun: string = started.body.runId;

    await waitFor(() => completed.some((m) => JSON.parse(m.data.toString('utf8')).runId === flakyRun), 60_000);
    const run = await http.get(`/v1/runs/${flakyRun}`).set(alice).expect(200);
    expect(run.body).toMatchObject({ status: 'completed', tasksCompleted: 1, tasksFailed: 0 });
    const [taskRow] = await database.db.selectFrom('extraction_tasks').select(['id', 'status', 'attempts']).where('run_id', '=', flakyRun).execute();
    expect(taskRow).toMatchObject({ status: 'completed', attempts: 2 });

    // Both deliveries were acknowledged (the failure is retried as data, not as a 500), the
    // second as its own task named after the next attempt and scheduled 2^1 s later.
    const created = tasks.tasks.slice(before.tasks);
    const parent = `projects/${project}/locations/${tasksLocation}/queues/${extractionQueue}`;
    expect(created.map((t) => t.name)).toEqual([0, 1].map((a) => `${parent}/tasks/${taskIdFor('extraction', `extract-${taskRow!.id}-a${a}`)}`));
    const delayMs = created[1]!.scheduleTime!.getTime() - created[0]!.scheduleTime!.getTime();
    expect(delayMs).toBeGreaterThanOrEqual(2000);
    const attempts = tasks.attempts.slice(before.attempts);
    expect(attempts.map((a) => [a.task, a.status])).toEqual(created.map((t) => [t.name, 200]));
    expect(attempts[1]!.at.getTime()).toBeGreaterThanOrEqual(created[1]!.scheduleTime!.getTime());
  });

  it('a delayed publish (a connector job retry) waits in Cloud Tasks and reaches its Pub/Sub topic at its scheduleTime', async () => {
    const message = { runId: randomUUID(), jobId: randomUUID(), userId: 'alice', status: 'completed' as const };
    const before = tasks.tasks.length;
    const sentAt = Date.now();
    await bus.publish('run.completed', message, { dedupeKey: `delayed:${message.runId}`, delaySeconds: 2 });
    await bus.publish('run.completed', message, { dedupeKey: `delayed:${message.runId}`, delaySeconds: 2 }); // a relay that ran twice

    await waitFor(() => completed.some((m) => JSON.parse(m.data.toString('utf8')).runId === message.runId), 30_000);
    const delivered = completed.filter((m) => JSON.parse(m.data.toString('utf8')).runId === message.runId);
    expect(delivered).toHaveLength(1);
    expect(JSON.parse(delivered[0]!.data.toString('utf8'))).toEqual(message);
    expect(delivered[0]!.attributes).toEqual({ topic: 'run.completed', dedupeKey: `delayed:${message.runId}` });
    expect(delivered[0]!.publishTime.getTime()).toBeGreaterThanOrEqual(sentAt + 1900);

    const [task] = tasks.tasks.slice(before);
    expect(tasks.tasks.slice(before)).toHaveLength(1);
    expect(task).toMatchObject({
      parent: `projects/${project}/locations/${tasksLocation}/queues/delayed-messages`,
      url: `http://${emulator.host}/v1/projects/${project}/topics/${pubsubTopicId('run.completed', topicPrefix)}:publish`,
      oauthToken: { serviceAccountEmail: invoker, scope: 'https://www.googleapis.com/auth/pubsub' },
    });
    expect(task!.scheduleTime!.getTime()).toBeGreaterThanOrEqual(sentAt + 2000);
  });
});
