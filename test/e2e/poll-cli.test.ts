import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, CONSENT_VERSION, prepareStorage, startApp } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { consoleInbox } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { eventually, type TestSetup, testSetup } from '../helpers/env.js';

let setup: TestSetup;
let app: App;
let dir: string;

/** The wijkteam's poll: "Welke dag past voor het buurtontbijt?", no indicator. */
function breakfast(second = 'Kom je zelf ook?') {
  return {
    id: 'buurtontbijt',
    title: { nl: 'Buurtontbijt', en: 'Neighbourhood breakfast' },
    intro: { nl: 'Twee korte vragen over het ontbijt.', en: 'Two short questions about the breakfast.' },
    questions: [
      {
        id: 'dag',
        type: 'choice',
        text: { nl: 'Welke dag past voor het buurtontbijt?', en: 'Which day suits the breakfast?' },
        options: [
          { code: 'za', label: { nl: 'Zaterdag', en: 'Saturday' } },
          { code: 'zo', label: { nl: 'Zondag', en: 'Sunday' } },
          { code: 'wo', label: { nl: 'Woensdag', en: 'Wednesday' } },
          { code: 'geen', label: { nl: 'Geen van deze dagen', en: 'None of these days' } },
        ],
      },
      { id: 'komen', type: 'yesno', text: { nl: second, en: 'Will you come yourself?' } },
    ],
  };
}

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

