import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { addStaff } from '../../src/desk/staff.js';
import { consoleInbox, startTestApp } from '../helpers/app.js';
import { launchChromium } from '../helpers/axe.js';
import { ConsoleUsers, seedResidents } from '../helpers/desk.js';
import { codeSentTo } from '../helpers/desk-web.js';
import { eventually } from '../helpers/env.js';

// Every main task of the web desk with the keyboard alone, in one go: Tab, Shift+Tab, Enter, Space,
// typing (and the arrow keys inside a radio group, as a keyboard user moves between its options).
// No mouse, and after signing in no typed addresses: only links followed with the keyboard.

let app: App;
let stop: () => Promise<void>;
let browser: Browser;
let base: string;
let users: ConsoleUsers;

const STAFF = 'wt-toetsenbord';
const RESIDENT = 'toets-naz-h1';
const AUTHOR = 'toets-pot-i2';

beforeAll(async () => {
  browser = await launchChromium();
  ({ app, stop } = await startTestApp({
    QUIET_HOURS_START: '00:00',
    QUIET_HOURS_END: '00:00',
    ONBOARDING_POLL: 'false',
  }));
  base = `http://127.0.0.1:${app.httpPort}`;
  users = new ConsoleUsers(app);
  await addStaff(
    app.db,
    { channel: 'console', user: STAFF, role: 'wijkteam', name: 'Karin' },
    'cli',
    new Date(),
  );
  await seedResidents(app, [
    { address: RESIDENT, area: 'nazareth' },
    { address: AUTHOR, area: 'pottenberg' },
  ]);
  const author = await app.db
    .selectFrom('residents')
    .select('id')
    .where('address', '=', AUTHOR)
    .executeTakeFirstOrThrow();
  await app.db
    .insertInto('ideas')
    .values({
      resident_id: author.id,
      text: 'Een bankje bij de bushalte',
      theme: 'wonen',
      area: 'pottenberg',
      language: 'nl',
      created_at: new Date(),
      updated_at: new Date(),
    })
    .execute();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stop?.();
});

type Doc = {
  document: {
    activeElement: { matches(s: string): boolean } | null;
  };
  getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string };
};

/** Whether the focused element matches `selector`. */
const focusedIs = (page: Page, selector: string) =>
  page.evaluate(
    (sel) => (globalThis as unknown as Doc).document.activeElement?.matches(sel) ?? false,
    selector,
  );

/** Presses Tab (or Shift+Tab) until the focused element matches `selector` (at most 80 times). */
async function tabTo(page: Page, selector: string, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press(key);
    if (await focusedIs(page, selector)) return;
  }
  throw new Error(`${key} never reached ${selector}`);
}

/** The focused element shows a visible outline (the desk's :focus-visible style). */
async function expectVisibleFocus(page: Page): Promise<void> {
  const outline = await page.evaluate(() => {
    const g = globalThis as unknown as Doc;
    const style = g.getComputedStyle(g.document.activeElement);
    return { style: style.outlineStyle, width: style.outlineWidth };
  });
  expect(outline.style).not.toBe('none');
  expect(Number.parseFloat(outline.width)).toBeGreaterThan(0);
}

/** Presses Enter on the focused link or button and waits for the page it leads to. */
async function enterTo(page: Page, url: string | RegExp): Promise<void> {
  await Promise.all([page.waitForURL(url), page.keyboard.press('Enter')]);
  await page.waitForLoadState();
}

