import { PermanentError } from '../errors.js';

const maxNameBytes = 1024;

/**
 * Object names are data, never paths. Accepts what both Cloud Storage and a folder can
 * hold safely: 1..1024 UTF-8 bytes, no control characters (NUL, CR, LF, ...), no
 * leading slash, and no empty, `.` or `..` segments. Throws a PermanentError
 * (`invalid_blob_name`) otherwise, naming the rule, so a hostile name fails loudly
 * instead of being quietly rewritten.
 */
export function assertObjectName(name: string): void {
  const problem = objectNameProblem(name);
  if (problem) throw new PermanentError(`Invalid blob name: ${problem}`, 'invalid_blob_name');
}

function objectNameProblem(name: string): string | null {
  if (typeof name !== 'string' || name.length === 0) return 'the name is empty';
  if (Buffer.byteLength(name, 'utf8') > maxNameBytes) return `the name is longer than ${maxNameBytes} bytes`;
  if (!name.isWellFormed()) return 'the name is not valid Unicode';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'the name contains a control character';
  if (name.startsWith('/')) return 'the name starts with "/"';
  for (const segment of name.split('/')) {
    if (segment === '') return 'the name has an empty path segment';
    if (segment === '.' || segment === '..') return `the name has a "${segment}" segment`;
  }
  return null;
}

/** `gs://<bucket>/<name>`, the URI Vertex AI reads a Cloud Storage object from. */
export function gcsObjectUri(bucketName: string, name: string): string {
  assertObjectName(name);
  return `gs://${bucketName}/${name}`;
}
