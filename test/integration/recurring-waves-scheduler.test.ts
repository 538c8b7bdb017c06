import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.js';
import { createLogger } from '../../src/log.js';
import { setSchedule } from '../../src/polls/schedules.js';
import { consoleInbox } from '../helpers/app.js';
import { seedResidents, startClockedApp, TestClock } from '../helpers/broadcast.js';
import { eventually } from '../helpers/env.js';

// The scheduler's own tick, on a clock set just after the first Monday of January 2027, 10:00.
const clock = new TestClock('2027-01-04T09:00:20Z');
let app: App;
/** A second scheduler process on the same database, with queues of its own so its ticks never wait for the first's. */
let second: App;
let stop: () => Promise<void>;

beforeAll(async () => {
  let setup: { vars: Record<string, string> };
  ({ app, setup, stop } = await startClockedApp(clock, { SCHEDULER_TICK_MS: '300' }));
  second = await startApp({
    env: parseEnv({
      ...setup.vars,
      QUEUE_PREFIX: `${setup.vars.QUEUE_PREFIX}-second`,
      SCHEDULER_TICK_MS: '200',
    }),
    log: createLogger('silent'),
    role: 'scheduler',
    clock: clock.now,
    http: false,
  });
  await seedResidents(app, [{ address: 'rs-anna' }, { address: 'rs-piet', area: 'pottenberg' }]);
});
afterAll(async () => {
  const prefix = second?.env.QUEUE_PREFIX;
  await second?.stop();
  // The second scheduler's queue keys; the first's go with the test setup.
  let cursor = prefix ? '0' : undefined;
  while (cursor !== undefined) {
    const [next, keys] = await app.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await app.redis.del(...keys);
    cursor = next === '0' ? undefined : next;
  }
  await stop();
});

describe('two scheduler processes', () => {
  it('open a recurring wave on their ticks and invite its audience, once', async () => {
    await setSchedule(
      app.db,
      {
        poll: 'thuis',
        rule: { every: 'month', nth: 'first', weekday: 'monday', at: '10:00' },
        audience: { areas: ['nazareth'] },
      },
      // Set in December: January's occurrence is the first it opens.
      { actor: 'test', now: new Date('2026-12-20T12:00:00Z'), timeZone: app.env.TIME_ZONE },
    );
    await eventually(
      async () =>
        (await consoleInbox(app, 'rs-anna')).some((m) => m.includes('Voel je je thuis in je buurt?')),
      15_000,
      'the invitation of the recurring wave',
    );
    const waves = await app.db.selectFrom('waves').selectAll().where('poll', '=', 'thuis').execute();
    expect(waves).toHaveLength(1);
    expect(waves[0]).toMatchObject({ status: 'open', created_by: 'schedule', poll_version: 1 });
    expect(waves[0]!.opens_at).toEqual(new Date('2027-01-04T09:00:00Z'));
    // Many ticks of both later still one wave, one claimed occurrence, and Pottenberg was not invited.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await app.db.selectFrom('waves').select('id').where('poll', '=', 'thuis').execute()).toHaveLength(
      1,
    );
    expect(await consoleInbox(app, 'rs-piet')).toEqual([]);
  });
});
