import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { backoff, sleep } from '../../src/domain/backoff.js';

describe('backoff', () => {
  it('doubles from the base for each attempt', () => {
    expect([0, 1, 2, 3].map((a) => backoff(a, { baseMs: 100 }))).toEqual([100, 200, 400, 800]);
  });

  it('never waits longer than the cap, however many attempts', () => {
    expect(backoff(5, { baseMs: 100, maxMs: 5_000 })).toBe(3_200);
    expect(backoff(6, { baseMs: 100, maxMs: 5_000 })).toBe(5_000);
    expect(backoff(10_000, { baseMs: 100, maxMs: 5_000 })).toBe(5_000);
  });

  it('counts a negative attempt as the first', () => {
    expect(backoff(-1, { baseMs: 1_000, maxMs: 30_000 })).toBe(1_000);
  });

  it('with jitter 0.5 waits between half and all of the capped delay', () => {
    const opts = { baseMs: 1_000, maxMs: 60_000, jitter: 0.5 };
    expect(backoff(2, { ...opts, random: () => 0 })).toBe(2_000);
    expect(backoff(2, { ...opts, random: () => 0.5 })).toBe(3_000);
    expect(backoff(2, { ...opts, random: () => 0.999_999 })).toBe(4_000);
    expect(backoff(20, { ...opts, random: () => 0 })).toBe(30_000);
    for (let i = 0; i < 100; i++) {
      const ms = backoff(3, opts);
      expect(ms).toBeGreaterThanOrEqual(4_000);
      expect(ms).toBeLessThanOrEqual(8_000);
    }
  });
});

describe('sleep', () => {
  it('waits about the given time', async () => {
    const started = performance.now();
    await sleep(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('returns at once when the signal aborts during the wait, without throwing', async () => {
    const stop = new AbortController();
    const started = performance.now();
    setTimeout(() => stop.abort(), 10);
    await sleep(10_000, stop.signal);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('returns at once when the signal has already aborted', async () => {
    const started = performance.now();
    await sleep(10_000, AbortSignal.abort());
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('leaves no listener behind on a signal it waited with', async () => {
    const stop = new AbortController();
    for (let i = 0; i < 20; i++) await sleep(1, stop.signal);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });
});
