import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The google provider's schema as far as terraform/ uses it, taken from the provider's own
 * description in `@cdktf/provider-google`'s `.jsii` (generated from the provider 6.50.0),
 * so the .tf files can be checked offline where `terraform validate` cannot run.
 */

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * hcl2json's parser (HCL -> the JSON form of the file). Loaded through require so its
 * type declarations, which pull the DOM library into every file's globals, stay out of
 * the type check.
 */
export const parseHcl = createRequire(import.meta.url)('@cdktf/hcl2json').parse as (filename: string, contents: string) => Promise<Record<string, unknown>>;
export const terraformDir = path.join(repoRoot, 'terraform');
export const schemaFile = path.join(repoRoot, 'test/terraform/google-provider-schema.json');
/** `@cdktf/provider-google` 16.12.1 is generated from hashicorp/google 6.50.0. */
export const PROVIDER_PACKAGE = '@cdktf/provider-google@16.12.1';
export const PROVIDER_VERSION = '6.50.0';

export interface BlockSchema {
  /** Argument name -> required. */
  attributes: Record<string, boolean>;
  blocks: Record<string, { required: boolean; list: boolean; block: BlockSchema }>;
}

export interface ProviderSchema {
  provider: string;
  version: string;
  resources: Record<string, BlockSchema>;
  dataSources: Record<string, BlockSchema>;
}

/** One parsed .tf file: hcl2json's JSON form of it. */
export interface TerraformFile {
  file: string;
  json: {
    resource?: Record<string, Record<string, Record<string, unknown>[]>>;
    data?: Record<string, Record<string, Record<string, unknown>[]>>;
    locals?: Record<string, unknown>[];
    variable?: Record<string, Record<string, unknown>[]>;
    output?: Record<string, Record<string, unknown>[]>;
    module?: Record<string, Record<string, unknown>[]>;
  };
}

/** Every .tf file under `dir` (examples included), parsed. */
export async function parseTerraformDir(dir = terraformDir): Promise<TerraformFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.tf') && !path.join(e.parentPath, e.name).includes(`${path.sep}.terraform${path.sep}`))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  return Promise.all(files.map(async (file) => ({ file: path.relative(repoRoot, file), json: (await parseHcl(file, await readFile(file, 'utf8'))) as TerraformFile['json'] })));
}

export interface UsedBlock {
  kind: 'resource' | 'data';
  type: string;
  name: string;
  file: string;
  body: Record<string, unknown>;
}

/** Every resource and data source block of the parsed files. */
export function usedBlocks(files: TerraformFile[]): UsedBlock[] {
  const used: UsedBlock[] = [];
  for (const { file, json } of files) {
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, byName] of Object.entries(json[kind] ?? {})) {
        for (const [name, bodies] of Object.entries(byName)) {
          for (const body of bodies) used.push({ kind, type, name, file, body });
        }
      }
    }
  }
  return used;
}

// Terraform's own meta-arguments, valid on every resource and data source.
const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection']);
// Types from outside the google provider that terraform/ may use, and why none is checked here.
export const NON_GOOGLE_TYPES: Record<string, string> = {
  'data.archive_file': 'hashicorp/archive zips each function source; its schema is not in @cdktf/provider-google',
  'resource.terraform_data': 'built into Terraform (>= 1.4); runs the dead-letter step',
};

/**
 * Checks one block body against its schema: unknown arguments or blocks, blocks written
 * as arguments, missing required arguments or blocks. Returns one message per problem.
 */
export function validateBlock(body: Record<string, unknown>, schema: BlockSchema, where: string, topLevel = false): string[] {
  const problems: string[] = [];
  const dynamic = (body['dynamic'] ?? {}) as Record<string, { content?: Record<string, unknown>[] }[]>;
  for (const [key, value] of Object.entries(body)) {
    if (key === 'dynamic') continue;
    if (topLevel && META_ARGUMENTS.has(key)) continue;
    if (Object.hasOwn(schema.attributes, key)) continue;
    const nested = schema.blocks[key];
    if (!nested) {
      problems.push(`${where}: unknown argument or block "${key}"`);
      continue;
    }
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'object' || v === null || Array.isArray(v))) {
      problems.push(`${where}: "${key}" is a block, written as an argument`);
      continue;
    }
    if (!nested.list && value.length > 1) problems.push(`${where}: "${key}" may appear once`);
    for (const [i, item] of (value as Record<string, unknown>[]).entries()) problems.push(...validateBlock(item, nested.block, `${where}.${key}[${i}]`));
  }
  for (const [key, blocks] of Object.entries(dynamic)) {
    const nested = schema.blocks[key];
    if (!nested) {
      problems.push(`${where}: unknown dynamic block "${key}"`);
      continue;
    }
    for (const [i, d] of blocks.entries()) problems.push(...validateBlock(d.content?.[0] ?? {}, nested.block, `${where}.dynamic.${key}[${i}]`));
  }
  for (const [name, required] of Object.entries(schema.attributes)) {
    if (required && !Object.hasOwn(body, name)) problems.push(`${where}: missing required argument "${name}"`);
  }
  for (const [name, nested] of Object.entries(schema.blocks)) {
    if (nested.required && !Object.hasOwn(body, name) && !Object.hasOwn(dynamic, name)) problems.push(`${where}: missing required block "${name}"`);
  }
  return problems;
}

