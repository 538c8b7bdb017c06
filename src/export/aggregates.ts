import { type Kysely, type RawBuilder, sql } from 'kysely';
import { loadPolls } from '../../flows/polls/catalog.js';
import type { Poll } from '../../flows/polls/schema.js';
import type { Database } from '../db/schema.js';
import { AREAS, STORED_AGE_GROUPS } from '../domain/resident.js';
import { NOT_VALID_CODES, positiveCodes } from './codebook.js';
import { BOM, csvLine, type Delimiter } from './csv.js';
import { baselineFor, type Indicator, type IndicatorsFile, loadIndicators, targetFor } from './indicators.js';
import { HELP_INDICATOR, MEETINGS_INDICATOR, MONTH_PREFIX, monthlyCells } from './participation.js';
import { answersWhere, type ResponseFilters, ResponseFiltersSchema } from './responses.js';
import {
  HIDDEN,
  N_ROUNDING,
  roundN,
  roundRatio,
  suppressionNote,
  suppressTable,
  type ValueRange,
} from './suppression.js';
import { meanInterval, wilsonInterval } from './wilson.js';

/** The area or age group of a cell that covers all of them. */
export const TOTAL = 'totaal';
/** Area or age group of answers given before the resident told it. */
export const UNKNOWN = 'onbekend';
/** Prefix of the wave key of answers without a wave (the onboarding poll), one per calendar month. */
export const ONBOARDING_WAVE_PREFIX = 'onboarding-';

/** How a cell is cut: all areas, one area, one age group (all areas), or one age group in one area. */
export const LEVELS = ['total', 'area', 'age_group', 'area_age_group'] as const;
export type Level = (typeof LEVELS)[number];

/** Per wave × indicator × area × age group: sums over respondents (one answer each). */
export interface FineCell {
  wave: string;
  indicator: string;
  area: string;
  age_group: string;
  n: number;
  positives: number;
  sum: number;
  sum_squares: number;
}

/** When a wave started (its first answer) and which polls it asked. */
export interface WaveInfo {
  wave: string;
  start: string;
  polls: string;
}

/** One published cell of the aggregates. Suppressed cells carry no figures, only the reason. */
export interface AggregateCell {
  indicator: string;
  /**
   * share_positive and mean come from poll answers per wave; share_of_residents (deelname_ontmoetingen)
   * and help_answered_within_day (toegang_hulp context) are counted per month (wave `month-YYYY-MM`).
   */
  measure: 'share_positive' | 'mean' | 'share_of_residents' | 'help_answered_within_day';
  wave: string;
  wave_start: string;
  polls: string;
  level: Level;
  area: string;
  age_group: string;
  /** Respondents, rounded to a multiple of 5. */
  n: number | null;
  /** Share (0–1, whole percents) or mean (one decimal). */
  value: number | null;
  ci_low: number | null;
  ci_high: number | null;
  suppressed: boolean;
  reason: string | null;
  baseline: number | null;
  baseline_year: number | null;
  target: number | null;
  target_year: number | null;
  target_note: string | null;
}

/** The columns of the aggregates CSV, in order. */
export const AGGREGATE_COLUMNS: readonly (keyof AggregateCell)[] = [
  'indicator',
  'measure',
  'wave',
  'wave_start',
  'polls',
  'level',
  'area',
  'age_group',
  'n',
  'value',
  'ci_low',
  'ci_high',
  'suppressed',
  'reason',
  'baseline',
  'baseline_year',
  'target',
  'target_year',
  'target_note',
];

/** The aggregates with how they were made. */
export interface Aggregates {
  generated_at: string;
  min_cell: number;
  filters: ResponseFilters;
  /** Only closed waves and onboarding months that are over (a token that cannot read answer rows). */
  settled_only: boolean;
  method: Record<string, string>;
  cells: AggregateCell[];
}

/**
 * Filters that cut a wave into parts. Two releases cut differently (up to 1 and up to 2 November,
 * one poll and all, one area and all) differ by a few people, whose answers the difference shows;
 * whole waves and whole onboarding months are disjoint, so releases of them never overlap.
 */
