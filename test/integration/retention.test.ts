import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { purge, retentionOf } from '../../src/scheduler/purge.js';
import { consoleMessage, startTestApp } from '../helpers/app.js';
import { eventually } from '../helpers/env.js';
import { seedJoinedResident } from '../helpers/seed.js';

// Someone who never agreed to take part, said no, walked away halfway through joining, or said STOP
// must not stay in the identity store: a dump a year later must not hold them.

let app: App;
let stop: () => Promise<void>;
const DAY = 86_400_000;
const now = new Date();
const daysAgo = (n: number) => new Date(now.getTime() - n * DAY);

beforeAll(async () => {
  ({ app, stop } = await startTestApp());
}, 30_000);
afterAll(async () => {
  await stop?.();
});

/** A console identity as the engine leaves it, last heard from `silentDays` ago. */
async function identity(
  address: string,
  columns: Record<string, unknown>,
  state: unknown,
  silentDays: number,
): Promise<string> {
  const row = await app.db
    .insertInto('residents')
    .values({
      channel: 'console',
      address,
      created_at: daysAgo(silentDays),
      updated_at: daysAgo(silentDays),
      ...columns,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await app.db
    .insertInto('conversations')
    .values({ resident_id: row.id, state: JSON.stringify(state), updated_at: daysAgo(silentDays) })
    .execute();
  return row.id;
}

async function addresses(): Promise<string[]> {
  const rows = await app.db.selectFrom('residents').select('address').orderBy('address').execute();
  return rows.map((r) => r.address);
}

describe('retention of identities without consent', () => {
  it('erases never-consented, refused, withdrawn and half-joined identities after 30 silent days', async () => {
    const joining = { flow: 'onboarding', join: { step: 'area', guess: 'nl' }, misses: 0 };
    await identity('ret-never', {}, null, 31);
    await identity('ret-halfway', { language: 'nl' }, joining, 45);
    await identity(
      'ret-refused',
      { language: 'nl', consent_refused_at: daysAgo(40) },
      { flow: 'refused' },
      40,
    );
    await identity(
      'ret-withdrawn',
      { language: 'nl', area: 'nazareth', age_group: '27-40', consent_refused_at: daysAgo(35) },
      { flow: 'refused' },
      35,
    );
    await identity('ret-recent', { language: 'nl' }, joining, 3);
    // The resident row is old, but they wrote yesterday (the conversation says so).
    const lively = await identity('ret-lively', { language: 'nl' }, joining, 90);
    await app.db
      .updateTable('conversations')
      .set({ updated_at: daysAgo(1) })
      .where('resident_id', '=', lively)
      .execute();
    await seedJoinedResident(app.db, 'ret-joined', { flow: 'idle' }, daysAgo(400));
    await app.db
      .updateTable('residents')
      .set({ updated_at: daysAgo(400) })
      .where('address', '=', 'ret-joined')
      .execute();
    // A staff member's own row (made to relay messages to them) has no consent, and stays.
    await identity('ret-staff', {}, { flow: 'idle' }, 200);
    await app.db
      .insertInto('staff')
      .values({ channel: 'console', user_id: 'ret-staff', role: 'wijkteam' })
      .execute();

    const report = await purge(app.db, retentionOf(app.env), now);

    expect(report.unconsentedResidents).toBe(4);
    expect((await addresses()).filter((a) => a.startsWith('ret-'))).toEqual([
      'ret-joined',
      'ret-lively',
      'ret-recent',
      'ret-staff',
    ]);
  });

  it('drops a draft left for a day, back to where it interrupted, and keeps a fresh one', async () => {
    const paused = { poll: 'veerkracht-kort', index: 2, phase: 'question', misses: 0 };
    const old = await seedJoinedResident(app.db, 'draft-old', {
      flow: 'idea',
      step: 'theme',
      text: 'Mijn buurman Piet op nummer 12 is altijd dronken',
      misses: 0,
      paused,
    });
    const fresh = await seedJoinedResident(app.db, 'draft-fresh', {
      flow: 'session_question',
      flashId: 'f1',
      step: 'theme',
      text: 'Wanneer komt de nieuwe speeltuin?',
      misses: 0,
    });
    const staff = await seedJoinedResident(app.db, 'draft-staff', {
      flow: 'desk',
      draft: { kind: 'help_reply', requestId: '7', text: 'Ik bel u morgen op 0612345678', step: 'confirm' },
      misses: 0,
      back: { flow: 'idle' },
    });
    await app.db
      .updateTable('conversations')
      .set({ updated_at: new Date(now.getTime() - 26 * 3_600_000) })
      .where('resident_id', 'in', [old, staff])
      .execute();

    const report = await purge(app.db, retentionOf(app.env), now);

    expect(report.drafts).toBe(2);
    const states = new Map(
      (await app.db.selectFrom('conversations').select(['resident_id', 'state']).execute()).map((r) => [
        r.resident_id,
        r.state,
      ]),
    );
    expect(states.get(old)).toEqual({ flow: 'idle', paused });
    expect(states.get(staff)).toEqual({ flow: 'idle' });
    expect(states.get(fresh)).toMatchObject({
      flow: 'session_question',
      text: 'Wanneer komt de nieuwe speeltuin?',
    });
  });
});

describe('STOP', () => {
  it('keeps only the address and that they stopped', async () => {
    const paused = { poll: 'veerkracht-kort', index: 1, phase: 'question', misses: 0 };
    const id = await seedJoinedResident(app.db, 'stop-anna', { flow: 'idle', paused });
    await app.db
      .updateTable('residents')
      .set({ join_source: 'console:nazareth' })
      .where('id', '=', id)
      .execute();
    await app.ingress.accept(consoleMessage('stop-anna', 'STOP'));
    const row = await eventually(
      () =>
        app.db
          .selectFrom('residents')
          .selectAll()
          .where('id', '=', id)
          .where('status', '=', 'stopped')
          .executeTakeFirst(),
      10_000,
      'the stop',
    );
    expect(row).toMatchObject({
      language: null,
      area: null,
      age_group: null,
      consent_version: null,
      consent_at: null,
      consent_refused_at: null,
      join_source: null,
    });
    const state = await app.db
      .selectFrom('conversations')
      .select('state')
      .where('resident_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(state.state).not.toHaveProperty('paused');

    // Writing again: only the hint that START brings them back; START joins them afresh.
    await app.ingress.accept(consoleMessage('stop-anna', 'START'));
    await eventually(
      async () =>
        (await app.db.selectFrom('residents').select('status').where('id', '=', id).executeTakeFirstOrThrow())
          .status === 'active',
      10_000,
      'the return',
    );
    const after = await app.db
      .selectFrom('conversations')
      .select('state')
      .where('resident_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(after.state).toMatchObject({ flow: 'onboarding' });
  });
});
