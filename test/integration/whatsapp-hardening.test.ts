import { PassThrough } from 'node:stream';
import { DEFAULT_CONNECTION_CONFIG, DisconnectReason, type WAVersion } from '@whiskeysockets/baileys';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RetryableSendError } from '../../adapters/errors.js';
import { WhatsAppAdapter, type WhatsAppAdapterOptions } from '../../adapters/whatsapp/adapter.js';
import { PgAuthStore } from '../../adapters/whatsapp/auth-store.js';
import { readPairingStatus } from '../../adapters/whatsapp/pairing.js';
import { prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import type { Database } from '../../src/db/schema.js';
import type { InboundMessage } from '../../src/domain/messages.js';
import { createLogger } from '../../src/log.js';
import { dataKeySealer, KEY_ID } from '../../src/privacy/sealed.js';
import { purge } from '../../src/scheduler/purge.js';
import { eventually, type TestSetup, testSetup } from '../helpers/env.js';
import { boom, FakeWhatsApp } from '../helpers/fake-whatsapp.js';

let setup: TestSetup;
let db: Kysely<Database>;
let redis: Redis;
const silent = createLogger('silent');
const BUNDLED = DEFAULT_CONNECTION_CONFIG.version;
const newer = (by: number): WAVersion => [BUNDLED[0], BUNDLED[1], BUNDLED[2] + by];

beforeAll(async () => {
  setup = testSetup();
  await prepareStorage(setup.env);
  db = createDb(setup.env.DATABASE_URL, 4);
  redis = new Redis(setup.env.REDIS_URL);
});
afterAll(async () => {
  redis?.disconnect();
  await db?.destroy();
  await setup?.cleanup();
});

const started: WhatsAppAdapter[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((a) => a.stop()));
  await new PgAuthStore(db, dataKeySealer).clear();
});

function adapterOn(fake: FakeWhatsApp, extra: Partial<WhatsAppAdapterOptions> = {}): WhatsAppAdapter {
  const adapter = new WhatsAppAdapter({
    db,
    sealer: dataKeySealer,
    redis,
    prefix: setup.env.QUEUE_PREFIX,
    log: silent,
    leaseMs: 2000,
    makeSocket: fake.factory,
    terminal: null,
    reconnect: { baseMs: 20, maxMs: 200 },
    ...extra,
  });
  started.push(adapter);
  return adapter;
}

/** A logger whose lines (parsed JSON) land in the returned list. */
function capturing(level: 'info' | 'warn' = 'warn') {
  const lines: { level: number; msg: string; [k: string]: unknown }[] = [];
  const out = new PassThrough();
  out.on('data', (chunk) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
  });
  return { log: createLogger(level, out), lines };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the WhatsApp Web version (405)', () => {
  it('logs in with the newer of the current and the bundled version, or the configured one', async () => {
    const fake = new FakeWhatsApp({ autoPair: true });
    fake.minimumVersion = newer(1);
    const current = newer(5);
    const adapter = adapterOn(fake, { fetchWebVersion: async () => current });
    await adapter.start(async () => {});
    await eventually(() => adapter.state === 'open', 5_000, 'the connection with the current version');
    expect(fake.sockets[0]!.version).toEqual(current);
    await adapter.stop();

    // A look-up that finds an older version (a stale page) does not go below Baileys' own.
    const stale = new FakeWhatsApp({ autoPair: true });
    const second = adapterOn(stale, { fetchWebVersion: async () => [2, 2400, 1] });
    await second.start(async () => {});
    await eventually(() => second.state === 'open', 5_000, 'the connection with the bundled version');
    expect(stale.sockets[0]!.version).toEqual(BUNDLED);
    await second.stop();

    // WHATSAPP_WEB_VERSION wins, without a look-up.
    const fixed = new FakeWhatsApp({ autoPair: true });
    let looked = 0;
    const third = adapterOn(fixed, {
      webVersion: newer(9),
      fetchWebVersion: async () => {
        looked += 1;
        return current;
      },
    });
    await third.start(async () => {});
    await eventually(() => third.state === 'open', 5_000, 'the connection with the configured version');
    expect(fixed.sockets[0]!.version).toEqual(newer(9));
    expect(looked).toBe(0);
  });

  it('says the version was refused and waits long before trying a newer one', async () => {
    const fake = new FakeWhatsApp({ autoPair: true });
    fake.minimumVersion = newer(3);
    const found: WAVersion[] = [BUNDLED, newer(3)];
    let looked = 0;
    const { log, lines } = capturing();
    const adapter = adapterOn(fake, {
      log,
      reconnect: { baseMs: 20, maxMs: 200, outdatedMs: 800 },
      fetchWebVersion: async () => found[looked++],
    });
    await adapter.start(async () => {});
    await eventually(() => adapter.state === 'outdated', 5_000, 'the refused version');
    expect((await readPairingStatus(redis, setup.env.QUEUE_PREFIX))?.state).toBe('outdated');
    expect(lines.some((l) => l.level === 50 && /405/.test(l.msg) && /WHATSAPP_WEB_VERSION/.test(l.msg))).toBe(
      true,
    );
    // Not hammered: no new login within the slow wait (the normal backoff would have tried ~5 times).
    await pause(400);
    expect(fake.sockets).toHaveLength(1);
    // Then the version is looked up again, and the newer one gets in.
    await eventually(() => adapter.state === 'open', 5_000, 'the connection with the newer version');
    expect(looked).toBe(2);
    expect(fake.sockets.at(-1)!.version).toEqual(newer(3));
  });
});

