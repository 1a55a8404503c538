import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** Writes `chunk` and waits for 'drain' when `out` asks to, so memory stays flat. */
export async function writeWithBackpressure(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Ends `out` and resolves once everything written is flushed to its destination. */
export async function endAndFlush(out: Writable): Promise<void> {
  out.end();
  await finished(out, { readable: false });
}

/**
 * Runs `write`; on failure destroys `out` with the error, so a half-written file is never
 * committed (a GCS or Drive upload stream aborts instead of finishing), then rethrows.
 */
export async function destroyOnFailure<T>(out: Writable, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    out.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}
