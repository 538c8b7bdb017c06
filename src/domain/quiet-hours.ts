import { instantOf, minutesOf, nextDay, type WallTime, wallTimeOf } from './time.js';

/**
 * The hours in which the bot starts nothing itself: flashes, invitations and reminders
 * wait until the end; replies to a resident's own message never wait. Wall-clock times in one time
 * zone, so the night stays 21:00–09:00 on both sides of a daylight-saving change.
 */
export class QuietHours {
  readonly start: number;
  readonly end: number;
  readonly timeZone: string;

  /** `start` and `end` as "HH:MM"; equal times mean no quiet hours. */
  constructor(start: string, end: string, timeZone: string) {
    this.start = minutesOf(start);
    this.end = minutesOf(end);
    this.timeZone = timeZone;
  }

  /** True when `now` falls in the quiet hours. */
  isQuiet(now: Date): boolean {
    if (this.start === this.end) return false;
    const wall = wallTimeOf(now, this.timeZone);
    const m = wall.hour * 60 + wall.minute;
    return this.start < this.end ? m >= this.start && m < this.end : m >= this.start || m < this.end;
  }

  /** How long (ms) a message the bot starts itself must wait at `now`; 0 outside quiet hours. */
  holdMs(now: Date): number {
    if (!this.isQuiet(now)) return 0;
    const wall = wallTimeOf(now, this.timeZone);
    const m = wall.hour * 60 + wall.minute;
    // After the evening start of a night that runs past midnight, the end is tomorrow morning.
    const day: WallTime = this.start > this.end && m >= this.start ? nextDay(wall) : wall;
    return Math.max(0, this.endOn(day).getTime() - now.getTime());
  }

  /** The moment quiet hours end on the calendar day of `day` (e.g. 09:00 that morning). */
  endOn(day: WallTime): Date {
    return instantOf(
      {
        year: day.year,
        month: day.month,
        day: day.day,
        hour: Math.floor(this.end / 60),
        minute: this.end % 60,
      },
      this.timeZone,
    );
  }
}

/**
 * When the day's reminder of a session starting at `at` goes: the end of quiet hours on the session's
 * day (09:00). A session that starts before then is reminded of the morning before; one announced on
 * the day itself halfway between the announcement and the start.
 */
export function dayReminderAt(quiet: QuietHours, at: Date, announcedAt: Date): Date {
  let reminder = quiet.endOn(wallTimeOf(at, quiet.timeZone));
  if (reminder >= at) reminder = quiet.endOn(wallTimeOf(new Date(at.getTime() - 86_400_000), quiet.timeZone));
  if (reminder <= announcedAt)
    reminder = new Date(announcedAt.getTime() + (at.getTime() - announcedAt.getTime()) / 2);
  return reminder;
}
