import openapiTS, { astToString } from 'openapi-typescript';

/** The TypeScript types of the api for openapi-fetch (seed 000 §7), as console/src/api-types.ts holds them. */
export async function consoleApiTypes(document: object): Promise<string> {
  const ast = await openapiTS(JSON.parse(JSON.stringify(document)));
  return `/** Generated from functions/api/openapi.json by \`npm run openapi\`; do not edit. */\n${astToString(ast)}`;
}
