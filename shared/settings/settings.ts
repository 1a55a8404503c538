import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { DEFAULT_MAX_PAGES_PER_MONTH, DEFAULT_MAX_RUNS_PER_DAY } from '../usage/limits.js';

export interface SettingsView {
  maxUploadBytes: number;
  exportRetentionDays: number;
  activityRetentionDays: number;
  modelName: string | null;
  customSystemPrompt: string | null;
  maxRunsPerDay: number;
  maxPagesPerMonth: number;
}

const defaults: SettingsView = {
  maxUploadBytes: 25 * 1024 * 1024, exportRetentionDays: 30, activityRetentionDays: 90, modelName: null, customSystemPrompt: null,
  maxRunsPerDay: DEFAULT_MAX_RUNS_PER_DAY, maxPagesPerMonth: DEFAULT_MAX_PAGES_PER_MONTH,
};

/** The user's settings (seed 004 account settings), defaults where never set. */
export async function findSettings(db: Kysely<Database>, userId: string): Promise<SettingsView> {
  const row = await db.selectFrom('user_settings').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!row) return { ...defaults };
  return {
    maxUploadBytes: Number(row.max_upload_bytes), exportRetentionDays: row.export_retention_days, activityRetentionDays: row.activity_retention_days,
    modelName: row.model_name, customSystemPrompt: row.custom_system_prompt, maxRunsPerDay: row.max_runs_per_day, maxPagesPerMonth: row.max_pages_per_month,
  };
}

/** Changes some settings; the database's CHECK constraints are the last word on ranges. */
export async function updateSettings(db: Kysely<Database>, userId: string, input: Partial<SettingsView>): Promise<SettingsView> {
  const values = {
    ...(input.maxUploadBytes !== undefined ? { max_upload_bytes: input.maxUploadBytes } : {}),
    ...(input.exportRetentionDays !== undefined ? { export_retention_days: input.exportRetentionDays } : {}),
    ...(input.activityRetentionDays !== undefined ? { activity_retention_days: input.activityRetentionDays } : {}),
    ...(input.modelName !== undefined ? { model_name: input.modelName } : {}),
    ...(input.customSystemPrompt !== undefined ? { custom_system_prompt: input.customSystemPrompt } : {}),
    ...(input.maxRunsPerDay !== undefined ? { max_runs_per_day: input.maxRunsPerDay } : {}),
    ...(input.maxPagesPerMonth !== undefined ? { max_pages_per_month: input.maxPagesPerMonth } : {}),
  };
  await db.insertInto('user_settings').values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
  return findSettings(db, userId);
}
