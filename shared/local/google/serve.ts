/**
 * Serves the local Google double on its own, seeded with the demo account:
 *
 *   npx tsx shared/local/google/serve.ts --port 8090
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_ACCOUNT, seedDemoAccount, type SamplePdf } from './seed-demo.js';
import { startGoogleDouble } from './server.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8090' } } });
const samplesDir = fileURLToPath(new URL('../samples/', import.meta.url));

const google = await startGoogleDouble({ port: Number(values.port) });
const demo = seedDemoAccount(google.state, await samplePdfs(samplesDir));
google.state.gmail.onWatchNotification((n) => console.log(`gmail watch: ${n.emailAddress} historyId=${n.historyId} -> ${n.topicName}`));

console.log(`
  SIMULATED GOOGLE — local double, not Google. No real account or data is involved.
  listening on   ${google.url}
  rootUrl        ${google.endpoints.rootUrl}
  token URL      ${google.endpoints.oauth2.oauth2TokenUrl}
  consent URL    ${google.endpoints.oauth2.oauth2AuthBaseUrl} (approves at once; add simulate=screen for a page)
  account        ${DEMO_ACCOUNT.email} ("${DEMO_ACCOUNT.name}")
  Drive folder   Invoices (${demo.invoicesFolder.id})
  Gmail message  ${demo.message.subject} (${demo.message.id})
`);

const stop = () => void google.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

async function samplePdfs(dir: string): Promise<SamplePdf[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const pdfs = names.filter((n) => n.toLowerCase().endsWith('.pdf')).sort();
  return Promise.all(pdfs.map(async (name) => ({ name, bytes: await readFile(path.join(dir, name)) })));
}
