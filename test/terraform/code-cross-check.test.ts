import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { cloudMessagingEnv } from '../../shared/messaging/cloud.js';
import { queues, topics } from '../../shared/messaging/contracts.js';
import { pubsubTopicId } from '../../shared/messaging/pubsub.js';
import { productionSettingsOf } from '../../shared/production.js';
import { stageHandlers } from '../../shared/stages.js';
import { parseTerraformDir, repoRoot, usedBlocks, type TerraformFile, type UsedBlock } from './provider-schema.js';

/**
 * terraform/ and the code cannot drift: each fact the deployment depends on is read from
 * the code (registered functions, contracts, stages, config schemas) and looked up in the
 * parsed .tf files.
 */

interface FunctionDefaults {
  trigger: 'http' | 'pubsub';
  topic: string | null;
  public: boolean;
  concurrency: number;
  min_instances: number;
  max_instances: number;
  timeout_seconds: number;
}

let files: TerraformFile[];
let locals: Record<string, unknown>;
let blocks: UsedBlock[];
let registered: Map<string, { kind: 'http' | 'cloudEvent'; consumes?: string; file: string }>;

/** `functions.http('name', handler)` / `functions.cloudEvent('name', handler)` in functions/, with the message each handler is built for. */
async function registeredFunctions(): Promise<typeof registered> {
  const found: typeof registered = new Map();
  const dir = path.join(repoRoot, 'functions');
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const source = await readFile(file, 'utf8');
    for (const m of source.matchAll(/functions\.(http|cloudEvent)\(\s*'([^']+)',\s*(\w+)\s*\)/g)) {
      const [, kind, name, handler] = m;
      if (found.has(name!)) throw new Error(`${name} is registered twice`);
      const built = new RegExp(`export const ${handler}\\b[\\s\\S]*?(?:pubsubHandler|tasksHandler)\\(\\s*'([^']+)'`).exec(source);
      found.set(name!, { kind: kind as 'http' | 'cloudEvent', consumes: built?.[1], file: path.relative(repoRoot, file) });
    }
  }
  return found;
}

function block(type: string, name: string): Record<string, unknown> {
  const found = blocks.find((b) => b.kind === 'resource' && b.type === type && b.name === name);
  if (!found) throw new Error(`terraform/ has no ${type}.${name}`);
  return found.body;
}

/** A Cloud Tasks queue of `local.tasks_queues` (the one `google_cloud_tasks_queue.queue` resource makes each). */
function tasksQueue(key: string): Record<string, unknown> {
  expect(block('google_cloud_tasks_queue', 'queue')).toMatchObject({ for_each: '${local.tasks_queues}', name: '${each.value.name}' });
  const queue = (locals['tasks_queues'] as Record<string, Record<string, unknown>>)[key];
  if (!queue) throw new Error(`terraform/ has no Cloud Tasks queue ${key} in local.tasks_queues`);
  return queue;
}

const functionDefaults = () => locals['function_defaults'] as Record<string, FunctionDefaults>;
const functionResource = () => block('google_cloudfunctions2_function', 'fn');
const serviceConfig = () => (functionResource()['service_config'] as Record<string, unknown>[])[0]!;

/** The environment variable names terraform/ sets on `fn`: the merge() of common, inline and per-function settings, plus the secret ones. */
function environmentOf(fn: string): Set<string> {
  const expression = serviceConfig()['environment_variables'] as string;
  const names = new Set<string>();
  for (const ref of expression.matchAll(/local\.(\w+)(\[each\.key\])?/g)) {
    const value = locals[ref[1]!] as Record<string, Record<string, unknown>>;
    expect(value, `local.${ref[1]} is a literal map`).toBeTypeOf('object');
    for (const key of Object.keys((ref[2] ? value[fn] : value) ?? {})) names.add(key);
  }
  for (const inline of expression.matchAll(/^\s*([A-Z][A-Z0-9_]*)\s*=/gm)) names.add(inline[1]!);
  const secrets = (serviceConfig()['dynamic'] as Record<string, { for_each: string }[]>)['secret_environment_variables']![0]!.for_each;
  expect(secrets).toBe('${local.secret_env}');
  for (const key of Object.keys(locals['secret_env'] as object)) names.add(key);
  return names;
}

/** The settings a schema requires that `present` lacks: object fields without a default, and for a union, the closest option's. */
function missingSettings(schema: z.ZodType, present: Set<string>): string[] {
  if (schema instanceof z.ZodObject) {
    return Object.entries(schema.shape as Record<string, z.ZodType>)
      .filter(([name, field]) => !present.has(name) && !field.safeParse(undefined).success)
      .map(([name]) => name);
  }
  if (schema instanceof z.ZodUnion) {
    const options = (schema.options as z.ZodType[]).map((option) => missingSettings(option, present));
    return options.sort((a, b) => a.length - b.length)[0]!;
  }
  throw new Error(`a production setting schema of kind ${schema.constructor.name} cannot be read for required settings`);
}

