import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, prepareStorage, startApp } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { runCli } from '../helpers/cli.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

// One resident's week through the console, as a person types it: two flashes arrive (an RSVP
// for a coffee morning, then a plain one about the library bus) and JA still counts for the
// coffee morning; a question the bot cannot place gets a person; news goes off and on again;
// GEGEVENS gives a copy of all of it.

let setup: TestSetup;
let app: App;
const NAME = 'story-fatima';

beforeAll(async () => {
  // Not about the night: nothing is held, whatever the hour the test runs.
  setup = testSetup({ QUIET_HOURS_START: '00:00', QUIET_HOURS_END: '00:00', SCHEDULER_TICK_MS: '500' });
  await prepareStorage(setup.env);
  // The workers that fan flashes out; the chat runs its own app beside it, as a phone would.
  app = await startApp({ env: setup.env, log: createLogger('silent'), role: 'all', http: false });
});
afterAll(async () => {
  await app.stop();
  await setup.cleanup();
});

const chat = (lines: string[]) => runCli(['chat', '--as', NAME], setup.vars, `${lines.join('\n')}\n`, 90_000);
const cli = (...args: string[]) => runCli(args, setup.vars, '', 60_000);

describe('a resident through the console in one week', () => {
  it('keeps the RSVP across a newer flash, gets a person, turns news back on, and gets a copy', async () => {
    const joined = await chat([
      'Hallo',
      '1', // Nederlands
      'ja', // consent
      '1', // Nazareth
      '3', // 27–40
      '4', // thuis: Ja, meestal
      'niet echt', // hulp
      '5', // vertrouwen
      'Meer bankjes op het plein', // Wat kan beter?
    ]);
    expect(joined.code).toBe(0);
    // The console has no buttons: it asks for the number, not for a tap.
    expect(joined.stdout).not.toMatch(/Tik op/);

    const coffee = await cli(
      'flash',
      'send',
      '--text-nl',
      'Koffie-ochtend in buurthuis Trefpunt, zaterdag om 10 uur.',
      '--rsvp',
      '--wait',
      '--json',
    );
    expect(coffee.code, coffee.stderr).toBe(0);
    const bus = await cli(
      'flash',
      'send',
      '--text-nl',
      'De bibliotheekbus staat woensdag op het plein.',
      '--wait',
      '--json',
    );
    expect(bus.code, bus.stderr).toBe(0);
    const coffeeId = (JSON.parse(coffee.stdout) as { id: string }).id;

    const week = await chat([
      'JA',
      'Waar kan ik terecht met mijn schulden?',
      'ja',
      'STOP NIEUWS',
      'NIEUWS AAN',
      'GEGEVENS',
    ]);
    expect(week.code).toBe(0);
    const out = week.stdout;
    // Both flashes arrived, the plain one last; JA still counts for the coffee morning.
    expect(out.indexOf('Koffie-ochtend')).toBeLessThan(out.indexOf('bibliotheekbus'));
    expect(out).toContain('Fijn dat je komt!');
    expect(out).not.toMatch(/begrijp ik niet|begreep ik niet/);
    // The question gets a person, not the menu.
    expect(out).toContain('Ik begrijp je vraag niet. Wil je dat iemand van het wijkteam je antwoordt?');
    expect(out).toContain('Iemand van het wijkteam stuurt je een bericht.');
    // STOP NIEUWS says how to undo it, and NIEUWS AAN does.
    expect(out).toContain('Weer nieuws? Stuur NIEUWS AAN.');
    expect(out).toContain('Goed, je krijgt weer nieuws van ons.');
    // The copy: profile, the answer they gave, the help request, the RSVP.
    const copy = out.slice(out.indexOf('Dit bewaren we over jou'));
    expect(copy).toContain('Buurt: Nazareth');
    expect(copy).toContain('Nieuws: aan');
    expect(copy).toContain('Meer bankjes op het plein');
    expect(copy).toContain('Waar kan ik terecht met mijn schulden?');
    expect(copy).toContain('Koffie-ochtend');
    expect(copy).not.toContain('bibliotheekbus');

    const resident = await app.db
      .selectFrom('residents')
      .select(['id', 'news_opt_out'])
      .where('channel', '=', 'console')
      .where('address', '=', NAME)
      .executeTakeFirstOrThrow();
    expect(resident.news_opt_out).toBe(false);
    const rsvps = await app.db
      .selectFrom('flash_rsvps')
      .select('flash_id')
      .where('resident_id', '=', resident.id)
      .execute();
    expect(rsvps.map((r) => r.flash_id)).toEqual([coffeeId]);
    const requests = await app.db
      .selectFrom('help_requests')
      .select('status')
      .where('resident_id', '=', resident.id)
      .execute();
    expect(requests).toEqual([{ status: 'open' }]);
  });
});
