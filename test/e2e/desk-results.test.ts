import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createToken } from '../../src/auth/tokens.js';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { type DeskTestBed, signInAs, startDeskTest } from '../helpers/desk-web.js';

// The public results page opens for a browser signed in on the web desk (wijkteam, analyst, admin),
// from the desk's menu; an API token still opens it; without either it asks for a token, as always.

let app: App;
let bed: DeskTestBed;
let browser: Browser;
let base: string;

const STAFF = 'wt-uitslag';
const ANALYST = 'an-uitslag';

beforeAll(async () => {
  bed = await startDeskTest({}, [
    { user: STAFF, role: 'wijkteam', name: 'Wim' },
    { user: ANALYST, role: 'analyst', name: 'Ada' },
  ]);
  ({ app, browser, base } = bed);
}, 90_000);

afterAll(() => bed?.stop());

describe('the results page from the web desk', () => {
  it('opens from the desk menu when signed in, and is refused again after signing out', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page = await signInAs(app, context, base, STAFF);
    const [shown] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${base}/results`),
      page.click('nav.main a[href="/results"]'),
    ]);
    await page.waitForLoadState();
    expect(shown.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toContain('Uitslagen van Straatpraat');
    // Signed in on the desk: the way back there, not the token sign-in's sign-out button.
    expect(await page.locator('footer a[href="/desk"]').count()).toBe(1);
    expect(await page.locator('form[action="/results/logout"]').count()).toBe(0);
    await expectNoAxeViolations(page, 'the results page from the desk');
    const staff = await app.db
      .selectFrom('staff')
      .select('id')
      .where('user_id', '=', STAFF)
      .executeTakeFirstOrThrow();
    const views = await app.db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('action', '=', 'results.view')
      .execute();
    expect(views).toEqual([{ actor: `staff:${staff.id}`, details: { via: 'web' } }]);

    await Promise.all([page.waitForURL(`${base}/desk/inbox`), page.click('footer a[href="/desk"]')]);
    await Promise.all([
      page.waitForURL(/\/desk\/sign-in/),
      page.click('form[action="/desk/sign-out"] button'),
    ]);
    const refused = await page.goto(`${base}/results`);
    expect(refused?.status()).toBe(401);
    expect(await page.locator('form[action="/results/login"] input[name="token"]').count()).toBe(1);
    await context.close();
  }, 90_000);

  it('opens for an analyst signed in on the desk; a token still opens it, and a wrong token is refused', async () => {
    const context = await browser.newContext();
    const page = await signInAs(app, context, base, ANALYST);
    expect((await page.goto(`${base}/results`))?.status()).toBe(200);
    // A token shown with the request speaks for itself: a wrong one is refused whatever the cookie.
    const wrong = await context.request.get(`${base}/results`, {
      headers: { authorization: 'Bearer sp_wrong' },
    });
    expect(wrong.status()).toBe(401);
    await context.close();

    const { token } = await createToken(app.db, 'wijkteam', 'results test');
    const withToken = await fetch(`${base}/results`, { headers: { authorization: `Bearer ${token}` } });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('action="/results/logout"');
    expect((await fetch(`${base}/results`)).status).toBe(401);
  }, 90_000);
});
