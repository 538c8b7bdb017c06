import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppAdapter } from '../../adapters/whatsapp/adapter.js';
import { readPairingStatus } from '../../adapters/whatsapp/pairing.js';
import { useSocketFactoryForTests } from '../../adapters/whatsapp/socket.js';
import { loadTexts } from '../../flows/i18n/texts.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { type App, CONSENT_VERSION, startApp } from '../../src/app.js';
import type { BroadcastDeps } from '../../src/broadcast/broadcasts.js';
import { sendFlash } from '../../src/broadcast/flashes.js';
import { QuietHours } from '../../src/domain/quiet-hours.js';
import { createLogger } from '../../src/log.js';
import { dataKeySealer } from '../../src/privacy/sealed.js';
import { consoleInbox } from '../helpers/app.js';
import { eventually, type TestSetup, testSetup } from '../helpers/env.js';
import { FAKE_TOKEN, FakeTelegram } from '../helpers/fake-telegram.js';
import { FakeWhatsApp } from '../helpers/fake-whatsapp.js';
import {
  CLOUD_APP_SECRET,
  CLOUD_PHONE_NUMBER_ID,
  CLOUD_VERIFY_TOKEN,
  FakeWhatsAppCloud,
} from '../helpers/fake-whatsapp-cloud.js';

// A flash with a picture (a flyer) on every channel at once, the whole app in this process: the fake
// Bot API, the fake Graph API and the fake WhatsApp socket answer as the real ones document.

const telegram = new FakeTelegram();
const cloud = new FakeWhatsAppCloud();
const whatsapp = new FakeWhatsApp({ autoPair: true });
let app: App;
let setup: TestSetup;
let deps: BroadcastDeps;

const TG_CHATS = [660_000_001, 660_000_002];
const CLOUD_NUMBER = '31677777777';
const WA_JID = '31688888888@s.whatsapp.net';
const CONSOLE = 'flyer-lezer';

/** A flyer as a phone or a designer's tool makes it: JPEG with EXIF camera data and GPS. */
async function flyer(): Promise<Buffer> {
  return sharp({ create: { width: 120, height: 80, channels: 3, background: '#fc0' } })
    .jpeg()
    .withExifMerge({
      IFD0: { Make: 'FlyerCam', Software: 'Ontwerp 3' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '50/1 51/1 2/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '5/1 42/1 36/1',
      },
    })
    .toBuffer();
}

async function resident(channel: string, address: string): Promise<void> {
  await app.db
    .insertInto('residents')
    .values({
      channel,
      address,
      language: 'nl',
      area: 'pottenberg',
      consent_version: CONSENT_VERSION,
      consent_at: new Date(),
    })
    .execute();
}

beforeAll(async () => {
  await telegram.start();
  await cloud.start();
  useSocketFactoryForTests(whatsapp.factory);
  setup = testSetup({
    TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
    TELEGRAM_API_ROOT: telegram.url,
    WHATSAPP_ENABLED: 'true',
    WHATSAPP_LEASE_MS: '3000',
    WHATSAPP_CLOUD_ACCESS_TOKEN: cloud.token,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: CLOUD_PHONE_NUMBER_ID,
    WHATSAPP_CLOUD_APP_SECRET: CLOUD_APP_SECRET,
    WHATSAPP_CLOUD_VERIFY_TOKEN: CLOUD_VERIFY_TOKEN,
    WHATSAPP_CLOUD_API_ROOT: cloud.url,
    QUIET_HOURS_START: '00:00',
    QUIET_HOURS_END: '00:00',
  });
  app = await startApp({ env: setup.env, log: createLogger('silent'), role: 'all' });
  await eventually(
    async () => (await readPairingStatus(app.redis, app.env.QUEUE_PREFIX))?.state === 'open',
    10_000,
    'the WhatsApp connection',
  );
  deps = {
    db: app.db,
    queue: app.queues.broadcast,
    texts: loadTexts(),
    polls: loadPolls(),
    timeZone: setup.env.TIME_ZONE,
    quietHours: new QuietHours('00:00', '00:00', setup.env.TIME_ZONE),
  };
  for (const chat of TG_CHATS) await resident('telegram', String(chat));
  await resident('whatsapp-cloud', CLOUD_NUMBER);
  await app.db
    .insertInto('whatsapp_cloud_contacts')
    .values({ address: CLOUD_NUMBER, wa_id: CLOUD_NUMBER, last_inbound_at: new Date() })
    .execute();
  cloud.inbound(CLOUD_NUMBER);
  await resident('whatsapp', WA_JID);
  await resident('console', CONSOLE);
}, 30_000);
afterAll(async () => {
  await app?.stop();
  await setup?.cleanup();
  useSocketFactoryForTests(undefined);
  await telegram.close();
  await cloud.settled();
  await cloud.close();
});

/** Every outbound row of a broadcast sent. */
async function allSent(broadcastId: string, count: number): Promise<void> {
  await eventually(
    async () => {
      const rows = await app.db
        .selectFrom('outbound_messages')
        .select('status')
        .where('broadcast_id', '=', broadcastId)
        .execute();
      return rows.length === count && rows.every((r) => r.status === 'sent');
    },
    20_000,
    'the flash sent everywhere',
  );
}

