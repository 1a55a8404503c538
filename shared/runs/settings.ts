import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';

/** What a run extracts with; snapshotted on the run so later changes rewrite no history. */
export interface ExtractionSettings {
  model: string;
  systemPrompt: { name: string; version: string; text: string };
}

/**
 * The settings a new run of `userId` starts with: the user's model and custom system prompt
 * when set, else `defaultModel` and the active `extraction` system prompt.
 */
export async function loadExtractionSettings(db: Kysely<Database>, userId: string, defaultModel: string): Promise<ExtractionSettings> {
  const [settings, prompt] = await Promise.all([
    db.selectFrom('user_settings').select(['model_name', 'custom_system_prompt']).where('user_id', '=', userId).executeTakeFirst(),
    db.selectFrom('system_prompts').select(['name', 'version', 'content']).where('name', '=', 'extraction').where('is_active', '=', true).executeTakeFirst(),
  ]);
  if (!prompt) throw new Error('No active "extraction" system prompt: the migrations seed one');
  const model = settings?.model_name ?? defaultModel;
  if (settings?.custom_system_prompt) {
    return { model, systemPrompt: { name: 'custom', version: `user-${userId}`, text: settings.custom_system_prompt } };
  }
  return { model, systemPrompt: { name: prompt.name, version: String(prompt.version), text: prompt.content } };
}