export const PARTIAL_FILTERS = ['poll', 'area', 'from', 'to'] as const;

/**
 * Why a request for aggregates cuts a wave into parts, for a token that sees only aggregates
 * (undefined when it asks for whole waves only). Who may read the answer rows keeps every filter.
 */
export function partialFilterProblem(
  filters: Partial<Record<(typeof PARTIAL_FILTERS)[number], unknown>>,
  role: string,
): string | undefined {
  const cut = PARTIAL_FILTERS.find((f) => filters[f] !== undefined);
  if (!cut) return undefined;
  return `${cut}: a ${role} token gets aggregates over whole waves and whole onboarding months only; ask without ${PARTIAL_FILTERS.join(', ')} (wave=<wave id or onboarding-YYYY-MM> picks one)`;
}

/** What the aggregates need besides the data. */
export interface AggregateOptions {
  /** Smallest cell shown (SUPPRESSION_MIN_CELL); never below 5. */
  minCell: number;
  polls?: ReadonlyMap<string, Poll>;
  indicators?: IndicatorsFile;
  /**
   * Count only closed waves and onboarding months that are over (for tokens that cannot read answer
   * rows): a wave still open grows between two looks, and the difference would be the newest answers.
   */
  settledOnly?: boolean;
}

/** How the figures are made, shipped with every aggregates file. */
export function methodNotes(minCell: number): Record<string, string> {
  return {
    n: `distinct respondents with a valid answer, rounded to a multiple of ${N_ROUNDING}; weet_niet, overgeslagen and invalid are left out; a respondent who answered twice in one wave counts once, with the latest answer`,
    share_positive:
      'share of respondents whose answer the poll defines as positive (codebook), rounded to a whole percent',
    mean: 'mean of answer_number (rapportcijfer 1-10), rounded to one decimal',
    interval:
      '95%, from the rounded figures with the smallest n their rounding allows (n - 2), so they err on the wide side: Wilson score interval for shares (whole percents); mean ± t(0.975, n-1) · s / sqrt(n) (Student t, s rounded to one decimal) for means',
    waves: `answers without a wave (onboarding poll) are grouped per calendar month as ${ONBOARDING_WAVE_PREFIX}YYYY-MM`,
    suppression: suppressionNote(minCell),
    baseline: 'from indicators.json, per area; total and age-group cells have none',
    target:
      'absolute_share: the value; relative_increase: baseline × (1 + value), "baseline pending" without a baseline',
    share_of_residents: `${MEETINGS_INDICATOR}, per calendar month (wave ${MONTH_PREFIX}YYYY-MM) and area: n = residents who receive flashes (news on; today's, as no history is kept) plus any who said they would come that month, value = share of them who said they would come (RSVP ja) to at least one activity that month (a session in that month, or a flash without a date answered that month)`,
    help_answered_within_day: `${HELP_INDICATOR} context, per calendar month (wave ${MONTH_PREFIX}YYYY-MM) and area: n = help requests opened, value = share answered within a working day; no baseline or target`,
    months:
      'monthly cells come only without a poll or wave filter; a token that cannot read the answer rows sees months that are over',
  };
}

/**
 * Aggregates per wave × indicator × area and age group from the monitor store, with small cells
 * suppressed. Only share-positive and mean indicators of indicators.json are counted.
 */
export async function computeAggregates(
  db: Kysely<Database>,
  filters: ResponseFilters,
  options: AggregateOptions,
): Promise<Aggregates> {
  const f = ResponseFiltersSchema.parse(filters);
  const indicators = (options.indicators ?? loadIndicators()).indicators;
  const polls = options.polls ?? loadPolls();
  const source = filtered(f, options.settledOnly ?? false);
  const fine = await fineCells(db, source, indicators, polls);
  const waves = await waveInfo(db, source);
  const monthly = await monthlyCells(db, f, {
    minCell: options.minCell,
    indicators,
    settledOnly: options.settledOnly ?? false,
  });
  return {
    generated_at: new Date().toISOString(),
    min_cell: options.minCell,
    filters: f,
    settled_only: options.settledOnly ?? false,
    method: methodNotes(options.minCell),
    cells: [...buildAggregates(fine, waves, { minCell: options.minCell, indicators }), ...monthly],
  };
}

