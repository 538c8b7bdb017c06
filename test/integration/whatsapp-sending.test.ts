import { Redis } from 'ioredis';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BASE_CAPABILITIES, type ChannelAdapter, type SendGate } from '../../adapters/channel.js';
import { prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import type { Database } from '../../src/db/schema.js';
import { createLogger } from '../../src/log.js';
import { Metrics } from '../../src/metrics.js';
import { OutboundWorker, type OutboundWorkerOptions } from '../../src/queue/outbound-worker.js';
import { Outbox } from '../../src/queue/outbox.js';
import { wakeSenders } from '../../src/queue/outbox-drain.js';
import { retryFailedReplies } from '../../src/queue/outbox-ops.js';
import type { OutboundJob } from '../../src/queue/payloads.js';
import { Queues } from '../../src/queue/queues.js';
import { eventually, type TestSetup, testSetup } from '../helpers/env.js';

let setup: TestSetup;
let db: Kysely<Database>;
let redis: Redis;
let queues: Queues;
let outbox: Outbox;
const workers: OutboundWorker[] = [];

beforeAll(async () => {
  setup = testSetup();
  await prepareStorage(setup.env);
  db = createDb(setup.env.DATABASE_URL, 4);
  redis = new Redis(setup.env.REDIS_URL, { maxRetriesPerRequest: null });
  queues = new Queues(redis, setup.env.QUEUE_PREFIX, 1);
  await queues.init();
  outbox = new Outbox(queues);
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
  await queues.outbound('whatsapp').obliterate({ force: true });
});
afterAll(async () => {
  await queues?.close();
  redis?.disconnect();
  await db?.destroy();
  await setup?.cleanup();
});

/** A WhatsApp stand-in that records when each text went out. */
function recordingAdapter() {
  const sent: { at: number; text: string }[] = [];
  const adapter: ChannelAdapter = {
    name: 'whatsapp',
    capabilities: { ...BASE_CAPABILITIES, nativePolls: true },
    start: async () => {},
    stop: async () => {},
    send: async (_address, message) => {
      sent.push({ at: Date.now(), text: message.text });
      return {};
    },
  };
  return { adapter, sent };
}

function worker(adapter: ChannelAdapter, extra: Partial<OutboundWorkerOptions>): OutboundWorker {
  const w = new OutboundWorker({
    connection: redis,
    prefix: setup.env.QUEUE_PREFIX,
    adapter,
    db,
    log: createLogger('silent'),
    metrics: new Metrics(),
    lockMs: 5000,
    concurrency: 1,
    ...extra,
  });
  workers.push(w);
  return w;
}

let n = 0;
function job(kind: 'reply' | 'bulk', text: string): OutboundJob {
  n += 1;
  return {
    outboundId: null,
    residentId: null,
    channel: 'whatsapp',
    address: `3161200${String(n).padStart(4, '0')}@s.whatsapp.net`,
    kind,
    message: { kind: 'text', text },
    queuedAt: Date.now(),
  };
}

/**
 * Messages waiting in the outbox as a fan-out's page or the engine writes them (one resident each, in
 * the order given), then the channel's signal.
 */
async function inOutbox(kind: 'reply' | 'bulk', texts: string[]): Promise<void> {
  const residents = await db
    .insertInto('residents')
    .values(
      texts.map(() => {
        n += 1;
        return { channel: 'whatsapp', address: `3161300${String(n).padStart(4, '0')}@s.whatsapp.net` };
      }),
    )
    .returning('id')
    .execute();
  const at = Date.now();
  await db
    .insertInto('outbound_messages')
    .values(
      texts.map((text, i) => ({
        resident_id: residents[i]!.id,
        channel: 'whatsapp',
        kind,
        body: JSON.stringify({ kind: 'text', text }),
        seq: i,
        created_at: new Date(at),
        drain_after: new Date(at),
      })),
    )
    .execute();
  await wakeSenders(redis, setup.env.QUEUE_PREFIX, ['whatsapp']);
}

class TestGate implements SendGate {
  open = false;
  readonly #listeners = new Set<(open: boolean) => void>();
  set(open: boolean) {
    this.open = open;
    for (const l of this.#listeners) l(open);
  }
  onChange(listener: (open: boolean) => void) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

describe('careful sending on WhatsApp', () => {
  it('spaces bulk messages by the interval plus jitter, and lets a reply go first', async () => {
    const interval = 300;
    const jitter = 100;
    const { adapter, sent } = recordingAdapter();
    await worker(adapter, { bulkIntervalMs: interval, bulkJitterMs: jitter }).ready();
    await outbox.enqueue(['b1', 'b2', 'b3', 'b4', 'b5'].map((t) => job('bulk', t)));
    await eventually(() => sent.length >= 1, 5_000, 'the first bulk message');
    await outbox.enqueue([job('reply', 'r1')]);
    await eventually(() => sent.length === 6, 10_000, 'every message');

    const order = sent.map((s) => s.text);
    expect(order.indexOf('r1')).toBeLessThan(order.indexOf('b2'));
    const bulk = sent.filter((s) => s.text.startsWith('b'));
    expect(bulk.map((s) => s.text)).toEqual(['b1', 'b2', 'b3', 'b4', 'b5']);
    const gaps = bulk.slice(1).map((s, i) => s.at - bulk[i]!.at);
    for (const gap of gaps) {
      // The distance is kept between claims in Redis; the send itself may start a little later or
      // earlier on a busy event loop. BullMQ's delayed-job wake-up adds a little on top.
      expect(gap).toBeGreaterThanOrEqual(interval * 0.8);
      expect(gap).toBeLessThan(interval + jitter + 600);
    }
  });

  it("spaces a fan-out's messages from the outbox the same way, in order, and lets a reply go first", async () => {
    const interval = 300;
    const jitter = 100;
    const { adapter, sent } = recordingAdapter();
    await worker(adapter, { bulkIntervalMs: interval, bulkJitterMs: jitter }).ready();
    await inOutbox('bulk', ['o1', 'o2', 'o3', 'o4', 'o5']);
    await eventually(() => sent.length >= 1, 5_000, 'the first bulk message');
    await inOutbox('reply', ['or1']);
    await eventually(() => sent.length === 6, 10_000, 'every message');

    const order = sent.map((s) => s.text);
    expect(order.indexOf('or1')).toBeLessThan(order.indexOf('o2'));
    const bulk = sent.filter((s) => s.text.startsWith('o') && s.text !== 'or1');
    expect(bulk.map((s) => s.text)).toEqual(['o1', 'o2', 'o3', 'o4', 'o5']);
    const gaps = bulk.slice(1).map((s, i) => s.at - bulk[i]!.at);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(interval * 0.8);
      expect(gap).toBeLessThan(interval + jitter + 600);
    }
    // The adapter records a message as it goes; its row is marked sent a moment later.
    const statuses = async () =>
      (
        await db
          .selectFrom('outbound_messages')
          .select(['status'])
          .where('channel', '=', 'whatsapp')
          .where('kind', '=', 'bulk')
          .execute()
      ).map((r) => r.status);
    await eventually(async () => (await statuses()).every((st) => st === 'sent'), 5_000, 'every row sent');
    expect(await statuses()).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
  });

  it("keeps the bulk pace for a fan-out's messages across two workers sharing Redis", async () => {
    const interval = 250;
    const { adapter, sent } = recordingAdapter();
    await worker(adapter, { bulkIntervalMs: interval }).ready();
    await worker(adapter, { bulkIntervalMs: interval }).ready();
    await inOutbox('bulk', ['p1', 'p2', 'p3', 'p4']);
    await eventually(() => sent.length === 4, 10_000, 'every message');
    const times = sent.map((s) => s.at).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(interval * 0.8);
    expect(sent.map((s) => s.text).sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
  });

  it('never waits for a row another statement holds (a cancel locks them all), so a lock cannot stall or deadlock it', async () => {
    const holder = new pg.Client({ connectionString: setup.env.DATABASE_URL });
    await holder.connect();
    const sent: string[] = [];
    const adapter: ChannelAdapter = {
      ...recordingAdapter().adapter,
      send: async (_address, message) => {
        if (message.text === 'l1') {
          // While the first goes out, another transaction takes the third row's lock and keeps it.
          await holder.query('begin');
          await holder.query(
            `select id from outbound_messages where kind = 'bulk' and body->>'text' = 'l3' for update`,
          );
        }
        sent.push(message.text);
        return {};
      },
    };
    try {
      await worker(adapter, {}).ready();
      await inOutbox('bulk', ['l1', 'l2', 'l3']);
      // The second goes while the lock is still held: the claim's renewal skips the locked row
      // instead of waiting for it.
      await eventually(() => sent.includes('l2'), 3_000, 'the second message while a row is locked');
      expect(sent).toEqual(['l1', 'l2']);
    } finally {
      await holder.query('rollback').catch(() => {});
      await holder.end();
    }
    // The locked row was left to its claim; once that runs out it goes, once.
    await eventually(() => sent.includes('l3'), 15_000, 'the third message after the lock');
    await new Promise((r) => setTimeout(r, 500));
    expect(sent).toEqual(['l1', 'l2', 'l3']);
  });

  it('keeps the rate across two workers (two processes) sharing Redis', async () => {
    const interval = 250;
    const { adapter, sent } = recordingAdapter();
    await worker(adapter, { bulkIntervalMs: interval }).ready();
    await worker(adapter, { bulkIntervalMs: interval }).ready();
    await outbox.enqueue(['c1', 'c2', 'c3', 'c4'].map((t) => job('bulk', t)));
    await eventually(() => sent.length === 4, 10_000, 'every message');
    const times = sent.map((s) => s.at).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(interval * 0.8);
  });

  it('takes jobs only while its gate is open (only where the WhatsApp connection is)', async () => {
    const gate = new TestGate();
    const { adapter, sent } = recordingAdapter();
    await worker(adapter, { gate }).ready();
    await outbox.enqueue([job('reply', 'g1')]);
    await new Promise((r) => setTimeout(r, 400));
    expect(sent).toEqual([]);

    gate.set(true);
    await eventually(() => sent.length === 1, 5_000, 'the message once the gate opens');
    gate.set(false);
    await new Promise((r) => setTimeout(r, 100));
    await outbox.enqueue([job('reply', 'g2')]);
    await new Promise((r) => setTimeout(r, 400));
    expect(sent.map((s) => s.text)).toEqual(['g1']);
    gate.set(true);
    await eventually(() => sent.length === 2, 5_000, 'the second message');
  });

  it('sends failed broadcast messages again after queue retry, but not those of a broadcast called off', async () => {
    const broadcast = async (status: string) =>
      (
        await sql<{ id: string }>`
          insert into broadcasts (kind, messages, send_at, status) values ('flash', '{}'::jsonb, now(), ${status})
          returning id`.execute(db)
      ).rows[0]!.id;
    const [sentOne, calledOff] = [await broadcast('sent'), await broadcast('cancelled')];
    await inOutbox('bulk', ['retry-kept', 'retry-called-off']);
    for (const [text, id] of [
      ['retry-kept', sentOne],
      ['retry-called-off', calledOff],
    ] as const) {
      await sql`
        update outbound_messages set status = 'failed', error = 'whatsapp: refused', broadcast_id = ${id}
        where body->>'text' = ${text}`.execute(db);
    }
    expect(await retryFailedReplies(db, ['whatsapp'])).toEqual([{ channel: 'whatsapp', replies: 1 }]);
    const { rows } = await sql<{ text: string; status: string }>`
      select body->>'text' as text, status from outbound_messages
      where body->>'text' in ('retry-kept', 'retry-called-off') order by 1`.execute(db);
    expect(rows).toEqual([
      { text: 'retry-called-off', status: 'failed' },
      { text: 'retry-kept', status: 'queued' },
    ]);
  });
});