beforeAll(async () => {
  files = await parseTerraformDir();
  blocks = usedBlocks(files);
  locals = Object.assign({}, ...files.flatMap((f) => f.json.locals ?? []));
  registered = await registeredFunctions();
});

describe('terraform/ deploys what functions/ registers', () => {
  it('every registered function has exactly one Terraform function with that entry point, and nothing else is deployed', () => {
    expect(registered.size).toBeGreaterThanOrEqual(10);
    expect(Object.keys(functionDefaults()).sort()).toEqual([...registered.keys()].sort());
    const fn = functionResource();
    expect(fn['for_each']).toBe('${local.functions}');
    expect((fn['build_config'] as Record<string, unknown>[])[0]!['entry_point']).toBe('${each.key}');
    expect((fn['build_config'] as Record<string, unknown>[])[0]!['runtime']).toBe('nodejs24');
  });

  it('HTTP functions are deployed as HTTP, event functions with the event trigger of the topic their handler decodes', () => {
    for (const [name, code] of registered) {
      const tf = functionDefaults()[name]!;
      if (code.kind === 'http') {
        expect([name, tf.trigger]).toEqual([name, 'http']);
      } else {
        expect([name, tf.trigger, tf.topic]).toEqual([name, 'pubsub', code.consumes]);
      }
    }
  });
});

describe('terraform/ carries every message of the contracts to the stage that consumes it', () => {
  it('every topic exists under the id the code publishes to, and reaches the function whose handler shared/stages.ts names', () => {
    const tfTopics = locals['topics'] as Record<string, string>;
    expect(Object.keys(tfTopics).sort()).toEqual([...topics].sort());
    for (const topic of topics) {
      expect(tfTopics[topic]).toBe(`\${local.prefix}${pubsubTopicId(topic)}`);
      expect(stageHandlers[topic], `shared/stages.ts has a stage for ${topic}`).toBeTypeOf('function');
      const consumers = [...registered].filter(([, r]) => r.consumes === topic).map(([name]) => name);
      expect(consumers, `one function consumes ${topic}`).toHaveLength(1);
      expect(functionDefaults()[consumers[0]!]!.topic).toBe(topic);
    }
    expect(block('google_pubsub_topic', 'topic')['for_each']).toBe('${local.topics}');
  });

  it('every event trigger retries, and each has a dead-letter topic, its kept subscription and the dead-letter step', () => {
    const trigger = (functionResource()['dynamic'] as Record<string, { content: Record<string, unknown>[] }[]>)['event_trigger']![0]!.content[0]!;
    expect(trigger).toMatchObject({ retry_policy: 'RETRY_POLICY_RETRY', event_type: 'google.cloud.pubsub.topic.v1.messagePublished', pubsub_topic: '${google_pubsub_topic.topic[event_trigger.value].id}' });
    expect(locals['event_functions']).toBe('${{ for name, fn in local.functions : name => fn if fn.trigger == "pubsub" }}');
    for (const [type, name] of [['google_pubsub_topic', 'dead_letter'], ['google_pubsub_subscription', 'dead_letter_kept'], ['terraform_data', 'dead_letter_policy'], ['google_pubsub_topic_iam_member', 'dead_letter_publisher']] as const) {
      expect(block(type, name)['for_each'], `${type}.${name} covers every event function`).toBe('${local.event_functions}');
    }
    const step = (block('terraform_data', 'dead_letter_policy')['provisioner'] as Record<string, Record<string, unknown>[]>)['local-exec']![0]!;
    expect(step['environment']).toMatchObject({ DEAD_LETTER: '${google_pubsub_topic.dead_letter[each.key].id}', MAX_ATTEMPTS: '${tostring(var.dead_letter_max_attempts)}' });
  });

  it('every subscription terraform/ declares has a dead-letter policy, or is the one keeping a dead-letter topic', () => {
    const subscriptions = blocks.filter((b) => b.type === 'google_pubsub_subscription');
    expect(subscriptions.length).toBeGreaterThan(0);
    for (const s of subscriptions) {
      const keepsDeadLetters = String(s.body['topic']).startsWith('${google_pubsub_topic.dead_letter[');
      expect(keepsDeadLetters || Array.isArray(s.body['dead_letter_policy']), `${s.type}.${s.name}`).toBe(true);
    }
  });

  it('the extraction queue is named as EXTRACTION_QUEUE and the functions are told that name', () => {
    expect(queues).toContain('extraction');
    const codeDefault = cloudMessagingEnv.shape.EXTRACTION_QUEUE.parse(undefined);
    expect(locals['extraction_queue']).toBe(codeDefault);
    expect(tasksQueue('extraction')['name']).toBe('${local.extraction_queue}');
    expect((locals['common_env'] as Record<string, string>)['EXTRACTION_QUEUE']).toBe('${google_cloud_tasks_queue.queue["extraction"].name}');
    // The extraction timeout is the queue's dispatch deadline (Cloud Tasks' default, 600 s: the code sets none).
    expect(functionDefaults()['extraction']!.timeout_seconds).toBe(600);
  });

  it('the webhook queue is named as WEBHOOK_QUEUE, the functions are told its name and URL, and every function may enqueue on it', () => {
    expect(queues).toEqual(['extraction', 'webhook']);
    expect(stageHandlers.webhook).toBeTypeOf('function');
    expect(registered.get('webhook')).toMatchObject({ kind: 'http', consumes: 'webhook' });
    expect(locals['webhook_queue']).toBe(cloudMessagingEnv.shape.WEBHOOK_QUEUE.parse(undefined));
    expect(tasksQueue('webhook')['name']).toBe('${local.webhook_queue}');
    const env = locals['common_env'] as Record<string, string>;
    expect(env['WEBHOOK_QUEUE']).toBe('${google_cloud_tasks_queue.queue["webhook"].name}');
    expect(env['WEBHOOK_URL']).toBe('${local.function_url["webhook"]}');
    expect(block('google_cloud_tasks_queue_iam_member', 'webhook_enqueuer')['for_each']).toBe('${local.functions}');
  });

  it('the delayed-message queue is named as DELAYED_MESSAGES_QUEUE, the functions are told that name, and its invoker may publish to the topics retries go to', () => {
    const codeDefault = cloudMessagingEnv.shape.DELAYED_MESSAGES_QUEUE.parse(undefined);
    expect(locals['delayed_messages_queue']).toBe(codeDefault);
    expect(tasksQueue('delayed_messages')['name']).toBe('${local.delayed_messages_queue}');
    expect((locals['common_env'] as Record<string, string>)['DELAYED_MESSAGES_QUEUE']).toBe('${google_cloud_tasks_queue.queue["delayed_messages"].name}');
    // The topics a delayed message goes to: connector job retries and auto-run requests.
    expect(locals['delayed_topics']).toEqual(['drive.import.requested', 'gmail.import.requested', 'run.requested']);
    // Those that schedule one may enqueue it: the import stages, the api (an upload's auto-run) and cleanup.
    expect(locals['delayed_publishers']).toEqual(['api', 'drive-import', 'gmail-import', 'cleanup']);
  });
});

