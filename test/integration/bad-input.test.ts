import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../../adapters/console/adapter.js';
import { normaliseUpdate } from '../../adapters/telegram/normalise.js';
import { normaliseMessage } from '../../adapters/whatsapp/normalise.js';
import { converse } from '../../flows/conversation.js';
import { withFloodControl } from '../../flows/flood.js';
import { loadTexts } from '../../flows/i18n/texts.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { flowConfig } from '../../src/app.js';
import { InboundMessageSchema } from '../../src/domain/messages.js';
import { Engine } from '../../src/engine/engine.js';
import { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { consoleInbox, startTestApp } from '../helpers/app.js';
import { eventually } from '../helpers/env.js';
import { whatsappFixture } from '../helpers/fake-whatsapp.js';
import { FakeResident, joinByTyping } from '../helpers/flow.js';
import { seedJoinedResident } from '../helpers/seed.js';

const PHONE = '0612345678';
const EMAIL = 'piet.bad@example.org';
const NOW = new Date('2026-03-10T12:00:00Z');

const chars = (codes: [number, number][]) =>
  fc.oneof(...codes.map(([a, b]) => fc.integer({ min: a, max: b }))).map((c) => String.fromCodePoint(c));

/** Texts residents should never be able to break anything with. */
const badText: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({
        unit: chars([
          [0, 31],
          [127, 159],
        ]),
        maxLength: 200,
      }),
      fc.string({
        unit: chars([
          [0x0590, 0x05ff],
          [0x0600, 0x06ff],
          [0x200e, 0x200f],
          [0x202a, 0x202e],
        ]),
        maxLength: 200,
      }),
      fc
        .array(fc.constantFrom('😀', '👍🏽', '🇳🇱', '❤️', '🤷‍♀️', '🏳️‍🌈', '\u{1F9D1}\u200D\u{1F4BB}'), {
          maxLength: 60,
        })
        .map((a) => a.join('')),
      fc.constantFrom(
        "'; DROP TABLE answers; --",
        "1' OR '1'='1",
        'Robert"); DELETE FROM residents; --',
        "$1 $$ \\x00 E'\\\\'",
        '<script>alert("x")</script>',
        '<img src=x onerror=alert(1)>',
        '{{constructor.constructor("return process")()}}',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a resident typing template syntax is the point
        '${process.exit(1)}',
        '__proto__',
        '{ "flow": "idle" }',
      ),
      fc.string({ maxLength: 1000 }),
      fc.constantFrom('', ' ', '\n\n', '\u0000', '\uFEFF', '\uD800', '\uDFFF\uD800'),
      // Huge: about 100 kB, the most a channel lets through.
      fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
        .map((s) => s.repeat(Math.ceil(99_000 / s.length)).slice(0, 99_000)),
    ),
    fc.constantFrom('', ` ${PHONE} `, ` ${EMAIL} `, ` bel ${PHONE} of mail ${EMAIL} `),
  )
  .map(([text, personal]) => `${text}${personal}`.slice(-100_000));

let harness: Awaited<ReturnType<typeof startTestApp>>;
let engine: Engine;
let seq = 0;

async function seedResident(address: string, state: unknown): Promise<void> {
  await seedJoinedResident(harness.app.db, address, state, NOW);
}

const message = (address: string, text: string) =>
  ConsoleAdapter.normalise(text, address, `bad-${process.pid}-${++seq}`, NOW);

