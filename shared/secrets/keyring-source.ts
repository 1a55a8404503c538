import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import type { AuthClient, GoogleAuth } from 'google-auth-library';
import { assertValidKeyring, type Keyring } from './token-cipher.js';

/**
 * Where the token keyring comes from: Secret Manager in the Cloud, a key file in the data
 * folder on a laptop. Both hold the same JSON document:
 *
 *   { "active": "k2", "keys": { "k1": "<base64 of 32 bytes>", "k2": "..." } }
 *
 * Rotation: add a key, make it active, re-encrypt rows for which `needsReencryption` is
 * true, then drop the old key.
 */
export interface KeyringSource {
  /** Reads and validates the keyring. Load it once per process (cold start), not per request. */
  loadKeyring(): Promise<Keyring>;
}

const keyringDocument = z.strictObject({
  active: z.string().min(1),
  keys: z.record(z.string(), z.string()),
});

/**
 * Parses the keyring JSON document. Errors name the offending key id at most, never the
 * document or a key's bytes.
 */
export function parseKeyringDocument(json: string): Keyring {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('token keyring: the document is not JSON');
  }
  const parsed = keyringDocument.safeParse(raw);
  if (!parsed.success) {
    throw new Error('token keyring: the document must be { "active": "<key id>", "keys": { "<key id>": "<base64>" } }');
  }
  const keys = new Map<string, Buffer>();
  for (const [id, encoded] of Object.entries(parsed.data.keys)) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new Error(`token keyring: key "${id}" is not base64`);
    keys.set(id, Buffer.from(encoded, 'base64'));
  }
  return assertValidKeyring({ activeKeyId: parsed.data.active, keys });
}

/** Serialises a keyring to the document `parseKeyringDocument` reads. */
export function formatKeyringDocument(keyring: Keyring): string {
  const keys: Record<string, string> = {};
  for (const [id, key] of keyring.keys) keys[id] = key.toString('base64');
  return `${JSON.stringify({ active: keyring.activeKeyId, keys }, null, 2)}\n`;
}

/** The key file of the local stack, relative to the data folder. */
export function localKeyFilePath(dataDir: string): string {
  return join(dataDir, 'keys', 'token-keys.json');
}

/**
 * The local stack's keyring: `<dataDir>/keys/token-keys.json`, created on first use with one
 * fresh random key and mode 0600 (folder 0700), reused afterwards. A key file readable by
 * group or others is refused, as ssh refuses a loose private key.
 *
 * @example const keyring = await localKeyringSource({ dataDir: '.data' }).loadKeyring();
 */
export function localKeyringSource(options: { dataDir: string }): KeyringSource {
  const file = localKeyFilePath(options.dataDir);
  return {
    async loadKeyring() {
      await createKeyFileOnce(file);
      const info = await stat(file);
      if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
        throw new Error(`token keyring: ${file} is readable by others; chmod 600 it`);
      }
      return parseKeyringDocument(await readFile(file, 'utf8'));
    },
  };
}

/**
 * Creates the key file if absent. The document is written to a private temporary file and
 * hard-linked into place, so a concurrent process never reads half a file and never
 * replaces a key another process already uses.
 */
async function createKeyFileOnce(file: string): Promise<void> {
  const folder = join(file, '..');
  await mkdir(folder, { recursive: true, mode: 0o700 });
  try {
    await stat(file);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const fresh: Keyring = { activeKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]) };
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, formatKeyringDocument(fresh), { mode: 0o600, flag: 'wx' });
  await chmod(temporary, 0o600); // the umask cannot widen it, but be explicit
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
}

export interface SecretManagerKeyringOptions {
  /** `projects/<project>/secrets/<secret>/versions/<version|latest>`. */
  secretVersion: string;
  /**
   * Endpoint override. `host[:port]` keeps gRPC; an `http://` or `https://` URL switches the
   * client to its REST transport (`fallback: true`), which is what a local HTTP double serves.
   */
  apiEndpoint?: string;
  /** Credentials override (a double accepts any bearer token); defaults to ADC. */
  authClient?: AuthClient;
  /** The process's shared ADC client (`processGoogleAuth()`), so the SDK does not build its own. */
  auth?: GoogleAuth;
}

type SecretManagerClientOptions = NonNullable<ConstructorParameters<typeof SecretManagerServiceClient>[0]>;

/**
 * The Cloud keyring: the payload of one Secret Manager secret version. The SDK is loaded on
 * first use only, so the local stack never pays for it.
 *
 * @example const keyring = await secretManagerKeyringSource({
 *   secretVersion: 'projects/bytereview/secrets/token-keys/versions/latest' }).loadKeyring();
 */
export function secretManagerKeyringSource(options: SecretManagerKeyringOptions): KeyringSource {
  if (!/^projects\/[^/]+\/secrets\/[^/]+\/versions\/[^/]+$/.test(options.secretVersion)) {
    throw new Error('token keyring: secretVersion must be projects/<p>/secrets/<s>/versions/<v>');
  }
  return {
    async loadKeyring() {
      // A CommonJS package: its exports are `default` both in Node and in a bundle's chunk.
      const { SecretManagerServiceClient } = (await import('@google-cloud/secret-manager')).default;
      const client = new SecretManagerServiceClient(clientOptions(options));
      try {
        const [version] = await client.accessSecretVersion({ name: options.secretVersion });
        const data = version.payload?.data;
        if (!data) throw new Error(`token keyring: ${options.secretVersion} has no payload`);
        const json = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
        return parseKeyringDocument(json);
      } finally {
        await client.close();
      }
    },
  };
}

function clientOptions(options: SecretManagerKeyringOptions): SecretManagerClientOptions {
  const result: SecretManagerClientOptions = {};
  if (options.authClient) result.authClient = options.authClient;
  if (options.auth) result.auth = options.auth;
  if (!options.apiEndpoint) return result;
  if (!/^https?:\/\//.test(options.apiEndpoint)) return { ...result, apiEndpoint: options.apiEndpoint };
  const url = new URL(options.apiEndpoint);
  const https = url.protocol === 'https:';
  return {
    ...result,
    fallback: true,
    protocol: https ? 'https' : 'http',
    apiEndpoint: url.hostname,
    port: Number(url.port || (https ? 443 : 80)),
  };
}
