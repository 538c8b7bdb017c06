import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.js';
import { buildAggregates, type FineCell } from '../../src/export/aggregates.js';
import { type Indicator, loadIndicators, targetFor } from '../../src/export/indicators.js';
import { roundN, roundRatio, suppressTable } from '../../src/export/suppression.js';
import { wilsonInterval } from '../../src/export/wilson.js';

const indicators = loadIndicators().indicators;
const indicator = (code: string) => indicators.find((i) => i.code === code)!;

const fine = (area: string, age: string, n: number, positives = Math.floor(n / 2)): FineCell => ({
  wave: 'w1',
  indicator: 'thuis_in_buurt',
  area,
  age_group: age,
  n,
  positives,
  sum: 0,
  sum_squares: 0,
});
const WAVES = [{ wave: 'w1', start: '2026-02-01', polls: 'thuis' }];
const cell = (cells: ReturnType<typeof buildAggregates>, level: string, area: string, age = 'totaal') =>
  cells.find((c) => c.level === level && c.area === area && c.age_group === age)!;

describe('suppression', () => {
  const table = (rows: [number, number][][], minCell = 10) =>
    suppressTable(
      rows.map((r) => r.map(([n, value]) => ({ n, value }))),
      { minCell, low: 0, high: 1 },
    );
  /** Every hidden cell shares its row and its column (totals included) with another hidden cell. */
  const inRectangles = (hidden: boolean[][]) =>
    hidden.every((row, r) =>
      row.every(
        (h, c) =>
          !h ||
          (row.filter((x, c2) => x && c2 !== c).length > 0 &&
            hidden.filter((other, r2) => other[c] && r2 !== r).length > 0),
      ),
    );

  it('hides a cell of 9 with a rectangle of other cells, so no row or column sum gives it away', () => {
    // Three areas × two age groups; Pottenberg 18-26 has 9 respondents.
    const hidden = table([
      [
        [40, 20],
        [30, 10],
      ],
      [
        [9, 4],
        [20, 10],
      ],
      [
        [12, 6],
        [30, 15],
      ],
    ]);
    expect(hidden[1]![0]).toBe(true);
    expect(inRectangles(hidden)).toBe(true);
    // The total is shown: hiding it would cost the most.
    expect(hidden[3]![2]).toBe(false);
    expect(hidden.flat().filter(Boolean)).toHaveLength(4);
  });

  it('hides more when the hidden members of a sum would be fewer than the minimum or all answered alike', () => {
    // Nazareth 33 people, 3 positive: 18-26 and 65+ one positive person each, 41-65 31 with 1 positive.
    const hidden = table([
      [
        [1, 1],
        [31, 1],
        [1, 1],
      ],
      [
        [24, 12],
        [40, 22],
        [30, 9],
      ],
    ]);
    expect(hidden[0]!.slice(0, 3)).toEqual([true, true, true]);
    expect(inRectangles(hidden)).toBe(true);
  });

  it('hides the whole table when everyone in it answered alike and it is too small to hide in', () => {
    expect(
      table([
        [
          [3, 3],
          [2, 2],
        ],
      ]).flat(),
    ).toEqual([true, true, true, true, true, true]);
  });

  it('never uses a minimum below 5', () => {
    expect(table([[[4, 2]]], 2).flat()).toEqual([true, true, true, true]);
    expect(table([[[5, 2]]], 2).flat()).toEqual([false, false, false, false]);
  });

  it('ignores empty cells: a zero is no secret, and hides nothing when every cell is large enough', () => {
    const hidden = table([
      [
        [20, 15],
        [25, 5],
      ],
      [
        [0, 0],
        [30, 24],
      ],
    ]);
    expect(hidden.flat().some(Boolean)).toBe(false);
  });
});

describe('published figures', () => {
  it('round n to a multiple of 5, halves up, and ratios half up in whole units', () => {
    expect([1, 2, 3, 12, 13, 37, 38].map(roundN)).toEqual([0, 0, 5, 10, 15, 35, 40]);
    expect(roundRatio(1, 8, 100)).toBe(0.13);
    expect(roundRatio(1, 200, 100)).toBe(0.01);
    expect(roundRatio(67, 10, 10)).toBe(6.7);
    expect(roundRatio(2, 3, 100)).toBe(0.67);
  });
});

