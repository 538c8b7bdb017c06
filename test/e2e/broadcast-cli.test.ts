import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, CONSENT_VERSION, prepareStorage, startApp } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { consoleInbox, consoleMessage } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { eventually, type TestSetup, testSetup } from '../helpers/env.js';

let setup: TestSetup;
let app: App;

beforeAll(async () => {
  // Not about the night: nothing is held, whatever the hour the test runs.
  setup = testSetup({ QUIET_HOURS_START: '00:00', QUIET_HOURS_END: '00:00', SCHEDULER_TICK_MS: '500' });
  await prepareStorage(setup.env);
  app = await startApp({ env: setup.env, log: createLogger('silent'), role: 'all', http: false });
  const joined = { consent_version: CONSENT_VERSION, consent_at: new Date(), language: 'nl' };
  await app.db
    .insertInto('residents')
    .values([
      { channel: 'console', address: 'cli-anna', area: 'nazareth', ...joined },
      { channel: 'console', address: 'cli-bram', area: 'nazareth', ...joined },
      { channel: 'console', address: 'cli-cor', area: 'nazareth', ...joined },
      // Not a console name: the console channel refuses it for good.
      { channel: 'console', address: 'not a valid name!', area: 'nazareth', ...joined },
      { channel: 'console', address: 'cli-piet', area: 'pottenberg', ...joined },
    ])
    .execute();
});
afterAll(async () => {
  await app.stop();
  await setup.cleanup();
});

const cli = (...args: string[]) => runCli(args, setup.vars, '', 60_000);

