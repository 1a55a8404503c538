import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  extractSchema,
  findProviderPackage,
  googleTypesUsed,
  parseHcl,
  parseTerraformDir,
  readCommittedSchema,
  terraformDir,
  validateAgainstSchema,
  type ProviderSchema,
  type TerraformFile,
} from './provider-schema.js';

const run = promisify(execFile);
const terraformBinary = ['/usr/local/bin/terraform', '/usr/bin/terraform'].find((p) => existsSync(p));
const providerPackage = findProviderPackage();

let files: TerraformFile[];
let schema: ProviderSchema;

beforeAll(async () => {
  [files, schema] = await Promise.all([parseTerraformDir(), readCommittedSchema()]);
});

describe('terraform/ against the google provider 6.50 schema (offline, in place of terraform validate)', () => {
  it('every google resource and data source, with its arguments and blocks, is valid for the provider', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(validateAgainstSchema(files, schema)).toEqual([]);
  });

  it('the committed schema covers every google type terraform/ uses', () => {
    const used = googleTypesUsed(files);
    expect(used.resources).toContain('google_cloudfunctions2_function');
    expect(used.resources.filter((t) => !Object.hasOwn(schema.resources, t))).toEqual([]);
    expect(used.dataSources.filter((t) => !Object.hasOwn(schema.dataSources, t))).toEqual([]);
    expect(schema.version).toBe('6.50.0');
  });

  it('unknown types, unknown arguments and blocks, and missing required arguments are reported', async () => {
    const bad = (await parseHcl('bad.tf', `
      resource "google_cloudfunction2_function" "typo" { name = "x" }
      resource "google_pubsub_subscription" "s" {
        name = "s"
        ack_deadline = 10
        dead_letter_policy {
          dead_letter_topic = "t"
          max_attempts      = 5
        }
      }
      resource "google_cloud_tasks_queue" "q" { name = "q" }
      resource "google_storage_bucket" "b" {
        name     = "b"
        location = "EU"
        lifecycle_rule = { action = "Delete" }
      }
    `)) as TerraformFile['json'];
    const problems = validateAgainstSchema([{ file: 'bad.tf', json: bad }], schema);
    expect(problems).toEqual(expect.arrayContaining([
      'bad.tf: google_cloudfunction2_function.typo: unknown resource type google_cloudfunction2_function',
      'bad.tf: google_pubsub_subscription.s: unknown argument or block "ack_deadline"',
      'bad.tf: google_pubsub_subscription.s: missing required argument "topic"',
      'bad.tf: google_pubsub_subscription.s.dead_letter_policy[0]: unknown argument or block "max_attempts"',
      'bad.tf: google_cloud_tasks_queue.q: missing required argument "location"',
      'bad.tf: google_storage_bucket.b: "lifecycle_rule" is a block, written as an argument',
    ]));
    expect(problems).toHaveLength(6);
  });

  // The package is ~300 MB and no dependency; without it only this staleness check is skipped.
  it.skipIf(!providerPackage)('the committed schema is what npm run terraform:schema extracts from @cdktf/provider-google now', async () => {
    expect(await extractSchema(providerPackage!, googleTypesUsed(files))).toEqual(schema);
  });
});

describe.skipIf(!terraformBinary)('terraform fmt', () => {
  it('terraform fmt -check -recursive finds nothing to reformat', async () => {
    const result = await run(terraformBinary!, ['fmt', '-check', '-recursive', '-list=true', terraformDir], { env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(result).toEqual({ code: 0, stdout: '' });
  });
});
