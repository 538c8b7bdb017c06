import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { seedResidents } from '../helpers/desk.js';
import { csrfOf, type DeskTestBed, signInAs, startDeskTest } from '../helpers/desk-web.js';
import { eventually } from '../helpers/env.js';

// Every action taken on the web desk is audited as the staff member who took it, marked as done
// through the web: flashes, sessions and waves (which run the same functions as the CLI and the
// chat) and the staff list, as much as the inbox and the ideas.

let app: App;
let bed: DeskTestBed;
let browser: Browser;
let base: string;
let staffId: number;
let adminId: number;

const STAFF = 'wt-audit';
const ADMIN = 'adm-audit';

beforeAll(async () => {
  bed = await startDeskTest({ SCHEDULER_TICK_MS: '500' }, [
    { user: STAFF, role: 'wijkteam', name: 'Ans' },
    { user: ADMIN, role: 'admin', name: 'Bas' },
  ]);
  ({ app, browser, base } = bed);
  staffId = bed.staffIds[STAFF]!;
  adminId = bed.staffIds[ADMIN]!;
  await seedResidents(app, [{ address: 'audit-naz', area: 'nazareth' }]);
}, 90_000);

afterAll(() => bed?.stop());

/** Posts a desk form as the signed-in browser would (same origin, the session's CSRF token). */
async function post(context: BrowserContext, page: Page, path: string, fields: Record<string, string>) {
  const response = await context.request.post(`${base}${path}`, {
    form: { _csrf: await csrfOf(page), ...fields },
    headers: { origin: base },
    maxRedirects: 0,
  });
  expect(response.status(), `${path}: ${await response.text()}`).toBe(303);
  return response.headers().location ?? '';
}

const audited = async (action: string) =>
  app.db
    .selectFrom('audit_log')
    .select(['actor', 'details'])
    .where('action', '=', action)
    .where('actor', '!=', 'cli')
    .execute();

const inTwoDays = () => {
  const d = new Date(Date.now() + 2 * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T19:30`;
};

describe('the audit trail of the web desk', () => {
  it('records flash, wave and session actions and staff changes as the staff member, via the web', async () => {
    const context = await browser.newContext();
    const page = await signInAs(app, context, base, STAFF);

    const flashAt = await post(context, page, '/desk/broadcasts/send', {
      text_nl: 'Morgen is de buurtschouw.',
      when: 'later',
      at: inTwoDays(),
    });
    const flashId = /broadcasts\/([0-9a-f-]{36})/.exec(flashAt)![1]!;
    await post(context, page, `/desk/broadcasts/${flashId}/edit`, { text_nl: 'Overmorgen is de schouw.' });
    await post(context, page, `/desk/broadcasts/${flashId}/cancel`, {});

    const waveAt = await post(context, page, '/desk/waves/launch', {
      poll: 'cijfer',
      when: 'now',
      remind_hours: '24',
      close_days: '7',
    });
    const waveId = /waves\/([0-9a-f-]{36})/.exec(waveAt)![1]!;
    await eventually(
      async () =>
        (await app.db.selectFrom('waves').select('status').where('id', '=', waveId).executeTakeFirst())
          ?.status === 'open',
      20_000,
      'the wave to open',
    );
    await post(context, page, `/desk/waves/${waveId}/close`, {});

    const sessionAt = await post(context, page, '/desk/sessions/announce', {
      at: inTwoDays(),
      where: 'Buurthuis',
      who: 'de wijkagent',
    });
    const sessionId = /sessions\/([0-9a-f-]{36})/.exec(sessionAt)![1]!;
    await post(context, page, `/desk/sessions/${sessionId}/summary`, { text_nl: 'Dank voor het komen.' });
    await post(context, page, `/desk/sessions/${sessionId}/cancel`, {});

    const staff = `staff:${staffId}`;
    for (const [action, details] of [
      ['flash.send', { flashId }],
      ['flash.edit', { flashId }],
      ['flash.cancel', { flashId }],
      ['poll.launch', { waveId }],
      ['poll.close', { waveId }],
      ['session.announce', { flashId: sessionId }],
      ['session.summary', { flashId: sessionId }],
      ['session.cancel', { flashId: sessionId }],
    ] as const) {
      const rows = await audited(action);
      expect(rows, action).toEqual([
        { actor: staff, details: expect.objectContaining({ ...details, via: 'web' }) },
      ]);
    }

    // An admin adds and removes a staff member.
    const admin = await signInAs(app, await browser.newContext(), base, ADMIN);
    const adminContext = admin.context();
    await adminContext.request
      .post(`${base}/desk/admin/staff`, {
        form: { _csrf: await csrfOf(admin), channel: 'console', user: 'wt-nieuw', role: 'wijkteam' },
        headers: { origin: base },
      })
      .then((r) => expect(r.status()).toBe(200));
    const added = await audited('staff.add');
    expect(added).toEqual([{ actor: `staff:${adminId}`, details: expect.objectContaining({ via: 'web' }) }]);
    const newId = (added[0]!.details as { staffId: number }).staffId;
    await adminContext.request
      .post(`${base}/desk/admin/staff/${newId}/remove`, {
        form: { _csrf: await csrfOf(admin) },
        headers: { origin: base },
      })
      .then((r) => expect(r.status()).toBe(200));
    expect(await audited('staff.remove')).toEqual([
      { actor: `staff:${adminId}`, details: expect.objectContaining({ staffId: newId, via: 'web' }) },
    ]);
    await adminContext.close();
    await context.close();
  }, 120_000);
});
