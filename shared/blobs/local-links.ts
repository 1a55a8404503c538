import { createHmac, timingSafeEqual } from 'node:crypto';
import { PermanentError } from '../errors.js';
import { bucketRoles, type BucketRole } from './blob-store.js';
import { assertObjectName } from './object-names.js';

/** What a local signed link grants, as signed: one action on one object until `expiresAt`. */
export interface SignedLink {
  action: 'download' | 'upload';
  bucket: BucketRole;
  name: string;
  /** Unix seconds. */
  expiresAt: number;
  filename?: string;
  contentType?: string;
  maxBytes?: number;
}

/** A link that is expired, altered, or used for the wrong thing: answer 403 with `message`. */
export class SignedLinkError extends PermanentError {
  readonly status = 403;
}

const param = {
  action: 'X-Action',
  expires: 'X-Expires',
  filename: 'X-Filename',
  contentType: 'X-Content-Type',
  maxBytes: 'X-Max-Bytes',
  signature: 'X-Signature',
} as const;

/**
 * `<baseUrl>/<bucket>/<name, one encoded segment per "/">?X-Action=...&X-Expires=...&X-Signature=...`,
 * where the signature is HMAC-SHA256 under `secret` over every granted field.
 */
export function signLink(link: SignedLink, secret: string, baseUrl: string): string {
  const url = new URL(`${trimSlash(baseUrl)}/${link.bucket}/${link.name.split('/').map(encodeURIComponent).join('/')}`);
  url.searchParams.set(param.action, link.action);
  url.searchParams.set(param.expires, String(link.expiresAt));
  if (link.filename !== undefined) url.searchParams.set(param.filename, link.filename);
  if (link.contentType !== undefined) url.searchParams.set(param.contentType, link.contentType);
  if (link.maxBytes !== undefined) url.searchParams.set(param.maxBytes, String(link.maxBytes));
  url.searchParams.set(param.signature, signature(link, secret));
  return url.href;
}

/**
 * The grant a link carries, once its signature matches and it has not expired.
 * Throws `SignedLinkError` with a message saying which check failed.
 */
export function readSignedLink(url: string | URL, secret: string, baseUrl: string, nowSeconds: number): SignedLink {
  const parsed = new URL(url);
  const basePath = new URL(trimSlash(baseUrl)).pathname.replace(/\/$/, '');
  if (!parsed.pathname.startsWith(`${basePath}/`)) throw refuse('The link does not point at the blob store', 'link_invalid');
  const [bucket, ...segments] = parsed.pathname.slice(basePath.length + 1).split('/');
  const name = decodeSegments(segments);
  if (!bucketRoles.includes(bucket as BucketRole) || name === null) throw refuse('The link names no object', 'link_invalid');
  const query = parsed.searchParams;
  const action = query.get(param.action);
  const expiresAt = Number(query.get(param.expires));
  const maxBytes = query.get(param.maxBytes);
  if ((action !== 'download' && action !== 'upload') || !Number.isInteger(expiresAt)) {
    throw refuse('The link is incomplete', 'link_invalid');
  }
  const link: SignedLink = {
    action,
    bucket: bucket as BucketRole,
    name,
    expiresAt,
    ...optional('filename', query.get(param.filename)),
    ...optional('contentType', query.get(param.contentType)),
    ...(maxBytes === null ? {} : { maxBytes: Number(maxBytes) }),
  };
  const given = Buffer.from(query.get(param.signature) ?? '', 'utf8');
  const expected = Buffer.from(signature(link, secret), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw refuse('The link signature does not match: the link was altered or not issued here', 'link_tampered');
  }
  if (nowSeconds >= expiresAt) {
    throw refuse(`The link expired at ${new Date(expiresAt * 1000).toISOString()}`, 'link_expired');
  }
  return link;
}

function signature(link: SignedLink, secret: string): string {
  const fields = [
    link.action,
    link.bucket,
    link.name,
    link.expiresAt,
    link.filename ?? null,
    link.contentType ?? null,
    link.maxBytes ?? null,
  ];
  return createHmac('sha256', secret).update(JSON.stringify(fields)).digest('hex');
}

function decodeSegments(segments: string[]): string | null {
  try {
    const name = segments.map(decodeURIComponent).join('/');
    assertObjectName(name);
    return name;
  } catch {
    return null;
  }
}

function optional<K extends string>(key: K, value: string | null): { [P in K]?: string } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: string };
}

function refuse(message: string, code: string): SignedLinkError {
  return new SignedLinkError(message, code);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
