/** The smallest cell size an installation may configure: below this, small-cell protection is void. */
export const MIN_CELL_FLOOR = 5;

/** The one reason a hidden cell shows, whatever made it hidden: the reason itself would give cells away. */
export const HIDDEN = 'verborgen';

/** Published n are rounded to a multiple of this. */
export const N_ROUNDING = 5;

/**
 * One cell of a table: `n` respondents and the sum of their `value`s (the number of positive
 * answers for a share, the sum of the marks for a mean). Every respondent's value lies in
 * [low, high] of the table's {@link ValueRange}.
 */
export interface TableCell {
  n: number;
  value: number;
}

/** What one respondent can add to a cell's value: 0–1 for a yes/no count, 1–10 for a mark. */
export interface ValueRange {
  low: number;
  high: number;
}

/** How a table is protected. */
export interface ProtectionOptions extends ValueRange {
  /** SUPPRESSION_MIN_CELL; never below {@link MIN_CELL_FLOOR}. */
  minCell: number;
}

/** The protection text of the method notes, the codebook and docs/analysts.md. */
export function suppressionNote(minCell: number | string): string {
  return (
    `cells with fewer than ${minCell} respondents are hidden, and so many other cells with them that nothing hidden can be worked out ` +
    '(hypercube secondary suppression, as in τ-ARGUS): every hidden cell is a corner of a rectangle of hidden cells in the table with its totals, ' +
    'along which its count of positive answers (or sum of marks), and its n when small, can move without changing anything published; the hidden ' +
    `members of every published sum together count at least ${minCell} respondents, neither all positive nor all negative (all lowest or all highest mark). ` +
    `Every hidden cell says only "${HIDDEN}". Published n are rounded to a multiple of ${N_ROUNDING}, shares to a whole percent, means to one decimal; ` +
    'intervals are computed from the rounded figures. Tokens that cannot read the answer rows get aggregates over whole waves and whole onboarding months only'
  );
}

/**
 * Decides which cells of a two-way table with totals to hide: hypercube secondary suppression
 * (GHMITER, Repsilber; the "hypercube" method of τ-ARGUS) for a table of counts and a second,
 * linked table of values.
 *
 * `interior[i][j]` is row i (an area) × column j (an age group); the table with its totals has one
 * extra row (the column totals) and column (the row totals); the result says for each of its
 * cells whether it is hidden. Empty cells are not published, and an attacker knows they are 0.
 *
 * 1. Primary: every cell with 0 < n < minCell.
 * 2. Hypercube: every hidden cell must be a corner of a rectangle whose four corners are hidden
 *    and not empty. Adding ±1 along such a rectangle (with the signs that keep every row and
 *    column sum) changes no published figure, so an attacker who sees every other cell exactly
 *    still cannot tell the corners' values apart. The rectangle must actually allow the moves
 *    that protect the cell: its value can move (so it is not pinned), its n can move when it is
 *    below the minimum, and a cell where everyone answered alike can move to a mix. Among
 *    rectangles that do, the one hiding the fewest respondents not hidden yet is taken.
 * 3. Groups: in every published sum (an area over its age groups, an age group over the areas,
 *    the total over either), the hidden members together, which an attacker can work out by
 *    subtraction, must count at least minCell respondents and neither all the lowest nor all the
 *    highest value ("all said yes"); otherwise the smallest shown member that makes it so is
 *    hidden too (or the sum itself when none is left).
 * Steps 2 and 3 repeat until neither hides anything more. When no rectangle can protect a cell
 * (tiny tables where everyone answered alike), the whole table is hidden.
 */
