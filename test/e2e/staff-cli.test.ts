import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

// `straatpraat staff …` as an operator runs it.

let setup: TestSetup;
const STAFF = 'coline-wt';

beforeAll(() => {
  setup = testSetup();
});
afterAll(async () => {
  await setup.cleanup();
});

describe('staff on the command line', () => {
  it('manages staff on the command line, with one clear line for a bad user id', async () => {
    const first = await runCli(
      ['staff', 'add', '--channel', 'console', '--user', STAFF, '--role', 'wijkteam', '--name', 'Coline'],
      setup.vars,
    );
    expect(first.stdout).toMatch(/staff 1 added: console coline-wt wijkteam Coline/);
    const bad = await runCli(
      ['staff', 'add', '--channel', 'telegram', '--user', '@coline', '--role', 'wijkteam'],
      setup.vars,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/Telegram user id is a number/);
    const added = await runCli(
      [
        'staff',
        'add',
        '--channel',
        'whatsapp',
        '--user',
        '+31 6 1234 5678',
        '--role',
        'analyst',
        '--name',
        'Ana',
      ],
      setup.vars,
    );
    expect(added.stdout).toMatch(/added: whatsapp 31612345678@s\.whatsapp\.net analyst Ana/);
    const removed = await runCli(
      ['staff', 'remove', '--channel', 'whatsapp', '--user', '31612345678'],
      setup.vars,
    );
    expect(removed.code, removed.stderr).toBe(0);
    const list = await runCli(['staff', 'list', '--json'], setup.vars);
    expect((JSON.parse(list.stdout) as { userId: string }[]).map((m) => m.userId)).toEqual([STAFF]);
    // A wijkteam member's area: they hear only of that area's new help requests.
    const area = await runCli(
      ['staff', 'add', '--channel', 'console', '--user', STAFF, '--role', 'wijkteam', '--area', 'nazareth'],
      setup.vars,
    );
    expect(area.stdout).toMatch(/updated: console coline-wt wijkteam Coline \(nazareth\)/);
    const badArea = await runCli(
      ['staff', 'add', '--channel', 'console', '--user', STAFF, '--role', 'wijkteam', '--area', 'elders'],
      setup.vars,
    );
    expect(badArea.code).toBe(2);
    const listed = await runCli(['staff', 'list'], setup.vars);
    expect(listed.stdout).toMatch(/coline-wt\twijkteam\tColine\tnazareth/);
    const audit = await runCli(['audit', '--json'], setup.vars);
    const actions = (JSON.parse(audit.stdout) as { actor: string; action: string }[]).map((e) => e.action);
    expect(actions).toEqual(['staff.add', 'staff.add', 'staff.remove', 'staff.update']);
  }, 180_000);
});
