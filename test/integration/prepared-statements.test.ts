import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, ensureDatabase, prepared } from '../../src/db/connect.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

let setup: TestSetup;
let db: ReturnType<typeof createDb>;

beforeAll(async () => {
  setup = testSetup();
  await ensureDatabase(setup.env.DATABASE_URL);
  // One connection, so every statement below meets the same server session.
  db = createDb(setup.env.DATABASE_URL, 1);
  await sql`create table notes (id bigserial primary key, body text not null)`.execute(db);
});

afterAll(async () => {
  await db?.destroy();
  await setup?.cleanup();
});

const insert = (tx: typeof db, bodies: string[]) =>
  sql<{ body: string }>`${prepared('test_notes')}
    insert into notes (body) select b from unnest(${bodies}::text[]) b returning body`.execute(tx);

describe('statements prepared once per connection', () => {
  it('runs a marked statement as a named prepared statement, with any number of rows, quotes and all', async () => {
    const first = ["it's", 'back\\slash', 'quote " and , comma'];
    const second = ['{brace}', '$1 ?', 'emoji 🙂', 'NULL'];
    await db.transaction().execute(async (tx) => {
      expect((await insert(tx, first)).rows.map((r) => r.body)).toEqual(first);
      expect((await insert(tx, second)).rows.map((r) => r.body)).toEqual(second);
    });
    const prepared = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(db);
    expect(prepared.rows.map((r) => r.name)).toEqual(['test_notes']);
    const stored = await sql<{ body: string }>`select body from notes order by id`.execute(db);
    expect(stored.rows.map((r) => r.body)).toEqual([...first, ...second]);
  });

  it('leaves unmarked statements unnamed', async () => {
    await sql`insert into notes (body) values (${'plain'})`.execute(db);
    const prepared = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(db);
    expect(prepared.rows.map((r) => r.name)).toEqual(['test_notes']);
  });
});
