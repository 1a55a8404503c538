import { finished, Readable, Writable } from 'node:stream';
import { lazy } from '../lazy.js';
import type { BlobStore, BucketRole } from './blob-store.js';

/**
 * A BlobStore whose implementation is built on first use and kept: the Cloud Storage
 * client costs about 0.3 s to import, and several functions (oauth-callback,
 * run-initializer, gmail-push) never touch a blob. `uri` is answered without it. The
 * streams it hands out are returned at once and pass bytes through once the store is
 * there, with the real stream's semantics: a write stream finishes when the object exists,
 * and destroying it destroys the real one (a resumable upload is abandoned).
 */
export function lazyBlobStore(load: () => Promise<BlobStore>, uri: (bucket: BucketRole, name: string) => string): BlobStore {
  const store = lazy(load);
  return {
    uri,
    write: async (bucket, name, body, opts) => (await store.get()).write(bucket, name, body, opts),
    openWriteStream: (bucket, name, opts) => deferredWritable(store.get().then((s) => s.openWriteStream(bucket, name, opts))),
    read: (bucket, name) =>
      Readable.from(
        (async function* () {
          yield* (await store.get()).read(bucket, name);
        })(),
        { objectMode: false },
      ),
    readAll: async (blobUri) => (await store.get()).readAll(blobUri),
    exists: async (bucket, name) => (await store.get()).exists(bucket, name),
    stat: async (bucket, name) => (await store.get()).stat(bucket, name),
    delete: async (bucket, name) => (await store.get()).delete(bucket, name),
    signedDownloadUrl: async (bucket, name, opts) => (await store.get()).signedDownloadUrl(bucket, name, opts),
    signedUploadUrl: async (bucket, name, opts) => (await store.get()).signedUploadUrl(bucket, name, opts),
  };
}

/** A Writable that waits for `target` before its first write, then forwards to it. */
function deferredWritable(target: Promise<Writable>): Writable {
  let inner: Writable | undefined;
  const outer: Writable = new Writable({
    construct(callback) {
      target.then((writable) => {
        inner = writable;
        writable.on('error', (error) => outer.destroy(error));
        callback();
      }, callback);
    },
    write(chunk: Buffer, encoding, callback) {
      if (inner!.write(chunk, encoding)) callback();
      else inner!.once('drain', () => callback());
    },
    final(callback) {
      finished(inner!.end(), { readable: false }, (error) => callback(error ?? null));
    },
    destroy(error, callback) {
      if (inner && !inner.writableFinished) inner.destroy(error ?? undefined);
      callback(error);
    },
  });
  return outer;
}
