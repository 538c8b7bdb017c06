import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExportSource } from './pool.js';
import {
  type CsvOptions,
  RESPONSE_COLUMNS,
  type ResponseFilters,
  type ResponseRow,
  withResponseRows,
} from './responses.js';

const BATCH_CHARS = 64 * 1024;

/**
 * Streams the responses as JSON Lines: one object per answer with the CSV's columns, numbers as
 * numbers and missing values as null. A stream pipeline, so a slow reader slows the query down.
 */
export async function exportResponsesJsonl(
  source: ExportSource,
  out: Writable,
  filters: ResponseFilters = {},
  options: CsvOptions = {},
): Promise<void> {
  await withResponseRows(source, filters, options, async (rows) => {
    // Lines are sent in batches of about 64 kB: one write per row would mean a system call per row.
    let batch = '';
    const lines = new Transform({
      writableObjectMode: true,
      transform(row: ResponseRow, _encoding, done) {
        const ordered: Record<string, unknown> = {};
        for (const column of RESPONSE_COLUMNS) ordered[column] = row[column] ?? null;
        batch += `${JSON.stringify(ordered)}\n`;
        if (batch.length < BATCH_CHARS) return done();
        const full = batch;
        batch = '';
        done(null, full);
      },
      flush(done) {
        done(null, batch || undefined);
      },
    });
    await pipeline(rows, lines, out, { end: false });
  });
}
