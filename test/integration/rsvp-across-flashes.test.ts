import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { BroadcastDeps } from '../../src/broadcast/broadcasts.js';
import { sendFlash } from '../../src/broadcast/flashes.js';
import { meetingParticipation } from '../../src/broadcast/reports.js';
import { announceSession, sessionQuestions } from '../../src/broadcast/sessions.js';
import { consoleInbox, consoleMessage } from '../helpers/app.js';
import { seedResidents, startClockedApp, TestClock } from '../helpers/broadcast.js';
import { eventually } from '../helpers/env.js';

// Several flashes in one week: an RSVP is not lost behind a newer flash, and VRAAG finds the session.
const clock = new TestClock('2026-03-09T10:00:00Z'); // Monday 11:00 in Maastricht
let app: App;
let deps: BroadcastDeps;
let stop: () => Promise<void>;
let ids: Map<string, string>;

beforeAll(async () => {
  ({ app, deps, stop } = await startClockedApp(clock, { SCHEDULER_TICK_MS: '300' }));
  ids = await seedResidents(app, [
    { address: 'rx-one' },
    { address: 'rx-two' },
    { address: 'rx-asks' },
    { address: 'rx-pottenberg', area: 'pottenberg' },
  ]);
});
afterAll(async () => stop());

const everyone = ['rx-one', 'rx-two', 'rx-asks', 'rx-pottenberg'];
const inbox = (address: string) => consoleInbox(app, address);
const last = async (address: string) => (await inbox(address)).at(-1) ?? '';
/** Sends one message and waits for the bot's reply to it. */
/** Sends a message and returns the replies once `replies` of them have arrived. */
async function say(address: string, text: string, replies = 1): Promise<string> {
  const before = (await inbox(address)).length;
  await app.ingress.accept(consoleMessage(address, text));
  await eventually(
    async () => (await inbox(address)).length >= before + replies,
    10_000,
    `a reply to ${text}`,
  );
  return (await inbox(address)).slice(before).join('\n');
}
async function flash(text: string, rsvp: boolean, areas?: ('nazareth' | 'pottenberg')[]) {
  const created = await sendFlash(
    deps,
    { text: { nl: text }, rsvp, ...(areas && { audience: { areas } }) },
    'test',
  );
  const to = areas
    ? everyone.filter((a) => areas.includes(a === 'rx-pottenberg' ? 'pottenberg' : 'nazareth'))
    : everyone;
  for (const address of to) {
    await eventually(async () => (await last(address)).includes(text), 10_000, `${address}: ${text}`);
  }
  return created.id;
}
async function rsvpsOf(flashId: string): Promise<string[]> {
  const rows = await app.db
    .selectFrom('flash_rsvps')
    .innerJoin('residents', 'residents.id', 'flash_rsvps.resident_id')
    .select('residents.address')
    .where('flash_id', '=', flashId)
    .orderBy('residents.address')
    .execute();
  return rows.map((r) => r.address);
}

describe('RSVPs across several flashes', () => {
  let koffie: string;
  let koken: string;

  it('counts a JA for the RSVP flash when a plain flash came after it', async () => {
    koffie = await flash('Zaterdag koffie-ochtend in het Trefpunt, van tien tot twaalf.', true);
    clock.set('2026-03-09T12:00:00Z');
    await flash('De bibliotheekbus staat dinsdag op het plein.', false);
    const answer = await say('rx-one', 'JA');
    expect(answer).toContain('Fijn dat je komt');
    expect(answer).not.toContain('Sorry');
    expect(await rsvpsOf(koffie)).toEqual(['rx-one']);
  });

  it('asks which one when two RSVPs are open, and the number counts for that one', async () => {
    clock.set('2026-03-10T09:00:00Z');
    koken = await flash('Woensdag samen koken in de buurtkeuken. Neem een schort mee!', true);
    const asked = await say('rx-two', 'ja');
    expect(asked).toContain('Naar welke kom je?');
    // Newest first: koken is 1, koffie is 2.
    expect(asked.indexOf('Woensdag samen koken')).toBeGreaterThan(-1);
    expect(asked.indexOf('Zaterdag koffie-ochtend')).toBeGreaterThan(asked.indexOf('Woensdag samen koken'));
    expect(await rsvpsOf(koffie)).toEqual(['rx-one']);
    expect(await rsvpsOf(koken)).toEqual([]);

    expect(await say('rx-two', '2')).toContain('Fijn dat je komt');
    expect(await rsvpsOf(koffie)).toEqual(['rx-one', 'rx-two']);
    expect(await rsvpsOf(koken)).toEqual([]);

    // One left open for each of them now: JA counts for it without asking.
    expect(await say('rx-two', 'ja')).toContain('Fijn dat je komt');
    expect(await say('rx-one', 'ja')).toContain('Fijn dat je komt');
    expect(await rsvpsOf(koken)).toEqual(['rx-one', 'rx-two']);
    expect(await say('rx-one', 'ja')).toContain('al gezegd');
  });

  it('asks again after a reply that is no number, then lets it go', async () => {
    const asked = await say('rx-asks', 'ja');
    expect(asked).toContain('Naar welke kom je?');
    expect(await say('rx-asks', 'misschien', 2)).toContain('Naar welke kom je?');
    expect(await say('rx-asks', 'weet niet')).toContain('Stuur JA als je toch komt');
    expect(await rsvpsOf(koffie)).toEqual(['rx-one', 'rx-two']);
    expect(await rsvpsOf(koken)).toEqual(['rx-one', 'rx-two']);
  });

  it('sends VRAAG to the next session in the area, also after a newer plain flash', async () => {
    clock.set('2026-03-10T10:00:00Z');
    const session = await announceSession(
      deps,
      {
        at: new Date('2026-03-19T18:00:00Z'),
        where: 'Buurthuis Trefpunt',
        who: 'wethouder Jansen',
        audience: { areas: ['nazareth'] },
      },
      'test',
    );
    for (const address of ['rx-one', 'rx-two', 'rx-asks']) {
      await eventually(async () => (await last(address)).includes('Buurthuis Trefpunt'), 10_000, address);
    }
    clock.set('2026-03-11T10:00:00Z');
    await flash('Donderdag wordt het oud papier opgehaald.', false);

    expect(await say('rx-asks', 'VRAAG')).toContain('Wat wil je vragen?');
    await say('rx-asks', 'Komt er een zebrapad bij de school?');
    expect(await say('rx-asks', '4')).toContain('zonder je naam');
    expect(await sessionQuestions(app.db, session.id)).toEqual([
      { theme: 'wonen', questions: [{ text: 'Komt er een zebrapad bij de school?', askedOn: '2026-03-11' }] },
    ]);
    expect(await say('rx-pottenberg', 'VRAAG')).toContain('geen straatpraat');
  });

  it('keeps every RSVP in the meetings indicator', async () => {
    const rows = await meetingParticipation(app.db, 'Europe/Amsterdam');
    const byFlash = new Map(rows.filter((r) => r.area === 'nazareth').map((r) => [r.flashId, r.rsvps]));
    expect(byFlash.get(koffie)).toBe(2);
    expect(byFlash.get(koken)).toBe(2);
    expect(ids.size).toBe(4);
  });
});
