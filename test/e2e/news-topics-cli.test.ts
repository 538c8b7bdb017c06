import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, CONSENT_VERSION, prepareStorage, startApp } from '../../src/app.js';
import { AGE_GROUP } from '../../src/db/sealed-columns.js';
import type { AgeGroup } from '../../src/domain/resident.js';
import { createLogger } from '../../src/log.js';
import { seal } from '../../src/privacy/sealed.js';
import { consoleMessage } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { eventually, type TestSetup, testSetup } from '../helpers/env.js';

// `flash send --topic … --age-group …` as the wijkteam runs it, with residents who chose their
// topics with NIEUWS through the running app.

let setup: TestSetup;
let app: App;

const RESIDENTS: [address: string, age: AgeGroup][] = [
  ['nc-senior-ouderen', '65plus'],
  ['nc-senior-all', '65plus'],
  ['nc-young-jongeren', '16-26'],
  ['nc-young-all', '18-26'],
];

beforeAll(async () => {
  setup = testSetup({ QUIET_HOURS_START: '00:00', QUIET_HOURS_END: '00:00' });
  await prepareStorage(setup.env);
  app = await startApp({ env: setup.env, log: createLogger('silent'), role: 'all', http: false });
  await app.db
    .insertInto('residents')
    .values(
      RESIDENTS.map(([address, age]) => ({
        channel: 'console',
        address,
        area: 'nazareth',
        language: 'nl',
        age_group: seal(age, AGE_GROUP),
        consent_version: CONSENT_VERSION,
        consent_at: new Date(),
      })),
    )
    .execute();
  for (const [address, choice] of [
    ['nc-senior-ouderen', '4'],
    ['nc-young-jongeren', 'jongeren'],
  ] as const) {
    await app.ingress.accept(consoleMessage(address, 'NIEUWS'));
    await app.ingress.accept(consoleMessage(address, choice));
  }
  await eventually(
    async () => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from residents where news_topics is not null`.execute(app.db);
      return rows[0]!.n === 2;
    },
    20_000,
    'both choices stored',
  );
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await setup?.cleanup();
});

const cli = (...args: string[]) => runCli(args, setup.vars, '', 60_000);

async function reached(broadcastId: string): Promise<string[]> {
  const { rows } = await sql<{ address: string }>`
    select r.address from outbound_messages o join residents r on r.id = o.resident_id
    where o.broadcast_id = ${broadcastId} order by r.address`.execute(app.db);
  return rows.map((r) => r.address);
}

describe('flash send with news topics and age groups', () => {
  it('a resident subscribed to "ouderen" only gets the 65+ flash and not the youth one', async () => {
    const senior = await cli(
      'flash',
      'send',
      '--text-nl',
      'Koffieochtend voor 65+ in het Trefpunt.',
      '--topic',
      'ouderen',
      '--age-group',
      '65+',
      '--wait',
      '--json',
    );
    expect(senior.stderr).toBe('');
    expect(senior.code).toBe(0);
    const s = JSON.parse(senior.stdout) as { broadcastId: string; audience: number; queued: number };
    expect(s.audience).toBe(2);
    expect(s.queued).toBe(2);
    expect(await reached(s.broadcastId)).toEqual(['nc-senior-all', 'nc-senior-ouderen']);

    const youth = await cli(
      'flash',
      'send',
      '--text-nl',
      'Jongerenavond in de sporthal.',
      '--topic',
      'jongeren',
      '--wait',
    );
    expect(youth.code).toBe(0);
    expect(youth.stdout).toMatch(
      /to: +all areas · all languages · all channels · topics jongeren \(3 residents now\)/,
    );
    const { rows } = await sql<{ id: string }>`
      select id from broadcasts where kind = 'flash' and id <> ${s.broadcastId}`.execute(app.db);
    expect(await reached(rows[0]!.id)).toEqual(['nc-senior-all', 'nc-young-all', 'nc-young-jongeren']);
  }, 60_000);

  it('shows the topics and age groups in the human output', async () => {
    const r = await cli(
      'flash',
      'send',
      '--text-nl',
      'Bingo.',
      '--topic',
      'ouderen,activiteiten',
      '--age-group',
      '65plus',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/topics ouderen\+activiteiten · ages 65plus \(2 residents now\)/);
  }, 60_000);

  it('refuses a topic that is not in the topics file, and an unknown age group, with exit code 2', async () => {
    const topic = await cli('flash', 'send', '--text-nl', 'x', '--topic', 'ouderen,sport');
    expect(topic.code).toBe(2);
    expect(topic.stderr).toMatch(
      /'--topic <topics>' argument 'sport' is invalid\. expected one or more of activiteiten, wonen-en-buurt, jongeren, ouderen, veiligheid/,
    );
    const age = await cli('flash', 'send', '--text-nl', 'x', '--age-group', '70+');
    expect(age.code).toBe(2);
    expect(age.stderr).toMatch(/'--age-group <groups>' argument '70\+' is invalid/);
    // Under 16 is never stored: no flash can be for it.
    const under = await cli('flash', 'send', '--text-nl', 'x', '--age-group', 'tot16');
    expect(under.code).toBe(2);
    expect(under.stderr).toMatch(/'--age-group <groups>' argument 'tot16' is invalid/);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from flashes where texts->>'nl' = 'x'`.execute(app.db);
    expect(rows[0]!.n).toBe(0);
  }, 60_000);

  it('stops with one line when the topics file is bad', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sp-topics-')), 'news-topics.json');
    writeFileSync(file, JSON.stringify({ topics: [{ code: 'niets', label: { nl: 'Niets' } }] }));
    const r = await runCli(
      ['flash', 'send', '--text-nl', 'x', '--topic', 'niets'],
      { ...setup.vars, NEWS_TOPICS_FILE: file },
      '',
      60_000,
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/news topics in .*news-topics\.json: topics\.0\.code: is a reserved word/);
  }, 60_000);
});
