import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, ensureDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database, NewAnswer } from '../../src/db/schema.js';
import { type AggregateCell, computeAggregates } from '../../src/export/aggregates.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

const W1 = '0b8f2c4e-1a2b-4c3d-8e4f-5a6b7c8d9e0f';
const W2 = '1c9a3d5f-2b3c-4d4e-9f5a-6b7c8d9e0f1a';

let setup: TestSetup;
let db: Kysely<Database>;
const seeded: (NewAnswer & { seq: number })[] = [];

/** A deterministic stream of numbers, so the data set is the same every run. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function answer(a: Partial<NewAnswer> & Pick<NewAnswer, 'respondent' | 'poll' | 'question'>) {
  seeded.push({
    wave_id: null,
    wave_key: a.wave_id ?? '',
    indicator: null,
    answer_code: null,
    answer_number: null,
    text: null,
    area: null,
    age_group: null,
    language: 'nl',
    channel: 'telegram',
    answered_on: '2026-03-02',
    ...a,
    seq: seeded.length,
  });
}

function scale(
  respondent: string,
  wave: string | null,
  poll: string,
  question: string,
  indicator: string,
  rest: Partial<NewAnswer>,
) {
  answer({ respondent, wave_id: wave, wave_key: wave ?? '', poll, question, indicator, ...rest });
}

/**
 * The data set. Wave 1 (thuis): Nazareth 30, Pottenberg 9 (a cell of 9), Elders 12, plus answers
 * that do not count. Wave 2 (cijfer, a mean): Nazareth 12, Pottenberg 20. Onboarding in March
 * (veerkracht-kort, some residents also answered the thuis poll later: the latest answer counts) and
 * three answers in April (all hidden).
 */
function buildDataSet() {
  const r = random(42);
  const code = (p: number) => String(1 + (Math.floor(r() * 5 * p) % 5));
  let id = 0;
  const next = (prefix: string) => `${prefix}-${++id}`;
  const w1 = (area: string, age: string, count: number) => {
    for (let i = 0; i < count; i++)
      scale(next('w1'), W1, 'thuis', 'thuis', 'thuis_in_buurt', {
        area,
        age_group: age,
        answer_code: code(1),
        answered_on: `2026-02-0${1 + (i % 7)}`,
      });
  };
  w1('nazareth', '18-26', 12);
  w1('nazareth', '41-65', 18);
  w1('pottenberg', '41-65', 9);
  w1('elders', '65plus', 12);
  for (const c of ['weet_niet', 'weet_niet', 'weet_niet', 'overgeslagen', 'invalid'])
    scale(next('w1'), W1, 'thuis', 'thuis', 'thuis_in_buurt', {
      area: 'pottenberg',
      age_group: '41-65',
      answer_code: c,
    });
  // An explanation without an indicator, and an indicator the programme does not know: neither counts.
  answer({
    respondent: 'w1-1',
    wave_id: W1,
    wave_key: W1,
    poll: 'thuis',
    question: 'thuis_uitleg',
    text: 'Fijn hier',
  });
  scale('w1-2', W1, 'thuis', 'extra', 'onbekende_indicator', { area: 'nazareth', answer_code: '5' });

  for (let i = 0; i < 32; i++) {
    const mark = 1 + Math.floor(r() * 10);
    scale(next('w2'), W2, 'cijfer', 'cijfer', 'rapportcijfer_buurt', {
      area: i < 12 ? 'nazareth' : 'pottenberg',
      age_group: '27-40',
      answer_code: String(mark),
      answer_number: mark,
      answered_on: '2026-02-20',
    });
  }
  scale(next('w2'), W2, 'cijfer', 'cijfer', 'rapportcijfer_buurt', {
    area: 'nazareth',
    answer_code: 'weet_niet',
  });

  const ages = ['18-26', '27-40', '41-65', '65plus', null];
  for (let i = 0; i < 60; i++) {
    const who = next('ob');
    const area = i % 3 === 0 ? 'pottenberg' : i % 7 === 0 ? null : 'nazareth';
    const age_group = ages[i % 5]!;
    const day = `2026-03-${String(1 + (i % 28)).padStart(2, '0')}`;
    const base = { area, age_group, answered_on: day };
    scale(who, null, 'veerkracht-kort', 'thuis', 'thuis_in_buurt', { ...base, answer_code: code(1) });
    scale(who, null, 'veerkracht-kort', 'hulp', 'toegang_hulp', {
      ...base,
      answer_code: i % 6 === 0 ? 'weet_niet' : code(1),
    });
    scale(who, null, 'veerkracht-kort', 'vertrouwen', 'vertrouwen_instituties', {
      ...base,
      answer_code: code(1),
    });
    answer({ respondent: who, poll: 'veerkracht-kort', question: 'beter', text: 'Meer groen', ...base });
    if (i % 4 === 0) {
      // Answered the thuis poll later in the month as well (no wave): this later answer counts.
      scale(who, null, 'thuis', 'thuis', 'thuis_in_buurt', {
        ...base,
        answered_on: '2026-03-29',
        answer_code: '5',
      });
    }
  }
  for (let i = 0; i < 3; i++)
    scale(next('ob'), null, 'veerkracht-kort', 'thuis', 'thuis_in_buurt', {
      area: 'nazareth',
      age_group: '18-26',
      answer_code: '4',
      answered_on: '2026-04-02',
    });
}

