import { z } from 'zod';
import { instantOf, wallTimeOf } from '../domain/time.js';

export const WEEKDAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;
/** Which of the month's weekdays: the first to the fourth, or the last. */
export const NTHS = ['first', 'second', 'third', 'fourth', 'last'] as const;

/**
 * When a recurring wave opens: every month or every quarter (January, April, July, October) on the
 * first … fourth or last given weekday, at a wall-clock time in TIME_ZONE.
 */
export const ScheduleRuleSchema = z.strictObject({
  every: z.enum(['month', 'quarter']),
  nth: z.enum(NTHS),
  weekday: z.enum(WEEKDAYS),
  at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time like 10:00'),
});
export type ScheduleRule = z.infer<typeof ScheduleRuleSchema>;

/** "every quarter on the first monday at 10:00". */
export function describeRule(rule: ScheduleRule): string {
  return `every ${rule.every} on the ${rule.nth} ${rule.weekday} at ${rule.at}`;
}

/** The day of the month of the rule's weekday in that month (month 1–12). */
function dayIn(rule: ScheduleRule, year: number, month: number): number {
  const weekday = WEEKDAYS.indexOf(rule.weekday);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (rule.nth === 'last') {
    const lastWeekday = new Date(Date.UTC(year, month - 1, days)).getUTCDay();
    return days - ((lastWeekday - weekday + 7) % 7);
  }
  const firstWeekday = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  return 1 + ((weekday - firstWeekday + 7) % 7) + 7 * NTHS.indexOf(rule.nth);
}

/** The rule's occurrences in the months around `around`, in order. */
function occurrencesAround(
  rule: ScheduleRule,
  around: Date,
  timeZone: string,
  before: number,
  after: number,
) {
  const wall = wallTimeOf(around, timeZone);
  const [hour, minute] = rule.at.split(':').map(Number) as [number, number];
  const out: Date[] = [];
  for (let i = -before; i <= after; i++) {
    const m = new Date(Date.UTC(wall.year, wall.month - 1 + i, 1));
    const year = m.getUTCFullYear();
    const month = m.getUTCMonth() + 1;
    if (rule.every === 'quarter' && (month - 1) % 3 !== 0) continue;
    out.push(instantOf({ year, month, day: dayIn(rule, year, month), hour, minute }, timeZone));
  }
  return out;
}

/** The first occurrence after `after` (strictly). */
export function nextOccurrence(rule: ScheduleRule, after: Date, timeZone: string): Date {
  return occurrencesAround(rule, after, timeZone, 0, 4).find((d) => d > after)!;
}

/** The last occurrence at or before `at`, if any in the months before. */
export function latestOccurrence(rule: ScheduleRule, at: Date, timeZone: string): Date | undefined {
  return occurrencesAround(rule, at, timeZone, 3, 0)
    .filter((d) => d <= at)
    .at(-1);
}

/** The first occurrence after `after` that is not in `taken` (opened or skipped already). */
export function nextFreeOccurrence(
  rule: ScheduleRule,
  after: Date,
  timeZone: string,
  taken: ReadonlySet<number>,
): Date {
  let next = nextOccurrence(rule, after, timeZone);
  while (taken.has(next.getTime())) next = nextOccurrence(rule, next, timeZone);
  return next;
}
