import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolls } from '../../flows/polls/catalog.js';
import type { PollDefinition } from '../../flows/polls/schema.js';
import type { App } from '../../src/app.js';
import type { BroadcastDeps } from '../../src/broadcast/broadcasts.js';
import { launchWave } from '../../src/broadcast/waves.js';
import { codebookCsv } from '../../src/export/codebook.js';
import { loadPollCatalog, seedShippedPolls, storePollVersion } from '../../src/polls/catalog.js';
import { LivePolls, POLL_REFRESH_MS } from '../../src/polls/live.js';
import { consoleInbox, consoleMessage } from '../helpers/app.js';
import { seedResidents, startClockedApp, TestClock } from '../helpers/broadcast.js';
import { eventually } from '../helpers/env.js';

const clock = new TestClock('2026-03-10T11:00:00Z');
let app: App;
let deps: BroadcastDeps;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, deps, stop } = await startClockedApp(clock, { SCHEDULER_TICK_MS: '300' }));
  await seedResidents(app, [
    { address: 'v-anna', area: 'nazareth' },
    { address: 'v-bram', area: 'pottenberg' },
  ]);
});
afterAll(async () => stop());

/** An ad-hoc poll; version 2 asks its second question differently. */
function breakfast(second: string): PollDefinition {
  return {
    id: 'buurtontbijt',
    title: { nl: 'Buurtontbijt', en: 'Neighbourhood breakfast' },
    questions: [
      {
        id: 'dag',
        type: 'choice',
        text: { nl: 'Welke dag past voor het buurtontbijt?', en: 'Which day suits the breakfast?' },
        options: [
          { code: 'za', label: { nl: 'Zaterdag', en: 'Saturday' } },
          { code: 'zo', label: { nl: 'Zondag', en: 'Sunday' } },
        ],
      },
      { id: 'komen', type: 'yesno', text: { nl: second, en: 'Are you coming?' } },
    ],
  };
}

const store = (poll: PollDefinition, source: 'cli' | 'shipped' = 'cli') =>
  app.db.transaction().execute((tx) => storePollVersion(tx, poll, { source, actor: 'test' }));

const inbox = (address: string) => consoleInbox(app, address);
const waitFor = (address: string, text: string) =>
  eventually(async () => (await inbox(address)).some((m) => m.includes(text)), 10_000, `${address}: ${text}`);

describe('polls in the database', () => {
  it('seeds the shipped polls once: an unchanged file adds nothing, a changed one a version', async () => {
    const first = await loadPollCatalog(app.db);
    expect([...first.current.keys()].sort()).toEqual([
      'cijfer',
      'hulp',
      'thuis',
      'veerkracht-kort',
      'vertrouwen',
    ]);
    expect(first.history().every((v) => v.version === 1 && v.source === 'shipped')).toBe(true);
    expect(first.current.get('thuis')).toMatchObject({
      version: 1,
      questions: [{ indicator: 'thuis_in_buurt' }],
    });

    expect((await seedShippedPolls(app.db)).filter((s) => s.created)).toEqual([]);

    const shipped = loadPolls();
    const thuis = shipped.get('thuis')!;
    const changed = new Map(shipped).set('thuis', {
      ...thuis,
      intro: { nl: 'Een vraag.', en: 'A question.' },
    });
    expect((await seedShippedPolls(app.db, changed)).filter((s) => s.created)).toEqual([
      { poll: 'thuis', version: 2, created: true },
    ]);
    // Someone writes version 3; a restart with the same files does not undo it.
    await store({ ...thuis, intro: { nl: 'Nog een vraag.', en: 'One more question.' } });
    expect((await seedShippedPolls(app.db, changed)).filter((s) => s.created)).toEqual([]);
    const after = await loadPollCatalog(app.db);
    expect(after.current.get('thuis')?.version).toBe(3);
    // Codes and indicators stay, so the monitor's series go on.
    expect(after.version('thuis', 1)?.questions[0]?.indicator).toBe('thuis_in_buurt');
    expect(after.current.get('thuis')?.questions[0]?.indicator).toBe('thuis_in_buurt');
  });

  it('keeps each answer under the version its wave was launched with', async () => {
    // Written after the app started: the engine's catalog learns of it from the wave.
    expect(await store(breakfast('Kom je zelf ook?'))).toEqual({
      poll: 'buurtontbijt',
      version: 1,
      created: true,
    });
    const v1 = await loadPollCatalog(app.db);
    const first = await launchWave(
      { ...deps, polls: v1.current },
      { poll: 'buurtontbijt', audience: { areas: ['nazareth'] } },
      'test',
    );
    await waitFor('v-anna', 'Welke dag past voor het buurtontbijt?');

    // Version 2 while the first wave is open: its residents still get version 1.
    expect(await store(breakfast('Neem je iemand mee?'))).toMatchObject({ version: 2, created: true });
    await app.ingress.accept(consoleMessage('v-anna', '1'));
    await waitFor('v-anna', 'Kom je zelf ook?');
    expect((await inbox('v-anna')).some((m) => m.includes('Neem je iemand mee?'))).toBe(false);
    await app.ingress.accept(consoleMessage('v-anna', 'ja'));

    const v2 = await loadPollCatalog(app.db);
    const second = await launchWave(
      { ...deps, polls: v2.current },
      { poll: 'buurtontbijt', audience: { areas: ['pottenberg'] } },
      'test',
    );
    await waitFor('v-bram', 'Welke dag past voor het buurtontbijt?');
    await app.ingress.accept(consoleMessage('v-bram', '2'));
    await waitFor('v-bram', 'Neem je iemand mee?');
    await app.ingress.accept(consoleMessage('v-bram', 'nee'));

    const rows = await eventually(
      async () => {
        const r = await app.db
          .selectFrom('answers')
          .select(['wave_id', 'question', 'answer_code', 'poll_version'])
          .where('poll', '=', 'buurtontbijt')
          .orderBy('wave_id')
          .orderBy('question')
          .execute();
        return r.length === 4 ? r : undefined;
      },
      10_000,
      'four answers',
    );
    const byWave = (id: string) =>
      rows!.filter((r) => r.wave_id === id).map((r) => [r.question, r.answer_code, r.poll_version]);
    expect(byWave(first.id)).toEqual([
      ['dag', 'za', 1],
      ['komen', 'ja', 1],
    ]);
    expect(byWave(second.id)).toEqual([
      ['dag', 'zo', 2],
      ['komen', 'nee', 2],
    ]);
    const waves = await app.db.selectFrom('waves').select(['id', 'poll_version']).execute();
    expect(Object.fromEntries(waves.map((w) => [w.id, w.poll_version]))).toMatchObject({
      [first.id]: 1,
      [second.id]: 2,
    });

    // The codebook lists both versions, each with its own question text.
    const codebook = codebookCsv(v2.all());
    expect(codebook.split('\n')[0]).toContain('poll,poll_version,question');
    expect(codebook).toContain('buurtontbijt,1,komen,yesno,,Kom je zelf ook?');
    expect(codebook).toContain('buurtontbijt,2,komen,yesno,,Neem je iemand mee?');
  });

  it('notices a version written by another process, without asking the database on every batch', async () => {
    let now = 1_000_000;
    const live = await LivePolls.load(app.db, () => now);
    const before = live.current().get('buurtontbijt')?.version;
    await store(breakfast('Kom je met de buren?'));
    await live.sync(app.db);
    expect(live.current().get('buurtontbijt')?.version).toBe(before);
    now += POLL_REFRESH_MS;
    await live.sync(app.db);
    expect(live.current().get('buurtontbijt')?.version).toBe((before ?? 0) + 1);
  });
});
