import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { BroadcastDeps } from '../../src/broadcast/broadcasts.js';
import { launchWave, waveReport } from '../../src/broadcast/waves.js';
import { RLM } from '../../src/domain/rtl.js';
import { consoleInbox, consoleMessage } from '../helpers/app.js';
import { recipientsOf, seedResidents, startClockedApp, TestClock } from '../helpers/broadcast.js';
import { eventually } from '../helpers/env.js';

const clock = new TestClock('2026-03-10T11:00:00Z');
let app: App;
let deps: BroadcastDeps;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, deps, stop } = await startClockedApp(clock, { SCHEDULER_TICK_MS: '300' }));
  await seedResidents(app, [
    { address: 'wave-anna' },
    { address: 'wave-bram' },
    { address: 'wave-cor' },
    { address: 'wave-dana', language: 'en' },
  ]);
});
afterAll(async () => stop());

const THUIS = 'Voel je je thuis in je buurt?';
const CIJFER = 'Welk cijfer geef je je buurt?';
const REMINDER = 'Stuur PEILING';

const inbox = (address: string) => consoleInbox(app, address);
const has = async (address: string, text: string) => (await inbox(address)).some((m) => m.includes(text));
const say = (address: string, text: string) => app.ingress.accept(consoleMessage(address, text));

async function waitFor(address: string, text: string, what: string, timeoutMs = 10_000): Promise<void> {
  await eventually(() => has(address, text), timeoutMs, `${address}: ${what}`);
}

describe('a poll wave', () => {
  it('reminds only those who did not finish, holds a second wave until the first ends, and closes', async () => {
    const first = await launchWave(
      deps,
      { poll: 'thuis', audience: { areas: ['nazareth'] }, remindAfterMs: 5_000, closeAfterMs: 12_000 },
      'test',
    );
    for (const r of ['wave-anna', 'wave-bram', 'wave-cor']) await waitFor(r, THUIS, 'the invitation');
    await waitFor('wave-dana', 'Do you feel at home', 'the English invitation');

    // Anna answers at once and finishes (the follow-up skipped).
    await say('wave-anna', '4');
    await waitFor('wave-anna', 'Wil je iets uitleggen?', 'the follow-up');
    await say('wave-anna', 'sla over');
    await waitFor('wave-anna', 'Dank je wel voor je antwoorden', 'the thanks');

    // A second wave to the Dutch speakers: Anna is free, Bram and Cor are still in the first.
    const second = await launchWave(
      deps,
      { poll: 'cijfer', audience: { areas: ['nazareth'], languages: ['nl'] }, remindAfterMs: null },
      'test',
    );
    await waitFor('wave-anna', CIJFER, 'the second invitation');
    const held = await waveReport(app.db, second.id);
    expect(held).toMatchObject({ invited: 1, held: 2 });

    // The reminder goes to everyone who has not finished the first wave, and only to them.
    await eventually(
      async () => (await waveReport(app.db, first.id)).reminder?.sent === 3,
      15_000,
      'the reminder',
    );
    const report = await waveReport(app.db, first.id);
    const reminderId = (
      await app.db
        .selectFrom('broadcasts')
        .select('id')
        .where('wave_id', '=', first.id)
        .where('kind', '=', 'wave_reminder')
        .executeTakeFirstOrThrow()
    ).id;
    expect(await recipientsOf(app, reminderId)).toEqual(['wave-bram', 'wave-cor', 'wave-dana']);
    expect(await has('wave-anna', REMINDER)).toBe(false);
    expect(report.reminder).toMatchObject({ recipients: 3, sent: 3 });
    expect(await has('wave-bram', CIJFER)).toBe(false);
    expect(await has('wave-cor', CIJFER)).toBe(false);

    // Cor finishes the first wave: the second one follows.
    await say('wave-cor', '2');
    await waitFor('wave-cor', 'Wil je iets uitleggen?', 'the follow-up');
    await say('wave-cor', 'Te weinig groen');
    await waitFor('wave-cor', CIJFER, 'the second invitation after finishing');
    expect(await has('wave-bram', CIJFER)).toBe(false);

    // The first wave closes: Bram gets the second wave now; Dana's late answer is not taken.
    const closesAt = clock.realTimeOf(first.closesAt.toISOString());
    await waitFor('wave-bram', CIJFER, 'the second invitation after closing', 20_000);
    expect(Date.now()).toBeGreaterThanOrEqual(closesAt);
    await eventually(async () => (await waveReport(app.db, first.id)).status === 'closed', 5_000, 'closed');
    await say('wave-dana', '4');
    await waitFor('wave-dana', 'These questions are closed now', 'the kind line');

    const { rows } = await sql<{ n: number }>`
      select count(distinct respondent)::int as n from answers where wave_id = ${first.id}`.execute(app.db);
    expect(rows[0]!.n).toBe(2);
    expect(await waveReport(app.db, first.id)).toMatchObject({
      finished: 2,
      respondents: 2,
      status: 'closed',
    });
    expect(await waveReport(app.db, second.id)).toMatchObject({ held: 0, invited: 3 });
  }, 60_000);

  it('answers PEILING with the open wave', async () => {
    await say('wave-bram', 'PEILING');
    await eventually(
      async () => (await inbox('wave-bram')).filter((m) => m.includes(CIJFER)).length >= 2,
      10_000,
      'the wave asked again',
    );
    await say('wave-bram', '7');
    await waitFor('wave-bram', 'Wil je iets uitleggen?', 'the follow-up');
    const { rows } = await sql<{ answer_number: number; wave_id: string }>`
      select a.answer_number, a.wave_id from answers a join waves w on w.id = a.wave_id
      where w.poll = 'cijfer' and a.question = 'cijfer'`.execute(app.db);
    expect(rows.map((r) => r.answer_number)).toContain(7);
  });

  it('invites an Arabic-speaking resident in Arabic, right to left', async () => {
    await seedResidents(app, [{ address: 'wave-farah', language: 'ar', area: 'pottenberg' }]);
    await launchWave(
      deps,
      { poll: 'thuis', audience: { areas: ['pottenberg'] }, remindAfterMs: null },
      'test',
    );
    await waitFor('wave-farah', 'هل تشعر أنك في بيتك في حيّك؟', 'the Arabic invitation');
    const [invitation] = await inbox('wave-farah');
    expect(invitation).toContain(`${RLM}يريد فريق الحي أن يعرف رأيك.`);
    expect(invitation).not.toContain(THUIS);
  });
});
