import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import { consoleInbox } from './app.js';
import { eventually } from './env.js';

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