export function suppressTable(
  interior: readonly (readonly TableCell[])[],
  options: ProtectionOptions,
): boolean[][] {
  const k = Math.max(MIN_CELL_FLOOR, options.minCell);
  const { low, high } = options;
  const rows = interior.length;
  const cols = interior[0]?.length ?? 0;
  // The table with its totals: row `rows` and column `cols` are the sums.
  const table: TableCell[][] = Array.from({ length: rows + 1 }, () =>
    Array.from({ length: cols + 1 }, () => ({ n: 0, value: 0 })),
  );
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const c = interior[i]![j]!;
      for (const [r, s] of [
        [i, j],
        [i, cols],
        [rows, j],
        [rows, cols],
      ] as const) {
        table[r]![s]!.n += c.n;
        table[r]![s]!.value += c.value;
      }
    }
  const hidden = table.map((row) => row.map((c) => c.n > 0 && c.n < k));
  const at = (r: number, c: number) => table[r]![c]!;
  const present = (r: number, c: number) => at(r, c).n > 0;
  const hideAll = () => table.map((row) => row.map((c) => c.n > 0));

  // The moves along the rectangle with corners (i, j) and (i2, j2): the sign of each corner.
  const rectangle = (i: number, j: number, i2: number, j2: number) => {
    const rowSign = i === rows || i2 === rows ? 1 : -1;
    const colSign = j === cols || j2 === cols ? 1 : -1;
    return [
      { r: i, c: j, sign: 1 },
      { r: i, c: j2, sign: colSign },
      { r: i2, c: j, sign: rowSign },
      { r: i2, c: j2, sign: rowSign * colSign },
    ];
  };
  const STEPS = [-1, 0, 1].flatMap((dn) => [-1, 0, 1].map((dv) => ({ dn, dv }))).filter((s) => s.dn || s.dv);
  // The (n, value) the first corner can take by one step along the rectangle, all corners staying possible.
  const reachable = (corners: ReturnType<typeof rectangle>) =>
    STEPS.filter(({ dn, dv }) =>
      corners.every(({ r, c, sign }) => {
        const n = at(r, c).n + sign * dn;
        const v = at(r, c).value + sign * dv;
        return n >= 1 && v >= low * n && v <= high * n;
      }),
    ).map(({ dn, dv }) => ({
      n: at(corners[0]!.r, corners[0]!.c).n + dn,
      value: at(corners[0]!.r, corners[0]!.c).value + dv,
    }));

  // What a cell still lacks, given the values it can reach.
  const needs = (r: number, c: number, reach: readonly TableCell[]) => {
    const { n, value } = at(r, c);
    const lacks: string[] = [];
    if (!reach.some((x) => x.value !== value)) lacks.push('value');
    if (n < k && !reach.some((x) => x.n !== n)) lacks.push('n');
    if (value === high * n && !reach.some((x) => x.value < high * x.n)) lacks.push('not all high');
    if (value === low * n && !reach.some((x) => x.value > low * x.n)) lacks.push('not all low');
    return lacks;
  };
  const rectanglesOf = (r: number, c: number) => {
    const out: ReturnType<typeof rectangle>[] = [];
    for (let r2 = 0; r2 <= rows; r2++)
      for (let c2 = 0; c2 <= cols; c2++) {
        if (r2 === r || c2 === c) continue;
        const corners = rectangle(r, c, r2, c2);
        if (corners.every((x) => present(x.r, x.c))) out.push(corners);
      }
    return out;
  };

  // Step 2: one hidden cell without enough protection gets a rectangle; false when none helps.
  const protectOne = (): boolean | 'stuck' => {
    for (let r = 0; r <= rows; r++)
      for (let c = 0; c <= cols; c++) {
        if (!hidden[r]![c]) continue;
        const all = rectanglesOf(r, c);
        const covered = all.filter((q) => q.every((x) => hidden[x.r]![x.c]));
        const lacks = needs(r, c, covered.flatMap(reachable));
        if (lacks.length === 0) continue;
        let best: { corners: ReturnType<typeof rectangle>; fixes: number; cost: number } | undefined;
        for (const corners of all) {
          if (corners.every((x) => hidden[x.r]![x.c])) continue;
          const fixes = lacks.length - needs(r, c, [...covered, corners].flatMap(reachable)).length;
          if (fixes === 0) continue;
          const cost = corners.reduce((s, x) => s + (hidden[x.r]![x.c] ? 0 : at(x.r, x.c).n), 0);
          if (!best || fixes > best.fixes || (fixes === best.fixes && cost < best.cost))
            best = { corners, fixes, cost };
        }
        if (!best) return 'stuck';
        for (const x of best.corners) hidden[x.r]![x.c] = true;
        return true;
      }
    return false;
  };

  // Step 3: the sums of the table, each with the cells it adds up.
  const sums: { parent: [number, number]; members: [number, number][] }[] = [
    ...Array.from({ length: rows + 1 }, (_, r) => ({
      parent: [r, cols] as [number, number],
      members: Array.from({ length: cols }, (_, c) => [r, c] as [number, number]),
    })),
    ...Array.from({ length: cols + 1 }, (_, c) => ({
      parent: [rows, c] as [number, number],
      members: Array.from({ length: rows }, (_, r) => [r, c] as [number, number]),
    })),
  ];
  const safeGroup = (cells: readonly [number, number][]) => {
    const n = cells.reduce((s, [r, c]) => s + at(r, c).n, 0);
    const v = cells.reduce((s, [r, c]) => s + at(r, c).value, 0);
    return n >= k && v > low * n && v < high * n;
  };
  const groupOne = (): boolean => {
    for (const { parent, members } of sums) {
      if (!present(...parent) || hidden[parent[0]]![parent[1]]) continue;
      const inSum = members.filter(([r, c]) => present(r, c));
      const hiddenMembers = inSum.filter(([r, c]) => hidden[r]![c]);
      if (hiddenMembers.length === 0 || safeGroup(hiddenMembers)) continue;
      const shown = inSum
        .filter(([r, c]) => !hidden[r]![c])
        .sort((a, b) => at(...a).n - at(...b).n || a[0] - b[0] || a[1] - b[1]);
      const next = shown.find((m) => safeGroup([...hiddenMembers, m])) ?? shown[0] ?? parent;
      hidden[next[0]]![next[1]] = true;
      return true;
    }
    return false;
  };

  for (;;) {
    const protectedNow = protectOne();
    if (protectedNow === 'stuck') return hideAll();
    if (protectedNow) continue;
    if (!groupOne()) return hidden;
  }
}

/** n as published: rounded to a multiple of {@link N_ROUNDING}, halves up. */
export function roundN(n: number): number {
  return N_ROUNDING * Math.floor((n + N_ROUNDING / 2) / N_ROUNDING);
}

/**
 * `sum / n` rounded half up to `1 / unit` (100 for a whole percent, 10 for one decimal), in integer
 * arithmetic so that the published figure is exactly what the codebook says it is.
 */
export function roundRatio(sum: number, n: number, unit: number): number {
  return Math.floor((2 * unit * sum + n) / (2 * n)) / unit;
}
