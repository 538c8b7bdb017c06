import { describe, expect, it } from 'vitest';
import { Spacing } from '../../src/queue/pacing.js';

describe('Spacing', () => {
  it('lets callers who ask at once go one interval apart, in order', async () => {
    const spacing = new Spacing(30);
    const start = performance.now();
    const moments: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        await spacing.wait();
        moments[i] = performance.now() - start;
      }),
    );
    expect(moments[0]).toBeLessThan(15);
    // The i-th goes no earlier than i intervals after the first asked (a busy machine only adds).
    for (let i = 1; i < moments.length; i++) expect(moments[i]!).toBeGreaterThanOrEqual(i * 30);
    expect(moments).toEqual([...moments].sort((a, b) => a - b));
  });

  it('does not hold back a caller who comes after a quiet interval', async () => {
    const spacing = new Spacing(20);
    await spacing.wait();
    await new Promise((r) => setTimeout(r, 40));
    const before = performance.now();
    await spacing.wait();
    expect(performance.now() - before).toBeLessThan(10);
  });
});
