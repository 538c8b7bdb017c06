import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { BroadcastDeps } from '../../src/broadcast/broadcasts.js';
import {
  CorrectionNotFoundError,
  CorrectionStateError,
  cancelFlash,
  cancelSession,
  cancelWave,
  closeWave,
  editFlash,
} from '../../src/broadcast/corrections.js';
import { FanOut } from '../../src/broadcast/fanout.js';
import { sendFlash } from '../../src/broadcast/flashes.js';
import { flashReport } from '../../src/broadcast/reports.js';
import { announceSession } from '../../src/broadcast/sessions.js';
import { launchWave } from '../../src/broadcast/waves.js';
import { listAudit } from '../../src/desk/audit.js';
import { createLogger } from '../../src/log.js';
import { Outbox } from '../../src/queue/outbox.js';
import { consoleInbox, consoleMessage } from '../helpers/app.js';
import { seedResidents, startClockedApp, TestClock } from '../helpers/broadcast.js';
import { eventually } from '../helpers/env.js';

// Corrections through the broadcast module and the engine: cancelling flashes (before and while
// they go out), editing a scheduled flash, cancelling and closing waves, calling off a session.

const clock = new TestClock(new Date().toISOString());
let app: App;
let deps: BroadcastDeps;
let stop: () => Promise<void>;

const HOUR = 3_600_000;
const inAnHour = () => new Date(clock.now().getTime() + HOUR);

async function statusesOf(broadcastId: string): Promise<Record<string, number>> {
  const { rows } = await sql<{ status: string; n: number }>`
    select status, count(*)::int as n from outbound_messages where broadcast_id = ${broadcastId}
    group by status`.execute(app.db);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

async function announcementOf(flashId: string) {
  return app.db
    .selectFrom('broadcasts')
    .selectAll()
    .where('flash_id', '=', flashId)
    .where('kind', '=', 'flash')
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  const started = await startClockedApp(clock, {
    QUIET_HOURS_START: '00:00',
    QUIET_HOURS_END: '00:00',
    SCHEDULER_TICK_MS: '500',
  });
  app = started.app;
  deps = started.deps;
  stop = started.stop;
  await seedResidents(
    app,
    Array.from({ length: 50 }, (_, i) => ({
      address: `fix-${String(i).padStart(2, '0')}`,
      area: 'pottenberg',
    })),
  );
  await seedResidents(app, [
    { address: 'fix-poll-a', area: 'nazareth' },
    { address: 'fix-poll-b', area: 'nazareth' },
  ]);
}, 60_000);

afterAll(async () => {
  await stop();
});

