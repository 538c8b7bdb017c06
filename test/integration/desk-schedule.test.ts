import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { fanOutJobId } from '../../src/broadcast/fanout.js';
import { parseDateTime } from '../../src/domain/time.js';
import { ConsoleUsers, seedResidents, startDeskApp } from '../helpers/desk.js';
import { eventually } from '../helpers/env.js';

// The chat desk catching up with the command line, on the whole app (real PostgreSQL and Redis):
// a flash scheduled from the chat, a flash to one language and channel, a straatpraat session
// announced step by step, and /ideas paged and filtered. Quiet hours are off.

let app: App;
let stop: () => Promise<void>;
let timeZone: string;
let users: ConsoleUsers;

const STAFF = 'coline-s';
const NAZ_NL = 'naz-nl-s1';
const NAZ_EN = 'naz-en-s2';
const POT_NL = 'pot-nl-s3';
const POT_EN = 'pot-en-s4';
const RESIDENTS = [NAZ_NL, NAZ_EN, POT_NL, POT_EN];

beforeAll(async () => {
  let setup: Awaited<ReturnType<typeof startDeskApp>>['setup'];
  ({ app, setup, stop } = await startDeskApp([{ user: STAFF, name: 'Coline' }]));
  timeZone = setup.env.TIME_ZONE;
  users = new ConsoleUsers(app);
  await seedResidents(app, [
    { address: NAZ_NL, area: 'nazareth' },
    { address: NAZ_EN, area: 'nazareth', language: 'en' },
    { address: POT_NL, area: 'pottenberg' },
    { address: POT_EN, area: 'pottenberg', language: 'en' },
  ]);
}, 60_000);
afterAll(async () => {
  await stop?.();
});

/** Tomorrow's date in the city, "YYYY-MM-DD". */
function tomorrow(): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(Date.now() + 86_400_000));
}

async function inboxWith(address: string, text: string): Promise<string[]> {
  return (await users.inbox(address)).filter((m) => m.includes(text));
}

