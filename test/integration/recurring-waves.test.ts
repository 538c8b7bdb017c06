import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTexts } from '../../flows/i18n/texts.js';
import type { App } from '../../src/app.js';
import { audienceOf } from '../../src/broadcast/audience.js';
import { countEligible } from '../../src/broadcast/broadcasts.js';
import { cancelWaveIn } from '../../src/broadcast/corrections.js';
import { BroadcastTick } from '../../src/broadcast/tick.js';
import { listPolls } from '../../src/broadcast/waves.js';
import { createDb } from '../../src/db/connect.js';
import { createLogger } from '../../src/log.js';
import { loadPollCatalog } from '../../src/polls/catalog.js';
import {
  listSchedules,
  openScheduledWaves,
  removeSchedule,
  type ScheduledWaveDeps,
  setSchedule,
  skipOccurrence,
} from '../../src/polls/schedules.js';
import { Outbox } from '../../src/queue/outbox.js';
import { seedResidents, startClockedApp, TestClock } from '../helpers/broadcast.js';

const HOUR = 3_600_000;
const TZ = 'Europe/Amsterdam';
const clock = new TestClock('2026-12-20T12:00:00Z');
let app: App;
let stop: () => Promise<void>;
/** A second connection pool: another scheduler process on the same database. */
let other: ReturnType<typeof createDb>;

beforeAll(async () => {
  // A worker: no scheduler of its own, so only the ticks below open waves.
  ({ app, stop } = await startClockedApp(clock, {}, 'worker'));
  other = createDb(app.env.DATABASE_URL, 4);
  const ids = await seedResidents(app, [{ address: 'r-long-ago' }, { address: 'r-just-joined' }]);
  await app.db
    .updateTable('residents')
    .set({ created_at: new Date('2026-11-01T10:00:00Z') })
    .where('id', '=', ids.get('r-long-ago')!)
    .execute();
  await app.db
    .updateTable('residents')
    .set({ created_at: new Date('2026-12-20T10:00:00Z') })
    .where('id', '=', ids.get('r-just-joined')!)
    .execute();
});
afterAll(async () => {
  await other.destroy();
  await stop();
});

function deps(db: App['db']): ScheduledWaveDeps {
  return {
    db,
    queue: app.queues.broadcast,
    render: { texts: loadTexts() },
    timeZone: TZ,
    log: createLogger('silent'),
  };
}

const at = (iso: string) => new Date(iso);

