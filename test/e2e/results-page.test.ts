import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createToken } from '../../src/auth/tokens.js';
import { startTestApp } from '../helpers/app.js';
import { expectNoAxeViolations, launchChromium, screenshot } from '../helpers/axe.js';

const INDICATORS = ['thuis_in_buurt', 'toegang_hulp', 'vertrouwen_instituties', 'rapportcijfer_buurt'];
const WAVE_1 = '5d0e7f9a-3b4c-4d5e-8f6a-7b8c9d0e1f2a';
const WAVE_2 = '6e1f8a0b-4c5d-4e6f-9a7b-8c9d0e1f2a3b';

let app: App;
let stop: () => Promise<void>;
let browser: Browser | undefined;
let base: string;
let token: string;

beforeAll(async () => {
  // Not a skip: the browser test is part of the acceptance, and CI installs Chromium (.ci/run).
  browser = await launchChromium();
  ({ app, stop } = await startTestApp({}, 'ingress'));
  base = `http://127.0.0.1:${app.httpPort}`;
  token = (await createToken(app.db, 'wijkteam', 'browser test')).token;
  // Both waves are closed: a wijkteam sign-in sees closed waves only (an open one grows between looks).
  await sql`
    insert into waves (id, poll, opens_at, closes_at, status, created_by) values
      (${WAVE_1}::uuid, 'veerkracht-kort', '2026-02-01', '2026-02-08', 'closed', 'cli'),
      (${WAVE_2}::uuid, 'veerkracht-kort', '2026-04-05', '2026-04-12', 'closed', 'cli')`.execute(app.db);
  // Per wave: Nazareth 40 respondents, Pottenberg 9 (hidden) and Elders 12 (hidden so Pottenberg cannot be
  // worked out from the total), for each polled indicator; onboarding answers in March as a third wave.
  await sql`
    insert into answers (respondent, wave_id, wave_key, poll, question, indicator, answer_code, answer_number,
      area, age_group, language, channel, answered_on)
    select 'r-' || w.n || '-' || i, w.id, coalesce(w.id::text, ''), q.poll, q.question, q.indicator,
      case when q.indicator = 'rapportcijfer_buurt' then (4 + (i * 7 + w.n) % 7)::text else (1 + (i * 3 + w.n) % 5)::text end,
      case when q.indicator = 'rapportcijfer_buurt' then 4 + (i * 7 + w.n) % 7 else 1 + (i * 3 + w.n) % 5 end,
      case when i <= 40 then 'nazareth' when i <= 49 then 'pottenberg' else 'elders' end,
      (array['18-26', '27-40', '41-65', '65plus'])[1 + i % 4], 'nl', 'telegram', w.day
    from generate_series(1, 61) as i
    cross join (values (1, ${WAVE_1}::uuid, date '2026-02-02'), (2, ${WAVE_2}::uuid, date '2026-04-06'),
      (3, null, date '2026-03-10')) as w(n, id, day)
    cross join (values ('veerkracht-kort', 'thuis', 'thuis_in_buurt'), ('veerkracht-kort', 'hulp', 'toegang_hulp'),
      ('veerkracht-kort', 'vertrouwen', 'vertrouwen_instituties'), ('cijfer', 'cijfer', 'rapportcijfer_buurt')) as q(poll, question, indicator)
    `.execute(app.db);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stop?.();
});

