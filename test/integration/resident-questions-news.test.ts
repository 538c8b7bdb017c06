import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eligible } from '../../src/broadcast/audience.js';
import type { createDb } from '../../src/db/connect.js';
import { HELP_SUBJECT } from '../../src/db/sealed-columns.js';
import type { Engine, HandleOutcome } from '../../src/engine/engine.js';
import { unsealNullable } from '../../src/privacy/sealed.js';
import { consoleMessage } from '../helpers/app.js';
import { seedJoinedResident } from '../helpers/seed.js';
import { openTestEngine, type TestEngine } from '../helpers/storage.js';

// Through the engine and a real database: a question the bot cannot place reaches a person, and
// STOP NIEUWS can be undone.

let db: ReturnType<typeof createDb>;
let engine: Engine;

const said = (o: HandleOutcome) => o.outbound.map((j) => j.message.text).join('\n');

let bed: TestEngine;

beforeAll(async () => {
  bed = await openTestEngine();
  ({ db, engine } = bed);
}, 60_000);

afterAll(() => bed?.close());

const helpRequests = async (residentId: string) =>
  (
    await db
      .selectFrom('help_requests')
      .select(['subject', 'status'])
      .where('resident_id', '=', residentId)
      .execute()
  ).map((r) => ({ status: r.status, subject: unsealNullable(r.subject, HELP_SUBJECT) }));

describe('a question the bot cannot place', () => {
  const QUESTION = 'Waar kan ik terecht met mijn schulden?';

  it('is offered an answer from the wijkteam, and ja opens a help request with that question', async () => {
    const id = await seedJoinedResident(db, 'unplaced-ja', { flow: 'idle' });
    const offer = said(await engine.handle(consoleMessage('unplaced-ja', QUESTION)));
    expect(offer).toContain('Ik begrijp je vraag niet. Wil je dat iemand van het wijkteam je antwoordt?');
    expect(offer).not.toMatch(/Ik ben een computer/);
    expect(await helpRequests(id)).toEqual([]);

    const done = said(await engine.handle(consoleMessage('unplaced-ja', 'ja')));
    expect(done).toMatch(/Iemand van het wijkteam stuurt je een bericht/);
    expect(await helpRequests(id)).toEqual([{ status: 'open', subject: QUESTION }]);
  });

  it('nee makes no request, and the resident carries on as before', async () => {
    const id = await seedJoinedResident(db, 'unplaced-nee', { flow: 'idle' });
    await engine.handle(consoleMessage('unplaced-nee', QUESTION));
    expect(said(await engine.handle(consoleMessage('unplaced-nee', 'nee')))).toMatch(/Stuur HULP/);
    expect(await helpRequests(id)).toEqual([]);
    // A later "ja" is no longer an answer to the offer.
    await engine.handle(consoleMessage('unplaced-nee', 'ja'));
    expect(await helpRequests(id)).toEqual([]);
  });

  it('short noise still gets the menu', async () => {
    const id = await seedJoinedResident(db, 'unplaced-noise', { flow: 'idle' });
    for (const text of ['hoi', '👍', 'ok dan']) {
      expect(said(await engine.handle(consoleMessage('unplaced-noise', text)))).toMatch(/Stuur IDEE/);
    }
    await engine.handle(consoleMessage('unplaced-noise', 'ja'));
    expect(await helpRequests(id)).toEqual([]);
  });
});

describe('news off and on again', () => {
  const getsNews = async (id: string) => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from residents r where r.id = ${id} and ${eligible({}, true)}`.execute(db);
    return rows[0]!.n === 1;
  };

  it('STOP NIEUWS says how to undo it, and NIEUWS AAN turns flashes back on', async () => {
    const id = await seedJoinedResident(db, 'news-toggle', { flow: 'idle' });
    expect(await getsNews(id)).toBe(true);

    const stopped = said(await engine.handle(consoleMessage('news-toggle', 'STOP NIEUWS')));
    expect(stopped).toMatch(/Stuur NIEUWS AAN/);
    expect(await getsNews(id)).toBe(false);

    const on = said(await engine.handle(consoleMessage('news-toggle', 'NIEUWS AAN')));
    expect(on).toMatch(/je krijgt weer nieuws/);
    expect(await getsNews(id)).toBe(true);
  });

  it('NEWS ON works in English as well', async () => {
    const id = await seedJoinedResident(db, 'news-toggle-en', { flow: 'idle' });
    await engine.handle(consoleMessage('news-toggle-en', 'STOP NEWS'));
    expect(await getsNews(id)).toBe(false);
    await engine.handle(consoleMessage('news-toggle-en', 'news on'));
    expect(await getsNews(id)).toBe(true);
  });
});
