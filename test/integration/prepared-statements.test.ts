import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, ensureDatabase, prepared } from '../../src/db/connect.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

let setup: TestSetup;
let db: ReturnType<typeof createDb>;

/** Statements the server has prepared on the connection that asks. */
const preparedHere = (tx: typeof db) =>
  sql<{ name: string }>`select name from pg_prepared_statements order by name`
    .execute(tx)
    .then((r) => r.rows.map((row) => row.name));

beforeAll(async () => {
  setup = testSetup();
  await ensureDatabase(setup.env.DATABASE_URL);
  // One connection, so every statement below meets the same server session.
  db = createDb(setup.env.DATABASE_URL, 1);
  await sql`create table notes (id bigserial primary key, body text not null, tags text[] not null)`.execute(
    db,
  );
});

afterAll(async () => {
  await db?.destroy();
  await setup?.cleanup();
});

const insertFirst = (tx: typeof db, bodies: string[], tags: string) =>
  sql<{ id: number }>`${prepared('test_notes_first', 'first')}
    insert into notes (body, tags) select b, ${tags}::text[] from unnest(${bodies}::text[]) b returning id`.execute(
    tx,
  );

const insertLast = (tx: typeof db, bodies: string[]) =>
  sql<{ body: string }>`${prepared('test_notes_last', 'last')}
    insert into notes (body, tags) select b, '{}' from unnest(${bodies}::text[]) b returning body`.execute(
    tx,
  );

const bodies = () =>
  sql<{ body: string }>`select body from notes order by id`
    .execute(db)
    .then((r) => r.rows.map((x) => x.body));

describe('statements prepared once and sharing the round trip of begin and commit', () => {
  it('stores what the first and last statements of a transaction wrote, quotes and all, and returns their rows', async () => {
    const awkward = ["it's", 'back\\slash', 'quote " and , comma', '{brace}', '$1 ?', 'emoji 🙂'];
    const result = await db.transaction().execute(async (tx) => {
      const first = await insertFirst(tx, awkward.slice(0, 3), '{"a b",c}');
      const middle = await sql<{ n: number }>`select count(*)::int as n from notes`.execute(tx);
      // Sent with the begin, in one simple query: nothing was prepared for it.
      expect(await preparedHere(tx)).toEqual([]);
      const last = await insertLast(tx, awkward.slice(3));
      return { first: first.rows.length, middle: middle.rows[0]!.n, last: last.rows.map((r) => r.body) };
    });
    expect(result).toEqual({ first: 3, middle: 3, last: awkward.slice(3) });
    expect(await bodies()).toEqual(awkward);
    const tags = await sql<{ tags: string[] }>`select tags from notes order by id limit 1`.execute(db);
    expect(tags.rows[0]!.tags).toEqual(['a b', 'c']);
  });

  it('rolls back everything when the transaction fails after its first statement', async () => {
    const before = await bodies();
    await expect(
      db.transaction().execute(async (tx) => {
        await insertFirst(tx, ['never'], '{}');
        throw new Error('flow failed');
      }),
    ).rejects.toThrow('flow failed');
    expect(await bodies()).toEqual(before);
  });

  it('rolls back when the last statement fails, and the connection serves the next transaction', async () => {
    const before = await bodies();
    await expect(
      db.transaction().execute(async (tx) => {
        await insertFirst(tx, ['also never'], '{}');
        await insertLast(tx, [null as unknown as string]);
      }),
    ).rejects.toThrow(/null value/);
    expect(await bodies()).toEqual(before);
    await db.transaction().execute(async (tx) => insertLast(tx, ['after the failure']));
    expect((await bodies()).at(-1)).toBe('after the failure');
  });

  it('refuses a statement after the last one instead of running it outside the transaction', async () => {
    await expect(
      db.transaction().execute(async (tx) => {
        await insertLast(tx, ['committed with it']);
        await sql`insert into notes (body, tags) values ('outside', '{}')`.execute(tx);
      }),
    ).rejects.toThrow('a statement after the transaction committed');
    const all = await bodies();
    expect(all).toContain('committed with it');
    expect(all).not.toContain('outside');
  });

  it('prepares a statement once on the connection when it is not the first of a transaction', async () => {
    await db.transaction().execute(async (tx) => {
      await sql`select 1`.execute(tx);
      await insertFirst(tx, ['prepared'], '{}');
      await insertFirst(tx, ['twice'], '{}');
      expect(await preparedHere(tx)).toContain('test_notes_first');
    });
    expect((await bodies()).slice(-2)).toEqual(['prepared', 'twice']);
  });

  it('leaves plain transactions and statements outside transactions as they were', async () => {
    await db.transaction().execute(async (tx) => {
      await sql`insert into notes (body, tags) values ('plain', '{}')`.execute(tx);
    });
    await expect(
      db.transaction().execute(async (tx) => {
        await sql`insert into notes (body, tags) values ('plain rolled back', '{}')`.execute(tx);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    await db.transaction().execute(async () => {});
    await insertLast(db, ['outside a transaction']);
    await sql`insert into notes (body, tags) values ('after it', '{}')`.execute(db);
    const all = await bodies();
    expect(all).toContain('plain');
    expect(all).not.toContain('plain rolled back');
    expect(all.slice(-2)).toEqual(['outside a transaction', 'after it']);
  });
});
