import highsModule from 'highs';
import { type AggregateCell, TOTAL } from '../../src/export/aggregates.js';

/** What one respondent adds to a cell's value, as the codebook says: a yes (0 or 1) or a mark (1 to 10). */
const VALUE_RANGES = {
  share_positive: { low: 0, high: 1 },
  mean: { low: 1, high: 10 },
  share_of_residents: { low: 0, high: 1 },
  help_answered_within_day: { low: 0, high: 1 },
} as const;

type Loader = typeof highsModule.default;
type Highs = Awaited<ReturnType<Loader>>;
// The package's types are CommonJS (the loader is `default` of the module) while Node loads its ES
// build (the loader is the default export): take whichever this is.
const loadHighs: Loader =
  (highsModule as unknown as { default?: Loader }).default ?? (highsModule as unknown as Loader);

let highs: Highs | undefined;

/** HiGHS (exact MIP, compiled to WebAssembly), loaded once per test file. */
export async function solver(): Promise<Highs> {
  highs ??= await loadHighs();
  return highs;
}

/** A linear expression over the attacker's variables: column index → coefficient. */
type Expression = Map<number, number>;

/** What the attacker can prove about a quantity: its smallest and largest possible value. */
export interface Range {
  min: number;
  max: number;
}

/** A published cell or a published sum's hidden members, with what the attacker can prove about them. */
export interface Finding {
  /** `level|area|age_group` of the cell, or `sum <parent>` for the hidden members of a sum. */
  what: string;
  /** n and the value (positives, or the sum of marks). */
  n: Range;
  value: Range;
  /** The largest possible `high·n − value` and `value − low·n`: 0 means "provably all high / all low". */
  belowAllHigh: number;
  aboveAllLow: number;
}

/** How many integer programs the attacker solved. */
export const stats = { solves: 0 };

// Large enough for any neighbourhood, small enough to keep the MIP bounded; reaching it means "unbounded".
const BIG = 100_000;

/**
 * The attacker: from one release of one wave × indicator, an exact integer program over every
 * cell's n and value with everything the release says: published n (rounded to a multiple of 5 when
 * every published n is one, else exact), published shares or means (rounded to the unit every
 * published value is a whole multiple of, else exact), areas and age groups summing to their totals,
 * hidden cells that exist (n ≥ 1), and every respondent's value within the measure's range. For
 * every hidden cell, and for the hidden members of every shown sum, HiGHS minimises and maximises
 * n and value, and how far they are from "all answered alike".
 */
