import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/connect.js';
import { exportResponsesCsv } from '../../src/export/responses.js';
import { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { runCli } from '../helpers/cli.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

let setup: TestSetup;
let db: ReturnType<typeof createDb>;
const NAME = 'journey-anna';

beforeAll(() => {
  setup = testSetup();
  db = createDb(setup.env.DATABASE_URL, 2);
});
afterAll(async () => {
  await db.destroy();
  await setup.cleanup();
});

/** Rows in every table that point at the resident (by id, or by pseudonym in the monitor store). */
async function rowsAbout(residentId: string, respondent: string): Promise<Record<string, number>> {
  const count = async (query: Promise<{ n: number }[]>) => Number((await query)[0]?.n ?? 0);
  const byResident = (table: string, column = 'resident_id') =>
    count(
      sql<{
        n: number;
      }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(column)} = ${residentId}`
        .execute(db)
        .then((r) => r.rows),
    );
  return {
    residents: await byResident('residents', 'id'),
    conversations: await byResident('conversations'),
    inbound_ledger: await byResident('inbound_ledger'),
    outbound_messages: await byResident('outbound_messages'),
    message_log: await byResident('message_log'),
    ideas: await byResident('ideas'),
    answers: await count(
      sql<{ n: number }>`select count(*)::int as n from answers where respondent = ${respondent}`
        .execute(db)
        .then((r) => r.rows),
    ),
  };
}

describe('a resident through the console, end to end', () => {
  it('joins, answers veerkracht-kort, sends an idea, sees their data, and is erased completely', async () => {
    const session = [
      'Hallo',
      '1', // Nederlands
      'ja', // consent
      '1', // Nazareth
      '3', // 27–40
      '4', // thuis: Ja, meestal
      'niet echt', // hulp: 2
      '5', // vertrouwen
      'Meer bankjes op het plein', // Wat kan beter?
      'IDEE',
      'Een moestuin bij de school. Bel me op 06-12345678',
      '4', // wonen en buurt
      'GEGEVENS',
    ];
    const first = await runCli(['chat', '--as', NAME], setup.vars, `${session.join('\n')}\n`, 60_000);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Buurt: Nazareth/);

    const resident = await db
      .selectFrom('residents')
      .selectAll()
      .where('address', '=', NAME)
      .executeTakeFirstOrThrow();
    expect(resident.area).toBe('nazareth');
    const idea = await db
      .selectFrom('ideas')
      .selectAll()
      .where('resident_id', '=', resident.id)
      .executeTakeFirstOrThrow();
    expect(idea.text).toBe('Een moestuin bij de school. Bel me op [telefoon]');
    expect(idea.theme).toBe('wonen');

    const exported = await runCli(['export', 'responses', '--format', 'csv'], setup.vars);
    expect(exported.code).toBe(0);
    const [header, ...rows] = exported.stdout.trim().split('\n');
    expect(header).toBe(
      'respondent,wave,poll,poll_version,question,indicator,area,age_group,language,channel,answered_on,answer_code,answer_number,text',
    );
    const scored = rows.map((r) => r.split(',')).filter((c) => c[5] !== '');
    expect(scored.map((c) => [c[3], c[4], c[5], c[6], c[11]])).toEqual([
      ['1', 'thuis', 'thuis_in_buurt', 'nazareth', '4'],
      ['1', 'hulp', 'toegang_hulp', 'nazareth', '2'],
      ['1', 'vertrouwen', 'vertrouwen_instituties', 'nazareth', '5'],
    ]);
    expect(exported.stdout).not.toContain(NAME);

    const respondent = new Pseudonymizer(Buffer.from(setup.env.PSEUDONYM_KEY!, 'utf8')).respondent(
      'console',
      NAME,
    );
    const before = await rowsAbout(resident.id, respondent);
    expect(before.residents).toBe(1);
    expect(before.answers).toBe(4);
    expect(before.ideas).toBe(1);
    expect(before.message_log).toBeGreaterThan(10);

    const second = await runCli(['chat', '--as', NAME], setup.vars, 'VERWIJDER\nja\n', 60_000);
    expect(second.code).toBe(0);
    const after = await rowsAbout(resident.id, respondent);
    expect(after).toEqual({
      residents: 0,
      conversations: 0,
      inbound_ledger: 0,
      outbound_messages: 0,
      message_log: 0,
      ideas: 0,
      answers: 0,
    });
    // The goodbye still reached the resident.
    expect(second.stdout.split('Straatpraat ›').length).toBeGreaterThanOrEqual(3);
  }, 120_000);
});

describe('the monitor store and the export', () => {
  it('hold no address or chat id of any resident', async () => {
    const addresses = ['31612345678', '987654321', 'bewoner-scan'];
    for (const address of addresses) {
      const r = await runCli(
        ['chat', '--as', address],
        setup.vars,
        'hello\n2\nyes\n2\n6\n5\n4\n3\nMy number is 0612345678, mail me at a@b.nl\n',
        60_000,
      );
      expect(r.code).toBe(0);
    }
    const answers = await sql<{ row: string }>`select answers::text as row from answers`.execute(db);
    expect(answers.rows.length).toBeGreaterThanOrEqual(addresses.length * 4);
    let csv = '';
    await exportResponsesCsv(
      setup.env.DATABASE_URL,
      new Writable({
        write(chunk, _enc, done) {
          csv += chunk;
          done();
        },
      }),
    );
    for (const address of addresses) {
      for (const row of answers.rows) expect(row.row).not.toContain(address);
      expect(csv).not.toContain(address);
    }
    expect(csv).not.toContain('0612345678');
    expect(csv).toContain('[telefoon]');
    expect(csv).toContain('[e-mail]');
  }, 120_000);
});
