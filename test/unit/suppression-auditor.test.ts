import { describe, expect, it } from 'vitest';
import { buildAggregates, type FineCell } from '../../src/export/aggregates.js';
import { loadIndicators } from '../../src/export/indicators.js';
import { attack, type Finding, stats } from '../helpers/aggregates-attacker.js';

const indicators = loadIndicators().indicators;
const K = 10;
const AREAS = ['nazareth', 'pottenberg', 'elders', 'geen', 'onbekend'];
const AGES = ['tot18', '18-26', '27-40', '41-65', '65plus', 'geen', 'onbekend'];
const WAVES = [{ wave: 'w', start: '2026-11-02', polls: 'thuis' }];

/** mulberry32: a small seeded generator, so every run audits the same tables. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, list: readonly T[], count: number) =>
  [...list]
    .map((x) => ({ x, k: r() }))
    .sort((a, b) => a.k - b.k)
    .slice(0, count)
    .map((e) => e.x);

/**
 * A random wave of one indicator: a few areas × age groups, many small cells (1–9), some middle and
 * some large ones, answers skewed to all-yes, all-no or anything in between.
 */
function randomTable(r: () => number, mean: boolean): FineCell[] {
  const areas = pick(r, AREAS, 1 + Math.floor(r() * 4));
  const ages = pick(r, AGES, 1 + Math.floor(r() * 5));
  const p = [0, 0.05, 0.5, 0.95, 1, r()][Math.floor(r() * 6)]!;
  const cells: FineCell[] = [];
  for (const area of areas)
    for (const age of ages) {
      if (r() < 0.2) continue;
      const u = r();
      const n =
        u < 0.45 ? 1 + Math.floor(r() * 9) : u < 0.85 ? 10 + Math.floor(r() * 30) : 40 + Math.floor(r() * 80);
      let positives = 0;
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < n; i++) {
        if (r() < p) positives += 1;
        const mark = mean ? Math.min(10, Math.max(1, Math.round(1 + 9 * p + (r() - 0.5) * 4))) : 0;
        sum += mark;
        squares += mark * mark;
      }
      cells.push({
        wave: 'w',
        indicator: mean ? 'rapportcijfer_buurt' : 'thuis_in_buurt',
        area,
        age_group: age,
        n,
        positives: mean ? 0 : positives,
        sum,
        sum_squares: squares,
      });
    }
  return cells;
}

/** The true n and value of every cell of a table (with its totals), keyed like the attacker's findings. */
function truth(fine: readonly FineCell[], mean: boolean) {
  const out = new Map<string, { n: number; value: number }>();
  for (const c of fine)
    for (const key of [
      `total|totaal|totaal`,
      `area|${c.area}|totaal`,
      `age_group|totaal|${c.age_group}`,
      `area_age_group|${c.area}|${c.age_group}`,
    ]) {
      const t = out.get(key) ?? { n: 0, value: 0 };
      t.n += c.n;
      t.value += mean ? c.sum : c.positives;
      out.set(key, t);
    }
  return out;
}

/** What the release must not let anyone prove, for one finding; empty when it holds. */
function leaks(f: Finding, real: { n: number; value: number } | undefined): string[] {
  const out: string[] = [];
  if (f.belowAllHigh < 1) out.push('provably all positive (all highest mark)');
  if (f.aboveAllLow < 1) out.push('provably all negative (all lowest mark)');
  if (f.what.startsWith('sum ')) {
    if (f.n.max < K) out.push(`hidden members provably fewer than ${K}`);
    return out;
  }
  if (f.value.max <= f.value.min) out.push(`value pinned to ${f.value.min}`);
  if (real && real.n < K && f.n.max <= f.n.min) out.push(`n pinned to ${f.n.min}`);
  return out;
}

describe('the suppression auditor', () => {
  it('finds, with an exact integer program over 300 random releases, no hidden cell pinned down and no hidden group that provably answered alike', async () => {
    const started = performance.now();
    const r = random(14);
    let hiddenCells = 0;
    let sums = 0;
    let narrowestValue = Infinity;
    let narrowestSmallN = Infinity;
    const problems: string[] = [];
    for (let t = 0; t < 300; t++) {
      const mean = r() < 0.2;
      const fine = randomTable(r, mean);
      const cells = buildAggregates(fine, WAVES, { minCell: K, indicators });
      const real = truth(fine, mean);
      for (const f of await attack(cells)) {
        const exact = real.get(f.what);
        if (f.what.startsWith('sum ')) sums += 1;
        else {
          hiddenCells += 1;
          // The attacker's program is right about the truth: the real figures are always feasible.
          expect(f.n.min <= exact!.n && exact!.n <= f.n.max, f.what).toBe(true);
          expect(f.value.min <= exact!.value && exact!.value <= f.value.max, f.what).toBe(true);
          narrowestValue = Math.min(narrowestValue, f.value.max - f.value.min);
          if (exact!.n < K) narrowestSmallN = Math.min(narrowestSmallN, f.n.max - f.n.min);
        }
        for (const leak of leaks(f, exact)) problems.push(`table ${t} ${f.what}: ${leak}`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `suppression auditor: 300 tables, ${hiddenCells} hidden cells and ${sums} hidden groups audited; ` +
        `narrowest value range ${narrowestValue}, narrowest n range of a cell under ${K}: ${narrowestSmallN}; ${seconds.toFixed(1)} s; ${stats.solves} optimisations (integer programs)`,
    );
    expect(problems).toEqual([]);
    expect(hiddenCells).toBeGreaterThan(1000);
    expect(narrowestValue).toBeGreaterThanOrEqual(1);
    expect(narrowestSmallN).toBeGreaterThanOrEqual(1);
  }, 300_000);
});

describe('the attack from the issue', () => {
  // Nazareth: 33 people, 3 positive; 41–65 shown as 31 with 1 positive; 18–26 and 65+ one person each.
  const fine: FineCell[] = [
    ['nazareth', '18-26', 1, 1],
    ['nazareth', '41-65', 31, 1],
    ['nazareth', '65plus', 1, 1],
    ['pottenberg', '18-26', 24, 12],
    ['pottenberg', '41-65', 40, 22],
    ['pottenberg', '65plus', 30, 9],
    ['elders', '18-26', 14, 7],
    ['elders', '41-65', 18, 8],
    ['elders', '65plus', 11, 4],
  ].map(([area, age_group, n, positives]) => ({
    wave: 'w',
    indicator: 'thuis_in_buurt',
    area: area as string,
    age_group: age_group as string,
    n: n as number,
    positives: positives as number,
    sum: 0,
    sum_squares: 0,
  }));

  it('can no longer prove that both hidden Nazareth residents answered positively', async () => {
    const cells = buildAggregates(fine, WAVES, { minCell: K, indicators });
    const findings = await attack(cells);
    const real = truth(fine, false);
    const found = findings.flatMap((f) => leaks(f, real.get(f.what)).map((l) => `${f.what}: ${l}`));
    expect(found).toEqual([]);
    // Whatever is hidden says only that it is hidden: no reason tells a small cell from another.
    expect(new Set(cells.filter((c) => c.suppressed).map((c) => c.reason))).toEqual(new Set(['verborgen']));
    const nazareth = findings.find((f) => f.what === 'area_age_group|nazareth|18-26')!;
    expect(nazareth.value).toEqual({ min: 0, max: expect.any(Number) });
    expect(nazareth.value.max).toBeGreaterThanOrEqual(1);
  });
});
