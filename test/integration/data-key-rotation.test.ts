import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareStorage } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.js';
import type { createDb } from '../../src/db/connect.js';
import { resealRows, SEALED_COLUMNS } from '../../src/db/sealed-columns.js';
import { Sealer } from '../../src/privacy/sealed.js';
import { consoleMessage } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import type { TestSetup } from '../helpers/env.js';
import { openTestEngine, type TestEngine } from '../helpers/storage.js';

// Rotating the data key: the new key seals, the previous one still opens until `data-key reseal`
// has sealed every stored value with the new key; then the old key opens nothing and can go.

const OLD = 'old-data-key-that-may-have-leaked-0123456789';
const NEW = 'new-data-key-fresh-from-the-secret-store-98765';
const sealerOf = (secret: string) => new Sealer(Buffer.from(secret, 'utf8'));

let setup: TestSetup;
let db: ReturnType<typeof createDb>;

/** Every stored sealed value with its column's name. */
async function sealedValues(): Promise<{ column: string; value: Buffer }[]> {
  const values: { column: string; value: Buffer }[] = [];
  for (const { table, column } of SEALED_COLUMNS) {
    const { rows } = await sql<{ value: Buffer }>`select ${sql.ref(column)} as value from ${sql.table(table)}
      where length(${sql.ref(column)}) > 0`.execute(db);
    for (const row of rows) values.push({ column: `${table}.${column}`, value: row.value });
  }
  return values;
}

/** How many of the stored values `sealer` opens, and how many it does not. */
async function opened(sealer: Sealer): Promise<{ opens: number; fails: number }> {
  let opens = 0;
  let fails = 0;
  for (const { column, value } of await sealedValues()) {
    try {
      sealer.openBytes(value, column);
      opens += 1;
    } catch {
      fails += 1;
    }
  }
  return { opens, fails };
}

let bed: TestEngine;

beforeAll(async () => {
  bed = await openTestEngine({ DATA_KEY: OLD, ONBOARDING_POLL: 'false' });
  ({ setup, db } = bed);
  // A resident joins and asks for help: the message log, the help request and its text are sealed.
  for (const text of [
    'Hallo',
    '1',
    'ja',
    '1',
    '2',
    'HULP',
    'ja',
    'Mijn kraan lekt al een week, wie kan helpen?',
  ])
    await bed.engine.handle(consoleMessage('rotating-resident', text));
}, 60_000);

afterAll(() => bed?.close());

describe('rotating the data key', () => {
  it('re-seals every stored value with the new key, after which the old key opens nothing', async () => {
    const before = await sealedValues();
    const columns = new Set(before.map((v) => v.column));
    expect(columns).toContain('message_log.body');
    expect(columns).toContain('help_requests.subject');
    expect(columns).toContain('residents.age_group');
    expect(await opened(sealerOf(NEW))).toEqual({ opens: 0, fails: before.length });

    // The new key alone does not start on a database sealed with the old one.
    await expect(prepareStorage(parseEnv({ ...setup.vars, DATA_KEY: NEW }))).rejects.toThrow(
      /DATA_KEY does not open what is stored/,
    );
    // With the old key as the previous one it starts, and opens both old values and new ones.
    const rotating = parseEnv({ ...setup.vars, DATA_KEY: NEW, DATA_KEY_PREVIOUS: OLD });
    await prepareStorage(rotating);
    const both = new Sealer(Buffer.from(NEW, 'utf8'), [Buffer.from(OLD, 'utf8')]);
    const fresh = both.seal('geschreven tijdens de wissel', 'message_log.body');
    expect(both.open(fresh, 'message_log.body')).toBe('geschreven tijdens de wissel');
    expect(both.open(before[0]!.value, before[0]!.column).length).toBeGreaterThan(0);

    const result = await runCli(['data-key', 'reseal', '--json'], {
      ...setup.vars,
      DATA_KEY: NEW,
      DATA_KEY_PREVIOUS: OLD,
    });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { resealed: number; unreadable: number };
    expect(report).toMatchObject({ resealed: before.length, unreadable: 0 });
    expect(result.stderr).toMatch(/remove DATA_KEY_PREVIOUS/);

    const after = await sealedValues();
    expect(after.length).toBe(before.length);
    expect(await opened(sealerOf(NEW))).toEqual({ opens: after.length, fails: 0 });
    expect(await opened(sealerOf(OLD))).toEqual({ opens: 0, fails: after.length });
    // The texts themselves are unchanged.
    const subject = after.find((v) => v.column === 'help_requests.subject')!;
    expect(sealerOf(NEW).open(subject.value, subject.column)).toContain('kraan');

    // A second run finds nothing left; the new key alone starts; the old key alone is refused.
    expect((await resealRows(db, both)).every((c) => c.resealed === 0 && c.unreadable === 0)).toBe(true);
    await prepareStorage(parseEnv({ ...setup.vars, DATA_KEY: NEW }));
    await expect(prepareStorage(parseEnv({ ...setup.vars, DATA_KEY: OLD }))).rejects.toThrow(
      /DATA_KEY does not open what is stored/,
    );
  }, 60_000);

  it('counts a value no configured key opens, leaves it as it is and fails the command', async () => {
    const stranger = new Sealer(Buffer.from('a-key-nobody-here-has-ever-configured-42', 'utf8'));
    const row = await db
      .selectFrom('message_log')
      .select(['id', 'body'])
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const foreign = stranger.seal('van een andere installatie', 'message_log.body');
    await db.updateTable('message_log').set({ body: foreign }).where('id', '=', row.id).execute();
    const result = await runCli(['data-key', 'reseal'], {
      ...setup.vars,
      DATA_KEY: NEW,
      DATA_KEY_PREVIOUS: OLD,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/ values re-sealed with DATA_KEY, 1 that no key opens/);
    const kept = await db
      .selectFrom('message_log')
      .select('body')
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(Buffer.compare(kept.body as Buffer, foreign)).toBe(0);
    await db.updateTable('message_log').set({ body: row.body }).where('id', '=', row.id).execute();
  }, 60_000);
});
