import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { RLM } from '../../src/domain/rtl.js';
import { wallTimeOf } from '../../src/domain/time.js';
import { consoleInbox } from '../helpers/app.js';
import { expectNoAxeViolations, screenshot } from '../helpers/axe.js';
import { type ConsoleUsers, seedResidents } from '../helpers/desk.js';
import { type DeskTestBed, signInAs, startDeskTest } from '../helpers/desk-web.js';
import { eventually } from '../helpers/env.js';

// What the wijkteam writes for residents, in every resident language: the compose form has a text
// field per language (Arabic typed right to left), the preview shows each language's own text or says
// it falls back to Dutch, and each resident gets the text in their language.

let app: App;
let bed: DeskTestBed;
let browser: Browser;
let base: string;
let users: ConsoleUsers;

const STAFF = 'wt-talen';
const ARABIC = 'taal-ar-1';
const DUTCH = 'taal-nl-1';
const TURKISH = 'taal-tr-1';
const TEXT_NL = 'Zaterdag is er koffie in het buurthuis.';
const TEXT_AR = 'يوم السبت قهوة في بيت الحي.';

beforeAll(async () => {
  bed = await startDeskTest({ QUIET_HOURS_START: '00:00', QUIET_HOURS_END: '00:00' }, [
    { user: STAFF, role: 'wijkteam', name: 'Talia' },
  ]);
  ({ app, browser, base, users } = bed);
  await seedResidents(app, [
    { address: ARABIC, area: 'nazareth', language: 'ar' },
    { address: DUTCH, area: 'nazareth' },
    { address: TURKISH, area: 'nazareth', language: 'tr' },
  ]);
}, 90_000);

afterAll(() => bed?.stop());

/** From the compose form: the preview, then send; the new flash's id. */
async function previewAndSend(page: Page): Promise<string> {
  await Promise.all([page.waitForLoadState(), page.click('form[action="/desk/broadcasts/preview"] button')]);
  await Promise.all([
    page.waitForURL(/done=created/),
    page.click('form[action="/desk/broadcasts/send"] button'),
  ]);
  return /broadcasts\/([0-9a-f-]{36})/.exec(page.url())![1]!;
}

