import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { converse } from '../../flows/conversation.js';
import { loadTexts } from '../../flows/i18n/texts.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import type { FlowStep } from '../../flows/types.js';
import { flowConfig } from '../../src/app.js';
import type { InboundMessage } from '../../src/domain/messages.js';
import { Engine, type HandleOutcome } from '../../src/engine/engine.js';
import { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { MessageBatcher } from '../../src/queue/inbound-worker.js';
import { Outbox } from '../../src/queue/outbox.js';
import { outboxSignalKey } from '../../src/queue/outbox-drain.js';
import { consoleMessage } from '../helpers/app.js';
import { eventually } from '../helpers/env.js';
import { FakeResident, joinByTyping } from '../helpers/flow.js';
import { seedJoinedResident } from '../helpers/seed.js';
import { openTestStorage, type TestStorage } from '../helpers/storage.js';

const polls = loadPolls();
let storage: TestStorage;
let setup: TestStorage['setup'];
let db: TestStorage['db'];
let redis: TestStorage['redis'];
let queues: TestStorage['queues'];
let pseudonyms: Pseudonymizer;

function engineWith(flow: FlowStep = converse): Engine {
  return new Engine({
    db,
    pseudonyms,
    flow,
    context: { config: flowConfig(setup.env), texts: loadTexts(), polls },
  });
}

/** A resident who joined and is at the first question of veerkracht-kort. */
const seedAtFirstQuestion = (
  address: string,
  state: unknown = joinByTyping(new FakeResident({ polls })).state,
) => seedJoinedResident(db, address, state);

async function answersOf(address: string) {
  return db
    .selectFrom('answers')
    .select(['question', 'answer_code'])
    .where('respondent', '=', pseudonyms.respondent('console', address))
    .orderBy('id')
    .execute();
}

const texts = (outcome: HandleOutcome) =>
  outcome.outbound.map((o) => (o.message.kind === 'text' ? o.message.text : o.message.text));

let run = 0;
/** Addresses unique to one test, so tests do not see each other's residents. */
const addr = (name: string) => `${name}-${run}`;

beforeAll(async () => {
  storage = await openTestStorage();
  ({ setup, db, redis, queues } = storage);
  pseudonyms = new Pseudonymizer(Buffer.from(setup.env.PSEUDONYM_KEY!, 'utf8'));
}, 60_000);

beforeEach(() => {
  run++;
});

afterAll(async () => {
  await storage?.close();
});

describe('Engine.handleBatch', () => {
  it('gives every message of a batch the replies and rows it gets when handled alone', async () => {
    const engine = engineWith();
    for (const who of ['alone-a', 'alone-b', 'batch-a', 'batch-b']) await seedAtFirstQuestion(addr(who));
    const alone = [
      await engine.handle(consoleMessage(addr('alone-a'), '4')),
      await engine.handle(consoleMessage(addr('alone-b'), 'twee')),
      await engine.handle(consoleMessage(addr('alone-new'), 'hallo')),
    ];
    const batch = await engine.handleBatch([
      consoleMessage(addr('batch-a'), '4'),
      consoleMessage(addr('batch-b'), 'twee'),
      consoleMessage(addr('batch-new'), 'hallo'),
    ]);

    expect(batch.map(texts)).toEqual(alone.map(texts));
    expect(batch.every((o) => !o.duplicate && o.outbound.every((j) => j.outboundId !== null))).toBe(true);
    expect(await answersOf(addr('batch-a'))).toEqual([{ question: 'thuis', answer_code: '4' }]);
    expect(await answersOf(addr('batch-b'))).toEqual([{ question: 'thuis', answer_code: '2' }]);
    // The resident created in the batch has their ledger entry and replies linked to them.
    const created = await db
      .selectFrom('residents')
      .select('id')
      .where('address', '=', addr('batch-new'))
      .executeTakeFirstOrThrow();
    const ledger = await db
      .selectFrom('inbound_ledger')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('resident_id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(ledger.n).toBe(1);
    const stored = await db
      .selectFrom('outbound_messages')
      .select(['id', 'status'])
      .where('resident_id', '=', created.id)
      .execute();
    expect(stored.map((r) => r.id).sort()).toEqual(batch[2]!.outbound.map((j) => j.outboundId).sort());
  });

  it('a message handled before has no second effect when it comes again inside a batch', async () => {
    const engine = engineWith();
    await seedAtFirstQuestion(addr('twice'));
    await seedAtFirstQuestion(addr('other'));
    const first = consoleMessage(addr('twice'), '4');
    await engine.handle(first);
    const [again, other] = await engine.handleBatch([first, consoleMessage(addr('other'), '5')]);

    expect(again!.duplicate).toBe(true);
    expect(other!.duplicate).toBe(false);
    expect(await answersOf(addr('twice'))).toEqual([{ question: 'thuis', answer_code: '4' }]);
    expect(await answersOf(addr('other'))).toEqual([{ question: 'thuis', answer_code: '5' }]);
  });

  it('a resident who sends two messages in one batch has the second handled after the first', async () => {
    const engine = engineWith();
    await seedAtFirstQuestion(addr('quick'));
    const outcomes = await engine.handleBatch([
      consoleMessage(addr('quick'), '4'),
      consoleMessage(addr('quick'), '2'),
    ]);

    expect(outcomes).toHaveLength(2);
    expect(await answersOf(addr('quick'))).toEqual([
      { question: 'thuis', answer_code: '4' },
      { question: 'hulp', answer_code: '2' },
    ]);
  });

  it('an erasure in a batch leaves nothing of that resident and does not touch the others', async () => {
    const engine = engineWith();
    const leavingId = await seedAtFirstQuestion(addr('leaving'));
    await seedAtFirstQuestion(addr('staying'));
    // An answer given earlier, to be erased with the resident.
    await engine.handle(consoleMessage(addr('leaving'), '4'));
    expect(await answersOf(addr('leaving'))).toHaveLength(1);
    await engine.handle(consoleMessage(addr('leaving'), 'VERWIJDER'));

    const [goodbye, answered] = await engine.handleBatch([
      consoleMessage(addr('leaving'), 'ja'),
      consoleMessage(addr('staying'), '3'),
    ]);

    expect(goodbye!.outbound.length).toBeGreaterThan(0);
    expect(goodbye!.outbound.every((j) => j.outboundId === null)).toBe(true);
    expect(
      await db.selectFrom('residents').select('id').where('id', '=', leavingId).executeTakeFirst(),
    ).toBeUndefined();
    expect(await answersOf(addr('leaving'))).toEqual([]);
    expect(answered!.duplicate).toBe(false);
    expect(await answersOf(addr('staying'))).toEqual([{ question: 'thuis', answer_code: '3' }]);
  });
});

describe('MessageBatcher', () => {
  /** An engine that remembers how many messages each transaction had. */
  class CountingEngine extends Engine {
    readonly sizes: number[] = [];
    override handleBatch(messages: readonly InboundMessage[]) {
      this.sizes.push(messages.length);
      return super.handleBatch(messages);
    }
  }
  const counting = (flow: FlowStep = converse) =>
    new CountingEngine({
      db,
      pseudonyms,
      flow,
      context: { config: flowConfig(setup.env), texts: loadTexts(), polls },
    });

  it('hands messages that arrive together to the engine in one transaction and wakes the sender once for their replies', async () => {
    const engine = counting();
    const batcher = new MessageBatcher({ engine, outbox: new Outbox(queues), maxBatch: 64, maxRunning: 1 });
    const names = ['p', 'q', 'r', 's'].map(addr);
    for (const name of names) await seedAtFirstQuestion(name);
    const outcomes = await Promise.all(names.map((name) => batcher.handle(consoleMessage(name, '4'))));

    expect(engine.sizes).toEqual([4]);
    for (const name of names)
      expect(await answersOf(name)).toEqual([{ question: 'thuis', answer_code: '4' }]);
    // The replies wait in the outbox (their rows), not as one queue job each; one signal wakes the sender.
    const ids = outcomes.flatMap((o) => o.outbound.map((j) => j.outboundId!));
    expect(ids.length).toBeGreaterThanOrEqual(names.length);
    const waiting = await db
      .selectFrom('outbound_messages')
      .select('id')
      .where('id', 'in', ids)
      .where('status', '=', 'queued')
      .where('drain_after', 'is not', null)
      .execute();
    expect(waiting).toHaveLength(ids.length);
    expect(await queues.outbound('console').count()).toBe(0);
    const signal = outboxSignalKey(setup.env.QUEUE_PREFIX, 'console');
    await eventually(async () => (await redis.llen(signal)) === 1, 5_000, 'one signal for the sender');
  });

  it('never puts more than the batch size into one transaction', async () => {
    const engine = counting();
    const batcher = new MessageBatcher({ engine, outbox: new Outbox(queues), maxBatch: 3, maxRunning: 1 });
    const names = Array.from({ length: 7 }, (_, i) => addr(`cap${i}`));
    await Promise.all(names.map((name) => batcher.handle(consoleMessage(name, 'hallo'))));

    expect(Math.max(...engine.sizes)).toBeLessThanOrEqual(3);
    expect(engine.sizes.reduce((a, b) => a + b, 0)).toBe(7);
  });

  it('a message that breaks its batch fails alone; the others are handled once', async () => {
    const breaking: FlowStep = (state, payload, ctx) => {
      if (payload.kind === 'text' && payload.text === 'boem') throw new Error('flow broke');
      return converse(state, payload, ctx);
    };
    const engine = counting(breaking);
    const batcher = new MessageBatcher({ engine, outbox: new Outbox(queues), maxBatch: 64, maxRunning: 1 });
    for (const who of ['ok1', 'ok2']) await seedAtFirstQuestion(addr(who));
    const results = await Promise.allSettled([
      batcher.handle(consoleMessage(addr('ok1'), '4')),
      batcher.handle(consoleMessage(addr('bad'), 'boem')),
      batcher.handle(consoleMessage(addr('ok2'), '5')),
    ]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('flow broke');
    expect(await answersOf(addr('ok1'))).toEqual([{ question: 'thuis', answer_code: '4' }]);
    expect(await answersOf(addr('ok2'))).toEqual([{ question: 'thuis', answer_code: '5' }]);
    // The whole batch first, then each message alone.
    expect(engine.sizes).toEqual([3, 1, 1, 1]);
    const bad = await db
      .selectFrom('residents')
      .select('id')
      .where('address', '=', addr('bad'))
      .executeTakeFirst();
    expect(bad).toBeUndefined();
  });
});
