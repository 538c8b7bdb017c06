import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { listAudit } from '../../src/desk/audit.js';
import { consoleInbox } from '../helpers/app.js';
import { seedResidents, startClockedApp, TestClock } from '../helpers/broadcast.js';
import { runCli } from '../helpers/cli.js';
import { eventually, type TestSetup } from '../helpers/env.js';

// `straatpraat ideas list|status|reply`: the chat's idea actions on the command line, with the same
// message to the author and the same audit record.

const clock = new TestClock(new Date().toISOString());
let app: App;
let setup: TestSetup;
let stop: () => Promise<void>;
const ids: Record<string, string> = {};

const cli = (...args: string[]) => runCli(args, setup.vars, '', 60_000);

beforeAll(async () => {
  ({ app, setup, stop } = await startClockedApp(clock, {
    QUIET_HOURS_START: '00:00',
    QUIET_HOURS_END: '00:00',
  }));
  const residents = await seedResidents(app, [
    { address: 'idee-anna', area: 'nazareth' },
    { address: 'idee-bram', area: 'pottenberg', language: 'en' },
  ]);
  const rows = await app.db
    .insertInto('ideas')
    .values([
      {
        resident_id: residents.get('idee-anna')!,
        text: 'Meer bankjes in het park.',
        theme: 'wonen',
        area: 'nazareth',
        language: 'nl',
      },
      {
        resident_id: residents.get('idee-bram')!,
        text: 'A homework club at the library.',
        theme: 'leren',
        area: 'pottenberg',
        language: 'en',
      },
      {
        resident_id: null,
        text: 'Een moestuin bij de school.',
        theme: 'gezondheid',
        area: 'nazareth',
        language: 'nl',
        status: 'gedaan',
      },
    ])
    .returning(['id', 'theme'])
    .execute();
  for (const r of rows) ids[r.theme] = String(r.id);
}, 60_000);

afterAll(async () => {
  await stop();
});

describe('ideas on the command line', () => {
  it('lists ideas with filters, never their author', async () => {
    const all = await cli('ideas', 'list', '--json');
    expect(all.stderr).toBe('');
    const list = JSON.parse(all.stdout) as { id: string; text: string; status: string }[];
    // Without --status: the ideas still being worked on.
    expect(list.map((i) => i.id).sort()).toEqual([ids.wonen, ids.leren].sort());
    expect(all.stdout).not.toMatch(/idee-anna|idee-bram|resident/);
    const area = JSON.parse((await cli('ideas', 'list', '--area', 'pottenberg', '--json')).stdout);
    expect(area.map((i: { id: string }) => i.id)).toEqual([ids.leren]);
    const search = JSON.parse((await cli('ideas', 'list', '--search', 'BANKJES', '--json')).stdout);
    expect(search.map((i: { id: string }) => i.id)).toEqual([ids.wonen]);
    const done = await cli('ideas', 'list', '--status', 'gedaan');
    expect(done.stdout).toContain('moestuin');
    expect(done.stdout).not.toContain('bankjes');
    expect((await listAudit(app.db)).filter((a) => a.action === 'ideas.list').length).toBeGreaterThanOrEqual(
      4,
    );
  }, 60_000);

  it('sets a status and replies: the author hears it in their language, the audit log names the staff member', async () => {
    const added = await cli(
      'staff',
      'add',
      '--channel',
      'console',
      '--user',
      'wt-coline',
      '--role',
      'wijkteam',
      '--name',
      'Coline',
    );
    const staff = /staff (\d+) added/.exec(added.stdout)![1]!;

    const status = await cli('ideas', 'status', ids.wonen!, 'gepland', '--staff', staff);
    expect(status.stderr).toBe('');
    expect(status.stdout).toMatch(/now gepland; its author is told/);
    await eventually(
      async () => (await consoleInbox(app, 'idee-anna')).some((m) => m.includes('bankjes')),
      15_000,
    );

    const reply = await cli('ideas', 'reply', ids.leren!, 'We start in March.', '--staff', staff);
    expect(reply.stdout).toMatch(/sent to the author/);
    await eventually(
      async () =>
        (await consoleInbox(app, 'idee-bram')).some(
          (m) => m.includes('We start in March.') && m.includes('Coline'),
        ),
      15_000,
    );
    const row = await app.db
      .selectFrom('ideas')
      .select('status')
      .where('id', '=', ids.wonen!)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('gepland');
    const audit = await listAudit(app.db);
    expect(audit.find((a) => a.action === 'idea.status')).toMatchObject({
      actor: `staff:${staff}`,
      details: { ideaId: ids.wonen, status: 'gepland', delivered: true, via: 'cli' },
    });
    expect(audit.find((a) => a.action === 'idea.reply')).toMatchObject({ actor: `staff:${staff}` });
    expect(JSON.stringify(audit)).not.toMatch(/idee-anna|idee-bram|March/);
  }, 60_000);

  it('refuses an unknown idea (exit 1) and a bad status (exit 2)', async () => {
    const unknown = await cli('ideas', 'status', '999999', 'gedaan');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/there is no idea 999999/);
    const bad = await cli('ideas', 'status', ids.wonen!, 'misschien');
    expect(bad.code).toBe(2);
    const noStaff = await cli('ideas', 'reply', ids.wonen!, 'Hallo');
    expect(noStaff.code).toBe(2);
  }, 60_000);
});
