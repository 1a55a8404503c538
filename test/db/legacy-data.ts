import { sql, type Kysely } from 'kysely';

/** Deterministic ids so a snapshot taken before and after a round trip compares equal. */
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const legacy = {
  users: ['alice', 'bob'],
  jobWithResults: id(101),
  jobWithTasksOnly: id(102),
  jobWithoutTasks: id(103),
  bobJob: id(104),
};

/**
 * Fills a database at migration 000001 with legacy ByteReview data: jobs with tasks and
 * results, a job with failed tasks only, a job that never ran, fields, files, templates.
 */
export async function insertLegacyData(db: Kysely<any>): Promise<void> {
  await db.insertInto('users').values([
    { id: 'alice', email: 'alice@example.com', display_name: 'Alice' },
    { id: 'bob', email: 'bob@example.com', display_name: 'Bob' },
  ]).execute();
  await db.insertInto('templates').values({ id: id(1), user_id: 'alice', name: 'Invoices', fields: JSON.stringify([{ name: 'total', type: 'currency' }]) }).execute();
  await db.insertInto('extraction_jobs').values([
    { id: legacy.jobWithResults, user_id: 'alice', name: 'March invoices', template_id: id(1), status: 'completed', tasks_total: 2, tasks_completed: 2, tasks_failed: 0, created_at: '2025-03-01T10:00:00Z' },
    { id: legacy.jobWithTasksOnly, user_id: 'alice', name: 'Broken scans', status: 'failed', tasks_total: 1, tasks_completed: 0, tasks_failed: 1, created_at: '2025-03-02T10:00:00Z' },
    { id: legacy.jobWithoutTasks, user_id: 'alice', name: 'Never ran', status: 'pending', created_at: '2025-03-03T10:00:00Z' },
    { id: legacy.bobJob, user_id: 'bob', name: 'Receipts', status: 'partially_completed', tasks_total: 2, tasks_completed: 1, tasks_failed: 1, created_at: '2025-03-04T10:00:00Z' },
  ]).execute();
  await db.insertInto('job_fields').values([
    { id: id(201), job_id: legacy.jobWithResults, field_name: 'Invoice number', data_type_id: 'text', ai_prompt: 'The invoice number', display_order: 0 },
    { id: id(202), job_id: legacy.jobWithResults, field_name: 'Total', data_type_id: 'currency', display_order: 1 },
    { id: id(203), job_id: legacy.jobWithoutTasks, field_name: 'Vendor', data_type_id: 'text', display_order: 0 },
  ]).execute();
  const file = (n: number, job: string, name: string) => ({
    id: id(n), job_id: job, original_filename: name, gcs_object_name: `uploads/${job}/${name}`, file_type: 'application/pdf', file_size_bytes: 1000 + n, status: 'uploaded',
  });
  await db.insertInto('source_files').values([
    file(301, legacy.jobWithResults, 'a.pdf'),
    file(302, legacy.jobWithResults, 'b.pdf'),
    file(303, legacy.jobWithTasksOnly, 'scan.pdf'),
    file(304, legacy.jobWithoutTasks, 'c.pdf'),
    file(305, legacy.bobJob, 'r1.pdf'),
    file(306, legacy.bobJob, 'r2.pdf'),
  ]).execute();
  await db.insertInto('extraction_tasks').values([
    { id: id(401), job_id: legacy.jobWithResults, source_file_id: id(301), status: 'completed', created_at: '2025-03-01T10:01:00Z', processed_at: '2025-03-01T10:02:00Z' },
    { id: id(402), job_id: legacy.jobWithResults, source_file_id: id(302), status: 'completed', created_at: '2025-03-01T10:01:30Z', processed_at: '2025-03-01T10:03:00Z' },
    { id: id(403), job_id: legacy.jobWithTasksOnly, source_file_id: id(303), status: 'failed', error_message: 'unreadable', created_at: '2025-03-02T10:01:00Z', processed_at: null },
    { id: id(404), job_id: legacy.bobJob, source_file_id: id(305), status: 'completed', created_at: '2025-03-04T10:01:00Z', processed_at: '2025-03-04T10:05:00Z' },
    { id: id(405), job_id: legacy.bobJob, source_file_id: id(306), status: 'processing', created_at: '2025-03-04T10:01:00Z', processed_at: null },
  ]).execute();
  await db.insertInto('extraction_results').values([
    { id: id(501), job_id: legacy.jobWithResults, task_id: id(401), extracted_data: JSON.stringify({ columns: ['Invoice number', 'Total'], results: [['INV-1', 10.5]] }) },
    { id: id(502), job_id: legacy.jobWithResults, task_id: id(402), extracted_data: JSON.stringify({ columns: ['Invoice number', 'Total'], results: [['INV-2', 20]] }) },
    { id: id(503), job_id: legacy.bobJob, task_id: id(404), extracted_data: JSON.stringify({ columns: ['x'], results: [['y']] }) },
  ]).execute();
}

export const legacyTables = ['users', 'templates', 'data_types', 'extraction_jobs', 'job_fields', 'source_files', 'extraction_tasks', 'extraction_results'] as const;

