import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTexts } from '../../flows/i18n/texts.js';
import type { App } from '../../src/app.js';
import { createFlashOnce } from '../../src/desk/broadcasts.js';
import { runCli } from '../helpers/cli.js';
import { ConsoleUsers, seedResidents, startDeskApp } from '../helpers/desk.js';
import { eventually } from '../helpers/env.js';

// The wijkteam's chat commands on the whole app (real PostgreSQL and Redis), staff and residents on the
// console channel. Flashes and waves go through the real fan-out; quiet hours are off.

let app: App;
let stop: () => Promise<void>;
let vars: Record<string, string>;
let users: ConsoleUsers;

const STAFF = 'coline';
const ANALYST = 'ana';
const NAZ = ['naz-bewoner-a7', 'naz-bewoner-b3'];
const POT = 'pot-bewoner-c9';
const STOPPED = 'naz-gestopt-d1';
const NO_NEWS = 'naz-geennieuws-e5';
const IDEA_AUTHOR = 'naz-ideeen-f2';
const HELP_SEEKER = 'naz-hulp-g4';
const RESIDENTS = [...NAZ, POT, STOPPED, NO_NEWS, IDEA_AUTHOR, HELP_SEEKER];

beforeAll(async () => {
  let setup: Awaited<ReturnType<typeof startDeskApp>>['setup'];
  ({ app, setup, stop } = await startDeskApp([
    { user: STAFF, name: 'Coline' },
    { user: ANALYST, name: 'Ana', role: 'analyst' },
  ]));
  vars = setup.vars;
  users = new ConsoleUsers(app);
  await seedResidents(app, [
    ...NAZ.map((address) => ({ address, area: 'nazareth' })),
    { address: POT, area: 'pottenberg' },
    { address: STOPPED, area: 'nazareth', status: 'stopped' as const },
    { address: NO_NEWS, area: 'nazareth', newsOptOut: true },
  ]);
}, 60_000);
afterAll(async () => {
  await stop?.();
});

