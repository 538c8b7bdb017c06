import { QuietHours } from '../../src/domain/quiet-hours.js';
import { instantOf, parseDateTime, type WallTime, wallTimeOf } from '../../src/domain/time.js';

// When a flash or a session from the chat goes out: a moment as the wijkteam types it ("vanavond
// 19:00", "morgen 10:00", "vrijdag 9:30", "12 december 14:00", "2027-01-05T10:00"), read in the city's
// time zone. Pure: the caller gives the current time. A flash is held through quiet hours like one
// sent with `flash send --at`; `sendMoment` says when it really goes.

/** What a typed moment means: a time (`now` when sent at once), or why it cannot be used. */
export type WhenAnswer = { ok: true; at: Date; now: boolean } | { ok: false; reason: 'unknown' | 'past' };

const NOW_WORDS = new Set(['nu', 'now', 'direct', 'meteen', 'gelijk', 'nu meteen', 'right now']);

/** Days from today a word means ("morgen" 1); evening words make "7" mean 19:00. */
const RELATIVE: Record<string, { days: number; afternoon?: boolean }> = {
  vandaag: { days: 0 },
  today: { days: 0 },
  vanochtend: { days: 0 },
  vanmorgen: { days: 0 },
  vanmiddag: { days: 0, afternoon: true },
  vanavond: { days: 0, afternoon: true },
  tonight: { days: 0, afternoon: true },
  morgen: { days: 1 },
  tomorrow: { days: 1 },
  morgenavond: { days: 1, afternoon: true },
  morgenmiddag: { days: 1, afternoon: true },
  morgenochtend: { days: 1 },
  overmorgen: { days: 2 },
};

/** Weekday numbers as `Date.getUTCDay` gives them (0 = Sunday). */
const WEEKDAYS: Record<string, number> = {
  zondag: 0,
  zo: 0,
  sunday: 0,
  sun: 0,
  maandag: 1,
  ma: 1,
  monday: 1,
  mon: 1,
  dinsdag: 2,
  di: 2,
  tuesday: 2,
  tue: 2,
  woensdag: 3,
  wo: 3,
  wednesday: 3,
  wed: 3,
  donderdag: 4,
  do: 4,
  thursday: 4,
  thu: 4,
  vrijdag: 5,
  vr: 5,
  friday: 5,
  fri: 5,
  zaterdag: 6,
  za: 6,
  saturday: 6,
  sat: 6,
};

const MONTHS: [number, string[]][] = [
  [1, ['januari', 'jan', 'january']],
  [2, ['februari', 'feb', 'february']],
  [3, ['maart', 'mrt', 'mar', 'march']],
  [4, ['april', 'apr']],
  [5, ['mei', 'may']],
  [6, ['juni', 'jun', 'june']],
  [7, ['juli', 'jul', 'july']],
  [8, ['augustus', 'aug', 'august']],
  [9, ['september', 'sep', 'sept']],
  [10, ['oktober', 'okt', 'oct', 'october']],
  [11, ['november', 'nov']],
  [12, ['december', 'dec']],
];
const MONTH_BY_NAME = new Map(MONTHS.flatMap(([n, names]) => names.map((name) => [name, n] as const)));

/** Words that may stand around the day and the time and mean nothing more. */
const FILLERS = new Set(['om', 'at', 'on', 'op', 'uur', 'de', 'the', 'a.s', 'as', 'aanstaande', 'next']);

interface Clock {
  hour: number;
  minute: number;
  /** Written without minutes or a separator ("7"), so "vanavond 7" may mean 19:00. */
  bare: boolean;
}

/** "19:00", "19.00", "9:30", "19u", "19h", "10 uur", "7" (bare). */
function clockOf(token: string): Clock | undefined {
  const match = /^(\d{1,2})(?:[:.h](\d{2})|u(\d{2})?|h)?$/.exec(token);
  if (!match) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2] ?? match[3] ?? 0);
  if (hour > 23 || minute > 59) return undefined;
  return { hour, minute, bare: match[2] === undefined && match[3] === undefined && !/[uh]/.test(token) };
}

const validDay = (year: number, month: number, day: number) => {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
};

