import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSENT_VERSION, prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

// The conventions every command keeps: a usage error exits 2, `--json` prints exactly one JSON
// document on standard output, `--version` prints the version, and a command that needs no Redis
// (or no database) runs without it.

let setup: TestSetup;

beforeAll(async () => {
  setup = testSetup({ QUIET_HOURS_START: '00:00', QUIET_HOURS_END: '00:00' });
  await prepareStorage(setup.env);
  const db = createDb(setup.env.DATABASE_URL, 1);
  const joined = { consent_version: CONSENT_VERSION, consent_at: new Date(), language: 'nl' };
  await db
    .insertInto('residents')
    .values([
      { channel: 'console', address: 'conv-anna', area: 'nazareth', ...joined },
      { channel: 'console', address: 'conv-piet', area: 'pottenberg', ...joined },
    ])
    .execute();
  await db.destroy();
});
afterAll(async () => {
  await setup?.cleanup();
});

const cli = (...args: string[]) => runCli(args, setup.vars, '', 60_000);

/** Standard output parsed as one JSON document; fails the test when it is none, or more than one. */
function oneDocument(run: { code: number | null; stdout: string; stderr: string }): unknown {
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

describe('usage errors', () => {
  it.each([
    ['an unknown command', ['nope']],
    ['start', ['start', '--role', 'boss']],
    ['migrate', ['migrate', '--bogus']],
    ['chat', ['chat', '--bogus']],
    ['export', ['export']],
    ['flash', ['flash', 'send']],
    ['poll', ['poll', 'status', 'not-a-uuid']],
    ['session', ['session', 'questions']],
    ['purge', ['purge', '--bogus']],
    ['queue', ['queue', 'nope']],
    ['token', ['token', 'create']],
    ['token revoke', ['token', 'revoke', 'abc']],
    ['staff', ['staff', 'add', '--channel', 'telegram']],
    ['staff without a subcommand', ['staff']],
    ['help-requests', ['help-requests', 'take', '12']],
    ['audit', ['audit', '--bogus']],
    ['join-link', ['join-link', '--channel', 'fax']],
    ['join-link stats', ['join-link', 'stats', '--bogus']],
    ['flash cancel', ['flash', 'cancel', 'not-a-uuid']],
    ['flash edit', ['flash', 'edit', '00000000-0000-4000-8000-000000000000']],
    ['poll close', ['poll', 'close', 'not-a-uuid']],
    ['ideas status', ['ideas', 'status', '12', 'misschien']],
    ['ideas list', ['ideas', 'list', '--area', 'mars']],
  ])('%s exits 2 with the problem on stderr and nothing on stdout', async (_name, args) => {
    // Usage is checked before anything connects: no database or Redis is needed.
    const result = await runCli(args, {});
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).not.toBe('');
    expect(result.stdout).toBe('');
  });

  it('help exits 0', async () => {
    const result = await runCli(['staff', '--help'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: straatpraat staff/);
  });
});

describe('--version', () => {
  it('prints the version from package.json and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string };
    const result = await runCli(['--version'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  });
});

describe('--json', () => {
  it('prints exactly one JSON document for every command that has it', async () => {
    // Two audit entries at least, so a listing printed as one object per line would not parse.
    for (const user of ['1001', '1002']) {
      const added = await cli('staff', 'add', '--channel', 'telegram', '--user', user, '--role', 'wijkteam');
      expect(added.code, added.stderr).toBe(0);
    }
    const flash = oneDocument(await cli('flash', 'send', '--text-nl', 'Buurtontbijt.', '--json')) as {
      id: string;
    };
    oneDocument(await cli('flash', 'status', flash.id, '--json'));
    const polls = oneDocument(await cli('poll', 'list', '--json')) as { id: string }[];
    const wave = oneDocument(await cli('poll', 'launch', polls[0]!.id, '--json')) as { id: string };
    oneDocument(await cli('poll', 'status', wave.id, '--json'));
    const session = oneDocument(
      await cli(
        'session',
        'announce',
        '--when',
        '2099-03-14T10:00',
        '--where',
        'Wijkhuis',
        '--who',
        'Wethouder',
        '--json',
      ),
    ) as { id: string };
    expect(oneDocument(await cli('session', 'questions', session.id, '--json'))).toEqual([]);
    oneDocument(await cli('session', 'summary', session.id, '--text-nl', 'Dank!', '--json'));
    oneDocument(await cli('purge', '--json'));
    expect(oneDocument(await cli('staff', 'list', '--json'))).toHaveLength(2);
    expect(oneDocument(await cli('help-requests', 'list', '--json'))).toEqual([]);
    const token = await cli('token', 'create', '--role', 'analyst', '--name', 'O&S');
    expect(token.code, token.stderr).toBe(0);
    const tokens = oneDocument(await cli('token', 'list', '--json')) as Record<string, unknown>[];
    expect(tokens).toEqual([expect.objectContaining({ role: 'analyst', name: 'O&S', state: 'active' })]);
    expect(JSON.stringify(tokens)).not.toContain(token.stdout.trim());
    expect(oneDocument(await cli('token', 'sessions', '--json'))).toEqual([]);
    const audit = oneDocument(await cli('audit', '--json')) as { action: string }[];
    expect(audit.length).toBeGreaterThanOrEqual(2);
    oneDocument(await cli('queue', 'status', '--json'));
    oneDocument(await cli('queue', 'failed', '--json'));
    expect(oneDocument(await cli('queue', 'retry', '--json'))).toEqual({
      retried: [],
      total: 0,
      outbox: [],
      replies: 0,
    });
    const out = mkdtempSync(join(tmpdir(), 'straatpraat-qr-'));
    const link = oneDocument(
      await runCli(['join-link', '--channel', 'whatsapp', '--out', out, '--json'], {
        ...setup.vars,
        WHATSAPP_NUMBER: '31612345678',
      }),
    ) as { link: string };
    expect(link.link).toMatch(/^https:\/\//);
    expect(oneDocument(await cli('join-link', 'stats', '--json'))).toEqual([]);
  }, 180_000);
});

describe('opening only what a command needs', () => {
  it('runs database commands without Redis, and the codebook without either', async () => {
    const noRedis = { ...setup.vars, REDIS_URL: 'redis://127.0.0.1:1' };
    for (const args of [
      ['staff', 'list', '--json'],
      ['join-link', 'stats', '--json'],
      ['token', 'list'],
    ]) {
      const result = await runCli(args, noRedis, '', 15_000);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    const nothing = await runCli(['export', 'codebook'], {
      ...noRedis,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x',
    });
    expect(nothing.code, nothing.stderr).toBe(0);
    expect(nothing.stdout.length).toBeGreaterThan(100);
  }, 60_000);

  it('says in one line that Redis is unreachable for a command that queues', async () => {
    const result = await runCli(['queue', 'failed', '--json'], {
      ...setup.vars,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^Redis is not reachable at 127\.0\.0\.1:1/);
  }, 30_000);
});