beforeAll(async () => {
  setup = testSetup();
  await ensureDatabase(setup.env.DATABASE_URL);
  db = createDb(setup.env.DATABASE_URL, 2);
  await migrateToLatest(db as Kysely<unknown>);
  buildDataSet();
  // Inserted in seq order, so ids follow seq and "latest" is the same in the database and here.
  await db
    .insertInto('answers')
    .values(seeded.map(({ seq: _, ...row }) => row))
    .execute();
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await setup?.cleanup();
});

// ---- The independent computation: plain loops over the seeded rows, textbook formulas. ----

const SHARE = ['thuis_in_buurt', 'toegang_hulp', 'vertrouwen_instituties'];
const MEAN = ['rapportcijfer_buurt'];
const Z = 1.959963984540054;
// Student t, 0.975 quantile, from a printed table.
const T975: Record<number, number> = { 11: 2.200985, 19: 2.093024, 31: 2.039513 };

interface Expected {
  n: number;
  value: number;
  low: number | null;
  high: number | null;
}

function expectedCells(): Map<string, Expected> {
  const latest = new Map<string, (typeof seeded)[number]>();
  for (const a of seeded) {
    if (!a.indicator || ![...SHARE, ...MEAN].includes(a.indicator)) continue;
    if (!a.answer_code || ['weet_niet', 'overgeslagen', 'invalid'].includes(a.answer_code)) continue;
    if (MEAN.includes(a.indicator) && a.answer_number == null) continue;
    const wave = a.wave_id ?? `onboarding-${String(a.answered_on).slice(0, 7)}`;
    const key = `${wave}|${a.indicator}|${a.respondent}`;
    const before = latest.get(key);
    if (!before || String(before.answered_on) < String(a.answered_on) || before.answered_on === a.answered_on)
      latest.set(key, a);
  }
  const groups = new Map<string, { positive: boolean; number: number }[]>();
  for (const [key, a] of latest) {
    const [wave, indicator] = key.split('|');
    const area = a.area ?? 'onbekend';
    const age = a.age_group ?? 'onbekend';
    const value = {
      positive: a.answer_code === '4' || a.answer_code === '5',
      number: Number(a.answer_number),
    };
    for (const [level, ar, ag] of [
      ['total', 'totaal', 'totaal'],
      ['area', area, 'totaal'],
      ['age_group', 'totaal', age],
      ['area_age_group', area, age],
    ]) {
      const k = `${indicator}|${wave}|${level}|${ar}|${ag}`;
      groups.set(k, [...(groups.get(k) ?? []), value]);
    }
  }
  const out = new Map<string, Expected>();
  for (const [key, values] of groups) {
    const n = values.length;
    if (MEAN.includes(key.split('|')[0]!)) {
      const mean = values.reduce((s, v) => s + v.number, 0) / n;
      const sd = Math.sqrt(values.reduce((s, v) => s + (v.number - mean) ** 2, 0) / (n - 1));
      const t = T975[n - 1];
      out.set(key, {
        n,
        value: mean,
        low: t ? mean - (t * sd) / Math.sqrt(n) : null,
        high: t ? mean + (t * sd) / Math.sqrt(n) : null,
      });
    } else {
      const p = values.filter((v) => v.positive).length / n;
      const centre = p + (Z * Z) / (2 * n);
      const spread = Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n));
      const denominator = 1 + (Z * Z) / n;
      out.set(key, {
        n,
        value: p,
        low: (centre - spread) / denominator,
        high: (centre + spread) / denominator,
      });
    }
  }
  return out;
}

const keyOf = (c: AggregateCell) => `${c.indicator}|${c.wave}|${c.level}|${c.area}|${c.age_group}`;