describe('the broadcast commands', () => {
  it('sends a flash that prints its id, and reports counts that match the database', async () => {
    const sent = await cli(
      'flash',
      'send',
      '--text-nl',
      'Zaterdag buurtontbijt.',
      '--area',
      'nazareth',
      '--rsvp',
      '--json',
    );
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    const { id, broadcastId, audience } = JSON.parse(sent.stdout) as {
      id: string;
      broadcastId: string;
      audience: number;
    };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(audience).toBe(4);
    await eventually(
      async () => {
        const row = await app.db
          .selectFrom('outbound_messages')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('broadcast_id', '=', broadcastId)
          .where('status', '=', 'queued')
          .executeTakeFirstOrThrow();
        const b = await app.db
          .selectFrom('broadcasts')
          .select('status')
          .where('id', '=', broadcastId)
          .executeTakeFirst();
        return b?.status === 'sent' && Number(row.n) === 0;
      },
      20_000,
      'every message sent or failed',
    );
    await app.ingress.accept(consoleMessage('cli-anna', 'ja'));
    await eventually(
      async () =>
        (await app.db.selectFrom('flash_rsvps').select('resident_id').where('flash_id', '=', id).execute())
          .length === 1,
      10_000,
      'the RSVP',
    );

    const [status, human] = await Promise.all([
      cli('flash', 'status', id, '--json'),
      cli('flash', 'status', id),
    ]);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout);
    const { rows } = await sql<{ status: string; n: number }>`
      select status, count(*)::int as n from outbound_messages where broadcast_id = ${broadcastId} group by status`.execute(
      app.db,
    );
    const db = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    expect(report).toMatchObject({
      id,
      status: 'sent',
      audience: 4,
      queued: db.queued ?? 0,
      sent: db.sent,
      failed: db.failed,
      rsvps: 1,
    });
    expect(report).toMatchObject({ sent: 3, failed: 1, queued: 0 });
    expect(human.stdout).toMatch(/audience:\s+4/);
    expect(human.stdout).toMatch(/RSVPs:\s+1/);
  }, 60_000);

  it('stops bad flags with one line and the usage, exit code 2', async () => {
    const [area, when, unknown] = await Promise.all([
      cli('flash', 'send', '--text-nl', 'x', '--area', 'mars'),
      cli('poll', 'launch', 'thuis', '--remind-after', 'soon'),
      cli('flash', 'status', '00000000-0000-4000-8000-000000000000'),
    ]);
    for (const r of [area, when]) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')[0]).toMatch(/^error: /);
      expect(r.stderr).toMatch(/Usage: straatpraat (flash send|poll launch)/);
    }
    expect(area.stderr).toMatch(/'--area <areas>' argument 'mars' is invalid/);
    expect(when.stderr).toMatch(/expected a duration like 24h/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toEqual([
      'flash status: no flash or session with id 00000000-0000-4000-8000-000000000000.',
    ]);
  }, 60_000);

  it('launches a poll wave and reports on it, and lists the polls', async () => {
    const launched = await cli(
      'poll',
      'launch',
      'thuis',
      '--area',
      'pottenberg',
      '--remind-after',
      '2h',
      '--json',
    );
    expect(launched.code).toBe(0);
    const wave = JSON.parse(launched.stdout) as {
      id: string;
      opensAt: string;
      remindAt: string;
      closesAt: string;
    };
    expect(Date.parse(wave.remindAt) - Date.parse(wave.opensAt)).toBe(2 * 3_600_000);
    expect(Date.parse(wave.closesAt) - Date.parse(wave.opensAt)).toBe(7 * 24 * 3_600_000);
    await eventually(
      async () =>
        (
          await app.db
            .selectFrom('wave_participants')
            .select('status')
            .where('wave_id', '=', wave.id)
            .execute()
        ).length === 1,
      10_000,
      'the invitation',
    );
    const [status, list] = await Promise.all([
      cli('poll', 'status', wave.id, '--json'),
      cli('poll', 'list', '--json'),
    ]);
    expect(status.code, status.stderr).toBe(0);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ id: wave.id, poll: 'thuis', invited: 1, audience: 1 });
    const polls = JSON.parse(list.stdout) as { id: string; waves: { id: string }[] }[];
    expect(polls.find((p) => p.id === 'thuis')?.waves.map((w) => w.id)).toEqual([wave.id]);
  }, 60_000);

  it('purges what is past its retention and says how much', async () => {
    const old = new Date(Date.now() - 40 * 86_400_000);
    const piet = await app.db
      .selectFrom('residents')
      .select('id')
      .where('address', '=', 'cli-piet')
      .executeTakeFirstOrThrow();
    await app.db
      .insertInto('message_log')
      .values({ resident_id: piet.id, direction: 'in', body: Buffer.from('oud'), created_at: old })
      .execute();
    // An old reply sent and one still waiting (kept), and an old broadcast message (kept).
    const oldReplies = await app.db
      .insertInto('outbound_messages')
      .values([
        {
          resident_id: piet.id,
          channel: 'console',
          kind: 'reply',
          body: '{}',
          status: 'sent',
          created_at: old,
        },
        {
          resident_id: piet.id,
          channel: 'console',
          kind: 'reply',
          body: '{}',
          status: 'queued',
          created_at: old,
        },
        {
          resident_id: piet.id,
          channel: 'console',
          kind: 'bulk',
          body: '{}',
          status: 'sent',
          created_at: old,
        },
      ])
      .returning('id')
      .execute();
    await app.db
      .insertInto('residents')
      .values({ channel: 'console', address: 'cli-gone', status: 'stopped', stopped_at: old })
      .execute();
    const purged = await cli('purge', '--json');
    expect(purged.code).toBe(0);
    const left = await app.db
      .selectFrom('outbound_messages')
      .select('id')
      .where(
        'id',
        'in',
        oldReplies.map((r) => r.id),
      )
      .execute();
    expect(left.map((r) => r.id).sort()).toEqual([oldReplies[1]!.id, oldReplies[2]!.id].sort());
    expect(JSON.parse(purged.stdout)).toMatchObject({
      messageLog: 1,
      replies: 1,
      stoppedResidents: 1,
      inboundLedger: 0,
      helpRequests: 0,
    });
    const gone = await app.db
      .selectFrom('residents')
      .select('id')
      .where('address', '=', 'cli-gone')
      .execute();
    expect(gone).toEqual([]);
  }, 60_000);

  it('sends a flash with --text-tr that a Turkish resident gets in Turkish, a Dutch one in Dutch; --text-xx is no flag', async () => {
    const joined = { consent_version: CONSENT_VERSION, consent_at: new Date(), area: 'elders' };
    await app.db
      .insertInto('residents')
      .values([
        { channel: 'console', address: 'cli-turk', language: 'tr', ...joined },
        { channel: 'console', address: 'cli-dutch', language: 'nl', ...joined },
      ])
      .execute();
    const help = await cli('flash', 'send', '--help');
    expect(help.stdout).toMatch(/--text-tr <text>\s+the text in Turkish/);
    expect(help.stdout).toMatch(/--text-ar <text>/);
    const sent = await cli(
      'flash',
      'send',
      '--text-nl',
      'Zaterdag is de markt.',
      '--text-tr',
      'Cumartesi pazar var.',
      '--area',
      'elders',
      '--json',
    );
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ audience: 2 });
    for (const address of ['cli-turk', 'cli-dutch'])
      await eventually(
        async () => (await consoleInbox(app, address)).length > 0,
        20_000,
        `the flash to ${address}`,
      );
    expect(await consoleInbox(app, 'cli-turk')).toEqual(['Cumartesi pazar var.']);
    expect(await consoleInbox(app, 'cli-dutch')).toEqual(['Zaterdag is de markt.']);

    const unknown = await cli('flash', 'send', '--text-nl', 'x', '--text-xx', 'y');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--text-xx'/);
  }, 60_000);
});