beforeAll(async () => {
  // Not about the night: nothing is held, whatever the hour the test runs.
  setup = testSetup({ QUIET_HOURS_START: '00:00', QUIET_HOURS_END: '00:00', SCHEDULER_TICK_MS: '500' });
  await prepareStorage(setup.env);
  app = await startApp({ env: setup.env, log: createLogger('silent'), role: 'all', http: false });
  await app.db
    .insertInto('residents')
    .values({
      channel: 'console',
      address: 'pc-anna',
      area: 'nazareth',
      language: 'nl',
      consent_version: CONSENT_VERSION,
      consent_at: new Date(),
    })
    .execute();
  dir = mkdtempSync(join(tmpdir(), 'straatpraat-polls-'));
});
afterAll(async () => {
  await app.stop();
  await setup.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli(args, setup.vars, '', 60_000);

describe('writing a poll on the command line', () => {
  it('refuses an invalid poll with exit 1, naming every field that is wrong, and stores nothing', async () => {
    const bad = breakfast('Kom je? Neem je iemand mee?');
    bad.questions[0]!.options![2]!.label.nl = 'Woensdagochtend vroeg voor werk';
    const refused = await cli('poll', 'create', '--file', file('bad.json', bad));
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('is not a valid poll (2 problems)');
    expect(refused.stderr).toContain('questions[0].options[2].label.nl: te lang (31 tekens, max 24)');
    expect(refused.stderr).toContain('questions[1].text.nl: één vraag per bericht (2 vraagtekens)');

    const broken = await cli('poll', 'create', '--file', file('broken.json', '{"id": "x",'));
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/geen geldige JSON/);

    const missing = await cli('poll', 'create', '--file', join(dir, 'nowhere.json'));
    expect(missing.code).toBe(2);

    const exported = await cli('poll', 'export', 'buurtontbijt');
    expect(exported.code).toBe(2);
    expect(exported.stderr).toMatch(/unknown poll "buurtontbijt"/);
  }, 240_000);

  it('stores a poll, launches it, takes answers in the console and exports them with the version', async () => {
    const path = file('ontbijt.json', breakfast());
    const created = await cli('poll', 'create', '--file', path, '--json');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toEqual({
      ok: true,
      poll: 'buurtontbijt',
      version: 1,
      created: true,
      indicators: [],
    });
    const again = await cli('poll', 'create', '--file', path);
    expect(again.stdout).toContain('poll buurtontbijt: unchanged, still version 1');

    const launched = await cli('poll', 'launch', 'buurtontbijt', '--area', 'nazareth', '--json');
    expect(launched.stderr).toBe('');
    expect(launched.code).toBe(0);
    const wave = JSON.parse(launched.stdout) as { id: string; audience: number };
    expect(wave.audience).toBe(1);
    await eventually(
      async () =>
        (await consoleInbox(app, 'pc-anna')).some((m) => m.includes('Welke dag past voor het buurtontbijt?')),
      15_000,
      'the invitation',
    );

    // A new version while the wave is open: Anna still answers version 1.
    const v2 = await cli(
      'poll',
      'create',
      '--file',
      file('ontbijt-2.json', breakfast('Neem je iemand mee?')),
    );
    expect(v2.code).toBe(0);
    expect(v2.stdout).toContain('poll buurtontbijt: version 2 stored');

    const chat = await runCli(['chat', '--as', 'pc-anna'], setup.vars, '2\nja\n', 60_000);
    expect(chat.code).toBe(0);
    expect(chat.stdout).toContain('Kom je zelf ook?');
    expect(chat.stdout).not.toContain('Neem je iemand mee?');

    const responses = await cli('export', 'responses', '--format', 'csv', '--poll', 'buurtontbijt');
    expect(responses.code).toBe(0);
    const rows = parse(responses.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.wave, r.poll, r.poll_version, r.question, r.answer_code])).toEqual([
      [wave.id, 'buurtontbijt', '1', 'dag', 'zo'],
      [wave.id, 'buurtontbijt', '1', 'komen', 'ja'],
    ]);

    const codebook = await cli('export', 'codebook', '--format', 'csv');
    expect(codebook.code).toBe(0);
    expect(codebook.stdout).toContain('buurtontbijt,1,komen,yesno,,Kom je zelf ook?');
    expect(codebook.stdout).toContain('buurtontbijt,2,komen,yesno,,Neem je iemand mee?');

    const first = await cli('poll', 'export', 'buurtontbijt', '--version', '1');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject(breakfast());
    const latest = await cli('poll', 'export', 'buurtontbijt');
    expect(JSON.parse(latest.stdout)).toMatchObject(breakfast('Neem je iemand mee?'));
    const versions = await cli('poll', 'versions', 'buurtontbijt', '--json');
    expect(
      (JSON.parse(versions.stdout) as { version: number; source: string }[]).map((v) => [
        v.version,
        v.source,
      ]),
    ).toEqual([
      [1, 'cli'],
      [2, 'cli'],
    ]);
  }, 240_000);

  it('sets a recurring wave, shows its next occurrence in poll list, skips one and removes it', async () => {
    const set = await cli(
      'poll',
      'schedule',
      'set',
      'veerkracht-kort',
      '--every',
      'quarter',
      '--on',
      'first monday',
      '--at',
      '10:00',
      '--joined-days',
      '30',
      '--json',
    );
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    const schedule = JSON.parse(set.stdout) as { next: string; minDaysJoined: number };
    expect(schedule.minDaysJoined).toBe(30);
    const next = new Date(schedule.next);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: setup.env.TIME_ZONE,
        weekday: 'long',
        hour: '2-digit',
        minute: '2-digit',
      }).format(next),
    ).toBe('Monday 10:00');

    const list = await cli('poll', 'list', '--json');
    const listed = (JSON.parse(list.stdout) as { id: string; nextWave?: string; version?: number }[]).find(
      (p) => p.id === 'veerkracht-kort',
    );
    expect(listed).toMatchObject({ nextWave: schedule.next, version: 1 });
    const text = await cli('poll', 'list');
    expect(text.stdout).toMatch(/veerkracht-kort .*version 1\n {4}next wave: .*\(poll schedule\)/);

    const skipped = await cli('poll', 'schedule', 'skip', 'veerkracht-kort', '--json');
    expect(skipped.code).toBe(0);
    const skip = JSON.parse(skipped.stdout) as { skipped: string; next: string };
    expect(skip.skipped).toBe(schedule.next);
    expect(new Date(skip.next).getTime()).toBeGreaterThan(next.getTime());

    const bad = await cli(
      'poll',
      'schedule',
      'set',
      'veerkracht-kort',
      '--every',
      'week',
      '--on',
      'first monday',
      '--at',
      '10:00',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected month or quarter/);

    const removed = await cli('poll', 'schedule', 'remove', 'veerkracht-kort');
    expect(removed.code).toBe(0);
    const none = await cli('poll', 'schedule', 'list');
    expect(none.stdout.trim()).toBe('no schedules');
  }, 240_000);
});