describe('a recurring wave', () => {
  it('opens veerkracht-kort on the first Monday of the quarter at 10:00, exactly once with two schedulers racing', async () => {
    const schedule = await setSchedule(
      app.db,
      {
        poll: 'veerkracht-kort',
        rule: { every: 'quarter', nth: 'first', weekday: 'monday', at: '10:00' },
        minDaysJoined: 30,
        remindAfterMs: 24 * HOUR,
        closeAfterMs: 7 * 24 * HOUR,
      },
      { actor: 'test', now: clock.now(), timeZone: TZ },
    );
    expect(schedule.next).toBe('2027-01-04T09:00:00.000Z');
    const catalog = await loadPollCatalog(app.db);
    const listed = await listPolls(app.db, catalog.current, { now: clock.now(), timeZone: TZ });
    expect(listed.find((p) => p.id === 'veerkracht-kort')).toMatchObject({
      version: 1,
      nextWave: '2027-01-04T09:00:00.000Z',
    });

    // Before its time nothing opens (the October occurrence came before the schedule was set).
    expect(await openScheduledWaves(deps(app.db), at('2027-01-04T08:59:00Z'))).toEqual([]);

    // Two processes tick at the same moment, several times each.
    const due = at('2027-01-04T09:00:02Z');
    const results = await Promise.all([
      ...Array.from({ length: 4 }, () => openScheduledWaves(deps(app.db), due)),
      ...Array.from({ length: 4 }, () => openScheduledWaves(deps(other), due)),
    ]);
    const opened = results.flat();
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      poll: 'veerkracht-kort',
      pollVersion: 1,
      occurrence: at('2027-01-04T09:00:00Z'),
    });
    // Later ticks in the same week open nothing more.
    expect(await openScheduledWaves(deps(other), at('2027-01-05T09:00:00Z'))).toEqual([]);

    const waves = await app.db
      .selectFrom('waves')
      .selectAll()
      .where('poll', '=', 'veerkracht-kort')
      .execute();
    expect(waves).toHaveLength(1);
    const wave = waves[0]!;
    expect(wave.id).toBe(opened[0]!.waveId);
    expect(wave.opens_at).toEqual(at('2027-01-04T09:00:00Z'));
    expect(wave.remind_at).toEqual(at('2027-01-05T09:00:00Z'));
    expect(wave.closes_at).toEqual(at('2027-01-11T09:00:00Z'));
    expect(wave.created_by).toBe('schedule');
    // Everyone who joined more than 30 days before: the resident of November, not the one of December.
    const audience = audienceOf(wave.audience);
    expect(audience.joinedBefore).toBe('2026-12-05T09:00:00.000Z');
    expect(await countEligible(app.db, audience, false)).toBe(1);
    const sends = await app.db
      .selectFrom('broadcasts')
      .select(['kind', 'send_at'])
      .where('wave_id', '=', wave.id)
      .execute();
    expect(sends.map((b) => b.kind).sort()).toEqual(['wave_invitation', 'wave_reminder']);
  });

  it('skips an occurrence when asked, and shows the one after as next', async () => {
    const now = at('2027-01-06T12:00:00Z');
    const skipped = await skipOccurrence(app.db, 'veerkracht-kort', { actor: 'test', now, timeZone: TZ });
    expect(skipped).toEqual(at('2027-04-05T08:00:00Z'));
    const [schedule] = await listSchedules(app.db, { now, timeZone: TZ });
    expect(schedule?.next).toBe('2027-07-05T08:00:00.000Z');
    await expect(
      skipOccurrence(app.db, 'veerkracht-kort', { actor: 'test', now, timeZone: TZ, occurrence: skipped }),
    ).rejects.toThrow(/skipped already/);
    await expect(
      skipOccurrence(app.db, 'veerkracht-kort', {
        actor: 'test',
        now,
        timeZone: TZ,
        occurrence: at('2027-04-06T08:00:00Z'),
      }),
    ).rejects.toThrow(/not a coming occurrence/);

    expect(await openScheduledWaves(deps(app.db), at('2027-04-05T08:00:05Z'))).toEqual([]);
    const opened = await openScheduledWaves(deps(app.db), at('2027-07-05T08:00:05Z'));
    expect(opened.map((o) => o.occurrence)).toEqual([at('2027-07-05T08:00:00Z')]);
  });

  it('does not open an occurrence again after its wave was cancelled (poll cancel)', async () => {
    await setSchedule(
      app.db,
      { poll: 'thuis', rule: { every: 'month', nth: 'first', weekday: 'monday', at: '10:00' } },
      { actor: 'test', now: clock.now(), timeZone: TZ },
    );
    const [opened] = await openScheduledWaves(deps(app.db), at('2027-01-04T09:00:01Z'));
    expect(opened).toMatchObject({ poll: 'thuis', occurrence: at('2027-01-04T09:00:00Z') });
    // Called off before the scheduler's tick opened it.
    await app.db
      .transaction()
      .execute((tx) => cancelWaveIn(tx, opened!.waveId, 'cli', at('2027-01-04T09:00:02Z')));

    // Both schedulers tick again within the occurrence's week: no new wave, the cancelled one stays so.
    for (const db of [app.db, other]) {
      expect(await openScheduledWaves(deps(db), at('2027-01-04T09:01:00Z'))).toEqual([]);
      expect(await openScheduledWaves(deps(db), at('2027-01-06T12:00:00Z'))).toEqual([]);
    }
    const tick = new BroadcastTick({
      db: app.db,
      queue: app.queues.broadcast,
      outbox: new Outbox(app.queues),
      log: createLogger('silent'),
      clock: () => at('2027-01-04T09:01:00Z'),
    });
    // The tick opens waves whose time has come (January's veerkracht-kort above), not a cancelled one.
    await tick.run();
    const waves = await app.db
      .selectFrom('waves')
      .select(['id', 'status'])
      .where('poll', '=', 'thuis')
      .execute();
    expect(waves).toEqual([{ id: opened!.waveId, status: 'cancelled' }]);
    // The next month's occurrence opens as usual.
    const next = await openScheduledWaves(deps(app.db), at('2027-02-01T09:00:01Z'));
    expect(next.map((o) => o.occurrence)).toEqual([at('2027-02-01T09:00:00Z')]);
    expect(await removeSchedule(app.db, 'thuis', { actor: 'test', now: clock.now() })).toBe(true);
  });

  it('stops when removed; the waves it opened stay', async () => {
    expect(await removeSchedule(app.db, 'veerkracht-kort', { actor: 'test', now: clock.now() })).toBe(true);
    expect(await listSchedules(app.db, { now: clock.now(), timeZone: TZ })).toEqual([]);
    expect(await openScheduledWaves(deps(app.db), at('2027-10-04T08:00:05Z'))).toEqual([]);
    const waves = await app.db
      .selectFrom('waves')
      .select('id')
      .where('poll', '=', 'veerkracht-kort')
      .execute();
    expect(waves).toHaveLength(2);
  });
});
