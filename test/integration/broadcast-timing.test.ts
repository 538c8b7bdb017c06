import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { BroadcastDeps } from '../../src/broadcast/broadcasts.js';
import { fanOutJobId } from '../../src/broadcast/fanout.js';
import { sendFlash } from '../../src/broadcast/flashes.js';
import { consoleInbox, consoleMessage } from '../helpers/app.js';
import { seedResidents, startClockedApp, TestClock } from '../helpers/broadcast.js';
import { eventually } from '../helpers/env.js';

// Midday in Maastricht; each test moves the clock to the hour it is about.
const clock = new TestClock('2026-03-10T11:00:00Z');
let app: App;
let deps: BroadcastDeps;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, deps, stop } = await startClockedApp(clock, { SCHEDULER_TICK_MS: '500' }));
  await seedResidents(app, [
    { address: 'timing-nazareth', area: 'nazareth' },
    { address: 'timing-pottenberg', area: 'pottenberg' },
    { address: 'timing-elders', area: 'elders' },
  ]);
});
afterAll(async () => stop());

/** Real time (ms) at which the address's inbox first holds `n` messages. */
async function arrival(address: string, n = 1, timeoutMs = 15_000): Promise<number> {
  await eventually(async () => (await consoleInbox(app, address)).length >= n, timeoutMs, `${n} messages`);
  return Date.now();
}

describe('when broadcasts go out', () => {
  it('does not send a scheduled flash before its time', async () => {
    clock.set('2026-03-10T11:00:00Z');
    const sendAt = new Date(clock.now().getTime() + 2_500);
    const flash = await sendFlash(
      deps,
      { text: { nl: 'Straks koffie in het Trefpunt.' }, audience: { areas: ['nazareth'] }, sendAt },
      'test',
    );
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await consoleInbox(app, 'timing-nazareth')).toEqual([]);
    const rows = await app.db
      .selectFrom('outbound_messages')
      .select('id')
      .where('broadcast_id', '=', flash.broadcastId)
      .execute();
    expect(rows).toHaveLength(0);
    const arrived = await arrival('timing-nazareth');
    expect(arrived).toBeGreaterThanOrEqual(clock.realTimeOf(sendAt.toISOString()) - 20);
    expect(await consoleInbox(app, 'timing-nazareth')).toEqual(['Straks koffie in het Trefpunt.']);
  });

  it('holds a flash that is due in quiet hours until 09:00', async () => {
    clock.set('2026-03-11T07:59:57.500Z'); // 08:59:57.5 in Maastricht
    const flash = await sendFlash(
      deps,
      { text: { nl: 'Vandaag markt op het plein.' }, audience: { areas: ['pottenberg'] } },
      'test',
    );
    // The fan-out has run (the row exists) but the message waits for 09:00.
    const row = await eventually(
      () =>
        app.db
          .selectFrom('outbound_messages')
          .select(['id', 'status', 'drain_after'])
          .where('broadcast_id', '=', flash.broadcastId)
          .executeTakeFirst(),
      5_000,
      'the outbound row',
    );
    // It waits in the outbox until 09:00.
    expect(row!.status).toBe('queued');
    expect(
      Math.abs(new Date(row!.drain_after!).getTime() - clock.realTimeOf('2026-03-11T08:00:00Z')),
    ).toBeLessThan(1_000);
    expect(await consoleInbox(app, 'timing-pottenberg')).toEqual([]);
    const arrived = await arrival('timing-pottenberg');
    expect(arrived).toBeGreaterThanOrEqual(clock.realTimeOf('2026-03-11T08:00:00Z') - 20);
    expect(await consoleInbox(app, 'timing-pottenberg')).toEqual(['Vandaag markt op het plein.']);
  });

  it('answers a resident at 23:00 at once, while a flash sent then waits until morning', async () => {
    clock.set('2026-03-10T22:00:00Z'); // 23:00 in Maastricht
    const asked = Date.now();
    await app.ingress.accept(consoleMessage('timing-elders', 'IDEE'));
    const replied = await arrival('timing-elders', 1, 5_000);
    expect(replied - asked).toBeLessThan(3_000);
    expect(await consoleInbox(app, 'timing-elders')).toEqual(['Wat is je idee? Schrijf het in één bericht.']);

    const flash = await sendFlash(
      deps,
      { text: { nl: 'Morgen bingo.' }, audience: { areas: ['elders'] } },
      'test',
    );
    const row = await eventually(
      () =>
        app.db
          .selectFrom('outbound_messages')
          .select(['id', 'status', 'drain_after'])
          .where('broadcast_id', '=', flash.broadcastId)
          .executeTakeFirst(),
      5_000,
      'the flash row',
    );
    // Held in the outbox for ten hours: until 09:00.
    expect(row!.status).toBe('queued');
    expect(Math.abs(new Date(row!.drain_after!).getTime() - Date.now() - 10 * 3_600_000)).toBeLessThan(5_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await consoleInbox(app, 'timing-elders')).toHaveLength(1);
    // The fan-out job itself is done; only the message waits.
    // (It records its progress right after queueing the page, so give it that moment.)
    await eventually(
      async () =>
        (await (await app.queues.broadcast.getJob(fanOutJobId(flash.broadcastId)))?.getState()) ===
        'completed',
      5_000,
      'the fan-out job to complete',
    );
  });
});