describe('the aggregates', () => {
  let cells: AggregateCell[];
  const find = (indicator: string, wave: string, level: string, area: string, age = 'totaal') =>
    cells.find(
      (c) =>
        c.indicator === indicator &&
        c.wave === wave &&
        c.level === level &&
        c.area === area &&
        c.age_group === age,
    )!;

  beforeAll(async () => {
    cells = (await computeAggregates(db, {}, { minCell: 10 })).cells;
  });

  it('have one cell per wave, indicator, area and age group that the data holds, and no other', () => {
    const expected = expectedCells();
    expect(new Set(cells.map(keyOf))).toEqual(new Set(expected.keys()));
    expect(cells.some((c) => c.indicator === 'onbekende_indicator')).toBe(false);
  });

  it('equal an independent computation, rounded: n to 5, shares to a whole percent, means to one decimal', () => {
    const expected = expectedCells();
    let shown = 0;
    for (const cell of cells) {
      const e = expected.get(keyOf(cell))!;
      if (cell.suppressed) {
        expect([cell.n, cell.value, cell.ci_low, cell.ci_high], keyOf(cell)).toEqual([
          null,
          null,
          null,
          null,
        ]);
        continue;
      }
      shown += 1;
      const mean = cell.measure === 'mean';
      const unit = mean ? 10 : 100;
      expect(cell.n! % 5, keyOf(cell)).toBe(0);
      expect(Math.abs(cell.n! - e.n), keyOf(cell)).toBeLessThanOrEqual(2);
      expect(Number.isInteger(Math.round(cell.value! * unit * 1e9) / 1e9), keyOf(cell)).toBe(true);
      expect(Math.abs(cell.value! - e.value), keyOf(cell)).toBeLessThanOrEqual(0.5 / unit + 1e-12);
      if (e.low === null) continue;
      // The interval comes from the rounded figures with the smallest n they allow: it covers the
      // exact one (give or take the rounding of the value and the ends) and is not much wider.
      const slack = mean ? 0.15 : 0.011;
      expect(cell.ci_low!, keyOf(cell)).toBeLessThanOrEqual(e.low + slack);
      expect(cell.ci_high!, keyOf(cell)).toBeGreaterThanOrEqual(e.high! - slack);
      expect(cell.ci_high! - cell.ci_low!, keyOf(cell)).toBeLessThan((e.high! - e.low) * 1.5 + 2 * slack);
      for (const end of [cell.ci_low!, cell.ci_high!])
        expect(Number.isInteger(Math.round(end * unit * 1e9) / 1e9), keyOf(cell)).toBe(true);
    }
    expect(shown).toBeGreaterThan(20);
  });

  it('hide every cell with fewer than 10 respondents, and no published total gives a hidden cell or group away', () => {
    const expected = expectedCells();
    for (const cell of cells) {
      const n = expected.get(keyOf(cell))!.n;
      if (n < 10) expect(cell.suppressed, keyOf(cell)).toBe(true);
      // One reason for every hidden cell: it does not tell the small ones from the others.
      expect(cell.reason, keyOf(cell)).toBe(cell.suppressed ? 'verborgen' : null);
    }
    // Every sum the aggregates publish: a total over areas, over age groups, and within each.
    const groups = new Map<string, AggregateCell[]>();
    const add = (key: string, cell: AggregateCell) => groups.set(key, [...(groups.get(key) ?? []), cell]);
    for (const c of cells) {
      const g = `${c.indicator}|${c.wave}`;
      if (c.level === 'area') add(`${g}|areas`, c);
      if (c.level === 'age_group') add(`${g}|ages`, c);
      if (c.level === 'area_age_group') {
        add(`${g}|area ${c.area}`, c);
        add(`${g}|age ${c.age_group}`, c);
      }
    }
    for (const [key, members] of groups) {
      const [indicator, wave, kind] = key.split('|');
      const parent =
        kind === 'areas' || kind === 'ages'
          ? find(indicator!, wave!, 'total', 'totaal')
          : kind!.startsWith('area ')
            ? find(indicator!, wave!, 'area', kind!.slice(5))
            : find(indicator!, wave!, 'age_group', 'totaal', kind!.slice(4));
      const hidden = [parent, ...members].filter((c) => c.suppressed).length;
      expect(hidden === 0 || hidden >= 2, `${key}: ${hidden} hidden`).toBe(true);
      if (parent.suppressed) continue;
      // What subtraction gives of a shown sum: its hidden members together, at least 10 and not all alike.
      const group = members.filter((c) => c.suppressed).map((c) => expected.get(keyOf(c))!);
      if (group.length === 0) continue;
      const n = group.reduce((sum, e) => sum + e.n, 0);
      expect(n, key).toBeGreaterThanOrEqual(10);
      if (parent.measure === 'share_positive') {
        const positive = group.reduce((sum, e) => sum + e.value * e.n, 0);
        expect(Math.round(positive) > 0 && Math.round(positive) < n, key).toBe(true);
      }
    }
  });

  it('hide a rectangle around a cell of 9: the cheapest other corners, so no total gives it away', () => {
    const total = find('thuis_in_buurt', W1, 'total', 'totaal');
    const nazareth = find('thuis_in_buurt', W1, 'area', 'nazareth');
    const pottenberg = find('thuis_in_buurt', W1, 'area', 'pottenberg');
    const elders = find('thuis_in_buurt', W1, 'area', 'elders');
    // Pottenberg 41-65 (9) with Pottenberg, Nazareth 41-65 (18) and Nazareth (30): 57 people hidden,
    // fewer than with the 41-65 total (27) and the grand total (51).
    expect(total).toMatchObject({ suppressed: false, n: 50 });
    expect(pottenberg).toMatchObject({ suppressed: true, n: null, value: null, reason: 'verborgen' });
    expect(nazareth).toMatchObject({ suppressed: true, n: null, value: null, reason: 'verborgen' });
    expect(elders).toMatchObject({ suppressed: false, n: 10 });
    const within = cells.filter(
      (c) =>
        c.wave === W1 && c.indicator === 'thuis_in_buurt' && c.level === 'area_age_group' && c.suppressed,
    );
    expect(within.map((c) => `${c.area} ${c.age_group}`).sort()).toEqual([
      'nazareth 41-65',
      'pottenberg 41-65',
    ]);
  });

  it('count a respondent once per wave, with the latest answer, and leave weet_niet and skipped answers out', () => {
    const march = find('thuis_in_buurt', 'onboarding-2026-03', 'total', 'totaal');
    expect(march.n).toBe(60);
    const hulp = find('toegang_hulp', 'onboarding-2026-03', 'total', 'totaal');
    expect(hulp.n).toBe(50);
    expect(find('thuis_in_buurt', 'onboarding-2026-04', 'total', 'totaal')).toMatchObject({
      suppressed: true,
      reason: 'verborgen',
    });
    expect(march.polls).toBe('thuis,veerkracht-kort');
    expect(march.wave_start).toBe('2026-03-01');
  });

  it('carry the baseline and the 2030 target from indicators.json, or say why there is none', () => {
    expect(find('thuis_in_buurt', W1, 'area', 'nazareth')).toMatchObject({
      baseline: 0.72,
      baseline_year: 2022,
      target: 0.8,
      target_year: 2030,
      target_note: null,
    });
    expect(find('thuis_in_buurt', W1, 'total', 'totaal')).toMatchObject({ baseline: null, target: 0.8 });
    expect(find('toegang_hulp', 'onboarding-2026-03', 'area', 'nazareth')).toMatchObject({
      baseline: null,
      target: null,
      target_note: 'baseline pending',
    });
    expect(find('rapportcijfer_buurt', W2, 'area', 'pottenberg')).toMatchObject({
      measure: 'mean',
      baseline: 6.2,
      target: null,
      target_note: 'no 2030 target',
    });
    expect(find('thuis_in_buurt', W1, 'area_age_group', 'nazareth', '18-26')).toMatchObject({
      baseline: null,
      target: null,
    });
  });

  it('use a smaller minimum when configured, but never below 5', async () => {
    const five = (await computeAggregates(db, {}, { minCell: 5 })).cells;
    const pottenberg = five.find(
      (c) =>
        c.wave === W1 && c.indicator === 'thuis_in_buurt' && c.level === 'area' && c.area === 'pottenberg',
    )!;
    expect(pottenberg).toMatchObject({ suppressed: false, n: 10 });
    const three = await computeAggregates(db, {}, { minCell: 3 });
    const april = three.cells.find((c) => c.wave === 'onboarding-2026-04' && c.level === 'total')!;
    expect(april).toMatchObject({ suppressed: true, reason: 'verborgen' });
  });

  it('follow the filters: one wave, one area, a date range', async () => {
    const wave = await computeAggregates(db, { wave: W2 }, { minCell: 10 });
    expect(new Set(wave.cells.map((c) => c.wave))).toEqual(new Set([W2]));
    const area = await computeAggregates(db, { area: 'nazareth', wave: W1 }, { minCell: 10 });
    expect(area.cells.find((c) => c.level === 'total')).toMatchObject({ n: 30 });
    const range = await computeAggregates(db, { from: '2026-03-01', to: '2026-03-31' }, { minCell: 10 });
    expect(new Set(range.cells.map((c) => c.wave))).toEqual(new Set(['onboarding-2026-03']));
    const march = range.cells.find((c) => c.indicator === 'thuis_in_buurt' && c.level === 'total')!;
    expect(march.n).toBe(60);
  });
});
