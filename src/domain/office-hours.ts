import { ClosedDays } from './closed-days.js';
import { instantOf, nextDay, type WallTime, wallTimeOf } from './time.js';

// Office hours decide what residents are told about when the wijkteam answers a help request, when an
// untaken request counts as waiting a working day, and when the wijkteam hears of a new one. Closed
// days (Dutch public holidays and OFFICE_CLOSED_DAYS, see closed-days.ts) have no office hours.

/** One weekday's office window, in minutes after local midnight; weekday 0 is Sunday. */
export interface OfficeWindow {
  weekday: number;
  open: number;
  close: number;
}

/** The wijkteam's office hours: windows per weekday and the text they were read from. */
export interface OfficeHours {
  windows: OfficeWindow[];
  /** The setting as written, e.g. "ma-vr 09:00-17:00". */
  source: string;
  /** Days without office hours (public holidays, OFFICE_CLOSED_DAYS). */
  closed: ClosedDays;
}

/** The default of OFFICE_HOURS. */
export const DEFAULT_OFFICE_HOURS = 'ma-vr 09:00-17:00';

const DAY_NAMES: Record<string, number> = {
  zo: 0,
  ma: 1,
  di: 2,
  wo: 3,
  do: 4,
  vr: 5,
  za: 6,
  su: 0,
  sun: 0,
  mo: 1,
  mon: 1,
  tu: 2,
  tue: 2,
  we: 3,
  wed: 3,
  th: 4,
  thu: 4,
  fr: 5,
  fri: 5,
  sa: 6,
  sat: 6,
};

const SEGMENT = /^([a-z]{2,3}(?:\s*[-,]\s*[a-z]{2,3})*)\s+(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$/;

function daysOf(text: string): number[] | undefined {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to] = part.split('-').map((d) => DAY_NAMES[d.trim()]);
    if (from === undefined || (part.includes('-') && to === undefined)) return undefined;
    if (to === undefined) {
      days.add(from);
      continue;
    }
    // A range may wrap over the weekend ("za-ma").
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === to) break;
    }
  }
  return [...days];
}

/**
 * Reads office hours like "ma-vr 09:00-17:00" or "ma-do 09:00-17:00; vr 09:00-12:00" (Dutch or
 * English day abbreviations). Returns an error text instead when it cannot. `closed` says which days
 * the office is shut anyway; by default the Dutch public holidays.
 */
export function parseOfficeHours(
  text: string,
  closed: ClosedDays = new ClosedDays(),
): OfficeHours | { error: string } {
  const windows: OfficeWindow[] = [];
  for (const raw of text.toLowerCase().split(';')) {
    const segment = raw.trim();
    if (segment === '') continue;
    const match = SEGMENT.exec(segment);
    const days = match ? daysOf(match[1]!) : undefined;
    if (!match || !days)
      return { error: `expected days and times like "ma-vr 09:00-17:00", got "${segment}"` };
    const [oh, om, ch, cm] = match.slice(2, 6).map(Number) as [number, number, number, number];
    const open = oh * 60 + om;
    const close = ch * 60 + cm;
    if (oh > 23 || ch > 24 || om > 59 || cm > 59 || close > 24 * 60 || close <= open) {
      return { error: `expected an opening time before the closing time, got "${segment}"` };
    }
    for (const weekday of days) windows.push({ weekday, open, close });
  }
  if (windows.length === 0)
    return { error: 'expected at least one day with hours, e.g. "ma-vr 09:00-17:00"' };
  windows.sort((a, b) => a.weekday - b.weekday || a.open - b.open);
  return { windows, source: text.trim(), closed };
}

/** The default office hours, parsed. */
export function defaultOfficeHours(): OfficeHours {
  return parseOfficeHours(DEFAULT_OFFICE_HOURS) as OfficeHours;
}

const weekdayOf = (w: WallTime) => new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
const midnight = (w: WallTime): WallTime => ({ ...w, hour: 0, minute: 0 });
const at = (w: WallTime, minutes: number, timeZone: string) =>
  instantOf({ ...midnight(w), hour: Math.floor(minutes / 60), minute: minutes % 60 }, timeZone);

/** How far ahead to look for an opening: six weeks cover any sensible schedule with closed days. */
const HORIZON_DAYS = 42;

const isoDayOf = (w: WallTime) =>
  `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;

/** The office windows of the days from `from` on, as instants, in order. */
function* windowsFrom(hours: OfficeHours, from: Date, timeZone: string): Generator<[Date, Date]> {
  let day = midnight(wallTimeOf(from, timeZone));
  for (let i = 0; i < HORIZON_DAYS; i++, day = nextDay(day)) {
    if (hours.closed.has(isoDayOf(day))) continue;
    const weekday = weekdayOf(day);
    for (const w of hours.windows) {
      if (w.weekday === weekday) yield [at(day, w.open, timeZone), at(day, w.close, timeZone)];
    }
  }
}

/** True when the office is closed all of this day (a public holiday or an extra closed day). */
export function isClosedDay(hours: OfficeHours, now: Date, timeZone: string): boolean {
  return hours.closed.has(isoDayOf(wallTimeOf(now, timeZone)));
}

/** True when `now` falls inside office hours. */
export function isOfficeOpen(hours: OfficeHours, now: Date, timeZone: string): boolean {
  for (const [open, close] of windowsFrom(hours, now, timeZone)) {
    if (open > now) return false;
    if (now < close) return true;
  }
  return false;
}

/** The next moment the office opens after `now` (`now` itself when it is open). */
export function nextOpening(hours: OfficeHours, now: Date, timeZone: string): Date | undefined {
  for (const [open, close] of windowsFrom(hours, now, timeZone)) {
    if (now < close) return open > now ? open : now;
  }
  return undefined;
}

/**
 * When a request opened at `from` has waited one working day: office time equal to the longest
 * window has passed (Monday 10:00 → Tuesday 10:00; Friday 16:00 → Monday 16:00; a Saturday →
 * Monday's closing).
 */
export function oneWorkingDayAfter(hours: OfficeHours, from: Date, timeZone: string): Date {
  let needed = Math.max(...hours.windows.map((w) => w.close - w.open)) * 60_000;
  for (const [open, close] of windowsFrom(hours, from, timeZone)) {
    const start = open > from ? open : from;
    if (close <= start) continue;
    const span = close.getTime() - start.getTime();
    if (span >= needed) return new Date(start.getTime() + needed);
    needed -= span;
  }
  return new Date(from.getTime() + 24 * 3_600_000);
}