describe('every function is given every setting its production configuration requires', () => {
  it('each required setting of shared/production.ts (and the database and caller schemas) is set on each function', () => {
    for (const name of registered.keys()) {
      const present = environmentOf(name);
      const missing = productionSettingsOf(name).flatMap((schema) => missingSettings(schema, present));
      expect([name, missing]).toEqual([name, []]);
    }
  });

  it('the limits the code reads with defaults are set from variables, at their defaults', () => {
    const env = locals['common_env'] as Record<string, string>;
    expect(env['API_RATE_LIMIT_PER_MINUTE']).toBe('${tostring(var.api_rate_limit_per_minute)}');
    expect(env['AUTO_RUN_DEBOUNCE_SECONDS']).toBe('${tostring(var.auto_run_debounce_seconds)}');
  });

  it('the check sees a setting the code starts requiring', () => {
    const present = environmentOf('api');
    const tomorrow = z.object({ FRONTEND_ORIGINS: z.string().min(1), GEMINI_MODEL: z.string().default('x') });
    expect(missingSettings(tomorrow, present)).toEqual(['FRONTEND_ORIGINS']);
  });
});

describe('access', () => {
  const allText = () => JSON.stringify(files.map((f) => f.json));

  it('only api and oauth-callback are public; every other function takes internal traffic only', () => {
    const publicOnes = Object.entries(functionDefaults()).filter(([, f]) => f.public).map(([name]) => name).sort();
    expect(publicOnes).toEqual(['api', 'oauth-callback']);
    expect(serviceConfig()['ingress_settings']).toBe('${each.value.public ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"}');
    expect(allText().match(/allUsers|allAuthenticatedUsers/g)).toEqual(['allUsers']);
    expect(allText()).toContain('{ for name, fn in local.functions : name => \\"allUsers\\" if fn.public }');
  });

  it('no primitive role and no project-wide serviceAccountUser is granted anywhere', () => {
    expect(allText()).not.toMatch(/roles\/(owner|editor|viewer)\b/);
    const projectGrants = blocks.filter((b) => b.type === 'google_project_iam_member' || b.type === 'google_project_iam_binding');
    for (const grant of projectGrants) expect(JSON.stringify(grant.body), `${grant.type}.${grant.name}`).not.toMatch(/serviceAccountUser|serviceAccountTokenCreator/);
    expect(blocks.filter((b) => b.type === 'google_project_iam_policy' || b.type === 'google_project_iam_binding')).toEqual([]);
  });

  it('the pool size is the function concurrency, and the connection budget stays under max_connections less the reserve', () => {
    expect(serviceConfig()['environment_variables']).toContain('DB_POOL_MAX        = tostring(each.value.concurrency)');
    const database = files.filter((f) => f.file === 'terraform/variables.tf').flatMap((f) => Object.entries(f.json.variable ?? {})).find(([name]) => name === 'database')![1][0]!;
    const optionalDefault = (field: string) => Number(new RegExp(`${field}\\s*=\\s*optional\\(number,\\s*(\\d+)\\)`).exec(String(database['type']))![1]);
    const budget = Object.values(functionDefaults()).reduce((sum, f) => sum + f.max_instances * f.concurrency, 0);
    const limit = optionalDefault('max_connections') - optionalDefault('connection_reserve');
    expect(budget).toBeLessThanOrEqual(limit);
    // Terraform holds the same line on whatever the operator's overrides make of it.
    expect(locals['connection_budget']).toBe('${sum([for fn in local.functions : fn.max_instances * fn.concurrency])}');
    const precondition = ((block('google_sql_database_instance', 'main')['lifecycle'] as Record<string, unknown>[])[0]!['precondition'] as Record<string, unknown>[])[0]!;
    expect(precondition['condition']).toBe('${local.connection_budget <= local.connection_limit}');
  });

  it('the database takes IAM authentication on a private IP, and every function has its IAM database user', () => {
    const settings = (block('google_sql_database_instance', 'main')['settings'] as Record<string, unknown>[])[0]!;
    expect(settings['database_flags']).toEqual(expect.arrayContaining([{ name: 'cloudsql.iam_authentication', value: 'on' }]));
    expect((settings['ip_configuration'] as Record<string, unknown>[])[0]).toMatchObject({ ipv4_enabled: false });
    expect((settings['backup_configuration'] as Record<string, unknown>[])[0]).toMatchObject({ enabled: true, point_in_time_recovery_enabled: true });
    expect(block('google_sql_user', 'function')).toMatchObject({ for_each: '${local.functions}', type: 'CLOUD_IAM_SERVICE_ACCOUNT' });
  });
});

