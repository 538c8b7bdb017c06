import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { consoleInbox } from '../helpers/app.js';
import { expectNoAxeViolations, screenshot } from '../helpers/axe.js';
import { type ConsoleUsers, seedResidents } from '../helpers/desk.js';
import { type DeskTestBed, signInAs, startDeskTest } from '../helpers/desk-web.js';
import { eventually } from '../helpers/env.js';

// The ideas page of the web desk in Chromium: filters, search and pages; a status change and a reply
// that reach the idea's author through the bot.

let app: App;
let bed: DeskTestBed;
let browser: Browser;
let base: string;
let users: ConsoleUsers;

const STAFF = 'wt-coline';
const AUTHOR = 'idee-naz-a1';
const OTHER = 'idee-pot-b2';

beforeAll(async () => {
  bed = await startDeskTest({}, [{ user: STAFF, role: 'wijkteam', name: 'Coline' }]);
  ({ app, browser, base, users } = bed);
  await seedResidents(app, [
    { address: AUTHOR, area: 'nazareth' },
    { address: OTHER, area: 'pottenberg' },
  ]);
  const residents = await app.db.selectFrom('residents').select(['id', 'address']).execute();
  const idOf = (address: string) => residents.find((r) => r.address === address)!.id;
  const day = (n: number) => new Date(Date.UTC(2026, 2, 1 + n, 10));
  // 24 ideas about housing from Pottenberg, and one about health from Nazareth (the newest).
  await app.db
    .insertInto('ideas')
    .values([
      ...Array.from({ length: 24 }, (_, i) => ({
        resident_id: idOf(OTHER),
        text: `Meer bankjes bij de flat, nummer ${i + 1}`,
        theme: 'wonen',
        area: 'pottenberg',
        language: 'nl',
        created_at: day(i),
        updated_at: day(i),
      })),
      {
        resident_id: idOf(AUTHOR),
        text: 'Een sportveld voor de kinderen bij de school',
        theme: 'gezondheid',
        area: 'nazareth',
        language: 'nl',
        created_at: day(30),
        updated_at: day(30),
      },
    ])
    .execute();
}, 90_000);

afterAll(() => bed?.stop());

