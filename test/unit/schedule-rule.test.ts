import { describe, expect, it } from 'vitest';
import {
  latestOccurrence,
  nextFreeOccurrence,
  nextOccurrence,
  type ScheduleRule,
} from '../../src/polls/rule.js';

const TZ = 'Europe/Amsterdam';
const QUARTERLY: ScheduleRule = { every: 'quarter', nth: 'first', weekday: 'monday', at: '10:00' };

describe('the rule of a recurring wave', () => {
  it('finds the first Monday of each quarter at 10:00 Amsterdam time, winter and summer', () => {
    let at = new Date('2026-12-05T12:00:00Z');
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      at = nextOccurrence(QUARTERLY, at, TZ);
      seen.push(at.toISOString());
    }
    expect(seen).toEqual([
      '2027-01-04T09:00:00.000Z', // CET
      '2027-04-05T08:00:00.000Z', // CEST
      '2027-07-05T08:00:00.000Z',
      '2027-10-04T08:00:00.000Z',
      '2028-01-03T09:00:00.000Z',
    ]);
  });

  it('finds the last Friday of every month', () => {
    const rule: ScheduleRule = { every: 'month', nth: 'last', weekday: 'friday', at: '18:30' };
    expect(nextOccurrence(rule, new Date('2027-02-01T00:00:00Z'), TZ).toISOString()).toBe(
      '2027-02-26T17:30:00.000Z',
    );
    expect(nextOccurrence(rule, new Date('2027-02-26T17:30:00Z'), TZ).toISOString()).toBe(
      '2027-03-26T17:30:00.000Z',
    );
  });

  it('gives the occurrence that has come, not one still ahead', () => {
    expect(latestOccurrence(QUARTERLY, new Date('2027-01-04T08:59:59Z'), TZ)?.toISOString()).toBe(
      '2026-10-05T08:00:00.000Z',
    );
    expect(latestOccurrence(QUARTERLY, new Date('2027-01-04T09:00:00Z'), TZ)?.toISOString()).toBe(
      '2027-01-04T09:00:00.000Z',
    );
    expect(latestOccurrence(QUARTERLY, new Date('2027-02-20T09:00:00Z'), TZ)?.toISOString()).toBe(
      '2027-01-04T09:00:00.000Z',
    );
  });

  it('passes over occurrences that were skipped', () => {
    const skipped = new Set([new Date('2027-01-04T09:00:00Z').getTime()]);
    expect(nextFreeOccurrence(QUARTERLY, new Date('2026-12-05T12:00:00Z'), TZ, skipped).toISOString()).toBe(
      '2027-04-05T08:00:00.000Z',
    );
  });
});
