import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTexts } from '../../flows/i18n/texts.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import type { App } from '../../src/app.js';
import type { BroadcastDeps } from '../../src/broadcast/broadcasts.js';
import { sendFlash } from '../../src/broadcast/flashes.js';
import { announceSession } from '../../src/broadcast/sessions.js';
import { launchWave } from '../../src/broadcast/waves.js';
import { listAudit } from '../../src/desk/audit.js';
import { addStaff } from '../../src/desk/staff.js';
import { QuietHours } from '../../src/domain/quiet-hours.js';
import { startTestApp } from '../helpers/app.js';
import { ConsoleUsers, seedResidents } from '../helpers/desk.js';
import { eventually } from '../helpers/env.js';

// `/annuleer <id>` and `/sluit-peiling <id>` in the staff chat, through the engine: a preview, then
// "ja"; the same corrections as the CLI, audited under the staff member with `via: chat`.

let app: App;
let stop: () => Promise<void>;
let users: ConsoleUsers;
let deps: BroadcastDeps;

const STAFF = 'corr-coline';
const ANALYST = 'corr-ana';
const RESIDENT = 'corr-bewoner-a1';
const later = () => new Date(Date.now() + 3 * 3_600_000);

beforeAll(async () => {
  let setup: Awaited<ReturnType<typeof startTestApp>>['setup'];
  ({ app, setup, stop } = await startTestApp({
    QUIET_HOURS_START: '00:00',
    QUIET_HOURS_END: '00:00',
    ONBOARDING_POLL: 'false',
    SCHEDULER_TICK_MS: '500',
  }));
  users = new ConsoleUsers(app);
  const now = new Date();
  await addStaff(app.db, { channel: 'console', user: STAFF, role: 'wijkteam', name: 'Coline' }, 'cli', now);
  await addStaff(app.db, { channel: 'console', user: ANALYST, role: 'analyst', name: 'Ana' }, 'cli', now);
  await seedResidents(app, [{ address: RESIDENT, area: 'nazareth' }]);
  deps = {
    db: app.db,
    queue: app.queues.broadcast,
    texts: loadTexts(),
    polls: loadPolls(),
    timeZone: setup.env.TIME_ZONE,
    quietHours: new QuietHours('00:00', '00:00', setup.env.TIME_ZONE),
  };
}, 60_000);
afterAll(async () => {
  await stop?.();
});

const statusOf = async (flashId: string) =>
  (
    await app.db
      .selectFrom('broadcasts')
      .select('status')
      .where('flash_id', '=', flashId)
      .where('kind', '=', 'flash')
      .executeTakeFirstOrThrow()
  ).status;