describe('a flash with a picture', () => {
  const text = 'Zaterdag buurtfeest op het plein! Kom je ook?';
  let flashId: string;

  it('goes out as a photo with the text as caption on Telegram and both WhatsApp channels', async () => {
    const created = await sendFlash(deps, { text: { nl: text }, image: await flyer() }, 'test');
    flashId = created.id;
    await allSent(created.broadcastId, 5);

    // Telegram: sendPhoto, uploaded once (multipart), then by the file_id Telegram gave it.
    const photos = TG_CHATS.map((chat) => telegram.photos(chat));
    expect(photos.map((p) => p.length)).toEqual([1, 1]);
    for (const [p] of photos) expect(p!.payload.caption).toBe(text);
    expect(telegram.uploads).toHaveLength(1);
    const uploaded = photos.map(([p]) => String(p!.payload.photo).startsWith('attach://'));
    expect(uploaded.sort()).toEqual([false, true]);
    for (const chat of TG_CHATS) expect(telegram.sent(chat)).toEqual([]);

    // Cloud API: one media upload, then a message of type image with its id and the caption.
    expect(cloud.uploads).toHaveLength(1);
    expect(cloud.uploads[0]!.mimeType).toBe('image/jpeg');
    const [got] = cloud.received(CLOUD_NUMBER);
    expect(got).toMatchObject({ type: 'image', text, imageId: cloud.uploads[0]!.id });
    expect(cloud.violations).toEqual([]);

    // WhatsApp linked number: an image message with the caption, its file on WhatsApp's media servers.
    const [sent] = whatsapp.sentTo(WA_JID);
    expect(sent!.message.message?.imageMessage?.caption).toBe(text);
    expect(whatsapp.uploads.map((u) => u.mediaType)).toEqual(['image']);

    // Each copy of the picture is the flyer without its metadata.
    for (const bytes of [telegram.uploads[0]!.bytes, cloud.uploads[0]!.bytes]) {
      const meta = await sharp(bytes).metadata();
      expect(meta.format).toBe('jpeg');
      expect(meta.exif).toBeUndefined();
      expect(bytes.toString('latin1')).not.toContain('FlyerCam');
    }
  });

  it('reaches the console as text with a link the HTTP server serves', async () => {
    const inbox = await consoleInbox(app, CONSOLE);
    const url = `http://127.0.0.1:${app.env.HTTP_PORT}/media/flash/${flashId}`;
    expect(inbox.at(-1)).toBe(`${text}\n[afbeelding: ${url}]`);
    const served = await fetch(`http://127.0.0.1:${app.httpPort}/media/flash/${flashId}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await served.arrayBuffer());
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();
    expect((await fetch(`http://127.0.0.1:${app.httpPort}/media/flash/${crypto.randomUUID()}`)).status).toBe(
      404,
    );
  });

  it('a text longer than a caption goes after the photo, on Telegram and the Cloud API', async () => {
    const long = `${'Buurtfeest met muziek, eten en spelletjes. '.repeat(30)}Tot dan!`;
    expect(long.length).toBeGreaterThan(1024);
    const created = await sendFlash(
      deps,
      { text: { nl: long }, image: await flyer(), audience: { channels: ['telegram', 'whatsapp-cloud'] } },
      'test',
    );
    await allSent(created.broadcastId, 3);
    for (const chat of TG_CHATS) {
      const photo = telegram.photos(chat).at(-1)!;
      expect(photo.payload.caption).toBeUndefined();
      const message = telegram.sent(chat).at(-1)!;
      expect(message.payload.text).toBe(long);
      expect(message.at).toBeGreaterThanOrEqual(photo.at);
    }
    const [image, rest] = cloud.received(CLOUD_NUMBER).slice(-2);
    expect(image).toMatchObject({ type: 'image', text: '' });
    expect(rest).toMatchObject({ type: 'text', text: long });
    expect(cloud.violations).toEqual([]);
  });

  it('the linked number fetches what a resident sent with Baileys: decrypts the uploaded file again', async () => {
    const { imageMessage } = whatsapp.sentTo(WA_JID)[0]!.message.message!;
    const upload = whatsapp.uploads[0]!;
    const server: Server = createServer((req, res) => {
      if (req.url?.startsWith(upload.directPath)) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(upload.encrypted);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const adapter = new WhatsAppAdapter({
        db: app.db,
        sealer: dataKeySealer,
        redis: app.redis,
        prefix: app.env.QUEUE_PREFIX,
        log: createLogger('silent'),
        leaseMs: 3000,
      });
      const ref = JSON.stringify({
        type: 'image',
        url: `http://127.0.0.1:${port}${upload.directPath}`,
        mediaKey: Buffer.from(imageMessage!.mediaKey!).toString('base64'),
        mimetype: 'image/jpeg',
      });
      const fetched = await adapter.fetchMedia(ref, { maxBytes: 10 * 1024 * 1024 });
      const stored = await app.db
        .selectFrom('flash_images')
        .select('bytes')
        .where('flash_id', '=', flashId)
        .executeTakeFirstOrThrow();
      expect(fetched.mimeType).toBe('image/jpeg');
      expect(fetched.bytes.equals(stored.bytes)).toBe(true);
      await expect(adapter.fetchMedia(ref, { maxBytes: 100 })).rejects.toThrow(/larger than 100 bytes/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
