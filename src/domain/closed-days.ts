import Holidays from 'date-holidays';

// Days the wijkteam's office is closed although the weekday has office hours: the Dutch public
// holidays, Liberation Day in the years it is a day off for government, and days the operator lists
// (OFFICE_CLOSED_DAYS, e.g. carnival Monday and Tuesday in Maastricht).

/** A calendar day as YYYY-MM-DD. */
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written as YYYY-MM-DD. */
export function isIsoDay(text: string): boolean {
  const m = ISO_DAY.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Liberation Day (5 May) is a day off for government every five years (2025, 2030, …). */
export function liberationDayOff(year: number): boolean {
  return year % 5 === 0;
}

let calendar: Holidays | undefined;
const byYear = new Map<number, ReadonlySet<string>>();

/**
 * The Dutch public holidays of a year (date-holidays, region NL, type `public`: New Year, Easter
 * Monday, King's Day, Ascension, Whit Monday, Christmas and Boxing Day, and the Sundays of Easter and
 * Whitsun), plus 5 May in the years it is a day off for government. Good Friday is no public holiday
 * (the library lists it, and Liberation Day, as `school`): an office closed then lists it in
 * OFFICE_CLOSED_DAYS.
 */
export function dutchHolidays(year: number): ReadonlySet<string> {
  let days = byYear.get(year);
  if (!days) {
    calendar ??= new Holidays('NL');
    const set = new Set(
      calendar
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    if (liberationDayOff(year)) set.add(`${year}-05-05`);
    days = set;
    byYear.set(year, days);
  }
  return days;
}

/** The days the office is closed on: Dutch public holidays and the extra days given. */
export class ClosedDays {
  readonly #extra: ReadonlySet<string>;
  constructor(extra: readonly string[] = []) {
    this.#extra = new Set(extra);
  }
  /** The extra days, as given. */
  get extra(): string[] {
    return [...this.#extra].sort();
  }
  /** True when the office is closed on this calendar day (YYYY-MM-DD, in the city's time zone). */
  has(day: string): boolean {
    if (this.#extra.has(day)) return true;
    return dutchHolidays(Number(day.slice(0, 4))).has(day);
  }
}
