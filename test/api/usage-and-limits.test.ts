import { sql } from 'kysely';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiApp } from '../../functions/api/app.js';
import { relayOutbox } from '../../shared/outbox/outbox.js';
import { requestRun } from '../../shared/runs/request-run.js';
import { scriptedExtractor } from '../support/extractors.js';
import { alice, createJobWithFiles, pdfOfPages } from '../support/jobs.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
afterEach(() => platform?.close());

async function setUp(limits?: { apiRequestsPerMinute?: number }) {
  platform = await createTestPlatform({ extractor: scriptedExtractor(), limits });
  return request(createApiApp(async () => platform));
}

const today = () => new Date().toISOString().slice(0, 10);

describe('usage per user and day', () => {
  it('counts documents, pages, tokens, exports by destination, imported bytes and api requests, once each under duplicate delivery', async () => {
    platform = await createTestPlatform({ extractor: scriptedExtractor(), duplicateDelivery: true });
    const api = request(createApiApp(async () => platform));
    const threePages = await pdfOfPages(3);
    const twoPages = await pdfOfPages(2);
    const { jobId } = await createJobWithFiles(api, { 'a.pdf': threePages, 'b.pdf': twoPages });
    const started = await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    await platform.dispatcher.drain();
    await api.post(`/v1/runs/${started.body.runId}/exports`).set(alice).send({ destType: 'download', fileType: 'xlsx' }).expect(202);
    await platform.dispatcher.drain();

    const usage = await api.get(`/v1/usage?from=${today()}&to=${today()}`).set(alice).expect(200);
    expect(usage.body.days).toHaveLength(1);
    expect(usage.body.days[0]).toMatchObject({
      day: today(), runsStarted: 1, documentsProcessed: 2, pagesProcessed: 5, inputTokens: 200, outputTokens: 20,
      exports: { download: 1, gdrive: 0, gmail: 0 }, importedBytes: threePages.length + twoPages.length,
    });
    // Job, two uploads, run, export, and this one.
    expect(usage.body.days[0].apiRequests).toBe(6);
    expect(usage.body.totals).toMatchObject({ documentsProcessed: 2, pagesProcessed: 5, apiRequests: 6 });

    const bob = await api.get('/v1/usage').set({ Authorization: 'Bearer dev:bob' }).expect(200);
    expect(bob.body.days).toEqual([expect.objectContaining({ apiRequests: 1, documentsProcessed: 0 })]);
  });

  it('answers 400 naming the problem for a reversed or malformed range', async () => {
    const api = await setUp();
    const reversed = await api.get('/v1/usage?from=2026-03-02&to=2026-03-01').set(alice).expect(400);
    expect(reversed.body.error.message).toMatch(/from: must be on or before query\.to/);
    const bad = await api.get('/v1/usage?from=yesterday').set(alice).expect(400);
    expect(bad.body.error.message).toMatch(/query\.from: must be a date YYYY-MM-DD/);
    const long = await api.get('/v1/usage?from=2024-01-01&to=2026-01-01').set(alice).expect(400);
    expect(long.body.error.message).toMatch(/at most 366 days/);
  });
});

describe('per-user limits', () => {
  it('a run past the runs-per-day setting answers 429 naming the limit, with Retry-After until midnight UTC', async () => {
    const api = await setUp();
    const { jobId } = await createJobWithFiles(api, { 'a.pdf': await pdfOfPages(1) });
    await api.patch('/v1/settings').set(alice).send({ maxRunsPerDay: 2 }).expect(200);
    await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    await platform.dispatcher.drain();
    const refused = await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(429);
    expect(refused.body.error).toEqual({
      code: 'run_limit_reached',
      message: 'Daily run limit reached: 2 runs started today, your limit is 2 runs per day (setting maxRunsPerDay); it resets at midnight UTC',
      requestId: expect.any(String),
    });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
  });

  it('runs asked for before the limit was reached: the initializer starts exactly the allowed number and fails the rest with the reason', async () => {
    const api = await setUp();
    const { jobId } = await createJobWithFiles(api, { 'a.pdf': await pdfOfPages(1) });
    const db = platform.database.db;
    // Four requests the api let through (their messages not yet delivered), then the limit drops to 2.
    const requested = await Promise.all(Array.from({ length: 4 }, () => requestRun(db, { userId: 'alice', jobId, trigger: 'manual' })));
    await api.patch('/v1/settings').set(alice).send({ maxRunsPerDay: 2 }).expect(200);
    await relayOutbox(db, platform.bus, { ids: requested.flatMap((r) => r.outboxIds) });
    await platform.dispatcher.drain();
    const runs = await api.get(`/v1/jobs/${jobId}/runs`).set(alice).expect(200);
    const statuses = runs.body.items.map((r: { status: string }) => r.status).sort();
    expect(statuses).toEqual(['completed', 'completed', 'failed', 'failed']);
    const failed = runs.body.items.find((r: { status: string }) => r.status === 'failed');
    expect(failed.errorMessage).toMatch(/^Daily run limit reached: .*your limit is 2 runs per day/);
    const usage = await api.get('/v1/usage').set(alice).expect(200);
    expect(usage.body.totals.runsStarted).toBe(2);
  });

  it('no run starts once the pages-per-month setting is used up (429 page_limit_reached)', async () => {
    const api = await setUp();
    const { jobId } = await createJobWithFiles(api, { 'a.pdf': await pdfOfPages(3) });
    await api.patch('/v1/settings').set(alice).send({ maxPagesPerMonth: 3 }).expect(200);
    await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
    await platform.dispatcher.drain();
    const refused = await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(429);
    expect(refused.body.error.code).toBe('page_limit_reached');
    expect(refused.body.error.message).toMatch(/^Monthly page limit reached: 3 pages processed this month, your limit is 3 pages per month \(setting maxPagesPerMonth\)/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Last month's pages do not count.
    await sql`UPDATE usage_daily SET day = day - interval '40 days'`.execute(platform.database.db);
    await api.post(`/v1/jobs/${jobId}/runs`).set(alice).expect(202);
  });

  it('past the per-user request rate the api answers 429 with Retry-After, and another user is not affected', async () => {
    const api = await setUp({ apiRequestsPerMinute: 3 });
    // Pinned to the start of a minute's window so the test cannot straddle two windows.
    const waitMs = 60_000 - (Date.now() % 60_000);
    if (waitMs < 3000) await new Promise((r) => setTimeout(r, waitMs + 50));
    for (let i = 0; i < 3; i++) await api.get('/v1/jobs').set(alice).expect(200);
    const refused = await api.get('/v1/jobs').set(alice).expect(429);
    expect(refused.body.error).toEqual({ code: 'rate_limited', message: 'Too many requests: your limit is 3 requests per minute; try again in a moment', requestId: expect.any(String) });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    await api.get('/v1/jobs').set({ Authorization: 'Bearer dev:bob' }).expect(200);
    // The window is the database's: a new window (as the next minute makes) lets requests through again.
    await sql`UPDATE api_request_windows SET window_start = window_start - interval '1 minute'`.execute(platform.database.db);
    await api.get('/v1/jobs').set(alice).expect(200);
  });
});
