/**
 * `npm run openapi`: writes functions/api/openapi.json and the console's typed client types
 * console/src/api-types.ts (both committed; a test fails when either is stale).
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from './openapi.js';
import { consoleApiTypes } from './openapi-types.js';

const document = buildOpenApiDocument();
const target = fileURLToPath(new URL('./openapi.json', import.meta.url));
await writeFile(target, `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${target}`);
const types = fileURLToPath(new URL('../../console/src/api-types.ts', import.meta.url));
await writeFile(types, await consoleApiTypes(document));
console.log(`wrote ${types}`);
