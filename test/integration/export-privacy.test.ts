import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolls } from '../../flows/polls/catalog.js';
import { createToken } from '../../src/auth/tokens.js';
import { createDb, ensureDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { DATASETS, type Dataset, ExportRequestSchema, writeExport } from '../../src/export/datasets.js';
import { ExportPool } from '../../src/export/pool.js';
import { mountApi } from '../../src/http/api.js';
import { sessionCookie } from '../../src/http/auth.js';
import { mountResults } from '../../src/http/results.js';
import { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { scrub } from '../../src/privacy/scrub.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

let setup: TestSetup;
let db: Kysely<Database>;

/** Residents of the identity store, with everything about them that must never reach an analyst. */
const RESIDENTS = Array.from({ length: 24 }, (_, i) => {
  const channel = (['telegram', 'whatsapp', 'console'] as const)[i % 3]!;
  const address =
    channel === 'telegram'
      ? String(738_000_000 + i * 7919)
      : channel === 'whatsapp'
        ? `3161234${String(5000 + i)}@s.whatsapp.net`
        : `Bewoner${['Marieke', 'Youssef', 'Anneke', 'Dragan'][i % 4]}${i}`;
  const name = `${['Marieke', 'Youssef', 'Anneke', 'Dragan', 'Fenna', 'Stijn'][i % 6]} Zwanikken${i}`;
  const street = `Kapoenstraat ${10 + i}`;
  return { channel, address, name, street, area: i % 2 === 0 ? 'nazareth' : 'pottenberg' };
});

/** Every string that would identify a resident: addresses, chat ids, phone numbers, names, streets. */
function secrets(): string[] {
  return RESIDENTS.flatMap((r) => [
    r.address,
    r.address.replace('@s.whatsapp.net', ''),
    r.name,
    r.name.split(' ')[1]!,
    r.street,
  ]);
}

function collect(): { out: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  return {
    out: new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    }),
    bytes: () => Buffer.concat(chunks),
  };
}

async function xlsxText(bytes: Buffer | ArrayBuffer): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as ArrayBuffer);
  const cells: string[] = [];
  workbook.eachSheet((sheet) =>
    sheet.eachRow((row) => {
      for (const v of (row.values as unknown[]).slice(1)) cells.push(String(v ?? ''));
    }),
  );
  return cells.join('\n');
}

