import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse } from '../../flows/conversation.js';
import { loadTexts } from '../../flows/i18n/texts.js';
import { DATA_MESSAGE_MAX } from '../../flows/my-data.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { flowConfig, prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import { HELP_SUBJECT, HELP_TEXT } from '../../src/db/sealed-columns.js';
import { Engine, type HandleOutcome } from '../../src/engine/engine.js';
import { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { seal } from '../../src/privacy/sealed.js';
import { consoleMessage } from '../helpers/app.js';
import { type TestSetup, testSetup } from '../helpers/env.js';
import { seedJoinedResident } from '../helpers/seed.js';

// GEGEVENS through the engine: the copy a resident gets of what is stored about them (the right of
// access), read from the identity store and, under their pseudonym, from the monitor store.

let setup: TestSetup;
let db: ReturnType<typeof createDb>;
let engine: Engine;
let pseudonyms: Pseudonymizer;

const texts = (o: HandleOutcome) => o.outbound.map((j) => j.message.text ?? '');
const send = async (address: string, text: string) =>
  texts(await engine.handle(consoleMessage(address, text)));
const POLL_STATE = { flow: 'poll', progress: { poll: 'thuis', index: 0, phase: 'question', misses: 0 } };

beforeAll(async () => {
  setup = testSetup({ MESSAGE_LOG_RETENTION_DAYS: '5' });
  await prepareStorage(setup.env);
  db = createDb(setup.env.DATABASE_URL, 2);
  pseudonyms = new Pseudonymizer(Buffer.from(setup.env.PSEUDONYM_KEY!, 'utf8'));
  engine = new Engine({
    db,
    pseudonyms,
    flow: converse,
    context: { config: flowConfig(setup.env), texts: loadTexts(), polls: loadPolls() },
  });
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await setup?.cleanup();
});

/**
 * What a resident left behind besides their answers: a poll wave they got, an idea, a help request, an
 * RSVP, a session question.
 */
async function seedTraces(residentId: string, tag: string): Promise<void> {
  const wave = await db
    .insertInto('waves')
    .values({
      poll: 'thuis',
      audience: '{}',
      opens_at: new Date('2026-03-04T08:00:00Z'),
      closes_at: new Date('2026-03-11T08:00:00Z'),
      status: 'closed',
      created_by: 'test',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('wave_participants')
    .values({
      wave_id: wave.id,
      resident_id: residentId,
      status: 'finished',
      invited_at: new Date('2026-03-04T08:00:00Z'),
      finished_at: new Date('2026-03-04T08:05:00Z'),
    })
    .execute();
  const idea = await db
    .insertInto('ideas')
    .values({
      resident_id: residentId,
      text: `Meer bankjes bij de speeltuin ${tag}`,
      theme: 'wonen',
      area: 'nazareth',
      status: 'gepland',
      // 23:30 UTC on 5 March is 00:30 on 6 March in Maastricht.
      created_at: new Date('2026-03-05T23:30:00Z'),
      updated_at: new Date('2026-03-05T23:30:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('idea_replies')
    .values({
      idea_id: idea.id,
      text: `Goed idee, we kijken ernaar ${tag}`,
      created_at: new Date('2026-03-07T10:00:00Z'),
    })
    .execute();
  const request = await db
    .insertInto('help_requests')
    .values({
      resident_id: residentId,
      subject: seal(`Lekkage in de keuken ${tag}`, HELP_SUBJECT),
      area: 'nazareth',
      created_at: new Date('2026-03-09T09:00:00Z'),
      due_at: new Date('2026-03-10T09:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('help_messages')
    .values([
      {
        request_id: request.id,
        author: 'staff',
        text: seal(`Ik bel je morgen ${tag}`, HELP_TEXT),
        created_at: new Date('2026-03-09T10:00:00Z'),
      },
      {
        request_id: request.id,
        author: 'resident',
        text: seal(`Na tien uur graag ${tag}`, HELP_TEXT),
        created_at: new Date('2026-03-09T11:00:00Z'),
      },
    ])
    .execute();
  const [coffee, session] = await db
    .insertInto('flashes')
    .values([
      {
        kind: 'flash',
        texts: JSON.stringify({ nl: `Koffie-ochtend in het Trefpunt ${tag}\nKom je? Stuur JA.` }),
        rsvp: true,
        audience: '{}',
        created_by: 'test',
      },
      {
        kind: 'session',
        texts: JSON.stringify({ nl: 'Straatpraat met de wethouder' }),
        session: JSON.stringify({ where: 'Trefpunt', who: 'de wethouder' }),
        session_at: new Date('2026-03-12T18:00:00Z'),
        audience: '{}',
        created_by: 'test',
      },
    ])
    .returning('id')
    .execute();
  await db
    .insertInto('flash_rsvps')
    .values({ flash_id: coffee!.id, resident_id: residentId, created_at: new Date('2026-03-08T10:00:00Z') })
    .execute();
  // A question for the session: the identity store keeps only that the resident asked.
  await db.insertInto('session_askers').values({ flash_id: session!.id, resident_id: residentId }).execute();
  await db
    .insertInto('session_questions')
    .values({
      flash_id: session!.id,
      text: `Komt er een zebrapad ${tag}?`,
      theme: 'verkeer',
      asked_on: '2026-03-09',
    })
    .execute();
}

describe('GEGEVENS', () => {
  it('gives a copy of the profile, each answer, ideas, help requests, RSVPs and what cannot be linked', async () => {
    const id = await seedJoinedResident(db, 'copy-all', POLL_STATE, new Date('2026-03-03T10:00:00Z'));
    await db
      .updateTable('residents')
      .set({ created_at: new Date('2026-03-02T23:30:00Z'), join_source: 'link:nazareth' })
      .where('id', '=', id)
      .execute();
    // Answers given through the engine: stored under the pseudonym only.
    await send('copy-all', '4');
    await send('copy-all', 'Fijne buren hier');
    await seedTraces(id, 'copy-all');
    // Someone else's answer is in the monitor store too.
    const other = await seedJoinedResident(db, 'copy-other', POLL_STATE);
    await send('copy-other', '1');
    await send('copy-other', 'Veel te druk op straat');
    await seedTraces(other, 'copy-other');

    const said = await send('copy-all', 'GEGEVENS');
    const text = said.join('\n');

    for (const part of [
      'Dit bewaren we over jou:',
      'Kanaal: Console',
      // Joined at 23:30 UTC on 2 March: 3 March in Maastricht.
      'Lid sinds: 3 maart 2026',
      'Aangemeld via: link:nazareth',
      'Taal: Nederlands',
      'Buurt: Nazareth',
      'Leeftijd: 27–40',
      `Toestemming: gegeven op 3 maart 2026 (versie ${flowConfig(setup.env).consentVersion})`,
      'Nieuws: aan',
      'Je 2 antwoorden, met de week waarin je ze gaf:',
      'Je kreeg 1 peiling:\n• Thuis in je buurt (4 maart 2026), status: klaar',
      'Je 1 idee:',
      '• 6 maart 2026: “Meer bankjes bij de speeltuin copy-all”, status: gepland\n' +
        'Antwoord van het wijkteam op 7 maart 2026: “Goed idee, we kijken ernaar copy-all”',
      'Je 1 hulpvraag aan het wijkteam:',
      '• 9 maart 2026: “Lekkage in de keuken copy-all”, status: open\n' +
        'Het wijkteam schreef op 9 maart 2026: “Ik bel je morgen copy-all”\n' +
        'Jij schreef op 9 maart 2026: “Na tien uur graag copy-all”',
      'Je zei dat je komt bij 1 activiteit:',
      '• het bericht “Koffie-ochtend in het Trefpunt copy-all” (gezegd op 8 maart 2026)',
      'Je stuurde een vraag voor de straatpraat van 12 maart 2026.',
      'Die vragen bewaren we zonder je naam of nummer.',
      'Elk bericht wissen we na 5 dagen.',
      'Alles wissen? Stuur VERWIJDER.',
    ]) {
      expect(text).toContain(part);
    }
    expect(text).toMatch(
      /• Thuis in je buurt, week van \d{1,2} \p{L}+ \d{4}: Voel je je thuis in je buurt\? → Ja, meestal\n/u,
    );
    expect(text).toMatch(
      /• Thuis in je buurt, week van [^:]+: Wil je iets uitleggen\? → je schreef: “Fijne buren hier”/,
    );
    // Every message of the conversation so far is in the log (two answers and their replies).
    expect(text).toMatch(/We bewaren [4-9] berichten tussen jou en ons\./);
    // The session question itself is stored without the sender, and nothing of anyone else shows.
    expect(text).not.toContain('zebrapad');
    expect(text).not.toMatch(/copy-other|Veel te druk|Nee, helemaal niet/);
  });

  it('words the copy in the resident’s language', async () => {
    const id = await seedJoinedResident(db, 'copy-en', POLL_STATE, new Date('2026-03-03T10:00:00Z'));
    await db.updateTable('residents').set({ language: 'en' }).where('id', '=', id).execute();
    await send('copy-en', '4');
    await send('copy-en', 'SKIP');
    const text = (await send('copy-en', 'MY DATA')).join('\n');
    expect(text).toMatch(
      /Your 1 answer, with the week you gave it:\n• At home in your neighbourhood, week of \d{1,2} \p{L}+ \d{4}: Do you feel at home in your neighbourhood\? → Yes, mostly/u,
    );
    expect(text).toContain('You have not sent any ideas yet.');
    expect(text).toContain('We delete each message after 5 days.');
  });

  it('is split over several messages when long, each within the channel limits, nothing left out', async () => {
    const id = await seedJoinedResident(db, 'copy-long', { flow: 'idle' });
    const respondent = pseudonyms.respondent('console', 'copy-long');
    await db
      .insertInto('answers')
      .values(
        Array.from({ length: 60 }, (_, i) => ({
          respondent,
          wave_key: `w${i}`,
          poll: 'thuis',
          question: 'thuis_uitleg',
          text: `Uitleg nummer ${i + 1}: ${'de straat is mooi en rustig '.repeat(4)}`,
          area: 'nazareth',
          answered_on: '2026-03-02',
        })),
      )
      .execute();
    await db
      .insertInto('ideas')
      .values({ resident_id: id, text: 'Een moestuin', theme: 'wonen', area: 'nazareth' })
      .execute();

    const said = await send('copy-long', 'GEGEVENS');
    expect(said.length).toBeGreaterThan(1);
    for (const message of said) expect(message.length).toBeLessThanOrEqual(Math.min(DATA_MESSAGE_MAX, 4096));
    const text = said.join('\n');
    const numbers = [...text.matchAll(/Uitleg nummer (\d+):/g)].map((m) => Number(m[1]));
    expect(numbers).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    // The profile comes first, what is not stored last; no line is cut in two.
    expect(said[0]).toMatch(/^Dit bewaren we over jou:/);
    expect(said.at(-1)).toMatch(/Alles wissen\? Stuur VERWIJDER\.$/);
    for (const message of said)
      expect(message).not.toMatch(
        /^(?!•|Je|Dit|Kanaal|Lid|Taal|Buurt|Leeftijd|Toestemming|Nieuws|Status|We|Elk|Alles|$)/m,
      );
    expect(text).toContain('Je 1 idee:\n• ');
    // The same copy twice: the reply is deterministic (but for the message log, which grew).
    const counted = (messages: string[]) =>
      messages.map((m) => m.replace(/^We bewaren .*berichten? tussen jou en ons\.$/m, 'N'));
    expect(counted(await send('copy-long', 'GEGEVENS'))).toEqual(counted(said));
  });

  it('shows nothing of what VERWIJDER erased', async () => {
    const id = await seedJoinedResident(db, 'copy-gone', POLL_STATE);
    await send('copy-gone', '5');
    await send('copy-gone', 'Heel fijne straat');
    await seedTraces(id, 'copy-gone');
    expect((await send('copy-gone', 'GEGEVENS')).join('\n')).toContain('Je 1 idee:');

    await send('copy-gone', 'VERWIJDER');
    await send('copy-gone', 'ja');
    expect(
      await db.selectFrom('residents').select('id').where('id', '=', id).executeTakeFirst(),
    ).toBeUndefined();

    // The same address again is someone new: no answers (the pseudonym is the same), no traces.
    const text = (await send('copy-gone', 'GEGEVENS')).join('\n');
    for (const part of [
      'Je hebt nog geen antwoorden gegeven.',
      'Je hebt nog geen peilingen gekregen.',
      'Je hebt nog geen ideeën gestuurd.',
      'Je hebt geen hulpvragen aan het wijkteam.',
      'Je hebt nog niet gezegd dat je ergens komt.',
    ]) {
      expect(text).toContain(part);
    }
    expect(text).not.toMatch(/Heel fijne straat|copy-gone|Ja, helemaal|straatpraat van/);
  });
});
