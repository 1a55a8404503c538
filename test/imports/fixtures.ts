import request from 'supertest';
import { createApiApp } from '../../functions/api/app.js';
import { setImportRetryPolicy } from '../../shared/imports/retry-policy.js';
import { startGoogleDouble, type GoogleDouble } from '../../shared/local/google/index.js';
import { scriptedExtractor } from '../support/extractors.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { connectGoogleAccount } from '../support/google-account.js';

export const alice = { Authorization: 'Bearer dev:alice' };
export const bob = { Authorization: 'Bearer dev:bob' };

const DRIVE_READONLY = 'https://www.googleapis.com/auth/drive.readonly';
const GMAIL_READONLY = 'https://www.googleapis.com/auth/gmail.readonly';

/** A minimal PDF whose bytes sniff as application/pdf. */
export const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);

export interface ImportWorld {
  platform: TestPlatform;
  google: GoogleDouble;
  api: ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * A test platform wired to a fresh Google double (real @googleapis clients), with short
 * import backoffs (50 ms, 100 ms, 200 ms) instead of 15 s -> 60 s -> 5 min.
 */
export async function startImportWorld(options: { duplicateDelivery?: boolean } = {}): Promise<ImportWorld> {
  const google = await startGoogleDouble();
  const platform = await createTestPlatform({ extractor: scriptedExtractor(), googleEndpoints: google.endpoints, duplicateDelivery: options.duplicateDelivery });
  google.state.oauth.registerClient(platform.google.clientId, platform.google.clientSecret);
  const restore = setImportRetryPolicy({ backoffSeconds: [0.05, 0.1, 0.2], maxDelaySeconds: 1 });
  return {
    platform, google, api: request(createApiApp(async () => platform)),
    close: async () => {
      restore();
      await platform.close();
      await google.close();
    },
  };
}

/** A job of alice's with one text field. */
export async function createJob(world: ImportWorld, headers = alice): Promise<string> {
  const job = await world.api.post('/v1/jobs').set(headers).send({ name: 'Invoices', fields: [{ name: 'File', type: 'text' }] }).expect(201);
  return job.body.id as string;
}

/** A connected Google account of `userId` (see test/support/google-account.ts). */
export function connectAccount(world: ImportWorld, userId: string, email: string, options: { expired?: boolean } = {}): Promise<string> {
  return connectGoogleAccount(world.platform, world.google, userId, email, { scopes: [DRIVE_READONLY, GMAIL_READONLY], ...options });
}

/** The job's imported files of one source, by external id. */
export async function importedFiles(world: ImportWorld, jobId: string, sourceType: 'gdrive' | 'gmail') {
  return world.platform.database.db.selectFrom('source_files')
    .select(['id', 'external_id', 'original_filename', 'status', 'error_message', 'file_type', 'file_size_bytes', 'checksum_sha256', 'parent_file_id', 'gcs_object_name'])
    .where('job_id', '=', jobId).where('source_type', '=', sourceType).orderBy('external_id').execute();
}

/** Activity of one kind, oldest first. */
export async function activity(world: ImportWorld, kind: string) {
  return world.platform.database.db.selectFrom('activity_events').select(['description', 'context']).where('kind', '=', kind).orderBy('created_at').execute();
}
