import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { wallTimeOf } from '../../src/domain/time.js';
import { consoleInbox } from '../helpers/app.js';
import { expectNoAxeViolations, screenshot } from '../helpers/axe.js';
import { type ConsoleUsers, seedResidents } from '../helpers/desk.js';
import { type DeskTestBed, signInAs, startDeskTest } from '../helpers/desk-web.js';
import { eventually } from '../helpers/env.js';

// Straatpraat sessions on the web desk in Chromium: announce one for an area, read the questions
// residents sent in advance by theme (never who asked), send the summary, call the session off.

let app: App;
let bed: DeskTestBed;
let browser: Browser;
let base: string;
let users: ConsoleUsers;
let staffId: number;

const STAFF = 'wt-sanne';
const ANALYST = 'an-arno';
const COMES = 'sessie-naz-komt';
const ASKS = 'sessie-naz-vraagt';
const POT = 'sessie-pot';
const TIME_ZONE = 'Europe/Amsterdam';

beforeAll(async () => {
  bed = await startDeskTest({ TIME_ZONE }, [
    { user: STAFF, role: 'wijkteam', name: 'Sanne' },
    { user: ANALYST, role: 'analyst', name: 'Arno' },
  ]);
  ({ app, browser, base, users } = bed);
  staffId = bed.staffIds[STAFF]!;
  await seedResidents(app, [
    { address: COMES, area: 'nazareth' },
    { address: ASKS, area: 'nazareth' },
    { address: POT, area: 'pottenberg' },
  ]);
}, 90_000);

afterAll(() => bed?.stop());

