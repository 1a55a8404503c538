import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PermanentError } from '../errors.js';

/**
 * AES-256-GCM for OAuth tokens at rest (a `bytea` column).
 *
 * Envelope, version 1:
 *
 *   0x01 | keyIdLength (1 byte) | keyId (ASCII) | nonce (12) | tag (16) | ciphertext
 *
 * The authenticated data is the envelope header (version, key id) followed by the
 * caller's row binding (see `tokenBinding`), so a ciphertext copied to another row, or
 * relabelled with another key id, fails to decrypt.
 */

/** Encryption keys by id; `activeKeyId` encrypts, every key decrypts (rotation). */
export interface Keyring {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** The row binding for a token column, e.g. `integration_accounts:42:refresh_token`. */
export function tokenBinding(table: string, rowId: string | number, column: string): string {
  return `${table}:${rowId}:${column}`;
}

/**
 * Checks a keyring once, at load time: the active key exists, ids are short ASCII, every
 * key is 32 bytes. Throws an Error naming the key id, never its bytes.
 */
export function assertValidKeyring(keyring: Keyring): Keyring {
  if (!keyring.keys.has(keyring.activeKeyId)) {
    throw new Error(`token keyring: the active key "${keyring.activeKeyId}" is not in the keyring`);
  }
  for (const [id, key] of keyring.keys) {
    if (!KEY_ID.test(id)) throw new Error('token keyring: a key id must be 1-64 characters of A-Z a-z 0-9 _ . -');
    if (key.length !== KEY_BYTES) throw new Error(`token keyring: key "${id}" must be ${KEY_BYTES} bytes`);
  }
  return keyring;
}

/**
 * Encrypts `plaintext` with the active key, bound to `binding` (the row and column that
 * will hold it). A fresh random nonce is drawn every call.
 *
 * @example await db.updateTable('integration_accounts')
 *   .set({ refresh_token: encryptToken(keyring, token, tokenBinding('integration_accounts', id, 'refresh_token')) })
 */
export function encryptToken(keyring: Keyring, plaintext: string, binding: string): Buffer {
  const keyId = keyring.activeKeyId;
  const key = keyring.keys.get(keyId);
  if (!key || key.length !== KEY_BYTES) throw new Error(`token keyring: the active key "${keyId}" is missing or not ${KEY_BYTES} bytes`);
  const header = envelopeHeader(keyId);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(header, binding));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([header, nonce, cipher.getAuthTag(), ciphertext]);
}

/**
 * Decrypts an envelope with whichever known key encrypted it. Throws PermanentError
 * `token_undecryptable` when the envelope is damaged, bound to another row, or its key is
 * unknown; the message names at most the key id.
 */
export function decryptToken(keyring: Keyring, envelope: Uint8Array, binding: string): string {
  const parsed = parseEnvelope(envelope);
  const key = keyring.keys.get(parsed.keyId);
  if (!key) throw undecryptable(`it was encrypted with key "${parsed.keyId}", which is not in the keyring`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, parsed.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(parsed.header, binding));
    decipher.setAuthTag(parsed.tag);
    return Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    // Node's message ("Unsupported state or unable to authenticate data") carries no secret,
    // but we do not pass causes along: nothing from the crypto layer reaches the logs.
    throw undecryptable('it was tampered with or belongs to another row');
  }
}

/** True when the envelope was encrypted with a key other than the active one (re-encrypt it). */
export function needsReencryption(keyring: Keyring, envelope: Uint8Array): boolean {
  return parseEnvelope(envelope).keyId !== keyring.activeKeyId;
}

/** The key id an envelope names (for metrics on rotation progress). */
export function envelopeKeyId(envelope: Uint8Array): string {
  return parseEnvelope(envelope).keyId;
}

function envelopeHeader(keyId: string): Buffer {
  if (!KEY_ID.test(keyId)) throw new Error('token keyring: a key id must be 1-64 characters of A-Z a-z 0-9 _ . -');
  const id = Buffer.from(keyId, 'ascii');
  return Buffer.concat([Buffer.from([VERSION, id.length]), id]);
}

function associatedData(header: Buffer, binding: string): Buffer {
  return Buffer.concat([header, Buffer.from(binding, 'utf8')]);
}

interface ParsedEnvelope {
  header: Buffer;
  keyId: string;
  nonce: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

function parseEnvelope(envelope: Uint8Array): ParsedEnvelope {
  const bytes = Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength);
  if (bytes.length < 2 || bytes[0] !== VERSION) throw undecryptable('its envelope version is not supported');
  const idLength = bytes[1]!;
  const headerLength = 2 + idLength;
  if (idLength === 0 || bytes.length < headerLength + NONCE_BYTES + TAG_BYTES) throw undecryptable('its envelope is truncated');
  const keyId = bytes.subarray(2, headerLength).toString('ascii');
  if (!KEY_ID.test(keyId)) throw undecryptable('its envelope key id is malformed');
  const nonceEnd = headerLength + NONCE_BYTES;
  return {
    header: bytes.subarray(0, headerLength),
    keyId,
    nonce: bytes.subarray(headerLength, nonceEnd),
    tag: bytes.subarray(nonceEnd, nonceEnd + TAG_BYTES),
    ciphertext: bytes.subarray(nonceEnd + TAG_BYTES),
  };
}

function undecryptable(why: string): PermanentError {
  return new PermanentError(`the stored token cannot be decrypted: ${why}`, 'token_undecryptable');
}

/** The keyring bound once: what the stages that store tokens hold. */
export interface TokenCipher {
  encrypt(plaintext: string, binding: string): Buffer;
  decrypt(envelope: Uint8Array, binding: string): string;
  needsReencryption(envelope: Uint8Array): boolean;
}

/**
 * Validates the keyring and binds the functions above to it.
 *
 * @example const cipher = createTokenCipher(await keyringSource.loadKeyring());
 *          const stored = cipher.encrypt(refreshToken, tokenBinding('integration_accounts', accountId, 'refresh_token'));
 */
export function createTokenCipher(keyring: Keyring): TokenCipher {
  assertValidKeyring(keyring);
  return {
    encrypt: (plaintext, binding) => encryptToken(keyring, plaintext, binding),
    decrypt: (envelope, binding) => decryptToken(keyring, envelope, binding),
    needsReencryption: (envelope) => needsReencryption(keyring, envelope),
  };
}