describe('reconnecting after pairing by QR code', () => {
  it('backs off during an outage: Baileys never sets `registered` for a QR-paired device', async () => {
    const fake = new FakeWhatsApp();
    const { log, lines } = capturing();
    const adapter = adapterOn(fake, { log, reconnect: { baseMs: 20, maxMs: 2_000 } });
    await adapter.start(async () => {});
    await eventually(() => adapter.state === 'qr', 5_000, 'a QR code');
    await fake.pair();
    await eventually(() => adapter.state === 'open', 5_000, 'the connection after pairing');
    // As Baileys stores it (saved a moment after the update).
    const creds = await eventually(
      async () => {
        const stored = await new PgAuthStore(db, dataKeySealer).load();
        return stored.state.creds.account ? stored.state.creds : undefined;
      },
      5_000,
      'the stored pairing',
    );
    expect(creds!.registered).toBe(false);

    fake.outage = boom('Connection Lost', DisconnectReason.connectionLost);
    await fake.drop();
    const waits = () => lines.filter((l) => /reconnecting/.test(l.msg)).map((l) => l.inMs as number);
    await eventually(() => waits().length >= 5, 10_000, 'five reconnects');
    const seen = waits();
    // Doubling from 20 ms: the fifth wait is at least 160 ms (half of 320), never a fixed 20 ms.
    expect(seen[4]).toBeGreaterThanOrEqual(160);
    expect(seen[4]).toBeGreaterThan(seen[0]!);
    fake.outage = undefined;
    await eventually(() => adapter.state === 'open', 10_000, 'the connection after the outage');
  });
});

describe('close codes that retrying cannot cure', () => {
  it('stops every process, releases the lease and alerts when another client replaced the connection (440)', async () => {
    const fake = new FakeWhatsApp({ autoPair: true });
    const { log, lines } = capturing();
    const first = adapterOn(fake, { log });
    const second = adapterOn(fake, { log: silent });
    await first.start(async () => {});
    await eventually(() => first.state === 'open', 5_000, 'the connection');
    await second.start(async () => {});
    await eventually(() => second.state === 'standby', 5_000, 'the standby');

    await fake.drop(DisconnectReason.connectionReplaced);
    await eventually(() => first.state === 'halted', 5_000, 'the holder to stop');
    await eventually(() => second.state === 'halted', 5_000, 'the standby to hold off');
    await pause(500);
    // Nobody logs in again to push the other client out.
    expect(fake.sockets).toHaveLength(1);
    expect(await redis.get(`${setup.env.QUEUE_PREFIX}:whatsapp:lease`)).toBeNull();
    expect((await readPairingStatus(redis, setup.env.QUEUE_PREFIX))?.state).toBe('replaced');
    const alert = lines.filter((l) => l.level === 50 && /replaced \(440\)/.test(l.msg));
    expect(alert).toHaveLength(1);
    expect(alert[0]!.msg).toMatch(/restart Straatpraat/);

    // A restart (after the operator stopped the other client) connects again.
    await first.stop();
    await second.stop();
    const restarted = adapterOn(fake);
    await restarted.start(async () => {});
    await eventually(() => restarted.state === 'open', 5_000, 'the connection after a restart');
  });

  it.each([403, 419])('stops and alerts when WhatsApp refuses the number (%i)', async (code) => {
    const fake = new FakeWhatsApp({ autoPair: true });
    const { log, lines } = capturing();
    const adapter = adapterOn(fake, { log });
    await adapter.start(async () => {});
    await eventually(() => adapter.state === 'open', 5_000, 'the connection');
    await fake.drop(code);
    await eventually(() => adapter.state === 'halted', 5_000, 'the adapter to stop');
    await pause(300);
    expect(fake.sockets).toHaveLength(1);
    expect((await readPairingStatus(redis, setup.env.QUEUE_PREFIX))?.state).toBe('refused');
    expect(
      lines.some((l) => l.level === 50 && new RegExp(`refused this number \\(${code}\\)`).test(l.msg)),
    ).toBe(true);
    // The pairing is kept: a locked number may come back.
    expect(await new PgAuthStore(db, dataKeySealer).isPaired()).toBe(true);
  });
});

