import Busboy from 'busboy';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { HttpError } from '../errors.js';
import { storableFileName } from '../text/storable-text.js';

/** The single "file" part of a multipart upload. */
export interface UploadedFile {
  /** As sent, read as UTF-8, NFC-normalised, a NUL replaced by U+FFFD (`storableFileName`). */
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
  /**
   * What to answer for an error of the code that read the file: when the body itself
   * failed (cut short, the client gone), that is the cause, a 400; else the error.
   */
  refusalFor(error: unknown): unknown;
  /** Lets the rest of the body flow to nowhere, so the connection is free once the answer is sent. */
  discard(): void;
}

/**
 * Starts reading the upload in `req`. On Cloud Functions the framework has already
 * buffered the body (`rawBody`); locally it streams.
 *
 * Whatever the body does, the answer is a 4xx and nothing is left behind: a missing
 * boundary, a form cut short ("Unexpected end of form") or a client that disconnects
 * mid-upload errors the parser and the file stream, both are listened to (an unheard
 * stream error would end the process), and the reader sees its body fail, so the blob
 * store discards what it had written.
 */
export function readMultipartUpload(req: Request): MultipartUpload {
  if (!req.is('multipart/form-data')) {
    throw new HttpError(400, 'invalid_request', 'body: send the file as multipart/form-data in a field named "file"');
  }
  let parser: Busboy.Busboy;
  try {
    // preservePath: the name is kept exactly as sent; it is data, and object names use ids.
    parser = Busboy({ headers: req.headers, preservePath: true, defParamCharset: 'utf8', limits: { files: 1, fields: 10, parts: 20 } });
  } catch (error) {
    throw unreadableUpload(error);
  }
  const hash = createHash('sha256');
  let digest: { filename: string; sha256: string } | undefined;
  let bodyError: unknown;
  let bytes: PassThrough | undefined;
  let ended: Promise<void> | undefined;

  const file = new Promise<UploadedFile>((resolve, reject) => {
    const failBody = (error: unknown) => {
      bodyError ??= error;
      bytes?.destroy(unreadableUpload(error));
      reject(unreadableUpload(error));
    };
    parser.on('file', (name, stream, info) => {
      // Heard so it never goes unhandled; the parser reports the same failure. An
      // AbortError is the reader stopping the stream itself (over the limit), not the body.
      stream.on('error', (error) => {
        if ((error as Error).name !== 'AbortError') bodyError ??= error;
      });
      if (name !== 'file' || bytes) {
        stream.resume();
        return;
      }
      const filename = storableFileName(info.filename || 'document');
      if (filename.length > 1024) {
        stream.resume();
        reject(new HttpError(400, 'invalid_request', 'body.file: the filename is longer than 1024 characters'));
        return;
      }
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
      // The reader hears the failure through its own stream handling; this keeps it from going unheard when nobody reads any more.
      bytes.on('error', () => {});
      bytes.on('close', () => {
        if (!digest) failed(unreadableUpload(bodyError ?? new Error('the upload ended before the file did')));
      });
      stream.on('error', (error) => bytes!.destroy(error));
      stream.pipe(bytes);
      resolve({ filename, body: bytes });
    });
    parser.on('error', failBody);
    parser.on('close', () => {
      if (!bytes) reject(new HttpError(400, 'invalid_request', 'body: no part named "file" in the upload'));
    });
    const raw = (req as Request & { rawBody?: Buffer }).rawBody;
    if (raw) parser.end(raw);
    else pipeline(req, parser, (error) => { if (error) failBody(error); });
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
    refusalFor: (error) => (bodyError !== undefined && !(error instanceof HttpError) ? unreadableUpload(bodyError) : error),
    discard: () => {
      bytes?.resume();
    },
  };
}

function unreadableUpload(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const premature = (error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE' || (error as { code?: string }).code === 'ECONNRESET';
  const why = premature ? 'the connection closed before the upload was complete' : (error as Error).message;
  return new HttpError(400, 'invalid_upload', `body: not a readable multipart upload (${why})`);
}
