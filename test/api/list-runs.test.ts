import request from 'supertest';
import { afterEach, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

const alice = { Authorization: 'Bearer dev:alice' };
const bob = { Authorization: 'Bearer dev:bob' };
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);

let platform: TestPlatform | undefined;
afterEach(async () => {
  await platform?.close();
  platform = undefined;
});

async function runOnce(api: ReturnType<typeof request>, headers: typeof alice, name: string, files: string[]): Promise<string> {
  const job = await api.post('/v1/jobs').set(headers).send({ name, fields: [{ name: 'File', type: 'text' }] }).expect(201);
  for (const file of files) await api.post(`/v1/jobs/${job.body.id}/files`).set(headers).attach('file', pdf(file), file).expect(201);
  const { runId } = (await api.post(`/v1/jobs/${job.body.id}/runs`).set(headers).expect(202)).body;
  await platform!.dispatcher.drain();
  return runId as string;
}

it("GET /v1/runs lists the user's runs across all their jobs, newest first, by status, page by page, and never another user's", async () => {
  platform = await createTestPlatform({ extractor: scriptedExtractor() });
  const api = request(createApiApp(async () => platform!));
  const good = await runOnce(api, alice, 'Invoices', ['a.pdf']);
  const bad = await runOnce(api, alice, 'Scans', ['unreadable.pdf']);
  const mixed = await runOnce(api, alice, 'Receipts', ['b.pdf', 'unreadable-2.pdf']);
  await runOnce(api, bob, "Bob's", ['c.pdf']);

  const all = (await api.get('/v1/runs').set(alice).expect(200)).body;
  expect(all.items.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([[mixed, 'partially_completed'], [bad, 'failed'], [good, 'completed']]);
  expect(all.nextCursor).toBeNull();

  const failed = (await api.get('/v1/runs?status=failed').set(alice).expect(200)).body;
  expect(failed.items.map((r: { id: string }) => r.id)).toEqual([bad]);
  expect((await api.get('/v1/runs?status=in_progress').set(alice).expect(200)).body.items).toEqual([]);

  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: { id: string }[]; nextCursor: string | null } = (await api.get('/v1/runs').query({ limit: 1, ...(cursor ? { cursor } : {}) }).set(alice).expect(200)).body;
    expect(page.items).toHaveLength(1);
    seen.push(page.items[0]!.id);
    cursor = page.nextCursor;
  } while (cursor);
  expect(seen).toEqual([mixed, bad, good]);

  const refused = await api.get('/v1/runs?status=stuck').set(alice).expect(400);
  expect(JSON.stringify(refused.body)).toContain('status');
  await api.get('/v1/runs?cursor=not-a-cursor').set(alice).expect(400);
  await api.get('/v1/runs').expect(401);
});
