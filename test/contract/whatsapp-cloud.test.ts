import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeferredSendError, PermanentSendError, RetryableSendError } from '../../adapters/errors.js';
import { WhatsAppCloudAdapter } from '../../adapters/whatsapp-cloud/adapter.js';
import { normaliseWebhook } from '../../adapters/whatsapp-cloud/normalise.js';
import { LIMITS, renderForCloud, splitText } from '../../adapters/whatsapp-cloud/render.js';
import { Templates } from '../../adapters/whatsapp-cloud/templates.js';
import { prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import { StartupError } from '../../src/domain/errors.js';
import type { InboundMessage, OutboundMessage } from '../../src/domain/messages.js';
import { createLogger } from '../../src/log.js';
import { Metrics } from '../../src/metrics.js';
import { testSetup } from '../helpers/env.js';
import { CLOUD_PHONE_NUMBER_ID, cloudFixture, FakeWhatsAppCloud } from '../helpers/fake-whatsapp-cloud.js';
import { describeAdapterContract, type Received } from './adapter-contract.js';

const log = createLogger('silent');

/** A started adapter on a fake Graph API and its own database and Redis prefix. */
async function cloudAdapter(opts: { dailyLimit?: number; templates?: Templates } = {}) {
  const setup = testSetup();
  await prepareStorage(setup.env);
  const db = createDb(setup.env.DATABASE_URL, 4);
  const redis = new Redis(setup.env.REDIS_URL);
  const fake = await new FakeWhatsAppCloud().start();
  const metrics = new Metrics();
  const adapter = new WhatsAppCloudAdapter({
    db,
    redis,
    prefix: setup.env.QUEUE_PREFIX,
    log,
    graph: { root: fake.url, version: 'v23.0', phoneNumberId: CLOUD_PHONE_NUMBER_ID, token: fake.token },
    templates: opts.templates ?? Templates.load('config/whatsapp-templates.json'),
    dailyLimit: opts.dailyLimit ?? 250,
    // As src/channels.ts wires it.
    onBulkPaused: () => metrics.whatsappCloudBulkPaused.inc(),
  });
  const inbox: InboundMessage[] = [];
  await adapter.start(async (m) => {
    inbox.push(m);
  });
  return {
    adapter,
    fake,
    db,
    inbox,
    metrics,
    async cleanup() {
      await adapter.stop();
      redis.disconnect();
      await db.destroy();
      await fake.close();
      await setup.cleanup();
    },
  };
}

describeAdapterContract({
  name: 'whatsapp-cloud',
  async create() {
    const subject = await cloudAdapter();
    let n = 0;
    return {
      adapter: subject.adapter,
      address: () => {
        const to = `3161${String(2_000_000 + ++n).padStart(7, '0')}`;
        subject.fake.inbound(to);
        return to;
      },
      invalidAddress: 'geen-whatsapp-nummer',
      received: async (to): Promise<Received[]> =>
        subject.fake.received(to).map((d) => ({ text: d.text, buttons: d.buttons })),
      async typed(address, line) {
        const body = subject.fake.textFrom(address, line);
        await subject.adapter.receive(normaliseWebhook(body, CLOUD_PHONE_NUMBER_ID));
        return subject.inbox.at(-1)!;
      },
      cleanup: subject.cleanup,
    };
  },
});

describe('Cloud API webhooks, from Meta’s documented payloads', () => {
  const cases: [string, unknown][] = [
    [
      'text-message',
      [
        {
          kind: 'message',
          sender: { waId: '31612345678', userId: 'NL.13491208655302741918' },
          platformId: 'wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQUE5QjQ2RUMzRjA1RjM0QkUwAA==',
          sentAt: '2025-11-27T10:14:13.000Z',
          payload: { kind: 'text', text: 'hallo' },
        },
      ],
    ],
    [
      'button-reply',
      [{ kind: 'message', payload: { kind: 'choice', ref: 'veerkracht-kort/thuis', value: '4' } }],
    ],
    ['list-reply', [{ kind: 'message', payload: { kind: 'choice', ref: 'onboard/area', value: 'elders' } }]],
    ['template-button', [{ kind: 'message', payload: { kind: 'text', text: 'STOP' } }]],
    ['reaction', [{ kind: 'ignored', reason: 'reaction' }]],
    ['audio', [{ kind: 'message', payload: { kind: 'media', media: 'audio' } }]],
    ['location', [{ kind: 'message', payload: { kind: 'media', media: 'location' } }]],
    [
      'image-with-caption',
      [
        {
          kind: 'message',
          payload: {
            kind: 'text',
            text: 'De speeltuin is kapot',
            attachment: { media: 'image', ref: '1479537139650973' },
          },
        },
      ],
    ],
    [
      'username-only-sender',
      [{ kind: 'message', sender: { userId: 'NL.88123400000000000001' }, payload: { kind: 'text' } }],
    ],
    ['unsupported', [{ kind: 'ignored', reason: 'message type unsupported' }]],
    ['status-delivered', [{ kind: 'status', status: 'delivered' }]],
    ['status-read', [{ kind: 'status', status: 'read' }]],
    ['status-failed-131047', [{ kind: 'status', status: 'failed', errorCode: 131047 }]],
    ['status-deleted', [{ kind: 'ignored', reason: 'status deleted' }]],
  ];
  const webhookFixtures = readdirSync(join(import.meta.dirname, '../fixtures/whatsapp-cloud'))
    .filter((f) => f.endsWith('.json') && !f.startsWith('error-'))
    .map((f) => f.replace(/\.json$/, ''));

  it('has a case for every webhook fixture', () => {
    expect(new Set(cases.map(([name]) => name))).toEqual(new Set(webhookFixtures));
  });

  it.each(cases)('%s', (name, expected) => {
    const events = normaliseWebhook(cloudFixture(name), CLOUD_PHONE_NUMBER_ID);
    expect(events).toMatchObject(expected as object[]);
  });

  it('never carries the profile name or username into an event', () => {
    for (const name of webhookFixtures) {
      const text = JSON.stringify(normaliseWebhook(cloudFixture(name), CLOUD_PHONE_NUMBER_ID));
      expect(text).not.toMatch(/Marieke|Jan|jan\.maastricht/);
    }
  });

  it.each([
    ['image', { id: '1', mime_type: 'image/jpeg' }, 'image'],
    ['audio', { id: '1', mime_type: 'audio/ogg', voice: true }, 'audio'],
    ['voice', { id: '1', mime_type: 'audio/ogg' }, 'audio'],
    ['video', { id: '1', mime_type: 'video/mp4' }, 'video'],
    ['document', { id: '1', filename: 'brief.pdf' }, 'document'],
    ['sticker', { id: '1', animated: false }, 'sticker'],
    ['location', { latitude: 50.85, longitude: 5.69, name: 'Thuis' }, 'location'],
    ['contacts', [{ name: { formatted_name: 'Jan' }, phones: [{ phone: '+31612345678' }] }], 'contact'],
  ])('reads a %s message (%j) as media of kind %s, keeping none of its content', (type, content, media) => {
    const body = cloudFixture('audio') as {
      entry: { changes: { value: { messages: Record<string, unknown>[] } }[] }[];
    };
    const { audio: _, ...message } = body.entry[0]!.changes[0]!.value.messages[0]!;
    body.entry[0]!.changes[0]!.value.messages[0] = { ...message, type, [type]: content };
    const events = normaliseWebhook(body, CLOUD_PHONE_NUMBER_ID);
    expect(events).toMatchObject([{ kind: 'message', payload: { kind: 'media', media } }]);
    expect(JSON.stringify(events[0])).not.toMatch(/brief|Thuis|Jan|50\.85|mime/);
  });

  it.each([
    ['image', { id: '1043917208451', mime_type: 'image/jpeg', sha256: 'aGFzaA==' }],
    ['audio', { id: '1043917208452', mime_type: 'audio/ogg; codecs=opus', voice: true }],
  ])('keeps the media id of a %s, which GET /<media id> fetches for an idea', (type, content) => {
    const body = cloudFixture('audio') as {
      entry: { changes: { value: { messages: Record<string, unknown>[] } }[] }[];
    };
    const { audio: _, ...message } = body.entry[0]!.changes[0]!.value.messages[0]!;
    body.entry[0]!.changes[0]!.value.messages[0] = { ...message, type, [type]: content };
    expect(normaliseWebhook(body, CLOUD_PHONE_NUMBER_ID)).toMatchObject([
      { kind: 'message', payload: { kind: 'media', ref: content.id } },
    ]);
  });

  it('ignores calls for another phone number of the business account', () => {
    expect(normaliseWebhook(cloudFixture('text-message'), '999')).toEqual([
      { kind: 'ignored', reason: 'another phone number' },
    ]);
  });
});

const scale: Extract<OutboundMessage, { kind: 'ask' }> = {
  kind: 'ask',
  text: 'Voel je je thuis in je buurt?',
  options: [
    { value: '1', label: 'Nee, helemaal niet' },
    { value: '2', label: 'Niet echt' },
    { value: '3', label: 'Soms wel, soms niet' },
    { value: '4', label: 'Ja, meestal' },
    { value: '5', label: 'Ja, helemaal' },
  ],
  ref: 'veerkracht-kort/thuis',
  multiple: false,
};

describe('rendering within Meta’s limits', () => {
  it('asks a yes/no question with reply buttons, shortening long labels and keeping them whole in the body', () => {
    const [message] = renderForCloud({
      ...scale,
      options: [
        { value: 'ja', label: 'Ja, ik doe graag mee aan de peiling' },
        { value: 'nee', label: 'Nee' },
      ],
    });
    const buttons = (message!.interactive as { action: { buttons: { reply: { title: string } }[] } }).action
      .buttons;
    expect(buttons.map((b) => b.reply.title)).toEqual(['1. Ja, ik doe graag…', '2. Nee']);
    expect(buttons.every((b) => b.reply.title.length <= LIMITS.buttonTitle)).toBe(true);
    expect(JSON.stringify(message)).toContain('1. Ja, ik doe graag mee aan de peiling');
  });

  it('asks a 5-point scale as a list, and a multiple choice or 11 options as numbered text', () => {
    expect(renderForCloud(scale)[0]!.interactive).toMatchObject({ type: 'list' });
    expect(renderForCloud({ ...scale, multiple: true })[0]!.type).toBe('text');
    const eleven = Array.from({ length: 11 }, (_, i) => ({ value: String(i), label: `optie ${i}` }));
    expect(renderForCloud({ ...scale, options: eleven })[0]!.type).toBe('text');
  });

  it('splits a text over 4,096 characters at sentence ends', () => {
    const sentence = 'Dit is een zin over de buurt. ';
    const parts = splitText(sentence.repeat(300).trim());
    expect(parts.length).toBe(3);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4096);
      expect(part.endsWith('.')).toBe(true);
    }
  });
});

