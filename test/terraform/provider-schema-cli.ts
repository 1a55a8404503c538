/**
 * `npm run terraform:schema`: rewrites test/terraform/google-provider-schema.json with
 * the schema of every google resource and data source terraform/ uses, read from
 * `@cdktf/provider-google`'s .jsii. The package (~300 MB) is not a dependency: install it
 * for the run, `npm install --no-save @cdktf/provider-google@16.12.1`, or point
 * CDKTF_PROVIDER_GOOGLE_DIR at an installed copy.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { extractSchema, findProviderPackage, googleTypesUsed, parseTerraformDir, PROVIDER_PACKAGE, repoRoot, schemaFile } from './provider-schema.js';

const packageDir = findProviderPackage();
if (!packageDir) {
  console.error(`@cdktf/provider-google is not installed: npm install --no-save ${PROVIDER_PACKAGE}, or set CDKTF_PROVIDER_GOOGLE_DIR`);
  process.exit(1);
}
const used = googleTypesUsed(await parseTerraformDir());
const schema = await extractSchema(packageDir, used);
await writeFile(schemaFile, `${JSON.stringify(schema, null, 2)}\n`);
console.log(`${path.relative(repoRoot, schemaFile)}: ${used.resources.length} resources, ${used.dataSources.length} data sources (google ${schema.version})`);
