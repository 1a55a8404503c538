import request from 'supertest';
import { createApiApp } from '../../functions/api/app.js';
import type { LocalBlobStore } from '../../shared/blobs/local.js';
import type { FieldSpec } from '../../shared/extraction/types.js';
import { DRIVE_FILE, GMAIL_READONLY, GMAIL_SEND } from '../../shared/google/scopes.js';
import { startGoogleDouble, type GoogleDouble } from '../../shared/local/google/index.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { connectGoogleAccount } from '../support/google-account.js';

export const alice = { Authorization: 'Bearer dev:alice' };
export const bob = { Authorization: 'Bearer dev:bob' };

export interface ExportWorld {
  platform: TestPlatform;
  google: GoogleDouble;
  api: ReturnType<typeof request>;
  blobs: LocalBlobStore;
  close(): Promise<void>;
}

/** A test platform wired to a fresh Google double, served to the real @googleapis clients. */
export async function startExportWorld(options: { duplicateDelivery?: boolean } = {}): Promise<ExportWorld> {
  const google = await startGoogleDouble();
  const platform = await createTestPlatform({ extractor: scriptedExtractor(), googleEndpoints: google.endpoints, duplicateDelivery: options.duplicateDelivery });
  google.state.oauth.registerClient(platform.google.clientId, platform.google.clientSecret);
  return {
    platform, google, api: request(createApiApp(async () => platform)), blobs: platform.blobs as LocalBlobStore,
    close: async () => {
      await platform.close();
      await google.close();
    },
  };
}

/** One field of each type, as a run snapshots them. */
export const FIELDS: FieldSpec[] = [
  { name: 'Vendor', type: 'text', required: true },
  { name: 'Quantity', type: 'number', required: false },
  { name: 'Invoice date', type: 'date', required: false },
  { name: 'Total', type: 'currency', required: false },
  { name: 'Paid', type: 'boolean', required: false },
  { name: 'Tags', type: 'list', required: false },
];

export interface SeedDocument {
  fileName: string;
  sourceType?: 'upload' | 'gdrive' | 'gmail';
  /** The answer's rows, one value per field (in `columns` order when given). */
  rows: unknown[][];
  /** The answer's column names; the fields' names when absent. */
  columns?: string[];
}

/**
 * A finished run of `userId`'s with one extraction result per document, as the extraction
 * stage writes them (a document may hold several rows).
 */
export async function seedRun(
  world: ExportWorld,
  input: { userId?: string; jobName?: string; fields?: FieldSpec[]; documents: SeedDocument[]; status?: string },
): Promise<{ jobId: string; runId: string }> {
  const db = world.platform.database.db;
  const userId = input.userId ?? 'alice';
  const fields = input.fields ?? FIELDS;
  await db.insertInto('users').values({ id: userId, email: `${userId}@example.com` }).onConflict((oc) => oc.column('id').doNothing()).execute();
  const job = await db.insertInto('extraction_jobs').values({ user_id: userId, name: input.jobName ?? 'Invoices' }).returning('id').executeTakeFirstOrThrow();
  const run = await db.insertInto('job_runs').values({
    job_id: job.id, run_number: 1, status: input.status ?? 'completed', fields_snapshot: JSON.stringify(fields),
    tasks_total: input.documents.length, tasks_completed: input.documents.length, completed_at: new Date(),
  }).returning('id').executeTakeFirstOrThrow();
  for (const doc of input.documents) {
    const file = await db.insertInto('source_files').values({
      job_id: job.id, original_filename: doc.fileName, gcs_object_name: `o/${doc.fileName}`, file_type: 'application/pdf', file_size_bytes: 10,
      source_type: doc.sourceType ?? 'upload',
    }).returning('id').executeTakeFirstOrThrow();
    const task = await db.insertInto('extraction_tasks').values({
      run_id: run.id, source_file_id: file.id, status: 'completed', source_filename: doc.fileName, source_type: doc.sourceType ?? 'upload',
    }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('extraction_results').values({
      run_id: run.id, task_id: task.id, engine: 'scripted-test',
      extracted_data: JSON.stringify({ columns: doc.columns ?? fields.map((f) => f.name), results: doc.rows }),
    }).execute();
  }
  return { jobId: job.id, runId: run.id };
}

/** Rows of two documents (several rows each) of every type, non-ASCII, quoting and nulls. */
export const DOCUMENTS: SeedDocument[] = [
  {
    fileName: 'acme-invoice.pdf', sourceType: 'upload', rows: [
      ['Acme Office Supplies', 3, '2024-02-29', 1234.5, true, ['office', 'q3']],
      ['Acme Office Supplies', -2, '1999-12-31', -0.75, false, []],
    ],
  },
  {
    fileName: 'Brightline GmbH – Rechnung.pdf', sourceType: 'gmail', rows: [
      ['Brightline GmbH, "Köln"', 0.1, null, null, null, null],
      ['株式会社日本', 12, '2025-01-01', 0, false, ['one']],
      ['Nordwind', 1e6, '2023-03-01', 99.99, true, ['a', 'b']],
    ],
  },
  {
    // Columns answered in another order: matched by name.
    fileName: 'scan-7.pdf', sourceType: 'gdrive', columns: ['Total', 'Vendor', 'Quantity', 'Invoice date', 'Paid', 'Tags'],
    rows: [[10, 'Scanned Ltd', 1, '2024-06-30', true, ['x']]],
  },
];

/** The sheet rows DOCUMENTS must give, in file-name order, as [values..., source file, source type]. */
export function expectedRows(): unknown[][] {
  const byName = [...DOCUMENTS].sort((a, b) => (a.fileName < b.fileName ? -1 : 1));
  return byName.flatMap((doc) => doc.rows.map((row) => {
    const names = doc.columns ?? FIELDS.map((f) => f.name);
    return [...FIELDS.map((f) => row[names.indexOf(f.name)] ?? null), doc.fileName, doc.sourceType ?? 'upload'];
  }));
}

/** A connected Google account of `userId` (see test/support/google-account.ts). */
export function connectAccount(world: ExportWorld, userId: string, email: string, scopes: string[] = [DRIVE_FILE, GMAIL_SEND, GMAIL_READONLY]): Promise<string> {
  return connectGoogleAccount(world.platform, world.google, userId, email, { scopes });
}

/** Asks for an export through the api, lets every message run, and answers the export as the api shows it. */
export async function exportThroughApi(world: ExportWorld, runId: string, body: Record<string, unknown>, headers = alice) {
  const created = await world.api.post(`/v1/runs/${runId}/exports`).set(headers).send(body).expect(202);
  await world.platform.dispatcher.drain();
  const shown = await world.api.get(`/v1/exports/${created.body.id}`).set(headers).expect(200);
  return { created: created.body, export: shown.body };
}

/** The bytes of an object in the exports bucket. */
export async function readExportObject(world: ExportWorld, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of world.blobs.read('exports', name)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Puts an export back as a crashed worker leaves it: in progress under a lapsed claim. */
export async function simulateCrashedClaim(world: ExportWorld, exportId: string, extra: Record<string, unknown> = {}): Promise<void> {
  await world.platform.database.db.updateTable('job_exports')
    .set({ status: 'in_progress', locked_by: 'dead-worker', locked_at: new Date(Date.now() - 3600_000), external_id: null, completed_at: null, ...extra })
    .where('id', '=', exportId).execute();
}

/** Activity of one kind, oldest first. */
export async function activity(world: ExportWorld, kind: string) {
  return world.platform.database.db.selectFrom('activity_events').select(['description', 'context']).where('kind', '=', kind).orderBy('created_at').execute();
}