describe('cloudbuild.yaml', () => {
  it('runs the deploy in order, declares every substitution it uses, and leaves shell variables to the shell', async () => {
    const text = await readFile(path.join(repoRoot, 'cloudbuild.yaml'), 'utf8');
    const steps = [...text.matchAll(/^ {2}- id: ([\w-]+)$/gm)].map((m) => m[1]);
    expect(steps).toEqual(['install', 'test', 'build', 'terraform-binary', 'fmt', 'init', 'plan', 'apply', 'migrate', 'smoke']);
    const declared = new Set([...text.matchAll(/^ {2}(_[A-Z_]+):/gm)].map((m) => m[1]));
    const used = new Set([...text.matchAll(/\$\{(_[A-Z_]+)\}/g)].map((m) => m[1]));
    expect([...used].filter((name) => !declared.has(name))).toEqual([]);
    // Cloud Build substitutes $NAME itself: a shell's $ must be written $$.
    const unescaped = text.replace(/\$\$/g, '').match(/\$(?!\{(_[A-Z_]+|PROJECT_ID|BRANCH_NAME)\})/g);
    expect(unescaped).toBeNull();
    expect(text).toMatch(/npm run db:grant -- --json -/);
    expect(text).not.toMatch(/password|BEGIN PRIVATE KEY|client_secret/i);
  });
});

describe('monitoring reads fields the code logs', () => {
  it('every jsonPayload field a log-based metric filters or extracts is written by the code that logs it', async () => {
    const monitoring = await readFile(path.join(repoRoot, 'terraform/monitoring.tf'), 'utf8');
    const fields = [...new Set([...monitoring.matchAll(/jsonPayload\.(\w+)/g)].map((m) => m[1]!))].sort();
    expect(fields).toEqual(['code', 'component', 'durationMs', 'model', 'outcome', 'reason', 'stage', 'totalTokens']);
    const loggers = (await Promise.all(['shared/messaging/edge.ts', 'shared/messaging/log.ts', 'shared/extraction/gemini.ts', 'shared/google/credentials.ts'].map((f) => readFile(path.join(repoRoot, f), 'utf8')))).join('\n');
    for (const field of fields) expect(loggers, `a log line carries ${field}`).toMatch(new RegExp(`\\b${field}(:|,| })`));
    expect(monitoring).toContain('jsonPayload.component=\\"vertex\\"');
    expect(loggers).toContain("component: 'vertex'");
    expect(loggers).toContain("reason: 'invalid_grant'");
  });
});
