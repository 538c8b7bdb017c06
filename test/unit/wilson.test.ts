import { describe, expect, it } from 'vitest';
import { meanInterval, studentTQuantile, wilsonInterval } from '../../src/export/wilson.js';

describe('the Wilson score interval', () => {
  it('matches published values', () => {
    // Half of 10: 0.2366 to 0.7634 (Wilson 1927; Newcombe 1998, method 3).
    const half = wilsonInterval(5, 10);
    expect(half.low).toBeCloseTo(0.2366, 4);
    expect(half.high).toBeCloseTo(0.7634, 4);
    // 81 of 263 (Newcombe 1998, table I): 0.2553 to 0.3662.
    const newcombe = wilsonInterval(81, 263);
    expect(newcombe.low).toBeCloseTo(0.2553, 4);
    expect(newcombe.high).toBeCloseTo(0.3662, 4);
  });

  it('stays inside 0 to 1 for none and all positive, where the normal interval collapses', () => {
    const none = wilsonInterval(0, 10);
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.2775, 4);
    const all = wilsonInterval(12, 12);
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(0.7575, 4);
  });

  it('has no interval without respondents', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: null, high: null });
  });
});

describe('the interval of a mean', () => {
  it('uses Student t quantiles', () => {
    for (const [df, t] of [
      [1, 12.7062],
      [4, 2.776445],
      [9, 2.262157],
      [30, 2.042272],
      [100, 1.983972],
    ] as const) {
      expect(studentTQuantile(0.975, df), `df ${df}`).toBeCloseTo(t, 4);
    }
  });

  it('is mean ± t·s/√n', () => {
    const marks = [6, 7, 8, 5, 9, 7, 6, 8, 7, 7];
    const n = marks.length;
    const sum = marks.reduce((a, b) => a + b, 0);
    const squares = marks.reduce((a, b) => a + b * b, 0);
    const mean = sum / n;
    const sd = Math.sqrt(marks.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    const interval = meanInterval(n, sum, squares);
    expect(interval.low).toBeCloseTo(mean - (2.262157 * sd) / Math.sqrt(n), 5);
    expect(interval.high).toBeCloseTo(mean + (2.262157 * sd) / Math.sqrt(n), 5);
  });

  it('is a point when everyone gives the same mark, and absent for one respondent', () => {
    expect(meanInterval(12, 12 * 7, 12 * 49)).toEqual({ low: 7, high: 7 });
    expect(meanInterval(1, 7, 49)).toEqual({ low: null, high: null });
  });
});
