import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { consoleInbox } from '../helpers/app.js';
import { expectNoAxeViolations, screenshot } from '../helpers/axe.js';
import { type ConsoleUsers, seedResidents } from '../helpers/desk.js';
import { codeSentTo, type DeskTestBed, signInAs, startDeskTest, tabTo } from '../helpers/desk-web.js';
import { eventually } from '../helpers/env.js';

// The help-request inbox of the web desk in real headless Chromium, with console residents asking for
// help through the bot: take, answer (with a preview), close; live updates without reloading; the
// whole task with the keyboard alone; pages at 360 px wide.

let app: App;
let bed: DeskTestBed;
let browser: Browser;
let base: string;
let users: ConsoleUsers;

const STAFF = 'wt-coline';
const KEYBOARD_STAFF = 'wt-kees';
const RESIDENT = 'bewoner-naz-k3';
const SECOND = 'bewoner-pot-m8';
const ENGLISH = 'resident-pot-e5';

beforeAll(async () => {
  bed = await startDeskTest({}, [
    { user: STAFF, role: 'wijkteam', name: 'Coline' },
    { user: KEYBOARD_STAFF, role: 'admin', name: 'Kees' },
  ]);
  ({ app, browser, base, users } = bed);
  await seedResidents(app, [
    { address: RESIDENT, area: 'nazareth' },
    { address: SECOND, area: 'pottenberg' },
  ]);
}, 90_000);

afterAll(() => bed?.stop());

/** Marks the page's document, so a test can tell that it was not reloaded. */
const mark = (page: Page) => page.evaluate(() => ((globalThis as unknown as { kept: number }).kept = 42));
const stillMarked = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { kept?: number }).kept === 42);

