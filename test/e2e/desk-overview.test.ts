import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { expectNoAxeViolations, screenshot } from '../helpers/axe.js';
import { seedResidents } from '../helpers/desk.js';
import { type DeskTestBed, signInAs, startDeskTest } from '../helpers/desk-web.js';

// The overview page of the web desk: participants per area, joins per flyer source, help requests
// answered within a working day, ideas per status. Counts below SUPPRESSION_MIN_CELL show as "< N".

let app: App;
let bed: DeskTestBed;
let browser: Browser;
let base: string;

const STAFF = 'wt-coline';
const ANALYST = 'an-anna';

beforeAll(async () => {
  bed = await startDeskTest({ SUPPRESSION_MIN_CELL: '10' }, [
    { user: STAFF, role: 'wijkteam', name: 'Coline' },
    { user: ANALYST, role: 'analyst', name: 'Anna' },
  ]);
  ({ app, browser, base } = bed);
  const now = new Date();
  await seedResidents(app, [
    ...Array.from({ length: 12 }, (_, i) => ({ address: `ov-naz-${i}`, area: 'nazareth' })),
    { address: 'ov-pot-1', area: 'pottenberg' },
    { address: 'ov-pot-2', area: 'pottenberg' },
  ]);
  const author = await app.db.selectFrom('residents').select('id').limit(1).executeTakeFirstOrThrow();
  await app.db
    .insertInto('ideas')
    .values(
      Array.from({ length: 3 }, (_, i) => ({
        resident_id: author.id,
        text: `Idee ${i}`,
        theme: 'wonen',
        area: 'nazareth',
        language: 'nl',
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  await app.db
    .insertInto('join_counts')
    .values([
      { source: 'telegram:nazareth', code: 'flyer-markt', day: '2026-03-01', joins: 14 },
      { source: 'whatsapp', code: '', day: '2026-03-01', joins: 3 },
    ])
    .execute();
}, 90_000);

afterAll(() => bed?.stop());

const rowOf = async (page: Page, tableTitle: string, what: string) =>
  page
    .locator(`div[aria-labelledby="${tableTitle}"] tbody tr`, { hasText: what })
    .locator('td')
    .textContent();

describe('the overview page', () => {
  it('shows the counts the wijkteam reports on, small ones as "< 10"; passes axe at 360 px; analysts may read it too', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page = await signInAs(app, context, base, STAFF);
    await Promise.all([
      page.waitForURL(`${base}/desk/overview`),
      page.click('nav.main a[href="/desk/overview"]'),
    ]);
    expect(await rowOf(page, 'residents-title', 'Nazareth')).toBe('12');
    expect(await rowOf(page, 'residents-title', 'Pottenberg')).toBe('< 10');
    expect(await page.locator('abbr').first().getAttribute('title')).toBe('minder dan 10');
    expect(await rowOf(page, 'joins-title', 'flyer-markt')).toBe('14');
    expect(await rowOf(page, 'joins-title', 'whatsapp')).toBe('< 10');
    expect(await rowOf(page, 'ideas-title', 'nieuw')).toBe('< 10');
    expect(await page.locator('dl.facts').textContent()).toContain('Binnen een werkdag beantwoord');
    await expectNoAxeViolations(page, 'the overview');
    await screenshot(page, 'desk-overview-360');
    const audit = await app.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'overview.view')
      .execute();
    expect(audit).toHaveLength(1);

    const analyst = await signInAs(app, await browser.newContext(), base, ANALYST);
    const response = await analyst.goto(`${base}/desk/overview`);
    expect(response?.status()).toBe(200);
    expect(await analyst.locator('h1').textContent()).toBe('Overzicht');
    await context.close();
  }, 90_000);
});
