import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse } from '../../flows/conversation.js';
import { loadTexts } from '../../flows/i18n/texts.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { flowConfig, prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import { outboundMessageOf } from '../../src/db/outbound-body.js';
import { AGE_GROUP } from '../../src/db/sealed-columns.js';
import { Engine, type HandleOutcome } from '../../src/engine/engine.js';
import { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { seal, unsealNullable } from '../../src/privacy/sealed.js';
import { Outbox } from '../../src/queue/outbox.js';
import { Queues } from '../../src/queue/queues.js';
import { createRedis } from '../../src/queue/redis.js';
import { askAgeChecks } from '../../src/scheduler/age-check.js';
import { consoleMessage } from '../helpers/app.js';
import { type TestSetup, testSetup } from '../helpers/env.js';
import { seedJoinedResident } from '../helpers/seed.js';

// Taking part starts at 16: the age groups, someone younger (typed or chosen), LEEFTIJD, and the
// yearly check whether the age group is still right — all through the engine, as a console resident.

let setup: TestSetup;
let db: ReturnType<typeof createDb>;
let engine: Engine;
let redis: ReturnType<typeof createRedis>;
let queues: Queues;
const texts = loadTexts();

const said = (o: HandleOutcome) =>
  o.outbound
    .map((j) => [j.message.text, j.message.kind === 'ask' ? (j.message.hint ?? '') : ''].join('\n'))
    .join('\n');
const say = async (address: string, text: string) => said(await engine.handle(consoleMessage(address, text)));

beforeAll(async () => {
  setup = testSetup({
    ONBOARDING_POLL: 'false',
    YOUTH_REFERRAL_NAME: 'het jongerenwerk van Trajekt',
    YOUTH_REFERRAL_URL: 'https://www.trajekt.nl',
  });
  await prepareStorage(setup.env);
  db = createDb(setup.env.DATABASE_URL, 2);
  redis = createRedis(setup.env.REDIS_URL);
  queues = new Queues(redis, setup.env.QUEUE_PREFIX, setup.env.INBOUND_PARTITIONS);
  engine = new Engine({
    db,
    pseudonyms: new Pseudonymizer(Buffer.from(setup.env.PSEUDONYM_KEY!, 'utf8')),
    flow: converse,
    context: { config: flowConfig(setup.env), texts, polls: loadPolls() },
  });
}, 60_000);

afterAll(async () => {
  await queues?.close();
  redis?.disconnect();
  await db?.destroy();
  await setup?.cleanup();
});

const residentOf = (address: string) =>
  db.selectFrom('residents').selectAll().where('address', '=', address).executeTakeFirst();
const ageOf = async (address: string) =>
  unsealNullable((await residentOf(address))?.age_group ?? null, AGE_GROUP);

/** Joins as a new console resident up to the age question; returns what the bot said last. */
async function joinToAge(address: string): Promise<string> {
  await say(address, 'hallo');
  await say(address, '1'); // Nederlands
  await say(address, 'ja');
  const age = await say(address, '1'); // Nazareth
  expect(age).toMatch(/Hoe oud ben je/);
  return age;
}

describe('the age groups', () => {
  it('start at 16: the consent text says so and the groups are jonger dan 16, 16–26, 27–40, 41–65, ouder dan 65', async () => {
    await say('age-groups', 'hallo');
    const consent = await say('age-groups', '1');
    expect(consent).toMatch(/Meedoen kan vanaf 16 jaar/);
    await say('age-groups', 'ja');
    const age = (await engine.handle(consoleMessage('age-groups', '1'))).outbound[0]!.message; // Nazareth
    expect(age.kind === 'ask' && age.options.map((o) => o.label)).toEqual([
      'Jonger dan 16',
      '16–26',
      '27–40',
      '41–65',
      'Ouder dan 65',
      'Sla over',
    ]);
  });

  it('put a typed 17 in 16–26, and 16 too', async () => {
    await joinToAge('age-17');
    expect(await say('age-17', '17')).toMatch(/Klaar, je doet mee/);
    expect(await ageOf('age-17')).toBe('16-26');
    await joinToAge('age-16');
    await say('age-16', '16 jaar');
    expect(await ageOf('age-16')).toBe('16-26');
    expect((await residentOf('age-16'))?.age_confirmed_at).toBeInstanceOf(Date);
  });

  it('keep the group of an earlier answer: an old tot18 profile still works and its answers keep tot18', async () => {
    const id = await seedJoinedResident(db, 'age-old', { flow: 'idle' });
    await db
      .updateTable('residents')
      .set({ age_group: seal('tot18', AGE_GROUP) })
      .where('id', '=', id)
      .execute();
    expect(await say('age-old', 'GEGEVENS')).toMatch(/Leeftijd: Onder 18/);
    expect(await ageOf('age-old')).toBe('tot18');
  });
});

describe('someone younger than 16', () => {
  it('who types 14 is sent to the youth work, gets nothing more and is erased', async () => {
    await joinToAge('age-14');
    const reply = await say('age-14', '14');
    expect(reply).toMatch(/Meedoen kan pas vanaf 16 jaar/);
    expect(reply).toMatch(/het jongerenwerk van Trajekt/);
    expect(reply).toMatch(/https:\/\/www\.trajekt\.nl/);
    expect(reply).toMatch(/gewist/);
    expect(reply).not.toMatch(/Klaar, je doet mee/);
    expect(await residentOf('age-14')).toBeUndefined();
  });

  it('who chooses "Jonger dan 16" is erased the same way', async () => {
    await joinToAge('age-choice');
    expect(await say('age-choice', '1')).toMatch(/vanaf 16 jaar/);
    expect(await residentOf('age-choice')).toBeUndefined();
  });

  it('who says so later with LEEFTIJD is erased, as VERWIJDER erases', async () => {
    const id = await seedJoinedResident(db, 'age-later', { flow: 'idle' });
    expect(await say('age-later', 'LEEFTIJD')).toMatch(/Kies je leeftijdsgroep/);
    expect(await say('age-later', 'jonger dan 16')).toMatch(/vanaf 16 jaar/);
    expect(
      await db.selectFrom('residents').select('id').where('id', '=', id).executeTakeFirst(),
    ).toBeUndefined();
  });
});

describe('LEEFTIJD', () => {
  it('changes the age group any time and goes back to where the resident was', async () => {
    await seedJoinedResident(db, 'age-keyword', { flow: 'idle' });
    const asked = await say('age-keyword', 'leeftijd');
    expect(asked).toMatch(/Hoe oud ben je/);
    expect(await say('age-keyword', '41-65')).toMatch(/je leeftijdsgroep is nu: 41–65/);
    expect(await ageOf('age-keyword')).toBe('41-65');
    // AGE works in English too; skipping changes nothing.
    await say('age-keyword', 'AGE');
    expect(await say('age-keyword', 'sla over')).toMatch(/niets veranderd/);
    expect(await ageOf('age-keyword')).toBe('41-65');
  });
});

describe('the yearly age check', () => {
  const longAgo = new Date(Date.now() - 400 * 86_400_000);

  it('asks a resident whose group is a year old, once, in one message; the same group confirms it', async () => {
    const id = await seedJoinedResident(db, 'check-same', { flow: 'idle' }, longAgo);
    await db.updateTable('residents').set({ age_confirmed_at: longAgo }).where('id', '=', id).execute();
    const outbox = new Outbox(queues);
    const asked = await askAgeChecks({ db, outbox, texts, now: new Date() });
    expect(asked).toBeGreaterThanOrEqual(1);
    const messages = await db
      .selectFrom('outbound_messages')
      .select(['body', 'sealed_body', 'kind'])
      .where('resident_id', '=', id)
      .execute();
    expect(messages).toHaveLength(1);
    // Sealed: it names the resident's age group.
    expect(messages[0]!.body).toBeNull();
    const body = outboundMessageOf(messages[0]!) as { kind: string; text: string; hint?: string };
    expect(messages[0]!.kind).toBe('bulk');
    expect(body.text).toBe('Je leeftijdsgroep is nu: 27–40. Klopt dat nog?');
    // The console has no buttons: its hint says to type.
    expect(body.hint).not.toMatch(/Tik/);
    // Asked once: a second tick asks nobody new of these.
    await askAgeChecks({ db, outbox, texts, now: new Date() });
    expect(
      await db.selectFrom('outbound_messages').select('id').where('resident_id', '=', id).execute(),
    ).toHaveLength(1);
    expect(await say('check-same', '3')).toMatch(/blijft hetzelfde/);
    const after = await residentOf('check-same');
    expect(after!.age_confirmed_at!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await ageOf('check-same')).toBe('27-40');
  });

  it('asks in the resident’s own language: Turkish for a Turkish resident', async () => {
    const id = await seedJoinedResident(db, 'check-tr', { flow: 'idle' }, longAgo);
    await db
      .updateTable('residents')
      .set({ age_confirmed_at: longAgo, language: 'tr' })
      .where('id', '=', id)
      .execute();
    await askAgeChecks({ db, outbox: new Outbox(queues), texts, now: new Date() });
    const [message] = await db
      .selectFrom('outbound_messages')
      .select(['body', 'sealed_body'])
      .where('resident_id', '=', id)
      .execute();
    expect(outboundMessageOf(message!).text).toBe(
      texts.t('tr', 'age-check-ask', { age: texts.t('tr', 'age-27-40') }),
    );
  });

  it('changes the group when the answer is another one', async () => {
    const id = await seedJoinedResident(db, 'check-new', { flow: 'idle' }, longAgo);
    await db.updateTable('residents').set({ age_confirmed_at: longAgo }).where('id', '=', id).execute();
    await askAgeChecks({ db, outbox: new Outbox(queues), texts, now: new Date() });
    expect(await say('check-new', '41–65')).toMatch(/leeftijdsgroep is nu: 41–65/);
    expect(await ageOf('check-new')).toBe('41-65');
  });

  it('is skippable: anything else is handled as if it was never asked, and the group stays', async () => {
    const id = await seedJoinedResident(db, 'check-skip', { flow: 'idle' }, longAgo);
    await db.updateTable('residents').set({ age_confirmed_at: longAgo }).where('id', '=', id).execute();
    await askAgeChecks({ db, outbox: new Outbox(queues), texts, now: new Date() });
    expect(await say('check-skip', 'IDEE')).toMatch(/Wat is je idee/);
    expect(await ageOf('check-skip')).toBe('27-40');
    // Not asked again within the year.
    expect(await askAgeChecks({ db, outbox: new Outbox(queues), texts, now: new Date() })).toBe(0);
  });

  it('leaves alone residents confirmed within the year, without a group, or busy with a poll', async () => {
    const recent = await seedJoinedResident(db, 'check-recent', { flow: 'idle' }, longAgo);
    await db
      .updateTable('residents')
      .set({ age_confirmed_at: new Date() })
      .where('id', '=', recent)
      .execute();
    const none = await seedJoinedResident(db, 'check-none', { flow: 'idle' }, longAgo);
    await db.updateTable('residents').set({ age_group: null }).where('id', '=', none).execute();
    const busy = await seedJoinedResident(
      db,
      'check-busy',
      { flow: 'poll', progress: { poll: 'thuis', index: 0, phase: 'question', misses: 0 } },
      longAgo,
    );
    await db.updateTable('residents').set({ age_confirmed_at: longAgo }).where('id', '=', busy).execute();
    await askAgeChecks({ db, outbox: new Outbox(queues), texts, now: new Date() });
    const sent = await db
      .selectFrom('outbound_messages')
      .select('resident_id')
      .where('resident_id', 'in', [recent, none, busy])
      .execute();
    expect(sent).toEqual([]);
  });
});
