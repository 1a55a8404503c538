import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { HttpError } from '../errors.js';
import { refuseChange, versionMatches, type IfMatch } from '../http/versions.js';
import type { FieldSpec, FieldType } from '../extraction/types.js';
import { checkFieldNames, type FieldInput } from './fields.js';

export interface JobView {
  id: string;
  name: string;
  templateId: string | null;
  fields: (FieldSpec & { id: string })[];
  fileCount: number;
  lastRun: { id: string; runNumber: number; status: string } | null;
  /** Bumped by every change of the name or the fields: the job's ETag. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Makes sure the signed-in user has a row (first request of a new user). */
export async function upsertUser(db: Kysely<Database>, identity: { uid: string; email?: string }): Promise<void> {
  await db.insertInto('users').values({ id: identity.uid, email: identity.email ?? null })
    .onConflict((oc) => oc.column('id').doUpdateSet({ email: sql`coalesce(excluded.email, users.email)`, updated_at: sql`now()` }))
    .execute();
}

/** Creates a job with its ordered fields; with a template and no fields, the template's fields. */
export async function createJob(db: Kysely<Database>, userId: string, input: { name: string; templateId?: string; fields?: FieldInput[] }): Promise<JobView> {
  const jobId = await db.transaction().execute(async (trx) => {
    let fields = input.fields;
    if (input.templateId) {
      const template = await trx.selectFrom('templates').select(['fields']).where('id', '=', input.templateId)
        .where((eb) => eb.or([eb('user_id', '=', userId), eb('is_public', '=', true)])).executeTakeFirst();
      if (!template) throw new HttpError(404, 'not_found', 'Template not found');
      fields ??= template.fields as unknown as FieldInput[];
    }
    const specs = checkFieldNames(fields ?? []);
    const job = await trx.insertInto('extraction_jobs').values({ user_id: userId, name: input.name, template_id: input.templateId ?? null }).returning('id').executeTakeFirstOrThrow();
    await replaceFields(trx, job.id, specs);
    return job.id;
  });
  return findJob(db, userId, jobId);
}

async function replaceFields(trx: Kysely<Database>, jobId: string, fields: FieldSpec[]): Promise<void> {
  await trx.deleteFrom('job_fields').where('job_id', '=', jobId).execute();
  if (fields.length === 0) return;
  await trx.insertInto('job_fields').values(fields.map((f, i) => ({
    job_id: jobId, field_name: f.name, data_type_id: f.type, ai_prompt: f.description ?? null, required: f.required, display_order: i,
  }))).execute();
}

/** One of the user's jobs with its fields, or 404 (also for someone else's job). */
export async function findJob(db: Kysely<Database>, userId: string, jobId: string): Promise<JobView> {
  const job = await db.selectFrom('extraction_jobs').select(['id', 'name', 'template_id', 'version', 'created_at', 'updated_at'])
    .where('id', '=', jobId).where('user_id', '=', userId).executeTakeFirst();
  if (!job) throw new HttpError(404, 'not_found', 'Extraction job not found');
  const [fields, files, lastRun] = await Promise.all([
    db.selectFrom('job_fields').select(['id', 'field_name', 'data_type_id', 'ai_prompt', 'required']).where('job_id', '=', jobId).orderBy('display_order').orderBy('created_at').execute(),
    db.selectFrom('source_files').select((eb) => eb.fn.countAll<number>().as('n')).where('job_id', '=', jobId).executeTakeFirstOrThrow(),
    db.selectFrom('job_runs').select(['id', 'run_number', 'status']).where('job_id', '=', jobId).orderBy('run_number', 'desc').limit(1).executeTakeFirst(),
  ]);
  return {
    id: job.id, name: job.name ?? '', templateId: job.template_id,
    fields: fields.map((f) => ({ id: f.id, name: f.field_name, type: f.data_type_id as FieldType, description: f.ai_prompt, required: f.required })),
    fileCount: Number(files.n),
    lastRun: lastRun ? { id: lastRun.id, runNumber: lastRun.run_number, status: lastRun.status } : null,
    version: job.version,
    createdAt: job.created_at.toISOString(), updatedAt: job.updated_at.toISOString(),
  };
}

/** The user's jobs, newest first, a page at a time (keyset on created_at, id). */
export async function listJobs(db: Kysely<Database>, userId: string, opts: { limit: number; after?: { createdAt: string; id: string } }) {
  const rows = await db.selectFrom('extraction_jobs').select(['id', 'created_at']).where('user_id', '=', userId)
    .$if(opts.after !== undefined, (qb) => qb.where((eb) => eb.or([
      eb('created_at', '<', new Date(opts.after!.createdAt)),
      eb.and([eb('created_at', '=', new Date(opts.after!.createdAt)), eb('id', '<', opts.after!.id)]),
    ])))
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit + 1).execute();
  const page = rows.slice(0, opts.limit);
  const items = await Promise.all(page.map((r) => findJob(db, userId, r.id)));
  const last = page[page.length - 1];
  return { items, next: rows.length > opts.limit && last ? { createdAt: last.created_at.toISOString(), id: last.id } : null };
}

/**
 * Renames a job and/or replaces its fields, bumping its version; with `ifMatch`, only
 * while the job is at one of those versions (else 412). Runs already started keep the
 * fields they snapshotted, so this never rewrites history.
 */
export async function updateJob(
  db: Kysely<Database>, userId: string, jobId: string, input: { name?: string; fields?: FieldInput[] }, ifMatch?: IfMatch,
): Promise<JobView> {
  await db.transaction().execute(async (trx) => {
    const job = await trx.updateTable('extraction_jobs')
      .set({ updated_at: sql`now()`, version: sql`version + 1`, ...(input.name !== undefined ? { name: input.name } : {}) })
      .where('id', '=', jobId).where('user_id', '=', userId)
      .$if(ifMatch !== undefined, (qb) => qb.where(versionMatches(ifMatch!)))
      .returning('id').executeTakeFirst();
    if (!job) await refuseChange(trx, 'extraction_jobs', 'Extraction job', userId, jobId);
    if (input.fields) await replaceFields(trx, jobId, checkFieldNames(input.fields));
  });
  return findJob(db, userId, jobId);
}

/**
 * Deletes a job with its runs, results and exports (with `ifMatch`, only at one of those
 * versions); returns the object names of its files to delete.
 */
export async function deleteJob(db: Kysely<Database>, userId: string, jobId: string, ifMatch?: IfMatch): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const files = await trx.selectFrom('source_files').select('gcs_object_name').where('job_id', '=', jobId).execute();
    const deleted = await trx.deleteFrom('extraction_jobs').where('id', '=', jobId).where('user_id', '=', userId)
      .$if(ifMatch !== undefined, (qb) => qb.where(versionMatches(ifMatch!)))
      .returning('id').executeTakeFirst();
    if (!deleted) await refuseChange(trx, 'extraction_jobs', 'Extraction job', userId, jobId);
    return files.map((f) => f.gcs_object_name);
  });
}
