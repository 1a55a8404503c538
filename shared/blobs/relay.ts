import { PassThrough, type Readable } from 'node:stream';

/**
 * `source`'s bytes through a stream whose error, if any, is `translate(error)`: lets a
 * store hand out SDK or fs streams that fail with the project's error taxonomy.
 */
export function relay(source: Readable, translate: (error: unknown) => Error): Readable {
  const out = new PassThrough();
  source.once('error', (error) => out.destroy(translate(error)));
  out.once('close', () => {
    if (!source.destroyed) source.destroy();
  });
  source.pipe(out);
  return out;
}
