import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

const alice = { Authorization: 'Bearer dev:alice' };
let platform: TestPlatform;
let api: ReturnType<typeof request>;
beforeAll(async () => {
  platform = await createTestPlatform({ extractor: scriptedExtractor() });
  api = request(createApiApp(async () => platform));
});
afterAll(() => platform.close());

describe('requests the api refuses, with an error naming the problem', () => {
  it('a field of an unknown type names the field', async () => {
    const res = await api.post('/v1/jobs').set(alice).send({ name: 'J', fields: [{ name: 'a', type: 'text' }, { name: 'b', type: 'money' }] }).expect(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toMatch(/^body\.fields\.1\.type: /);
  });

  it('two fields with the same name', async () => {
    const res = await api.post('/v1/jobs').set(alice).send({ name: 'J', fields: [{ name: 'Total', type: 'number' }, { name: 'total', type: 'text' }] }).expect(400);
    expect(res.body.error).toEqual({ code: 'duplicate_field', message: 'body.fields.1.name: "total" repeats field 0', requestId: res.headers['x-request-id'] });
  });

  it('malformed JSON, a missing name, a bad id and an unknown endpoint', async () => {
    const bad = await api.post('/v1/jobs').set(alice).set('content-type', 'application/json').send('{"name":').expect(400);
    expect(bad.body.error.code).toBe('invalid_json');
    const missing = await api.post('/v1/jobs').set(alice).send({}).expect(400);
    expect(missing.body.error.message).toMatch(/^body\.name: /);
    const id = await api.get('/v1/jobs/123').set(alice).expect(400);
    expect(id.body.error.message).toMatch(/^path\.jobId: /);
    const nothing = await api.get('/v1/nothing-here').set(alice).expect(404);
    expect(nothing.body).toEqual({ error: { code: 'not_found', message: 'No such endpoint', requestId: nothing.headers['x-request-id'] } });
    const limit = await api.get('/v1/jobs?limit=1000').set(alice).expect(400);
    expect(limit.body.error.message).toMatch(/^query\.limit: /);
    const cursor = await api.get('/v1/jobs?cursor=garbage').set(alice).expect(400);
    expect(cursor.body.error.code).toBe('invalid_cursor');
  });

  it('a refused request changes nothing', async () => {
    const before = await api.get('/v1/jobs').set(alice).expect(200);
    await api.post('/v1/jobs').set(alice).send({ name: 'J', fields: [{ name: 'x', type: 'text' }, { name: 'X', type: 'text' }] }).expect(400);
    const after = await api.get('/v1/jobs').set(alice).expect(200);
    expect(after.body).toEqual(before.body);
  });

  it('starting a run of a job without files is a 422 that says so', async () => {
    const job = await api.post('/v1/jobs').set(alice).send({ name: 'Empty', fields: [{ name: 'x', type: 'text' }] }).expect(201);
    const res = await api.post(`/v1/jobs/${job.body.id}/runs`).set(alice).expect(422);
    expect(res.body.error).toEqual({ code: 'no_files', message: 'The job has no uploaded files to extract: add files first', requestId: res.headers['x-request-id'] });
  });
});

describe('jobs and templates', () => {
  it('jobs page newest first with an opaque cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await api.post('/v1/jobs').set({ Authorization: 'Bearer dev:pager' }).send({ name: `Job ${i}` }).expect(201)).body.id);
    const first = await api.get('/v1/jobs?limit=2').set({ Authorization: 'Bearer dev:pager' }).expect(200);
    const second = await api.get(`/v1/jobs?limit=2&cursor=${first.body.nextCursor}`).set({ Authorization: 'Bearer dev:pager' }).expect(200);
    const third = await api.get(`/v1/jobs?limit=2&cursor=${second.body.nextCursor}`).set({ Authorization: 'Bearer dev:pager' }).expect(200);
    const seen = [...first.body.items, ...second.body.items, ...third.body.items].map((j: { id: string }) => j.id);
    expect(seen).toEqual([...ids].reverse());
    expect(third.body.nextCursor).toBeNull();
  });

  it('a job made from a template gets its fields, in order', async () => {
    const template = await api.post('/v1/templates').set(alice).send({ name: 'Receipts', fields: [{ name: 'Shop', type: 'text' }, { name: 'Total', type: 'currency', required: true }] }).expect(201);
    const job = await api.post('/v1/jobs').set(alice).send({ name: 'From template', templateId: template.body.id }).expect(201);
    expect(job.body.fields.map((f: { name: string; type: string; required: boolean }) => [f.name, f.type, f.required])).toEqual([['Shop', 'text', false], ['Total', 'currency', true]]);
    expect(job.body.templateId).toBe(template.body.id);
    await api.patch(`/v1/templates/${template.body.id}`).set(alice).send({ name: 'Till receipts' }).expect(200);
    await api.get(`/v1/templates/${template.body.id}`).set({ Authorization: 'Bearer dev:bob' }).expect(404);
    await api.delete(`/v1/templates/${template.body.id}`).set({ Authorization: 'Bearer dev:bob' }).expect(404);
    await api.delete(`/v1/templates/${template.body.id}`).set(alice).expect(204);
    await api.get(`/v1/templates/${template.body.id}`).set(alice).expect(404);
  });

  it('deleting a job removes it and its files', async () => {
    const job = await api.post('/v1/jobs').set(alice).send({ name: 'Doomed' }).expect(201);
    const file = await api.post(`/v1/jobs/${job.body.id}/files`).set(alice).attach('file', Buffer.from('Invoice number: 1\n'), 'a.txt').expect(201);
    const object = await platform.database.db.selectFrom('source_files').select('gcs_object_name').where('id', '=', file.body.id).executeTakeFirstOrThrow();
    await api.delete(`/v1/jobs/${job.body.id}`).set(alice).expect(204);
    await api.get(`/v1/jobs/${job.body.id}`).set(alice).expect(404);
    expect(await platform.blobs.exists('uploads', object.gcs_object_name)).toBe(false);
  });
});
