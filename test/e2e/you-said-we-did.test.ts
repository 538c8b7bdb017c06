import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { consoleInbox, consoleMessage } from '../helpers/app.js';
import { seedResidents, startClockedApp, TestClock } from '../helpers/broadcast.js';
import { runCli } from '../helpers/cli.js';
import { eventually, type TestSetup } from '../helpers/env.js';

// "You said, we did" on the command line: a wave of 40 console residents of whom 30 answer, closed
// early; the draft tells the results; the flash to "everyone who answered the wave" reaches exactly
// those 30, once each. Ideas marked gedaan are announced to their authors on that theme only.

const clock = new TestClock(new Date().toISOString());
let app: App;
let setup: TestSetup;
let stop: () => Promise<void>;
const residents = Array.from({ length: 40 }, (_, i) => `said-${String(i).padStart(2, '0')}`);
const answering = residents.slice(0, 30);

const cli = (...args: string[]) => runCli(args, setup.vars, '', 60_000);

beforeAll(async () => {
  const started = await startClockedApp(clock, {
    QUIET_HOURS_START: '00:00',
    QUIET_HOURS_END: '00:00',
    SCHEDULER_TICK_MS: '500',
  });
  ({ app, setup, stop } = started);
  await seedResidents(
    app,
    residents.map((address) => ({ address, area: 'nazareth' })),
  );
  await seedResidents(app, [
    { address: 'idea-done-1', area: 'pottenberg' },
    { address: 'idea-done-2', area: 'pottenberg' },
    { address: 'idea-planned', area: 'pottenberg' },
    { address: 'idea-other-theme', area: 'pottenberg' },
    { address: 'few-1', area: 'elders' },
  ]);
}, 60_000);

afterAll(async () => {
  await stop();
});

describe('you said, we did', () => {
  it('drafts the results and sends them to exactly the residents who answered the wave, once each', async () => {
    const launched = await cli('poll', 'launch', 'thuis', '--area', 'nazareth', '--json');
    expect(launched.stderr).toBe('');
    const wave = (JSON.parse(launched.stdout) as { id: string }).id;
    await eventually(
      async () =>
        (await Promise.all(residents.map((r) => consoleInbox(app, r)))).every((inbox) => inbox.length === 1),
      20_000,
      'every invitation',
    );
    for (const [i, r] of answering.entries()) await app.ingress.accept(consoleMessage(r, i < 20 ? '4' : '2'));
    await eventually(
      async () => {
        const rows = await app.db.selectFrom('answers').select('id').where('wave_id', '=', wave).execute();
        return rows.length === 30;
      },
      20_000,
      'thirty answers',
    );

    const closed = await cli('poll', 'close', wave);
    expect(closed.code).toBe(0);
    expect(closed.stdout).toMatch(/closed/);

    const draft = await cli('flash', 'draft', '--wave', wave, '--json');
    expect(draft.stderr).toBe('');
    const { nl, en } = JSON.parse(draft.stdout) as { nl: string; en: string };
    expect(nl).toContain('Voel je je thuis in je buurt?: 67% koos "Ja, meestal".');
    expect(en).toContain('67% chose "Yes, mostly"');

    const sent = await cli(
      'flash',
      'send',
      '--answered-wave',
      wave,
      '--text-nl',
      'Jullie zeiden: thuis. Wij doen: een buurtfeest.',
      '--wait',
      '--json',
    );
    expect(sent.stderr).toBe('');
    expect(JSON.parse(sent.stdout)).toMatchObject({ audience: 30, queued: 30 });
    await eventually(
      async () => {
        const inboxes = await Promise.all(answering.map((r) => consoleInbox(app, r)));
        return inboxes.every((inbox) => inbox.some((m) => m.includes('buurtfeest')));
      },
      20_000,
      'the flash to all thirty',
    );
    await new Promise((r) => setTimeout(r, 500));
    for (const r of residents) {
      const got = (await consoleInbox(app, r)).filter((m) => m.includes('buurtfeest')).length;
      expect(got, r).toBe(answering.includes(r) ? 1 : 0);
    }
  }, 120_000);

  it('says "too few answers" when a wave has fewer respondents than the minimum', async () => {
    const launched = await cli('poll', 'launch', 'thuis', '--area', 'elders', '--json');
    const wave = (JSON.parse(launched.stdout) as { id: string }).id;
    await eventually(async () => (await consoleInbox(app, 'few-1')).length === 1, 20_000, 'the invitation');
    await app.ingress.accept(consoleMessage('few-1', '5'));
    await eventually(
      async () =>
        (await app.db.selectFrom('answers').select('id').where('wave_id', '=', wave).execute()).length,
      20_000,
    );
    // An open wave is not drafted: its results still change.
    const open = await cli('flash', 'draft', '--wave', wave);
    expect(open.code).toBe(1);
    expect(open.stderr).toMatch(/can be drafted once it is closed/);
    expect((await cli('poll', 'close', wave)).code).toBe(0);
    const draft = await cli('flash', 'draft', '--wave', wave);
    expect(draft.code).toBe(0);
    expect(draft.stdout).toContain('te weinig antwoorden');
    expect(draft.stdout).not.toContain('%');
  }, 60_000);

  it('announces ideas marked gedaan to the authors of that theme only', async () => {
    const ids = await app.db
      .selectFrom('residents')
      .select(['id', 'address'])
      .where('address', 'like', 'idea-%')
      .execute();
    const by = new Map(ids.map((r) => [r.address, r.id]));
    const idea = (address: string, theme: string, status: string) => ({
      resident_id: by.get(address)!,
      text: 'Meer bankjes in het park.',
      theme,
      area: 'pottenberg',
      language: 'nl',
      status,
    });
    await app.db
      .insertInto('ideas')
      .values([
        idea('idea-done-1', 'wonen', 'gedaan'),
        idea('idea-done-2', 'wonen', 'gedaan'),
        idea('idea-planned', 'wonen', 'gepland'),
        idea('idea-other-theme', 'leren', 'gedaan'),
      ])
      .execute();
    const sent = await cli(
      'flash',
      'send',
      '--idea-theme',
      'wonen',
      '--text-nl',
      'De bankjes staan er!',
      '--json',
    );
    expect(sent.stderr).toBe('');
    expect(JSON.parse(sent.stdout)).toMatchObject({ audience: 2 });
    await eventually(
      async () =>
        (await consoleInbox(app, 'idea-done-1')).some((m) => m.includes('bankjes')) &&
        (await consoleInbox(app, 'idea-done-2')).some((m) => m.includes('bankjes')),
      20_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    for (const r of ['idea-planned', 'idea-other-theme', ...residents.slice(0, 3)]) {
      expect(
        (await consoleInbox(app, r)).some((m) => m.includes('bankjes')),
        r,
      ).toBe(false);
    }
    const bad = await cli('flash', 'send', '--idea-theme', 'ruimte', '--text-nl', 'x');
    expect(bad.code).toBe(2);
    const unknown = await cli(
      'flash',
      'send',
      '--answered-wave',
      '00000000-0000-4000-8000-000000000000',
      '--text-nl',
      'x',
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no wave with id/);
  }, 60_000);
});
