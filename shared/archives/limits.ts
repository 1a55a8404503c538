import { PermanentError } from '../errors.js';

/** Bounds on what one `unpackZip` call may do; totals span every nesting level. */
export interface ZipLimits {
  /** Entries (directories included) declared by all central directories together. */
  maxEntries: number;
  /** Bytes inflated across the whole unpack, nested archives included. */
  maxTotalUncompressedBytes: number;
  /** Bytes one member may inflate to. */
  maxEntryBytes: number;
  /** Uncompressed / compressed size above which a member is refused as a bomb. */
  maxCompressionRatio: number;
  /** Levels of zip-inside-zip unpacked: 0 refuses any nested archive. */
  maxDepth: number;
}

export const defaultZipLimits: ZipLimits = {
  maxEntries: 1000,
  maxTotalUncompressedBytes: 500 * 1024 * 1024,
  maxEntryBytes: 100 * 1024 * 1024,
  maxCompressionRatio: 100,
  maxDepth: 2,
};

/**
 * The ratio rule only applies to members larger than this. Ordinary small text (a
 * repetitive CSV, an XML sheet) can deflate 100x or better, while a member under 1 MiB
 * cannot hurt us whatever its ratio; the byte limits still apply to it.
 */
export const ratioCheckFloorBytes = 1024 * 1024;

/** Why a member (or an archive) was refused. */
export type ZipProblemCode =
  | 'too_many_entries'
  | 'zip_bomb'
  | 'entry_too_large'
  | 'archive_too_large'
  | 'unsafe_path'
  | 'encrypted_entry'
  | 'unsupported_compression'
  | 'nesting_too_deep'
  | 'corrupt_archive'
  | 'store_incomplete';

/** A refusal as the error taxonomy's PermanentError: unpacking again cannot help. */
export function zipProblem(code: ZipProblemCode, message: string, cause?: unknown): PermanentError {
  return new PermanentError(message, code, cause === undefined ? undefined : { cause });
}