describe('aggregate cells', () => {
  it('are built per area, per age group and within each area, with totals over all of them', () => {
    const cells = buildAggregates(
      [
        fine('nazareth', '18-26', 20, 15),
        fine('nazareth', '41-65', 25, 5),
        fine('pottenberg', '41-65', 30, 24),
      ],
      WAVES,
      { minCell: 10, indicators },
    );
    // Shares to a whole percent (44/75 = 58.7%), n to a multiple of 5.
    expect(cell(cells, 'total', 'totaal')).toMatchObject({ n: 75, value: 0.59, suppressed: false });
    expect(cell(cells, 'area', 'nazareth')).toMatchObject({ n: 45, value: 0.44 });
    expect(cell(cells, 'age_group', 'totaal', '41-65')).toMatchObject({ n: 55, value: 0.53 });
    expect(cell(cells, 'area_age_group', 'pottenberg', '41-65')).toMatchObject({ n: 30, value: 0.8 });
    // The interval comes from the rounded figures, with the smallest n they allow (75 - 2), in whole percents.
    const wilson = wilsonInterval(0.59 * 73, 73);
    expect(cell(cells, 'total', 'totaal')).toMatchObject({
      ci_low: Math.round(wilson.low! * 100) / 100,
      ci_high: Math.round(wilson.high! * 100) / 100,
    });
    expect(cells.map((c) => c.level)).toEqual([
      'total',
      'area',
      'area',
      'age_group',
      'age_group',
      'area_age_group',
      'area_age_group',
      'area_age_group',
    ]);
  });

  it('hide another area with a small one, so the total shows and gives neither away', () => {
    const cells = buildAggregates(
      [fine('nazareth', '41-65', 40), fine('pottenberg', '41-65', 9), fine('elders', '41-65', 12)],
      WAVES,
      { minCell: 10, indicators },
    );
    expect(cell(cells, 'total', 'totaal')).toMatchObject({ suppressed: false, n: 60 });
    expect(cell(cells, 'area', 'pottenberg')).toMatchObject({
      suppressed: true,
      reason: 'verborgen',
      n: null,
    });
    expect(cell(cells, 'area', 'elders')).toMatchObject({
      suppressed: true,
      reason: 'verborgen',
      value: null,
      ci_low: null,
    });
    expect(cell(cells, 'area', 'nazareth')).toMatchObject({ suppressed: false, n: 40 });
  });

  it('hide a rectangle around a small age group: another age group in its area, the same ones in another area', () => {
    const cells = buildAggregates(
      [
        fine('nazareth', '18-26', 8),
        fine('nazareth', '27-40', 15),
        fine('nazareth', '41-65', 30),
        fine('pottenberg', '18-26', 30),
        fine('pottenberg', '27-40', 30),
        fine('pottenberg', '41-65', 30),
      ],
      WAVES,
      { minCell: 10, indicators },
    );
    const hidden = cells.filter((c) => c.suppressed).map((c) => `${c.area} ${c.age_group}`);
    expect(hidden).toEqual(['nazareth 18-26', 'nazareth 27-40', 'pottenberg 18-26', 'pottenberg 27-40']);
    expect(new Set(cells.filter((c) => c.suppressed).map((c) => c.reason))).toEqual(new Set(['verborgen']));
    expect(cell(cells, 'area', 'nazareth')).toMatchObject({ suppressed: false, n: 55 });
  });

  it('carry means with a t interval for the mark', () => {
    const cells = buildAggregates(
      [
        {
          wave: 'w1',
          indicator: 'rapportcijfer_buurt',
          area: 'pottenberg',
          age_group: '27-40',
          n: 10,
          positives: 0,
          sum: 70,
          sum_squares: 500,
        },
      ],
      WAVES,
      { minCell: 10, indicators },
    );
    const pottenberg = cell(cells, 'area', 'pottenberg');
    expect(pottenberg).toMatchObject({
      measure: 'mean',
      value: 7,
      baseline: 6.2,
      target: null,
      target_note: 'no 2030 target',
    });
    // From the rounded figures: n 10 (so at least 8), mean 7.0, s = 1.054 rounded to 1.1; one decimal.
    const half = (2.364624 * 1.1) / Math.sqrt(8);
    expect(pottenberg.ci_low).toBe(Math.round((7 - half) * 10) / 10);
    expect(pottenberg.ci_high).toBe(Math.round((7 + half) * 10) / 10);
  });
});

describe('2030 targets', () => {
  it('are the value for an absolute share, baseline × 1.10 for a relative increase, pending without a baseline', () => {
    expect(targetFor(indicator('thuis_in_buurt'), 0.72)).toEqual({ value: 0.8, year: 2030, note: null });
    expect(targetFor(indicator('toegang_hulp'), null)).toEqual({
      value: null,
      year: 2030,
      note: 'baseline pending',
    });
    expect(targetFor(indicator('toegang_hulp'), 0.6).value).toBeCloseTo(0.66, 10);
    expect(targetFor(indicator('rapportcijfer_buurt'), 6.2)).toEqual({
      value: null,
      year: null,
      note: 'no 2030 target',
    });
  });

  it('come from a file that validates', () => {
    expect(indicators.map((i: Indicator) => i.code)).toContain('vertrouwen_instituties');
    expect(() => loadIndicators('/nonexistent/indicators.json')).toThrow(/cannot be read/);
  });
});

describe('SUPPRESSION_MIN_CELL', () => {
  it('defaults to 10 and refuses anything below 5', () => {
    expect(parseEnv({}).SUPPRESSION_MIN_CELL).toBe(10);
    expect(parseEnv({ SUPPRESSION_MIN_CELL: '5' }).SUPPRESSION_MIN_CELL).toBe(5);
    expect(() => parseEnv({ SUPPRESSION_MIN_CELL: '4' })).toThrow(
      /SUPPRESSION_MIN_CELL is invalid: expected at least 5/,
    );
  });
});
