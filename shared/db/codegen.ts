import { generate, PostgresDialect as PostgresCodegenDialect } from 'kysely-codegen';
import type { DatabaseHandle } from './connect.js';

/**
 * Renders the table types of a migrated database as TypeScript (kysely-codegen), the text
 * of shared/db/schema.ts. A test regenerates it and compares, so types cannot drift
 * from the SQL.
 */
export async function renderSchemaTypes(handle: DatabaseHandle): Promise<string> {
  return generate({
    db: handle.db,
    dialect: new PostgresCodegenDialect(),
    outFile: null,
    excludePattern: 'kysely_migration*',
    typeOnlyImports: true,
    // Both engines parse int8 into a number (see connect.ts).
    typeMapping: { int8: 'number' },
  });
}
