import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderSchemaTypes } from '../../shared/db/codegen.js';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

it(`the table types in shared/db/schema.ts match the migrated ${testEngine} schema (run npm run db:types after changing sql/)`, async () => {
  const committed = await readFile(new URL('../../shared/db/schema.ts', import.meta.url), 'utf8');
  expect(await renderSchemaTypes(database)).toBe(committed);
});