/** WCAG contrast ratio of two `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (colour: string) => {
    const [r, g, bl] = colour
      .match(/\d+(\.\d+)?/g)!
      .slice(0, 3)
      .map((x) => {
        const c = Number(x) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

describe('the results page in Chromium', () => {
  it('answers 401 with a sign-in form without a token', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${base}/results`);
    expect(response?.status()).toBe(401);
    expect(await page.locator('form[action="/results/login"] input[name="token"]').count()).toBe(1);
    expect(await page.locator('svg').count()).toBe(0);
    await context.close();
  }, 60_000);

  it('shows a chart per indicator and hidden cells marked "Verborgen" in readable contrast, and keeps a screenshot', async () => {
    const context = await browser!.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/results`);
    await page.fill('input[name="token"]', token);
    const statuses: string[] = [];
    page.on('response', (r) => statuses.push(`${r.request().method()} ${r.url()} ${r.status()}`));
    await Promise.all([page.waitForURL(`${base}/results`), page.click('button[type="submit"]')]);
    await page.waitForLoadState();
    expect(statuses).toEqual([`POST ${base}/results/login 303`, `GET ${base}/results 200`]);
    expect(page.url()).toBe(`${base}/results`);
    // The browser holds a session id in an HttpOnly, SameSite=Strict cookie, never the token.
    const cookies = await context.cookies();
    expect(cookies.map((c) => c.name)).toEqual(['straatpraat_session']);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookies[0]!.value).not.toContain(token);
    expect(await page.locator('h1').textContent()).toContain('Uitslagen van Straatpraat');
    for (const indicator of INDICATORS) {
      const charts = page.locator(`section[data-indicator="${indicator}"] figure svg`);
      expect(await charts.count(), indicator).toBe(1);
      expect(await charts.first().isVisible(), indicator).toBe(true);
    }
    const suppressed = page.locator('section[data-indicator="thuis_in_buurt"] tr.suppressed').first();
    expect(await suppressed.isVisible()).toBe(true);
    // One word for every hidden cell: no reason tells the small cells from the others.
    expect(await suppressed.textContent()).toMatch(/Verborgen/);
    expect(await suppressed.textContent()).not.toMatch(/minder dan|n < |secondary/);
    expect(await page.locator('tr.suppressed:not([data-reason="verborgen"])').count()).toBe(0);
    const colours = await suppressed
      .locator('td')
      .first()
      .evaluate((td) => {
        // Runs in the browser; the tests compile without the DOM library.
        const style = (
          globalThis as unknown as {
            getComputedStyle(e: unknown): { backgroundColor: string; color: string };
          }
        ).getComputedStyle(td);
        return { background: style.backgroundColor, text: style.color };
      });
    expect(colours.background).toBe('rgb(230, 230, 230)');
    // WCAG AA: hidden rows are set apart by their background, their text stays readable (at least 4.5:1).
    expect(contrast(colours.text, colours.background)).toBeGreaterThanOrEqual(4.5);
    // Drawn on the server: the page runs no script.
    expect(await page.locator('script').count()).toBe(0);
    expect(existsSync(await screenshot(page, 'results-page'))).toBe(true);
    // Signing out ends the session: the page asks for a token again.
    await page.click('form[action="/results/logout"] button');
    await page.waitForURL(`${base}/results`);
    expect(await page.locator('form[action="/results/login"] input[name="token"]').count()).toBe(1);
    expect((await page.goto(`${base}/results`))?.status()).toBe(401);
    await context.close();
  }, 60_000);

  it('passes axe-core at WCAG 2.1 A/AA: the sign-in form, all waves, one wave, the age tables open, and at 360 px', async () => {
    const context = await browser!.newContext({
      viewport: { width: 1100, height: 900 },
      extraHTTPHeaders: { authorization: `Bearer ${token}` },
    });
    const anonymous = await browser!.newContext();
    try {
      const signIn = await anonymous.newPage();
      await signIn.goto(`${base}/results`);
      await expectNoAxeViolations(signIn, 'the results sign-in form');
      const page = await context.newPage();
      await page.goto(`${base}/results`);
      // The data must be there: suppressed rows and charts are what axe has to see.
      expect(await page.locator('tr.suppressed').count()).toBeGreaterThan(0);
      expect(await page.locator('figure svg').count()).toBe(INDICATORS.length);
      await expectNoAxeViolations(page, 'the results page');
      // Each chart is one image named by its caption, not a heap of unnamed bars and ticks.
      for (const indicator of INDICATORS) {
        const chart = page.locator(`section[data-indicator="${indicator}"] figure svg`);
        expect(await chart.getAttribute('role'), indicator).toBe('img');
        const name = await page
          .getByRole('img', { name: /^Grafiek: .* Chart: / })
          .and(chart)
          .count();
        expect(name, indicator).toBe(1);
      }
      for (const details of await page.locator('details').all()) await details.locator('summary').click();
      await expectNoAxeViolations(page, 'the results page with the age tables open');
      await page.goto(`${base}/results?wave=${WAVE_1}`);
      await expectNoAxeViolations(page, 'the results page of one wave');
      await page.setViewportSize({ width: 360, height: 800 });
      await expectNoAxeViolations(page, 'the results page at 360 px');
      await screenshot(page, 'results-page-360');
    } finally {
      await context.close();
      await anonymous.close();
    }
  }, 90_000);

  it('refuses a sign-in form posted from another site', async () => {
    // A page on another origin (another port) that posts a valid token to the sign-in form.
    const evil = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<form method="post" action="${base}/results/login"><input name="token" value="${token}">
        <button type="submit">go</button></form>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const context = await browser!.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const [response] = await Promise.all([
        page.waitForResponse(`${base}/results/login`),
        page.click('button[type="submit"]'),
      ]);
      expect(response.status()).toBe(403);
      expect(await context.cookies(base)).toEqual([]);
    } finally {
      await context.close();
      evil.close();
    }
  }, 60_000);

  it('does not take a token from the address', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${base}/results?token=${token}`);
    expect(response?.status()).toBe(401);
    expect(await context.cookies()).toEqual([]);
    expect(await page.locator('svg').count()).toBe(0);
    await context.close();
  }, 60_000);

  it('accepts the token as a bearer header too, and shows one wave on its own', async () => {
    const context = await browser!.newContext({ extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    const page = await context.newPage();
    const response = await page.goto(`${base}/results?wave=${WAVE_2}`);
    expect(response?.status()).toBe(200);
    expect(
      await page.locator('section[data-indicator="thuis_in_buurt"] tbody tr').first().textContent(),
    ).toContain('2026-04-06');
    expect(await page.locator(`nav a[aria-current="page"]`).textContent()).toContain('2026-04-06');
    await context.close();
  }, 60_000);
});
