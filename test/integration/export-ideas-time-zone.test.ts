import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, ensureDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { exportIdeasCsv } from '../../src/export/ideas.js';
import { ExportPool } from '../../src/export/pool.js';
import { runCli } from '../helpers/cli.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

let setup: TestSetup;
let db: Kysely<Database>;

beforeAll(async () => {
  setup = testSetup({ TIME_ZONE: 'America/New_York' });
  await ensureDatabase(setup.env.DATABASE_URL);
  db = createDb(setup.env.DATABASE_URL, 2);
  await migrateToLatest(db as Kysely<unknown>);
  const idea = (text: string, at: string) => ({
    text,
    theme: 'wonen',
    area: 'nazareth',
    created_at: new Date(at),
    updated_at: new Date(at),
  });
  await db
    .insertInto('ideas')
    .values([
      // Late in the evening in UTC: already the next day in Amsterdam.
      idea('Laat op de avond', '2026-03-05T23:30:00Z'),
      // Early in the morning in Amsterdam: still the day before in New York.
      idea('Vroeg in de ochtend', '2026-03-06T03:30:00Z'),
    ])
    .execute();
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await setup?.cleanup();
});

async function ideasCsv(timeZone: string): Promise<Record<string, string>[]> {
  const pool = new ExportPool({ databaseUrl: setup.env.DATABASE_URL, size: 1, timeZone });
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  try {
    await exportIdeasCsv(pool, out);
  } finally {
    await pool.close();
  }
  return parse(text, { columns: true });
}

const days = (rows: Record<string, string>[]) => Object.fromEntries(rows.map((r) => [r.text, r.created_on]));

describe('the ideas export', () => {
  it('dates an idea written at 23:30 UTC with the next day in Europe/Amsterdam', async () => {
    expect(days(await ideasCsv('Europe/Amsterdam'))).toEqual({
      'Laat op de avond': '2026-03-06',
      'Vroeg in de ochtend': '2026-03-06',
    });
  });

  it('dates ideas in the configured TIME_ZONE, not a fixed one', async () => {
    expect(days(await ideasCsv('America/New_York'))).toEqual({
      'Laat op de avond': '2026-03-05',
      'Vroeg in de ochtend': '2026-03-05',
    });
  });

  it('filters by the day in that time zone, and the CLI takes TIME_ZONE from the environment', async () => {
    const r = await runCli(['export', 'ideas', '--from', '2026-03-05', '--to', '2026-03-05'], setup.vars);
    expect(r.stderr).toBe('');
    expect(days(parse(r.stdout, { columns: true }))).toEqual({
      'Laat op de avond': '2026-03-05',
      'Vroeg in de ochtend': '2026-03-05',
    });
  });
});
