import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.js';
import { buildAggregates, type FineCell } from '../../src/export/aggregates.js';
import { type Indicator, loadIndicators, targetFor } from '../../src/export/indicators.js';
import { suppressCells } from '../../src/export/suppression.js';

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
  const areas = (counts: Record<string, number>) => {
    const map = new Map(Object.entries(counts));
    const children = Object.keys(counts).filter((k) => k !== 'total');
    return suppressCells(map, [{ parent: 'total', children }], 10);
  };

  it('hides a cell of 9 with the reason', () => {
    expect(areas({ total: 49, a: 40, b: 9 }).get('b')).toBe('n < 10');
  });

  it('hides the next-smallest cell when the total minus the visible cells would reveal the hidden one', () => {
    const hidden = areas({ total: 81, a: 40, b: 9, c: 12, d: 20 });
    expect(hidden).toEqual(
      new Map([
        ['b', 'n < 10'],
        ['c', 'secondary suppression'],
      ]),
    );
  });

  it('needs no second cell when two are already hidden, or when the total is hidden', () => {
    expect(areas({ total: 48, a: 40, b: 4, c: 4 })).toEqual(
      new Map([
        ['b', 'n < 10'],
        ['c', 'n < 10'],
      ]),
    );
    expect(areas({ total: 8, a: 5, b: 3 }).size).toBe(3);
  });

  it('hides a child when its parent is hidden but the children would add up to it', () => {
    const counts = new Map([
      ['total', 100],
      ['a', 50],
      ['b', 9],
      ['c', 41],
      ['c1', 30],
      ['c2', 11],
    ]);
    const hidden = suppressCells(
      counts,
      [
        { parent: 'total', children: ['a', 'b', 'c'] },
        { parent: 'c', children: ['c1', 'c2'] },
      ],
      10,
    );
    // c goes with b; then c1 + c2 would give c back (and total - a - c gives b), so the smaller goes too.
    expect(hidden).toEqual(
      new Map([
        ['b', 'n < 10'],
        ['c', 'secondary suppression'],
        ['c2', 'secondary suppression'],
      ]),
    );
  });

  it('never uses a minimum below 5', () => {
    const hidden = suppressCells(new Map([['x', 4]]), [], 2);
    expect(hidden.get('x')).toBe('n < 5');
  });

  it('ignores empty cells: a zero is no secret', () => {
    expect(areas({ total: 40, a: 40, b: 0 }).size).toBe(0);
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
    expect(cell(cells, 'total', 'totaal')).toMatchObject({ n: 75, value: 44 / 75, suppressed: false });
    expect(cell(cells, 'area', 'nazareth')).toMatchObject({ n: 45, value: 20 / 45 });
    expect(cell(cells, 'age_group', 'totaal', '41-65')).toMatchObject({ n: 55, value: 29 / 55 });
    expect(cell(cells, 'area_age_group', 'pottenberg', '41-65')).toMatchObject({ n: 30, value: 0.8 });
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

  it('hide the smallest other area when one area is hidden and the total is shown', () => {
    const cells = buildAggregates(
      [fine('nazareth', '41-65', 40), fine('pottenberg', '41-65', 9), fine('elders', '41-65', 12)],
      WAVES,
      { minCell: 10, indicators },
    );
    expect(cell(cells, 'total', 'totaal')).toMatchObject({ suppressed: false, n: 61 });
    expect(cell(cells, 'area', 'pottenberg')).toMatchObject({ suppressed: true, reason: 'n < 10', n: null });
    expect(cell(cells, 'area', 'elders')).toMatchObject({
      suppressed: true,
      reason: 'secondary suppression',
      value: null,
      ci_low: null,
    });
    expect(cell(cells, 'area', 'nazareth')).toMatchObject({ suppressed: false, n: 40 });
  });

  it('hide one age group within an area when exactly one other is hidden', () => {
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
    expect(cell(cells, 'area_age_group', 'nazareth', '18-26').reason).toBe('n < 10');
    expect(cell(cells, 'area_age_group', 'nazareth', '27-40').reason).toBe('secondary suppression');
    expect(cell(cells, 'area', 'nazareth').suppressed).toBe(false);
    // The 18-26 total over areas would reveal Nazareth 18-26 through Pottenberg 18-26: hidden too.
    expect(cell(cells, 'area_age_group', 'pottenberg', '18-26').reason).toBe('secondary suppression');
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
    const sd = Math.sqrt((500 - 4900 / 10) / 9);
    expect(pottenberg.ci_low).toBeCloseTo(7 - (2.262157 * sd) / Math.sqrt(10), 5);
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
