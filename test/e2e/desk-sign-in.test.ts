import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { addStaff } from '../../src/desk/staff.js';
import { consoleInbox, startTestApp } from '../helpers/app.js';
import { expectNoAxeViolations, launchChromium, screenshot } from '../helpers/axe.js';
import { askForCode, codeSentTo, csrfOf, signInAs } from '../helpers/desk-web.js';
import { rawRequest } from '../helpers/http.js';

// The web desk's sign-in in real headless Chromium: a code through the bot to the staff member's own
// (console) chat, the lock after five wrong codes, CSRF, roles, and the admin pages.

let app: App;
let stop: () => Promise<void>;
let browser: Browser;
let base: string;

const WIJKTEAM = 'wt-coline';
const ADMIN = 'wt-beheer';
const ANALYST = 'an-ana';
const LOCKED = 'wt-lotte';

beforeAll(async () => {
  browser = await launchChromium();
  ({ app, stop } = await startTestApp({ QUIET_HOURS_START: '00:00', QUIET_HOURS_END: '00:00' }));
  base = `http://127.0.0.1:${app.httpPort}`;
  const now = new Date();
  await addStaff(
    app.db,
    { channel: 'console', user: WIJKTEAM, role: 'wijkteam', name: 'Coline' },
    'cli',
    now,
  );
  await addStaff(app.db, { channel: 'console', user: ADMIN, role: 'admin', name: 'Bram' }, 'cli', now);
  await addStaff(app.db, { channel: 'console', user: ANALYST, role: 'analyst', name: 'Ana' }, 'cli', now);
  await addStaff(app.db, { channel: 'console', user: LOCKED, role: 'wijkteam', name: 'Lotte' }, 'cli', now);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stop?.();
});