describe('a flash in the residents’ own languages', () => {
  it('takes a text per resident language, previews each (Dutch where none) and sends each resident theirs', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page = await signInAs(app, context, base, STAFF);
    await page.goto(`${base}/desk/broadcasts/new`);
    // One field per resident language, named for the wijkteam, typed in the language's direction.
    const fields = page.locator('form[action="/desk/broadcasts/preview"] textarea');
    expect(await fields.evaluateAll((els) => els.map((e) => e.getAttribute('name')))).toEqual([
      'text_nl',
      'text_en',
      'text_ar',
      'text_pl',
      'text_tr',
    ]);
    expect(await page.getAttribute('#text_ar', 'lang')).toBe('ar');
    expect(await page.getAttribute('#text_ar', 'dir')).toBe('rtl');
    expect(await page.getAttribute('#text_tr', 'dir')).toBe('ltr');
    expect(await page.locator('label[for="text_ar"]').textContent()).toBe('Tekst in het Arabisch (mag leeg)');
    await expectNoAxeViolations(page, 'the compose form with every language');

    await page.fill('#text_nl', TEXT_NL);
    await page.fill('#text_ar', TEXT_AR);
    await Promise.all([
      page.waitForLoadState(),
      page.click('form[action="/desk/broadcasts/preview"] button'),
    ]);
    expect(await page.locator('#audience-count').textContent()).toBe('3 bewoners');
    const phone = (name: string) =>
      page.locator('figure.phone').filter({ has: page.locator('figcaption', { hasText: name }) });
    // Arabic: its own text, right to left; nothing says it falls back.
    const arabic = phone('العربية').locator('p.message');
    expect(await arabic.textContent()).toBe(TEXT_AR);
    expect(await arabic.getAttribute('dir')).toBe('rtl');
    expect(await arabic.getAttribute('lang')).toBe('ar');
    expect(await phone('العربية').locator('p.hint').count()).toBe(0);
    // Turkish has no text: the Dutch one, marked as such.
    expect(await phone('Türkçe').locator('p.message').textContent()).toBe(TEXT_NL);
    expect(await phone('Türkçe').locator('p.message').getAttribute('lang')).toBe('nl');
    expect(await phone('Türkçe').locator('p.hint').textContent()).toBe(
      'Geen tekst in het Turks: deze bewoners krijgen de Nederlandse tekst.',
    );
    await expectNoAxeViolations(page, 'the preview with an Arabic text');
    await screenshot(page, 'desk-flash-preview-arabic-360');

    // Back to the form: the Arabic text is kept.
    await Promise.all([page.waitForLoadState(), page.click('form[action="/desk/broadcasts/change"] button')]);
    expect(await page.inputValue('#text_ar')).toBe(TEXT_AR);
    const flashId = await previewAndSend(page);
    const stored = await app.db
      .selectFrom('flashes')
      .select('texts')
      .where('id', '=', flashId)
      .executeTakeFirstOrThrow();
    expect(stored.texts).toEqual({ nl: TEXT_NL, ar: TEXT_AR });

    for (const address of [ARABIC, DUTCH, TURKISH])
      await eventually(
        async () => (await consoleInbox(app, address)).length > 0,
        20_000,
        `the flash to ${address}`,
      );
    // The Arabic resident reads it right to left (a right-to-left mark as in every Arabic reply).
    expect(await consoleInbox(app, ARABIC)).toEqual([`${RLM}${TEXT_AR}`]);
    expect(await consoleInbox(app, DUTCH)).toEqual([TEXT_NL]);
    expect(await consoleInbox(app, TURKISH)).toEqual([TEXT_NL]);

    // The report shows each text in its own language and direction.
    const shown = page.locator('main p.message[lang="ar"]');
    expect(await shown.textContent()).toBe(TEXT_AR);
    expect(await shown.getAttribute('dir')).toBe('rtl');
    await expectNoAxeViolations(page, 'the report of a flash with an Arabic text');
    await context.close();
  }, 120_000);

  it('changes the Arabic text of a scheduled flash, and refuses a text field of no resident language', async () => {
    const context = await browser.newContext();
    const page = await signInAs(app, context, base, STAFF);
    await page.goto(`${base}/desk/broadcasts/new`);
    await page.fill('#text_nl', 'Volgende week is de markt.');
    await page.fill('#text_ar', 'السوق الأسبوع القادم.');
    await page.check('#area-pottenberg');
    await page.check('#when-later');
    await page.fill('#at', '2099-01-01T10:00');
    const flashId = await previewAndSend(page);
    expect(await page.inputValue('#edit-ar')).toBe('السوق الأسبوع القادم.');
    expect(await page.getAttribute('#edit-ar', 'dir')).toBe('rtl');
    await page.fill('#edit-ar', 'السوق يوم السبت.');
    await page.fill('#edit-tr', 'Pazar cumartesi günü.');
    await Promise.all([
      page.waitForURL(/done=edited/),
      page.click(`form[action="/desk/broadcasts/${flashId}/edit"] button`),
    ]);
    const stored = await app.db
      .selectFrom('flashes')
      .select('texts')
      .where('id', '=', flashId)
      .executeTakeFirstOrThrow();
    expect(stored.texts).toEqual({
      nl: 'Volgende week is de markt.',
      ar: 'السوق يوم السبت.',
      tr: 'Pazar cumartesi günü.',
    });

    // A field for a language that is not there is refused, naming it; nothing changes.
    await page.evaluate(() => {
      const doc = (
        globalThis as unknown as {
          document: {
            querySelector(s: string): { append(e: unknown): void } | null;
            createElement(t: string): { name: string; value: string; type: string };
          };
        }
      ).document;
      const input = doc.createElement('input');
      input.type = 'hidden';
      input.name = 'text_xx';
      input.value = 'onbekend';
      doc.querySelector('form[action$="/edit"]')?.append(input);
    });
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/edit') && r.request().method() === 'POST'),
      page.click(`form[action="/desk/broadcasts/${flashId}/edit"] button`),
    ]);
    expect(response.status()).toBe(400);
    await page.waitForLoadState();
    expect(await page.locator('main [role="alert"]').textContent()).toContain('text_xx');
    const again = await app.db
      .selectFrom('flashes')
      .select('texts')
      .where('id', '=', flashId)
      .executeTakeFirstOrThrow();
    expect(again.texts).toEqual(stored.texts);
    await context.close();
  }, 90_000);

  it('announces a session and sends its summary with Arabic words that the Arabic resident reads in Arabic', async () => {
    const GUEST = 'taal-ar-sessie';
    await seedResidents(app, [{ address: GUEST, area: 'elders', language: 'ar' }]);
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page = await signInAs(app, context, base, STAFF);
    await page.goto(`${base}/desk/sessions/new`);
    expect(await page.getAttribute('#session-text-ar', 'dir')).toBe('rtl');
    const w = wallTimeOf(new Date(Date.now() + 2 * 86_400_000), 'Europe/Amsterdam');
    const p = (n: number) => String(n).padStart(2, '0');
    await page.fill('#session-at', `${w.year}-${p(w.month)}-${p(w.day)}T19:30`);
    await page.fill('#session-where', 'Buurthuis De Kroon');
    await page.fill('#session-who', 'de wethouder');
    await page.fill('#session-text-nl', 'We praten over het plein.');
    await page.fill('#session-text-ar', 'نتحدث عن الساحة.');
    await page.check('#area-elders');
    await Promise.all([
      page.waitForURL(/done=announced$/),
      page.click('form[action="/desk/sessions/announce"] button'),
    ]);
    const sessionId = /sessions\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    expect(await page.locator('main p.message[lang="ar"]').getAttribute('dir')).toBe('rtl');
    await eventually(async () => (await consoleInbox(app, GUEST)).length > 0, 20_000, 'the announcement');
    const [announcement] = await consoleInbox(app, GUEST);
    expect(announcement).toContain(`${RLM}Straatpraat: تحدّث مع البلدية!`);
    expect(announcement).toContain('نتحدث عن الساحة.');
    expect(announcement).not.toContain('We praten over het plein.');

    await users.send(GUEST, 'JA');
    await eventually(async () => (await consoleInbox(app, GUEST)).length > 1, 20_000, 'the RSVP thanks');
    await page.goto(`${base}/desk/sessions/${sessionId}`);
    expect(await page.getAttribute('#summary-ar', 'dir')).toBe('rtl');
    await expectNoAxeViolations(page, 'a session with a text field per language');
    await page.fill('#summary-nl', 'Het plein krijgt meer bankjes.');
    await page.fill('#summary-ar', 'ستحصل الساحة على مقاعد أكثر.');
    await Promise.all([
      page.waitForURL(/done=summary$/),
      page.click(`form[action="/desk/sessions/${sessionId}/summary"] button`),
    ]);
    await eventually(
      async () => (await consoleInbox(app, GUEST)).some((m) => m.includes('مقاعد أكثر')),
      20_000,
      'the Arabic summary',
    );
    expect((await consoleInbox(app, GUEST)).join('\n')).not.toContain('meer bankjes');
    await context.close();
  }, 120_000);
});
