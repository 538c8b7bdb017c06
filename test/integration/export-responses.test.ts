import { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, ensureDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { exportResponsesJsonl } from '../../src/export/jsonl.js';
import { exportResponsesCsv, RESPONSE_COLUMNS, type ResponseFilters } from '../../src/export/responses.js';
import { exportResponsesXlsx } from '../../src/export/xlsx.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

const ROWS = 100_000;
const WAVE_A = '3f1c8a52-6f7e-4b7a-9c1d-2e5f8a9b0c1d';
const WAVE_B = '7a2d9b63-1e4f-4c8b-8d2e-3f6a9b0c1d2e';

let setup: TestSetup;
let db: Kysely<Database>;

/** Collects what an export writes. */
function sink(): { out: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks) };
}

/** A row as text in RESPONSE_COLUMNS order, missing values as ''. Arrays: 100,000 objects are slow. */
type Row = string[];
const C = Object.fromEntries(RESPONSE_COLUMNS.map((c, i) => [c, i])) as Record<
  (typeof RESPONSE_COLUMNS)[number],
  number
>;
const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

async function csvRows(
  filters: ResponseFilters = {},
  options: { delimiter?: ',' | ';'; bom?: boolean; panelIds?: boolean } = {},
): Promise<{ raw: string; header: string[]; rows: Row[] }> {
  const s = sink();
  await exportResponsesCsv(setup.env.DATABASE_URL, s.out, filters, options);
  const raw = s.bytes().toString('utf8');
  const [header, ...rows] = parse(raw, { bom: true, delimiter: options.delimiter ?? ',' }) as string[][];
  return { raw, header: header!, rows };
}

/** The stored rows as the export should show them, in export order. */
async function storedRows(where = sql`true`): Promise<Row[]> {
  const { rows } = await sql<Record<string, unknown>>`
    select respondent, wave_id::text as wave, poll, poll_version, question, indicator, area, age_group, language, channel,
      to_char(answered_on, 'YYYY-MM-DD') as answered_on, answer_code, answer_number, text
    from answers where ${where} order by answered_on, id`.execute(db);
  return rows.map((r) => RESPONSE_COLUMNS.map((c) => text(r[c])));
}

/** What a spreadsheet-safe CSV holds for a stored row: text cells that start like a formula get a `'`. */
function asCsv(row: Row): Row {
  return row.map((v, i) =>
    i !== C.answer_number && i !== C.answered_on && /^[-=+@\t\r]/.test(v) ? `'${v}` : v,
  );
}

/** Exports that re-key respondents must map stored pseudonyms one-to-one onto new, unrelated ids. */
function expectOneToOne(stored: Row[], exported: Row[]): Map<string, string> {
  expect(exported).toHaveLength(stored.length);
  const forward = new Map<string, string>();
  const backward = new Map<string, string>();
  for (let i = 0; i < stored.length; i++) {
    const s = stored[i]![C.respondent]!;
    const e = exported[i]![C.respondent]!;
    if (forward.has(s)) expect(forward.get(s)).toBe(e);
    if (backward.has(e)) expect(backward.get(e)).toBe(s);
    forward.set(s, e);
    backward.set(e, s);
  }
  return forward;
}

async function* utf8Text(chunks: AsyncIterable<Buffer>): AsyncIterable<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) yield decoder.write(chunk);
  yield decoder.end();
}

/**
 * Rows equal in every column (but the respondent, unless asked): compared as joined text, with a
 * readable diff of the first row that differs.
 */
function expectSameRows(actual: Row[], expected: Row[], what = 'rows', withRespondent = false) {
  expect(actual.length, what).toBe(expected.length);
  const from = withRespondent ? 0 : 1;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (a.slice(from).join('\u0001') !== e.slice(from).join('\u0001')) {
      const named = (r: Row) => Object.fromEntries(RESPONSE_COLUMNS.map((c, j) => [c, r[j]]).slice(from));
      expect(named(a), `${what}, row ${i}`).toEqual(named(e));
    }
  }
}

