import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initAuthCreds } from '@whiskeysockets/baileys';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgAuthStore } from '../../adapters/whatsapp/auth-store.js';
import { converse } from '../../flows/conversation.js';
import { loadTexts } from '../../flows/i18n/texts.js';
import { questionRef } from '../../flows/poll.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { flowConfig, prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import type { Database } from '../../src/db/schema.js';
import type { InboundMessage, InboundPayload } from '../../src/domain/messages.js';
import { Engine } from '../../src/engine/engine.js';
import { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { dataKeySealer } from '../../src/privacy/sealed.js';
import { PG_BASE, type TestSetup, testSetup } from '../helpers/env.js';

// Someone holds a `pg_dump` of the whole database, without the pseudonym key and the data key. Can
// they tell which phone number gave which answers? Two hundred residents join, answer the onboarding
// poll (a free-text answer among it) and some ask the wijkteam for help, all through the real engine;
// then the dump is loaded into a fresh database and attacked with SQL: text joins, the coded answers
// of the message log, and quasi-identifiers (area, age group, language, channel, day).

const RESIDENTS = 200;
const polls = loadPolls();
const POLL = polls.get('veerkracht-kort')!;

let setup: TestSetup;
let db: Kysely<Database>;
let restored: Kysely<Database>;
let dumpText: string;
const restoredName = `straatpraat_dump_${process.pid}_${Date.now()}`;

/** A small seeded random generator, so the population is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Person {
  channel: 'whatsapp' | 'telegram' | 'console';
  address: string;
  language: 'nl' | 'en';
  area: number;
  age: number;
  scores: string[];
  idea: string;
  help?: { subject: string; message: string };
}

/** A neighbourhood: mostly Dutch, mostly WhatsApp, every area and age group. */
function population(): Person[] {
  const r = random(14);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: RESIDENTS }, (_, i) => {
    const roll = r();
    const channel = roll < 0.6 ? 'whatsapp' : roll < 0.9 ? 'telegram' : 'console';
    const address =
      channel === 'whatsapp'
        ? `3161${String(1_000_000 + i * 7_919).padStart(7, '0')}@s.whatsapp.net`
        : channel === 'telegram'
          ? String(700_000_000 + i * 104_729)
          : `bewoner-${i}`;
    const street = pick(['Kastanjelaan', 'Meerssenerweg', 'Edisonstraat', 'Voltastraat']);
    return {
      channel,
      address,
      language: r() < 0.8 ? 'nl' : 'en',
      area: 1 + Math.floor(r() * 4),
      // Option 1 is "Jonger dan 16", which ends taking part: everyone here is 16 or older.
      age: 2 + Math.floor(r() * 5),
      scores: POLL.questions.filter((q) => q.type !== 'text').map(() => String(1 + Math.floor(r() * 5))),
      idea: `Meer groen bij de ${street}, plan ${i} van ons, zonnebloemen nummer ${1000 + i}`,
      ...(i % 5 === 0 && {
        help: {
          subject: `Hulp bij de huurtoeslag ${i}, formulier kwijtgeraakt`,
          message: `Bel me gerust op mijn vaste nummer, kenmerk huurzaak-${i}-${street}`,
        },
      }),
    };
  });
}

const people = population();

/** What a person sends, in order: joining, the onboarding poll, then perhaps a help request. */
function script(p: Person): InboundPayload[] {
  const text = (t: string): InboundPayload => ({ kind: 'text', text: t });
  const answers = POLL.questions.map((q, n) => {
    if (q.type === 'text') return text(p.idea);
    const code = p.scores[n]!;
    // Telegram residents press buttons: the log would show the code and the question.
    return p.channel === 'telegram'
      ? ({ kind: 'choice', ref: questionRef(POLL.id, q.id), value: code } as const)
      : text(code);
  });
  return [
    text('hallo'),
    text(p.language === 'nl' ? '1' : '2'),
    text(p.language === 'nl' ? 'ja' : 'yes'),
    text(String(p.area)),
    text(String(p.age)),
    ...answers,
    ...(p.help ? [text('HULP'), text('1'), text(p.help.subject), text(p.help.message)] : []),
  ];
}

