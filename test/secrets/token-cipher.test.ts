import { createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../shared/errors.js';
import {
  createTokenCipher,
  decryptToken,
  encryptToken,
  envelopeKeyId,
  needsReencryption,
  tokenBinding,
  type Keyring,
} from '../../shared/secrets/token-cipher.js';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const refreshToken = '1//0gRefreshTokenThatMustNeverLeak-abcdefghijklmnop';
const row42 = tokenBinding('integration_accounts', 42, 'refresh_token');

function failure(run: () => unknown): PermanentError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PermanentError);
    return error as PermanentError;
  }
  throw new Error('expected a failure');
}

/** No key bytes (raw, hex or base64) and no plaintext in what a failure says. */
function expectNothingSecretIn(error: Error, keys: Buffer[]): void {
  const said = `${error.message} ${error.stack ?? ''} ${JSON.stringify(error)} ${String((error as { cause?: unknown }).cause ?? '')}`;
  expect(said).not.toContain(refreshToken);
  for (const key of keys) {
    expect(said).not.toContain(key.toString('hex'));
    expect(said).not.toContain(key.toString('base64'));
    expect(said).not.toContain(key.toString('latin1'));
  }
}

describe('token cipher', () => {
  const keyring: Keyring = { activeKeyId: 'k1', keys: new Map([['k1', k1]]) };

  it('a token encrypted for a row decrypts back for the same row', () => {
    const envelope = encryptToken(keyring, refreshToken, row42);
    expect(decryptToken(keyring, envelope, row42)).toBe(refreshToken);
  });

  it('the envelope is v1 | key id length | key id | nonce | tag | ciphertext, readable with plain AES-256-GCM', () => {
    const envelope = encryptToken(keyring, refreshToken, row42);
    expect(envelope[0]).toBe(1);
    expect(envelope[1]).toBe(2);
    expect(envelope.subarray(2, 4).toString('ascii')).toBe('k1');
    const nonce = envelope.subarray(4, 16);
    const tag = envelope.subarray(16, 32);
    const decipher = createDecipheriv('aes-256-gcm', k1, nonce);
    decipher.setAAD(Buffer.concat([envelope.subarray(0, 4), Buffer.from(row42)]));
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([decipher.update(envelope.subarray(32)), decipher.final()]).toString('utf8');
    expect(plaintext).toBe(refreshToken);
    expect(envelope.includes(Buffer.from(refreshToken))).toBe(false);
  });

  it('two encryptions of the same token use different nonces and ciphertexts', () => {
    const a = encryptToken(keyring, refreshToken, row42);
    const b = encryptToken(keyring, refreshToken, row42);
    expect(a.subarray(4, 16).equals(b.subarray(4, 16))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it('flipping any byte after the header makes decryption fail', () => {
    const envelope = encryptToken(keyring, refreshToken, row42);
    for (const at of [4, 15, 16, 31, 32, envelope.length - 1]) {
      const damaged = Buffer.from(envelope);
      damaged[at] = damaged[at]! ^ 0x01;
      const error = failure(() => decryptToken(keyring, damaged, row42));
      expect(error.code).toBe('token_undecryptable');
      expectNothingSecretIn(error, [k1]);
    }
  });

  it('a ciphertext copied to another row does not decrypt there', () => {
    const envelope = encryptToken(keyring, refreshToken, row42);
    const otherRow = tokenBinding('integration_accounts', 43, 'refresh_token');
    const otherColumn = tokenBinding('integration_accounts', 42, 'access_token');
    expectNothingSecretIn(failure(() => decryptToken(keyring, envelope, otherRow)), [k1]);
    expectNothingSecretIn(failure(() => decryptToken(keyring, envelope, otherColumn)), [k1]);
  });

  it('after rotation old rows still decrypt and are reported for re-encryption, new rows use the new key', () => {
    const old = encryptToken(keyring, refreshToken, row42);
    const rotated: Keyring = { activeKeyId: 'k2', keys: new Map([['k1', k1], ['k2', k2]]) };
    expect(needsReencryption(keyring, old)).toBe(false);
    expect(needsReencryption(rotated, old)).toBe(true);
    expect(decryptToken(rotated, old, row42)).toBe(refreshToken);
    const fresh = encryptToken(rotated, refreshToken, row42);
    expect(envelopeKeyId(fresh)).toBe('k2');
    expect(needsReencryption(rotated, fresh)).toBe(false);
    expect(decryptToken(rotated, fresh, row42)).toBe(refreshToken);
  });

  it('an envelope relabelled with another known key id does not decrypt', () => {
    const both: Keyring = { activeKeyId: 'k1', keys: new Map([['k1', k1], ['k2', k2]]) };
    const envelope = encryptToken(both, refreshToken, row42);
    const relabelled = Buffer.from(envelope);
    relabelled.write('k2', 2, 'ascii');
    expectNothingSecretIn(failure(() => decryptToken(both, relabelled, row42)), [k1, k2]);
  });

  it('an envelope whose key was dropped from the keyring fails and names only the key id', () => {
    const envelope = encryptToken(keyring, refreshToken, row42);
    const withoutK1: Keyring = { activeKeyId: 'k2', keys: new Map([['k2', k2]]) };
    const error = failure(() => decryptToken(withoutK1, envelope, row42));
    expect(error.message).toContain('"k1"');
    expectNothingSecretIn(error, [k1, k2]);
  });

  it('a truncated or foreign-version envelope is refused without reading past its end', () => {
    const envelope = encryptToken(keyring, refreshToken, row42);
    expect(failure(() => decryptToken(keyring, envelope.subarray(0, 20), row42)).message).toMatch(/truncated/);
    const v2 = Buffer.from(envelope);
    v2[0] = 2;
    expect(failure(() => decryptToken(keyring, v2, row42)).message).toMatch(/version/);
    expect(failure(() => decryptToken(keyring, Buffer.alloc(0), row42)).code).toBe('token_undecryptable');
  });

  it('a keyring whose active key is missing or not 32 bytes is refused without showing the key', () => {
    const short = randomBytes(16);
    expect(() => createTokenCipher({ activeKeyId: 'k9', keys: new Map([['k1', k1]]) })).toThrow(/"k9"/);
    try {
      createTokenCipher({ activeKeyId: 'k1', keys: new Map([['k1', short]]) });
      throw new Error('expected a failure');
    } catch (error) {
      expect((error as Error).message).toMatch(/32 bytes/);
      expect((error as Error).message).not.toContain(short.toString('base64'));
      expect((error as Error).message).not.toContain(short.toString('hex'));
    }
  });

  it('a bound cipher round-trips and reports rotation like the functions it wraps', () => {
    const cipher = createTokenCipher({ activeKeyId: 'k2', keys: new Map([['k1', k1], ['k2', k2]]) });
    const old = encryptToken(keyring, refreshToken, row42);
    expect(cipher.decrypt(old, row42)).toBe(refreshToken);
    expect(cipher.needsReencryption(old)).toBe(true);
    expect(cipher.needsReencryption(cipher.encrypt(refreshToken, row42))).toBe(false);
  });
});
