import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { consoleInbox, consoleMessage } from '../helpers/app.js';
import { seedResidents, startClockedApp, TestClock } from '../helpers/broadcast.js';
import { runCli } from '../helpers/cli.js';
import { eventually, type TestSetup } from '../helpers/env.js';

// "You said, we did" on the command line: a wave of 40 console residents of whom 30 answer, closed
// early; the wijkteam reads the distribution and the free texts (a wave of 5 shows neither); the draft
// tells the results; the flash to "everyone who answered the wave" reaches exactly those 30, once
// each. Ideas marked gedaan are announced to their authors on that theme only.

const clock = new TestClock(new Date().toISOString());
let app: App;
let setup: TestSetup;
let stop: () => Promise<void>;
const residents = Array.from({ length: 40 }, (_, i) => `said-${String(i).padStart(2, '0')}`);
const answering = residents.slice(0, 30);
const few = ['few-1', 'few-2', 'few-3', 'few-4', 'few-5'];

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
    ...few.map((address) => ({ address, area: 'elders' as const })),
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
    // Each explains in the follow-up, once.
    for (const [i, r] of answering.entries())
      await app.ingress.accept(consoleMessage(r, `Meer bankjes bij de speeltuin, zegt buur ${i}`));
    await eventually(
      async () => {
        const rows = await app.db.selectFrom('answers').select('id').where('wave_id', '=', wave).execute();
        return rows.length === 60;
      },
      20_000,
      'thirty explanations',
    );

    const closed = await cli('poll', 'close', wave);
    expect(closed.code).toBe(0);
    expect(closed.stdout).toMatch(/closed/);

    // The wijkteam sees the distribution and the free texts.
    const read = await cli('poll', 'results', wave, '--json');
    expect(read.stderr).toBe('');
    const results = JSON.parse(read.stdout) as {
      respondents: number;
      questions: {
        type: string;
        total: { distribution: { code: string; share: number }[] | null };
        texts: string[] | null;
      }[];
    };
    expect(results.respondents).toBe(30);
    const [scale, explain] = results.questions;
    expect(scale?.total.distribution).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: '4', share: 0.67 }),
        expect.objectContaining({ code: '2', share: 0.33 }),
      ]),
    );
    expect(explain?.type).toBe('text');
    expect(explain?.texts).toHaveLength(30);
    expect(explain?.texts).toContain('Meer bankjes bij de speeltuin, zegt buur 7');

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

  it('says "too few answers" when a wave has five respondents, fewer than the minimum', async () => {
    const launched = await cli('poll', 'launch', 'thuis', '--area', 'elders', '--json');
    const wave = (JSON.parse(launched.stdout) as { id: string }).id;
    for (const r of few) {
      await eventually(
        async () => (await consoleInbox(app, r)).length === 1,
        20_000,
        `the invitation to ${r}`,
      );
      await app.ingress.accept(consoleMessage(r, '5'));
    }
    await eventually(
      async () =>
        (await app.db.selectFrom('answers').select('id').where('wave_id', '=', wave).execute()).length === 5,
      20_000,
      'five answers',
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
    // Five answered: the wijkteam sees neither a distribution nor texts.
    const read = await cli('poll', 'results', wave, '--json');
    const results = JSON.parse(read.stdout) as { notice: { nl: string } | null; questions: unknown[] };
    expect(results.notice?.nl).toBe('te weinig antwoorden');
    expect(results.questions).toEqual([]);
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
