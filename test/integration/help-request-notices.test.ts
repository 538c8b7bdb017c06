import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { addStaff } from '../../src/desk/staff.js';
import { consoleInbox } from '../helpers/app.js';
import { startClockedApp, TestClock } from '../helpers/broadcast.js';
import { ConsoleUsers, seedResidents } from '../helpers/desk.js';
import { eventually } from '../helpers/env.js';

// The wijkteam hears of a help request when it arrives (in office hours; else when they start), the
// resident hears when it is closed, and what staff send a resident waits for the end of quiet hours
// unless the resident wrote in the last hour. Quiet hours 21:00–09:00, office hours ma-vr 09:00-17:00.

const clock = new TestClock('2026-03-11T12:00:00Z'); // Wednesday 13:00 in Maastricht
let app: App;
let stop: () => Promise<void>;
let users: ConsoleUsers;

const COLINE = 'hn-coline'; // wijkteam Nazareth
const PIET = 'hn-piet'; // wijkteam Pottenberg
const WIM = 'hn-wim'; // wijkteam, every area
const ANNE = 'hn-anne'; // admin
const ANA = 'hn-ana'; // analyst
const NAZ = 'hn-naz-bewoner';
const POT = 'hn-pot-bewoner';
const LATE = 'hn-naz-laat';

beforeAll(async () => {
  ({ app, stop } = await startClockedApp(clock, {
    QUIET_HOURS_START: '21:00',
    QUIET_HOURS_END: '09:00',
    ONBOARDING_POLL: 'false',
    SCHEDULER_TICK_MS: '300',
  }));
  users = new ConsoleUsers(app);
  const now = clock.now();
  const staff = [
    { user: COLINE, role: 'wijkteam', name: 'Coline', area: 'nazareth' },
    { user: PIET, role: 'wijkteam', name: 'Piet', area: 'pottenberg' },
    { user: WIM, role: 'wijkteam', name: 'Wim' },
    { user: ANNE, role: 'admin', name: 'Anne' },
    { user: ANA, role: 'analyst', name: 'Ana' },
  ] as const;
  for (const s of staff) await addStaff(app.db, { channel: 'console', ...s }, 'cli', now);
  await seedResidents(app, [
    { address: NAZ, area: 'nazareth' },
    { address: POT, area: 'pottenberg' },
    { address: LATE, area: 'nazareth' },
  ]);
}, 60_000);
afterAll(async () => stop?.());

const inbox = (address: string) => consoleInbox(app, address);
const told = async (address: string, text: string) => (await inbox(address)).filter((m) => m.includes(text));
async function requestOf(address: string): Promise<string> {
  const row = await app.db
    .selectFrom('help_requests as h')
    .innerJoin('residents as r', 'r.id', 'h.resident_id')
    .select('h.id')
    .where('r.address', '=', address)
    .executeTakeFirstOrThrow();
  return String(row.id);
}

describe('a new help request', () => {
  it('is told at once, in office hours, to the area’s wijkteam members and admins', async () => {
    await users.send(NAZ, 'HULP', 'ja', 'Ik zoek een huisarts');
    const id = await requestOf(NAZ);
    const notice = `Nieuwe hulpvraag: #${id} (Nazareth).`;
    for (const member of [COLINE, WIM, ANNE]) {
      await eventually(async () => (await told(member, notice)).length === 1, 5_000, `${member} told`);
    }
    await new Promise((r) => setTimeout(r, 1_000));
    for (const member of [COLINE, WIM, ANNE]) expect(await told(member, notice)).toHaveLength(1);
    expect(await inbox(PIET)).toEqual([]);
    expect(await inbox(ANA)).toEqual([]);
    // The notice names no resident and shows nothing they wrote.
    expect((await inbox(COLINE)).join('\n')).not.toMatch(/huisarts|hn-naz/);
  });

  it('outside office hours, waits until they start, skipping the weekend', async () => {
    clock.set('2026-03-14T10:00:00Z'); // Saturday 11:00
    await users.send(POT, 'HULP', 'ja', 'sla over');
    const id = await requestOf(POT);
    const notice = `Nieuwe hulpvraag: #${id} (Pottenberg).`;
    await new Promise((r) => setTimeout(r, 1_200));
    for (const member of [PIET, WIM, ANNE]) expect(await told(member, notice)).toEqual([]);

    clock.set('2026-03-16T08:00:01Z'); // Monday 09:00
    for (const member of [PIET, WIM, ANNE]) {
      await eventually(async () => (await told(member, notice)).length === 1, 5_000, `${member} told`);
    }
    await new Promise((r) => setTimeout(r, 1_000));
    for (const member of [PIET, WIM, ANNE]) expect(await told(member, notice)).toHaveLength(1);
    expect(await told(COLINE, notice)).toEqual([]);
    expect(await inbox(ANA)).toEqual([]);
  });

  it('tells the resident in one line when the wijkteam closes it', async () => {
    clock.set('2026-03-16T10:00:00Z'); // Monday 11:00
    const id = await requestOf(NAZ);
    await users.send(COLINE, `/sluit ${id}`);
    await eventually(
      async () => (await told(NAZ, 'Het wijkteam heeft je hulpvraag afgesloten.')).length === 1,
      5_000,
      'the resident told',
    );
  });
});

