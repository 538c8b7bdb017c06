import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { LOG_BODY } from '../../src/db/sealed-columns.js';
import { unseal } from '../../src/privacy/sealed.js';
import { inboundQueueName } from '../../src/queue/names.js';
import { consoleInbox, consoleMessage, startTestApp } from '../helpers/app.js';
import { eventually } from '../helpers/env.js';

let app: App;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ app, stop } = await startTestApp({ INBOUND_PARTITIONS: '8', WORKER_CONCURRENCY: '8' }));
});
afterAll(async () => stop());

/** Outbound rows of a resident: what the engine decided to send. */
async function outboundOf(address: string): Promise<{ status: string }[]> {
  return app.db
    .selectFrom('outbound_messages as o')
    .innerJoin('residents as r', 'r.id', 'o.resident_id')
    .select('o.status')
    .where('r.address', '=', address)
    .execute();
}

async function loggedIn(address: string): Promise<string[]> {
  const rows = await app.db
    .selectFrom('message_log as m')
    .innerJoin('residents as r', 'r.id', 'm.resident_id')
    .select('m.body')
    .where('r.address', '=', address)
    .where('m.direction', '=', 'in')
    .orderBy('m.id')
    .execute();
  return rows.map((r) => unseal(r.body, LOG_BODY));
}

describe('the inbound pipeline', () => {
  it('gives one effect and one reply when the same message is queued three times', async () => {
    const message = consoleMessage('anna', 'hallo', 'same-platform-id');
    await app.ingress.accept(message);
    await app.ingress.accept(message);
    // Redis may have forgotten the first job (e.g. removed after completion): the ledger still dedupes.
    const { partition } = await app.ingress.accept(message);
    await app.queues.inbound(partition).add('inbound', message);
    await eventually(async () => (await consoleInbox(app, 'anna')).length >= 1, 10_000, 'the reply');
    await eventually(async () => {
      const counts = await app.queues.inbound(partition).getJobCounts('waiting', 'active');
      return counts.waiting === 0 && counts.active === 0;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(await loggedIn('anna')).toEqual(['hallo']);
    const ledger = await app.db
      .selectFrom('inbound_ledger')
      .select('id')
      .where('channel', '=', 'console')
      .execute();
    expect(ledger).toHaveLength(1);
    // One reply (which may be several messages), each delivered once.
    const outbound = await outboundOf('anna');
    expect(outbound.length).toBeGreaterThanOrEqual(1);
    expect(outbound.every((o) => o.status === 'sent')).toBe(true);
    const inbox = await consoleInbox(app, 'anna');
    expect(inbox).toHaveLength(outbound.length);
    expect(new Set(inbox).size).toBe(inbox.length);
  });

  it('handles each resident’s messages in the order sent, with eight partitions worked at once', async () => {
    const residents = Array.from({ length: 12 }, (_, i) => `order-${i}`);
    const sent = new Map(
      residents.map((r) => [r, Array.from({ length: 10 }, (_, i) => `${r} bericht ${i + 1}`)]),
    );
    // Interleave residents, as a busy evening would.
    for (let i = 0; i < 10; i++) {
      await Promise.all(residents.map((r) => app.ingress.accept(consoleMessage(r, sent.get(r)![i]!))));
    }
    for (const r of residents) {
      await eventually(async () => (await loggedIn(r)).length === 10, 20_000, `ten messages of ${r}`);
      expect(await loggedIn(r)).toEqual(sent.get(r));
    }
  });

  it('fails a job with an invalid payload for good, with the reason, and keeps working', async () => {
    const queue = app.queues.inbound(0);
    expect(queue.name).toBe(inboundQueueName(0));
    const bad = await queue.add('inbound', { channel: 'fax', text: 42 });
    const failed = await eventually(async () => {
      const job = await queue.getJob(bad.id!);
      // failedReason is set in the same step that makes the job failed; read both from one fetch.
      return job?.failedReason ? job : undefined;
    }, 30_000);
    expect(failed!.failedReason).toMatch(/^invalid inbound payload: channel: /);
    expect(failed!.attemptsMade).toBe(1);
    await app.ingress.accept(consoleMessage('after-bad', 'nog steeds daar?'));
    await eventually(
      async () => (await consoleInbox(app, 'after-bad')).length >= 1,
      30_000,
      'a reply after the bad job',
    );
  });

  it('refuses an inbound message that does not validate, before it reaches a queue', async () => {
    await expect(app.ingress.accept({ ...consoleMessage('x', 'hoi'), address: '' })).rejects.toThrow(
      /invalid inbound message: address/,
    );
  });
});