async function seed(): Promise<void> {
  const engine = new Engine({
    db,
    pseudonyms: new Pseudonymizer(Buffer.from(setup.env.PSEUDONYM_KEY!, 'utf8')),
    flow: converse,
    context: { config: flowConfig(setup.env), texts: loadTexts(), polls },
  });
  const scripts = people.map(script);
  const longest = Math.max(...scripts.map((s) => s.length));
  let n = 0;
  for (let step = 0; step < longest; step++) {
    // One message of every resident per batch, as the inbound workers would hand them over.
    const batch: InboundMessage[] = [];
    for (const [i, p] of people.entries()) {
      const payload = scripts[i]![step];
      if (!payload) continue;
      batch.push({
        channel: p.channel,
        address: p.address,
        platformId: `dump-${i}-${step}-${n++}`,
        sentAt: new Date().toISOString(),
        payload,
      });
    }
    for (let i = 0; i < batch.length; i += 50) await engine.handleBatch(batch.slice(i, i + 50));
  }
  // The linked WhatsApp device's credentials.
  const store = new PgAuthStore(db, dataKeySealer);
  const creds = initAuthCreds();
  await store.saveCreds(creds);
  whatsappSecret = Buffer.from(creds.noiseKey.private).toString('base64');
}
let whatsappSecret = '';

beforeAll(async () => {
  setup = testSetup();
  await prepareStorage(setup.env);
  db = createDb(setup.env.DATABASE_URL, 4);
  await seed();
  const dir = mkdtempSync(join(tmpdir(), 'straatpraat-dump-'));
  const file = join(dir, 'dump.sql');
  execFileSync('pg_dump', ['--no-owner', '--file', file, setup.env.DATABASE_URL]);
  dumpText = readFileSync(file, 'utf8');
  const admin = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
  await admin.connect();
  await admin.query(`create database ${restoredName}`);
  await admin.end();
  execFileSync(
    'psql',
    ['--quiet', '--set', 'ON_ERROR_STOP=1', '--file', file, `${PG_BASE}/${restoredName}`],
    {
      stdio: 'ignore',
    },
  );
  restored = createDb(`${PG_BASE}/${restoredName}`, 2);
}, 240_000);

afterAll(async () => {
  await restored?.destroy();
  await db?.destroy();
  const admin = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
  await admin.connect();
  await admin.query(`drop database if exists ${restoredName} with (force)`);
  await admin.end();
  await setup?.cleanup();
});

/** The attacker's table of contents: every table and column of the restored copy, by schema. */
async function columns(): Promise<{ schema: string; table: string; column: string; type: string }[]> {
  const { rows } = await sql<{ schema: string; table: string; column: string; type: string }>`
    select c.table_schema as schema, c.table_name as table, c.column_name as column, c.data_type as type
    from information_schema.columns c join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema not in ('pg_catalog', 'information_schema') and c.table_name not like 'kysely_%'
    order by c.table_schema, c.table_name, c.ordinal_position`.execute(restored);
  return rows;
}