describe('the ideas page', () => {
  it('lists ideas newest first with filters, search and pages; every view passes axe, also at 360 px', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page = await signInAs(app, context, base, STAFF);
    await page.click('nav.main a[href="/desk/ideas"]');
    await page.waitForURL(`${base}/desk/ideas`);
    expect(await page.locator('main [role="status"]').textContent()).toBe(
      '25 ideeën gevonden. Pagina 1 van 2.',
    );
    expect(await page.locator('tbody tr').count()).toBe(20);
    expect(await page.locator('tbody tr').first().textContent()).toContain('Een sportveld voor de kinderen');
    await expectNoAxeViolations(page, 'the ideas page at 360 px');
    await screenshot(page, 'desk-ideas-360');
    await Promise.all([page.waitForURL(/page=2/), page.click('a[rel="next"]')]);
    expect(await page.locator('tbody tr').count()).toBe(5);
    expect(await page.locator('tbody tr').last().textContent()).toContain('nummer 1');
    await page.goto(`${base}/desk/ideas`);
    await page.selectOption('#f-theme', 'gezondheid');
    await Promise.all([page.waitForURL(/theme=gezondheid/), page.click('form[action="/desk/ideas"] button')]);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.goto(`${base}/desk/ideas`);
    await page.fill('#f-q', 'BANKJES nummer 2');
    await Promise.all([page.waitForURL(/q=/), page.click('form[action="/desk/ideas"] button')]);
    // Every word, anywhere, any case: nummer 2, 12 and 20 to 24.
    expect(await page.locator('main [role="status"]').textContent()).toBe(
      '7 ideeën gevonden. Pagina 1 van 1.',
    );
    await page.goto(`${base}/desk/ideas?area=nazareth&status=gedaan`);
    expect(await page.locator('main [role="status"]').textContent()).toBe('Geen ideeën gevonden.');
    await expectNoAxeViolations(page, 'the ideas page with nothing found');
    await context.close();
  }, 90_000);

  it('changes the status and replies to the author, who gets both through the bot', async () => {
    const context = await browser.newContext();
    const page = await signInAs(app, context, base, STAFF);
    const idea = await app.db
      .selectFrom('ideas')
      .select('id')
      .where('theme', '=', 'gezondheid')
      .executeTakeFirstOrThrow();
    await page.goto(`${base}/desk/ideas/${idea.id}`);
    expect(await page.locator('dl.facts').textContent()).toContain('Nazareth');
    expect(await page.content()).not.toContain(AUTHOR);
    await expectNoAxeViolations(page, 'an idea');
    const before = (await consoleInbox(app, AUTHOR)).length;
    await page.selectOption('#new-status', 'gepland');
    await Promise.all([
      page.waitForLoadState(),
      page.click(`form[action="/desk/ideas/${idea.id}/status"] button`),
    ]);
    expect(await page.locator('main').textContent()).toContain(`Idee ${idea.id} heeft nu de status: gepland`);
    await page.fill('#reply', 'We zoeken een plek. Wil je meedenken?');
    await Promise.all([
      page.waitForLoadState(),
      page.click(`form[action="/desk/ideas/${idea.id}/preview"] button`),
    ]);
    const preview = await page.locator('.preview').textContent();
    expect(preview).toContain('Een antwoord op je idee');
    expect(preview).toContain('Groetjes, Coline — wijkteam Nazareth');
    await expectNoAxeViolations(page, 'an idea reply preview');
    await Promise.all([
      page.waitForURL(/done=replied/),
      page.click(`form[action="/desk/ideas/${idea.id}/reply"] button`),
    ]);
    await users.delivered(AUTHOR);
    const received = (await consoleInbox(app, AUTHOR)).slice(before);
    expect(received).toHaveLength(2);
    expect(received[0]).toContain('Goed nieuws over je idee');
    expect(received[1]).toContain('We zoeken een plek. Wil je meedenken?');
    const audit = await app.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', 'in', ['idea.status', 'idea.reply'])
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['idea.status', 'idea.reply']);
    for (const entry of audit) expect(entry.details).toMatchObject({ ideaId: String(idea.id), via: 'web' });
    await context.close();
  }, 90_000);

  it('announces done ideas on a theme: from the filtered list to the compose form; only their authors receive it', async () => {
    const DONE = ['gedaan-wonen-a', 'gedaan-wonen-b'];
    const PLANNED = 'gepland-wonen-c';
    await seedResidents(app, [
      { address: DONE[0]!, area: 'nazareth' },
      { address: DONE[1]!, area: 'pottenberg' },
      { address: PLANNED, area: 'nazareth' },
    ]);
    const residents = await app.db.selectFrom('residents').select(['id', 'address']).execute();
    const idOf = (address: string) => residents.find((r) => r.address === address)!.id;
    const now = new Date();
    await app.db
      .insertInto('ideas')
      .values([
        ...DONE.map((address) => ({
          resident_id: idOf(address),
          text: 'Een moestuin achter de flat',
          theme: 'wonen',
          area: 'nazareth',
          language: 'nl',
          status: 'gedaan',
          created_at: now,
          updated_at: now,
        })),
        {
          resident_id: idOf(PLANNED),
          text: 'Meer licht in de steeg',
          theme: 'wonen',
          area: 'nazareth',
          language: 'nl',
          status: 'gepland',
          created_at: now,
          updated_at: now,
        },
      ])
      .execute();
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page = await signInAs(app, context, base, STAFF);
    await page.goto(`${base}/desk/ideas`);
    // No theme chosen: nothing to announce yet.
    expect(await page.locator('form[action="/desk/ideas/announce"]').count()).toBe(0);
    await page.selectOption('#f-theme', 'wonen');
    await Promise.all([page.waitForURL(/theme=wonen/), page.click('form[action="/desk/ideas"] button')]);
    expect(await page.locator('#announce-title').textContent()).toBe(
      'Gedane ideeën over dit thema aankondigen',
    );
    await expectNoAxeViolations(page, 'the ideas page filtered on a theme');
    await Promise.all([
      page.waitForURL(`${base}/desk/ideas/announce`),
      page.click('form[action="/desk/ideas/announce"] button'),
    ]);
    expect(await page.locator('h1').textContent()).toBe('Nieuw bericht');
    expect(await page.locator('main [role="status"]').first().textContent()).toContain(
      'Dit is een concept voor wie een gedaan idee stuurde over Wonen en buurt.',
    );
    expect(await page.inputValue('#text_nl')).toBe(
      'Goed nieuws over jullie ideeën: Wonen en buurt. Jullie gaven ideeën en wij deden er iets mee. Dank je wel voor het meedenken!',
    );
    expect(await page.inputValue('#text_en')).toContain(
      'Good news about your ideas: Housing and neighbourhood.',
    );
    expect(await page.inputValue('#idea_theme')).toBe('wonen');
    await expectNoAxeViolations(page, 'the compose form for done ideas');
    await screenshot(page, 'desk-ideas-announce-360');
    // The wijkteam edits the suggested text, previews and confirms as usual.
    await page.fill('#text_nl', 'Jullie moestuin komt er. Dank je wel!');
    await Promise.all([
      page.waitForURL(`${base}/desk/broadcasts/preview`),
      page.click('form[action="/desk/broadcasts/preview"] button'),
    ]);
    // The exact count: the two authors of done ideas on wonen, not the planned one, not other themes.
    expect(await page.locator('#audience-count').textContent()).toBe('2 bewoners');
    expect(await page.locator('main').textContent()).toContain('met een gedaan idee over Wonen en buurt');
    await Promise.all([
      page.waitForURL(/\/desk\/broadcasts\/[0-9a-f-]{36}\?done=created$/),
      page.click('form[action="/desk/broadcasts/send"] button'),
    ]);
    for (const address of DONE) {
      await users.delivered(address);
      expect(await consoleInbox(app, address)).toEqual(['Jullie moestuin komt er. Dank je wel!']);
    }
    await eventually(
      async () =>
        (await app.db.selectFrom('broadcasts').select('status').where('kind', '=', 'flash').execute()).every(
          (b) => b.status === 'sent',
        ),
      20_000,
      'the flash to be sent',
    );
    for (const address of [PLANNED, AUTHOR])
      expect(await consoleInbox(app, address)).not.toContain('Jullie moestuin komt er. Dank je wel!');
    const draft = await app.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'ideas.announce-draft')
      .executeTakeFirstOrThrow();
    expect(draft.details).toMatchObject({ theme: 'wonen', via: 'web' });
    await context.close();
  }, 120_000);
});
