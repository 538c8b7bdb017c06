import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { z } from 'zod';

/** Filters an analyst can put on the responses export. */
export const ResponseFiltersSchema = z.object({
  poll: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'a poll id like veerkracht-kort')
    .optional(),
  wave: z.uuid({ message: 'a wave id (uuid)' }).optional(),
  area: z.enum(['nazareth', 'pottenberg', 'elders', 'geen']).optional(),
  from: z.iso.date({ message: 'a date like 2026-01-31' }).optional(),
  to: z.iso.date({ message: 'a date like 2026-01-31' }).optional(),
});
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

/**
 * The SELECT behind the export. Respondent ids are re-keyed with a random salt that exists only for
 * this export, so two exports cannot be joined on respondent.
 */
export function responsesQuery(filters: ResponseFilters, options: CsvOptions = {}): string {
  const f = ResponseFiltersSchema.parse(filters);
  const salt = randomBytes(32).toString('hex');
  const respondent = options.panelIds
    ? 'respondent'
    : `encode(sha256(convert_to('${salt}' || respondent, 'UTF8')), 'hex')`;
  const where: string[] = [];
  if (f.poll) where.push(`poll = ${pg.escapeLiteral(f.poll)}`);
  if (f.wave) where.push(`wave_id = ${pg.escapeLiteral(f.wave)}`);
  if (f.area) where.push(`area = ${pg.escapeLiteral(f.area)}`);
  if (f.from) where.push(`answered_on >= ${pg.escapeLiteral(f.from)}::date`);
  if (f.to) where.push(`answered_on <= ${pg.escapeLiteral(f.to)}::date`);
  return `select ${respondent} as respondent, wave_id as wave, poll, question, indicator, area, age_group,
    language, channel, to_char(answered_on, 'YYYY-MM-DD') as answered_on, answer_code, answer_number, text
    from answers ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
    order by answered_on, id`;
}

/**
 * Streams the responses as CSV straight from PostgreSQL (`COPY … TO STDOUT`), so memory stays flat
 * however many rows there are. RFC 4180 quoting; header row; UTF-8.
 */
export async function exportResponsesCsv(
  databaseUrl: string,
  out: Writable,
  filters: ResponseFilters = {},
  options: CsvOptions = {},
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    if (options.bom) out.write('\uFEFF');
    const delimiter = options.delimiter ?? ',';
    const copy = client.query(
      copyTo(
        `copy (${responsesQuery(filters, options)}) to stdout with (format csv, header true, delimiter '${delimiter}')`,
      ),
    );
    await pipeline(copy, out, { end: false });
  } finally {
    await client.end();
  }
}
