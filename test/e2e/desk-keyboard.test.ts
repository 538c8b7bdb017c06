import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { consoleInbox } from '../helpers/app.js';
import { type ConsoleUsers, seedResidents } from '../helpers/desk.js';
import {
  codeSentTo,
  type DeskTestBed,
  enterTo,
  expectVisibleFocus,
  startDeskTest,
  tabTo,
} from '../helpers/desk-web.js';
import { eventually } from '../helpers/env.js';

// Every main task of the web desk with the keyboard alone, in one go: Tab, Shift+Tab, Enter, Space,
// typing (and the arrow keys inside a radio group, as a keyboard user moves between its options).
// No mouse, and after signing in no typed addresses: only links followed with the keyboard.

let bed: DeskTestBed;
let app: App;
let browser: Browser;
let base: string;
let users: ConsoleUsers;

const STAFF = 'wt-toetsenbord';
const RESIDENT = 'toets-naz-h1';
const AUTHOR = 'toets-pot-i2';
/** Residents of Nazareth who get a flash and answer a wave. */
const VOTERS = Array.from({ length: 5 }, (_, i) => `toets-naz-v${i}`);

beforeAll(async () => {
  bed = await startDeskTest(
    // A wave launched for now opens on the scheduler's next tick; five answers are enough to show.
    { SCHEDULER_TICK_MS: '500', SUPPRESSION_MIN_CELL: '5' },
    [{ user: STAFF, role: 'wijkteam', name: 'Karin' }],
  );
  ({ app, browser, base, users } = bed);
  await seedResidents(app, [
    { address: RESIDENT, area: 'nazareth' },
    { address: AUTHOR, area: 'pottenberg' },
    ...VOTERS.map((address) => ({ address, area: 'nazareth' })),
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

afterAll(() => bed?.stop());

describe('the web desk with the keyboard alone', () => {
  it('signs in, answers and closes a help request, changes an idea, schedules and cancels a flash, sends one and follows its report, runs a wave and reads its results, opens the overview', async () => {
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
    expect(await page.locator('#audience-count').textContent()).toBe('6 bewoners');
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

    // A flash sent now, for Nazareth: its report counts up while the residents receive it.
    await tabTo(page, 'a[href="/desk/broadcasts/new"]');
    await enterTo(page, `${base}/desk/broadcasts/new`);
    await tabTo(page, '#text_nl');
    await page.keyboard.type('Zaterdag is de buurtmarkt.');
    await tabTo(page, '#area-nazareth');
    await page.keyboard.press('Space');
    // Send now is the default.
    expect(await page.isChecked('#when-now')).toBe(true);
    await tabTo(page, 'form[action="/desk/broadcasts/preview"] button');
    await enterTo(page, `${base}/desk/broadcasts/preview`);
    expect(await page.locator('#audience-count').textContent()).toBe('6 bewoners');
    await tabTo(page, 'form[action="/desk/broadcasts/send"] button');
    await enterTo(page, /\/desk\/broadcasts\/[0-9a-f-]{36}\?done=created$/);
    for (const address of [RESIDENT, ...VOTERS]) await users.delivered(address);
    // The live update redraws the figures without a reload.
    await eventually(
      async () => /Verstuurd\s*6/.test((await page.locator('#figures').textContent()) ?? ''),
      20_000,
      'the report to count 6 sent',
    );
    expect(await page.locator('#flash-status').textContent()).toBe('verstuurd');
    for (const address of VOTERS)
      expect((await consoleInbox(app, address)).at(-1)).toBe('Zaterdag is de buurtmarkt.');

    // A wave: the mark poll picked by typing in the list, for everyone, launched with Enter; five
    // residents answer, it is closed early and its results table is reached with Tab.
    await tabTo(page, 'nav.main a[href="/desk/waves"]', 'Shift+Tab');
    await enterTo(page, `${base}/desk/waves`);
    await tabTo(page, '#poll');
    await expectVisibleFocus(page);
    await page.keyboard.type('Cijfer');
    expect(await page.inputValue('#poll')).toBe('cijfer');
    const before = await Promise.all(VOTERS.map(async (r) => (await consoleInbox(app, r)).length));
    await tabTo(page, 'form[action="/desk/waves/launch"] button');
    await enterTo(page, /\/desk\/waves\/[0-9a-f-]{36}\?done=launched$/);
    expect(await page.locator('main [role="status"]').textContent()).toBe('De ronde is gestart.');
    const waveId = /waves\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await eventually(
      async () =>
        (await Promise.all(VOTERS.map((r) => consoleInbox(app, r)))).every(
          (inbox, i) => inbox.length > before[i]!,
        ),
      20_000,
      'every invitation',
    );
    for (const [i, r] of VOTERS.entries()) await users.send(r, i < 2 ? '8' : '7', 'Meer bankjes');
    // Drawn before the scheduler opened the wave: reload for its close button.
    await page.reload();
    expect(await page.locator('#wave-status').textContent()).toBe('loopt');
    await tabTo(page, `form[action="/desk/waves/${waveId}/close"] button`);
    await expectVisibleFocus(page);
    await enterTo(page, /done=closed/);
    expect(await page.locator('#wave-status').textContent()).toBe('gesloten');
    // The results table scrolls on its own on a narrow screen: it takes the focus.
    await tabTo(page, 'main .table-wrap[role="region"]');
    await expectVisibleFocus(page);
    const table = page.locator('main .table-wrap:focus table');
    expect(await table.locator('caption').textContent()).toContain('Welk cijfer geef je je buurt?');
    expect((await table.locator('tbody tr').allTextContents()).some((r) => r.includes('40%'))).toBe(true);
    expect(await page.locator('p.mean').textContent()).toBe('Gemiddeld cijfer: 7,4');
    expect(await page.locator('ul.free-texts li').count()).toBe(5);

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
        'poll.launch',
        'poll.close',
        'wave.results',
      ])
      .execute();
    expect(new Set(actions.map((a) => a.action)).size).toBe(9);
    await context.close();
  }, 180_000);
});
