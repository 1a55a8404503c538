import Busboy from 'busboy';
import type { Request } from 'express';
import { AsyncResource } from 'node:async_hooks';
import { pipeline, type Readable } from 'node:stream';
import { HttpError } from '../../../shared/errors.js';
import { createUpload, deleteFile, finalizeUpload, listFiles, storeUpload } from '../../../shared/files/uploads.js';
import { defineRoute, type Route } from '../../../shared/http/route.js';
import { z } from '../../../shared/http/zod.js';
import { relayAfterCommit } from '../../../shared/outbox/outbox.js';
import type { Platform } from '../../../shared/platform.js';
import { storableFileName } from '../../../shared/text/storable-text.js';
import { jobParams, sourceFile, uuid } from '../schemas.js';

const fileParams = jobParams.extend({ fileId: uuid });

export function fileRoutes(platform: () => Promise<Platform>): Route[] {
  const ctx = async () => {
    const p = await platform();
    return { db: p.database.db, blobs: p.blobs, autoRunDebounceSeconds: p.limits?.autoRunDebounceSeconds, relay: (ids: number[]) => relayAfterCommit(p, ids) };
  };
  return [
    defineRoute({
      method: 'post', path: '/v1/jobs/:jobId/files', tag: 'Files', multipart: true,
      summary: 'Upload a file directly (multipart/form-data, field "file"); its type is decided from its bytes; its name is read as UTF-8 and stored NFC-normalised, a NUL in it replaced by U+FFFD',
      params: jobParams, status: 201, response: sourceFile, errors: [404, 413, 415],
      handler: async ({ params, identity, req }) => {
        const c = await ctx();
        return withUploadedFile(req, (filename, body) => storeUpload(c, { userId: identity.uid, jobId: params.jobId, filename, body }));
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/jobs/:jobId/files/uploads', tag: 'Files',
      summary: 'Start a browser upload: returns a signed resumable-upload link to the uploads bucket; call finalize when done',
      params: jobParams,
      body: z.object({ filename: z.string().trim().min(1).max(1024), contentType: z.string().min(1).max(255), sizeBytes: z.number().int().min(1) }),
      status: 201,
      response: z.object({ fileId: uuid, upload: z.object({ url: z.string(), method: z.enum(['POST', 'PUT']), headers: z.record(z.string(), z.string()) }) }),
      errors: [404, 413],
      handler: async ({ params, body, identity }) => createUpload(await ctx(), { userId: identity.uid, jobId: params.jobId, ...body }),
    }),
    defineRoute({
      method: 'post', path: '/v1/jobs/:jobId/files/:fileId/finalize', tag: 'Files',
      summary: 'Check an uploaded file (size limit, type from its bytes) and make it available to runs',
      params: fileParams, status: 200, response: sourceFile, errors: [404, 409, 413, 415],
      handler: async ({ params, identity }) => finalizeUpload(await ctx(), { userId: identity.uid, jobId: params.jobId, fileId: params.fileId }),
    }),
    defineRoute({
      method: 'get', path: '/v1/jobs/:jobId/files', tag: 'Files', summary: 'List the files of a job',
      params: jobParams, status: 200, response: z.object({ items: z.array(sourceFile) }), errors: [404],
      handler: async ({ params, identity }) => ({ items: await listFiles((await ctx()).db, identity.uid, params.jobId) }),
    }),
    defineRoute({
      method: 'delete', path: '/v1/jobs/:jobId/files/:fileId', tag: 'Files', summary: 'Delete a file (runs that read it keep their results)',
      params: fileParams, status: 204, errors: [404],
      handler: async ({ params, identity }) => deleteFile(await ctx(), { userId: identity.uid, jobId: params.jobId, fileId: params.fileId }),
    }),
  ];
}

/**
 * Hands the single "file" part of a multipart request to `store` as a stream. On Cloud
 * Functions the framework has already buffered the body (`rawBody`); locally it streams.
 *
 * Whatever the body does, the answer is a 4xx and nothing is left behind: a missing
 * boundary, a form cut short ("Unexpected end of form") or a client that disconnects
 * mid-upload errors the parser and the file stream, both are listened to (an unheard
 * stream error would end the process), and `store` sees its body fail, so the blob
 * store discards what it had written. Filenames are read as UTF-8 and stored
 * NFC-normalised, a NUL replaced by U+FFFD (`storableFileName`).
 */
function withUploadedFile<T>(req: Request, store: (filename: string, body: Readable) => Promise<T>): Promise<T> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(new HttpError(400, 'invalid_request', 'body: send the file as multipart/form-data in a field named "file"'));
  }
  let parser: Busboy.Busboy;
  try {
    // preservePath: the name is kept exactly as sent; it is data, and object names use ids.
    parser = Busboy({ headers: req.headers, preservePath: true, defParamCharset: 'utf8', limits: { files: 1, fields: 10, parts: 20 } });
  } catch (error) {
    return Promise.reject(unreadableUpload(error));
  }
  return new Promise<T>((resolve, reject) => {
    let stored = false;
    let bodyError: unknown;
    const failBody = (error: unknown) => {
      bodyError ??= error;
      reject(unreadableUpload(error));
    };
    // Bound: busboy's events fire from the socket, outside the request's log context.
    parser.on('file', AsyncResource.bind((name: string, stream: Readable, info: Busboy.FileInfo) => {
      // Heard so it never goes unhandled; the parser reports the same failure. An
      // AbortError is the store stopping the stream itself (over the limit), not the body.
      stream.on('error', (error) => {
        if ((error as Error).name !== 'AbortError') bodyError ??= error;
      });
      if (name !== 'file' || stored) {
        stream.resume();
        return;
      }
      stored = true;
      const filename = storableFileName(info.filename || 'document');
      if (filename.length > 1024) {
        stream.resume();
        reject(new HttpError(400, 'invalid_request', 'body.file: the filename is longer than 1024 characters'));
        return;
      }
      store(filename, stream).then(resolve, (error: unknown) => {
        stream.resume();
        // The body's own failure is the cause: answer it, not what it did to the store.
        reject(bodyError !== undefined && !(error instanceof HttpError) ? unreadableUpload(bodyError) : error);
      });
    }));
    parser.on('error', failBody);
    parser.on('close', () => {
      if (!stored) reject(new HttpError(400, 'invalid_request', 'body: no part named "file" in the upload'));
    });
    const raw = (req as Request & { rawBody?: Buffer }).rawBody;
    if (raw) parser.end(raw);
    else pipeline(req, parser, (error) => { if (error) failBody(error); });
  });
}

function unreadableUpload(error: unknown): HttpError {
  const premature = (error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE' || (error as { code?: string }).code === 'ECONNRESET';
  const why = premature ? 'the connection closed before the upload was complete' : (error as Error).message;
  return new HttpError(400, 'invalid_upload', `body: not a readable multipart upload (${why})`);
}