describe('cancelling a flash', () => {
  it('stops a fan-out under way: who had it keeps it, queued messages are withdrawn, nobody else gets it', async () => {
    const flash = await sendFlash(
      deps,
      {
        text: { nl: 'Vergissing: dit klopt niet.' },
        audience: { areas: ['pottenberg'] },
        sendAt: inAnHour(),
      },
      'cli',
    );
    const later = new Date(inAnHour().getTime() + 1_000);
    // The fan-out's rows wait in the outbox for an hour: the test lets page 1 go by hand.
    class HeldOutbox extends Outbox {
      override bulkDrainAfter(): Date {
        return new Date(Date.now() + HOUR);
      }
    }
    const fanOut = new FanOut({
      db: app.db,
      outbox: new HeldOutbox(app.queues, { quietHours: deps.quietHours }),
      log: createLogger('silent'),
      clock: () => later,
      pageSize: 10,
    });
    let cancelled: Awaited<ReturnType<typeof cancelFlash>> | undefined;
    const result = await fanOut.run(flash.broadcastId, {
      afterPage: async ({ pages }) => {
        if (pages === 1) {
          // The first page goes out before the wijkteam notices.
          await sql`
            update outbound_messages set drain_after = now()
            where id in (select id from outbound_messages where broadcast_id = ${flash.broadcastId}
                         order by resident_id limit 10)`.execute(app.db);
          await eventually(
            async () => (await statusesOf(flash.broadcastId)).sent === 10,
            15_000,
            'page 1 sent',
          );
        }
        if (pages === 2) cancelled = await cancelFlash(deps, flash.id, 'cli');
      },
    });
    // The third page's rows were written while the second page's progress was recorded (the
    // fan-out runs one page ahead); the cancel withdrew them with the second's. The fourth page
    // never came.
    expect(result).toEqual({ outcome: 'cancelled', queued: 30 });
    expect(cancelled).toMatchObject({ id: flash.id, was: 'sending', sent: 10, withdrawn: 20 });
    // The withdrawn rows leave the outbox without sending, even once their time has come.
    await sql`update outbound_messages set drain_after = now() where broadcast_id = ${flash.broadcastId}`.execute(
      app.db,
    );
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await statusesOf(flash.broadcastId)).toEqual({ sent: 10, cancelled: 20 });
    const inboxes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => consoleInbox(app, `fix-${String(i).padStart(2, '0')}`)),
    );
    const got = inboxes.map((msgs) => msgs.filter((m) => m.includes('Vergissing')).length);
    expect(got.filter((n) => n === 1)).toHaveLength(10);
    expect(got.filter((n) => n > 1)).toHaveLength(0);
    expect((await announcementOf(flash.id)).status).toBe('cancelled');
    expect(await flashReport(app.db, flash.id)).toMatchObject({
      status: 'cancelled',
      sent: 10,
      queued: 0,
      cancelled: 20,
    });
    // A later run of the same fan-out (the tick, a redelivered job) does nothing.
    expect(await fanOut.run(flash.broadcastId)).toEqual({ outcome: 'cancelled', queued: 0 });
    const audit = (await listAudit(app.db)).filter((a) => a.action === 'flash.cancel');
    expect(audit.at(-1)).toMatchObject({
      actor: 'cli',
      details: { flashId: flash.id, was: 'sending', sent: 10, withdrawn: 20 },
    });
  }, 60_000);

  it('cancels a scheduled flash before it goes, and refuses one already sent', async () => {
    const flash = await sendFlash(
      deps,
      { text: { nl: 'Morgen markt.' }, audience: { areas: ['nazareth'] }, sendAt: inAnHour() },
      'cli',
    );
    const r = await cancelFlash(deps, flash.id, 'cli');
    expect(r).toMatchObject({ was: 'scheduled', sent: 0, withdrawn: 0 });
    expect((await announcementOf(flash.id)).status).toBe('cancelled');
    // The scheduler's tick never brings it back.
    clock.set(new Date(clock.now().getTime() + 2 * HOUR).toISOString());
    await new Promise((r) => setTimeout(r, 1_500));
    clock.set(new Date(Date.now()).toISOString());
    expect(await statusesOf(flash.broadcastId)).toEqual({});
    await expect(cancelFlash(deps, flash.id, 'cli')).rejects.toThrow(CorrectionStateError);

    const now = await sendFlash(deps, { text: { nl: 'Nu.' }, audience: { areas: ['nazareth'] } }, 'cli');
    await eventually(async () => (await announcementOf(now.id)).status === 'sent', 15_000, 'sent');
    await expect(cancelFlash(deps, now.id, 'cli')).rejects.toThrow(/already been sent/);
    await expect(cancelFlash(deps, '00000000-0000-4000-8000-000000000000', 'cli')).rejects.toThrow(
      CorrectionNotFoundError,
    );
  }, 60_000);

  it('edits a scheduled flash, which then goes with the new text; not once it is sent', async () => {
    const flash = await sendFlash(
      deps,
      { text: { nl: 'Oude tekst.' }, audience: { areas: ['nazareth'] }, sendAt: inAnHour() },
      'cli',
    );
    await editFlash(deps, flash.id, { nl: 'Nieuwe tekst.', en: 'New text.' }, 'cli');
    const b = await announcementOf(flash.id);
    expect(JSON.stringify(b.messages)).toContain('Nieuwe tekst.');
    expect(JSON.stringify(b.messages)).not.toContain('Oude tekst.');
    await app.db.updateTable('broadcasts').set({ send_at: clock.now() }).where('id', '=', b.id).execute();
    await eventually(
      async () => (await consoleInbox(app, 'fix-poll-a')).some((m) => m.includes('Nieuwe tekst.')),
      15_000,
      'the new text delivered',
    );
    await expect(editFlash(deps, flash.id, { nl: 'Te laat.' }, 'cli')).rejects.toThrow(CorrectionStateError);
    expect((await listAudit(app.db)).some((a) => a.action === 'flash.edit')).toBe(true);
  }, 60_000);
});

