import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/connect.js';
import { runCli } from '../helpers/cli.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

// A help request end to end through the console simulator, as two people would use it: a
// resident and a wijkteam member, each with their own console identity, each run a separate process.

let setup: TestSetup;
let db: ReturnType<typeof createDb>;
const RESIDENT = 'bewoner-q7x2';
const STAFF = 'coline-wt';

beforeAll(() => {
  setup = testSetup({ ONBOARDING_POLL: 'false', QUIET_HOURS_START: '00:00', QUIET_HOURS_END: '00:00' });
  db = createDb(setup.env.DATABASE_URL, 2);
});
afterAll(async () => {
  await db.destroy();
  await setup.cleanup();
});

const chat = async (as: string, lines: string[]) => {
  const result = await runCli(['chat', '--as', as], setup.vars, `${lines.join('\n')}\n`, 60_000);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
};

describe('a help request through the console, end to end', () => {
  it('reaches a staff member, who answers; the resident answers back; closed and purged it leaves nothing', async () => {
    const added = await runCli(
      ['staff', 'add', '--channel', 'console', '--user', STAFF, '--role', 'wijkteam', '--name', 'Coline'],
      setup.vars,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/staff \d+ added/);

    const asked = await chat(RESIDENT, [
      'hallo',
      '1', // Nederlands
      'ja', // consent
      '1', // Nazareth
      '3', // 27–40
      'HULP',
      'ja', // a message from the wijkteam, please
      'Ik snap een brief van de gemeente niet',
    ]);
    expect(asked).toMatch(/Wil je dat iemand van het wijkteam je een bericht stuurt\?/);
    expect(asked).toMatch(/Iemand van het wijkteam stuurt je een bericht/);
    expect(asked).toMatch(/Werktijden: maandag t\/m vrijdag 09:00-17:00/);
    const request = await db.selectFrom('help_requests').selectAll().executeTakeFirstOrThrow();
    expect(request.status).toBe('open');
    const id = String(request.id);

    const staffFirst = await chat(STAFF, [
      '/hulpvragen',
      `/neem ${id}`,
      `/antwoord ${id} Hoi! Ik help je graag met die brief. Wanneer kan ik je bellen?`,
      'ja',
    ]);
    expect(staffFirst).toContain('Ik snap een brief van de gemeente niet');
    expect(staffFirst).toMatch(new RegExp(`Hulpvraag ${id} is nu van jou`));
    expect(staffFirst).toMatch(/Zo ziet de bewoner je bericht/);
    expect(staffFirst).toMatch(/Verstuurd naar de bewoner/);

    const answered = await chat(RESIDENT, ['Morgen om tien uur is goed']);
    expect(answered).toMatch(/Ik help je graag met die brief/);
    expect(answered).toMatch(/Groetjes, Coline — wijkteam Nazareth/);
    expect(answered).toMatch(/Antwoord gewoon op dit bericht/);
    expect(answered).toMatch(/doorgestuurd naar Coline/);

    const staffSecond = await chat(STAFF, [`/sluit ${id}`]);
    expect(staffSecond).toMatch(/De bewoner schrijft:\s+Morgen om tien uur is goed/);
    expect(staffSecond).toMatch(new RegExp(`Hulpvraag ${id} is gesloten`));
    // What the staff member saw never names the resident.
    expect(`${staffFirst}\n${staffSecond}`).not.toContain(RESIDENT);

    const messages = await db.selectFrom('help_messages').select(['author', 'text']).orderBy('id').execute();
    expect(messages.map((m) => m.author)).toEqual(['staff', 'resident']);

    // A month later the purge erases the closed request and its conversation.
    await sql`update help_requests set closed_at = now() - interval '31 days'`.execute(db);
    const purged = await runCli(['purge', '--json'], setup.vars);
    expect(purged.code, purged.stderr).toBe(0);
    expect(JSON.parse(purged.stdout)).toMatchObject({ helpRequests: 1 });
    const left = await sql<{ requests: number; messages: number }>`
      select (select count(*)::int from help_requests) as requests,
             (select count(*)::int from help_messages) as messages`.execute(db);
    expect(left.rows[0]).toEqual({ requests: 0, messages: 0 });

    const audit = await runCli(['audit'], setup.vars);
    expect(audit.code).toBe(0);
    for (const action of ['staff.add', 'help.list', 'help.take', 'help.reply', 'help.close']) {
      expect(audit.stdout).toMatch(
        new RegExp(`\\t(cli|staff:\\d+ \\(Coline\\))\\t${action.replace('.', '\\.')}\\t`),
      );
    }
    expect(audit.stdout).not.toContain(RESIDENT);
  }, 120_000);
});