describe('a pairing code that is not typed in time', () => {
  it('starts a new pairing instead of logging in with half-made credentials and wiping them', async () => {
    const fake = new FakeWhatsApp();
    const adapter = adapterOn(fake, { pairingNumber: '31600000001' });
    await adapter.start(async () => {});
    await eventually(() => adapter.state === 'pairing_code', 5_000, 'a pairing code');
    // Baileys saved our number as `me` when it asked for the code.
    await eventually(
      async () => (await new PgAuthStore(db, dataKeySealer).load()).state.creds.me?.id,
      5_000,
      'saved creds',
    );

    await fake.expirePairing();
    await eventually(() => fake.pairingRequests.length === 2, 5_000, 'a second pairing code');
    await eventually(() => adapter.state === 'pairing_code', 5_000, 'the new code shown');
    // Never a login with the half-made credentials (WhatsApp answers that with 401).
    expect(fake.sockets.map((s) => s.closedWith)).not.toContain(DisconnectReason.loggedOut);

    await fake.typePairingCode();
    await eventually(() => adapter.state === 'open', 5_000, 'the connection after typing the code');
    await eventually(() => new PgAuthStore(db, dataKeySealer).isPaired(), 5_000, 'the stored pairing');
  });
});

describe('messages sent while the connection was down', () => {
  it('takes them when it comes back, also after an outage of several days', async () => {
    const fake = new FakeWhatsApp({ autoPair: true });
    const inbox: InboundMessage[] = [];
    const adapter = adapterOn(fake);
    await adapter.start(async (m) => {
      inbox.push(m);
    });
    await eventually(() => adapter.state === 'open', 5_000, 'the connection');
    // Baileys hands messages that waited on WhatsApp's server over as `append`.
    const friday = fake.text('31612000107@s.whatsapp.net', '4');
    friday.messageTimestamp = Math.floor(Date.now() / 1000) - 3 * 86_400;
    const hour = fake.text('31612000107@s.whatsapp.net', 'ja');
    hour.messageTimestamp = Math.floor(Date.now() / 1000) - 3600;
    fake.deliver(friday, 'append');
    fake.deliver(hour, 'append');
    await eventually(() => inbox.length === 2, 5_000, 'both messages');
    expect(inbox.map((m) => m.payload)).toEqual([
      { kind: 'text', text: '4' },
      { kind: 'text', text: 'ja' },
    ]);
    expect(inbox[0]!.sentAt).toBe(new Date((friday.messageTimestamp as number) * 1000).toISOString());
  });
});

