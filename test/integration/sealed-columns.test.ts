import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import { SEALED_COLUMNS } from '../../src/db/sealed-columns.js';
import { KEY_ID, unseal } from '../../src/privacy/sealed.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

let setup: TestSetup;
let db: ReturnType<typeof createDb>;

beforeAll(async () => {
  setup = testSetup();
  await prepareStorage(setup.env);
  db = createDb(setup.env.DATABASE_URL, 2);
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await setup?.cleanup();
});

describe('sealed columns', () => {
  it('are sealed at start when a value is still plain text (from before, or an older process)', async () => {
    // Rows as migration 0008 leaves them (a zero byte, then the text) and as an old process writes them.
    const resident = await db
      .insertInto('residents')
      .values({ channel: 'console', address: 'zegel', age_group: Buffer.from('\u000041-65') })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('message_log')
      .values({
        resident_id: resident.id,
        direction: 'in',
        body: Buffer.from('Kastanjelaan 12, bel 0612345678'),
      })
      .execute();
    const request = await db
      .insertInto('help_requests')
      .values({ resident_id: resident.id, subject: Buffer.from('\u0000huurtoeslag'), due_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('help_messages')
      .values({ request_id: request.id, author: 'resident', text: Buffer.from('mijn buurman Piet') })
      .execute();
    await db
      .insertInto('whatsapp_auth')
      .values({ type: 'creds', id: '', value: Buffer.from('{"noiseKey":"geheim"}') })
      .execute();
    await db
      .insertInto('whatsapp_sent')
      .values({
        message_id: 'wamid-zegel',
        chat: 'zegel@s.whatsapp.net',
        message: Buffer.from('\u0000proto'),
      })
      .execute();
    // A reply as written before migration 0029: its message in plain `body`.
    await db
      .insertInto('outbound_messages')
      .values({
        resident_id: resident.id,
        channel: 'console',
        kind: 'reply',
        body: JSON.stringify({ kind: 'text', text: 'Piet, je afspraak is dinsdag' }),
        created_at: new Date(),
      })
      .execute();

    const idea = await db
      .insertInto('ideas')
      .values({
        resident_id: resident.id,
        text: 'bankje',
        theme: 'wonen',
        created_at: new Date(),
        updated_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('idea_media')
      .values({
        idea_id: idea.id,
        kind: 'image',
        channel: 'telegram',
        ref: Buffer.from('AgACAgQAAxkBAAIfoto'),
        bytes: Buffer.from('\u0000foto van de stoep'),
      })
      .execute();

    await prepareStorage(setup.env);

    const plain: Record<string, string> = {
      'residents.age_group': '41-65',
      'message_log.body': 'Kastanjelaan 12, bel 0612345678',
      'help_requests.subject': 'huurtoeslag',
      'help_messages.text': 'mijn buurman Piet',
      'whatsapp_auth.value': '{"noiseKey":"geheim"}',
      'idea_media.bytes': 'foto van de stoep',
      'idea_media.ref': 'AgACAgQAAxkBAAIfoto',
      'whatsapp_sent.message': 'proto',
      'outbound_messages.sealed_body': '{"kind":"text","text":"Piet, je afspraak is dinsdag"}',
    };
    for (const { table, column } of SEALED_COLUMNS) {
      const { rows } = await sql<{ value: Buffer }>`
        select ${sql.ref(column)} as value from ${sql.table(table)}`.execute(db);
      expect(rows.length, table).toBe(1);
      const name = `${table}.${column}`;
      expect(rows[0]!.value[0], name).toBe(KEY_ID);
      expect(rows[0]!.value.includes(Buffer.from(plain[name]!)), name).toBe(false);
      expect(unseal(rows[0]!.value, name)).toBe(plain[name]);
    }
  });

  it('refuse a start with a data key that does not open them', async () => {
    await expect(
      prepareStorage({ ...setup.env, DATA_KEY: 'another-data-key-0123456789abcdefghijk' }),
    ).rejects.toThrow(/DATA_KEY does not open what is stored/);
  });
});
