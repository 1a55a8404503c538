import Busboy from 'busboy';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { HttpError } from '../errors.js';

/** The single "file" part of a multipart upload. */
export interface UploadedFile {
  filename: string;
  body: Readable;
}

/**
 * A multipart request's "file" part, read once, with a SHA-256 of its bytes taken as they
 * pass: the upload's body as Idempotency-Key compares it (the multipart framing is left
 * out, since a browser draws a new boundary for every retry).
 */
export interface MultipartUpload {
  /** The part, as soon as it starts; 400 when the body is not a readable upload or has no "file" part. */
  file: Promise<UploadedFile>;
  /** The file's name and the hex SHA-256 of its bytes, once they were read to the end. */
  digest(): { filename: string; sha256: string } | undefined;
  /** Reads whatever of the file nobody read (a replayed request), then its digest. */
  readDigest(): Promise<{ filename: string; sha256: string }>;
  /** Lets the rest of the body flow to nowhere, so the connection is free once the answer is sent. */
  discard(): void;
}

/**
 * Starts reading the upload in `req`. On Cloud Functions the framework has already
 * buffered the body (`rawBody`); locally it streams.
 */
export function readMultipartUpload(req: Request): MultipartUpload {
  if (!req.is('multipart/form-data')) {
    throw new HttpError(400, 'invalid_request', 'body: send the file as multipart/form-data in a field named "file"');
  }
  const hash = createHash('sha256');
  let digest: { filename: string; sha256: string } | undefined;
  let ended: Promise<void> | undefined;
  let bytes: PassThrough | undefined;

  const file = new Promise<UploadedFile>((resolve, reject) => {
    // preservePath: the name is kept exactly as sent; it is data, and object names use ids.
    const parser = Busboy({ headers: req.headers, preservePath: true, limits: { files: 1, fields: 10 } });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || bytes) {
        stream.resume();
        return;
      }
      const filename = info.filename || 'document';
      let ready: () => void;
      let failed: (error: Error) => void;
      ended = new Promise((resolveEnd, rejectEnd) => {
        ready = resolveEnd;
        failed = rejectEnd;
      });
      ended.catch(() => {});
      bytes = new PassThrough({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
        // Runs once every byte went through transform: the digest covers exactly what the reader got.
        flush(done) {
          digest = { filename, sha256: hash.digest('hex') };
          ready();
          done();
        },
      });
      bytes.on('close', () => {
        if (!digest) failed(new HttpError(400, 'invalid_request', 'body: the upload ended before the file did'));
      });
      stream.on('error', (error) => bytes!.destroy(error));
      stream.pipe(bytes);
      resolve({ filename, body: bytes });
    });
    parser.on('error', (error) => {
      const refusal = new HttpError(400, 'invalid_request', `body: not a readable multipart upload (${(error as Error).message})`);
      bytes?.destroy(refusal);
      reject(refusal);
    });
    parser.on('close', () => {
      if (!bytes) reject(new HttpError(400, 'invalid_request', 'body: no part named "file" in the upload'));
    });
    const raw = (req as Request & { rawBody?: Buffer }).rawBody;
    if (raw) parser.end(raw);
    else req.pipe(parser);
  });
  file.catch(() => {});

  return {
    file,
    digest: () => digest,
    readDigest: async () => {
      const { body } = await file;
      body.resume();
      await ended;
      return digest!;
    },
    discard: () => {
      bytes?.resume();
    },
  };
}