/** The legacy columns of every legacy row, sorted: equal snapshots mean nothing was lost or changed. */
export async function snapshotLegacyRows(db: Kysely<any>): Promise<Record<string, unknown[]>> {
  const columns: Record<(typeof legacyTables)[number], string> = {
    users: 'id, email, display_name, created_at',
    templates: 'id, user_id, name, fields, created_at',
    data_types: 'id, display_name, base_json_type',
    extraction_jobs: 'id, user_id, name, template_id, status, tasks_total, tasks_completed, tasks_failed, created_at',
    job_fields: 'id, job_id, field_name, data_type_id, ai_prompt, display_order',
    source_files: 'id, job_id, original_filename, gcs_object_name, file_type, file_size_bytes, status',
    extraction_tasks: "id, job_id, source_file_id, CASE status WHEN 'running' THEN 'processing' ELSE status END AS status, error_message, created_at, processed_at",
    extraction_results: 'id, job_id, task_id, extracted_data, processed_at',
  };
  const snapshot: Record<string, unknown[]> = {};
  for (const table of legacyTables) {
    const { rows } = await sql.raw(`SELECT ${columns[table]} FROM ${table} ORDER BY id`).execute(db);
    snapshot[table] = rows;
  }
  return snapshot;
}

export const inFlight = {
  /** Legacy `in_progress`: one task done with its result, one `processing`, one `pending`; its counters overcount. */
  runningJob: id(601),
  /** Legacy `pending`: two pending tasks, nothing started. */
  pendingJob: id(602),
  /** Legacy `in_progress` with a pending task whose file row is gone. */
  orphanJob: id(603),
  /** Legacy `in_progress` whose every task had finished (the job row was never settled). */
  settledJob: id(604),
};

/**
 * Work in flight at the cut-over (seed 000 §4): jobs of carol's still being extracted by
 * the legacy code when the migration runs, each with its fields and files.
 */
export async function insertLegacyWorkInFlight(db: Kysely<any>): Promise<void> {
  await db.insertInto('users').values({ id: 'carol', email: 'carol@example.com' }).execute();
  await db.insertInto('extraction_jobs').values([
    { id: inFlight.runningJob, user_id: 'carol', name: 'April invoices', status: 'in_progress', tasks_total: 3, tasks_completed: 2, tasks_failed: 1, created_at: '2025-04-01T10:00:00Z' },
    { id: inFlight.pendingJob, user_id: 'carol', name: 'May invoices', status: 'pending', tasks_total: 2, created_at: '2025-05-01T10:00:00Z' },
    { id: inFlight.orphanJob, user_id: 'carol', name: 'Half gone', status: 'in_progress', tasks_total: 2, tasks_completed: 1, created_at: '2025-05-02T10:00:00Z' },
    { id: inFlight.settledJob, user_id: 'carol', name: 'Nearly done', status: 'in_progress', tasks_total: 1, tasks_completed: 0, created_at: '2025-05-03T10:00:00Z' },
  ]).execute();
  await db.insertInto('job_fields').values([
    { id: id(611), job_id: inFlight.runningJob, field_name: 'Vendor', data_type_id: 'text', ai_prompt: 'Who sent it', display_order: 0 },
    { id: id(612), job_id: inFlight.runningJob, field_name: 'Amount', data_type_id: 'currency', display_order: 1 },
    { id: id(613), job_id: inFlight.pendingJob, field_name: 'Vendor', data_type_id: 'text', display_order: 0 },
    { id: id(614), job_id: inFlight.orphanJob, field_name: 'Vendor', data_type_id: 'text', display_order: 0 },
    { id: id(615), job_id: inFlight.settledJob, field_name: 'Vendor', data_type_id: 'text', display_order: 0 },
  ]).execute();
  const file = (n: number, job: string, name: string) => ({
    id: id(n), job_id: job, original_filename: name, gcs_object_name: `legacy/${job}/${name}`, file_type: 'application/pdf', file_size_bytes: 2000 + n, status: 'uploaded',
  });
  await db.insertInto('source_files').values([
    file(621, inFlight.runningJob, 'april-1.pdf'), file(622, inFlight.runningJob, 'april-2.pdf'), file(623, inFlight.runningJob, 'april-3.pdf'),
    file(624, inFlight.pendingJob, 'may-1.pdf'), file(625, inFlight.pendingJob, 'may-2.pdf'),
    file(626, inFlight.orphanJob, 'kept.pdf'), file(627, inFlight.settledJob, 'done.pdf'),
  ]).execute();
  const task = (n: number, job: string, file: number | null, status: string) => ({
    id: id(n), job_id: job, source_file_id: file === null ? null : id(file), status, created_at: '2025-05-10T09:00:00Z', processed_at: status === 'completed' ? '2025-05-10T09:01:00Z' : null,
  });
  await db.insertInto('extraction_tasks').values([
    task(631, inFlight.runningJob, 621, 'completed'), task(632, inFlight.runningJob, 622, 'processing'), task(633, inFlight.runningJob, 623, 'pending'),
    task(634, inFlight.pendingJob, 624, 'pending'), task(635, inFlight.pendingJob, 625, 'pending'),
    task(636, inFlight.orphanJob, 626, 'completed'), task(637, inFlight.orphanJob, null, 'pending'),
    task(638, inFlight.settledJob, 627, 'completed'),
  ]).execute();
  await db.insertInto('extraction_results').values([
    { id: id(641), job_id: inFlight.runningJob, task_id: id(631), extracted_data: JSON.stringify({ columns: ['Vendor', 'Amount'], results: [['Acme', 12]] }) },
    { id: id(642), job_id: inFlight.orphanJob, task_id: id(636), extracted_data: JSON.stringify({ columns: ['Vendor'], results: [['Kept']] }) },
    { id: id(643), job_id: inFlight.settledJob, task_id: id(638), extracted_data: JSON.stringify({ columns: ['Vendor'], results: [['Done']] }) },
  ]).execute();
}
