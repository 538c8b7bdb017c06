import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { listAudit } from '../../src/desk/audit.js';
import { seedResidents, startClockedApp, TestClock } from '../helpers/broadcast.js';
import { runCli } from '../helpers/cli.js';
import { eventually, type TestSetup } from '../helpers/env.js';

// `flash cancel|edit`, `poll cancel|close` and `session cancel` as the wijkteam runs them: what they
// print, their exit codes (unknown id and wrong state: 1, bad usage: 2) and their audit records.

const clock = new TestClock(new Date().toISOString());
let app: App;
let setup: TestSetup;
let stop: () => Promise<void>;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const later = () => new Date(Date.now() + 3 * 3_600_000).toISOString();

const cli = (...args: string[]) => runCli(args, setup.vars, '', 60_000);
const json = (r: { stdout: string; stderr: string; code: number | null }) => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

beforeAll(async () => {
  ({ app, setup, stop } = await startClockedApp(clock, {
    QUIET_HOURS_START: '00:00',
    QUIET_HOURS_END: '00:00',
  }));
  await seedResidents(app, [{ address: 'corr-anna' }, { address: 'corr-bram' }]);
}, 60_000);

afterAll(async () => {
  await stop();
});

describe('corrections on the command line', () => {
  it('edits and cancels a scheduled flash; a second cancel and an unknown id exit 1', async () => {
    const flash = json(
      await cli('flash', 'send', '--text-nl', 'Markt op zondag.', '--at', later(), '--json'),
    );
    const edited = await cli('flash', 'edit', flash.id, '--text-nl', 'Markt op zaterdag.');
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stdout).toMatch(/changed; it goes at/);
    const b = await app.db
      .selectFrom('broadcasts')
      .select('messages')
      .where('id', '=', flash.broadcastId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(b.messages)).toContain('zaterdag');

    const cancelled = await cli('flash', 'cancel', flash.id);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toMatch(/cancelled before it went out/);
    const again = await cli('flash', 'cancel', flash.id);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`flash cancel: flash ${flash.id} was cancelled already.\n`);
    const edit = await cli('flash', 'edit', flash.id, '--text-nl', 'x');
    expect(edit.code).toBe(1);
    const unknown = await cli('flash', 'cancel', UNKNOWN);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(`flash cancel: no flash or session with id ${UNKNOWN}.\n`);
    expect((await cli('flash', 'cancel', 'nope')).code).toBe(2);
  }, 60_000);

  it('refuses to cancel a flash already sent, with how many have it', async () => {
    const flash = json(await cli('flash', 'send', '--text-nl', 'Nu al weg.', '--wait', '--json'));
    await eventually(
      async () =>
        (
          await app.db
            .selectFrom('broadcasts')
            .select('status')
            .where('id', '=', flash.broadcastId)
            .executeTakeFirst()
        )?.status === 'sent',
      15_000,
    );
    const r = await cli('flash', 'cancel', flash.id);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has already been sent \(to 2 residents\); it cannot be cancelled/);
  }, 60_000);

  it('cancels a wave before it opens and closes an open one early', async () => {
    const scheduled = json(await cli('poll', 'launch', 'cijfer', '--at', later(), '--json'));
    expect((await cli('poll', 'close', scheduled.id)).stderr).toMatch(
      /has not opened yet; cancel it with poll cancel/,
    );
    const cancelled = await cli('poll', 'cancel', scheduled.id, '--json');
    expect(json(cancelled)).toEqual({ id: scheduled.id });
    const status = json(await cli('poll', 'status', scheduled.id, '--json'));
    expect(status.status).toBe('cancelled');

    const open = json(await cli('poll', 'launch', 'thuis', '--json'));
    const wrong = await cli('poll', 'cancel', open.id);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/open already/);
    const closed = json(await cli('poll', 'close', open.id, '--json'));
    expect(closed).toMatchObject({ id: open.id, stopped: 1 });
    expect((await cli('poll', 'close', open.id)).code).toBe(1);
    expect((await cli('poll', 'close', UNKNOWN)).code).toBe(1);
  }, 60_000);

  it('calls off a session', async () => {
    const session = json(
      await cli(
        'session',
        'announce',
        '--when',
        later(),
        '--where',
        'Trefpunt',
        '--who',
        'de wethouder',
        '--json',
      ),
    );
    const r = await cli('session', 'cancel', session.id);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/called off; 0 resident\(s\)/);
    expect((await cli('session', 'cancel', session.id)).code).toBe(1);
    const flash = json(await cli('flash', 'send', '--text-nl', 'x', '--at', later(), '--json'));
    const notASession = await cli('session', 'cancel', flash.id);
    expect(notASession.stderr).toMatch(/is a flash, not a straatpraat session: use flash cancel/);
    const actions = (await listAudit(app.db)).map((a) => a.action);
    for (const a of ['flash.edit', 'flash.cancel', 'poll.cancel', 'poll.close', 'session.cancel']) {
      expect(actions).toContain(a);
    }
  }, 60_000);
});