/** Onboarding months are calendar months where the programme is. */
const ONBOARDING_MONTH_ZONE = 'Europe/Amsterdam';

const waveKey = sql`coalesce(wave_id::text, ${ONBOARDING_WAVE_PREFIX} || to_char(answered_on, 'YYYY-MM'))`;

function filtered(f: ResponseFilters, settledOnly: boolean) {
  const where = answersWhere(f);
  // answersWhere validates and escapes every value; COPY needs it as text, so it is reused here.
  const conditions = [
    ...(where ? [sql.raw(where)] : []),
    ...(settledOnly
      ? [
          sql`(wave_id in (select id from settled_waves) or (wave_id is null and answered_on < date_trunc('month', now() at time zone ${ONBOARDING_MONTH_ZONE})::date))`,
        ]
      : []),
  ];
  return conditions.length > 0
    ? sql`(select * from answers where ${sql.join(conditions, sql` and `)})`
    : sql`answers`;
}

async function fineCells(
  db: Kysely<Database>,
  source: RawBuilder<unknown>,
  indicators: readonly Indicator[],
  polls: ReadonlyMap<string, Poll>,
): Promise<FineCell[]> {
  const counted = indicators.filter((i) => i.measure === 'share_positive' || i.measure === 'mean');
  if (counted.length === 0) return [];
  const positives = [...polls.values()].flatMap((poll) =>
    poll.questions.flatMap((q) => {
      const codes = positiveCodes(q);
      return codes ? [sql`(${poll.id}::text, ${q.id}::text, ${codes}::text[])`] : [];
    }),
  );
  const positiveTable =
    positives.length > 0
      ? sql`values ${sql.join(positives)}`
      : sql`select null::text, null::text, null::text[]`;
  const measures = sql.join(counted.map((i) => sql`(${i.code}::text, ${i.measure}::text)`));
  const { rows } = await sql<FineCell>`
    with positive(poll, question, codes) as (${positiveTable}),
    measure(indicator, kind) as (values ${measures}),
    latest as (
      select distinct on (wave, a.indicator, a.respondent)
        ${waveKey} as wave, a.indicator,
        coalesce(a.area, ${UNKNOWN}) as area, coalesce(a.age_group, ${UNKNOWN}) as age_group,
        coalesce(a.answer_code = any(p.codes), false) as positive, a.answer_number
      from ${source} a
      join measure m on m.indicator = a.indicator
      left join positive p on p.poll = a.poll and p.question = a.question
      where a.answer_code is not null and a.answer_code <> all(${NOT_VALID_CODES}::text[])
        and ((m.kind = 'share_positive' and p.codes is not null)
          or (m.kind = 'mean' and a.answer_number is not null))
      order by wave, a.indicator, a.respondent, a.answered_on desc, a.id desc
    )
    select wave, indicator, area, age_group, count(*)::int as n,
      (count(*) filter (where positive))::int as positives,
      coalesce(sum(answer_number), 0)::float8 as sum,
      coalesce(sum(answer_number * answer_number), 0)::float8 as sum_squares
    from latest group by 1, 2, 3, 4`.execute(db);
  return rows;
}

async function waveInfo(db: Kysely<Database>, source: RawBuilder<unknown>): Promise<WaveInfo[]> {
  const { rows } = await sql<WaveInfo>`
    select ${waveKey} as wave, to_char(min(answered_on), 'YYYY-MM-DD') as start,
      string_agg(distinct poll, ',' order by poll) as polls
    from ${source} a group by 1`.execute(db);
  return rows;
}

