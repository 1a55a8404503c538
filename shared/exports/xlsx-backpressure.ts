import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type ExcelJS from 'exceljs';

// exceljs and archiver have no backpressure between them: exceljs writes sheet XML into the
// zip entry without waiting, and archiver keeps pushing compressed bytes while the
// destination is full. Unchecked, 1,000,000 rows peaked at 802 MB RSS and a stalled upload
// let every batch through. Pausing row writing while more than this waits in either place
// keeps memory flat and still lets deflate (on the libuv pool) overlap row writing.
const MAX_PENDING_XML_BYTES = 4 * 1024 * 1024;
const MAX_PENDING_ZIP_BYTES = 1024 * 1024;

/** A stream of readable-stream 3 (archiver's), with state but no `writableLength`. */
interface LegacyStream extends NodeJS.EventEmitter {
  _writableState?: { length: number };
  _readableState?: { length: number };
}

/** What exceljs 4's worksheet stream (a StreamBuf) holds. */
interface SheetStreamBuf {
  /** 64 KiB chunks not yet handed to the zip entry. */
  buffers: unknown[];
  /** archiver's PassThrough for the entry. */
  pipes: LegacyStream[];
}

/**
 * Backpressure for exceljs's streaming writer, which has none of its own: await
 * `caughtUp()` after each batch of committed rows. Reads exceljs 4 and archiver 5
 * internals, so an upgrade that changes them fails loudly at construction (and in
 * test/exports, which stalls a destination and counts the batches pulled).
 */
export class XlsxBackpressure {
  private readonly sheetStream: SheetStreamBuf;
  private readonly zip: LegacyStream;

  constructor(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    sheet: ExcelJS.Worksheet,
    private readonly out: Writable,
  ) {
    const sheetStream = (sheet as unknown as { stream?: Partial<SheetStreamBuf> }).stream;
    const zip = (workbook as unknown as { zip?: LegacyStream }).zip;
    if (!sheetStream || !Array.isArray(sheetStream.buffers) || !Array.isArray(sheetStream.pipes) || !zip?._readableState) {
      throw new Error('exceljs internals changed: writeXlsx cannot apply backpressure');
    }
    this.sheetStream = sheetStream as SheetStreamBuf;
    this.zip = zip;
  }

  /** Sheet XML written by exceljs and not yet taken in by deflate. */
  private pendingXml(): number {
    return this.sheetStream.buffers.length * 65_536 + (this.sheetStream.pipes[0]?._writableState?.length ?? 0);
  }

  /** Compressed bytes archiver holds because the destination is full. */
  private pendingZip(): number {
    return this.zip._readableState?.length ?? 0;
  }

  /** Resolves once the entry and the zip output are back under their limits. */
  async caughtUp(): Promise<void> {
    for (;;) {
      const entry = this.sheetStream.pipes[0];
      if (this.pendingZip() > MAX_PENDING_ZIP_BYTES && this.out.writableNeedDrain) {
        await once(this.out, 'drain');
      } else if (entry && (entry._writableState?.length ?? 0) > MAX_PENDING_XML_BYTES) {
        // Past the high-water mark the entry's write() returned false, so 'drain' will come.
        await once(entry, 'drain');
      } else if (this.pendingXml() > MAX_PENDING_XML_BYTES || this.pendingZip() > MAX_PENDING_ZIP_BYTES) {
        await sleep(1);
      } else {
        return;
      }
    }
  }
}
