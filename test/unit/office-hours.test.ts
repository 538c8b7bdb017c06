import { describe, expect, it } from 'vitest';
import {
  defaultOfficeHours,
  isOfficeOpen,
  nextOpening,
  type OfficeHours,
  oneWorkingDayAfter,
  parseOfficeHours,
} from '../../src/domain/office-hours.js';

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
