import { Type, type Schema } from '@google/genai';
import { z } from 'zod';
import { cellProblem } from './cells.js';
import { InvalidAnswerError, type FieldSpec, type FieldType } from './types.js';

export { coerceCell, type CoerceOptions } from './cells.js';

/** Seed 002 §4.3's answer shape, before the fields give its cells their types. */
const answerShape = z.object({
  columns: z.array(z.string()),
  results: z.array(z.array(z.unknown())),
});

export type Answer = z.infer<typeof answerShape>;

/**
 * The Gemini `responseSchema` (Vertex's OpenAPI subset) for an answer to `fields`:
 * `columns` can only be the field names, and each row holds one cell per field.
 * Vertex has no tuple schema, so a cell is `anyOf` the types the fields use; the
 * per-column types are checked after the answer arrives (`validateAnswer`).
 */
export function buildResponseSchema(fields: readonly FieldSpec[]): Schema {
  const names = fields.map((field) => field.name);
  return {
    type: Type.OBJECT,
    properties: {
      columns: {
        type: Type.ARRAY,
        description: `Exactly these column names, in this order: ${names.join(', ')}.`,
        items: { type: Type.STRING, enum: names },
        minItems: String(names.length),
        maxItems: String(names.length),
      },
      results: {
        type: Type.ARRAY,
        description: 'One row per record found in the document; each row has one cell per column, in column order.',
        items: {
          type: Type.ARRAY,
          items: cellSchema(fields),
          minItems: String(names.length),
          maxItems: String(names.length),
        },
      },
    },
    required: ['columns', 'results'],
    propertyOrdering: ['columns', 'results'],
  };
}

function cellSchema(fields: readonly FieldSpec[]): Schema {
  const kinds = new Set(fields.map((field) => cellKind(field.type)));
  const schemas: Record<ReturnType<typeof cellKind>, Schema> = {
    string: { type: Type.STRING, nullable: true },
    number: { type: Type.NUMBER, nullable: true },
    boolean: { type: Type.BOOLEAN, nullable: true },
    list: { type: Type.ARRAY, items: { type: Type.STRING }, nullable: true },
  };
  const options = [...kinds].map((kind) => schemas[kind]);
  return options.length === 1 ? options[0]! : { anyOf: options };
}

function cellKind(type: FieldType): 'string' | 'number' | 'boolean' | 'list' {
  switch (type) {
    case 'text':
    case 'date':
      return 'string';
    case 'number':
    case 'currency':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'list':
      return 'list';
  }
}

/**
 * Checks a parsed answer against seed 002 §4.3's shape and the fields' types: columns
 * are the field names in order, each row has one cell per column, each cell fits its
 * field's type, and no required field is null. Throws InvalidAnswerError naming the
 * first problem (rows and columns counted from 1, as a spreadsheet shows them).
 */
export function validateAnswer(fields: readonly FieldSpec[], parsed: unknown): Answer {
  const shape = answerShape.safeParse(parsed);
  if (!shape.success) {
    const issue = shape.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : 'the answer';
    throw new InvalidAnswerError(`Answer does not match { columns, results }: ${where}: ${issue.message}`);
  }
  const { columns, results } = shape.data;
  const names = fields.map((field) => field.name);
  if (columns.length !== names.length || columns.some((column, i) => column !== names[i])) {
    throw new InvalidAnswerError(
      `Answer columns ${JSON.stringify(columns)} are not the job's fields ${JSON.stringify(names)} in order`,
    );
  }
  results.forEach((row, r) => {
    if (row.length !== fields.length) {
      throw new InvalidAnswerError(`Row ${r + 1} has ${row.length} cells, expected ${fields.length} (one per column)`);
    }
    fields.forEach((field, c) => {
      const cell = row[c];
      if (cell === null && field.required) {
        throw new InvalidAnswerError(`Row ${r + 1}, column "${field.name}": required field is null`);
      }
      const problem = cellProblem(field.type, cell);
      if (problem) throw new InvalidAnswerError(`Row ${r + 1}, column "${field.name}" (${field.type}): ${problem}`);
    });
  });
  return { columns, results };
}
