import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/broadcast/duration.js';
import { QuietHours } from '../../src/domain/quiet-hours.js';
import { instantOf, parseDateTime, wallTimeOf } from '../../src/domain/time.js';

const TZ = 'Europe/Amsterdam';
const night = new QuietHours('21:00', '09:00', TZ);
const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

describe('quiet hours (21:00–09:00 Europe/Amsterdam)', () => {
  it.each([
    ['2026-03-10T19:59:00Z', 0], // 20:59 CET
    ['2026-03-10T20:00:00Z', 12 * HOUR], // 21:00 CET: until 09:00 tomorrow
    ['2026-03-10T22:00:00Z', 10 * HOUR], // 23:00 CET
    ['2026-03-11T03:30:00Z', 4.5 * HOUR], // 04:30 CET: until 09:00 today
    ['2026-03-11T07:59:00Z', 60_000], // 08:59 CET
    ['2026-03-11T08:00:00Z', 0], // 09:00 CET
    ['2026-07-01T06:30:00Z', 30 * 60_000], // 08:30 CEST
    ['2026-07-01T07:00:00Z', 0], // 09:00 CEST
  ])('at %s holds a bulk message for %i ms', (now, ms) => {
    expect(night.holdMs(at(now))).toBe(ms);
    expect(night.isQuiet(at(now))).toBe(ms > 0);
  });

  it('ends at 09:00 local time on the night the clocks go forward', () => {
    // 2026-03-29: 02:00 CET becomes 03:00 CEST. From 21:30 CET the night is an hour shorter.
    const now = at('2026-03-28T20:30:00Z');
    const end = new Date(now.getTime() + night.holdMs(now));
    expect(end.toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(wallTimeOf(end, TZ)).toMatchObject({ day: 29, hour: 9, minute: 0 });
  });

  it('ends at 09:00 local time on the night the clocks go back', () => {
    const now = at('2026-10-24T19:30:00Z'); // 21:30 CEST
    expect(night.holdMs(now)).toBe(12.5 * HOUR);
    expect(new Date(now.getTime() + night.holdMs(now)).toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });

  it('holds nothing when start and end are the same', () => {
    const none = new QuietHours('00:00', '00:00', TZ);
    expect(none.holdMs(at('2026-03-10T22:00:00Z'))).toBe(0);
  });

  it('also works for quiet hours within one day', () => {
    const lunch = new QuietHours('12:00', '13:30', TZ);
    expect(lunch.holdMs(at('2026-03-10T11:15:00Z'))).toBe(75 * 60_000); // 12:15 CET, until 13:30
    expect(lunch.holdMs(at('2026-03-10T12:30:00Z'))).toBe(0); // 13:30 CET
  });
});

describe('local times', () => {
  it('reads a time without an offset as Amsterdam time, and one with an offset as given', () => {
    expect(parseDateTime('2026-03-14T10:00', TZ)?.toISOString()).toBe('2026-03-14T09:00:00.000Z');
    expect(parseDateTime('2026-07-14 10:00', TZ)?.toISOString()).toBe('2026-07-14T08:00:00.000Z');
    expect(parseDateTime('2026-03-14', TZ)?.toISOString()).toBe('2026-03-13T23:00:00.000Z');
    expect(parseDateTime('2026-03-14T10:00:00Z', TZ)?.toISOString()).toBe('2026-03-14T10:00:00.000Z');
    expect(parseDateTime('2026-03-14T10:00+02:00', TZ)?.toISOString()).toBe('2026-03-14T08:00:00.000Z');
  });

  it.each(['morgen', '14-03-2026 10:00', '2026-13-01T10:00', '2026-03-14T25:00', ''])(
    'refuses %j',
    (text) => {
      expect(parseDateTime(text, TZ)).toBeUndefined();
    },
  );

  it('moves a time the spring change skips to just after it, and takes the first of a repeated time', () => {
    expect(instantOf({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, TZ).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, TZ).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });
});

describe('durations', () => {
  it.each([
    ['24h', 24 * HOUR],
    ['7d', 7 * 24 * HOUR],
    ['90m', 90 * 60_000],
    ['1d12h', 36 * HOUR],
    ['2w', 14 * 24 * HOUR],
    ['none', null],
    ['0', null],
    ['24', undefined],
    ['soon', undefined],
  ])('reads %j', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('writes them back for people', () => {
    expect(formatDuration(36 * HOUR)).toBe('1d 12h');
    expect(formatDuration(90 * 60_000)).toBe('1h 30m');
  });
});
