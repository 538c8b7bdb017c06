import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { BroadcastDeps } from '../../src/broadcast/broadcasts.js';
import { flashReport, meetingParticipation } from '../../src/broadcast/reports.js';
import { announceSession, sendSessionSummary, sessionQuestions } from '../../src/broadcast/sessions.js';
import { consoleInbox, consoleMessage } from '../helpers/app.js';
import { recipientsOf, seedResidents, startClockedApp, TestClock } from '../helpers/broadcast.js';
import { eventually } from '../helpers/env.js';

// Tuesday noon; the session is on Thursday 12 March at 14:00.
const clock = new TestClock('2026-03-10T11:00:00Z');
let app: App;
let deps: BroadcastDeps;
let stop: () => Promise<void>;
let ids: Map<string, string>;

beforeAll(async () => {
  ({ app, deps, stop } = await startClockedApp(clock, { SCHEDULER_TICK_MS: '300' }));
  ids = await seedResidents(app, [
    { address: 'sp-comes' },
    { address: 'sp-comes-asks' },
    { address: 'sp-asks' },
    { address: 'sp-quiet' },
    { address: 'sp-no-news', newsOptOut: true },
    { address: 'sp-pottenberg', area: 'pottenberg' },
  ]);
});
afterAll(async () => stop());

const inbox = (address: string) => consoleInbox(app, address);
const has = async (address: string, text: string) => (await inbox(address)).some((m) => m.includes(text));
const waitFor = (address: string, text: string, what: string) =>
  eventually(() => has(address, text), 10_000, `${address}: ${what}`);
/** Sends one message and waits for the bot's reply to it. */
async function say(address: string, text: string): Promise<void> {
  const before = (await inbox(address)).length;
  await app.ingress.accept(consoleMessage(address, text));
  await eventually(async () => (await inbox(address)).length > before, 10_000, `a reply to ${text}`);
}

describe('a straatpraat session', () => {
  let sessionId: string;

  it('is announced to the area, takes RSVPs and questions in advance', async () => {
    const session = await announceSession(
      deps,
      {
        at: new Date('2026-03-12T13:00:00Z'),
        where: 'Buurthuis Trefpunt',
        who: 'wethouder Jansen',
        audience: { areas: ['nazareth'] },
      },
      'test',
    );
    sessionId = session.id;
    expect(session.reminderAt.toISOString()).toBe('2026-03-12T08:00:00.000Z');
    for (const r of ['sp-comes', 'sp-comes-asks', 'sp-asks', 'sp-quiet']) {
      await waitFor(r, 'Buurthuis Trefpunt', 'the announcement');
    }
    expect(await inbox('sp-no-news')).toEqual([]);
    expect(await inbox('sp-pottenberg')).toEqual([]);

    await say('sp-comes', 'ja');
    expect(await has('sp-comes', 'Fijn dat je komt')).toBe(true);
    await say('sp-comes', 'Ja hoor');
    expect(await has('sp-comes', 'Je had al gezegd dat je komt')).toBe(true);

    await say('sp-comes-asks', 'JA');
    await say('sp-comes-asks', 'VRAAG');
    await say('sp-comes-asks', 'Komen er meer bankjes op het plein? Bel me op 06-12345678');
    await say('sp-comes-asks', '4');
    await say('sp-asks', 'vraag');
    await say('sp-asks', 'Wat gebeurt er met de oude school?');
    await say('sp-asks', 'leren');
    expect(await has('sp-asks', 'zonder je naam')).toBe(true);

    const report = await flashReport(app.db, sessionId);
    expect(report).toMatchObject({ kind: 'session', rsvps: 2, audience: 4, sent: 4 });
    expect(report.session).toMatchObject({ questions: 2, askers: 2 });
    expect(await meetingParticipation(app.db, 'Europe/Amsterdam')).toEqual([
      { flashId: sessionId, kind: 'session', sentOn: '2026-03-10', area: 'nazareth', rsvps: 2 },
    ]);
  });

  it('lists the questions by theme with no link to who sent them, in the listing or its tables', async () => {
    const groups = await sessionQuestions(app.db, sessionId);
    expect(groups).toEqual([
      { theme: 'leren', questions: [{ text: 'Wat gebeurt er met de oude school?', askedOn: '2026-03-10' }] },
      {
        theme: 'wonen',
        questions: [
          { text: 'Komen er meer bankjes op het plein? Bel me op [telefoon]', askedOn: '2026-03-10' },
        ],
      },
    ]);
    const listing = JSON.stringify(groups);
    for (const [address, id] of ids) {
      expect(listing).not.toContain(address);
      expect(listing).not.toContain(id);
    }
    const { rows: columns } = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_name = 'session_questions'
      order by ordinal_position`.execute(app.db);
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'flash_id', 'text', 'theme', 'asked_on']);
    const { rows: links } = await sql<{ target: string }>`
      select ccu.table_name as target from information_schema.table_constraints tc
      join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
      where tc.table_name = 'session_questions' and tc.constraint_type = 'FOREIGN KEY'`.execute(app.db);
    expect(links.map((l) => l.target)).toEqual(['flashes']);
  });

  it('reminds exactly those who said they would come, on the morning of the day', async () => {
    const reminder = await app.db
      .selectFrom('broadcasts')
      .select(['id', 'status'])
      .where('flash_id', '=', sessionId)
      .where('kind', '=', 'session_reminder')
      .executeTakeFirstOrThrow();
    await new Promise((r) => setTimeout(r, 700));
    expect(reminder.status).toBe('scheduled');
    expect(await recipientsOf(app, reminder.id)).toEqual([]);

    clock.set('2026-03-12T08:00:01Z'); // 09:00 on Thursday
    await waitFor('sp-comes', 'Vandaag is de straatpraat', 'the reminder');
    await waitFor('sp-comes-asks', 'Vandaag is de straatpraat', 'the reminder');
    await eventually(
      async () =>
        (
          await app.db
            .selectFrom('broadcasts')
            .select('status')
            .where('id', '=', reminder.id)
            .executeTakeFirst()
        )?.status === 'sent',
      5_000,
      'the reminder sent',
    );
    expect(await recipientsOf(app, reminder.id)).toEqual(['sp-comes', 'sp-comes-asks']);
    for (const r of ['sp-asks', 'sp-quiet', 'sp-no-news', 'sp-pottenberg']) {
      expect(await has(r, 'Vandaag is de straatpraat')).toBe(false);
    }
  });

  it('sends the summary to everyone who came or asked', async () => {
    clock.set('2026-03-12T16:00:00Z');
    const summary = await sendSessionSummary(
      deps,
      sessionId,
      { nl: 'Er komen drie bankjes. De school wordt een buurthuis.' },
      'test',
    );
    expect(summary.recipients).toBe(3);
    for (const r of ['sp-comes', 'sp-comes-asks', 'sp-asks'])
      await waitFor(r, 'Er komen drie bankjes', 'summary');
    expect(await recipientsOf(app, summary.broadcastId)).toEqual(['sp-asks', 'sp-comes', 'sp-comes-asks']);
    expect(await has('sp-quiet', 'Er komen drie bankjes')).toBe(false);
  });

  it('forgets who came and who asked when they erase themselves, but keeps the questions', async () => {
    await say('sp-comes-asks', 'VERWIJDER');
    await say('sp-comes-asks', 'ja');
    const report = await flashReport(app.db, sessionId);
    expect(report.rsvps).toBe(1);
    expect(report.session).toMatchObject({ questions: 2, askers: 1 });
  });
});
