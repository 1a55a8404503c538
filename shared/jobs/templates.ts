import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { HttpError } from '../errors.js';
import { refuseChange, versionMatches, type IfMatch } from '../http/versions.js';
import type { FieldSpec } from '../extraction/types.js';
import { checkFieldNames, type FieldInput } from './fields.js';

export interface TemplateView {
  id: string;
  name: string;
  description: string | null;
  fields: FieldSpec[];
  isPublic: boolean;
  /** Bumped by every change: the template's ETag. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

const columns = ['id', 'name', 'description', 'fields', 'is_public', 'version', 'created_at', 'updated_at'] as const;
type Row = { id: string; name: string; description: string | null; fields: unknown; is_public: boolean; version: number; created_at: Date; updated_at: Date };
const toView = (t: Row): TemplateView => ({
  id: t.id, name: t.name, description: t.description, fields: t.fields as FieldSpec[], isPublic: t.is_public, version: t.version,
  createdAt: t.created_at.toISOString(), updatedAt: t.updated_at.toISOString(),
});

/** Saves a reusable list of fields. */
export async function createTemplate(db: Kysely<Database>, userId: string, input: { name: string; description?: string | null; fields: FieldInput[] }): Promise<TemplateView> {
  const row = await db.insertInto('templates').values({
    user_id: userId, name: input.name, description: input.description ?? null, fields: JSON.stringify(checkFieldNames(input.fields)),
  }).returning(columns).executeTakeFirstOrThrow();
  return toView(row);
}

/** The user's templates and the public ones, by name. */
export async function listTemplates(db: Kysely<Database>, userId: string): Promise<TemplateView[]> {
  const rows = await db.selectFrom('templates').select(columns)
    .where((eb) => eb.or([eb('user_id', '=', userId), eb('is_public', '=', true)])).orderBy('name').orderBy('id').execute();
  return rows.map(toView);
}

export async function findTemplate(db: Kysely<Database>, userId: string, id: string): Promise<TemplateView> {
  const row = await db.selectFrom('templates').select(columns).where('id', '=', id)
    .where((eb) => eb.or([eb('user_id', '=', userId), eb('is_public', '=', true)])).executeTakeFirst();
  if (!row) throw new HttpError(404, 'not_found', 'Template not found');
  return toView(row);
}

/** Changes one of the user's own templates (public ones are read-only); with `ifMatch`, only at one of those versions. */
export async function updateTemplate(
  db: Kysely<Database>, userId: string, id: string, input: { name?: string; description?: string | null; fields?: FieldInput[] }, ifMatch?: IfMatch,
): Promise<TemplateView> {
  const row = await db.updateTable('templates').set({
    updated_at: sql`now()`,
    version: sql`version + 1`,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.fields !== undefined ? { fields: JSON.stringify(checkFieldNames(input.fields)) } : {}),
  }).where('id', '=', id).where('user_id', '=', userId)
    .$if(ifMatch !== undefined, (qb) => qb.where(versionMatches(ifMatch!)))
    .returning(columns).executeTakeFirst();
  return row ? toView(row) : refuseChange(db, 'templates', 'Template', userId, id);
}

export async function deleteTemplate(db: Kysely<Database>, userId: string, id: string, ifMatch?: IfMatch): Promise<void> {
  const row = await db.deleteFrom('templates').where('id', '=', id).where('user_id', '=', userId)
    .$if(ifMatch !== undefined, (qb) => qb.where(versionMatches(ifMatch!)))
    .returning('id').executeTakeFirst();
  if (!row) await refuseChange(db, 'templates', 'Template', userId, id);
}