describe('messages WhatsApp asks for again, and retried sends', () => {
  async function residentWithOutbound(address: string) {
    const resident = await db
      .insertInto('residents')
      .values({ channel: 'whatsapp', address })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await db
      .insertInto('outbound_messages')
      .values({
        resident_id: resident.id,
        channel: 'whatsapp',
        kind: 'reply',
        body: JSON.stringify({ kind: 'text', text: 'Dank je wel!' }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { residentId: resident.id, outboundId: row.id };
  }

  it('answers a phone’s retry request after a restart, and counts retries across processes', async () => {
    const fake = new FakeWhatsApp({ autoPair: true });
    const to = '31612000101@s.whatsapp.net';
    const first = adapterOn(fake);
    await first.start(async () => {});
    await eventually(() => first.state === 'open', 5_000, 'the connection');
    const { platformMessageId: id } = await first.send(to, { kind: 'text', text: 'Dank je wel!' });
    for (let i = 0; i < 3; i++) expect(await fake.retryRequest(to, id!)).toBe('resent');
    await first.stop();
    // What is kept for the retry is sealed: a copy of the database does not show the text.
    const kept = await db
      .selectFrom('whatsapp_sent')
      .select('message')
      .where('message_id', '=', id!)
      .executeTakeFirstOrThrow();
    expect(kept.message.includes('Dank je wel')).toBe(false);
    expect(kept.message[0]).toBe(KEY_ID);

    // Another process takes the connection over: it has never seen the message in its memory.
    const second = adapterOn(fake);
    await second.start(async () => {});
    await eventually(() => second.state === 'open', 5_000, 'the connection in the other process');
    expect(await fake.retryRequest(to, id!)).toBe('resent');
    expect(fake.resent.at(-1)!.message.extendedTextMessage?.text).toBe('Dank je wel!');
    expect(await fake.retryRequest(to, id!)).toBe('resent');
    // Baileys' limit of five holds across both processes.
    expect(await fake.retryRequest(to, id!)).toBe('limit');
  });

  it('erases kept messages with the resident and after the message log’s retention', async () => {
    const fake = new FakeWhatsApp({ autoPair: true });
    const adapter = adapterOn(fake);
    await adapter.start(async () => {});
    await eventually(() => adapter.state === 'open', 5_000, 'the connection');
    const gone = '31612000102@s.whatsapp.net';
    const old = '31612000103@s.whatsapp.net';
    const kept = '31612000104@s.whatsapp.net';
    const { residentId } = await residentWithOutbound(gone);
    for (const to of [gone, old, kept]) await adapter.send(to, { kind: 'text', text: 'Hallo' });
    await db
      .updateTable('whatsapp_sent')
      .set({ created_at: new Date(Date.now() - 40 * 86_400_000) })
      .where('chat', '=', old)
      .execute();

    await db.deleteFrom('residents').where('id', '=', residentId).execute();
    const report = await purge(
      db,
      { messageLogDays: 30, stoppedDays: 30, unconsentedDays: 30, draftHours: 24, ledgerDays: 30 },
      new Date(),
    );
    expect(report.whatsappSent).toBe(1);
    const left = await db
      .selectFrom('whatsapp_sent')
      .select('chat')
      .where('chat', 'in', [gone, old, kept])
      .execute();
    expect(left.map((r) => r.chat)).toEqual([kept]);
  });

  it('sends a retried message under the same id, so the phone shows it once', async () => {
    const fake = new FakeWhatsApp({ autoPair: true });
    const adapter = adapterOn(fake, { sendTimeoutMs: 300 });
    await adapter.start(async () => {});
    await eventually(() => adapter.state === 'open', 5_000, 'the connection');
    const to = '31612000105@s.whatsapp.net';
    const { outboundId } = await residentWithOutbound(to);

    // The message reaches the phone, but the socket never hears back: the send times out.
    fake.hangSends = 1;
    const failed = await adapter
      .send(to, { kind: 'text', text: 'Dank je wel!' }, { outboundId })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(RetryableSendError);
    const retried = await adapter.send(to, { kind: 'text', text: 'Dank je wel!' }, { outboundId });

    const ids = fake.sentTo(to).map((s) => s.message.key.id);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
    expect(retried.platformMessageId).toBe(ids[0]);
    expect(fake.seen(to)).toEqual(['Dank je wel!']);
  });

  it('keeps a retried poll’s id and secret, so votes on the first copy still count', async () => {
    const fake = new FakeWhatsApp({ autoPair: true });
    const adapter = adapterOn(fake, { sendTimeoutMs: 300 });
    await adapter.start(async () => {});
    await eventually(() => adapter.state === 'open', 5_000, 'the connection');
    const to = '31612000106@s.whatsapp.net';
    const { outboundId } = await residentWithOutbound(to);
    const ask = {
      kind: 'ask' as const,
      ref: 'test/komt',
      multiple: false,
      text: 'Kom je?',
      options: [
        { value: 'ja', label: 'Ja' },
        { value: 'nee', label: 'Nee' },
      ],
    };
    fake.hangSends = 1;
    await adapter.send(to, ask, { outboundId }).catch(() => undefined);
    await adapter.send(to, ask, { outboundId });
    const [one, two] = fake.pollsTo(to);
    expect(two!.id).toBe(one!.id);
    expect(two!.secret.equals(one!.secret)).toBe(true);
  });
});