describe('a message staff start to a resident in quiet hours', () => {
  it('waits until 09:00 for a resident who has not written in the last hour', async () => {
    clock.set('2026-03-16T10:30:00Z'); // Monday 11:30: the request comes in
    await users.send(LATE, 'HULP', 'ja', 'Ik heb vragen over mijn huur');
    const id = await requestOf(LATE);
    clock.set('2026-03-17T07:59:57Z'); // Tuesday 08:59:57, quiet hours
    const before = (await inbox(LATE)).length;
    await users.send(COLINE, `/antwoord ${id} Ik bel je vanmiddag.`, 'ja');
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await inbox(LATE)).slice(before).join('\n')).not.toContain('Ik bel je vanmiddag.');
    // The row keeps the hold, so a re-queue after a crash waits as well.
    const held = await app.db
      .selectFrom('outbound_messages as o')
      .innerJoin('residents as r', 'r.id', 'o.resident_id')
      .select(['o.not_before', 'o.status'])
      .where('r.address', '=', LATE)
      .where('o.not_before', 'is not', null)
      .execute();
    expect(held).toEqual([{ not_before: new Date('2026-03-17T08:00:00Z'), status: 'queued' }]);
    await eventually(
      async () => (await inbox(LATE)).slice(before).some((m) => m.startsWith('Ik bel je vanmiddag.')),
      10_000,
      'the answer at 09:00',
    );
    expect(Date.now()).toBeGreaterThanOrEqual(clock.realTimeOf('2026-03-17T08:00:00Z') - 50);
  });

  it('holds an idea’s new status the same way', async () => {
    clock.set('2026-03-17T10:00:00Z'); // Tuesday 11:00: the idea comes in
    await users.send(LATE, 'IDEE', 'Meer bankjes op het plein', '4');
    const idea = await app.db.selectFrom('ideas').select('id').executeTakeFirstOrThrow();
    clock.set('2026-03-18T07:59:57Z'); // Wednesday 08:59:57, quiet hours
    const before = (await inbox(LATE)).length;
    await users.send(COLINE, `/idea ${idea.id} status gepland`, 'ja');
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await inbox(LATE)).slice(before).join('\n')).not.toContain('Goed nieuws over je idee');
    await eventually(
      async () => (await inbox(LATE)).slice(before).some((m) => m.includes('Goed nieuws over je idee')),
      10_000,
      'the status at 09:00',
    );
    expect(Date.now()).toBeGreaterThanOrEqual(clock.realTimeOf('2026-03-18T08:00:00Z') - 50);
  });

  it('goes at once to a resident who wrote in the last hour', async () => {
    clock.set('2026-03-17T21:30:00Z'); // Tuesday 22:30
    await users.send(NAZ, 'HULP', 'ja', 'Nog een vraag over de huisarts');
    const open = await app.db
      .selectFrom('help_requests as h')
      .innerJoin('residents as r', 'r.id', 'h.resident_id')
      .select('h.id')
      .where('r.address', '=', NAZ)
      .where('h.status', '<>', 'closed')
      .executeTakeFirstOrThrow();
    clock.set('2026-03-17T22:00:00Z'); // 23:00, 30 minutes later
    const before = (await inbox(NAZ)).length;
    await users.send(COLINE, `/antwoord ${open.id} Morgen bel ik je.`, 'ja');
    await eventually(
      async () => (await inbox(NAZ)).slice(before).some((m) => m.startsWith('Morgen bel ik je.')),
      3_000,
      'the answer at once',
    );
  });
});
