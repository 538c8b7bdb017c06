import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import QueryStream from 'pg-query-stream';
import { z } from 'zod';
import { FORMULA_SAFE_COLUMNS } from '../../migrations/0022_export_checks.js';
import { AREAS } from '../domain/resident.js';
import { BOM, spreadsheetTextSql } from './csv.js';
import { type ExportSource, withExportClient } from './pool.js';

export { EXPORT_APPLICATION_NAME } from './pool.js';

/** A wave: its id, or `onboarding-YYYY-MM` for answers to the onboarding poll (no wave) in that month. */
export const WaveKeySchema = z.union([z.uuid(), z.string().regex(/^onboarding-\d{4}-(0[1-9]|1[0-2])$/)], {
  message: 'a wave id (uuid) or onboarding-YYYY-MM',
});

/** The filter fields, for schemas that add their own options (API query strings). */
export const RESPONSE_FILTER_FIELDS = {
  poll: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'a poll id like veerkracht-kort')
    .optional(),
  wave: WaveKeySchema.optional(),
  area: z.enum(AREAS, { message: `one of ${AREAS.join(', ')}` }).optional(),
  from: z.iso.date({ message: 'a date like 2026-01-31' }).optional(),
  to: z.iso.date({ message: 'a date like 2026-01-31' }).optional(),
};

/** What a date range that ends before it starts is told. */
export const DATE_RANGE_MESSAGE = 'the end date (to) is before the start date (from)';

/** Filters an analyst can put on the responses export (and on aggregates). */
export const ResponseFiltersSchema = z
  .object(RESPONSE_FILTER_FIELDS)
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: DATE_RANGE_MESSAGE, path: ['to'] });
export type ResponseFilters = z.infer<typeof ResponseFiltersSchema>;

export interface CsvOptions {
  /** `,` (RFC 4180) or `;` (Dutch Excel). */
  delimiter?: ',' | ';';
  /** Start with a UTF-8 byte order mark, which Excel needs to read accents right. */
  bom?: boolean;
  /** Keep the stored pseudonyms (stable panel ids, admin only) instead of re-keying them. */
  panelIds?: boolean;
}

/** The columns of the responses export, in order. */
export const RESPONSE_COLUMNS = [
  'respondent',
  'wave',
  'poll',
  'poll_version',
  'question',
  'indicator',
  'area',
  'age_group',
  'language',
  'channel',
  'answered_on',
  'answer_code',
  'answer_number',
  'text',
] as const;

/** Columns the database keeps free of formula starts (CHECK constraints): the CSV writes them as stored. */
const FORMULA_SAFE: ReadonlySet<string> = new Set(FORMULA_SAFE_COLUMNS);

/**
 * The SELECT behind the export; `textCell` wraps the text columns that may start like a formula (the
 * CSV makes them spreadsheet safe, the other formats keep them as stored): the answer code, the free
 * text and stored panel ids. The columns that hold only codes need no wrapping: CHECK constraints on
 * `monitor.answers` (migration 0022) refuse any value there that starts like a formula. Respondent ids
 * are re-keyed with a random salt that exists only for this export, so two exports cannot be joined
 * on respondent.
 */