/** "2026-03-14T19:30" two days from now, on the wall clock of the time zone. */
function inTwoDays(): string {
  const w = wallTimeOf(new Date(Date.now() + 2 * 86_400_000), TIME_ZONE);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)}T19:30`;
}

const audit = async (action: string) =>
  app.db.selectFrom('audit_log').select(['actor', 'details']).where('action', '=', action).execute();

const has = async (address: string, part: string) =>
  (await consoleInbox(app, address)).some((m) => m.includes(part));

describe('straatpraat sessions on the desk', () => {
  it('announces a session, shows the questions by theme, sends the summary and calls it off; axe at 360 px', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page = await signInAs(app, context, base, STAFF);
    await page.goto(`${base}/desk/broadcasts`);
    await Promise.all([page.waitForURL(`${base}/desk/sessions`), page.click('a[href="/desk/sessions"]')]);
    expect(await page.locator('main').textContent()).toContain('Er zijn nog geen bijeenkomsten.');
    await expectNoAxeViolations(page, 'the sessions list');
    await Promise.all([
      page.waitForURL(`${base}/desk/sessions/new`),
      page.click('a[href="/desk/sessions/new"]'),
    ]);
    await expectNoAxeViolations(page, 'the announce form');
    await screenshot(page, 'desk-session-new-360');

    // Without a place the form says what is missing and keeps what was typed.
    await page.fill('#session-at', inTwoDays());
    await page.fill('#session-who', 'de wethouder');
    await page.check('#area-nazareth');
    await page.evaluate(() => {
      const doc = (
        globalThis as unknown as {
          document: { querySelector(s: string): { removeAttribute(a: string): void } };
        }
      ).document;
      doc.querySelector('#session-where').removeAttribute('required');
    });
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${base}/desk/sessions/announce`),
      page.click('form[action="/desk/sessions/announce"] button'),
    ]);
    await page.waitForLoadState();
    expect(refused.status()).toBe(400);
    expect(await page.locator('main [role="alert"]').textContent()).toBe('Vul in waar het is en wie er is.');
    expect(await page.inputValue('#session-who')).toBe('de wethouder');
    expect(await page.isChecked('#area-nazareth')).toBe(true);
    await expectNoAxeViolations(page, 'the announce form with a problem');

    await page.fill('#session-where', 'Buurthuis De Kroon');
    await page.fill('#session-text-nl', 'We praten over het nieuwe plein.');
    await Promise.all([
      page.waitForURL(/\/desk\/sessions\/[0-9a-f-]{36}\?done=announced$/),
      page.click('form[action="/desk/sessions/announce"] button'),
    ]);
    const sessionId = /sessions\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    expect(await page.locator('main [role="status"]').textContent()).toBe('De bijeenkomst is aangekondigd.');
    expect(await page.locator('h1').textContent()).toBe('Bijeenkomst in Buurthuis De Kroon');
    const announced = await audit('session.announce');
    expect(announced.map((a) => a.actor)).toEqual([`staff:${staffId}`]);
    expect(announced[0]!.details).toMatchObject({ flashId: sessionId, audience: { areas: ['nazareth'] } });

    // Nazareth is invited, Pottenberg is not.
    for (const address of [COMES, ASKS])
      await eventually(
        () => has(address, 'Buurthuis De Kroon'),
        20_000,
        `the invitation to reach ${address}`,
      );
    await users.delivered(POT);
    expect(await consoleInbox(app, POT)).toEqual([]);

    await users.send(COMES, 'JA');
    await users.send(ASKS, 'VRAAG');
    await users.send(ASKS, 'Wat gebeurt er met de oude school?');
    await users.send(ASKS, 'leren');

    await page.goto(`${base}/desk/sessions/${sessionId}`);
    expect(await page.locator('#questions-title').textContent()).toBe('Vragen vooraf (1 vraag)');
    expect(await page.locator('main h3').allTextContents()).toEqual(['Leren en kansen (1)']);
    expect(await page.locator('ul.questions').textContent()).toContain('Wat gebeurt er met de oude school?');
    // Who asked is never on the page.
    expect(await page.locator('main').textContent()).not.toContain(ASKS);
    expect(await page.locator('#figures').textContent()).toMatch(/Aanmeldingen \(JA\)\s*1/);
    expect((await audit('session.questions')).map((a) => a.details)).toContainEqual(
      expect.objectContaining({ flashId: sessionId, via: 'web' }),
    );
    await expectNoAxeViolations(page, 'a session with questions');
    await screenshot(page, 'desk-session-360');

    await page.fill('#summary-nl', 'Dank voor jullie komst. Het plein krijgt meer bankjes.');
    await Promise.all([
      page.waitForURL(/done=summary$/),
      page.click(`form[action="/desk/sessions/${sessionId}/summary"] button`),
    ]);
    expect(await page.locator('main [role="status"]').textContent()).toBe('Het verslag gaat nu weg.');
    for (const address of [COMES, ASKS])
      await eventually(() => has(address, 'meer bankjes'), 20_000, `the summary to reach ${address}`);
    expect((await audit('session.summary')).map((a) => a.actor)).toEqual([`staff:${staffId}`]);

    await Promise.all([
      page.waitForURL(`${base}/desk/sessions?done=cancelled`),
      page.click(`form[action="/desk/sessions/${sessionId}/cancel"] button`),
    ]);
    expect(await page.locator('main [role="status"]').textContent()).toContain('De bijeenkomst is afgelast.');
    expect(await page.locator('tbody').textContent()).toContain('afgelast');
    expect((await audit('session.cancel')).map((a) => a.actor)).toEqual([`staff:${staffId}`]);
    await expectNoAxeViolations(page, 'the sessions list with a cancelled session');
    // Who said they would come is told; the page offers no second cancel.
    await eventually(() => has(COMES, 'gaat niet door'), 20_000, 'the cancel notice');
    await page.goto(`${base}/desk/sessions/${sessionId}`);
    expect(await page.locator(`form[action="/desk/sessions/${sessionId}/cancel"]`).count()).toBe(0);
    expect(await page.locator('#session-status').textContent()).toBe('afgelast');
    await context.close();
  }, 180_000);

  it('refuses an analyst, an invitation that goes after the session, and a form without the session token', async () => {
    const analyst = await signInAs(app, await browser.newContext(), base, ANALYST);
    expect((await analyst.goto(`${base}/desk/sessions`))?.status()).toBe(403);
    expect((await analyst.goto(`${base}/desk/sessions/new`))?.status()).toBe(403);
    const context = await browser.newContext();
    const page = await signInAs(app, context, base, STAFF);
    await page.goto(`${base}/desk/sessions/new`);
    await page.fill('#session-at', inTwoDays());
    await page.fill('#session-where', 'Buurthuis');
    await page.fill('#session-who', 'het wijkteam');
    // An invitation that would go after the session is refused, with the reason.
    await page.fill('#session-send-at', `${inTwoDays().slice(0, 10)}T21:00`);
    const [late] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${base}/desk/sessions/announce`),
      page.click('form[action="/desk/sessions/announce"] button'),
    ]);
    await page.waitForLoadState();
    expect(late.status()).toBe(400);
    expect(await page.locator('main [role="alert"]').textContent()).toBe(
      'De uitnodiging moet voor de bijeenkomst weg. Kies een eerdere tijd.',
    );
    await page.fill('#session-send-at', '');
    await page.evaluate(() => {
      const doc = (
        globalThis as unknown as { document: { querySelector(s: string): { remove(): void } | null } }
      ).document;
      doc.querySelector('form[action="/desk/sessions/announce"] input[name="_csrf"]')?.remove();
    });
    const before = (await app.db.selectFrom('flashes').select('id').execute()).length;
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${base}/desk/sessions/announce`),
      page.click('form[action="/desk/sessions/announce"] button'),
    ]);
    expect(response.status()).toBe(403);
    expect(await app.db.selectFrom('flashes').select('id').execute()).toHaveLength(before);
    await context.close();
  }, 90_000);
});
