import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { BOM, type Delimiter, spreadsheetTextSql } from './csv.js';
import { type ExportSource, withExportClient } from './pool.js';
import { type ResponseFilters, ResponseFiltersSchema } from './responses.js';

/** The columns of the ideas export: never the resident link, which leads to the identity store. */
export const IDEA_COLUMNS = ['id', 'area', 'theme', 'status', 'created_on', 'text'] as const;

// Read through the view `monitor.ideas_export` (migration 0008): export connections may not read the
// identity store's `ideas`, which links each idea to its author. `created_on` is the day an idea
// came in, as residents and the wijkteam count days.
const CREATED_ON = 'created_on';

/** The SELECT behind the ideas export; area and date range filter, poll and wave do not apply. */
export function ideasQuery(
  filters: Pick<ResponseFilters, 'area' | 'from' | 'to'>,
  textCell: (column: string) => string = (column) => column,
): string {
  const f = ResponseFiltersSchema.parse(filters);
  const where: string[] = [];
  if (f.area) where.push(`area = ${pg.escapeLiteral(f.area)}`);
  if (f.from) where.push(`${CREATED_ON} >= ${pg.escapeLiteral(f.from)}::date`);
  if (f.to) where.push(`${CREATED_ON} <= ${pg.escapeLiteral(f.to)}::date`);
  const t = (column: string) => `${textCell(column)} as ${column}`;
  return `select id, ${t('area')}, ${t('theme')}, ${t('status')},
    to_char(${CREATED_ON}, 'YYYY-MM-DD') as created_on, ${t('text')}
    from monitor.ideas_export ${where.length > 0 ? `where ${where.join(' and ')}` : ''} order by id`;
}

/**
 * Streams the scrubbed ideas as CSV straight from PostgreSQL (COPY), like the responses: text that
 * starts like a spreadsheet formula gets a leading `'`.
 */
export async function exportIdeasCsv(
  source: ExportSource,
  out: Writable,
  filters: Pick<ResponseFilters, 'area' | 'from' | 'to'> = {},
  options: { delimiter?: Delimiter; bom?: boolean } = {},
): Promise<void> {
  await withExportClient(source, async (client) => {
    if (options.bom) out.write(BOM);
    const copy = client.query(
      copyTo(
        `copy (${ideasQuery(filters, spreadsheetTextSql)}) to stdout with (format csv, header true, delimiter '${options.delimiter ?? ','}')`,
      ),
    );
    await pipeline(copy, out, { end: false });
  });
}
