import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createDb } from '../../src/db/connect.js';
import { outboundMessageOf } from '../../src/db/outbound-body.js';
import { resealRows, sealLegacyRows } from '../../src/db/sealed-columns.js';
import { deliverTo } from '../../src/desk/deliver.js';
import type { Engine, HandleOutcome } from '../../src/engine/engine.js';
import { dataSealer } from '../../src/privacy/sealed.js';
import { consoleMessage } from '../helpers/app.js';
import { openTestEngine, type TestEngine } from '../helpers/storage.js';

// A copy of the database (a dump, a stolen backup) must not show what the bot or a staff member wrote
// to one resident: the GEGEVENS copy of their own idea, a staff member's answer to their help request.
// Those replies wait in `outbound_messages` for up to 7 days, linked to the resident's address.

const IDEA = 'Een moestuin achter de Zonnewijzerhof met bloembakken en een regenton';
const STAFF_REPLY = 'Beste mevrouw Jansen, de loodgieter komt dinsdag naar de Kraanvogelstraat 17';

let db: ReturnType<typeof createDb>;
let engine: Engine;

const texts = (o: HandleOutcome) => o.outbound.map((j) => j.message.text ?? '').join('\n');
const say = async (address: string, text: string) =>
  texts(await engine.handle(consoleMessage(address, text)));

/** Every outbound row as the text a dump shows of it. */
async function outboundRowsAsText(): Promise<string> {
  const { rows } = await sql<{ row: string }>`select o::text as row from outbound_messages o`.execute(db);
  return rows.map((r) => r.row).join('\n');
}

let bed: TestEngine;

beforeAll(async () => {
  bed = await openTestEngine({ ONBOARDING_POLL: 'false' });
  ({ db, engine } = bed);
}, 60_000);

afterAll(() => bed?.close());

describe('replies to one resident in outbound_messages', () => {
  it('do not show the GEGEVENS copy of their idea in plain text', async () => {
    for (const text of ['Hallo', '1', 'ja', '1', '2']) await say('sealed-idea', text);
    expect(await say('sealed-idea', 'IDEE')).toMatch(/Wat is je idee/);
    await say('sealed-idea', IDEA);
    await say('sealed-idea', '1');
    // The resident's copy holds the idea: that reply is what must not lie in the table as text.
    expect(await say('sealed-idea', 'GEGEVENS')).toContain(IDEA);
    expect(await outboundRowsAsText()).not.toContain('Zonnewijzerhof');
  });

  it('do not show a staff member’s answer in plain text', async () => {
    for (const text of ['Hallo', '1', 'ja', '1', '2']) await say('sealed-help', text);
    const resident = await db
      .selectFrom('residents')
      .select('id')
      .where('address', '=', 'sealed-help')
      .executeTakeFirstOrThrow();
    const job = await deliverTo(
      db,
      resident.id,
      { kind: 'text', text: STAFF_REPLY },
      { inboundId: null, seq: 0, now: new Date() },
    );
    expect(job?.message.text).toBe(STAFF_REPLY);
    expect(await outboundRowsAsText()).not.toContain('Kraanvogelstraat');
    // What the sender reads back is the message as written.
    const row = await db
      .selectFrom('outbound_messages')
      .select(['body', 'sealed_body'])
      .where('id', '=', job!.outboundId!)
      .executeTakeFirstOrThrow();
    expect(row.body).toBeNull();
    expect(outboundMessageOf(row)).toEqual({ kind: 'text', text: STAFF_REPLY });
  });

  it('written in plain text before sealing are sealed at start, once', async () => {
    const resident = await db
      .selectFrom('residents')
      .select('id')
      .where('address', '=', 'sealed-help')
      .executeTakeFirstOrThrow();
    const old = { kind: 'text', text: 'Uw afspraak op de Ooievaarsweg 4 gaat door' };
    const legacy = await db
      .insertInto('outbound_messages')
      .values({
        resident_id: resident.id,
        channel: 'console',
        kind: 'reply',
        body: JSON.stringify(old),
        created_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await outboundRowsAsText()).toContain('Ooievaarsweg');
    expect(await sealLegacyRows(db, dataSealer())).toBe(1);
    expect(await sealLegacyRows(db, dataSealer())).toBe(0);
    expect(await outboundRowsAsText()).not.toContain('Ooievaarsweg');
    const row = await db
      .selectFrom('outbound_messages')
      .select(['body', 'sealed_body'])
      .where('id', '=', legacy.id)
      .executeTakeFirstOrThrow();
    expect(outboundMessageOf(row)).toEqual(old);
  });

  it('are re-sealed after a data-key rotation', async () => {
    const counts = await resealRows(db, dataSealer());
    expect(counts.find((c) => c.column === 'outbound_messages.sealed_body')).toEqual({
      column: 'outbound_messages.sealed_body',
      resealed: 0,
      unreadable: 0,
    });
  });

  it('must hold exactly one of the plain and the sealed message', async () => {
    const resident = await db.selectFrom('residents').select('id').executeTakeFirstOrThrow();
    const row = { resident_id: resident.id, channel: 'console', kind: 'reply', created_at: new Date() };
    await expect(db.insertInto('outbound_messages').values(row).execute()).rejects.toThrow(
      /outbound_messages_one_body/,
    );
    await expect(
      db
        .insertInto('outbound_messages')
        .values({ ...row, body: '{}', sealed_body: Buffer.from('x') })
        .execute(),
    ).rejects.toThrow(/outbound_messages_one_body/);
  });
});