const AREA_ORDER: readonly string[] = [TOTAL, ...AREAS, UNKNOWN];
const AGE_ORDER: readonly string[] = [TOTAL, ...STORED_AGE_GROUPS, UNKNOWN];
const rank = (order: readonly string[], v: string) => (order.includes(v) ? order.indexOf(v) : order.length);

interface Sums {
  level: Level;
  area: string;
  age_group: string;
  n: number;
  positives: number;
  sum: number;
  sum_squares: number;
}

/** What one respondent adds to a cell's value: a positive answer (0 or 1), or a mark (1 to 10). */
export const VALUE_RANGES: Record<'share_positive' | 'mean', ValueRange> = {
  share_positive: { low: 0, high: 1 },
  mean: { low: 1, high: 10 },
};

/** Units published figures are rounded to: shares to a whole percent, means (marks) to one decimal. */
const VALUE_UNITS = { share_positive: 100, mean: 10 } as const;

/**
 * Builds the published cells from the finest sums: totals over areas and age groups are sums of
 * the finest cells (each respondent is in exactly one), then cells are hidden so that nothing
 * hidden can be worked out (see {@link suppressTable}), and the figures of shown cells rounded:
 * n to a multiple of 5, shares to a whole percent, means to one decimal, intervals computed from
 * the rounded figures only. Pure, so the rules can be tested (and attacked) without a database.
 */
