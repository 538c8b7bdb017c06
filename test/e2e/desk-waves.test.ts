import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { consoleInbox } from '../helpers/app.js';
import { expectNoAxeViolations, screenshot } from '../helpers/axe.js';
import { type ConsoleUsers, seedResidents } from '../helpers/desk.js';
import { type DeskTestBed, signInAs, startDeskTest } from '../helpers/desk-web.js';
import { eventually } from '../helpers/env.js';

// The waves page of the web desk in Chromium: launch the one-question mark poll for Nazareth, console
// residents answer it through the bot, close it early, read its results (shares in a table, the mean
// mark, the free texts; small groups hidden) and turn them into a "you said, we did" draft.

let app: App;
let bed: DeskTestBed;
let browser: Browser;
let base: string;
let users: ConsoleUsers;

const STAFF = 'wt-coline';
const NAZ = Array.from({ length: 6 }, (_, i) => `golf-naz-${i}`);
const POT = 'golf-pot-x';

beforeAll(async () => {
  bed = await startDeskTest(
    // A wave launched for now opens on the scheduler's next tick: not 15 s later on a busy machine.
    { SCHEDULER_TICK_MS: '500', SUPPRESSION_MIN_CELL: '5' },
    [{ user: STAFF, role: 'wijkteam', name: 'Coline' }],
  );
  ({ app, browser, base, users } = bed);
  await seedResidents(app, [
    ...NAZ.map((address) => ({ address, area: 'nazareth' })),
    { address: POT, area: 'pottenberg' },
  ]);
}, 90_000);

afterAll(() => bed?.stop());

