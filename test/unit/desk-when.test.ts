import { describe, expect, it } from 'vitest';
import { momentParts, parseWhen, quietHoursOf, sendMoment } from '../../flows/desk/when.js';

// The moments the wijkteam types when scheduling from the chat, read in Maastricht's time zone.

const TZ = 'Europe/Amsterdam';
// Wednesday 9 December 2026, 12:00 in Maastricht.
const NOW = new Date('2026-12-09T11:00:00Z');

/** The answer as local "YYYY-MM-DD HH:MM", or the reason it was refused. */
function local(text: string, now = NOW): string {
  const answer = parseWhen(text, now, TZ);
  if (!answer.ok) return answer.reason;
  if (answer.now) return 'now';
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(answer.at);
}

describe('reading a moment typed in the chat', () => {
  it.each([
    ['vanavond 19:00', '2026-12-09 19:00'],
    ['Vanavond om 19.00', '2026-12-09 19:00'],
    ['vanavond 7 uur', '2026-12-09 19:00'],
    ['vandaag 14:30', '2026-12-09 14:30'],
    ['16:00', '2026-12-09 16:00'],
    ['19u', '2026-12-09 19:00'],
    ['morgen 10:00', '2026-12-10 10:00'],
    ['morgen om 10 uur', '2026-12-10 10:00'],
    ['overmorgen 9:30', '2026-12-11 09:30'],
    ['vrijdag 9:30', '2026-12-11 09:30'],
    ['vr 19u', '2026-12-11 19:00'],
    ['maandag 10:00', '2026-12-14 10:00'],
    ['woensdag 13:00', '2026-12-09 13:00'],
    ['woensdag 11:00', '2026-12-16 11:00'],
    ['12 december 14:00', '2026-12-12 14:00'],
    ['12 dec om 14:00', '2026-12-12 14:00'],
    ['5 januari 10:00', '2027-01-05 10:00'],
    ['3 maart 2027 10:00', '2027-03-03 10:00'],
    ['24-12 18:00', '2026-12-24 18:00'],
    ['2027-01-05T10:00', '2027-01-05 10:00'],
    ['2027-01-05 10:00', '2027-01-05 10:00'],
    ['2027-01-05T09:00:00Z', '2027-01-05 10:00'],
    ['tomorrow 10:00', '2026-12-10 10:00'],
    ['friday at 19:00', '2026-12-11 19:00'],
    ['nu', 'now'],
    ['Nu', 'now'],
  ])('reads "%s" as %s', (text, expected) => {
    expect(local(text)).toBe(expected);
  });

  it.each([
    ['vanochtend 9:00'],
    ['vandaag 11:59'],
    ['2026-12-01T10:00'],
    ['2026-12-09T11:00:00Z'],
    ['8 december 2026 10:00'],
  ])('refuses "%s": that moment has passed', (text) => {
    expect(local(text)).toBe('past');
  });

  it.each([
    ['morgen'],
    ['vrijdag'],
    ['ooit'],
    ['morgen 25:00'],
    ['31 november 10:00'],
    ['12 decembr 14:00'],
    ['morgen 10:00 en vrijdag 11:00'],
    ['2'],
    ['19'],
    ['2027-01-05'],
    [''],
    ['x'.repeat(200)],
  ])('does not read "%s" as a moment', (text) => {
    expect(local(text)).toBe('unknown');
  });

  it('reads local times across the change to summer time', () => {
    // Saturday 27 March 2027; the clocks go forward that night.
    const saturday = new Date('2027-03-27T11:00:00Z');
    expect(parseWhen('morgen 10:00', saturday, TZ)).toEqual({
      ok: true,
      at: new Date('2027-03-28T08:00:00Z'),
      now: false,
    });
  });
});

describe('when a scheduled flash reaches residents', () => {
  const quiet = quietHoursOf({ start: '21:00', end: '09:00' }, TZ);

  it('goes at the moment asked outside quiet hours', () => {
    const at = new Date('2026-12-11T18:00:00Z'); // Friday 19:00
    expect(sendMoment(at, quiet)).toEqual({ at, held: false });
  });

  it('waits until quiet hours end, as `flash send --at` does', () => {
    const late = new Date('2026-12-11T21:30:00Z'); // Friday 22:30
    expect(sendMoment(late, quiet)).toEqual({ at: new Date('2026-12-12T08:00:00Z'), held: true });
    const early = new Date('2026-12-12T06:00:00Z'); // Saturday 07:00
    expect(sendMoment(early, quiet)).toEqual({ at: new Date('2026-12-12T08:00:00Z'), held: true });
  });

  it('names the day and time as staff read them', () => {
    expect(momentParts(new Date('2026-12-11T18:00:00Z'), NOW, TZ)).toEqual({
      day: 'vrijdag 11 december',
      time: '19:00',
    });
    expect(momentParts(new Date('2027-01-05T09:00:00Z'), NOW, TZ)).toEqual({
      day: 'dinsdag 5 januari 2027',
      time: '10:00',
    });
  });
});
