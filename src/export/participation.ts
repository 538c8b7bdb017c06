import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { AREAS } from '../domain/resident.js';
import type { AggregateCell } from './aggregates.js';
import { baselineFor, type Indicator, targetFor } from './indicators.js';
import type { ResponseFilters } from './responses.js';
import { HIDDEN, roundN, roundRatio, suppressTable } from './suppression.js';
import { wilsonInterval } from './wilson.js';

// Indicators that no poll asks but the bot counts, per calendar month and area, from the monitor
// schema's views (migration 0016): counts only, never who.

/** Prefix of the wave key of monthly counts (`month-2026-11`). */
export const MONTH_PREFIX = 'month-';

/** The indicator counted from who said they would come to an activity. */
export const MEETINGS_INDICATOR = 'deelname_ontmoetingen';
/** The indicator the help requests give context to. */
export const HELP_INDICATOR = 'toegang_hulp';

/** Measures of the monthly cells. */
export const MONTHLY_MEASURES = {
  /** deelname_ontmoetingen: share of the residents who receive flashes who said they would come to at least one activity. */
  meetings: 'share_of_residents',
  /** toegang_hulp context: n = help requests opened, value = share answered within a working day. */
  help: 'help_answered_within_day',
} as const;

const AREA_ORDER: readonly string[] = [...AREAS, 'onbekend'];
const MONTH_ZONE = 'Europe/Amsterdam';

interface MonthRow {
  month: string;
  area: string;
  n: number;
  value: number;
}

/** What the monthly cells need. */
export interface MonthlyOptions {
  minCell: number;
  indicators: readonly Indicator[];
  settledOnly: boolean;
}

/**
 * The monthly cells of `deelname_ontmoetingen` and of the help-request context of `toegang_hulp`,
 * per month and area with the total, suppressed like the wave cells (the same table protection with
 * one column). None when the filters pick a poll or a wave; `from`/`to` pick months, `area` one area.
 * With `settledOnly`, only months that are over.
 */
export async function monthlyCells(
  db: Kysely<Database>,
  filters: ResponseFilters,
  options: MonthlyOptions,
): Promise<AggregateCell[]> {
  if (filters.poll || filters.wave) return [];
  const conditions = [
    ...(filters.from ? [sql`month >= ${filters.from.slice(0, 7)}`] : []),
    ...(filters.to ? [sql`month <= ${filters.to.slice(0, 7)}`] : []),
    ...(options.settledOnly ? [sql`month < to_char(now() at time zone ${MONTH_ZONE}, 'YYYY-MM')`] : []),
  ];
  const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const out: AggregateCell[] = [];
  const meetings = options.indicators.find((i) => i.code === MEETINGS_INDICATOR);
  if (meetings) {
    const { rows } = await sql<MonthRow>`
      select month, area, residents as n, came as value from meeting_months ${where}`.execute(db);
    out.push(...cellsOf(rows, meetings, MONTHLY_MEASURES.meetings, options.minCell, filters.area));
  }
  const help = options.indicators.find((i) => i.code === HELP_INDICATOR);
  if (help) {
    const { rows } = await sql<MonthRow>`
      select month, area, opened as n, answered_within_day as value from help_request_months ${where}`.execute(
      db,
    );
    out.push(...cellsOf(rows, help, MONTHLY_MEASURES.help, options.minCell, filters.area));
  }
  return out;
}

function cellsOf(
  rows: readonly MonthRow[],
  indicator: Indicator,
  measure: (typeof MONTHLY_MEASURES)[keyof typeof MONTHLY_MEASURES],
  minCell: number,
  onlyArea: string | undefined,
): AggregateCell[] {
  const months = [...new Set(rows.map((r) => r.month))].sort();
  const out: AggregateCell[] = [];
  for (const month of months) {
    const mine = rows
      .filter((r) => r.month === month && r.n > 0)
      .sort((a, b) => rank(a.area) - rank(b.area) || a.area.localeCompare(b.area));
    if (mine.length === 0) continue;
    // One column (no age groups): row i is an area, the last row the total.
    const table = suppressTable(
      mine.map((r) => [{ n: r.n, value: r.value }]),
      { minCell, low: 0, high: 1 },
    );
    const hiddenAt = (i: number) => table[i]![0]! || table[i]![1]!;
    const total = mine.reduce((s, r) => ({ n: s.n + r.n, value: s.value + r.value }), { n: 0, value: 0 });
    const rowsOut = [
      { level: 'total' as const, area: 'totaal', sums: total, hidden: hiddenAt(mine.length) },
      ...mine.map((r, i) => ({ level: 'area' as const, area: r.area, sums: r, hidden: hiddenAt(i) })),
    ].filter((r) => !onlyArea || r.area === onlyArea);
    for (const r of rowsOut) {
      const baseline = r.level === 'area' ? baselineFor(indicator, r.area) : null;
      const target = measure === MONTHLY_MEASURES.meetings ? targetFor(indicator, baseline) : null;
      const shown = r.hidden ? null : publish(r.sums);
      out.push({
        indicator: indicator.code,
        measure,
        wave: `${MONTH_PREFIX}${month}`,
        wave_start: `${month}-01`,
        polls: '',
        level: r.level,
        area: r.area,
        age_group: 'totaal',
        n: shown?.n ?? null,
        value: shown?.value ?? null,
        ci_low: shown?.low ?? null,
        ci_high: shown?.high ?? null,
        suppressed: r.hidden,
        reason: r.hidden ? HIDDEN : null,
        baseline,
        baseline_year: baseline === null ? null : (indicator.baseline?.year ?? null),
        target: target?.value ?? null,
        target_year: target?.year ?? null,
        target_note: target ? target.note : 'context figure, no target',
      });
    }
  }
  return out;
}

function rank(area: string): number {
  return AREA_ORDER.includes(area) ? AREA_ORDER.indexOf(area) : AREA_ORDER.length;
}

/** Rounded like the wave cells: n to 5, the share to a whole percent, the interval from the rounded figures. */
function publish(sums: { n: number; value: number }) {
  const n = roundN(sums.n);
  const value = roundRatio(sums.value, sums.n, 100);
  const fewest = n - 2;
  const interval = wilsonInterval(value * fewest, fewest);
  const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
  return { n, value, low: round(interval.low), high: round(interval.high) };
}