describe('signing in to the web desk', () => {
  it('works with the code the console staff identity receives, gives an HttpOnly session, and signs out', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const response = await page.goto(`${base}/desk/inbox`);
    // Not signed in: to the sign-in page, which passes axe.
    expect(page.url()).toBe(`${base}/desk/sign-in`);
    expect(response?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Aanmelden');
    await expectNoAxeViolations(page, 'the sign-in page at 360 px');
    await screenshot(page, 'desk-sign-in-360');
    const seen = await askForCode(app, page, base, WIJKTEAM);
    await expectNoAxeViolations(page, 'the code page at 360 px');
    await screenshot(page, 'desk-code-360');
    const code = await codeSentTo(app, WIJKTEAM, seen);
    const message = (await consoleInbox(app, WIJKTEAM)).at(-1)!;
    expect(message).toMatch(/Je code voor het Straatpraat bureau: \d{6}\nDe code werkt 10 minuten/);
    // Only the hash of the code is stored.
    const row = await app.db.selectFrom('desk_sign_in').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(code);
    await page.fill('#code', code);
    await Promise.all([
      page.waitForURL(`${base}/desk/inbox`),
      page.click('form[action="/desk/sign-in/code"] button'),
    ]);
    expect(await page.locator('h1').textContent()).toBe('Hulpvragen');
    expect(await page.locator('header').textContent()).toContain('Aangemeld als Coline (wijkteam)');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'straatpraat_desk');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const started = await app.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'session.start')
      .executeTakeFirstOrThrow();
    expect(started.actor).toMatch(/^staff:\d+$/);
    // The code works once.
    const elsewhere = await browser.newContext();
    const again = await elsewhere.newPage();
    await askForCode(app, again, base, WIJKTEAM);
    await again.fill('#code', code);
    const [reused] = await Promise.all([
      again.waitForResponse(`${base}/desk/sign-in/code`),
      again.click('form[action="/desk/sign-in/code"] button'),
    ]);
    expect(reused.status()).toBe(400);
    await elsewhere.close();
    // Signing out ends the session on the server.
    await Promise.all([
      page.waitForURL(/\/desk\/sign-in/),
      page.click('form[action="/desk/sign-out"] button'),
    ]);
    expect(await page.locator('[role="status"]').textContent()).toContain('Je bent afgemeld');
    await page.goto(`${base}/desk/inbox`);
    expect(page.url()).toBe(`${base}/desk/sign-in`);
    const ended = await app.db
      .selectFrom('http_sessions')
      .select('revoked_at')
      .where('staff_id', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(ended.revoked_at).not.toBeNull();
    await context.close();
  }, 90_000);

  it('answers a stranger exactly as a staff member, and sends them nothing', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const before = await app.db.selectFrom('outbound_messages').select('id').execute();
    await askForCode(app, page, base, 'niet-van-het-team');
    const stranger = await page.locator('main').textContent();
    const staffPage = await context.newPage();
    await askForCode(app, staffPage, base, ADMIN);
    expect(await staffPage.locator('main').textContent()).toBe(stranger);
    expect(stranger).toContain('Sta je in het team? Dan stuurt de bot je nu een code in je chat.');
    const after = await app.db.selectFrom('outbound_messages').select('id').execute();
    // One code went out: to the admin, not to the stranger.
    expect(after.length - before.length).toBe(1);
    expect(await consoleInbox(app, 'niet-van-het-team')).toEqual([]);
    await context.close();
  }, 60_000);

  it('locks after five wrong codes: then even the right code is refused', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const seen = await askForCode(app, page, base, LOCKED);
    const code = await codeSentTo(app, LOCKED, seen);
    const wrong = code === '000000' ? '111111' : '000000';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page.fill('#code', wrong);
      const [response] = await Promise.all([
        page.waitForResponse(`${base}/desk/sign-in/code`),
        page.click('form[action="/desk/sign-in/code"] button'),
      ]);
      statuses.push(response.status());
      if (i === 0) {
        expect(await page.locator('[role="alert"]').textContent()).toContain('nog 4 keer');
        await expectNoAxeViolations(page, 'the code page with a wrong code');
      }
    }
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
    expect(await page.locator('[role="alert"]').textContent()).toContain('Te vaak een verkeerde code');
    await page.fill('#code', code);
    const [right] = await Promise.all([
      page.waitForResponse(`${base}/desk/sign-in/code`),
      page.click('form[action="/desk/sign-in/code"] button'),
    ]);
    expect(right.status()).toBe(429);
    expect(await context.cookies().then((cs) => cs.some((c) => c.name === 'straatpraat_desk'))).toBe(false);
    // A new code cannot be asked for while locked, and none is sent.
    const inboxBefore = (await consoleInbox(app, LOCKED)).length;
    await page.goto(`${base}/desk/sign-in`);
    await page.fill('#user', LOCKED);
    const [ask] = await Promise.all([
      page.waitForResponse(`${base}/desk/sign-in`),
      page.click('form[action="/desk/sign-in"] button'),
    ]);
    expect(ask.status()).toBe(429);
    await new Promise((r) => setTimeout(r, 500));
    expect((await consoleInbox(app, LOCKED)).length).toBe(inboxBefore);
    // A stranger locks after five tries just the same: the lock tells nobody who is staff.
    const strangerStatuses: number[] = [];
    await askForCode(app, page, base, 'onbekend-persoon');
    for (let i = 0; i < 5; i++) {
      await page.fill('#code', '123456');
      const [response] = await Promise.all([
        page.waitForResponse(`${base}/desk/sign-in/code`),
        page.click('form[action="/desk/sign-in/code"] button'),
      ]);
      strangerStatuses.push(response.status());
    }
    expect(strangerStatuses).toEqual([400, 400, 400, 400, 429]);
    await context.close();
  }, 90_000);

  it('refuses a post from another browser: without its own CSRF token, with another session’s token, or from another site', async () => {
    const mine = await browser.newContext();
    const other = await browser.newContext();
    const page = await signInAs(app, mine, base, ADMIN);
    const otherPage = await signInAs(app, other, base, WIJKTEAM);
    await page.goto(`${base}/desk/admin/tokens`);
    const myToken = await csrfOf(page);
    const otherToken = await csrfOf(otherPage);
    expect(myToken).not.toBe(otherToken);
    const tokensBefore = await app.db.selectFrom('api_tokens').select('id').execute();
    // Browser B posts the admin form with browser A's token (as a copied or leaked form would).
    const cookieOf = async (ctx: typeof mine) =>
      (await ctx.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const post = (cookie: string, csrf: string | undefined) =>
      rawRequest(`${base}/desk/admin/tokens`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: base,
          cookie,
        },
        body: new URLSearchParams({
          role: 'admin',
          name: 'stolen',
          days: '5',
          ...(csrf && { _csrf: csrf }),
        }).toString(),
      });
    expect((await post(await cookieOf(other), myToken)).status).toBe(403);
    expect((await post(await cookieOf(mine), undefined)).status).toBe(403);
    expect((await post(await cookieOf(mine), otherToken)).status).toBe(403);
    expect((await post('', myToken)).status).toBe(403);
    // In the browser: a page on another site posts a form to the desk.
    const evil = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<form method="post" action="${base}/desk/admin/tokens"><input name="_csrf" value="${myToken}">
        <input name="role" value="admin"><input name="days" value="5"><button type="submit">go</button></form>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    try {
      const evilPage = await mine.newPage();
      await evilPage.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const [response] = await Promise.all([
        evilPage.waitForResponse(`${base}/desk/admin/tokens`),
        evilPage.click('button[type="submit"]'),
      ]);
      expect(response.status()).toBe(403);
    } finally {
      evil.close();
    }
    expect(await app.db.selectFrom('api_tokens').select('id').execute()).toEqual(tokensBefore);
    // The right browser with its own token may.
    await page.fill('#token-name', 'export-script');
    await Promise.all([page.waitForLoadState(), page.click('form[action="/desk/admin/tokens"] button')]);
    expect(await page.locator('.token').textContent()).toMatch(/^sp_[A-Za-z0-9_-]{43}$/);
    await mine.close();
    await other.close();
  }, 90_000);

  it('gives an analyst 403 on the inbox, a request and its actions', async () => {
    const context = await browser.newContext();
    const page = await signInAs(app, context, base, ANALYST);
    expect(page.url()).toBe(`${base}/desk`);
    await expectNoAxeViolations(page, 'the analyst home page');
    expect(await page.locator('nav.main a[href="/desk/inbox"]').count()).toBe(0);
    const inbox = await page.goto(`${base}/desk/inbox`);
    expect(inbox?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('Geen toegang');
    await expectNoAxeViolations(page, 'the 403 page');
    expect((await page.goto(`${base}/desk/requests/1`))?.status()).toBe(403);
    expect((await page.goto(`${base}/desk/admin/staff`))?.status()).toBe(403);
    const csrf = await csrfOf(page);
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const take = await rawRequest(`${base}/desk/requests/1/take`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, cookie },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(take.status).toBe(403);
    const events = await rawRequest(`${base}/desk/events`, { headers: { cookie } });
    expect(events.status).toBe(403);
    await context.close();
  }, 60_000);

  it('lets an admin add and remove staff, revoke a token and end another sign-in; every page passes axe, also at 360 px', async () => {
    const adminContext = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const otherContext = await browser.newContext();
    const page = await signInAs(app, adminContext, base, ADMIN);
    const otherPage = await signInAs(app, otherContext, base, WIJKTEAM);
    await page.goto(`${base}/desk/admin/staff`);
    await expectNoAxeViolations(page, 'the staff page at 360 px');
    await screenshot(page, 'desk-admin-staff-360');
    await page.selectOption('#staff-channel', 'console');
    await page.fill('#staff-user', 'wt-nieuw');
    await page.selectOption('#staff-role', 'wijkteam');
    await page.fill('#staff-name', 'Noor');
    await Promise.all([page.waitForLoadState(), page.click('form[action="/desk/admin/staff"] button')]);
    expect(await page.locator('[role="status"]').first().textContent()).toMatch(/Medewerker \d+ toegevoegd/);
    expect(await page.locator('tbody').textContent()).toContain('wt-nieuw');
    const added = await app.db
      .selectFrom('staff')
      .select('id')
      .where('user_id', '=', 'wt-nieuw')
      .executeTakeFirstOrThrow();
    await Promise.all([
      page.waitForLoadState(),
      page.click(`form[action="/desk/admin/staff/${added.id}/remove"] button`),
    ]);
    expect(await page.locator('tbody').textContent()).not.toContain('wt-nieuw');
    const audit = await app.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('action', 'in', ['staff.add', 'staff.remove'])
      .where('actor', '<>', 'cli')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['staff.add', 'staff.remove']);
    expect(audit.every((a) => /^staff:\d+$/.test(a.actor))).toBe(true);

    await page.goto(`${base}/desk/admin/tokens`);
    await expectNoAxeViolations(page, 'the tokens page at 360 px');
    await page.fill('#token-name', 'dashboard');
    await Promise.all([page.waitForLoadState(), page.click('form[action="/desk/admin/tokens"] button')]);
    await expectNoAxeViolations(page, 'the tokens page with a new token');
    await screenshot(page, 'desk-admin-tokens-360');
    const token = await app.db
      .selectFrom('api_tokens')
      .select('id')
      .where('name', '=', 'dashboard')
      .executeTakeFirstOrThrow();
    await Promise.all([
      page.waitForLoadState(),
      page.click(`form[action="/desk/admin/tokens/${token.id}/revoke"] button`),
    ]);
    expect(await page.locator('[role="status"]').first().textContent()).toContain(
      `Toegangscode ${token.id} is ingetrokken`,
    );

    await page.goto(`${base}/desk/admin/sessions`);
    await expectNoAxeViolations(page, 'the sign-ins page at 360 px');
    await screenshot(page, 'desk-admin-sessions-360');
    const otherSession = await app.db
      .selectFrom('http_sessions as s')
      .innerJoin('staff as m', 'm.id', 's.staff_id')
      .select('s.id')
      .where('m.user_id', '=', WIJKTEAM)
      .where('s.revoked_at', 'is', null)
      .orderBy('s.id', 'desc')
      .executeTakeFirstOrThrow();
    await Promise.all([
      page.waitForLoadState(),
      page.click(`form[action="/desk/admin/sessions/${otherSession.id}/revoke"] button`),
    ]);
    expect(await page.locator('[role="status"]').first().textContent()).toContain(
      `Aanmelding ${otherSession.id} is beëindigd`,
    );
    // The other browser is signed out from then on.
    await otherPage.goto(`${base}/desk/inbox`);
    expect(otherPage.url()).toBe(`${base}/desk/sign-in`);
    // English is one link away, and passes axe too.
    await page.click('header a[hreflang="en"]');
    await page.waitForURL(`${base}/desk/admin/sessions`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Sign-ins');
    await expectNoAxeViolations(page, 'the sign-ins page in English');
    await adminContext.close();
    await otherContext.close();
  }, 120_000);

  it('works without JavaScript: sign in, the inbox, sign out', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await signInAs(app, context, base, WIJKTEAM);
    expect(page.url()).toBe(`${base}/desk/inbox`);
    expect(await page.locator('h1').textContent()).toBe('Hulpvragen');
    await Promise.all([
      page.waitForURL(/\/desk\/sign-in/),
      page.click('form[action="/desk/sign-out"] button'),
    ]);
    await context.close();
  }, 60_000);

  it('serves its pages with a strict policy: no inline script or style, nothing from elsewhere', async () => {
    const signIn = await rawRequest(`${base}/desk/sign-in`);
    expect(signIn.status).toBe(200);
    const csp = String(signIn.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(signIn.body).not.toMatch(/<style|\sstyle="|<script>|\son[a-z]+="/);
    expect(signIn.body).not.toMatch(/https?:\/\//);
    const css = await rawRequest(`${base}/desk/static/desk.css`);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect((await rawRequest(`${base}/desk/static/other.js`)).status).toBe(404);
  });
});