export function responsesQuery(
  filters: ResponseFilters,
  options: CsvOptions = {},
  textCell: (column: string) => string = (column) => column,
): string {
  const salt = randomBytes(32).toString('hex');
  const where = answersWhere(filters);
  // The re-keying sits in a LATERAL subquery so that PostgreSQL can memoize it per respondent (a
  // resident answers many questions), instead of hashing every row; 128 bits of SHA-256 (32 hex
  // characters) are unique for any number of residents and keep the file small. The rows are sorted
  // with the stored columns the export needs (not wave_key), before they are re-keyed and made
  // spreadsheet safe: PostgreSQL sorts plain column values instead of computed ones, which took as
  // long as the sort itself, and fewer bytes (the sort of 1,000,000 rows spills to disk); the outer
  // order by costs nothing (the rows already come in that order). answered_on is a
  // date, written as YYYY-MM-DD because export connections use DateStyle ISO (to_char would cost
  // as much as the rest of the export together).
  const respondent = options.panelIds ? 'a.respondent' : 'k.key';
  const rekey = options.panelIds
    ? ''
    : `cross join lateral (select encode(substr(sha256(textsend('${salt}' || a.respondent)), 1, 16), 'hex') as key offset 0) k`;
  const t = (column: string, name = column) =>
    FORMULA_SAFE.has(column) ? column : `${textCell(column)} as ${name}`;
  // A re-keyed id is hex digits only: nothing in it can start a formula. A stored panel id can.
  const respondentCell = options.panelIds ? t(respondent, 'respondent') : `${respondent} as respondent`;
  return `select ${respondentCell}, wave_id as wave, ${t('poll')}, poll_version, ${t('question')},
    ${t('indicator')}, ${t('area')}, ${t('age_group')}, ${t('language')}, ${t('channel')}, answered_on,
    ${t('answer_code')}, answer_number, ${t('text')}
    from (select id, respondent, wave_id, poll, poll_version, question, indicator, area, age_group, language,
        channel, answered_on, answer_code, answer_number, text
      from answers ${where ? `where ${where}` : ''} order by answered_on, id) a ${rekey}
    order by a.answered_on, a.id`;
}

/**
 * The filters as an SQL condition on `answers` (empty when there are none). Values are validated and
 * escaped as literals, because COPY takes no bind parameters.
 */
export function answersWhere(filters: ResponseFilters): string {
  const f = ResponseFiltersSchema.parse(filters);
  const where: string[] = [];
  if (f.poll) where.push(`poll = ${pg.escapeLiteral(f.poll)}`);
  if (f.wave?.startsWith('onboarding-')) {
    const month = pg.escapeLiteral(`${f.wave.slice('onboarding-'.length)}-01`);
    where.push(
      `wave_id is null and answered_on >= ${month}::date and answered_on < ${month}::date + interval '1 month'`,
    );
  } else if (f.wave) where.push(`wave_id = ${pg.escapeLiteral(f.wave)}`);
  if (f.area) where.push(`area = ${pg.escapeLiteral(f.area)}`);
  if (f.from) where.push(`answered_on >= ${pg.escapeLiteral(f.from)}::date`);
  if (f.to) where.push(`answered_on <= ${pg.escapeLiteral(f.to)}::date`);
  return where.join(' and ');
}

/**
 * Streams the responses as CSV straight from PostgreSQL (`COPY … TO STDOUT`), so memory stays flat
 * however many rows there are. RFC 4180 quoting; header row; UTF-8; text that starts like a spreadsheet
 * formula gets a leading `'`, numbers and dates stay as they are.
 */
export async function exportResponsesCsv(
  source: ExportSource,
  out: Writable,
  filters: ResponseFilters = {},
  options: CsvOptions = {},
): Promise<void> {
  await withExportClient(source, async (client) => {
    if (options.bom) out.write(BOM);
    const delimiter = options.delimiter ?? ',';
    const copy = client.query(
      copyTo(
        `copy (${responsesQuery(filters, options, spreadsheetTextSql)}) to stdout with (format csv, header true, delimiter '${delimiter}')`,
      ),
    );
    await pipeline(copy, out, { end: false });
  });
}

/** One row of the responses export, as pg-query-stream yields it. */
export type ResponseRow = Record<(typeof RESPONSE_COLUMNS)[number], string | number | null>;

/**
 * Runs the responses query on its own connection and hands the rows to `consume` as a stream read
 * through a cursor, `batchSize` rows at a time, so the export never holds more than a batch or two
 * in memory. A consumer that spends long on each row wants small batches: rows that wait long for
 * their turn outlive V8's young generation and fill the old one with garbage, which then grows the
 * heap (the process's memory) to several times what is live.
 */
export async function withResponseRows(
  source: ExportSource,
  filters: ResponseFilters,
  options: CsvOptions,
  consume: (rows: AsyncIterable<ResponseRow>) => Promise<void>,
  batchSize = 1000,
): Promise<void> {
  await withExportClient(source, async (client) => {
    const rows = client.query(
      new QueryStream(responsesQuery(filters, options), [], { batchSize, highWaterMark: batchSize }),
    );
    try {
      await consume(rows as AsyncIterable<ResponseRow>);
    } finally {
      rows.destroy();
    }
  });
}