async function count(table: 'flashes' | 'broadcasts' | 'waves'): Promise<number> {
  const row = await app.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('staff chat commands', () => {
  it('treats a /flash from someone who is not staff as ordinary text', async () => {
    const replies = await users.send(NAZ[0]!, '/flash Gratis taart voor iedereen');
    expect(replies.join('\n')).toMatch(/begrijp ik niet/);
    const state = await app.db
      .selectFrom('conversations as c')
      .innerJoin('residents as r', 'r.id', 'c.resident_id')
      .select('c.state')
      .where('r.address', '=', NAZ[0]!)
      .executeTakeFirstOrThrow();
    expect((state.state as { flow: string }).flow).not.toBe('desk');
    expect(await count('flashes')).toBe(0);
  });

  it('never sends a flash that was composed but not confirmed', async () => {
    const composed = await users.send(
      STAFF,
      '/flash',
      'Zaterdag 10:00 buurtontbijt in ’t Trefpunt',
      'sla over',
      '1', // Nazareth
      'nee', // no RSVP
    );
    const preview = composed.join('\n');
    expect(preview).toContain('Zaterdag 10:00 buurtontbijt');
    // Nazareth's two active residents; the one who stopped and the one without news are not counted.
    expect(preview).toMatch(/Voor: Nazareth\. Dat zijn nu 2 bewoners/);
    expect(preview).toMatch(/Versturen\?/);
    expect((await users.send(STAFF, 'nee')).join('\n')).toMatch(/niets naar bewoners/);
    // A second draft is dropped by starting another command.
    await users.send(STAFF, '/flash Nog een flits', 'skip', '4', 'nee');
    await users.send(STAFF, '/hulpvragen');
    await new Promise((r) => setTimeout(r, 1500)); // three scheduler ticks
    expect(await count('flashes')).toBe(0);
    expect(await count('broadcasts')).toBe(0);
    for (const address of RESIDENTS) {
      expect(
        (await users.inbox(address)).filter((m) => m.includes('flits') || m.includes('buurtontbijt')),
      ).toEqual([]);
    }
  });

  it('sends a confirmed flash once, however often it is confirmed', async () => {
    await users.send(
      STAFF,
      '/flash Zaterdag 10:00 buurtontbijt in ’t Trefpunt',
      'Saturday 10:00 breakfast',
      '1',
      'ja',
    );
    const replies = await users.send(STAFF, 'ja', 'ja');
    expect(replies.join('\n')).toMatch(/Verstuurd\. Nummer van de flits/);
    expect(replies.join('\n')).toMatch(/al verstuurd/);
    for (const address of NAZ) {
      await eventually(
        async () => (await users.inbox(address)).some((m) => m.includes('buurtontbijt')),
        20_000,
      );
    }
    await eventually(async () => {
      const b = await app.db.selectFrom('broadcasts').select('status').executeTakeFirst();
      return b?.status === 'sent';
    });
    await new Promise((r) => setTimeout(r, 1000)); // let any duplicate show itself
    expect(await count('flashes')).toBe(1);
    for (const address of NAZ) {
      expect((await users.inbox(address)).filter((m) => m.includes('buurtontbijt'))).toHaveLength(1);
      expect((await users.inbox(address)).join('\n')).toMatch(/Kom je\? Stuur JA/);
    }
    for (const address of [POT, STOPPED, NO_NEWS]) {
      expect((await users.inbox(address)).filter((m) => m.includes('buurtontbijt'))).toEqual([]);
    }
  });

  it('creates a flash with a draft id at most once, even when asked twice', async () => {
    const id = '4f1d6c1e-9a51-4a3e-9d0b-2c6b0b7f1a11';
    const make = () =>
      app.db
        .transaction()
        .execute((tx) =>
          createFlashOnce(
            tx,
            { texts: loadTexts() },
            { id, text: { nl: 'Eén keer' }, audience: { areas: ['pottenberg'] }, rsvp: false },
            'staff:1',
            new Date(),
          ),
        );
    expect(await make()).toHaveLength(1);
    expect(await make()).toEqual([]);
    const rows = await app.db.selectFrom('flashes').select('id').where('id', '=', id).execute();
    expect(rows).toHaveLength(1);
  });

  it('launches a poll wave after the preview and a confirm', async () => {
    const replies = await users.send(STAFF, '/poll', '1', '2', 'ja');
    const text = replies.join('\n');
    expect(text).toMatch(/Peiling starten\?/);
    expect(text).toMatch(/De peiling is gestart/);
    expect(await count('waves')).toBe(1);
    await eventually(async () => (await users.inbox(POT)).length > 0, 20_000, 'the invitation');
  });

  it('answers an idea through the bot without showing staff who sent it', async () => {
    await seedResidents(app, [{ address: IDEA_AUTHOR, area: 'nazareth' }]);
    await users.send(IDEA_AUTHOR, 'IDEE', 'Een bankje bij de bushalte. Mail me op jan@example.org', '4');
    const idea = await app.db.selectFrom('ideas').select(['id', 'text']).executeTakeFirstOrThrow();
    expect(idea.text).toContain('[e-mail]');

    const listed = (await users.send(STAFF, '/ideas')).join('\n');
    expect(listed).toContain(`Idee ${idea.id}`);
    expect(listed).toContain('Een bankje bij de bushalte');

    const preview = (
      await users.send(STAFF, `/idea ${idea.id} reply Goed idee! We vragen het bankje aan.`)
    ).join('\n');
    expect(preview).toMatch(/Groetjes, Coline — wijkteam Nazareth/);
    expect((await users.inbox(IDEA_AUTHOR)).join('\n')).not.toContain('vragen het bankje aan');
    await users.send(STAFF, 'ja');
    await users.send(STAFF, `/idea ${idea.id} status gepland`, 'ja');
    await users.delivered(IDEA_AUTHOR);
    const got = (await users.inbox(IDEA_AUTHOR)).join('\n');
    expect(got).toMatch(/Een antwoord op je idee “Een bankje bij de bushalte/);
    expect(got).toMatch(/Goed idee! We vragen het bankje aan\.\n\nGroetjes, Coline — wijkteam Nazareth/);
    expect(got).toMatch(/Goed nieuws over je idee/);
    const status = await app.db.selectFrom('ideas').select('status').executeTakeFirstOrThrow();
    expect(status.status).toBe('gepland');
  });

  it('lets an analyst see the figures but not send anything', async () => {
    expect((await users.send(ANALYST, '/flash Hallo')).join('\n')).toMatch(/alleen voor het wijkteam/);
    const results = (await users.send(ANALYST, '/results')).join('\n');
    expect(results).toMatch(/Cijfers van Straatpraat/);
    expect(results).toMatch(/Bewoners die meedoen: Nazareth \d+/);
  });

  it('flags a request nobody took for a working day; the command line answers and closes it', async () => {
    await seedResidents(app, [{ address: HELP_SEEKER, area: 'nazareth' }]);
    await users.send(HELP_SEEKER, 'HULP', 'ja', 'Ik zoek een huisarts');
    const request = await app.db
      .selectFrom('help_requests')
      .select(['id', 'due_at'])
      .executeTakeFirstOrThrow();
    expect(request.due_at.getTime()).toBeGreaterThan(Date.now());
    await app.db
      .updateTable('help_requests')
      .set({ due_at: new Date(Date.now() - 60_000) })
      .execute();
    await eventually(
      async () => {
        const row = await app.db.selectFrom('help_requests').select('flagged_at').executeTakeFirstOrThrow();
        return row.flagged_at !== null;
      },
      10_000,
      'the scheduler to flag the request',
    );
    // The wijkteam hears of it in the chat, once; the analyst does not.
    const notice = `Deze hulpvragen wachten al een werkdag: ${request.id}.`;
    await eventually(
      async () => (await users.inbox(STAFF)).some((m) => m.includes(notice)),
      10_000,
      'the wijkteam to be told',
    );
    await new Promise((r) => setTimeout(r, 1_200));
    expect((await users.inbox(STAFF)).filter((m) => m.includes(notice))).toHaveLength(1);
    expect((await users.inbox(ANALYST)).join('\n')).not.toMatch(/wachten al een werkdag/);
    expect((await users.send(STAFF, '/hulpvragen')).join('\n')).toMatch(/wacht al meer dan een werkdag/);

    const listed = await runCli(['help-requests', 'list'], vars);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(`#${request.id}\tnazareth\t.*\topen\tFLAGGED.*"Ik zoek een huisarts"`),
    );
    expect(listed.stdout).not.toContain(HELP_SEEKER);

    const staff = await app.db
      .selectFrom('staff')
      .select('id')
      .where('user_id', '=', STAFF)
      .executeTakeFirstOrThrow();
    const replied = await runCli(
      [
        'help-requests',
        'reply',
        String(request.id),
        'Ik',
        'bel',
        'je',
        'vandaag.',
        '--staff',
        String(staff.id),
      ],
      vars,
    );
    expect(replied.code, replied.stderr).toBe(0);
    expect(replied.stdout).toMatch(/sent to the resident/);
    await eventually(async () =>
      (await users.inbox(HELP_SEEKER)).some((m) => m.startsWith('Ik bel je vandaag.')),
    );
    expect((await users.inbox(HELP_SEEKER)).join('\n')).toMatch(
      /Ik bel je vandaag\.\n\nGroetjes, Coline — wijkteam Nazareth/,
    );
    const closed = await runCli(
      ['help-requests', 'close', String(request.id), '--staff', String(staff.id)],
      vars,
    );
    expect(closed.code, closed.stderr).toBe(0);
    const row = await app.db
      .selectFrom('help_requests')
      .select(['status', 'first_answered_at'])
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('closed');
    expect(row.first_answered_at).not.toBeNull();
  }, 90_000);

  it('never shows staff a resident’s address or id', async () => {
    await users.send(STAFF, '/hulpvragen', '/results', '/ideas gepland');
    const residents = await app.db.selectFrom('residents').select(['id', 'address']).execute();
    const secrets = residents
      .filter((r) => r.address !== STAFF && r.address !== ANALYST)
      .flatMap((r) => [r.id, r.address]);
    expect(secrets.length).toBeGreaterThanOrEqual(RESIDENTS.length * 2);
    const everything = [...(users.shown.get(STAFF) ?? []), ...(users.shown.get(ANALYST) ?? [])].join('\n');
    expect(everything.length).toBeGreaterThan(500);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it('records every staff action in the audit log', async () => {
    const audit = await runCli(['audit', '--json'], vars);
    expect(audit.code).toBe(0);
    const entries = JSON.parse(audit.stdout) as { actor: string; actorName: string | null; action: string }[];
    const actions = new Set(entries.map((e) => e.action));
    for (const action of [
      'staff.add',
      'flash.send',
      'poll.launch',
      'ideas.list',
      'idea.reply',
      'idea.status',
      'help.list',
      'help.reply',
      'help.close',
      'results.view',
    ]) {
      expect(actions, action).toContain(action);
    }
    expect(entries.find((e) => e.action === 'flash.send')).toMatchObject({ actorName: 'Coline' });
    expect(entries.filter((e) => e.action === 'flash.send')).toHaveLength(2); // chat, and the direct call above
  });
});