describe('the chat desk schedules like the command line', () => {
  it('stores a flash for "morgen 10:00", confirms that moment, and sends nothing now', async () => {
    const preview = await users.send(
      STAFF,
      '/flash Morgen koffie in de tuin',
      'sla over',
      '4',
      'nee',
      'morgen 10:00',
    );
    expect(preview.join('\n')).toMatch(/Gaat uit op \S+ \d{1,2} \S+( \d{4})? om 10:00\./);
    const done = await users.send(STAFF, 'ja');
    expect(done.join('\n')).toMatch(/Ingepland op \S+ \d{1,2} \S+( \d{4})? om 10:00\. Nummer van de flits/);
    const expected = parseDateTime(`${tomorrow()}T10:00`, timeZone)!;
    const row = await app.db
      .selectFrom('flashes as f')
      .innerJoin('broadcasts as b', 'b.flash_id', 'f.id')
      .select(['f.id', 'b.id as broadcastId', 'b.send_at', 'b.status'])
      .where('f.texts', '@>', JSON.stringify({ nl: 'Morgen koffie in de tuin' }) as never)
      .executeTakeFirstOrThrow();
    expect(new Date(row.send_at).toISOString()).toBe(expected.toISOString());
    // The fan-out waits in the queue until then.
    const job = await app.queues.broadcast.getJob(fanOutJobId(row.broadcastId));
    expect(await job?.getState()).toBe('delayed');
    expect(job!.timestamp + job!.delay).toBeGreaterThan(expected.getTime() - 60_000);
    const audit = await app.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'flash.send')
      .where(({ ref }) => ref('details'), '@>', JSON.stringify({ flashId: row.id, via: 'chat' }) as never)
      .executeTakeFirstOrThrow();
    expect(new Date((audit.details as { sendAt: string }).sendAt).toISOString()).toBe(expected.toISOString());
    await new Promise((r) => setTimeout(r, 1500)); // three scheduler ticks
    expect(
      (
        await app.db
          .selectFrom('broadcasts')
          .select('status')
          .where('id', '=', row.broadcastId)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('scheduled');
    for (const address of RESIDENTS) expect(await inboxWith(address, 'koffie in de tuin')).toEqual([]);
  });

  it('delivers a scheduled flash when its time comes, not before', async () => {
    const at = new Date(Date.now() + 8_000);
    await users.send(STAFF, '/flash Straks taart', 'sla over', '2', 'nee', at.toISOString());
    await users.send(STAFF, 'ja');
    expect(Date.now()).toBeLessThan(at.getTime());
    for (const address of [POT_NL, POT_EN]) expect(await inboxWith(address, 'Straks taart')).toEqual([]);
    for (const address of [POT_NL, POT_EN]) {
      await eventually(async () => (await inboxWith(address, 'Straks taart')).length === 1, 20_000);
    }
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime());
    for (const address of [NAZ_NL, NAZ_EN]) expect(await inboxWith(address, 'Straks taart')).toEqual([]);
  });

  it('refuses a time that has passed and creates nothing for it', async () => {
    const replies = await users.send(STAFF, '/flash Oude flits', 'sla over', '4', 'nee', '2020-01-01T10:00');
    expect(replies.join('\n')).toMatch(/al voorbij/);
    await users.send(STAFF, 'nee');
    const count = await app.db
      .selectFrom('flashes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('texts', '@>', JSON.stringify({ nl: 'Oude flits' }) as never)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('sends a flash only to the language and channel picked at the preview', async () => {
    const preview = await users.send(
      STAFF,
      '/flash Alleen voor Engelstaligen',
      'Only for English speakers',
      '4',
      'nee',
      'taal en',
    );
    expect(preview.join('\n')).toMatch(/Voor: Iedereen, taal: en\. Dat zijn nu 2 bewoners/);
    const narrowed = await users.send(STAFF, 'kanaal console');
    expect(narrowed.join('\n')).toMatch(/Voor: Iedereen, taal: en, kanaal: console\. Dat zijn nu 2 bewoners/);
    await users.send(STAFF, 'ja');
    for (const address of [NAZ_EN, POT_EN]) {
      await eventually(
        async () => (await inboxWith(address, 'Only for English speakers')).length === 1,
        20_000,
      );
    }
    await new Promise((r) => setTimeout(r, 1000));
    for (const address of [NAZ_NL, POT_NL]) {
      expect(await inboxWith(address, 'English speakers')).toEqual([]);
      expect(await inboxWith(address, 'Engelstaligen')).toEqual([]);
    }
    const flash = await app.db
      .selectFrom('flashes')
      .select('audience')
      .where('texts', '@>', JSON.stringify({ nl: 'Alleen voor Engelstaligen' }) as never)
      .executeTakeFirstOrThrow();
    expect(flash.audience).toEqual({ languages: ['en'], channels: ['console'] });
  });
});

describe('/straatpraat announces a session', () => {
  it('announces step by step, once, to the area chosen, with the day reminder scheduled', async () => {
    const steps = await users.send(
      STAFF,
      '/straatpraat',
      `${tomorrow()}T19:30`,
      'Buurthuis ’t Trefpunt',
      'wethouder Jansen',
      'Praat mee over de speeltuin.',
      'sla over',
      '1', // Nazareth
    );
    const preview = steps.join('\n');
    expect(preview).toMatch(/Waar is de sessie\?/);
    expect(preview).toMatch(/Zo zien bewoners de aankondiging/);
    expect(preview).toMatch(/Voor: Nazareth\. Dat zijn nu 2 bewoners/);
    expect(preview).toMatch(/herinnering op/);
    expect(await app.db.selectFrom('flashes').select('id').where('kind', '=', 'session').execute()).toEqual(
      [],
    );
    const done = await users.send(STAFF, 'ja', 'ja');
    expect(done.join('\n')).toMatch(/Aangekondigd\. Nummer van de sessie/);
    expect(done.join('\n')).toMatch(/al aangekondigd/);
    const sessions = await app.db
      .selectFrom('flashes')
      .select(['id', 'session_at', 'session', 'audience', 'rsvp'])
      .where('kind', '=', 'session')
      .execute();
    expect(sessions).toHaveLength(1);
    const session = sessions[0]!;
    expect(new Date(session.session_at!).toISOString()).toBe(
      parseDateTime(`${tomorrow()}T19:30`, timeZone)!.toISOString(),
    );
    expect(session.session).toEqual({ where: 'Buurthuis ’t Trefpunt', who: 'wethouder Jansen' });
    expect(session.audience).toEqual({ areas: ['nazareth'] });
    const broadcasts = await app.db
      .selectFrom('broadcasts')
      .select(['kind', 'status'])
      .where('flash_id', '=', session.id)
      .orderBy('kind')
      .execute();
    expect(broadcasts.map((b) => b.kind)).toEqual(['flash', 'session_reminder']);
    for (const address of [NAZ_NL, NAZ_EN]) {
      await eventually(async () => (await inboxWith(address, 'Trefpunt')).length === 1, 20_000);
    }
    await new Promise((r) => setTimeout(r, 1000));
    for (const address of [NAZ_NL, NAZ_EN]) expect(await inboxWith(address, 'Trefpunt')).toHaveLength(1);
    for (const address of [POT_NL, POT_EN]) expect(await inboxWith(address, 'Trefpunt')).toEqual([]);
    const audit = await app.db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('action', '=', 'session.announce')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ flashId: session.id, via: 'chat' });
  });
});

