import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type ExcelJS from 'exceljs';
import type { ExportSource } from './pool.js';
import { type CsvOptions, RESPONSE_COLUMNS, type ResponseFilters, withResponseRows } from './responses.js';

// Rows fetched from PostgreSQL at a time. Turning a row into sheet XML takes far longer than making
// a JSON line, so a batch of 1,000 lived long enough to be moved to V8's old generation: the heap,
// and the process's memory, grew by 220 MB over 1,000,000 rows while only about 12 MB was live. In
// batches of 100 the rows die young and memory stays flat (test/integration/export-memory.test.ts);
// one more round trip per 100 rows costs about as much as 100 rows take to write.
const ROWS_PER_FETCH = 100;
// How often the writer checks whether the zip behind it is keeping up.
const CHECK_EVERY_ROWS = 100;

/**
 * Streams the responses as an Excel workbook (one sheet, header row, numbers as numbers) with
 * exceljs' streaming WorkbookWriter: every row is committed as soon as it is written.
 */
export async function exportResponsesXlsx(
  source: ExportSource,
  out: Writable,
  filters: ResponseFilters = {},
  options: CsvOptions = {},
): Promise<void> {
  // The workbook ends the stream it writes to; `out` may be stdout, which must stay open.
  const zipped = new PassThrough();
  let failure: Error | undefined;
  const delivered = pipeline(zipped, out, { end: false }).catch((error: Error) => {
    failure = error;
    throw error;
  });
  // Settles when the reader is gone too, so waiting for the zip to drain cannot hang.
  const stopped = delivered.then(
    () => {},
    () => {},
  );
  // Loaded on first use: half a second that no other command should pay for.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.stream.xlsx.WorkbookWriter({
    stream: zipped,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('responses');
  sheet.addRow([...RESPONSE_COLUMNS]).commit();
  try {
    await withResponseRows(
      source,
      filters,
      options,
      async (rows) => {
        let count = 0;
        for await (const row of rows) {
          if (failure) throw failure;
          sheet.addRow(RESPONSE_COLUMNS.map((c) => row[c] ?? null)).commit();
          count += 1;
          if (count % CHECK_EVERY_ROWS === 0) await Promise.race([zipCaughtUp(sheet), stopped]);
        }
      },
      ROWS_PER_FETCH,
    );
    sheet.commit();
    await workbook.commit();
  } catch (error) {
    zipped.destroy(error as Error);
    await stopped;
    throw error;
  }
  await delivered;
}

/**
 * exceljs writes a committed row into the zip's input without waiting, so a slow reader (a client
 * downloading over a slow line) would let the sheet pile up in memory. The zip's input is a
 * (readable-stream 2) PassThrough that still tracks backpressure: wait until it drains. When
 * exceljs' internals change and the input cannot be found, fall back to yielding between batches.
 */
async function zipCaughtUp(sheet: ExcelJS.Worksheet): Promise<void> {
  const pipes = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes;
  const input = pipes?.[0] as (Writable & { _writableState?: { needDrain?: boolean } }) | undefined;
  const needDrain = input?.writableNeedDrain ?? input?._writableState?.needDrain;
  if (input && typeof needDrain === 'boolean') {
    if (needDrain && !input.destroyed) {
      // Own listeners, removed again: a pending `once` per wait would pile up on the stream.
      await new Promise<void>((resolve) => {
        const done = () => {
          input.off('drain', done);
          input.off('close', done);
          resolve();
        };
        input.on('drain', done);
        input.on('close', done);
      });
    }
    return;
  }
  await new Promise((resolve) => setImmediate(resolve));
}
