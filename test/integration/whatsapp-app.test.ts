import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageIdFor } from '../../adapters/whatsapp/connection.js';
import { readPairingStatus } from '../../adapters/whatsapp/pairing.js';
import { useSocketFactoryForTests } from '../../adapters/whatsapp/socket.js';
import type { App } from '../../src/app.js';
import { LOG_BODY } from '../../src/db/sealed-columns.js';
import { unseal } from '../../src/privacy/sealed.js';
import { startTestApp } from '../helpers/app.js';
import { eventually } from '../helpers/env.js';
import { FakeWhatsApp, type SentPollView, whatsappFixture } from '../helpers/fake-whatsapp.js';

const fake = new FakeWhatsApp({ autoPair: true });
/** Our own LID, which phones use as the poll creator's id when they encrypt a vote in a 1:1 chat. */
const OUR_LID = '200000000000001@lid';
let app: App;
let stop: () => Promise<void>;

beforeAll(async () => {
  useSocketFactoryForTests(fake.factory);
  ({ app, stop } = await startTestApp({ WHATSAPP_ENABLED: 'true', WHATSAPP_LEASE_MS: '3000' }));
  await eventually(
    async () => (await readPairingStatus(app.redis, app.env.QUEUE_PREFIX))?.state === 'open',
    10_000,
    'the WhatsApp connection',
  );
});
afterAll(async () => {
  await stop?.();
  useSocketFactoryForTests(undefined);
});

async function residentOf(address: string) {
  return app.db.selectFrom('residents').selectAll().where('address', '=', address).executeTakeFirst();
}

/** Waits until every reply to the resident has been delivered, and returns how many went out. */
async function settled(address: string): Promise<number> {
  return eventually(
    async () => {
      const rows = await app.db
        .selectFrom('outbound_messages as o')
        .innerJoin('residents as r', 'r.id', 'o.resident_id')
        .select('o.status')
        .where('r.address', '=', address)
        .execute();
      return rows.length > 0 && rows.every((r) => r.status === 'sent') ? rows.length : 0;
    },
    15_000,
    'the replies',
  );
}

