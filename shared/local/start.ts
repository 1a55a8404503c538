/** `npm start`: the local stack on http://127.0.0.1:8080 until Ctrl-C. */
import { startLocalStack } from './stack.js';

const stack = await startLocalStack();
const api = `${stack.url}/api`;
console.log(`
ByteReview pipeline, local stack
  console      ${stack.url}/            (sign in with any name; development only)
  database     ${stack.databaseLabel}
  data         ${process.env.DATA_DIR ?? '.data'} (blobs, keys)
  engine       ${stack.extraction}
  api          ${api}            (OpenAPI: ${api}/openapi.json)
  extraction   ${stack.url}/extraction
  cleanup      ${stack.url}/cleanup
  blobs        ${stack.url}/blobs
  Google       ${stack.googleUrl}   SIMULATED Google account (local double, not Google): demo@bytereview.local

Try it (the development identity is "Bearer dev:<any id>"):
  curl -s -X POST ${api}/v1/jobs -H 'Authorization: Bearer dev:me' -H 'content-type: application/json' \\
       -d '{"name":"Invoices","fields":[{"name":"invoice_number","type":"text"},{"name":"total_amount","type":"currency"}]}'
  curl -s -X POST ${api}/v1/jobs/<job id>/files -H 'Authorization: Bearer dev:me' -F file=@shared/local/samples/acme-office-supplies-invoice.pdf
  curl -s -X POST ${api}/v1/jobs/<job id>/runs -H 'Authorization: Bearer dev:me'
  curl -s ${api}/v1/runs/<run id>/results -H 'Authorization: Bearer dev:me'
Or run everything at once in another terminal: npm run demo (npm run demo -- --automation: an automation firing)
Put a message in the simulated inbox (fires automations):
  curl -F from=billing@supplier.example -F subject='Invoice' -F file=@shared/local/samples/acme-office-supplies-invoice.pdf \\
       ${stack.url}/local/mailbox/demo@bytereview.local/messages

Ctrl-C (SIGINT) or SIGTERM stops it; data stays in the data folder.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping...');
    stack.close().then(() => process.exit(0), (error) => {
      console.error(error);
      process.exit(1);
    });
  });
}