describe('the help-request inbox in the browser', () => {
  it('shows a new request without reloading, takes and answers it (the console resident receives it), shows the answer back live, closes it', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
    const page = await signInAs(app, context, base, STAFF);
    expect(page.url()).toBe(`${base}/desk/inbox`);
    expect(await page.title()).toBe('Hulpvragen · Straatpraat bureau');
    expect(await page.locator('#requests').textContent()).toContain('Geen hulpvragen hier.');
    await mark(page);
    const lists = async () =>
      (await app.db.selectFrom('audit_log').select('id').where('action', '=', 'help.list').execute()).length;
    const listedBefore = await lists();

    await users.send(RESIDENT, 'HULP', 'ja', 'Ik snap een brief van de gemeente niet');
    const request = await app.db.selectFrom('help_requests').select('id').executeTakeFirstOrThrow();
    const id = String(request.id);
    // Server-sent events: the row and the count appear in the open page.
    await page.locator(`#requests a[href="/desk/requests/${id}"]`).waitFor({ timeout: 15_000 });
    expect(await stillMarked(page)).toBe(true);
    // A refresh is not a staff member opening the inbox: no audit entry for it.
    expect(await lists()).toBe(listedBefore);
    expect(await page.title()).toBe('(1) Hulpvragen · Straatpraat bureau');
    expect(await page.locator('#waiting').textContent()).toContain('1 wachten op iemand');
    const row = await page.locator('#requests tbody tr').first().textContent();
    expect(row).toContain('Nazareth');
    expect(row).toContain('Ik snap een brief van de gemeente niet');
    await expectNoAxeViolations(page, 'the inbox with a request, at 360 px');
    await screenshot(page, 'desk-inbox-360');

    await Promise.all([
      page.waitForURL(`${base}/desk/requests/${id}`),
      page.click(`a[href="/desk/requests/${id}"]`),
    ]);
    const facts = await page.locator('dl.facts').textContent();
    expect(facts).toContain('Nazareth');
    expect(facts).toContain('Nederlands');
    // Never the resident's chat id (or any address).
    expect(await page.content()).not.toContain(RESIDENT);
    await expectNoAxeViolations(page, 'a request page, at 360 px');
    await Promise.all([
      page.waitForURL(/done=taken/),
      page.click(`form[action="/desk/requests/${id}/take"] button`),
    ]);
    expect(await page.locator('[role="status"]').first().textContent()).toContain(
      `Hulpvraag ${id} is nu van jou`,
    );
    expect(await page.locator('dl.facts').textContent()).toContain('Van Coline');

    await page.fill('#reply', 'Hoi! Ik help je graag met die brief. Wanneer kan ik je bellen?');
    await Promise.all([
      page.waitForLoadState(),
      page.click(`form[action="/desk/requests/${id}/preview"] button`),
    ]);
    const preview = await page.locator('.preview').textContent();
    expect(preview).toContain('Ik help je graag met die brief');
    expect(preview).toContain('Groetjes, Coline — wijkteam Nazareth');
    expect(preview).toContain('Antwoord gewoon op dit bericht.');
    await expectNoAxeViolations(page, 'the reply preview, at 360 px');
    await screenshot(page, 'desk-request-preview-360');
    const before = (await consoleInbox(app, RESIDENT)).length;
    await Promise.all([
      page.waitForURL(/done=sent/),
      page.click(`form[action="/desk/requests/${id}/reply"] button`),
    ]);
    expect(await page.locator('[role="status"]').first().textContent()).toContain(
      'Verstuurd naar de bewoner',
    );
    await users.delivered(RESIDENT);
    const received = (await consoleInbox(app, RESIDENT)).slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]).toContain('Ik help je graag met die brief');
    expect(received[0]).toContain('Groetjes, Coline — wijkteam Nazareth');
    expect(await page.locator('#thread').textContent()).toContain('Coline (wijkteam)');

    // The resident answers in the chat: the open request page shows it without reloading.
    await mark(page);
    await users.send(RESIDENT, 'Morgen om tien uur is goed');
    await page.locator('#thread', { hasText: 'Morgen om tien uur is goed' }).waitFor({ timeout: 15_000 });
    expect(await stillMarked(page)).toBe(true);
    await screenshot(page, 'desk-request-360');

    await Promise.all([
      page.waitForURL(/done=closed/),
      page.click(`form[action="/desk/requests/${id}/close"] button`),
    ]);
    expect(await page.locator('[role="status"]').first().textContent()).toContain(
      `Hulpvraag ${id} is gesloten`,
    );
    await expectNoAxeViolations(page, 'a closed request');
    await page.goto(`${base}/desk/inbox?view=closed`);
    expect(await page.locator('#requests').textContent()).toContain(`#${id}`);
    await expectNoAxeViolations(page, 'the closed view');

    // Every action is in the audit log under the staff member, marked as done on the web.
    const audit = await app.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'details'])
      .where('action', 'in', ['help.take', 'help.reply', 'help.close'])
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['help.take', 'help.reply', 'help.close']);
    for (const entry of audit) {
      expect(entry.actor).toMatch(/^staff:\d+$/);
      expect(entry.details).toMatchObject({ requestId: id, via: 'web' });
    }
    expect(JSON.stringify(audit)).not.toContain(RESIDENT);
    await context.close();
  }, 120_000);

  it('can be done with the keyboard alone: sign in, open, take, preview, send and close', async () => {
    await users.send(SECOND, 'HULP', 'ja', 'Waar vind ik de voedselbank');
    const request = await app.db
      .selectFrom('help_requests')
      .select('id')
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    const id = String(request.id);
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${base}/desk/sign-in`);
    // The first Tab reaches the skip link, which is then visible and moves focus to the content.
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { className: string } } }).document
            .activeElement.className,
      ),
    ).toBe('skip-link');
    expect(await page.locator('.skip-link').isVisible()).toBe(true);
    const outline = await page
      .locator('.skip-link')
      .evaluate(
        (el) =>
          (
            globalThis as unknown as { getComputedStyle(e: unknown): { outlineStyle: string } }
          ).getComputedStyle(el).outlineStyle,
      );
    expect(outline).not.toBe('none');
    await tabTo(page, '#channel');
    // Console is the first channel; the select keeps it.
    await tabTo(page, '#user');
    const seen = (await consoleInbox(app, KEYBOARD_STAFF)).length;
    await page.keyboard.type(KEYBOARD_STAFF);
    await Promise.all([page.waitForLoadState(), page.keyboard.press('Enter')]);
    await page.locator('#code').waitFor();
    const code = await codeSentTo(app, KEYBOARD_STAFF, seen);
    await tabTo(page, '#code');
    await page.keyboard.type(code);
    await Promise.all([page.waitForURL(`${base}/desk/inbox`), page.keyboard.press('Enter')]);

    await tabTo(page, `a[href="/desk/requests/${id}"]`);
    await Promise.all([page.waitForURL(`${base}/desk/requests/${id}`), page.keyboard.press('Enter')]);
    await tabTo(page, `form[action="/desk/requests/${id}/take"] button`);
    await Promise.all([page.waitForURL(/done=taken/), page.keyboard.press('Enter')]);
    await tabTo(page, '#reply');
    await page.keyboard.type('Bij de Kringloop aan de Weg naar Meerssen. Zal ik je de tijden sturen?');
    await tabTo(page, `form[action="/desk/requests/${id}/preview"] button`);
    await Promise.all([page.waitForLoadState(), page.keyboard.press('Enter')]);
    expect(await page.locator('.preview').textContent()).toContain('Groetjes, Kees — wijkteam Pottenberg');
    await tabTo(page, `form[action="/desk/requests/${id}/reply"] button`);
    const before = (await consoleInbox(app, SECOND)).length;
    await Promise.all([page.waitForURL(/done=sent/), page.keyboard.press('Enter')]);
    await users.delivered(SECOND);
    await eventually(async () => (await consoleInbox(app, SECOND)).length > before, 10_000, 'the reply');
    expect((await consoleInbox(app, SECOND)).at(-1)).toContain('Zal ik je de tijden sturen?');
    await tabTo(page, `form[action="/desk/requests/${id}/close"] button`);
    await Promise.all([page.waitForURL(/done=closed/), page.keyboard.press('Enter')]);
    const closed = await app.db
      .selectFrom('help_requests')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(closed.status).toBe('closed');
    // And out again.
    await tabTo(page, 'form[action="/desk/sign-out"] button');
    await Promise.all([page.waitForURL(/\/desk\/sign-in/), page.keyboard.press('Enter')]);
    await context.close();
  }, 120_000);

  it("previews a reply in the resident's own language, signature included, and the resident gets it so", async () => {
    await seedResidents(app, [{ address: ENGLISH, area: 'pottenberg' }]);
    await app.db.updateTable('residents').set({ language: 'en' }).where('address', '=', ENGLISH).execute();
    await users.send(ENGLISH, 'HELP', 'yes', 'I need help with a letter');
    const request = await app.db
      .selectFrom('help_requests as h')
      .innerJoin('residents as r', 'r.id', 'h.resident_id')
      .select('h.id')
      .where('r.address', '=', ENGLISH)
      .executeTakeFirstOrThrow();
    const id = String(request.id);
    const context = await browser.newContext();
    const page = await signInAs(app, context, base, STAFF);
    await page.goto(`${base}/desk/requests/${id}`);
    expect(await page.locator('dl.facts').textContent()).toContain('English');
    await page.fill('#reply', 'Hello! I can help you on Monday.');
    await Promise.all([
      page.waitForLoadState(),
      page.click(`form[action="/desk/requests/${id}/preview"] button`),
    ]);
    expect(await page.locator('.preview').getAttribute('lang')).toBe('en');
    const preview = await page.locator('.preview').textContent();
    expect(preview).toContain('Best wishes, Coline — neighbourhood team Pottenberg');
    expect(preview).toContain('Just reply to this message.');
    // The desk itself stays in Dutch for the staff member.
    expect(await page.locator('h2#preview-title').textContent()).toBe('Zo krijgt de bewoner je bericht');
    await expectNoAxeViolations(page, 'a preview in English');
    const before = (await consoleInbox(app, ENGLISH)).length;
    await Promise.all([
      page.waitForURL(/done=sent/),
      page.click(`form[action="/desk/requests/${id}/reply"] button`),
    ]);
    await users.delivered(ENGLISH);
    const received = (await consoleInbox(app, ENGLISH)).slice(before);
    expect(received).toEqual([
      'Hello! I can help you on Monday.\n\nBest wishes, Coline — neighbourhood team Pottenberg\nJust reply to this message.',
    ]);
    await context.close();
  }, 90_000);

  it('stops the app promptly while a desk page listens for live updates', async () => {
    const context = await browser.newContext();
    const page = await signInAs(app, context, base, STAFF);
    expect(page.url()).toBe(`${base}/desk/inbox`);
    // The page's event stream is open.
    const [events] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/desk/events')),
      page.reload(),
    ]);
    expect(events.headers()['content-type']).toContain('text/event-stream');
    const started = Date.now();
    const stopping = bed.stopApp();
    const outcome = await Promise.race([
      stopping.then(() => 'stopped'),
      new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000)),
    ]);
    expect(outcome).toBe('stopped');
    expect(Date.now() - started).toBeLessThan(10_000);
    await context.close();
  }, 60_000);
});
