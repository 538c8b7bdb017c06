import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { AGE_GROUP } from '../../src/db/sealed-columns.js';
import { addStaff } from '../../src/desk/staff.js';
import { wallTimeOf } from '../../src/domain/time.js';
import { seal } from '../../src/privacy/sealed.js';
import { consoleInbox, startTestApp } from '../helpers/app.js';
import { expectNoAxeViolations, screenshot } from '../helpers/axe.js';
import { type ConsoleUsers, seedResidents } from '../helpers/desk.js';
import { type DeskTestBed, signInAs, startDeskTest, tabTo } from '../helpers/desk-web.js';
import { eventually } from '../helpers/env.js';

// The broadcasts pages of the web desk in Chromium: compose a flash, preview it per channel with the
// exact audience count, schedule it, change and cancel it; send another now (with the keyboard alone)
// and watch its delivery report count up without reloading, while console residents receive it.

let app: App;
let bed: DeskTestBed;
let browser: Browser;
let base: string;
let users: ConsoleUsers;
let staffId: number;

const STAFF = 'wt-coline';
const ANALYST = 'an-anna';
const NAZ = ['flits-naz-a1', 'flits-naz-b2'];
const POT = 'flits-pot-c3';
const TIME_ZONE = 'Europe/Amsterdam';

beforeAll(async () => {
  bed = await startDeskTest({ TIME_ZONE }, [
    { user: STAFF, role: 'wijkteam', name: 'Coline' },
    { user: ANALYST, role: 'analyst', name: 'Anna' },
  ]);
  ({ app, browser, base, users } = bed);
  staffId = bed.staffIds[STAFF]!;
  await seedResidents(app, [
    { address: NAZ[0]!, area: 'nazareth' },
    { address: NAZ[1]!, area: 'nazareth' },
    { address: POT, area: 'pottenberg' },
  ]);
}, 90_000);

afterAll(() => bed?.stop());

