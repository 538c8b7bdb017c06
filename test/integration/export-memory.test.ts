import { execFile } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, ensureDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { RESPONSE_COLUMNS } from '../../src/export/responses.js';
import { ROOT } from '../helpers/cli.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

const run = promisify(execFile);

/**
 * Exports stream: memory stays flat however many rows there are. The bench measures 1,000,000 rows
 * (`npm run bench -- export`); this test uses fewer, enough that an export which keeps rows alive too
 * long fails it: the XLSX export that fetched 1,000 rows at a time grew by about 70 MB here, against
 * 3 MB now (JSON Lines: about 20 MB).
 */
const ROWS = 200_000;
const MAX_GROWTH_MB = 40;

let setup: TestSetup;
let db: Kysely<Database>;
let dir: string;

/**
 * Runs one export in a process of its own (test/helpers/export-peak.ts), as the CLI runs one, and
 * returns how much its peak resident memory grew while exporting.
 */
async function exportAlone(format: 'xlsx' | 'jsonl'): Promise<{ path: string; growthMb: number }> {
  const path = join(dir, `responses.${format}`);
  const helper = fileURLToPath(new URL('../helpers/export-peak.ts', import.meta.url));
  const { stdout } = await run(process.execPath, ['--import', 'tsx', helper, format, path], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: setup.env.DATABASE_URL },
    timeout: 120_000,
  });
  const { growthMb } = JSON.parse(stdout) as { growthMb: number };
  return { path, growthMb };
}

beforeAll(async () => {
  setup = testSetup();
  dir = mkdtempSync(join(tmpdir(), 'straatpraat-export-memory-'));
  await ensureDatabase(setup.env.DATABASE_URL);
  db = createDb(setup.env.DATABASE_URL, 2);
  await migrateToLatest(db as Kysely<unknown>);
  // As the stored pseudonyms are: 64 hex characters, residents answering many questions.
  await sql`
    insert into answers (respondent, wave_id, wave_key, poll, question, indicator, answer_code,
      answer_number, text, area, age_group, language, channel, answered_on)
    select encode(sha256(((g % 5000)::text)::bytea), 'hex'), md5('wave' || (g / 5000))::uuid,
      md5('wave' || (g / 5000))::uuid::text, 'veerkracht-kort', (array['thuis', 'hulp', 'vertrouwen'])[1 + g % 3],
      (array['thuis_in_buurt', 'toegang_hulp', 'vertrouwen_instituties'])[1 + g % 3], (1 + g % 5)::text,
      1 + g % 5, case when g % 50 = 0 then 'Meer bankjes, graag' end, (array['nazareth', 'pottenberg'])[1 + g % 2],
      '27-40', 'nl', 'whatsapp', date '2026-01-01' + (g % 300)
    from generate_series(1, ${ROWS}) g`.execute(db);
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await setup?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`exports of ${ROWS.toLocaleString('en')} answers`, () => {
  it('write a valid XLSX file with every row while memory stays flat', async () => {
    const { path, growthMb } = await exportAlone('xlsx');
    expect(growthMb, `peak RSS growth ${growthMb} MB`).toBeLessThan(MAX_GROWTH_MB);

    // Read back as a spreadsheet program would, row by row.
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(path), {});
    let rows = 0;
    let header: unknown[] = [];
    let last: unknown[] = [];
    let sheets = 0;
    for await (const sheet of reader) {
      sheets += 1;
      for await (const row of sheet) {
        const values = (row.values as unknown[]).slice(1);
        if (row.number === 1) header = values;
        else {
          rows += 1;
          last = values;
        }
      }
    }
    expect(sheets).toBe(1);
    expect(header).toEqual([...RESPONSE_COLUMNS]);
    expect(rows).toBe(ROWS);
    expect(last[RESPONSE_COLUMNS.indexOf('answered_on')]).toBe('2026-10-27');
    expect(typeof last[RESPONSE_COLUMNS.indexOf('answer_number')]).toBe('number');
  }, 120_000);

  it('write every row as JSON Lines while memory stays flat', async () => {
    const { path, growthMb } = await exportAlone('jsonl');
    expect(growthMb, `peak RSS growth ${growthMb} MB`).toBeLessThan(MAX_GROWTH_MB);
    let lines = 0;
    let buffered = '';
    for await (const chunk of createReadStream(path, 'utf8')) {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const line of parts) {
        if (lines === 0) expect(Object.keys(JSON.parse(line))).toEqual([...RESPONSE_COLUMNS]);
        lines += 1;
      }
    }
    expect(buffered).toBe('');
    expect(lines).toBe(ROWS);
  }, 120_000);
});