export function buildAggregates(
  fine: readonly FineCell[],
  waves: readonly WaveInfo[],
  options: { minCell: number; indicators: readonly Indicator[] },
): AggregateCell[] {
  const waveOf = new Map(waves.map((w) => [w.wave, w]));
  const groups = new Map<string, FineCell[]>();
  for (const cell of fine) {
    const key = `${cell.wave}\u0000${cell.indicator}`;
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  const out: AggregateCell[] = [];
  for (const indicator of options.indicators) {
    if (indicator.measure !== 'share_positive' && indicator.measure !== 'mean') continue;
    const measure = indicator.measure;
    const mine = [...groups.values()]
      .filter((g) => g[0]!.indicator === indicator.code)
      .sort((a, b) => {
        const wa = waveOf.get(a[0]!.wave)?.start ?? '';
        const wb = waveOf.get(b[0]!.wave)?.start ?? '';
        return wa.localeCompare(wb) || a[0]!.wave.localeCompare(b[0]!.wave);
      });
    for (const group of mine) {
      const wave = group[0]!.wave;
      const info = waveOf.get(wave);
      for (const { sums, hidden } of suppressGroup(group, measure, options.minCell)) {
        const published = hidden ? null : publish(sums, measure);
        const withBaseline = sums.level === 'area' || sums.level === 'total';
        const baseline = sums.level === 'area' ? baselineFor(indicator, sums.area) : null;
        const target = withBaseline ? targetFor(indicator, baseline) : null;
        out.push({
          indicator: indicator.code,
          measure,
          wave,
          wave_start: info?.start ?? '',
          polls: info?.polls ?? '',
          level: sums.level,
          area: sums.area,
          age_group: sums.age_group,
          n: published?.n ?? null,
          value: published?.value ?? null,
          ci_low: published?.low ?? null,
          ci_high: published?.high ?? null,
          suppressed: hidden,
          reason: hidden ? HIDDEN : null,
          baseline,
          baseline_year: baseline === null ? null : (indicator.baseline?.year ?? null),
          target: target?.value ?? null,
          target_year: target?.year ?? null,
          target_note: target?.note ?? null,
        });
      }
    }
  }
  return out;
}

/**
 * The rounded figures of a shown cell. The interval comes from the rounded n and value (and, for a
 * mean, the standard deviation rounded to one decimal), so it tells nothing the rounded figures do not.
 */
function publish(sums: Sums, measure: 'share_positive' | 'mean') {
  const unit = VALUE_UNITS[measure];
  const n = roundN(sums.n);
  const numerator = measure === 'mean' ? sums.sum : sums.positives;
  const value = roundRatio(numerator, sums.n, unit);
  const round = (x: number | null) => (x === null ? null : Math.round(x * unit) / unit);
  // The smallest n the rounding allows: the interval errs on the wide side.
  const fewest = n - Math.floor(N_ROUNDING / 2);
  if (measure === 'share_positive') {
    const interval = wilsonInterval(value * fewest, fewest);
    return { n, value, low: round(interval.low), high: round(interval.high) };
  }
  const variance =
    sums.n > 1 ? Math.max(0, (sums.sum_squares - (sums.sum * sums.sum) / sums.n) / (sums.n - 1)) : 0;
  const sd = Math.round(Math.sqrt(variance) * 10) / 10;
  const interval = meanInterval(fewest, value * fewest, (fewest - 1) * sd * sd + value * value * fewest);
  return { n, value, low: round(interval.low), high: round(interval.high) };
}

/** All cells of one wave × indicator, and whether each is hidden. */
function suppressGroup(group: readonly FineCell[], measure: 'share_positive' | 'mean', minCell: number) {
  const cells = new Map<string, Sums>();
  const keyOf = (level: Level, area: string, age: string) => `${level}|${area}|${age}`;
  const add = (level: Level, area: string, age: string, c: FineCell) => {
    const key = keyOf(level, area, age);
    const s = cells.get(key) ?? { level, area, age_group: age, n: 0, positives: 0, sum: 0, sum_squares: 0 };
    s.n += c.n;
    s.positives += c.positives;
    s.sum += c.sum;
    s.sum_squares += c.sum_squares;
    cells.set(key, s);
  };
  for (const c of group) {
    add('total', TOTAL, TOTAL, c);
    add('area', c.area, TOTAL, c);
    add('age_group', TOTAL, c.age_group, c);
    add('area_age_group', c.area, c.age_group, c);
  }
  const byOrder = (order: readonly string[]) => (a: string, b: string) =>
    rank(order, a) - rank(order, b) || a.localeCompare(b);
  const areas = [...new Set(group.map((c) => c.area))].sort(byOrder(AREA_ORDER));
  const ages = [...new Set(group.map((c) => c.age_group))].sort(byOrder(AGE_ORDER));
  const interior = areas.map((area) =>
    ages.map((age) => {
      const s = cells.get(keyOf('area_age_group', area, age));
      return { n: s?.n ?? 0, value: measure === 'mean' ? (s?.sum ?? 0) : (s?.positives ?? 0) };
    }),
  );
  const table = suppressTable(interior, { minCell, ...VALUE_RANGES[measure] });
  // Row and column `areas.length` / `ages.length` of the table are the totals.
  const hiddenAt = (s: Sums) => {
    const r = s.area === TOTAL ? areas.length : areas.indexOf(s.area);
    const c = s.age_group === TOTAL ? ages.length : ages.indexOf(s.age_group);
    return table[r]![c]!;
  };
  return [...cells.values()]
    .map((sums) => ({ sums, hidden: hiddenAt(sums) }))
    .sort(
      (a, b) =>
        LEVELS.indexOf(a.sums.level) - LEVELS.indexOf(b.sums.level) ||
        rank(AREA_ORDER, a.sums.area) - rank(AREA_ORDER, b.sums.area) ||
        a.sums.area.localeCompare(b.sums.area) ||
        rank(AGE_ORDER, a.sums.age_group) - rank(AGE_ORDER, b.sums.age_group) ||
        a.sums.age_group.localeCompare(b.sums.age_group),
    );
}

/** The aggregates as CSV, one row per cell (suppressed cells with empty figures and the reason). */
export function aggregatesCsv(
  aggregates: Aggregates,
  options: { delimiter?: Delimiter; bom?: boolean } = {},
): string {
  const d = options.delimiter ?? ',';
  let out = (options.bom ? BOM : '') + csvLine(AGGREGATE_COLUMNS, d);
  for (const cell of aggregates.cells)
    out += csvLine(
      AGGREGATE_COLUMNS.map((c) => cell[c]),
      d,
    );
  return out;
}