/** Everything the copy shows per resident: each row that leads to them, read as text where it can be. */
async function identityRows(): Promise<Map<string, string[]>> {
  const cols = await columns();
  const tables = new Map<string, typeof cols>();
  for (const c of cols)
    tables.set(`${c.schema}.${c.table}`, [...(tables.get(`${c.schema}.${c.table}`) ?? []), c]);
  // bytea is read as text where its bytes are text (escape encoding shows printable bytes as they are).
  const asText = (c: { column: string; type: string }) =>
    c.type === 'bytea' ? sql`encode(t.${sql.ref(c.column)}, 'escape')` : sql`t.${sql.ref(c.column)}::text`;
  const blob = (cs: typeof cols) => sql`concat_ws(' | ', ${sql.join(cs.map(asText))})`;
  const out = new Map<string, string[]>();
  const add = (rows: { resident: string | null; blob: string | null }[]) => {
    for (const r of rows) if (r.resident) out.set(r.resident, [...(out.get(r.resident) ?? []), r.blob ?? '']);
  };
  for (const [name, cs] of tables) {
    const [schema, table] = name.split('.') as [string, string];
    const from = sql`${sql.table(`${schema}.${table}`)} t`;
    const names = cs.map((c) => c.column);
    const all = blob(cs);
    let rows: { resident: string | null; blob: string | null }[] = [];
    if (table === 'residents') {
      rows = (
        await sql<{
          resident: string;
          blob: string;
        }>`select t.id::text as resident, ${all} as blob from ${from}`.execute(restored)
      ).rows;
    } else if (names.includes('resident_id')) {
      rows = (
        await sql<{
          resident: string;
          blob: string;
        }>`select t.resident_id::text as resident, ${all} as blob from ${from}`.execute(restored)
      ).rows;
    } else if (names.includes('request_id')) {
      rows = (
        await sql<{
          resident: string;
          blob: string;
        }>`select h.resident_id::text as resident, ${all} as blob from ${from} join public.help_requests h on h.id = t.request_id`.execute(
          restored,
        )
      ).rows;
    } else if (names.includes('idea_id')) {
      rows = (
        await sql<{
          resident: string;
          blob: string;
        }>`select i.resident_id::text as resident, ${all} as blob from ${from} join public.ideas i on i.id = t.idea_id`.execute(
          restored,
        )
      ).rows;
    }
    add(rows);
  }
  return out;
}

interface Answer {
  respondent: string;
  question: string;
  answer_code: string | null;
  text: string | null;
  area: string | null;
  age_group: string | null;
  language: string | null;
  channel: string | null;
  answered_on: string;
}

/** The monitor store as the copy shows it, wherever its table lives. */
async function answers(): Promise<Answer[]> {
  const { rows } = await sql<Answer>`
    select respondent, question, answer_code, text, area, age_group, language, channel,
      to_char(answered_on, 'YYYY-MM-DD') as answered_on
    from answers`.execute(restored);
  return rows;
}

const AGE_GROUPS = ['16-26', '27-40', '41-65', '65plus', 'geen'];
const day = (d: string) => d.slice(0, 10);

