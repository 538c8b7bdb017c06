/** The smallest cell size an installation may configure: below this, small-cell protection is void. */
export const MIN_CELL_FLOOR = 5;

/** A published sum: `parent` is the total of `children` (e.g. a wave's total over its areas). */
export interface Relation {
  parent: string;
  children: readonly string[];
}

/** Why a cell is hidden. */
export type SuppressionReason = `n < ${number}` | 'secondary suppression';

/**
 * Decides which cells to hide. Primary: every cell with 0 < n < minCell (never below 5). Secondary:
 * a published sum with exactly one hidden member would give that member away by subtraction, so the
 * smallest shown child of that sum is hidden too (or the parent, when no child is left); repeated
 * until every sum has no hidden member or at least two, because each new hidden cell can leave
 * another sum with exactly one.
 */
export function suppressCells(
  counts: ReadonlyMap<string, number>,
  relations: readonly Relation[],
  minCell: number,
): Map<string, SuppressionReason> {
  const k = Math.max(MIN_CELL_FLOOR, minCell);
  const hidden = new Map<string, SuppressionReason>();
  for (const [key, n] of counts) if (n > 0 && n < k) hidden.set(key, `n < ${k}`);

  // Children without respondents are not published cells: their zero is no secret.
  const present = relations.map((r) => ({
    parent: r.parent,
    children: r.children.filter((c) => (counts.get(c) ?? 0) > 0),
  }));
  for (let changed = true; changed; ) {
    changed = false;
    for (const { parent, children } of present) {
      if (!counts.has(parent) || children.length === 0) continue;
      const members = [parent, ...children];
      if (members.filter((m) => hidden.has(m)).length !== 1) continue;
      const candidate = children
        .filter((c) => !hidden.has(c))
        .sort((a, b) => counts.get(a)! - counts.get(b)! || a.localeCompare(b))[0];
      const next = candidate ?? parent;
      if (hidden.has(next)) continue;
      hidden.set(next, 'secondary suppression');
      changed = true;
    }
  }
  return hidden;
}