beforeAll(async () => {
  setup = testSetup();
  await ensureDatabase(setup.env.DATABASE_URL);
  db = createDb(setup.env.DATABASE_URL, 2);
  await migrateToLatest(db as Kysely<unknown>);
  // Texts that break naive CSV writers: separators, quotes, line breaks, accents, emoji, a formula.
  await sql`
    insert into answers (respondent, wave_id, wave_key, poll, question, indicator, answer_code,
      answer_number, text, area, age_group, language, channel, answered_on)
    select 'pseudo-' || (i / 4), w.id, coalesce(w.id::text, ''),
      (array['thuis', 'hulp', 'cijfer', 'veerkracht-kort'])[1 + i % 4],
      (array['thuis', 'hulp', 'cijfer', 'beter'])[1 + i % 4],
      (array['thuis_in_buurt', 'toegang_hulp', 'rapportcijfer_buurt', null])[1 + i % 4],
      case when i % 4 = 3 then null when i % 17 = 0 then 'weet_niet' when i % 4 = 2 then (1 + i % 10)::text
        else (1 + i % 5)::text end,
      case when i % 4 = 3 or i % 17 = 0 then null when i % 4 = 2 then 1 + i % 10 + ((i / 4) % 2) * 0.5
        else 1 + i % 5 end,
      case when i % 4 = 3 then (array['Meer bankjes, graag; en licht', 'Zeg "hallo"' || chr(10) || 'tegen mij',
        'Café für alle 🌳', '=SUM(A1)', 'gewoon'])[1 + (i / 4) % 5] end,
      (array['nazareth', 'pottenberg', 'elders', 'geen', null])[1 + i % 5],
      (array['tot18', '18-26', '27-40', '41-65', '65plus', null])[1 + i % 6],
      (array['nl', 'en'])[1 + i % 2],
      (array['whatsapp', 'telegram', 'console'])[1 + i % 3],
      date '2026-01-01' + (i % 90)
    from generate_series(0, ${ROWS - 1}) as i
    cross join lateral (select case (i / 4) % 3 when 0 then null when 1 then ${WAVE_A}::uuid
      else ${WAVE_B}::uuid end as id) w`.execute(db);
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await setup?.cleanup();
});