describe('the web desk with the keyboard alone', () => {
  it('signs in, answers and closes a help request, changes an idea, schedules and cancels a flash, launches a wave and opens the overview', async () => {
    await users.send(RESIDENT, 'HULP', 'ja', 'Mijn verwarming doet het niet');
    const request = String(
      (await app.db.selectFrom('help_requests').select('id').executeTakeFirstOrThrow()).id,
    );
    const idea = String((await app.db.selectFrom('ideas').select('id').executeTakeFirstOrThrow()).id);
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page = await context.newPage();

    // Sign in: the channel by typing its name in the list, the identity, then the code from the chat.
    await page.goto(`${base}/desk/sign-in`);
    await tabTo(page, '.skip-link');
    await expectVisibleFocus(page);
    await tabTo(page, '#channel');
    await page.keyboard.type('Console');
    expect(await page.inputValue('#channel')).toBe('console');
    await tabTo(page, '#user');
    await expectVisibleFocus(page);
    await page.keyboard.type(STAFF);
    const seen = (await consoleInbox(app, STAFF)).length;
    await tabTo(page, 'form[action="/desk/sign-in"] button');
    await expectVisibleFocus(page);
    await enterTo(page, `${base}/desk/sign-in`);
    const code = await codeSentTo(app, STAFF, seen);
    await tabTo(page, '#code');
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/desk/inbox`);
    await page.waitForLoadState();

    // The inbox: open the request, take it, answer it with a preview, close it.
    await tabTo(page, `#requests a[href="/desk/requests/${request}"]`);
    await expectVisibleFocus(page);
    await enterTo(page, `${base}/desk/requests/${request}`);
    await tabTo(page, `form[action="/desk/requests/${request}/take"] button`);
    await expectVisibleFocus(page);
    await enterTo(page, /done=taken/);
    await tabTo(page, '#reply');
    await page.keyboard.type('Hoi! Ik bel de woningbouw voor je. Ben je morgen thuis?');
    await tabTo(page, `form[action="/desk/requests/${request}/preview"] button`);
    await enterTo(page, `${base}/desk/requests/${request}/preview`);
    expect(await page.locator('.preview').textContent()).toContain('Groetjes, Karin');
    await tabTo(page, `form[action="/desk/requests/${request}/reply"] button`);
    await enterTo(page, /done=sent/);
    await users.delivered(RESIDENT);
    expect((await consoleInbox(app, RESIDENT)).at(-1)).toContain(
      'Hoi! Ik bel de woningbouw voor je. Ben je morgen thuis?',
    );
    await tabTo(page, `form[action="/desk/requests/${request}/close"] button`);
    await enterTo(page, /done=closed/);
    expect((await app.db.selectFrom('help_requests').select('status').executeTakeFirstOrThrow()).status).toBe(
      'closed',
    );

    // Ideas: from the menu to the idea, its status by typing in the list, saved with Enter.
    // The menu is above the page: Shift+Tab goes back up to it.
    await tabTo(page, 'nav.main a[href="/desk/ideas"]', 'Shift+Tab');
    await expectVisibleFocus(page);
    await enterTo(page, `${base}/desk/ideas`);
    await tabTo(page, `a[href="/desk/ideas/${idea}"]`);
    await enterTo(page, `${base}/desk/ideas/${idea}`);
    await tabTo(page, '#new-status');
    await page.keyboard.type('gepland');
    expect(await page.inputValue('#new-status')).toBe('gepland');
    await tabTo(page, `form[action="/desk/ideas/${idea}/status"] button`);
    await enterTo(page, `${base}/desk/ideas/${idea}/status`);
    expect(await page.locator('main').textContent()).toContain(`Idee ${idea} heeft nu de status: gepland`);
    expect(
      (await app.db.selectFrom('ideas').select('status').where('id', '=', idea).executeTakeFirstOrThrow())
        .status,
    ).toBe('gepland');

    // A flash: compose, for Nazareth (Space ticks the box), later (the arrow key in the radio group),
    // preview with the exact count, schedule, then cancel.
    await tabTo(page, 'nav.main a[href="/desk/broadcasts"]', 'Shift+Tab');
    await enterTo(page, `${base}/desk/broadcasts`);
    await tabTo(page, 'a[href="/desk/broadcasts/new"]');
    await enterTo(page, `${base}/desk/broadcasts/new`);
    await tabTo(page, '#text_nl');
    await expectVisibleFocus(page);
    await page.keyboard.type('Dinsdag is de buurtschouw. Loop je mee?');
    await tabTo(page, '#area-nazareth');
    await page.keyboard.press('Space');
    expect(await page.isChecked('#area-nazareth')).toBe(true);
    await tabTo(page, '#when-now');
    await page.keyboard.press('ArrowDown');
    expect(await page.isChecked('#when-later')).toBe(true);
    // The time is filled in: an hour from now.
    expect(await page.inputValue('#at')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    await tabTo(page, 'form[action="/desk/broadcasts/preview"] button');
    await enterTo(page, `${base}/desk/broadcasts/preview`);
    expect(await page.locator('#audience-count').textContent()).toBe('1 bewoner');
    await tabTo(page, 'form[action="/desk/broadcasts/send"] button');
    await expectVisibleFocus(page);
    await enterTo(page, /\/desk\/broadcasts\/[0-9a-f-]{36}\?done=created$/);
    expect(await page.locator('#flash-status').textContent()).toBe('gepland');
    const flashId = /broadcasts\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await tabTo(page, `form[action="/desk/broadcasts/${flashId}/cancel"] button`);
    await enterTo(page, `${base}/desk/broadcasts?done=cancelled`);
    expect(
      (
        await app.db
          .selectFrom('broadcasts')
          .select('status')
          .where('flash_id', '=', flashId)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('cancelled');

    // A wave: the first poll in the list, for everyone, launched with Enter.
    await tabTo(page, 'nav.main a[href="/desk/waves"]', 'Shift+Tab');
    await enterTo(page, `${base}/desk/waves`);
    await tabTo(page, '#poll');
    await expectVisibleFocus(page);
    await tabTo(page, 'form[action="/desk/waves/launch"] button');
    await enterTo(page, /\/desk\/waves\/[0-9a-f-]{36}\?done=launched$/);
    expect(await page.locator('main [role="status"]').textContent()).toBe('De ronde is gestart.');
    await eventually(
      async () => (await app.db.selectFrom('waves').select('id').execute()).length === 1,
      10_000,
      'the wave',
    );

    // The overview.
    await tabTo(page, 'nav.main a[href="/desk/overview"]', 'Shift+Tab');
    await expectVisibleFocus(page);
    await enterTo(page, `${base}/desk/overview`);
    expect(await page.locator('h1').textContent()).toBe('Overzicht');

    // Every step was done and audited.
    const actions = await app.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', 'in', [
        'help.take',
        'help.reply',
        'help.close',
        'idea.status',
        'flash.send',
        'flash.cancel',
      ])
      .execute();
    expect(new Set(actions.map((a) => a.action)).size).toBe(6);
    await context.close();
  }, 180_000);
});