/** The calendar day `days` after `wall`'s. */
function plusDays(wall: WallTime, days: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

type Day =
  | { kind: 'relative'; days: number; afternoon: boolean }
  | { kind: 'weekday'; weekday: number }
  | { kind: 'date'; day: number; month: number; year?: number };

/** The day part of the words: "morgen", "vrijdag", "12 december", "12 dec 2027", "12-12", "12/12/2027". */
function dayOf(words: string[]): { day: Day; rest: string[] } | undefined {
  const [first, second, third] = words;
  if (first === undefined) return undefined;
  const relative = RELATIVE[first];
  if (relative) {
    return {
      day: { kind: 'relative', days: relative.days, afternoon: relative.afternoon ?? false },
      rest: words.slice(1),
    };
  }
  const weekday = WEEKDAYS[first];
  if (weekday !== undefined) return { day: { kind: 'weekday', weekday }, rest: words.slice(1) };
  const numeric = /^(\d{1,2})[-/](\d{1,2})(?:[-/](\d{4}))?$/.exec(first);
  if (numeric) {
    return {
      day: {
        kind: 'date',
        day: Number(numeric[1]),
        month: Number(numeric[2]),
        ...(numeric[3] && { year: Number(numeric[3]) }),
      },
      rest: words.slice(1),
    };
  }
  if (/^\d{1,2}$/.test(first) && second !== undefined) {
    const month = MONTH_BY_NAME.get(second);
    if (month === undefined) return undefined;
    const year = third !== undefined && /^\d{4}$/.test(third) ? Number(third) : undefined;
    return {
      day: { kind: 'date', day: Number(first), month, ...(year !== undefined && { year }) },
      rest: words.slice(year === undefined ? 2 : 3),
    };
  }
  return undefined;
}

/**
 * Reads a moment as the wijkteam types it, in `timeZone`: "nu", ISO ("2027-01-05T10:00", with or
 * without an offset), or a day and a time in Dutch or English. The day is today, "vanavond",
 * "morgen", "overmorgen", a weekday (the next one; today when the time is still ahead) or a date
 * ("12 december", "12-12"; without a year the next one to come). A time is always required; without
 * a day it means today, and then it needs minutes or "u" ("19:00", "19u": a lone "2" is no time). A
 * moment that has passed is refused.
 */
export function parseWhen(text: string, now: Date, timeZone: string): WhenAnswer {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 60) return { ok: false, reason: 'unknown' };
  const bareIso = trimmed.replace(/^(om|at|op)\s+/i, '');
  // A date alone ("2027-01-05") has no time: midnight is never what was meant.
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(bareIso) ? undefined : parseDateTime(bareIso, timeZone);
  if (iso)
    return iso.getTime() > now.getTime() ? { ok: true, at: iso, now: false } : { ok: false, reason: 'past' };
  const plain = trimmed
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[,!?]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (NOW_WORDS.has(plain)) return { ok: true, at: now, now: true };
  const words = plain
    .split(' ')
    .map((w) => w.replace(/\.$/, ''))
    .filter((w) => w.length > 0 && !FILLERS.has(w));
  const found = dayOf(words);
  const day: Day = found?.day ?? { kind: 'relative', days: 0, afternoon: false };
  const rest = found ? found.rest : words;
  if (rest.length !== 1) return { ok: false, reason: 'unknown' };
  const clock = clockOf(rest[0]!);
  // A lone number ("2") is an answer to a numbered question, not a time; "19:00" or "19u" is.
  if (!clock || (!found && clock.bare)) return { ok: false, reason: 'unknown' };
  const today = wallTimeOf(now, timeZone);
  let hour = clock.hour;
  if (day.kind === 'relative' && day.afternoon && clock.bare && hour >= 1 && hour < 12) hour += 12;
  const at = (d: { year: number; month: number; day: number }) =>
    instantOf({ ...d, hour, minute: clock.minute }, timeZone);
  let moment: Date;
  switch (day.kind) {
    case 'relative':
      moment = at(plusDays(today, day.days));
      break;
    case 'weekday': {
      const todayWeekday = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay();
      const ahead = (day.weekday - todayWeekday + 7) % 7;
      moment = at(plusDays(today, ahead));
      if (moment.getTime() <= now.getTime()) moment = at(plusDays(today, ahead + 7));
      break;
    }
    case 'date': {
      const year = day.year ?? today.year;
      if (!validDay(year, day.month, day.day)) {
        // 29 February without a year: the next leap year's is too far ahead to be meant.
        return { ok: false, reason: 'unknown' };
      }
      moment = at({ year, month: day.month, day: day.day });
      if (day.year === undefined && moment.getTime() <= now.getTime()) {
        if (!validDay(year + 1, day.month, day.day)) return { ok: false, reason: 'past' };
        moment = at({ year: year + 1, month: day.month, day: day.day });
      }
      break;
    }
  }
  return moment.getTime() > now.getTime()
    ? { ok: true, at: moment, now: false }
    : { ok: false, reason: 'past' };
}

/** Quiet hours from the desk's settings ("21:00"–"09:00" when not given). */
export function quietHoursOf(
  setting: { start: string; end: string } | undefined,
  timeZone: string,
): QuietHours {
  return new QuietHours(setting?.start ?? '21:00', setting?.end ?? '09:00', timeZone);
}

/**
 * When a flash asked for at `at` really reaches residents: at once, or at the end of quiet hours when
 * `at` falls inside them (the same hold as `flash send --at`).
 */
export function sendMoment(at: Date, quiet: QuietHours): { at: Date; held: boolean } {
  const hold = quiet.holdMs(at);
  return hold > 0 ? { at: new Date(at.getTime() + hold), held: true } : { at, held: false };
}

/** "vrijdag 11 december" (with the year when it is not this year's) and "19:00", in `timeZone`. */
export function momentParts(at: Date, now: Date, timeZone: string): { day: string; time: string } {
  const sameYear = wallTimeOf(at, timeZone).year === wallTimeOf(now, timeZone).year;
  const day = new Intl.DateTimeFormat('nl-NL', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(!sameYear && { year: 'numeric' }),
    timeZone,
  }).format(at);
  const time = new Intl.DateTimeFormat('nl-NL', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(at);
  return { day, time };
}