beforeAll(async () => {
  harness = await startTestApp();
  const env = harness.setup.env;
  engine = new Engine({
    db: harness.app.db,
    pseudonyms: new Pseudonymizer(Buffer.from(env.PSEUDONYM_KEY!, 'utf8')),
    flow: withFloodControl(converse),
    context: { config: flowConfig(env), texts: loadTexts(), polls: loadPolls() },
  });
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

describe('bad input through the normalisers', () => {
  it('the console normaliser turns any text up to 100 kB into a valid message', () => {
    fc.assert(
      fc.property(badText, (text) => {
        expect(
          InboundMessageSchema.safeParse(ConsoleAdapter.normalise(text, 'anna', 'p1', NOW)).success,
        ).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('the Telegram normaliser never throws on malformed updates and only lets valid messages through', () => {
    const fixture = JSON.parse(readFileSync('test/fixtures/telegram/text-message.json', 'utf8'));
    const update = fc.oneof(
      fc.anything(),
      fc.record({ update_id: fc.anything(), message: fc.anything() }),
      badText.map((text) => ({ ...fixture, message: { ...fixture.message, text } })),
      fc
        .tuple(fc.constantFrom('chat', 'from', 'date', 'message_id', 'text'), fc.anything())
        .map(([key, value]) => ({
          ...fixture,
          message: { ...fixture.message, [key]: value },
        })),
    );
    fc.assert(
      fc.property(update, (raw) => {
        const outcome = normaliseUpdate(raw, NOW);
        expect(['message', 'ignored', 'invalid']).toContain(outcome.kind);
        if (outcome.kind === 'message')
          expect(InboundMessageSchema.safeParse(outcome.message).success).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('the WhatsApp normaliser never throws on malformed messages', () => {
    const fixture = whatsappFixture('text-conversation') as unknown as Record<
      string,
      Record<string, unknown>
    >;
    const raw = fc.oneof(
      fc.anything(),
      badText.map((conversation) => ({ ...fixture, message: { conversation } })),
      fc
        .tuple(fc.constantFrom('key', 'message', 'messageTimestamp', 'pushName'), fc.anything())
        .map(([k, v]) => ({
          ...fixture,
          [k]: v,
        })),
      fc.anything().map((message) => ({ ...fixture, message })),
    );
    fc.assert(
      fc.property(raw, (value) => {
        const outcome = normaliseMessage(value, NOW);
        expect(outcome).toHaveProperty('kind');
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('bad input through the engine', () => {
  it('every text gets a reply, whether joining, in a poll or giving an idea, and the idea is stored scrubbed', async () => {
    const pollState = joinByTyping(new FakeResident({ polls: loadPolls() })).state;
    await fc.assert(
      fc.asyncProperty(badText, fc.constantFrom('new', 'poll', 'idea'), async (text, where) => {
        const address = `bad-engine-${++seq}`;
        if (where === 'poll') await seedResident(address, pollState);
        if (where === 'idea') await seedResident(address, { flow: 'idea', step: 'text', misses: 0 });
        const outcome = await engine.handle(message(address, text));
        expect(outcome.outbound.length).toBeGreaterThan(0);
        if (where === 'idea') {
          // Choosing a theme stores the idea.
          const theme = await engine.handle(message(address, '1'));
          expect(theme.outbound.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1_500 },
    );
    const stored = await sql<{ text: string }>`
      select text from answers where text is not null union all select text from ideas`.execute(
      harness.app.db,
    );
    expect(stored.rows.length).toBeGreaterThan(0);
    for (const { text } of stored.rows) {
      expect(text).not.toContain(PHONE);
      expect(text).not.toContain(EMAIL);
    }
  }, 240_000);

  it('the whole pipeline answers every random text and no inbound job fails', async () => {
    const { app } = harness;
    const texts = fc.sample(badText, { numRuns: 300, seed: 42 });
    const addresses = texts.map((_, i) => `bad-pipe-${i}`);
    await Promise.all(texts.map((t, i) => app.ingress.accept(message(addresses[i]!, t))));
    for (const address of addresses) {
      await eventually(
        async () => (await consoleInbox(app, address)).length > 0,
        60_000,
        `a reply to ${address}`,
      );
    }
    for (let p = 0; p < app.queues.partitions; p++) {
      expect(await app.queues.inbound(p).getFailedCount()).toBe(0);
    }
  }, 120_000);
});