/** Every problem of every google resource and data source in `files` against `schema`. */
export function validateAgainstSchema(files: TerraformFile[], schema: ProviderSchema): string[] {
  const problems: string[] = [];
  for (const block of usedBlocks(files)) {
    const where = `${block.file}: ${block.kind === 'data' ? 'data.' : ''}${block.type}.${block.name}`;
    if (!block.type.startsWith('google_')) {
      if (!Object.hasOwn(NON_GOOGLE_TYPES, `${block.kind}.${block.type}`)) problems.push(`${where}: ${block.kind} type ${block.type} is neither the google provider's nor an allowed one`);
      continue;
    }
    const types = block.kind === 'resource' ? schema.resources : schema.dataSources;
    const typeSchema = types[block.type];
    if (!typeSchema) {
      problems.push(`${where}: unknown ${block.kind === 'resource' ? 'resource' : 'data source'} type ${block.type}`);
      continue;
    }
    problems.push(...validateBlock(block.body, typeSchema, where, true));
  }
  return problems;
}

/** The google resource and data source types the files use. */
export function googleTypesUsed(files: TerraformFile[]): { resources: string[]; dataSources: string[] } {
  const blocks = usedBlocks(files).filter((b) => b.type.startsWith('google_'));
  const of = (kind: UsedBlock['kind']) => [...new Set(blocks.filter((b) => b.kind === kind).map((b) => b.type))].sort();
  return { resources: of('resource'), dataSources: of('data') };
}

export async function readCommittedSchema(): Promise<ProviderSchema> {
  return JSON.parse(await readFile(schemaFile, 'utf8')) as ProviderSchema;
}

// ---- extraction from the .jsii (npm run terraform:schema) ----

interface JsiiType {
  kind: string;
  fqn: string;
  docs?: { summary?: string };
  initializer?: { parameters?: { type: JsiiTypeRef }[] };
  properties?: { name: string; optional?: boolean; docs?: { remarks?: string }; type: JsiiTypeRef }[];
}
type JsiiTypeRef = { fqn?: string; primitive?: string; collection?: { kind: string; elementtype: JsiiTypeRef }; union?: { types: JsiiTypeRef[] } };

/** Where `@cdktf/provider-google` is installed: `CDKTF_PROVIDER_GOOGLE_DIR`, or resolvable from the project; undefined when absent. */
export function findProviderPackage(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CDKTF_PROVIDER_GOOGLE_DIR) return env.CDKTF_PROVIDER_GOOGLE_DIR;
  try {
    return path.dirname(createRequire(path.join(repoRoot, 'package.json')).resolve('@cdktf/provider-google/package.json'));
  } catch {
    return undefined;
  }
}

/**
 * Extracts the schema of the given types from the package's `.jsii`: each resource's or
 * data source's config interface, its properties' Terraform names (the registry anchor
 * in their docs), required-ness (not optional) and nested blocks (struct-typed
 * properties), recursively.
 */
export async function extractSchema(packageDir: string, wanted: { resources: string[]; dataSources: string[] }): Promise<ProviderSchema> {
  const pkg = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as { cdktf?: { provider?: { name: string; version: string } } };
  const provider = pkg.cdktf?.provider;
  if (provider?.version !== PROVIDER_VERSION) {
    throw new Error(`${packageDir} is generated from google provider ${provider?.version ?? '(unknown)'}; install ${PROVIDER_PACKAGE} (google ${PROVIDER_VERSION})`);
  }
  const jsii = JSON.parse(await readFile(path.join(packageDir, '.jsii'), 'utf8')) as { types: Record<string, JsiiType> };
  const byTerraformName = new Map<string, string>();
  for (const type of Object.values(jsii.types)) {
    const match = /\/docs\/(resources|data-sources)\/\w+ (google_\w+)\}/.exec(type.docs?.summary ?? '');
    const config = type.initializer?.parameters?.[2]?.type.fqn;
    if (type.kind === 'class' && match && config) byTerraformName.set(`${match[1] === 'resources' ? 'resource' : 'data'}:${match[2]}`, config);
  }

  const toBlock = (fqn: string): BlockSchema => {
    const type = jsii.types[fqn];
    if (!type?.properties) throw new Error(`${fqn} is not a struct in the .jsii`);
    const block: BlockSchema = { attributes: {}, blocks: {} };
    for (const property of type.properties) {
      const name = /Docs at Terraform Registry: \{@link \S+#(\w+) /.exec(property.docs?.remarks ?? '')?.[1] ?? property.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      const nested = structOf(property.type, jsii.types);
      if (nested) block.blocks[name] = { required: !property.optional, list: nested.list, block: toBlock(nested.fqn) };
      else block.attributes[name] = !property.optional;
    }
    return sortBlock(block);
  };

  const pick = (kind: 'resource' | 'data', names: string[]) =>
    Object.fromEntries(
      names.map((name) => {
        const config = byTerraformName.get(`${kind}:${name}`);
        if (!config) throw new Error(`google provider ${PROVIDER_VERSION} has no ${kind === 'data' ? 'data source' : 'resource'} ${name}`);
        return [name, toBlock(config)];
      }),
    );
  return { provider: provider.name, version: provider.version, resources: pick('resource', wanted.resources), dataSources: pick('data', wanted.dataSources) };
}

/** A struct of this assembly behind a property type (a nested block), and whether it is a list of them. */
function structOf(ref: JsiiTypeRef, types: Record<string, JsiiType>): { fqn: string; list: boolean } | undefined {
  for (const option of ref.union?.types ?? [ref]) {
    if (option.fqn && types[option.fqn]?.kind === 'interface' && types[option.fqn]?.properties) return { fqn: option.fqn, list: false };
    const element = option.collection?.kind === 'array' ? option.collection.elementtype : undefined;
    if (element?.fqn && types[element.fqn]?.kind === 'interface') return { fqn: element.fqn, list: true };
  }
  return undefined;
}

function sortBlock(block: BlockSchema): BlockSchema {
  const sorted = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  return { attributes: sorted(block.attributes), blocks: sorted(block.blocks) };
}