async function inboundLog(address: string): Promise<string[]> {
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

/** The resident types a line, and we wait for what the bot says back. */
async function say(address: string, text: string, alt?: string): Promise<void> {
  const before = fake.sentTo(address).length;
  fake.deliver(fake.text(address, text, alt ? { alt } : {}));
  await eventually(() => fake.sentTo(address).length > before, 15_000, `a reply to “${text}”`);
  await settled(address);
}

/** The newest poll the resident got. */
function lastPoll(address: string): SentPollView {
  const poll = fake.pollsTo(address).at(-1);
  if (!poll) throw new Error(`no poll sent to the resident; they saw: ${fake.seen(address).join(' | ')}`);
  return poll;
}

/** The resident taps an option (by its number) in the newest poll, encrypted as a phone does. */
async function vote(address: string, number: number, lid: string): Promise<void> {
  const poll = lastPoll(address);
  const option = poll.options.find((o) => o.startsWith(`${number}. `));
  if (!option) throw new Error(`no option ${number} in ${poll.options.join(', ')}`);
  const before = fake.sentTo(address).length;
  fake.deliver(fake.vote(poll, { jid: lid, alt: address }, [option], { creator: OUR_LID, voter: address }));
  await eventually(() => fake.sentTo(address).length > before, 15_000, `a reply to the vote for ${option}`);
  await settled(address);
}

/** Answers the newest question by number: a vote when it came as a poll, else typed. */
async function answer(address: string, number: number, lid: string): Promise<'voted' | 'typed'> {
  const newest = fake.sentTo(address).at(-1)?.message.message;
  if (newest?.pollCreationMessageV3 || newest?.pollCreationMessage) {
    await vote(address, number, lid);
    return 'voted';
  }
  await say(address, String(number));
  return 'typed';
}

describe('WhatsApp through the whole app', () => {
  it('has one effect for a message the socket delivers twice, and keeps both ids of the resident', async () => {
    const anna = '31612345001@s.whatsapp.net';
    const annaLid = '112233445500001@lid';
    const message = fake.text(anna, 'hallo', { alt: annaLid });
    fake.deliver(message);
    fake.deliver(message);
    await eventually(() => fake.sentTo(anna).length >= 1, 15_000, 'the welcome');
    await settled(anna);
    await new Promise((r) => setTimeout(r, 500));
    expect(await inboundLog(anna)).toEqual(['hallo']);
    const resident = (await residentOf(anna))!;
    const ledger = await app.db
      .selectFrom('inbound_ledger')
      .select('id')
      .where('resident_id', '=', resident.id)
      .execute();
    expect(ledger).toHaveLength(1);
    expect(
      await app.db.selectFrom('whatsapp_contacts').selectAll().where('address', '=', anna).executeTakeFirst(),
    ).toMatchObject({ pn: anna, lid: annaLid });

    // The same person writing from a LID-addressed chat is the same resident.
    fake.deliver(fake.text(annaLid, '1', { alt: anna }));
    await eventually(async () => (await inboundLog(anna)).length === 2, 15_000, 'the second message');
    await settled(anna);
    expect(await residentOf(annaLid)).toBeUndefined();
    expect(await inboundLog(anna)).toEqual(['hallo', '1']);
  });

  it('has no effect for group, own, status and broadcast messages', async () => {
    const ledgerBefore = await app.db.selectFrom('inbound_ledger').select('id').execute();
    for (const name of ['group-message', 'own-message', 'status-broadcast', 'broadcast-list', 'newsletter']) {
      const message = whatsappFixture(name);
      message.key.id = randomBytes(8).toString('hex');
      fake.deliver(message);
    }
    // A message after them, to know they have been through the adapter.
    const probe = '31612345009@s.whatsapp.net';
    await say(probe, 'hallo');
    const ledgerAfter = await app.db.selectFrom('inbound_ledger').select('id').execute();
    expect(ledgerAfter.length - ledgerBefore.length).toBe(1);
    for (const jid of ['120363025246125888@g.us', 'status@broadcast', '31612345679@s.whatsapp.net']) {
      expect(await residentOf(jid)).toBeUndefined();
      expect(fake.sentTo(jid)).toEqual([]);
    }
  });

  it('stores a decrypted poll vote as the answer, and asks again after a vote it cannot read', async () => {
    const bob = '31612345002@s.whatsapp.net';
    const bobLid = '112233445500002@lid';
    await say(bob, 'Hallo');
    const how = [
      await answer(bob, 1, bobLid), // Nederlands
      await answer(bob, 1, bobLid), // ja (the consent text is too long for a poll: typed)
      await answer(bob, 1, bobLid), // Nazareth
      await answer(bob, 3, bobLid), // 27–40
    ];
    expect(how).toContain('voted');
    const thuis = lastPoll(bob);
    expect(thuis.name).toMatch(/thuis/i);
    await vote(bob, 4, bobLid); // Ja, meestal

    const answers = await app.db.selectFrom('answers').selectAll().where('question', '=', 'thuis').execute();
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ channel: null, answer_number: 4, area: 'nazareth' });

    // The next question; the phone sends a vote we cannot decrypt (another poll's secret).
    const hulp = lastPoll(bob);
    expect(hulp.name).not.toBe(thuis.name);
    const before = fake.sentTo(bob).length;
    const unreadable = fake.vote(
      { ...hulp, secret: randomBytes(32) },
      { jid: bobLid, alt: bob },
      [hulp.options[3]!],
      {
        creator: OUR_LID,
        voter: bob,
      },
    );
    fake.deliver(unreadable);
    await eventually(() => fake.sentTo(bob).length > before, 15_000, 'the question again');
    await settled(bob);
    const asked = fake.seen(bob).slice(before).join('\n');
    expect(asked).toContain(hulp.name.split('\n')[0]!);
    // The hint asks for the number (the text comes from the language files, not the adapter).
    expect(asked).toMatch(/nummer/i);
    expect((await inboundLog(bob)).at(-1)).toMatch(/^\[vote .+=\]$/);
    expect(await app.db.selectFrom('answers').select('id').where('question', '=', 'hulp').execute()).toEqual(
      [],
    );

    // Typing the number still works.
    await say(bob, '2');
    const hulpAnswer = await app.db
      .selectFrom('answers')
      .selectAll()
      .where('question', '=', 'hulp')
      .execute();
    expect(hulpAnswer).toHaveLength(1);
    expect(hulpAnswer[0]!.answer_number).toBe(2);
  });

  it('records a message WhatsApp refused after it left on its row, and counts it in /metrics', async () => {
    const cees = '31612345003@s.whatsapp.net';
    await say(cees, 'hallo');
    const row = await app.db
      .selectFrom('outbound_messages as o')
      .innerJoin('residents as r', 'r.id', 'o.resident_id')
      .select(['o.id', 'o.platform_message_id'])
      .where('r.address', '=', cees)
      .executeTakeFirstOrThrow();
    // The worker passes the row, and the message id comes from it: a retry reuses it.
    expect(row.platform_message_id).toBe(messageIdFor(row.id));

    fake.refuse(cees, row.platform_message_id!, '463');
    const refused = await eventually(
      async () =>
        app.db
          .selectFrom('outbound_messages')
          .select(['status', 'refusal', 'refused_at', 'error'])
          .where('id', '=', row.id)
          .where('refusal', 'is not', null)
          .executeTakeFirst(),
      5_000,
      'the refusal on the row',
    );
    expect(refused).toMatchObject({ status: 'failed', refusal: '463' });
    expect(refused?.error).not.toMatch(/\d{6,}/);
    const metrics = await (await fetch(`http://127.0.0.1:${app.httpPort}/metrics`)).text();
    expect(metrics).toMatch(/^straatpraat_whatsapp_refusals_total\{code="463"\} 1$/m);
  });

  it('keeps a resident first known by number when they later write with only a LID Baileys can map', async () => {
    const dirk = '31612345004@s.whatsapp.net';
    const dirkLid = '112233445500004@lid';
    await say(dirk, 'hallo');
    // Baileys learns the pair (as from a USync answer) and stores it, without an event.
    await fake.mapLid(dirk, dirkLid);
    const before = fake.sentTo(dirk).length;
    fake.deliver(fake.text(dirkLid, '1'));
    await eventually(async () => (await inboundLog(dirk)).length === 2, 15_000, 'the LID message');
    await eventually(() => fake.sentTo(dirk).length > before, 15_000, 'the reply to the number');
    expect(await residentOf(dirkLid)).toBeUndefined();
    expect(
      await app.db.selectFrom('whatsapp_contacts').selectAll().where('address', '=', dirk).executeTakeFirst(),
    ).toMatchObject({ pn: dirk, lid: dirkLid });
  });

  it('keeps the pairing page for admins', async () => {
    const res = await fetch(`http://127.0.0.1:${app.httpPort}/admin/whatsapp`);
    expect([401, 403]).toContain(res.status);
  });
});