describe('sending through the Graph API', () => {
  let subject: Awaited<ReturnType<typeof cloudAdapter>>;
  beforeAll(async () => {
    subject = await cloudAdapter({
      dailyLimit: 1,
      templates: new Templates({ flash: { name: 'straatpraat_nieuws', languages: { nl: 'nl' } } }),
    });
  });
  afterAll(async () => subject?.cleanup());

  /** A resident with an outbound row of a broadcast `kind`, who last wrote `hoursAgo` hours ago. */
  async function rowFor(to: string, kind: string, hoursAgo: number): Promise<string> {
    const { db, adapter } = subject;
    await adapter.contacts.resolve({ waId: to }, new Date(Date.now() - hoursAgo * 3600_000));
    const resident = await db
      .insertInto('residents')
      .values({ channel: 'whatsapp-cloud', address: to, language: 'nl' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const broadcast = await db
      .insertInto('broadcasts')
      .values({
        kind,
        messages: JSON.stringify({ nl: { kind: 'text', text: 'x' } }),
        audience: '{}',
        send_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await db
      .insertInto('outbound_messages')
      .values({
        resident_id: resident.id,
        channel: 'whatsapp-cloud',
        kind: 'bulk',
        body: '{}',
        broadcast_id: broadcast.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  const text: OutboundMessage = { kind: 'text', text: 'Nieuws uit de buurt.' };

  it('fails clearly, without calling Meta, when a kind outside the window has no template', async () => {
    const id = await rowFor('31670000001', 'wave_reminder', 30);
    const calls = subject.fake.calls.length;
    const error = await subject.adapter
      .send('31670000001', text, { outboundId: id, kind: 'bulk' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSendError);
    expect((error as Error).message).toMatch(/^no-template: .*wave_reminder/);
    expect(subject.fake.calls.length).toBe(calls);
  });

  it('spills templates past the daily limit over to when a place frees up', async () => {
    const first = await rowFor('31670000002', 'flash', 30);
    const second = await rowFor('31670000003', 'flash', 30);
    await subject.adapter.send('31670000002', text, { outboundId: first, kind: 'bulk' });
    const error = await subject.adapter
      .send('31670000003', text, { outboundId: second, kind: 'bulk' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeferredSendError);
    expect((error as DeferredSendError).until).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect((error as Error).message).toMatch(/^daily-limit:/);
    expect(subject.fake.received('31670000003')).toEqual([]);
  });

  it('slows the queue on 130429 and 131056, and retries 5xx', async () => {
    const to = '31670000004';
    subject.fake.inbound(to);
    for (const [code, status] of [
      [130429, 400],
      [131056, 400],
      [131000, 500],
    ] as const) {
      subject.fake.fail({ code, status, to });
      const error = await subject.adapter.send(to, text).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RetryableSendError);
      if (code !== 131000) expect((error as RetryableSendError).retryAfterMs).toBeGreaterThan(0);
    }
  });

  it('pauses bulk for an hour after the spam rate limit (131048), counted once in /metrics', async () => {
    const to = '31670000005';
    subject.fake.inbound(to);
    subject.fake.fail({ code: 131048, to });
    const error = await subject.adapter.send(to, text, { kind: 'bulk' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeferredSendError);
    const calls = subject.fake.calls.length;
    const next = await subject.adapter.send('31670000006', text, { kind: 'bulk' }).catch((e: unknown) => e);
    expect(next).toBeInstanceOf(DeferredSendError);
    expect(subject.fake.calls.length).toBe(calls);
    // The pause is counted, not each bulk message that waits for it.
    expect(await subject.metrics.registry.metrics()).toMatch(
      /^straatpraat_whatsapp_cloud_bulk_paused_total 1$/m,
    );
    // And /readyz says until when.
    expect(await subject.adapter.health()).toMatchObject({
      receiving: true,
      bulkPausedUntil: expect.any(String),
    });
  });

  it('marks 131026 permanent', async () => {
    const to = '31670000007';
    subject.fake.inbound(to);
    subject.fake.fail({ code: 131026, to });
    const error = await subject.adapter.send(to, text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSendError);
  });

  it('stops sending when Meta refuses the token (190), with the setting named', async () => {
    const to = '31670000008';
    subject.fake.inbound(to);
    subject.fake.fail({ code: 190, status: 401, to });
    const error = await subject.adapter.send(to, text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableSendError);
    expect((error as Error).message).toMatch(/WHATSAPP_CLOUD_ACCESS_TOKEN/);
    expect(await subject.adapter.health()).toMatchObject({
      problem: expect.stringMatching(/WHATSAPP_CLOUD_ACCESS_TOKEN/),
    });
    expect(subject.adapter.stopped).toBe(true);
    const calls = subject.fake.calls.length;
    await subject.adapter.send(to, text).catch(() => undefined);
    expect(subject.fake.calls.length).toBe(calls);
  });
});

describe('starting', () => {
  it('refuses a token Meta does not accept in one line naming the setting', async () => {
    const fake = await new FakeWhatsAppCloud().start();
    const setup = testSetup();
    await prepareStorage(setup.env);
    const db = createDb(setup.env.DATABASE_URL, 2);
    const redis = new Redis(setup.env.REDIS_URL);
    try {
      const adapter = new WhatsAppCloudAdapter({
        db,
        redis,
        prefix: setup.env.QUEUE_PREFIX,
        log,
        graph: {
          root: fake.url,
          version: 'v23.0',
          phoneNumberId: CLOUD_PHONE_NUMBER_ID,
          token: `EAAG${'y'.repeat(40)}`,
        },
        templates: new Templates({}),
        dailyLimit: 250,
      });
      const error = await adapter.start(async () => {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StartupError);
      expect((error as Error).message).toMatch(
        /^Configuration error: WHATSAPP_CLOUD_ACCESS_TOKEN is invalid/,
      );
      expect((error as Error).message).not.toMatch(/\n/);
    } finally {
      redis.disconnect();
      await db.destroy();
      await fake.close();
      await setup.cleanup();
    }
  });

  it('refuses both WhatsApp channels on with the same number', () => {
    expect(() =>
      testSetup({
        WHATSAPP_ENABLED: 'true',
        WHATSAPP_NUMBER: '31431234567',
        WHATSAPP_CLOUD_NUMBER: '31431234567',
        WHATSAPP_CLOUD_ACCESS_TOKEN: `EAAG${'x'.repeat(40)}`,
        WHATSAPP_CLOUD_PHONE_NUMBER_ID: CLOUD_PHONE_NUMBER_ID,
        WHATSAPP_CLOUD_APP_SECRET: 'f00dfacecafebeef0123456789abcdef',
        WHATSAPP_CLOUD_VERIFY_TOKEN: 'verify-token-0123456789',
      }),
    ).toThrow(
      /^Configuration error: WHATSAPP_ENABLED is invalid: both WhatsApp channels are on with the same number 31431234567/,
    );
  });
});