/** "2026-03-14T10:00" two days from now, on the wall clock of the time zone. */
function inTwoDays(): string {
  const w = wallTimeOf(new Date(Date.now() + 2 * 86_400_000), TIME_ZONE);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)}T10:00`;
}

const audit = async (action: string) =>
  app.db.selectFrom('audit_log').select(['actor', 'details']).where('action', '=', action).execute();

describe('the broadcasts pages', () => {
  it('composes, previews and schedules a flash for one area, changes its text and cancels it; every page passes axe at 360 px', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page = await signInAs(app, context, base, STAFF);
    await Promise.all([
      page.waitForURL(`${base}/desk/broadcasts`),
      page.click('nav.main a[href="/desk/broadcasts"]'),
    ]);
    expect(await page.locator('main').textContent()).toContain('Er zijn nog geen berichten.');
    await expectNoAxeViolations(page, 'the broadcasts list');
    await Promise.all([
      page.waitForURL(`${base}/desk/broadcasts/new`),
      page.click('a[href="/desk/broadcasts/new"]'),
    ]);
    await expectNoAxeViolations(page, 'the compose form');
    await screenshot(page, 'desk-flash-compose-360');

    await page.fill('#text_nl', 'Zaterdag is er koffie in het buurthuis.');
    await page.fill('#text_en', 'On Saturday there is coffee in the community centre.');
    await page.check('#area-nazareth');
    await page.check('#rsvp');
    await page.check('#when-later');
    await page.fill('#at', inTwoDays());
    await Promise.all([
      page.waitForLoadState(),
      page.click('form[action="/desk/broadcasts/preview"] button'),
    ]);
    expect(await page.locator('h1').textContent()).toBe('Voorbeeld van het bericht');
    // The exact count: the two residents of Nazareth, not the one of Pottenberg.
    expect(await page.locator('#audience-count').textContent()).toBe('2 bewoners');
    const phones = page.locator('figure.phone');
    // Both languages, on the channel these residents are on (console).
    expect(await phones.count()).toBe(2);
    expect(await phones.locator('figcaption').allTextContents()).toEqual([
      'Console · Nederlands',
      'Console · English',
    ]);
    const dutch = await phones.first().textContent();
    expect(dutch).toContain('Zaterdag is er koffie in het buurthuis.');
    expect(dutch).toContain('JA');
    expect(await page.locator('main').textContent()).toContain('On Saturday there is coffee');
    await expectNoAxeViolations(page, 'the flash preview');
    await screenshot(page, 'desk-flash-preview-360');
    // Back to the form: nothing is lost.
    await Promise.all([page.waitForLoadState(), page.click('form[action="/desk/broadcasts/change"] button')]);
    expect(await page.inputValue('#text_nl')).toBe('Zaterdag is er koffie in het buurthuis.');
    expect(await page.isChecked('#area-nazareth')).toBe(true);
    expect(await page.isChecked('#area-pottenberg')).toBe(false);
    expect(await page.isChecked('#when-later')).toBe(true);
    await Promise.all([
      page.waitForLoadState(),
      page.click('form[action="/desk/broadcasts/preview"] button'),
    ]);
    await Promise.all([
      page.waitForURL(/\/desk\/broadcasts\/[0-9a-f-]{36}\?done=created$/),
      page.click('form[action="/desk/broadcasts/send"] button'),
    ]);
    const flashId = /broadcasts\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    expect(await page.locator('main').textContent()).toContain('Het bericht is aangemaakt.');
    expect(await page.locator('#flash-status').textContent()).toBe('gepland');
    expect(await page.locator('#figures').textContent()).toContain('2');
    await expectNoAxeViolations(page, 'a scheduled flash');
    await screenshot(page, 'desk-flash-scheduled-360');
    const broadcast = await app.db
      .selectFrom('broadcasts')
      .select(['status', 'send_at'])
      .where('flash_id', '=', flashId)
      .executeTakeFirstOrThrow();
    expect(broadcast.status).toBe('scheduled');
    const at = wallTimeOf(new Date(broadcast.send_at), TIME_ZONE);
    expect([at.hour, at.minute]).toEqual([10, 0]);
    expect((await audit('flash.send'))[0]!.actor).toBe(`staff:${staffId}`);

    await page.fill('#edit-nl', 'Zaterdag om 10 uur is er koffie in het buurthuis.');
    await Promise.all([
      page.waitForURL(/done=edited/),
      page.click(`form[action="/desk/broadcasts/${flashId}/edit"] button`),
    ]);
    expect(await page.locator('main').textContent()).toContain('Zaterdag om 10 uur is er koffie');
    expect((await audit('flash.edit')).map((a) => a.actor)).toEqual([`staff:${staffId}`]);

    await Promise.all([
      page.waitForURL(`${base}/desk/broadcasts?done=cancelled`),
      page.click(`form[action="/desk/broadcasts/${flashId}/cancel"] button`),
    ]);
    expect(await page.locator('main [role="status"]').textContent()).toContain('Het bericht is geannuleerd.');
    expect(await page.locator('tbody').textContent()).toContain('geannuleerd');
    await expectNoAxeViolations(page, 'the broadcasts list with a cancelled flash');
    expect(
      (
        await app.db
          .selectFrom('broadcasts')
          .select('status')
          .where('flash_id', '=', flashId)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('cancelled');
    expect((await audit('flash.cancel')).map((a) => a.actor)).toEqual([`staff:${staffId}`]);
    for (const address of [...NAZ, POT]) expect(await consoleInbox(app, address)).toEqual([]);
    // Cancelled is cancelled: a second try is refused, the page says why.
    await page.goto(`${base}/desk/broadcasts/${flashId}`);
    expect(await page.locator(`form[action="/desk/broadcasts/${flashId}/cancel"]`).count()).toBe(0);
    await context.close();
  }, 120_000);

  it('refuses a flash without Dutch text or with a time that has passed, and an analyst', async () => {
    const context = await browser.newContext();
    const page = await signInAs(app, context, base, STAFF);
    await page.goto(`${base}/desk/broadcasts/new`);
    const flashesBefore = (await app.db.selectFrom('flashes').select('id').execute()).length;
    const submit = async (action: string) => {
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url() === `${base}${action}` && r.request().method() === 'POST'),
        page.click(`form[action="${action}"] button`),
      ]);
      await page.waitForLoadState();
      return response.status();
    };
    // Spaces pass the browser's `required`; the server trims them away.
    await page.fill('#text_nl', '   ');
    expect(await submit('/desk/broadcasts/preview')).toBe(400);
    expect(await page.locator('main [role="alert"]').textContent()).toBe(
      'Schrijf eerst de Nederlandse tekst.',
    );
    await expectNoAxeViolations(page, 'the compose form with a problem');
    await page.fill('#text_nl', 'Hallo');
    await page.check('#when-later');
    await page.fill('#at', '2020-01-01T10:00');
    expect(await submit('/desk/broadcasts/preview')).toBe(400);
    expect(await page.locator('main [role="alert"]').textContent()).toContain('Die tijd is al voorbij.');
    // The text is kept for the next try.
    expect(await page.inputValue('#text_nl')).toBe('Hallo');
    // A form without the session's token is refused.
    await page.evaluate(() => {
      const doc = (
        globalThis as unknown as { document: { querySelector(s: string): { remove(): void } | null } }
      ).document;
      doc.querySelector('form[action="/desk/broadcasts/preview"] input[name="_csrf"]')?.remove();
    });
    await page.fill('#at', inTwoDays());
    expect(await submit('/desk/broadcasts/preview')).toBe(403);
    // Nothing was created.
    expect(await app.db.selectFrom('flashes').select('id').execute()).toHaveLength(flashesBefore);
    const analyst = await signInAs(app, await browser.newContext(), base, ANALYST);
    const response = await analyst.goto(`${base}/desk/broadcasts`);
    expect(response?.status()).toBe(403);
    await context.close();
  }, 90_000);

  it('sends a flash now with the keyboard alone; its report counts up live while residents receive it', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page = await signInAs(app, context, base, STAFF);
    await page.goto(`${base}/desk/broadcasts/new`);
    await tabTo(page, '#text_nl');
    await page.keyboard.type('Morgen wordt het plein schoongemaakt.');
    await tabTo(page, '#rsvp');
    await page.keyboard.press('Space');
    // Send now is the default; on to the preview button.
    await tabTo(page, 'form[action="/desk/broadcasts/preview"] button');
    await Promise.all([page.waitForURL(`${base}/desk/broadcasts/preview`), page.keyboard.press('Enter')]);
    expect(await page.locator('#audience-count').textContent()).toBe('3 bewoners');
    await tabTo(page, 'form[action="/desk/broadcasts/send"] button');
    // The live page is kept: the figures change in it without reloading.
    await Promise.all([page.waitForURL(/done=created/), page.keyboard.press('Enter')]);
    await page.evaluate(() => ((globalThis as unknown as { kept: number }).kept = 42));
    const flashId = /broadcasts\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    for (const address of [...NAZ, POT]) await users.delivered(address);
    await eventually(
      async () => (await page.locator('#flash-status').textContent()) === 'verstuurd',
      20_000,
      'the report to say sent',
    );
    await eventually(
      async () => /Verstuurd\s*3/.test((await page.locator('#figures').textContent()) ?? ''),
      20_000,
      'the report to count 3 sent',
    );
    expect(await page.evaluate(() => (globalThis as unknown as { kept?: number }).kept)).toBe(42);
    for (const address of [...NAZ, POT])
      expect(await consoleInbox(app, address)).toEqual([
        'Morgen wordt het plein schoongemaakt.\n\nKom je? Stuur JA.',
      ]);
    // A resident says JA: the open page counts it, still without reloading.
    await users.send(NAZ[0]!, 'JA');
    await eventually(
      async () => /Aanmeldingen \(JA\)\s*1/.test((await page.locator('#figures').textContent()) ?? ''),
      20_000,
      'the report to count the RSVP',
    );
    expect(await page.evaluate(() => (globalThis as unknown as { kept?: number }).kept)).toBe(42);
    await expectNoAxeViolations(page, 'a sent flash report');
    await screenshot(page, 'desk-flash-report-360');

    // Without JavaScript the report is the same page, by reloading.
    const plain = await browser.newContext({ javaScriptEnabled: false });
    await plain.addCookies(await context.cookies());
    const still = await plain.newPage();
    await still.goto(`${base}/desk/broadcasts/${flashId}`);
    expect(await still.locator('#figures').textContent()).toMatch(/Verstuurd\s*3/);
    await plain.close();
    await context.close();
  }, 120_000);
});

describe('a flash about a news topic', () => {
  it('reaches only the residents who chose that topic or chose none; the preview names topic and age groups', async () => {
    await seedResidents(app, [
      { address: 'onderwerp-ouderen', area: 'elders' },
      { address: 'onderwerp-jongeren', area: 'elders' },
      { address: 'onderwerp-geen-keuze', area: 'elders' },
    ]);
    await app.db
      .updateTable('residents')
      .set({ news_topics: ['ouderen'], age_group: seal('65plus', AGE_GROUP) })
      .where('address', '=', 'onderwerp-ouderen')
      .execute();
    await app.db
      .updateTable('residents')
      .set({ news_topics: ['jongeren'], age_group: seal('65plus', AGE_GROUP) })
      .where('address', '=', 'onderwerp-jongeren')
      .execute();
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page = await signInAs(app, context, base, STAFF);
    await page.goto(`${base}/desk/broadcasts/new`);
    // Topics and age groups are fieldsets with a legend, as areas are.
    expect(await page.locator('fieldset legend').allTextContents()).toEqual(
      expect.arrayContaining(['Onderwerpen', 'Leeftijdsgroepen']),
    );
    expect(await page.locator('label[for="topic-ouderen"]').textContent()).toBe('Ouderen');
    expect(await page.locator('input[name^="age-"]').evaluateAll((els) => els.map((e) => e.id))).toEqual([
      'age-16-26',
      'age-27-40',
      'age-41-65',
      'age-65plus',
      'age-geen',
    ]);
    await page.fill('#text_nl', 'Donderdag is de seniorenmiddag.');
    await page.check('#area-elders');
    await page.check('#topic-ouderen');
    await page.check('#age-65plus');
    await Promise.all([
      page.waitForLoadState(),
      page.click('form[action="/desk/broadcasts/preview"] button'),
    ]);
    const facts = await page.locator('dl.facts').textContent();
    expect(facts).toContain('over Ouderen');
    expect(facts).toContain('leeftijd Ouder dan 65');
    // Of those two only the one who chose ouderen gave 65+; who chose jongeren is not counted.
    expect(await page.locator('#audience-count').textContent()).toBe('1 bewoner');
    await expectNoAxeViolations(page, 'a preview with topic and age group');
    // Back: the choices are kept; without the age group two residents remain.
    await Promise.all([page.waitForLoadState(), page.click('form[action="/desk/broadcasts/change"] button')]);
    expect(await page.isChecked('#topic-ouderen')).toBe(true);
    expect(await page.isChecked('#age-65plus')).toBe(true);
    await page.uncheck('#age-65plus');
    await Promise.all([
      page.waitForLoadState(),
      page.click('form[action="/desk/broadcasts/preview"] button'),
    ]);
    expect(await page.locator('#audience-count').textContent()).toBe('2 bewoners');
    await Promise.all([
      page.waitForURL(/done=created/),
      page.click('form[action="/desk/broadcasts/send"] button'),
    ]);
    expect(await page.locator('main').textContent()).toContain('over Ouderen');
    for (const address of ['onderwerp-ouderen', 'onderwerp-geen-keuze'])
      await eventually(
        async () => (await consoleInbox(app, address)).length > 0,
        20_000,
        `the flash to reach ${address}`,
      );
    await users.delivered('onderwerp-jongeren');
    expect(await consoleInbox(app, 'onderwerp-ouderen')).toEqual(['Donderdag is de seniorenmiddag.']);
    expect(await consoleInbox(app, 'onderwerp-geen-keuze')).toEqual(['Donderdag is de seniorenmiddag.']);
    expect(await consoleInbox(app, 'onderwerp-jongeren')).toEqual([]);
    for (const address of [...NAZ, POT])
      expect(await consoleInbox(app, address)).not.toContain('Donderdag is de seniorenmiddag.');
    const sent = await audit('flash.send');
    expect(sent.at(-1)!.details).toMatchObject({ audience: { areas: ['elders'], topics: ['ouderen'] } });
    await context.close();
  }, 120_000);
});

describe('a flash composed in quiet hours', () => {
  let quiet: { app: App; stop: () => Promise<void> };

  beforeAll(async () => {
    // Quiet hours from an hour ago until two hours from now, on the wall clock of the time zone.
    const clock = (ms: number) => {
      const w = wallTimeOf(new Date(Date.now() + ms), TIME_ZONE);
      return `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
    };
    quiet = await startTestApp({
      QUIET_HOURS_START: clock(-3_600_000),
      QUIET_HOURS_END: clock(2 * 3_600_000),
      ONBOARDING_POLL: 'false',
      TIME_ZONE,
    });
    await addStaff(
      quiet.app.db,
      { channel: 'console', user: STAFF, role: 'wijkteam', name: 'Coline' },
      'cli',
      new Date(),
    );
    await seedResidents(quiet.app, [{ address: 'stil-naz-1', area: 'nazareth' }]);
  }, 90_000);

  afterAll(async () => {
    await quiet?.stop();
  });

  it('says in the preview that it waits until quiet hours end, and it does', async () => {
    const quietBase = `http://127.0.0.1:${quiet.app.httpPort}`;
    const context = await browser.newContext();
    const page = await signInAs(quiet.app, context, quietBase, STAFF);
    await page.goto(`${quietBase}/desk/broadcasts/new`);
    await page.fill('#text_nl', 'Morgen is de markt.');
    await Promise.all([
      page.waitForLoadState(),
      page.click('form[action="/desk/broadcasts/preview"] button'),
    ]);
    expect(await page.locator('dl.facts').textContent()).toContain('Het is nu stil. Het gaat');
    await expectNoAxeViolations(page, 'a preview in quiet hours');
    await Promise.all([
      page.waitForURL(/done=created/),
      page.click('form[action="/desk/broadcasts/send"] button'),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await consoleInbox(quiet.app, 'stil-naz-1')).toEqual([]);
    await context.close();
  }, 90_000);
});
