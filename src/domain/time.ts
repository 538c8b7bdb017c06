/** A wall-clock date and time in some time zone (month 1–12). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** True when the runtime knows this IANA time zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** What a wall clock in `timeZone` shows at `date`. */
export function wallTimeOf(date: Date, timeZone: string): WallTime & { second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatFor(timeZone).formatToParts(date)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** How far the zone's clock is ahead of UTC at `ms` (whole seconds are enough for every real zone). */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallTimeOf(new Date(ms), timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timeZone` shows `wall`. Across a daylight-saving change a
 * time that does not exist (02:30 on the spring night) comes out an hour later, and a time that
 * happens twice (02:30 on the autumn night) gives the first of the two.
 */
export function instantOf(wall: WallTime, timeZone: string): Date {
  // Date.UTC normalises overflow, so day 32 or hour 24 roll over like a calendar would.
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const first = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(first, timeZone);
  if (first === second) {
    // The earlier of two possible instants, for a repeated hour.
    const earlier = first - 3_600_000;
    return guess - offsetAt(earlier, timeZone) === earlier ? new Date(earlier) : new Date(first);
  }
  // Inside a gap: the two guesses disagree; the later one lands just after the change.
  return new Date(Math.max(first, second));
}

/** The calendar day after `wall`'s day (time kept). */
export function nextDay(wall: WallTime): WallTime {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + 1));
  return { ...wall, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** "21:00" as minutes after midnight. */
export function minutesOf(clock: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(clock);
  if (!match) throw new RangeError(`expected a time like 21:00, got ${clock}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * Reads a date and time given on the command line or in a chat command: an ISO 8601 instant with an
 * offset (`2026-03-14T10:00:00Z`), or a local time without one (`2026-03-14T10:00`, `2026-03-14 10:00`),
 * which is read as wall-clock time in `timeZone`. Returns undefined for anything else.
 */
export function parseDateTime(text: string, timeZone: string): Date | undefined {
  const trimmed = text.trim();
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(trimmed);
  if (local) {
    const [year, month, day, hour, minute] = local.slice(1, 6).map((v) => Number(v ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
    return instantOf({ year, month, day, hour, minute }, timeZone);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(trimmed)) return undefined;
  const date = new Date(trimmed);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
