import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSENT_VERSION } from '../../src/app.js';
import type { createDb } from '../../src/db/connect.js';
import type { Engine, HandleOutcome } from '../../src/engine/engine.js';
import { consoleMessage } from '../helpers/app.js';
import { seedJoinedResident } from '../helpers/seed.js';
import { openTestEngine, type TestEngine } from '../helpers/storage.js';

let db: ReturnType<typeof createDb>;
let engine: Engine;

const said = (o: HandleOutcome) => o.outbound.map((j) => j.message.text).join('\n');

let bed: TestEngine;

beforeAll(async () => {
  bed = await openTestEngine();
  ({ db, engine } = bed);
}, 60_000);

afterAll(() => bed?.close());

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
