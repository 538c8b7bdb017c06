import { PassThrough } from 'node:stream';
import { BufferJSON, initAuthCreds, proto } from '@whiskeysockets/baileys';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppAdapter, type WhatsAppAdapterOptions } from '../../adapters/whatsapp/adapter.js';
import { PgAuthStore } from '../../adapters/whatsapp/auth-store.js';
import { WhatsAppContacts } from '../../adapters/whatsapp/contacts.js';
import { mountPairingPage } from '../../adapters/whatsapp/pairing.js';
import { PollStore } from '../../adapters/whatsapp/polls.js';
import { prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import type { Database } from '../../src/db/schema.js';
import { createLogger } from '../../src/log.js';
import { dataKeySealer } from '../../src/privacy/sealed.js';
import { eventually, type TestSetup, testSetup } from '../helpers/env.js';
import { FakeWhatsApp } from '../helpers/fake-whatsapp.js';

let setup: TestSetup;
let db: Kysely<Database>;
let redis: Redis;
const log = createLogger('silent');

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

/** Compares values the way they are stored: Buffers and Uint8Arrays alike, as BufferJSON writes them. */
const asStored = (value: unknown) => JSON.parse(JSON.stringify(value, BufferJSON.replacer));

const started: WhatsAppAdapter[] = [];
afterEach(async () => {
  // A failed test must not leave its adapter holding the lease for the next one.
  await Promise.all(started.splice(0).map((a) => a.stop()));
});

function adapterOn(fake: FakeWhatsApp, extra: Partial<WhatsAppAdapterOptions> = {}): WhatsAppAdapter {
  const adapter = new WhatsAppAdapter({
    db,
    sealer: dataKeySealer,
    redis,
    prefix: setup.env.QUEUE_PREFIX,
    log,
    leaseMs: 2000,
    makeSocket: fake.factory,
    terminal: null,
    reconnect: { baseMs: 20, maxMs: 200 },
    ...extra,
  });
  started.push(adapter);
  return adapter;
}

describe('the WhatsApp auth state in PostgreSQL', () => {
  it('reads back credentials and keys of every type equal after a restart', async () => {
    await new PgAuthStore(db, dataKeySealer).clear();
    const first = await new PgAuthStore(db, dataKeySealer).load();
    const creds = first.state.creds;
    Object.assign(creds, {
      me: { id: '31600000001:7@s.whatsapp.net', lid: '200000000000001:7@lid', name: 'Straatpraat' },
      // What Baileys' pair-success stores; `registered` stays false after pairing by QR code.
      account: {
        details: Buffer.from('details'),
        accountSignatureKey: Buffer.alloc(32, 1),
        accountSignature: Buffer.alloc(64, 2),
        deviceSignature: Buffer.alloc(64, 3),
      },
      routingInfo: Buffer.from([8, 2, 8, 5]),
    });
    await first.saveCreds();
    const keys = {
      'pre-key': { '1': { public: Buffer.from('pub-1'), private: new Uint8Array([1, 2, 3]) } },
      session: { '31612345678.0': new Uint8Array([9, 8, 7, 6]) },
      'sender-key': { 'group::31612345678::0': Buffer.from('sender') },
      'sender-key-memory': { '120363025246125888@g.us': { '31612345678:0@s.whatsapp.net': true } },
      'app-state-sync-key': {
        AAAAAHxT: proto.Message.AppStateSyncKeyData.fromObject({
          keyData: Buffer.from('key-data'),
          fingerprint: { rawId: 7, currentIndex: 1, deviceIndexes: [0, 7] },
          timestamp: 1_764_158_400,
        }),
      },
      'app-state-sync-version': {
        regular_high: {
          version: 12,
          hash: Buffer.alloc(128, 3),
          indexValueMap: { abc: { valueMac: Buffer.from('mac') } },
        },
      },
      'lid-mapping': { '31612345678': '112233445566778', '112233445566778_reverse': '31612345678' },
      'device-list': { '31612345678': ['0', '3'] },
      tctoken: { '112233445566778@lid': { token: Buffer.from('tc-token'), timestamp: '1764158400' } },
      'identity-key': { '31612345678.0': new Uint8Array(33).fill(5) },
    } as const;
    await first.state.keys.set(keys as never);

    // A new store, as after a restart of the process.
    const again = await new PgAuthStore(db, dataKeySealer).load();
    expect(asStored(again.state.creds)).toEqual(asStored(creds));
    expect(Buffer.isBuffer(again.state.creds.noiseKey.private)).toBe(true);
    expect(again.state.creds.noiseKey.private).toEqual(Buffer.from(creds.noiseKey.private));
    for (const [type, entries] of Object.entries(keys)) {
      const got = await again.state.keys.get(type as never, Object.keys(entries));
      expect(asStored(got), type).toEqual(asStored(entries));
    }
    const appKey = (await again.state.keys.get('app-state-sync-key', ['AAAAAHxT'])).AAAAAHxT!;
    expect(appKey).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(Buffer.from(appKey.keyData!).toString()).toBe('key-data');
    expect(await new PgAuthStore(db, dataKeySealer).isPaired()).toBe(true);

    await again.state.keys.set({ session: { '31612345678.0': null } });
    expect(await again.state.keys.get('session', ['31612345678.0'])).toEqual({});
  });

  it('starts with fresh credentials when nothing is stored', async () => {
    await new PgAuthStore(db, dataKeySealer).clear();
    const { state } = await new PgAuthStore(db, dataKeySealer).load();
    expect(state.creds.registered).toBe(false);
    expect(Object.keys(state.creds).sort()).toEqual(Object.keys(initAuthCreds()).sort());
  });

  it('erases a resident’s contact ids, polls and Signal keys with the resident, and no one else’s', async () => {
    const store = await new PgAuthStore(db, dataKeySealer).load();
    await store.state.keys.set({
      session: {
        '31612340000.0': new Uint8Array([1]),
        '31699990000.0': new Uint8Array([2]),
        '554433221100999_1.0': new Uint8Array([3]),
      },
      'lid-mapping': { '31612340000': '554433221100999', '554433221100999_reverse': '31612340000' },
    });
    const address = '31612340000@s.whatsapp.net';
    await new WhatsAppContacts(db, log).resolve({ pn: address, lid: '554433221100999@lid' });
    await new PollStore(db).save({
      messageId: 'P1',
      chat: address,
      ref: 'x/y',
      options: [],
      secret: Buffer.alloc(32),
    });
    const resident = await db
      .insertInto('residents')
      .values({ channel: 'whatsapp', address })
      .returning('id')
      .executeTakeFirstOrThrow();

    await db.deleteFrom('residents').where('id', '=', resident.id).execute();

    expect(
      await db.selectFrom('whatsapp_contacts').selectAll().where('address', '=', address).execute(),
    ).toEqual([]);
    expect(await db.selectFrom('whatsapp_polls').selectAll().where('chat', '=', address).execute()).toEqual(
      [],
    );
    const left = await db
      .selectFrom('whatsapp_auth')
      .select(['type', 'id'])
      .where('type', 'in', ['session', 'lid-mapping'])
      .execute();
    expect(left.map((r) => r.id)).not.toContain('31612340000.0');
    expect(left.map((r) => r.id)).not.toContain('554433221100999_1.0');
    expect(left.map((r) => r.id)).not.toContain('554433221100999_reverse');
    expect(left.map((r) => r.id)).toContain('31699990000.0');
  });
});

describe('pairing and reconnecting', () => {
  it('shows a QR code in the terminal and on the admin page, then keeps the pairing across a restart', async () => {
    await new PgAuthStore(db, dataKeySealer).clear();
    const fake = new FakeWhatsApp();
    const terminal = new PassThrough();
    let drawn = '';
    terminal.on('data', (chunk) => {
      drawn += String(chunk);
    });
    const adapter = adapterOn(fake, { terminal });
    await adapter.start(async () => {});
    await eventually(() => adapter.state === 'qr', 5_000, 'a QR code');
    await eventually(() => drawn.includes('Linked devices'), 5_000, 'the terminal QR code');
    expect(drawn).toMatch(/[▄▀█]/);

    const http = new Hono();
    const allow = async (_: unknown, next: () => Promise<void>) => next();
    mountPairingPage(http, allow, { redis, prefix: setup.env.QUEUE_PREFIX });
    const page = await http.request('/admin/whatsapp');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('<svg');
    expect(html).toContain('Linked devices');

    await fake.pair();
    await eventually(() => adapter.state === 'open', 5_000, 'the connection after pairing');
    expect(fake.sockets).toHaveLength(2);
    const json = await (await http.request('/admin/whatsapp?format=json')).json();
    expect(json).toMatchObject({ state: 'open' });
    await adapter.stop();

    // A restart: a new adapter finds the pairing in PostgreSQL and shows no QR code.
    const restarted = adapterOn(fake);
    await restarted.start(async () => {});
    await eventually(() => restarted.state === 'open', 5_000, 'the connection after a restart');
    expect(fake.sockets).toHaveLength(3);
    expect(await new PgAuthStore(db, dataKeySealer).isPaired()).toBe(true);
    await restarted.stop();
    expect(await (await http.request('/admin/whatsapp?format=json')).json()).toEqual({ state: 'none' });
  });

  it('asks for a pairing code when a number is configured', async () => {
    await new PgAuthStore(db, dataKeySealer).clear();
    const fake = new FakeWhatsApp();
    const adapter = adapterOn(fake, { pairingNumber: '31600000001' });
    await adapter.start(async () => {});
    await eventually(() => adapter.state === 'pairing_code', 5_000, 'a pairing code');
    expect(fake.pairingRequests).toEqual(['31600000001']);
    await adapter.stop();
  });

  it('reconnects with backoff after the connection drops', async () => {
    const fake = new FakeWhatsApp({ autoPair: true });
    const adapter = adapterOn(fake);
    await adapter.start(async () => {});
    await eventually(() => adapter.state === 'open', 5_000, 'the connection');
    await fake.drop();
    await eventually(() => fake.sockets.length === 2 && adapter.state === 'open', 5_000, 'a new connection');
    await fake.drop(503);
    await eventually(
      () => fake.sockets.length === 3 && adapter.state === 'open',
      5_000,
      'another new connection',
    );
    await adapter.stop();
  });

  it('stops, forgets the device and tells the operator how to pair again when logged out', async () => {
    const lines: string[] = [];
    const capture = new PassThrough();
    capture.on('data', (chunk) => lines.push(String(chunk)));
    const fake = new FakeWhatsApp({ autoPair: true });
    const adapter = adapterOn(fake, { log: createLogger('warn', capture) });
    await adapter.start(async () => {});
    await eventually(() => adapter.state === 'open', 5_000, 'the connection');
    expect(await new PgAuthStore(db, dataKeySealer).isPaired()).toBe(true);

    await fake.drop(401);
    await eventually(() => adapter.state === 'stopped', 5_000, 'the adapter to stop');
    expect(await db.selectFrom('whatsapp_auth').select('id').execute()).toEqual([]);
    const notice = lines
      .map((l) => JSON.parse(l) as { msg: string })
      .filter((l) => /logged out/i.test(l.msg));
    expect(notice).toHaveLength(1);
    expect(notice[0]!.msg).toMatch(/restart Straatpraat and scan the QR code/);
    // No reconnect after a logout.
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.sockets).toHaveLength(1);
    await adapter.stop();
  });
});
