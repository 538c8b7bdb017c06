import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, ensureDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { runCli } from '../helpers/cli.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

let setup: TestSetup;
let db: Kysely<Database>;
const dir = mkdtempSync(join(tmpdir(), 'straatpraat-export-'));

beforeAll(async () => {
  setup = testSetup({ SUPPRESSION_MIN_CELL: '5' });
  await ensureDatabase(setup.env.DATABASE_URL);
  db = createDb(setup.env.DATABASE_URL, 2);
  await migrateToLatest(db as Kysely<unknown>);
  await sql`
    insert into answers (respondent, wave_key, poll, question, indicator, answer_code, answer_number, area,
      age_group, language, channel, answered_on)
    select 'stored-' || i, '', 'thuis', 'thuis', 'thuis_in_buurt', (1 + i % 5)::text, 1 + i % 5,
      'nazareth', '27-40', 'nl', 'whatsapp', date '2026-05-01' + i % 10
    from generate_series(1, 30) i`.execute(db);
  await db
    .insertInto('ideas')
    .values({
      text: 'Een bankje',
      theme: 'wonen',
      area: 'nazareth',
      created_at: new Date(),
      updated_at: new Date(),
    })
    .execute();
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await setup?.cleanup();
});

describe('straatpraat export', () => {
  it('writes every dataset in its formats, to a file or standard output', async () => {
    const file = join(dir, 'responses.xlsx');
    const [xlsx, panel, aggregates, ideas, sps] = await Promise.all([
      runCli(['export', 'responses', '--format', 'xlsx', '--out', file, '--from', '2026-05-03'], setup.vars),
      runCli(['export', 'responses', '--panel-ids', '--to', '2026-05-01'], setup.vars),
      runCli(['export', 'aggregates', '--format', 'csv', '--delimiter', ';', '--bom'], setup.vars),
      runCli(['export', 'ideas'], setup.vars),
      runCli(['export', 'codebook', '--format', 'sps'], setup.vars),
    ]);
    for (const r of [xlsx, panel, aggregates, ideas, sps]) expect(r.stderr).toBe('');
    expect(xlsx.code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.getWorksheet('responses')!.rowCount).toBe(1 + 24);

    const rows = parse(panel.stdout, { columns: true }) as { respondent: string }[];
    expect(rows.map((r) => r.respondent).sort()).toEqual(['stored-10', 'stored-20', 'stored-30']);

    expect(aggregates.stdout.startsWith('\uFEFFindicator;measure;wave;')).toBe(true);
    const cells = parse(aggregates.stdout, { columns: true, bom: true, delimiter: ';' }) as Record<
      string,
      string
    >[];
    // SUPPRESSION_MIN_CELL=5 from the environment: the area and its one age group (30 each) are shown.
    expect(cells.find((c) => c.level === 'total')).toMatchObject({
      n: '30',
      suppressed: 'false',
      reason: '',
    });

    expect(ideas.stdout).toMatch(
      /^id,area,theme,status,created_on,text\n\d+,nazareth,wonen,nieuw,\d{4}-\d\d-\d\d,Een bankje\n$/,
    );
    expect(sps.stdout).toContain("GET DATA\n  /TYPE=TXT\n  /FILE='responses.csv'");
    expect(sps.stdout).toContain('VALUE LABELS');
  }, 60_000);

  it('makes the codebook without a database', async () => {
    const result = await runCli(['export', 'codebook', '--format', 'md'], {
      ...setup.vars,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('#### `thuis` (scale5)');
  }, 30_000);

  it('refuses bad options with one line and exit code 2', async () => {
    const [format, ideas, date] = await Promise.all([
      runCli(['export', 'aggregates', '--format', 'xlsx'], setup.vars),
      runCli(['export', 'ideas', '--poll', 'thuis'], setup.vars),
      runCli(['export', 'responses', '--from', '2026-02-30x'], setup.vars),
    ]);
    expect(format).toMatchObject({ code: 2, stdout: '' });
    expect(format.stderr).toBe('export: --format is invalid: use json or csv for aggregates.\n');
    expect(ideas.stderr).toBe('export: --poll is invalid: ideas have no poll or wave.\n');
    expect(date.stderr).toBe('export: --from is invalid: expected a date like 2026-01-31.\n');
  }, 60_000);
});
