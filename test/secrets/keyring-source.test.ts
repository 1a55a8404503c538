import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  localKeyFilePath,
  localKeyringSource,
  parseKeyringDocument,
  secretManagerKeyringSource,
} from '../../shared/secrets/keyring-source.js';
import { decryptToken, encryptToken, tokenBinding } from '../../shared/secrets/token-cipher.js';
import { startSecretManagerDouble, type SecretManagerDouble } from './secret-manager-double.js';

const binding = tokenBinding('integration_accounts', 7, 'refresh_token');

describe('local key file', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bytereview-keys-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('the first load creates <dataDir>/keys/token-keys.json with mode 0600 and one 32-byte key', async () => {
    const keyring = await localKeyringSource({ dataDir }).loadKeyring();
    const file = join(dataDir, 'keys', 'token-keys.json');
    expect(localKeyFilePath(dataDir)).toBe(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'keys'))).mode & 0o077).toBe(0);
    const document = JSON.parse(await readFile(file, 'utf8')) as { active: string; keys: Record<string, string> };
    expect(document.active).toBe(keyring.activeKeyId);
    expect(Buffer.from(document.keys[document.active]!, 'base64')).toHaveLength(32);
    expect(keyring.keys.get(keyring.activeKeyId)!.equals(Buffer.from(document.keys[document.active]!, 'base64'))).toBe(true);
  });

  it('later loads, even by another source on the same folder, reuse the same key', async () => {
    const first = await localKeyringSource({ dataDir }).loadKeyring();
    const envelope = encryptToken(first, 'ya29.local-token', binding);
    const second = await localKeyringSource({ dataDir }).loadKeyring();
    expect(second.activeKeyId).toBe(first.activeKeyId);
    expect(decryptToken(second, envelope, binding)).toBe('ya29.local-token');
  });

  it('sources racing on a fresh folder all end with the one key that was written', async () => {
    const keyrings = await Promise.all(Array.from({ length: 8 }, () => localKeyringSource({ dataDir }).loadKeyring()));
    const written = parseKeyringDocument(await readFile(localKeyFilePath(dataDir), 'utf8'));
    for (const keyring of keyrings) expect(keyring.keys.get('k1')!.equals(written.keys.get('k1')!)).toBe(true);
  });

  it('a key file readable by others is refused', async () => {
    await localKeyringSource({ dataDir }).loadKeyring();
    await chmod(localKeyFilePath(dataDir), 0o644);
    await expect(localKeyringSource({ dataDir }).loadKeyring()).rejects.toThrow(/readable by others/);
  });

  it('an existing key file written by an operator is used as it is', async () => {
    const key = randomBytes(32);
    await mkdir(join(dataDir, 'keys'), { recursive: true });
    await writeFile(localKeyFilePath(dataDir), JSON.stringify({ active: 'ops-1', keys: { 'ops-1': key.toString('base64') } }), { mode: 0o600 });
    const keyring = await localKeyringSource({ dataDir }).loadKeyring();
    expect(keyring.activeKeyId).toBe('ops-1');
    expect(keyring.keys.get('ops-1')!.equals(key)).toBe(true);
  });
});

describe('keyring document', () => {
  it('a document whose key is not 32 bytes is refused, naming the key id but not its bytes', () => {
    const short = randomBytes(31).toString('base64');
    const attempt = () => parseKeyringDocument(JSON.stringify({ active: 'k1', keys: { k1: short } }));
    expect(attempt).toThrow(/"k1" must be 32 bytes/);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
  });

  it('a document whose active key is absent, or that is not JSON, is refused without echoing it', () => {
    const key = randomBytes(32).toString('base64');
    expect(() => parseKeyringDocument(JSON.stringify({ active: 'k2', keys: { k1: key } }))).toThrow(/"k2" is not in the keyring/);
    const broken = `{ "active": "k1", "keys": { "k1": "${key}" `;
    try {
      parseKeyringDocument(broken);
      throw new Error('expected a failure');
    } catch (error) {
      expect((error as Error).message).toMatch(/not JSON/);
      expect((error as Error).message).not.toContain(key);
    }
  });
});

describe('Secret Manager keyring', () => {
  const version = 'projects/bytereview-test/secrets/token-keys/versions/latest';
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);
  let double: SecretManagerDouble;
  const authClient = new OAuth2Client({ credentials: { access_token: 'double-access-token', expiry_date: Date.now() + 3_600_000 } });

  beforeAll(async () => {
    double = await startSecretManagerDouble();
    double.setPayload(version, JSON.stringify({ active: 'k2', keys: { k1: k1.toString('base64'), k2: k2.toString('base64') } }));
  });
  afterAll(() => double.close());

  it('the keyring is read from the secret version over the REST API with the caller credentials', async () => {
    const keyring = await secretManagerKeyringSource({ secretVersion: version, apiEndpoint: double.endpoint, authClient }).loadKeyring();
    expect(keyring.activeKeyId).toBe('k2');
    expect(keyring.keys.get('k1')!.equals(k1)).toBe(true);
    expect(keyring.keys.get('k2')!.equals(k2)).toBe(true);
    const seen = double.requests.at(-1)!;
    expect(seen).toEqual({ method: 'GET', path: `/v1/${version}:access`, authorization: 'Bearer double-access-token' });
  });

  it('a missing secret version surfaces as an error from the load', async () => {
    const missing = 'projects/bytereview-test/secrets/absent/versions/1';
    await expect(secretManagerKeyringSource({ secretVersion: missing, apiEndpoint: double.endpoint, authClient }).loadKeyring()).rejects.toThrow(/not found/);
  });

  it('a malformed secret version name is refused at start-up', () => {
    expect(() => secretManagerKeyringSource({ secretVersion: 'token-keys' })).toThrow(/secretVersion/);
  });
});
