import type { Writable } from 'node:stream';
import { csvFormatValue } from 'd3-dsv';
import { csvRecordsWriter, headerLabels } from './cells.js';
import { destroyOnFailure, endAndFlush, writeWithBackpressure } from './sink.js';
import type { ExportColumn, ExportRow, ExportSummary } from './types.js';

// Excel decodes a CSV without a byte order mark in the machine's ANSI code page, so é and
// 日本 turn to mojibake; with the UTF-8 BOM it reads UTF-8. csv-parse (bom: true), pandas
// (encoding='utf-8-sig') and Google Sheets all skip it.
const UTF8_BOM = '\uFEFF';

// RFC 4180: CRLF after every record (the last one too), a field quoted only when it holds a
// quote, comma, CR or LF, its quotes doubled. d3-dsv's csvFormatValue quotes exactly those.
const CRLF = '\r\n';

/**
 * Writes the export as RFC 4180 CSV (UTF-8 with BOM, CRLF) into `out`, ends it and resolves
 * once it is flushed. Holds one batch at a time: each batch becomes one string and one
 * write, waiting for 'drain' when `out` is full. On failure `out` is destroyed with the error.
 *
 * @example await writeCsv(columns, streamResults(db, runId), file.createWriteStream())
 */
export async function writeCsv(
  columns: ExportColumn[],
  batches: AsyncIterable<ExportRow[]>,
  out: Writable,
): Promise<ExportSummary> {
  return destroyOnFailure(out, async () => {
    let rows = 0;
    const records = csvRecordsWriter(columns);
    await writeWithBackpressure(out, UTF8_BOM + headerLabels(columns).map(csvFormatValue).join(',') + CRLF);
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      await writeWithBackpressure(out, records(batch));
      rows += batch.length;
    }
    await endAndFlush(out);
    return { rows };
  });
}
