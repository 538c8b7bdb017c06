import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse } from '../../flows/conversation.js';
import { loadTexts } from '../../flows/i18n/texts.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { flowConfig, prepareStorage } from '../../src/app.js';
import type { Audience } from '../../src/broadcast/audience.js';
import { type BroadcastDeps, countEligible } from '../../src/broadcast/broadcasts.js';
import { FanOut } from '../../src/broadcast/fanout.js';
import { sendFlash } from '../../src/broadcast/flashes.js';
import { createDb } from '../../src/db/connect.js';
import { AGE_GROUP } from '../../src/db/sealed-columns.js';
import { addStaff } from '../../src/desk/staff.js';
import { QuietHours } from '../../src/domain/quiet-hours.js';
import type { AgeGroup } from '../../src/domain/resident.js';
import { Engine, type HandleOutcome } from '../../src/engine/engine.js';
import { createLogger } from '../../src/log.js';
import { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { seal } from '../../src/privacy/sealed.js';
import { Outbox } from '../../src/queue/outbox.js';
import { Queues } from '../../src/queue/queues.js';
import { createRedis } from '../../src/queue/redis.js';
import { consoleMessage } from '../helpers/app.js';
import { type TestSetup, testSetup } from '../helpers/env.js';
import { seedJoinedResident } from '../helpers/seed.js';

// News topics through the engine and a real database and queue: residents choose with NIEUWS, and a
// flash with topics (and age groups) reaches only those who chose one of its topics or chose nothing.

let setup: TestSetup;
let db: ReturnType<typeof createDb>;
let redis: ReturnType<typeof createRedis>;
let queues: Queues;
let engine: Engine;
let deps: BroadcastDeps;
let fanOut: FanOut;

/** What the resident reads: each message's text, and an ask's options numbered as the console shows them. */
const said = (o: HandleOutcome) =>
  o.outbound
    .map(({ message: m }) =>
      [m.text, ...(m.kind === 'ask' ? m.options.map((x, i) => `${i + 1}. ${x.label}`) : [])].join('\n'),
    )
    .join('\n');
const send = async (address: string, text: string) =>
  said(await engine.handle(consoleMessage(address, text)));

async function resident(address: string, age: AgeGroup): Promise<string> {
  const id = await seedJoinedResident(db, address, { flow: 'idle' });
  await db
    .updateTable('residents')
    .set({ age_group: seal(age, AGE_GROUP) })
    .where('id', '=', id)
    .execute();
  return id;
}

async function newsOf(address: string) {
  return db
    .selectFrom('residents')
    .select(['news_opt_out', 'news_topics'])
    .where('address', '=', address)
    .executeTakeFirstOrThrow();
}

/** Sends a flash and runs its fan-out here; returns the addresses it reached. */
async function flash(text: string, audience: Audience): Promise<{ to: string[]; counted: number }> {
  const created = await sendFlash(deps, { text: { nl: text }, audience }, 'cli');
  const result = await fanOut.run(created.broadcastId);
  expect(result.outcome).toBe('sent');
  const { rows } = await sql<{ address: string }>`
    select r.address from outbound_messages o join residents r on r.id = o.resident_id
    where o.broadcast_id = ${created.broadcastId} order by r.address`.execute(db);
  return { to: rows.map((r) => r.address), counted: created.audience };
}

beforeAll(async () => {
  setup = testSetup({ QUIET_HOURS_START: '00:00', QUIET_HOURS_END: '00:00' });
  await prepareStorage(setup.env);
  db = createDb(setup.env.DATABASE_URL, 4);
  redis = createRedis(setup.env.REDIS_URL);
  queues = new Queues(redis, setup.env.QUEUE_PREFIX, setup.env.INBOUND_PARTITIONS);
  await queues.init();
  engine = new Engine({
    db,
    pseudonyms: new Pseudonymizer(Buffer.from(setup.env.PSEUDONYM_KEY!, 'utf8')),
    flow: converse,
    context: { config: flowConfig(setup.env), texts: loadTexts(), polls: loadPolls() },
  });
  deps = {
    db,
    queue: queues.broadcast,
    texts: loadTexts(),
    polls: loadPolls(),
    timeZone: setup.env.TIME_ZONE,
    quietHours: new QuietHours('00:00', '00:00', setup.env.TIME_ZONE),
  };
  // Pages of two residents, so the age groups are opened across several pages.
  fanOut = new FanOut({ db, outbox: new Outbox(queues), log: createLogger('silent'), pageSize: 2 });
}, 60_000);

afterAll(async () => {
  await queues?.close();
  redis?.disconnect();
  await db?.destroy();
  await new Promise((r) => setTimeout(r, 200));
  await setup?.cleanup();
});

describe('NIEUWS', () => {
  it('shows what the resident gets now and the numbered topics, with alles and niets', async () => {
    await resident('nt-ask', '27-40');
    const ask = await send('nt-ask', 'NIEUWS');
    expect(ask).toContain('Je krijgt nu nieuws over alle onderwerpen.');
    expect(ask).toContain('Over welke onderwerpen wil je nieuws?');
    for (const line of [
      '1. Activiteiten',
      '2. Wonen en buurt',
      '3. Jongeren',
      '4. Ouderen',
      '5. Veiligheid',
      '6. Alles',
      '7. Niets',
    ]) {
      expect(ask).toContain(line);
    }
    // New residents get everything until they choose.
    expect(await newsOf('nt-ask')).toEqual({ news_opt_out: false, news_topics: null });
  });

  it('takes several topics at once ("1,4", "1 3"), and alles and niets', async () => {
    await resident('nt-choose', '41-65');
    await send('nt-choose', 'NIEUWS');
    expect(await send('nt-choose', '1,4')).toContain(
      'Goed, je krijgt nu nieuws over: Activiteiten, Ouderen.',
    );
    expect(await newsOf('nt-choose')).toEqual({
      news_opt_out: false,
      news_topics: ['activiteiten', 'ouderen'],
    });

    expect(await send('nt-choose', 'NIEUWS')).toContain('Je krijgt nu nieuws over: Activiteiten, Ouderen.');
    await send('nt-choose', '1 3');
    expect(await newsOf('nt-choose')).toEqual({
      news_opt_out: false,
      news_topics: ['activiteiten', 'jongeren'],
    });

    await send('nt-choose', 'NIEUWS');
    expect(await send('nt-choose', 'niets')).toContain('Goed, je krijgt geen nieuws meer.');
    expect(await newsOf('nt-choose')).toEqual({ news_opt_out: true, news_topics: null });

    expect(await send('nt-choose', 'NIEUWS')).toContain('Je krijgt nu geen nieuws.');
    expect(await send('nt-choose', 'alles')).toContain('Goed, je krijgt nieuws over alle onderwerpen.');
    expect(await newsOf('nt-choose')).toEqual({ news_opt_out: false, news_topics: null });
  });

  it('asks once more when the answer is unclear, then changes nothing', async () => {
    await resident('nt-unclear', '41-65');
    await send('nt-unclear', 'NIEUWS');
    await send('nt-unclear', '4');
    await send('nt-unclear', 'NIEUWS');
    expect(await send('nt-unclear', '1 of 3')).toContain('Sorry, dat begreep ik niet.');
    expect(await send('nt-unclear', 'alles en 2')).toContain('Er is niets veranderd.');
    expect(await newsOf('nt-unclear')).toEqual({ news_opt_out: false, news_topics: ['ouderen'] });
  });

  it('STOP NIEUWS is niets and NIEUWS AAN is alles', async () => {
    await resident('nt-keywords', '41-65');
    await send('nt-keywords', 'NIEUWS');
    await send('nt-keywords', '5');
    await send('nt-keywords', 'STOP NIEUWS');
    expect(await newsOf('nt-keywords')).toEqual({ news_opt_out: true, news_topics: null });
    await send('nt-keywords', 'NIEUWS');
    await send('nt-keywords', '5');
    await send('nt-keywords', 'NIEUWS AAN');
    expect(await newsOf('nt-keywords')).toEqual({ news_opt_out: false, news_topics: null });
  });

  it('GEGEVENS shows the chosen topics, and STOP and VERWIJDER take them away', async () => {
    await resident('nt-data', '65plus');
    await send('nt-data', 'NIEUWS');
    await send('nt-data', 'ouderen, veiligheid');
    expect(await send('nt-data', 'GEGEVENS')).toContain('Nieuws: aan, over Ouderen, Veiligheid');

    await send('nt-data', 'STOP');
    expect(await newsOf('nt-data')).toEqual({ news_opt_out: false, news_topics: null });

    await resident('nt-erase', '65plus');
    await send('nt-erase', 'NIEUWS');
    await send('nt-erase', '4');
    await send('nt-erase', 'VERWIJDER');
    await send('nt-erase', 'ja');
    const { rows } = await sql`select 1 from residents where address = 'nt-erase'`.execute(db);
    expect(rows).toEqual([]);
  });
});

describe('a flash with topics and age groups', () => {
  beforeAll(async () => {
    // Earlier tests' residents stay out of the flashes below.
    await sql`update residents set status = 'stopped' where address like 'nt-%'`.execute(db);
    await resident('fl-senior-ouderen', '65plus');
    await resident('fl-senior-all', '65plus');
    await resident('fl-senior-no-news', '65plus');
    await resident('fl-young-jongeren', '16-26');
    // A group from before taking part started at 16: it counts as the 16-26 it falls in.
    await resident('fl-young-all', '18-26');
    await resident('fl-mid-ouderen', '41-65');
    await send('fl-senior-ouderen', 'NIEUWS');
    await send('fl-senior-ouderen', '4');
    await send('fl-senior-no-news', 'STOP NIEUWS');
    await send('fl-young-jongeren', 'NIEUWS');
    await send('fl-young-jongeren', 'jongeren');
    await send('fl-mid-ouderen', 'NIEUWS');
    await send('fl-mid-ouderen', 'ouderen');
  });

  it('a resident subscribed to "ouderen" only gets the 65+ flash and not the youth one', async () => {
    const senior = await flash('Koffieochtend voor 65+ in het Trefpunt.', {
      topics: ['ouderen'],
      ageGroups: ['65plus'],
    });
    expect(senior.to).toEqual(['fl-senior-all', 'fl-senior-ouderen']);
    expect(senior.counted).toBe(2);

    const youth = await flash('Jongerenavond in de sporthal.', { topics: ['jongeren'] });
    expect(youth.to).toEqual(['fl-senior-all', 'fl-young-all', 'fl-young-jongeren']);
    expect(youth.to).not.toContain('fl-senior-ouderen');
    expect(youth.counted).toBe(3);
  });

  it('a flash without a topic goes to everyone who has news on', async () => {
    const all = await flash('De buurtkrant is uit.', {});
    expect(all.to).toEqual([
      'fl-mid-ouderen',
      'fl-senior-all',
      'fl-senior-ouderen',
      'fl-young-all',
      'fl-young-jongeren',
    ]);
  });

  it('a flash with two topics reaches who chose either', async () => {
    const both = await flash('Veilig oversteken bij de school.', {
      topics: ['jongeren', 'ouderen'],
      areas: ['nazareth'],
    });
    expect(both.to).toEqual([
      'fl-mid-ouderen',
      'fl-senior-all',
      'fl-senior-ouderen',
      'fl-young-all',
      'fl-young-jongeren',
    ]);
  });

  it('age groups alone pick residents by their sealed age group, over several pages', async () => {
    const young = await flash('Sollicitatietraining.', { ageGroups: ['16-26', '41-65'] });
    expect(young.to).toEqual(['fl-mid-ouderen', 'fl-young-all', 'fl-young-jongeren']);
    expect(await countEligible(db, { ageGroups: ['16-26', '41-65'] }, true)).toBe(3);
  });

  it('a 16-26 flash reaches a resident whose row still has the former group 18-26', async () => {
    const young = await flash('Gratis sporten voor jongeren.', { ageGroups: ['16-26'] });
    expect(young.to).toEqual(['fl-young-all', 'fl-young-jongeren']);
    expect(await countEligible(db, { ageGroups: ['16-26'] }, true)).toBe(2);
  });
});

describe('/flash in the chat', () => {
  it('takes "onderwerp ouderen" and "leeftijd 65+" at the preview, and the flash reaches only them', async () => {
    await addStaff(
      db,
      { channel: 'console', user: 'fl-coline', role: 'wijkteam', name: 'Coline' },
      'cli',
      new Date(),
    );
    await send('fl-coline', '/flash Bingo voor 65+ in het Trefpunt.');
    await send('fl-coline', 'sla over');
    await send('fl-coline', '4');
    expect(await send('fl-coline', 'nee')).toContain(
      'Alleen over één onderwerp: stuur bijvoorbeeld onderwerp ouderen.',
    );
    expect(await send('fl-coline', 'onderwerp sport')).toContain(
      'Dat onderwerp ken ik niet. Kies uit: activiteiten, wonen-en-buurt, jongeren, ouderen, veiligheid.',
    );
    expect(await send('fl-coline', 'onderwerp ouderen')).toMatch(/Voor: Iedereen, onderwerp: ouderen\./);
    expect(await send('fl-coline', 'leeftijd 65+')).toMatch(
      /Voor: Iedereen, onderwerp: ouderen, leeftijd: 65\+\./,
    );
    await send('fl-coline', 'ja');

    const row = await db
      .selectFrom('flashes as f')
      .innerJoin('broadcasts as b', 'b.flash_id', 'f.id')
      .select(['f.audience', 'b.id as broadcastId'])
      .where('f.texts', '@>', JSON.stringify({ nl: 'Bingo voor 65+ in het Trefpunt.' }) as never)
      .executeTakeFirstOrThrow();
    expect(row.audience).toEqual({ topics: ['ouderen'], ageGroups: ['65plus'] });
    expect((await fanOut.run(row.broadcastId)).outcome).toBe('sent');
    const { rows } = await sql<{ address: string }>`
      select r.address from outbound_messages o join residents r on r.id = o.resident_id
      where o.broadcast_id = ${row.broadcastId} order by r.address`.execute(db);
    expect(rows.map((r) => r.address)).toEqual(['fl-senior-all', 'fl-senior-ouderen']);
  });
  it('shows a topic typed at the preview of a "you said, we did" flash too', async () => {
    await send('fl-coline', '/flash thema wonen Nieuwe bankjes op het plein.');
    await send('fl-coline', 'sla over');
    expect(await send('fl-coline', 'nee')).toMatch(
      /Voor: wie een idee over wonen stuurde dat nu gedaan is\./,
    );
    expect(await send('fl-coline', 'onderwerp ouderen')).toMatch(
      /Voor: wie een idee over wonen stuurde dat nu gedaan is, onderwerp: ouderen\./,
    );
    await send('fl-coline', 'nee');
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from flashes where texts->>'nl' = 'Nieuwe bankjes op het plein.'`.execute(db);
    expect(rows[0]!.n).toBe(0);
  });
});
