import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { staleVersion, versionMatches, type IfMatch } from '../http/versions.js';

export interface SettingsView {
  maxUploadBytes: number;
  exportRetentionDays: number;
  activityRetentionDays: number;
  modelName: string | null;
  customSystemPrompt: string | null;
  /** Bumped by every change: the settings' ETag; 0 while the user never changed any. */
  version: number;
}

type Editable = Omit<SettingsView, 'version'>;

const defaults: SettingsView = { maxUploadBytes: 25 * 1024 * 1024, exportRetentionDays: 30, activityRetentionDays: 90, modelName: null, customSystemPrompt: null, version: 0 };

/** The user's settings (seed 004 account settings), defaults where never set. */
export async function findSettings(db: Kysely<Database>, userId: string): Promise<SettingsView> {
  const row = await db.selectFrom('user_settings').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!row) return { ...defaults };
  return {
    maxUploadBytes: Number(row.max_upload_bytes), exportRetentionDays: row.export_retention_days, activityRetentionDays: row.activity_retention_days,
    modelName: row.model_name, customSystemPrompt: row.custom_system_prompt, version: row.version,
  };
}

/**
 * Changes some settings, bumping their version; with `ifMatch`, only while they are at one
 * of those versions (0: never changed), else 412. The database's CHECK constraints are the
 * last word on ranges.
 */
export async function updateSettings(db: Kysely<Database>, userId: string, input: Partial<Editable>, ifMatch?: IfMatch): Promise<SettingsView> {
  const values = {
    ...(input.maxUploadBytes !== undefined ? { max_upload_bytes: input.maxUploadBytes } : {}),
    ...(input.exportRetentionDays !== undefined ? { export_retention_days: input.exportRetentionDays } : {}),
    ...(input.activityRetentionDays !== undefined ? { activity_retention_days: input.activityRetentionDays } : {}),
    ...(input.modelName !== undefined ? { model_name: input.modelName } : {}),
    ...(input.customSystemPrompt !== undefined ? { custom_system_prompt: input.customSystemPrompt } : {}),
  };
  const bumped = { ...values, updated_at: sql<Date>`now()`, version: sql<number>`user_settings.version + 1` };
  if (ifMatch === undefined) {
    await db.insertInto('user_settings').values({ user_id: userId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(bumped)).execute();
    return findSettings(db, userId);
  }
  // Never changed is version 0 (no row): the row is created only when If-Match accepts 0.
  let written = await db.updateTable('user_settings').set(bumped).where('user_id', '=', userId).where(versionMatches(ifMatch))
    .returning('version').executeTakeFirst();
  if (!written && ifMatch.includes(0)) {
    written = await db.insertInto('user_settings').values({ user_id: userId, ...values })
      .onConflict((oc) => oc.column('user_id').doNothing()).returning('version').executeTakeFirst();
  }
  const settings = await findSettings(db, userId);
  if (!written) throw staleVersion('Settings', settings.version);
  return settings;
}