describe('the responses export', () => {
  let csv: Row[];
  let stored: Row[];

  it('as CSV parses back to exactly the stored rows, with respondents re-keyed one-to-one', async () => {
    const { raw, header, rows } = await csvRows();
    csv = rows;
    expect(raw.startsWith('respondent,wave,poll,poll_version,question,')).toBe(true);
    expect(header).toEqual([...RESPONSE_COLUMNS]);
    expect(rows).toHaveLength(ROWS);
    stored = await storedRows();
    expect(stored.some((r) => r[C.text] === '=SUM(A1)')).toBe(true);
    expectSameRows(rows, stored.map(asCsv));
    const mapping = expectOneToOne(stored, rows);
    expect(mapping.size).toBe(ROWS / 4);
    for (const [pseudonym, exported] of mapping) expect(exported).not.toBe(pseudonym);
  }, 30_000);

  it('with ; and a byte order mark holds the same rows (Dutch Excel)', async () => {
    const { raw, rows } = await csvRows({ poll: 'veerkracht-kort' }, { delimiter: ';', bom: true });
    expect(raw.charCodeAt(0)).toBe(0xfeff);
    expect(raw.slice(1).startsWith('respondent;wave;poll;')).toBe(true);
    expect(raw).toContain('"Meer bankjes, graag; en licht"');
    expectSameRows(
      rows,
      csv.filter((r) => r[C.poll] === 'veerkracht-kort'),
    );
  }, 30_000);

  it('gives every export new respondent ids, so two exports cannot be joined', async () => {
    const first = await csvRows({ poll: 'thuis' });
    const second = await csvRows({ poll: 'thuis' });
    const a = new Set(first.rows.map((r) => r[C.respondent]));
    expect(second.rows.some((r) => a.has(r[C.respondent]))).toBe(false);
    expectOneToOne(first.rows, second.rows);
  }, 30_000);

  it('keeps the stored pseudonyms as panel ids only when asked for', async () => {
    const { rows } = await csvRows({ poll: 'cijfer' }, { panelIds: true });
    expectSameRows(rows, (await storedRows(sql`poll = 'cijfer'`)).map(asCsv), 'panel ids', true);
  }, 30_000);

  it('as XLSX read back with exceljs equals the stored rows, respondents as in the CSV', async () => {
    const s = sink();
    await exportResponsesXlsx(setup.env.DATABASE_URL, s.out);
    // The streaming reader: loading a 100,000-row workbook whole takes three times as long.
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([s.bytes()]), {
      sharedStrings: 'cache',
      worksheets: 'emit',
    });
    const rows: Row[] = [];
    let header: unknown[] = [];
    let numbersAreNumbers = true;
    let sheets = 0;
    for await (const sheet of reader) {
      sheets += 1;
      // exceljs 4.4's streaming reader decodes every inflated chunk on its own, garbling a character
      // split between two chunks (the written file is valid UTF-8); hand it text decoded as a whole.
      const parts = sheet as unknown as { iterator: AsyncIterable<Buffer | string> };
      parts.iterator = utf8Text(parts.iterator as AsyncIterable<Buffer>);
      for await (const row of sheet) {
        const values = (row.values as unknown[]).slice(1);
        if (row.number === 1) {
          header = values;
          continue;
        }
        const number = values[C.answer_number];
        if (number != null && typeof number !== 'number') numbersAreNumbers = false;
        rows.push(RESPONSE_COLUMNS.map((_, i) => text(values[i])));
      }
    }
    expect(sheets).toBe(1);
    expect(header).toEqual([...RESPONSE_COLUMNS]);
    expect(numbersAreNumbers).toBe(true);
    expectSameRows(rows, stored, 'xlsx');
    expectOneToOne(csv, rows);
  }, 40_000);

  it('as JSON Lines equals the stored rows, with numbers as numbers and null for missing values', async () => {
    const s = sink();
    await exportResponsesJsonl(setup.env.DATABASE_URL, s.out);
    const lines = s.bytes().toString('utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(ROWS);
    const objects = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(objects[0]!)).toEqual([...RESPONSE_COLUMNS]);
    expect(
      objects.some((o) => typeof o.answer_number === 'number' && !Number.isInteger(o.answer_number)),
    ).toBe(true);
    expect(objects.some((o) => o.wave === null && o.text === null)).toBe(true);
    expect(objects.some((o) => o.text === '')).toBe(false);
    const rows = objects.map((o) => RESPONSE_COLUMNS.map((c) => text(o[c])));
    expectSameRows(rows, stored, 'jsonl');
    expectOneToOne(csv, rows);
  }, 30_000);

  it('filters by poll, wave, area and date range', async () => {
    // The full CSV already equals the stored rows, so each filtered export must equal its slice of it.
    const cases: [ResponseFilters, (r: Row) => boolean][] = [
      [{ poll: 'hulp' }, (r) => r[C.poll] === 'hulp'],
      [{ wave: WAVE_A }, (r) => r[C.wave] === WAVE_A],
      [{ wave: 'onboarding-2026-02' }, (r) => r[C.wave] === '' && r[C.answered_on]!.startsWith('2026-02')],
      [{ area: 'pottenberg' }, (r) => r[C.area] === 'pottenberg'],
      [
        { from: '2026-02-10', to: '2026-02-20' },
        (r) => r[C.answered_on]! >= '2026-02-10' && r[C.answered_on]! <= '2026-02-20',
      ],
      [
        { poll: 'thuis', area: 'nazareth', wave: WAVE_B, to: '2026-01-31' },
        (r) =>
          r[C.poll] === 'thuis' &&
          r[C.area] === 'nazareth' &&
          r[C.wave] === WAVE_B &&
          r[C.answered_on]! <= '2026-01-31',
      ],
    ];
    for (const [filters, keep] of cases) {
      const { rows } = await csvRows(filters);
      const expected = csv.filter(keep);
      expect(rows.length, JSON.stringify(filters)).toBeGreaterThan(0);
      expectSameRows(rows, expected, JSON.stringify(filters));
    }
  }, 30_000);
});