beforeAll(async () => {
  setup = testSetup();
  await ensureDatabase(setup.env.DATABASE_URL);
  db = createDb(setup.env.DATABASE_URL, 2);
  await migrateToLatest(db as Kysely<unknown>);
  const pseudonyms = new Pseudonymizer(Buffer.from(setup.env.PSEUDONYM_KEY!, 'utf8'));
  for (const [i, r] of RESIDENTS.entries()) {
    const resident = await db
      .insertInto('residents')
      .values({
        channel: r.channel,
        address: r.address,
        language: 'nl',
        area: r.area,
        age_group: Buffer.from('41-65'),
        join_source: `qr ${r.name}`,
        created_at: new Date(),
        updated_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('conversations')
      .values({ resident_id: resident.id, state: JSON.stringify({ flow: 'idle', name: r.name }) })
      .execute();
    await db
      .insertInto('message_log')
      .values({
        resident_id: resident.id,
        direction: 'in',
        body: Buffer.from(`Ik ben ${r.name}, ${r.street}, bel 06-1234${i}`),
      })
      .execute();
    const respondent = pseudonyms.respondent(r.channel, r.address);
    const base = {
      respondent,
      wave_key: '',
      poll: 'veerkracht-kort',
      area: r.area,
      age_group: '41-65',
      language: 'nl',
      channel: r.channel,
      answered_on: '2026-03-03',
    };
    await db
      .insertInto('answers')
      .values([
        {
          ...base,
          question: 'thuis',
          indicator: 'thuis_in_buurt',
          answer_code: String(1 + (i % 5)),
          answer_number: 1 + (i % 5),
        },
        {
          ...base,
          question: 'hulp',
          indicator: 'toegang_hulp',
          answer_code: String(1 + ((i + 2) % 5)),
          answer_number: 1 + ((i + 2) % 5),
        },
        // What the engine stores: the resident's text after scrubbing. (The scrubber cannot know a
        // name typed in free text, so the seeded texts carry what it does remove.)
        {
          ...base,
          question: 'beter',
          text: scrub(
            `Ik woon op ${r.street}. Bel 06 1234 56${String(i).padStart(2, '0')} of mail ${r.name.split(' ')[0]!.toLowerCase()}@voorbeeld.nl`,
          ),
        },
      ])
      .execute();
    await db
      .insertInto('ideas')
      .values({
        resident_id: resident.id,
        text: scrub(`Moestuin bij ${r.street}, bel me op 0612345${String(600 + i)}`),
        theme: 'wonen',
        area: r.area,
        language: 'nl',
        created_at: new Date(),
        updated_at: new Date(),
      })
      .execute();
  }
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await setup?.cleanup();
});

describe('no output for analysts', () => {
  it('holds an address, chat id, name, street or resident id, in any export, format or page', async () => {
    const outputs = new Map<string, string>();
    const exports = new ExportPool({ databaseUrl: setup.env.DATABASE_URL, size: 2 });
    const ctx = { pool: exports, exports, db, minCell: 10, polls: loadPolls };
    for (const dataset of Object.keys(DATASETS) as Dataset[]) {
      for (const format of DATASETS[dataset]) {
        for (const panelIds of dataset === 'responses' ? [false, true] : [false]) {
          const s = collect();
          await writeExport(ExportRequestSchema.parse({ dataset, format, panelIds }), ctx, s.out);
          outputs.set(
            `${dataset}.${format}${panelIds ? ' (panel ids)' : ''}`,
            format === 'xlsx' ? await xlsxText(s.bytes()) : s.bytes().toString('utf8'),
          );
        }
      }
    }
    // The same over HTTP, and the results page.
    const http = new Hono();
    mountApi(http, { ...ctx, polls: loadPolls });
    mountResults(http, { ...ctx, polls: loadPolls }, sessionCookie('test'));
    const { token } = await createToken(db, 'admin');
    const headers = { authorization: `Bearer ${token}` };
    for (const path of [
      '/api/exports/responses.csv',
      '/api/exports/responses.jsonl',
      '/api/exports/responses.xlsx',
      '/api/exports/ideas.csv',
      '/api/aggregates.json',
      '/api/aggregates.csv',
      '/results',
    ]) {
      const res = await http.request(path, { headers });
      expect(res.status, path).toBe(200);
      outputs.set(path, path.endsWith('.xlsx') ? await xlsxText(await res.arrayBuffer()) : await res.text());
    }

    const residentIds = (await db.selectFrom('residents').select('id').execute()).map((r) => r.id);
    const forbidden = [...secrets(), ...residentIds];
    for (const [what, text] of outputs) {
      expect(text.length, what).toBeGreaterThan(0);
      for (const secret of forbidden) expect(text.includes(secret), `${what} contains ${secret}`).toBe(false);
      expect(/06[ -]?1234/.test(text), `${what} contains a phone number`).toBe(false);
      expect(/@voorbeeld\.nl/.test(text), `${what} contains an e-mail address`).toBe(false);
    }
    // The scan saw real data: the scrubbed texts and ideas are there, with placeholders.
    expect(outputs.get('responses.csv')).toContain('[adres]');
    expect(outputs.get('ideas.csv')).toContain('[telefoon]');
    expect(outputs.get('/results')).toContain('<svg');
    // 24 respondents, published rounded to a multiple of 5.
    expect(JSON.parse(outputs.get('aggregates.json')!).cells.some((c: { n: number }) => c.n === 25)).toBe(
      true,
    );
    await exports.close();
  }, 60_000);
});
