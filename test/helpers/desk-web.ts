import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { StaffRole } from '../../flows/desk/types.js';
import type { App } from '../../src/app.js';
import { addStaff } from '../../src/desk/staff.js';
import { consoleInbox, startTestApp } from './app.js';
import { launchChromium } from './axe.js';
import { ConsoleUsers } from './desk.js';
import { eventually } from './env.js';

/** What a browser test of the desk works with: the app, Chromium, console users and staff. */
export interface DeskTestBed {
  app: App;
  browser: Browser;
  /** The HTTP server, `http://127.0.0.1:PORT`. */
  base: string;
  users: ConsoleUsers;
  /** The staff id of each console identity added, by its user name. */
  staffIds: Record<string, number>;
  /** Stops the app alone (once; again is a no-op), e.g. while a page still listens to it. */
  stopApp(): Promise<void>;
  /** Closes Chromium and stops the app. */
  stop(): Promise<void>;
}

/**
 * Starts the app on the real PostgreSQL and Redis (quiet hours off, no onboarding poll, unless `env`
 * says otherwise) and Chromium, and adds console staff members as the CLI does.
 */
export async function startDeskTest(
  env: Record<string, string>,
  staff: readonly { user: string; role: StaffRole; name: string }[],
): Promise<DeskTestBed> {
  const browser = await launchChromium();
  try {
    const { app, stop } = await startTestApp({
      QUIET_HOURS_START: '00:00',
      QUIET_HOURS_END: '00:00',
      ONBOARDING_POLL: 'false',
      ...env,
    });
    let stopped: Promise<void> | undefined;
    const stopApp = () => {
      stopped ??= stop();
      return stopped;
    };
    const staffIds: Record<string, number> = {};
    const now = new Date();
    for (const s of staff)
      staffIds[s.user] = (await addStaff(app.db, { channel: 'console', ...s }, 'cli', now)).member.id;
    return {
      app,
      browser,
      base: `http://127.0.0.1:${app.httpPort}`,
      users: new ConsoleUsers(app),
      staffIds,
      stopApp,
      async stop() {
        await browser.close();
        await stopApp();
      },
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** The sign-in code in a message of the bot ("… Straatpraat bureau: 123456 …"). */
export const CODE_IN_MESSAGE = /(?:bureau|desk): (\d{6})/;

/** Waits for a new sign-in code in a console identity's chat (after `seen` messages) and returns it. */
export async function codeSentTo(app: App, address: string, seen: number): Promise<string> {
  return eventually<string | undefined>(
    async () => {
      const inbox = await consoleInbox(app, address);
      const fresh = inbox.slice(seen).reverse();
      for (const text of fresh) {
        const match = CODE_IN_MESSAGE.exec(text);
        if (match) return match[1]!;
      }
      return undefined;
    },
    20_000,
    `a sign-in code in ${address}'s chat`,
  ) as Promise<string>;
}

/** Asks for a code as a console identity in the browser; returns how many messages the chat held before. */
export async function askForCode(app: App, page: Page, base: string, address: string): Promise<number> {
  const seen = (await consoleInbox(app, address)).length;
  await page.goto(`${base}/desk/sign-in`);
  await page.selectOption('#channel', 'console');
  await page.fill('#user', address);
  await Promise.all([
    page.waitForURL(`${base}/desk/sign-in`),
    page.click('form[action="/desk/sign-in"] button'),
  ]);
  expect(await page.locator('#code').count()).toBe(1);
  return seen;
}

/** Signs a browser in as a console staff identity with the code the bot sends to their chat. */
export async function signInAs(
  app: App,
  context: BrowserContext,
  base: string,
  address: string,
): Promise<Page> {
  const page = await context.newPage();
  const seen = await askForCode(app, page, base, address);
  const code = await codeSentTo(app, address, seen);
  await page.fill('#code', code);
  await Promise.all([
    page.waitForURL(/\/desk(\/|$)/),
    page.click('form[action="/desk/sign-in/code"] button'),
  ]);
  await page.waitForLoadState();
  return page;
}

/** The CSRF token of the first desk form on the page. */
export function csrfOf(page: Page): Promise<string> {
  return page.locator('input[name="_csrf"]').first().inputValue();
}

type Doc = {
  document: { activeElement: { matches(s: string): boolean } | null };
  getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string };
};

/** Whether the focused element matches `selector`. */
const focusedIs = (page: Page, selector: string) =>
  page.evaluate(
    (sel) => (globalThis as unknown as Doc).document.activeElement?.matches(sel) ?? false,
    selector,
  );

/** Presses Tab (or Shift+Tab) until the focused element matches `selector` (at most 80 times). */
export async function tabTo(page: Page, selector: string, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press(key);
    if (await focusedIs(page, selector)) return;
  }
  throw new Error(`${key} never reached ${selector}`);
}

/** The focused element shows a visible outline (the desk's :focus-visible style). */
export async function expectVisibleFocus(page: Page): Promise<void> {
  const outline = await page.evaluate(() => {
    const g = globalThis as unknown as Doc;
    const style = g.getComputedStyle(g.document.activeElement);
    return { style: style.outlineStyle, width: style.outlineWidth };
  });
  expect(outline.style).not.toBe('none');
  expect(Number.parseFloat(outline.width)).toBeGreaterThan(0);
}

/**
 * Presses Enter on the focused link or button and waits for the page it leads to. It waits for the
 * new document's load event first: when the form posts back to the URL already shown, waiting for the
 * URL alone returns at once and the next step runs on the page that is being replaced.
 */
export async function enterTo(page: Page, url: string | RegExp): Promise<void> {
  const loaded = page.waitForEvent('load');
  await page.keyboard.press('Enter');
  await loaded;
  await page.waitForURL(url);
}
