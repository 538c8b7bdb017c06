import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse } from '../../flows/conversation.js';
import { loadTexts } from '../../flows/i18n/texts.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { CONSENT_VERSION, flowConfig, prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import { Engine, type HandleOutcome } from '../../src/engine/engine.js';
import { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { consoleMessage } from '../helpers/app.js';
import { type TestSetup, testSetup } from '../helpers/env.js';
import { seedJoinedResident } from '../helpers/seed.js';

let setup: TestSetup;
let db: ReturnType<typeof createDb>;
let engine: Engine;

const said = (o: HandleOutcome) => o.outbound.map((j) => j.message.text).join('\n');

beforeAll(async () => {
  setup = testSetup();
  await prepareStorage(setup.env);
  db = createDb(setup.env.DATABASE_URL, 2);
  engine = new Engine({
    db,
    pseudonyms: new Pseudonymizer(Buffer.from(setup.env.PSEUDONYM_KEY!, 'utf8')),
    flow: converse,
    context: { config: flowConfig(setup.env), texts: loadTexts(), polls: loadPolls() },
  });
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await setup?.cleanup();
});

describe('consent given to an earlier statement', () => {
  const profile = (id: string) =>
    db
      .selectFrom('residents')
      .select(['consent_version', 'consent_at', 'consent_refused_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('is asked again, and ja stores the current version', async () => {
    const id = await seedJoinedResident(db, 'renew-ja', { flow: 'idle' });
    await db.updateTable('residents').set({ consent_version: '2025-0' }).where('id', '=', id).execute();
    expect(said(await engine.handle(consoleMessage('renew-ja', 'IDEE')))).toMatch(/veranderd/);
    await engine.handle(consoleMessage('renew-ja', 'ja'));
    expect((await profile(id)).consent_version).toBe(CONSENT_VERSION);
    // Taking part as before: IDEE now asks for the idea.
    expect(said(await engine.handle(consoleMessage('renew-ja', 'IDEE')))).not.toMatch(/veranderd/);
  });

  it('nee withdraws consent in the identity store and keeps the refusal', async () => {
    const id = await seedJoinedResident(db, 'renew-nee', { flow: 'idle' });
    await db.updateTable('residents').set({ consent_version: '2025-0' }).where('id', '=', id).execute();
    await engine.handle(consoleMessage('renew-nee', 'hallo'));
    await engine.handle(consoleMessage('renew-nee', 'nee'));
    const after = await profile(id);
    expect(after.consent_at).toBeNull();
    expect(after.consent_refused_at).not.toBeNull();
  });
});
