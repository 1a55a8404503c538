import { HttpError } from '../errors.js';
import type { FieldSpec, FieldType } from '../extraction/types.js';

export const fieldTypes = ['text', 'number', 'date', 'currency', 'boolean', 'list'] as const satisfies readonly FieldType[];

export interface FieldInput {
  name: string;
  type: FieldType;
  description?: string | null;
  required?: boolean;
}

/** Field names are column headers: two fields of one job may not share a name (case-insensitive). */
export function checkFieldNames(fields: FieldInput[], where = 'body.fields'): FieldSpec[] {
  const seen = new Map<string, number>();
  return fields.map((f, i) => {
    const key = f.name.trim().toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) throw new HttpError(400, 'duplicate_field', `${where}.${i}.name: "${f.name}" repeats field ${first}`);
    seen.set(key, i);
    return { name: f.name.trim(), type: f.type, description: f.description ?? null, required: f.required ?? false };
  });
}
