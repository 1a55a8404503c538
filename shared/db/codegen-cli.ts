/** `npm run db:types`: regenerates shared/db/schema.ts from the migrations. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderSchemaTypes } from './codegen.js';
import { openMemoryDatabase } from './connect.js';
import { migrateToLatest } from './migrate.js';

const handle = await openMemoryDatabase();
try {
  await migrateToLatest(handle);
  const target = fileURLToPath(new URL('./schema.ts', import.meta.url));
  await writeFile(target, await renderSchemaTypes(handle));
  console.log(`wrote ${target}`);
} finally {
  await handle.close();
}