describe('the waves page', () => {
  it('launches a wave, residents answer, closes it early, shows its suppressed results and drafts "you said, we did"', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page = await signInAs(app, context, base, STAFF);
    await Promise.all([page.waitForURL(`${base}/desk/waves`), page.click('nav.main a[href="/desk/waves"]')]);
    expect(await page.locator('main').textContent()).toContain('Er zijn nog geen rondes.');
    // The CLI's defaults: a reminder after 24 hours, closing after 7 days.
    expect(await page.inputValue('#remind_hours')).toBe('24');
    expect(await page.inputValue('#close_days')).toBe('7');
    await expectNoAxeViolations(page, 'the waves page');
    await screenshot(page, 'desk-waves-360');

    await page.selectOption('#poll', 'cijfer');
    await page.check('#area-nazareth');
    await Promise.all([
      page.waitForURL(/\/desk\/waves\/[0-9a-f-]{36}\?done=launched$/),
      page.click('form[action="/desk/waves/launch"] button'),
    ]);
    const waveId = /waves\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    expect(await page.locator('main [role="status"]').textContent()).toBe('De ronde is gestart.');
    // Launched for now: the scheduler opens it on its next tick, which may come after the page is drawn.
    expect(['gepland', 'loopt']).toContain(await page.locator('#wave-status').textContent());
    const wave = await app.db
      .selectFrom('waves')
      .select(['opens_at', 'remind_at', 'closes_at'])
      .where('id', '=', waveId)
      .executeTakeFirstOrThrow();
    const opens = new Date(wave.opens_at).getTime();
    expect(new Date(wave.remind_at!).getTime() - opens).toBe(24 * 3_600_000);
    expect(new Date(wave.closes_at).getTime() - opens).toBe(7 * 24 * 3_600_000);
    const launch = await app.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'poll.launch')
      .execute();
    expect(launch.map((a) => a.actor)).toEqual([expect.stringMatching(/^staff:\d+$/)]);

    await eventually(
      async () =>
        (await Promise.all(NAZ.map((r) => consoleInbox(app, r)))).every((inbox) => inbox.length === 1),
      20_000,
      'every invitation',
    );
    expect(await consoleInbox(app, POT)).toEqual([]);
    // The invitations went out, so the wave is open now.
    await page.reload();
    expect(await page.locator('#wave-status').textContent()).toBe('loopt');
    expect(await page.locator('main').textContent()).toContain('De uitslag komt als de ronde gesloten is.');
    await expectNoAxeViolations(page, 'a running wave');
    for (const [i, r] of NAZ.entries()) await users.send(r, i < 3 ? '8' : '7', 'Meer groen in de straat');

    await Promise.all([
      page.waitForURL(/done=closed/),
      page.click(`form[action="/desk/waves/${waveId}/close"] button`),
    ]);
    expect(await page.locator('#wave-status').textContent()).toBe('gesloten');
    const results = page.locator('main');
    // Shares in a table with a caption and headers: readable without colour.
    const table = page.locator('main table').first();
    expect(await table.locator('caption').textContent()).toContain('Welk cijfer geef je je buurt?');
    const rows = await table.locator('tbody tr').allTextContents();
    expect(rows.find((r) => r.includes('50%'))).toBeDefined();
    expect(await page.locator('p.mean').textContent()).toBe('Gemiddeld cijfer: 7,5');
    expect(await page.locator('ul.free-texts li').count()).toBe(6);
    expect(await results.textContent()).not.toContain('golf-naz');
    await expectNoAxeViolations(page, 'a closed wave with results');
    await screenshot(page, 'desk-wave-results-360');
    expect(
      (await app.db.selectFrom('audit_log').select('actor').where('action', '=', 'poll.close').execute()).map(
        (a) => a.actor,
      ),
    ).toHaveLength(1);

    await Promise.all([
      page.waitForLoadState(),
      page.click(`form[action="/desk/waves/${waveId}/draft"] button`),
    ]);
    expect(await page.locator('h1').textContent()).toBe('Nieuw bericht');
    expect(await page.inputValue('#text_nl')).toContain('Welk cijfer geef je je buurt?');
    expect(await page.inputValue('#wave')).toBe(waveId);
    expect(await page.locator('#wave option:checked').textContent()).toContain('Cijfer voor je buurt');
    await expectNoAxeViolations(page, 'the compose form with a draft');
    await page.fill('#text_nl', `${await page.inputValue('#text_nl')}\nWij planten bomen.`);
    await Promise.all([
      page.waitForLoadState(),
      page.click('form[action="/desk/broadcasts/preview"] button'),
    ]);
    // Everyone who answered the wave: the six of Nazareth.
    expect(await page.locator('#audience-count').textContent()).toBe('6 bewoners');

    // The same results in English.
    await page.goto(`${base}/desk/language?to=en&back=${encodeURIComponent(`/desk/waves/${waveId}`)}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('p.mean').textContent()).toBe('Average mark: 7.5');
    expect(await page.locator('main table caption').first().textContent()).toContain('What mark do you give');
    await expectNoAxeViolations(page, 'a closed wave with results, in English');
    await context.close();
  }, 150_000);

  it('cancels a wave before it opens, and hides the results of a wave with too few answers', async () => {
    const context = await browser.newContext();
    const page = await signInAs(app, context, base, STAFF);
    await page.goto(`${base}/desk/waves`);
    await page.selectOption('#poll', 'thuis');
    await page.check('#area-pottenberg');
    await page.check('#when-later');
    await page.fill('#at', '2099-03-14T10:00');
    await Promise.all([
      page.waitForURL(/done=launched/),
      page.click('form[action="/desk/waves/launch"] button'),
    ]);
    const later = /waves\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    expect(await page.locator('#wave-status').textContent()).toBe('gepland');
    await Promise.all([
      page.waitForURL(/done=cancelled/),
      page.click(`form[action="/desk/waves/${later}/cancel"] button`),
    ]);
    expect(await page.locator('#wave-status').textContent()).toBe('geannuleerd');
    expect(await page.locator('main [role="status"]').textContent()).toContain(
      'Er gaat geen uitnodiging weg.',
    );

    await page.goto(`${base}/desk/waves`);
    await page.selectOption('#poll', 'thuis');
    await page.check('#area-pottenberg');
    await Promise.all([
      page.waitForURL(/done=launched/),
      page.click('form[action="/desk/waves/launch"] button'),
    ]);
    const few = /waves\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await eventually(async () => (await consoleInbox(app, POT)).length === 1, 20_000, 'the invitation');
    await users.send(POT, '4');
    // The page was drawn when the wave was launched, maybe before the scheduler opened it: now it is open.
    await page.reload();
    await Promise.all([
      page.waitForURL(/done=closed/),
      page.click(`form[action="/desk/waves/${few}/close"] button`),
    ]);
    expect(await page.locator('main').textContent()).toContain(
      'Te weinig antwoorden. We tonen pas iets vanaf 5 mensen.',
    );
    expect(await page.locator('main table').count()).toBe(0);
    await expectNoAxeViolations(page, 'a closed wave with too few answers');
    await context.close();
  }, 90_000);
});