describe('/ideas pages and filters', () => {
  beforeAll(async () => {
    const base = Date.now() - 3_600_000;
    await app.db
      .insertInto('ideas')
      .values(
        Array.from({ length: 13 }, (_, i) => ({
          resident_id: null,
          text: `Idee-${String(i + 1).padStart(2, '0')} voor de buurt`,
          theme: 'wonen',
          area: i < 12 ? 'nazareth' : 'pottenberg',
          language: 'nl',
          status: i === 0 ? 'gedaan' : 'nieuw',
          // Ideas 2, 3 and 4 at the very same moment, across the edge of the first page.
          created_at: new Date(base + Math.max(i, 3) * 60_000),
          updated_at: new Date(base),
        })),
      )
      .execute();
  });

  const shownIdeas = (replies: string[]) => [...replies.join('\n').matchAll(/Idee-(\d\d)/g)].map((m) => m[1]);

  it('shows ten, then the rest on "volgende", each once, newest first', async () => {
    const first = await users.send(STAFF, '/ideas');
    expect(first.join('\n')).toMatch(/Ideeën 1 tot en met 10/);
    expect(first.join('\n')).toMatch(/Meer zien\? Stuur: volgende\./);
    const next = await users.send(STAFF, 'volgende');
    expect(next.join('\n')).toMatch(/Ideeën 11 tot en met 12/);
    const all = [...shownIdeas(first), ...shownIdeas(next)];
    // Idea 1 is done (not open); the other twelve are open.
    expect(all).toHaveLength(12);
    expect(new Set(all).size).toBe(12);
    expect(all).not.toContain('01');
    // After the last page "volgende" is the resident conversation's again: no ideas.
    expect(shownIdeas(await users.send(STAFF, 'volgende'))).toEqual([]);
  });

  it('filters by area and by status', async () => {
    expect(shownIdeas(await users.send(STAFF, '/ideas pottenberg'))).toEqual(['13']);
    expect(shownIdeas(await users.send(STAFF, '/ideas gedaan'))).toEqual(['01']);
    expect(shownIdeas(await users.send(STAFF, '/ideas gedaan nazareth'))).toEqual(['01']);
    expect((await users.send(STAFF, '/ideas gedaan pottenberg')).join('\n')).toMatch(
      /geen ideeën met: gedaan, Pottenberg/,
    );
    const audit = await app.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'ideas.list')
      .execute();
    expect(audit.map((a) => a.details)).toContainEqual({ count: 1, area: 'pottenberg' });
  });
});