describe('cancelling and closing waves', () => {
  it('cancels a wave before it opens: no invitation ever goes', async () => {
    const wave = await launchWave(
      deps,
      { poll: 'cijfer', audience: { areas: ['nazareth'] }, opensAt: inAnHour() },
      'cli',
    );
    await cancelWave(deps, wave.id, 'cli');
    const row = await app.db
      .selectFrom('waves')
      .select('status')
      .where('id', '=', wave.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('cancelled');
    expect(await statusesOf(wave.invitationId)).toEqual({});
    await expect(closeWave(deps, wave.id, 'cli')).rejects.toThrow(/cancelled/);
    expect((await listAudit(app.db)).some((a) => a.action === 'poll.cancel')).toBe(true);
  });

  it('closes an open wave early: a resident mid-poll is told kindly, nothing more counts', async () => {
    const wave = await launchWave(deps, { poll: 'thuis', audience: { areas: ['nazareth'] } }, 'cli');
    await eventually(
      async () => (await consoleInbox(app, 'fix-poll-a')).some((m) => m.includes('Voel je je thuis')),
      15_000,
      'the invitation',
    );
    // Open now (the invitation went out): it can be closed, not cancelled.
    await expect(cancelWave(deps, wave.id, 'cli')).rejects.toThrow(/poll close/);
    await app.ingress.accept(consoleMessage('fix-poll-a', '4'));
    await eventually(
      async () => (await consoleInbox(app, 'fix-poll-a')).some((m) => m.includes('Wil je iets uitleggen')),
      15_000,
      'the follow-up',
    );
    const closed = await closeWave(deps, wave.id, 'cli');
    expect(closed.stopped).toBe(1); // the reminder
    const before = await app.db.selectFrom('answers').select('id').where('wave_id', '=', wave.id).execute();
    await app.ingress.accept(consoleMessage('fix-poll-a', 'De buurt is fijn.'));
    await eventually(
      async () => (await consoleInbox(app, 'fix-poll-a')).some((m) => m.includes('al gesloten')),
      15_000,
      'the kind line',
    );
    const after = await app.db.selectFrom('answers').select('id').where('wave_id', '=', wave.id).execute();
    expect(after).toHaveLength(before.length);
    const row = await app.db
      .selectFrom('waves')
      .selectAll()
      .where('id', '=', wave.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('closed');
    await expect(closeWave(deps, wave.id, 'cli')).rejects.toThrow(/closed already/);
    expect((await listAudit(app.db)).some((a) => a.action === 'poll.close')).toBe(true);
  }, 60_000);
});

describe('calling off a session', () => {
  it('stops the reminder and tells everyone who said they would come, once', async () => {
    const session = await announceSession(
      deps,
      {
        at: new Date(clock.now().getTime() + 3 * 24 * HOUR),
        where: 'Trefpunt',
        who: 'de wethouder',
        audience: { areas: ['nazareth'] },
      },
      'cli',
    );
    await eventually(async () => (await announcementOf(session.id)).status === 'sent', 15_000, 'announced');
    await eventually(
      async () => (await consoleInbox(app, 'fix-poll-b')).some((m) => m.includes('Straatpraat')),
      15_000,
    );
    await app.ingress.accept(consoleMessage('fix-poll-b', 'ja'));
    await eventually(
      async () =>
        (
          await app.db
            .selectFrom('flash_rsvps')
            .select('resident_id')
            .where('flash_id', '=', session.id)
            .execute()
        ).length === 1,
      15_000,
      'the RSVP',
    );
    const r = await cancelSession(deps, session.id, 'cli');
    expect(r).toMatchObject({ told: 1, stopped: 1 });
    await eventually(
      async () => (await consoleInbox(app, 'fix-poll-b')).some((m) => m.includes('gaat niet door')),
      15_000,
      'the line',
    );
    const reminder = await app.db
      .selectFrom('broadcasts')
      .select('status')
      .where('id', '=', session.reminderId)
      .executeTakeFirstOrThrow();
    expect(reminder.status).toBe('cancelled');
    expect((await consoleInbox(app, 'fix-poll-b')).filter((m) => m.includes('gaat niet door'))).toHaveLength(
      1,
    );
    expect((await consoleInbox(app, 'fix-poll-a')).filter((m) => m.includes('gaat niet door'))).toHaveLength(
      0,
    );
    await expect(cancelSession(deps, session.id, 'cli')).rejects.toThrow(/cancelled already/);
    // A JA after the cancel is no RSVP any more.
    await app.ingress.accept(consoleMessage('fix-poll-a', 'ja'));
    await eventually(
      async () => (await consoleInbox(app, 'fix-poll-a')).at(-1)?.includes('ja') === false,
      10_000,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const rsvps = await app.db
      .selectFrom('flash_rsvps')
      .select('resident_id')
      .where('flash_id', '=', session.id)
      .execute();
    expect(rsvps).toHaveLength(1);
    expect((await consoleInbox(app, 'fix-poll-a')).some((m) => m.includes('Fijn dat je komt'))).toBe(false);
    expect((await listAudit(app.db)).some((a) => a.action === 'session.cancel')).toBe(true);
  }, 60_000);
});
