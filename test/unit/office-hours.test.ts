import { describe, expect, it } from 'vitest';
import { officeHoursOf, parseEnv } from '../../src/config/env.js';
import { dutchHolidays, liberationDayOff } from '../../src/domain/closed-days.js';
import {
  defaultOfficeHours,
  isClosedDay,
  isOfficeOpen,
  nextOpening,
  type OfficeHours,
  oneWorkingDayAfter,
  parseOfficeHours,
} from '../../src/domain/office-hours.js';
import { instantOf, wallTimeOf } from '../../src/domain/time.js';

const TZ = 'Europe/Amsterdam';
const hours = defaultOfficeHours();
/** A wall-clock time in Maastricht in March 2026 (CET, UTC+1) as an instant. */
const at = (day: number, time: string) =>
  new Date(`2026-03-${String(day).padStart(2, '0')}T${time}:00+01:00`);

describe('office hours', () => {
  it('reads Dutch and English day ranges, lists and several segments', () => {
    expect(parseOfficeHours('ma-vr 09:00-17:00')).toMatchObject({
      windows: expect.arrayContaining([{ weekday: 1, open: 540, close: 1020 }]),
    });
    const split = parseOfficeHours('mo-th 09:00-17:00; fri 9:00-12:30') as OfficeHours;
    expect(split.windows.find((w) => w.weekday === 5)).toEqual({ weekday: 5, open: 540, close: 750 });
    expect((parseOfficeHours('ma,wo 10:00-12:00') as OfficeHours).windows.map((w) => w.weekday)).toEqual([
      1, 3,
    ]);
    expect(parseOfficeHours('weekdays 9-5')).toHaveProperty('error');
    expect(parseOfficeHours('ma 17:00-09:00')).toHaveProperty('error');
  });

  it('knows when the office is open and when it opens next', () => {
    // 9 March 2026 is a Monday.
    expect(isOfficeOpen(hours, at(9, '10:00'), TZ)).toBe(true);
    expect(isOfficeOpen(hours, at(9, '17:00'), TZ)).toBe(false);
    expect(isOfficeOpen(hours, at(14, '11:00'), TZ)).toBe(false);
    expect(nextOpening(hours, at(13, '18:30'), TZ)).toEqual(at(16, '09:00'));
    expect(nextOpening(hours, at(10, '07:00'), TZ)).toEqual(at(10, '09:00'));
    expect(nextOpening(hours, at(10, '12:00'), TZ)).toEqual(at(10, '12:00'));
  });

  it('counts a working day in office time, over evenings and weekends', () => {
    expect(oneWorkingDayAfter(hours, at(9, '10:00'), TZ)).toEqual(at(10, '10:00'));
    expect(oneWorkingDayAfter(hours, at(13, '16:00'), TZ)).toEqual(at(16, '16:00'));
    expect(oneWorkingDayAfter(hours, at(14, '11:00'), TZ)).toEqual(at(16, '17:00'));
    expect(oneWorkingDayAfter(hours, at(12, '20:00'), TZ)).toEqual(at(13, '17:00'));
  });

  it('keeps wall-clock office hours across the change to summer time', () => {
    // Friday 27 March 2026 16:00 CET; clocks go forward on Sunday 29 March.
    expect(oneWorkingDayAfter(hours, at(27, '16:00'), TZ)).toEqual(new Date('2026-03-30T16:00:00+02:00'));
  });
});

describe('closed days', () => {
  /** A wall-clock time in Maastricht as an instant (CET or CEST as the date has it). */
  const local = (iso: string) => instantOf(wallTimeOf(new Date(`${iso}Z`), 'UTC'), TZ);

  it('knows the Dutch public holidays, and Liberation Day only in the years it is a day off', () => {
    expect(dutchHolidays(2026)).toEqual(
      new Set([
        '2026-01-01',
        '2026-04-05',
        '2026-04-06',
        '2026-04-27',
        '2026-05-14',
        '2026-05-24',
        '2026-05-25',
        '2026-12-25',
        '2026-12-26',
      ]),
    );
    // Good Friday is no public holiday; Liberation Day is a day off every five years.
    expect(dutchHolidays(2026).has('2026-04-03')).toBe(false);
    expect(dutchHolidays(2026).has('2026-05-05')).toBe(false);
    expect(dutchHolidays(2030).has('2030-05-05')).toBe(true);
    expect(liberationDayOff(2025)).toBe(true);
  });

  it('has no office hours on a public holiday: King’s Day, Christmas, Liberation Day 2025', () => {
    // Monday 27 April 2026 is King's Day.
    expect(isOfficeOpen(hours, local('2026-04-27T10:00:00'), TZ)).toBe(false);
    expect(nextOpening(hours, local('2026-04-24T18:00:00'), TZ)).toEqual(local('2026-04-28T09:00:00'));
    expect(isOfficeOpen(hours, local('2026-04-03T10:00:00'), TZ)).toBe(true); // Good Friday
    // Thursday 24 December 2026 after closing: Christmas on Friday, then the weekend.
    expect(nextOpening(hours, local('2026-12-24T18:00:00'), TZ)).toEqual(local('2026-12-28T09:00:00'));
    expect(isOfficeOpen(hours, local('2025-05-05T10:00:00'), TZ)).toBe(false);
    expect(isClosedDay(hours, local('2026-04-27T10:00:00'), TZ)).toBe(true);
  });

  it('does not count a public holiday as a working day', () => {
    // Friday 24 April 2026 10:00 → Tuesday 28 April 10:00, over the weekend and King's Day.
    expect(oneWorkingDayAfter(hours, local('2026-04-24T10:00:00'), TZ)).toEqual(local('2026-04-28T10:00:00'));
    // Wednesday 13 May 2026 12:00 → Friday 15 May 12:00, over Ascension Day.
    expect(oneWorkingDayAfter(hours, local('2026-05-13T12:00:00'), TZ)).toEqual(local('2026-05-15T12:00:00'));
  });

  it('skips the days of OFFICE_CLOSED_DAYS, such as carnival Monday and Tuesday', () => {
    const env = parseEnv({ OFFICE_CLOSED_DAYS: '2027-02-08, 2027-02-09' });
    expect(env.OFFICE_CLOSED_DAYS).toEqual(['2027-02-08', '2027-02-09']);
    const carnival = officeHoursOf(env);
    // Friday 5 February 2027 16:00 → Wednesday 10 February 16:00.
    expect(oneWorkingDayAfter(carnival, local('2027-02-05T16:00:00'), TZ)).toEqual(
      local('2027-02-10T16:00:00'),
    );
    expect(nextOpening(carnival, local('2027-02-06T12:00:00'), TZ)).toEqual(local('2027-02-10T09:00:00'));
    expect(nextOpening(hours, local('2027-02-06T12:00:00'), TZ)).toEqual(local('2027-02-08T09:00:00'));
  });

  it('refuses an OFFICE_CLOSED_DAYS entry that is no date', () => {
    for (const bad of ['2027-02-30', '8 februari', '2027-2-8']) {
      expect(() => parseEnv({ OFFICE_CLOSED_DAYS: bad })).toThrow(/OFFICE_CLOSED_DAYS/);
    }
    expect(parseEnv({ OFFICE_CLOSED_DAYS: '' }).OFFICE_CLOSED_DAYS).toEqual([]);
  });
});
