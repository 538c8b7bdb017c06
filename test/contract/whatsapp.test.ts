import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentSendError } from '../../adapters/errors.js';
import { WhatsAppAdapter } from '../../adapters/whatsapp/adapter.js';
import { prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import type { InboundMessage } from '../../src/domain/messages.js';
import { createLogger } from '../../src/log.js';
import { dataKeySealer } from '../../src/privacy/sealed.js';
import { eventually, testSetup } from '../helpers/env.js';
import { FakeWhatsApp, whatsappFixture } from '../helpers/fake-whatsapp.js';
import { describeAdapterContract } from './adapter-contract.js';

/** A WhatsApp adapter holding a (fake) connection, on its own database and Redis prefix. */
async function connectedAdapter(log = createLogger('silent')) {
  const setup = testSetup();
  await prepareStorage(setup.env);
  const db = createDb(setup.env.DATABASE_URL, 4);
  const redis = new Redis(setup.env.REDIS_URL);
  const fake = new FakeWhatsApp({ autoPair: true });
  const adapter = new WhatsAppAdapter({
    db,
    sealer: dataKeySealer,
    redis,
    prefix: setup.env.QUEUE_PREFIX,
    log,
    leaseMs: 3000,
    makeSocket: fake.factory,
    terminal: null,
  });
  const inbox: InboundMessage[] = [];
  await adapter.start(async (m) => {
    inbox.push(m);
  });
  await eventually(() => adapter.state === 'open', 5_000, 'the connection');
  return {
    fake,
    adapter,
    inbox,
    async cleanup() {
      await adapter.stop();
      redis.disconnect();
      await db.destroy();
      await setup.cleanup();
    },
  };
}

describeAdapterContract({
  name: 'whatsapp',
  async create() {
    const { fake, adapter, inbox, cleanup } = await connectedAdapter();
    let n = 0;
    let typedCount = 0;
    return {
      adapter,
      address: () => `3161${String(1_000_000 + ++n).padStart(7, '0')}@s.whatsapp.net`,
      invalidAddress: 'geen-whatsapp-id',
      received: async (address) => fake.seen(address).map((text) => ({ text, buttons: [] })),
      async typed(address, line) {
        // A recorded message, re-addressed: what a phone sends when the resident types a line.
        const message = whatsappFixture('text-conversation');
        message.key = {
          ...message.key,
          remoteJid: address,
          remoteJidAlt: undefined,
          id: `CT${++typedCount}`,
        };
        message.message = { ...message.message, conversation: line };
        fake.deliver(message);
        const found = await eventually(
          () => inbox.find((m) => m.platformId.endsWith(`|${message.key.id}`)),
          5_000,
          'the typed line',
        );
        return found!;
      },
      cleanup,
    };
  },
});

describe('the whatsapp adapter beyond the contract', () => {
  let subject: Awaited<ReturnType<typeof connectedAdapter>>;
  const logged: string[] = [];
  beforeAll(async () => {
    const capture = new PassThrough();
    capture.on('data', (chunk) => logged.push(String(chunk)));
    subject = await connectedAdapter(createLogger('warn', capture));
  });
  afterAll(async () => subject?.cleanup());

  it('sends a choice question as a native poll with the secret its votes need', async () => {
    const to = '31612000001@s.whatsapp.net';
    await subject.adapter.send(to, {
      kind: 'ask',
      text: 'Kom je?',
      options: [
        { value: 'ja', label: 'Ja' },
        { value: 'nee', label: 'Nee' },
      ],
      ref: 'flash/rsvp',
      multiple: false,
    });
    const [poll] = subject.fake.pollsTo(to);
    expect(poll).toMatchObject({ name: 'Kom je?', options: ['1. Ja', '2. Nee'] });
    expect(poll!.secret).toHaveLength(32);
  });

  it('refuses a number that is not on WhatsApp as permanent', async () => {
    const to = '31612999999@s.whatsapp.net';
    subject.fake.notOnWhatsApp.add(to);
    const error = await subject.adapter.send(to, { kind: 'text', text: 'hallo' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSendError);
    expect((error as PermanentSendError).reason).toBe('invalid_address');
    expect(subject.fake.sentTo(to)).toEqual([]);
  });

  it('drops a malformed message with a log line that names no one, and goes on', async () => {
    subject.fake.deliver(whatsappFixture('malformed-message'));
    const next = whatsappFixture('text-conversation');
    subject.fake.deliver(next);
    await eventually(
      () => subject.inbox.some((m) => m.platformId.endsWith(`|${next.key.id}`)),
      5_000,
      'the next message',
    );
    expect(subject.inbox.filter((m) => m.payload.kind === 'text' && m.payload.text === 'geen id')).toEqual(
      [],
    );
    const line = logged.find((l) => l.includes('malformed WhatsApp message dropped'));
    expect(line).toBeDefined();
    expect(line).not.toMatch(/31612345678|geen id/);
  });
});