describe('a copy of the whole database (pg_dump), without the keys', () => {
  it('shows no text a resident sent outside the monitor, and not the WhatsApp link', () => {
    expect(dumpText).toContain('COPY'); // a real dump with data
    for (const p of people) {
      if (!p.help) continue;
      // The help request's subject and message, as the resident wrote them.
      expect(dumpText.includes(`huurzaak-${people.indexOf(p)}-`), 'help message in the dump').toBe(false);
      expect(dumpText.includes(p.help.subject), 'help subject in the dump').toBe(false);
    }
    expect(whatsappSecret.length).toBeGreaterThan(20);
    expect(dumpText.includes(whatsappSecret), 'WhatsApp private key in the dump').toBe(false);
  });

  it('links no answer to a resident by any text of the identity store', async () => {
    const identity = await identityRows();
    expect(identity.size).toBe(RESIDENTS);
    const texts = (await answers()).filter((a) => a.text && a.text.length >= 8);
    expect(texts.length).toBe(RESIDENTS);
    const { rows: questions } = await sql<{ text: string }>`select text from session_questions`.execute(
      restored,
    );
    const monitorTexts = [...texts.map((a) => a.text!), ...questions.map((q) => q.text)];
    let linked = 0;
    for (const text of monitorTexts) {
      const holders = [...identity].filter(([, blobs]) => blobs.some((b) => b.includes(text)));
      if (holders.length === 1) linked++;
    }
    expect(linked, 'free-text answers found back in the identity store').toBe(0);
  });

  it('links no respondent to a resident by the coded answers in the log', async () => {
    const identity = await identityRows();
    const byRespondent = new Map<string, Set<string>>();
    for (const a of await answers()) {
      if (!a.answer_code) continue;
      const set = byRespondent.get(a.respondent) ?? new Set<string>();
      set.add(`${a.question}=${a.answer_code}`);
      byRespondent.set(a.respondent, set);
    }
    // What each resident's rows say they pressed or typed, as question=code.
    const pressed = new Map<string, Set<string>>();
    for (const [resident, blobs] of identity) {
      const set = new Set<string>();
      for (const b of blobs) {
        for (const m of b.matchAll(/\[(?:button|vote) q:[^:\]]+:([^=\]]+)=([^\]]+)\]/g))
          set.add(`${m[1]}=${m[2]}`);
      }
      if (set.size > 0) pressed.set(resident, set);
    }
    let linked = 0;
    for (const codes of byRespondent.values()) {
      const fits = [...pressed.values()].filter((s) => [...s].every((c) => codes.has(c)) && s.size > 0);
      if (fits.length === 1 && [...fits[0]!].length === codes.size) linked++;
    }
    expect(linked, 'respondents found back through the coded answers of the log').toBe(0);
  });

  it('links no respondent to a resident by area, age group, language, channel and day', async () => {
    const identity = await identityRows();
    const { rows: residents } = await sql<{
      id: string;
      area: string | null;
      age: string | null;
      language: string | null;
      channel: string;
    }>`select id::text, area, encode(age_group::bytea, 'escape') as age, language, channel from residents`.execute(
      restored,
    );
    // Days each resident was seen: any date or time in any of their rows.
    const seen = new Map<string, Set<string>>();
    for (const [resident, blobs] of identity) {
      seen.set(
        resident,
        new Set(blobs.flatMap((b) => [...b.matchAll(/\d{4}-\d{2}-\d{2}/g)].map((m) => m[0]))),
      );
    }
    const respondents = new Map<string, Answer>();
    const days = new Map<string, Set<string>>();
    for (const a of await answers()) {
      respondents.set(a.respondent, a);
      days.set(a.respondent, (days.get(a.respondent) ?? new Set()).add(day(a.answered_on)));
    }
    expect(respondents.size).toBe(RESIDENTS);
    // A stored day may stand for its week: the resident must have been seen within 7 days of it.
    const seenNear = (resident: string, d: string) => {
      const start = new Date(`${d}T00:00:00Z`).getTime();
      return [...(seen.get(resident) ?? [])].some((s) => {
        const t = new Date(`${s}T00:00:00Z`).getTime();
        return t >= start - 86_400_000 && t < start + 7 * 86_400_000;
      });
    };
    let unique = 0;
    for (const [respondent, a] of respondents) {
      const candidates = residents.filter(
        (r) =>
          r.area === a.area &&
          r.language === a.language &&
          (a.channel === null || r.channel === a.channel) &&
          (a.age_group === null || !AGE_GROUPS.includes(r.age ?? '') || r.age === a.age_group) &&
          [...days.get(respondent)!].every((d) => seenNear(r.id, d)),
      );
      if (candidates.length === 1) unique++;
    }
    expect(unique, 'respondents singled out by quasi-identifiers').toBe(0);
  });

  it('lets the export role read the monitor schema and nothing else', async () => {
    const client = new pg.Client({ connectionString: setup.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query('set role straatpraat_monitor_reader');
      await expect(client.query('select count(*) from monitor.answers')).resolves.toBeTruthy();
      for (const table of ['residents', 'message_log', 'help_messages', 'whatsapp_auth', 'ideas']) {
        await expect(client.query(`select 1 from public.${table} limit 1`), table).rejects.toThrow(
          /permission denied/,
        );
      }
    } finally {
      await client.end();
    }
  });
});