export async function attack(cells: readonly AggregateCell[]): Promise<Finding[]> {
  const h = await solver();
  const first = cells[0];
  if (!first) return [];
  const { low, high } = VALUE_RANGES[first.measure];
  const unit = first.measure === 'mean' ? 10 : 100;
  const shown = cells.filter((c) => !c.suppressed);
  const nRounded = shown.length > 0 && shown.every((c) => c.n! % 5 === 0);
  const whole = (x: number) => Math.abs(x * unit - Math.round(x * unit)) < 1e-9;
  const valueRounded = shown.length > 0 && shown.every((c) => whole(c.value!));

  const model = h.createModel();
  try {
    // Exact optima (no gap); the feasibility-jump heuristic costs ~20 ms a solve and finds nothing
    // that branch and bound does not find at once in tables this small.
    model.options.set({ output_flag: false, mip_rel_gap: 0, mip_heuristic_run_feasibility_jump: false });
    const key = (c: Pick<AggregateCell, 'level' | 'area' | 'age_group'>) =>
      `${c.level}|${c.area}|${c.age_group}`;
    const columns = new Map<string, { n: number; v: number }>();
    let count = 0;
    const variable = (lower: number, upper: number) => {
      model.addVar(lower, upper);
      model.changeColIntegrality(count, h.constants.variableType.integer);
      return count++;
    };
    const row = (lower: number, upper: number, e: Expression) => {
      const indices = [...e.keys()].sort((a, b) => a - b);
      model.addRow(lower, upper, { indices, values: indices.map((i) => e.get(i)!) });
    };
    for (const c of cells) {
      const n = c.suppressed
        ? variable(1, BIG)
        : nRounded
          ? variable(Math.max(1, c.n! - 2), c.n! + 2)
          : variable(c.n!, c.n!);
      const v = variable(0, high * BIG);
      columns.set(key(c), { n, v });
      // low·n ≤ v ≤ high·n
      row(
        0,
        h.infinity,
        new Map([
          [v, 1],
          [n, -low],
        ]),
      );
      row(
        -h.infinity,
        0,
        new Map([
          [v, 1],
          [n, -high],
        ]),
      );
      if (c.suppressed) continue;
      if (valueRounded) {
        // value = round-half-up(unit · v / n) / unit  ⇔  (2V − 1)·n ≤ 2·unit·v ≤ (2V + 1)·n − 1
        const V = Math.round(c.value! * unit);
        row(
          0,
          h.infinity,
          new Map([
            [v, 2 * unit],
            [n, -(2 * V - 1)],
          ]),
        );
        row(
          -h.infinity,
          -1,
          new Map([
            [v, 2 * unit],
            [n, -(2 * V + 1)],
          ]),
        );
      } else {
        // Exact figures: v = value · n with n exact.
        const exact = Math.round(c.value! * c.n!);
        model.changeColBounds(v, exact, exact);
      }
    }
    // The table: every area and age group is the sum of its cells, the total the sum of either.
    const sums: { parent: string; members: string[] }[] = [];
    const areas = cells.filter((c) => c.level === 'area').map((c) => c.area);
    const ages = cells.filter((c) => c.level === 'age_group').map((c) => c.age_group);
    const inner = (a: string, g: string) => `area_age_group|${a}|${g}`;
    sums.push({ parent: `total|${TOTAL}|${TOTAL}`, members: areas.map((a) => `area|${a}|${TOTAL}`) });
    sums.push({ parent: `total|${TOTAL}|${TOTAL}`, members: ages.map((g) => `age_group|${TOTAL}|${g}`) });
    for (const a of areas)
      sums.push({
        parent: `area|${a}|${TOTAL}`,
        members: ages.map((g) => inner(a, g)).filter((m) => columns.has(m)),
      });
    for (const g of ages)
      sums.push({
        parent: `age_group|${TOTAL}|${g}`,
        members: areas.map((a) => inner(a, g)).filter((m) => columns.has(m)),
      });
    for (const { parent, members } of sums) {
      for (const part of ['n', 'v'] as const) {
        const e: Expression = new Map([[columns.get(parent)![part], -1]]);
        for (const m of members) e.set(columns.get(m)![part], 1);
        row(0, 0, e);
      }
    }

    const costs = new Float64Array(count);
    const optimise = (e: Expression, sense: 'min' | 'max'): number => {
      stats.solves += 1;
      costs.fill(0);
      for (const [i, c] of e) costs[i] = c;
      model.changeColsCost({ kind: 'range', from: 0, to: count - 1 }, costs);
      model.changeObjectiveSense(
        sense === 'min' ? h.constants.objectiveSense.minimize : h.constants.objectiveSense.maximize,
      );
      model.run();
      const status = model.getModelStatus();
      if (status === h.constants.modelStatus.optimal) return Math.round(model.getObjectiveValue());
      if (
        status === h.constants.modelStatus.unbounded ||
        status === h.constants.modelStatus.unboundedOrInfeasible
      )
        return sense === 'min' ? -Infinity : Infinity;
      throw new Error(`HiGHS ended with model status ${status}`);
    };
    const investigate = (what: string, parts: { n: number; v: number }[]): Finding => {
      const n: Expression = new Map(parts.map((p) => [p.n, 1]));
      const v: Expression = new Map(parts.map((p) => [p.v, 1]));
      const combine = (a: number, b: number) => {
        const e: Expression = new Map();
        for (const p of parts) {
          e.set(p.n, a);
          e.set(p.v, b);
        }
        return e;
      };
      return {
        what,
        n: { min: optimise(n, 'min'), max: optimise(n, 'max') },
        value: { min: optimise(v, 'min'), max: optimise(v, 'max') },
        belowAllHigh: optimise(combine(high, -1), 'max'),
        aboveAllLow: optimise(combine(-low, 1), 'max'),
      };
    };
    const findings: Finding[] = [];
    for (const c of cells) if (c.suppressed) findings.push(investigate(key(c), [columns.get(key(c))!]));
    const hiddenKeys = new Set(cells.filter((c) => c.suppressed).map(key));
    for (const { parent, members } of sums) {
      if (hiddenKeys.has(parent)) continue;
      const hiddenMembers = members.filter((m) => hiddenKeys.has(m));
      if (hiddenMembers.length === 0) continue;
      findings.push(
        investigate(
          `sum ${parent}`,
          hiddenMembers.map((m) => columns.get(m)!),
        ),
      );
    }
    return findings;
  } finally {
    model.dispose();
  }
}