describe('/annuleer <id> and /sluit-peiling <id>', () => {
  it('previews a scheduled flash and cancels it only after "ja"', async () => {
    const flash = await sendFlash(deps, { text: { nl: 'Rommelmarkt zondag.' }, sendAt: later() }, 'cli');
    const preview = (await users.send(STAFF, `/annuleer ${flash.id}`)).join('\n');
    expect(preview).toContain('Rommelmarkt zondag.');
    expect(preview).toMatch(/gaat dan niet meer uit/);
    expect(preview).toMatch(/Annuleren\?/);
    expect(await statusOf(flash.id)).toBe('scheduled');
    expect((await users.send(STAFF, 'nee')).join('\n')).toMatch(/Gestopt/);
    expect(await statusOf(flash.id)).toBe('scheduled');

    await users.send(STAFF, `/annuleer ${flash.id}`);
    expect((await users.send(STAFF, 'ja')).join('\n')).toMatch(/Geannuleerd/);
    expect(await statusOf(flash.id)).toBe('cancelled');
    const audit = (await listAudit(app.db)).filter((a) => a.action === 'flash.cancel');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorName: 'Coline', details: { flashId: flash.id, via: 'chat' } });
    // A second confirmation (or a redelivery) changes nothing more.
    expect((await users.send(STAFF, 'ja')).join('\n')).toMatch(/al verstuurd/);
    expect((await users.send(STAFF, `/annuleer ${flash.id}`)).join('\n')).toMatch(/al geannuleerd/);
  }, 60_000);

  it('refuses a flash already sent, an unknown id, and an analyst', async () => {
    const flash = await sendFlash(deps, { text: { nl: 'Nu.' } }, 'cli');
    await eventually(async () => (await statusOf(flash.id)) === 'sent', 15_000);
    expect((await users.send(STAFF, `/annuleer ${flash.id}`)).join('\n')).toMatch(
      /al verstuurd\. Annuleren kan niet meer/,
    );
    expect((await users.send(STAFF, '/annuleer 00000000-0000-4000-8000-000000000000')).join('\n')).toMatch(
      /Ik vind niets met nummer/,
    );
    expect((await users.send(STAFF, '/annuleer morgen')).join('\n')).toMatch(/Gebruik: \/annuleer/);
    const later2 = await sendFlash(deps, { text: { nl: 'Later.' }, sendAt: later() }, 'cli');
    expect((await users.send(ANALYST, `/annuleer ${later2.id}`)).join('\n')).toMatch(
      /alleen voor het wijkteam/,
    );
    expect(await statusOf(later2.id)).toBe('scheduled');
    // `/annuleer` alone still stops a dialog.
    expect((await users.send(STAFF, '/annuleer')).join('\n')).toMatch(/niets om te stoppen/);
  }, 60_000);

  it('closes an open wave and cancels a scheduled one and a session, each after a preview', async () => {
    const open = await launchWave(deps, { poll: 'thuis' }, 'cli');
    expect((await users.send(STAFF, `/annuleer ${open.id}`)).join('\n')).toMatch(
      /al open\. Sluiten kan met \/sluit-peiling/,
    );
    const preview = (await users.send(STAFF, `/sluit-peiling ${open.id}`)).join('\n');
    expect(preview).toMatch(/sluit dan nu/);
    expect((await users.send(STAFF, 'ja')).join('\n')).toMatch(/De peiling is gesloten/);
    const wave = await app.db
      .selectFrom('waves')
      .select('status')
      .where('id', '=', open.id)
      .executeTakeFirstOrThrow();
    expect(wave.status).toBe('closed');

    const scheduled = await launchWave(deps, { poll: 'cijfer', opensAt: later() }, 'cli');
    expect((await users.send(STAFF, `/sluit-peiling ${scheduled.id}`)).join('\n')).toMatch(/nog niet open/);
    await users.send(STAFF, `/annuleer ${scheduled.id}`);
    await users.send(STAFF, 'ja');
    const cancelled = await app.db
      .selectFrom('waves')
      .select('status')
      .where('id', '=', scheduled.id)
      .executeTakeFirstOrThrow();
    expect(cancelled.status).toBe('cancelled');

    const session = await announceSession(
      deps,
      { at: new Date(Date.now() + 48 * 3_600_000), where: 'Trefpunt', who: 'de wethouder' },
      'cli',
    );
    await eventually(async () => (await statusOf(session.id)) === 'sent', 15_000);
    await users.send(RESIDENT, 'ja');
    const sessionPreview = (await users.send(STAFF, `/annuleer ${session.id}`)).join('\n');
    expect(sessionPreview).toMatch(/Trefpunt/);
    expect(sessionPreview).toMatch(/1 bewoner zei te komen/);
    await users.send(STAFF, 'ja');
    await eventually(
      async () => (await users.inbox(RESIDENT)).some((m) => m.includes('gaat niet door')),
      15_000,
      'the line to the resident',
    );
    const actions = (await listAudit(app.db)).filter((a) => a.details.via === 'chat').map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['poll.close', 'poll.cancel', 'session.cancel']));
  }, 90_000);
});

describe('/flash peiling <id>: you said, we did', () => {
  it('sends a flash from the chat to exactly who took part in the wave', async () => {
    const wave = await launchWave(deps, { poll: 'cijfer', opensAt: later() }, 'cli');
    const residents = await app.db.selectFrom('residents').select(['id', 'address']).execute();
    const participant = residents.find((r) => r.address === RESIDENT)!;
    await app.db
      .insertInto('wave_participants')
      .values({ wave_id: wave.id, resident_id: participant.id, status: 'finished', invited_at: new Date() })
      .execute();
    const steps = await users.send(STAFF, `/flash peiling ${wave.id} Jullie zeiden: meer licht.`, 'sla over');
    expect(steps.join('\n')).toMatch(/komen|kom je/i);
    const preview = (await users.send(STAFF, 'nee')).join('\n');
    expect(preview).toContain(`iedereen die peiling ${wave.id} beantwoordde`);
    expect((await users.send(STAFF, 'ja')).join('\n')).toMatch(/flits|verstuurd/i);
    await eventually(
      async () => (await users.inbox(RESIDENT)).some((m) => m.includes('meer licht')),
      15_000,
      'the flash to the participant',
    );
    await new Promise((r) => setTimeout(r, 500));
    for (const other of [STAFF, ANALYST]) {
      expect(
        (await users.inbox(other)).filter(
          (m) => m.includes('Jullie zeiden: meer licht.') && !m.includes('Zo zien'),
        ),
      ).toHaveLength(0);
    }
  }, 60_000);
});
