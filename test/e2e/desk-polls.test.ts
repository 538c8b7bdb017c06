import { parse } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { addStaff } from '../../src/desk/staff.js';
import { setSchedule } from '../../src/polls/schedules.js';
import { consoleInbox, startTestApp } from '../helpers/app.js';
import { expectNoAxeViolations, launchChromium, screenshot } from '../helpers/axe.js';
import { runCli } from '../helpers/cli.js';
import { ConsoleUsers, seedResidents } from '../helpers/desk.js';
import { csrfOf, signInAs } from '../helpers/desk-web.js';
import { eventually, type TestSetup } from '../helpers/env.js';

// The poll editor of the web desk in Chromium: a wijkteam member writes "Welke dag past voor het
// buurtontbijt?", is refused with each problem next to its field, fixes it (adding an answer and a
// question without JavaScript), previews it per channel, test-sends it to their own chat (the answer
// is not stored), saves it, launches it on the waves page; console residents answer and the responses
// export has the poll's version. Indicator polls stay with the admins.

let app: App;
let setup: TestSetup;
let stop: () => Promise<void>;
let browser: Browser;
let base: string;
let users: ConsoleUsers;

const WIJKTEAM = 'wt-poll-ilse';
const ADMIN = 'adm-poll-ruud';
const NAZ = ['poll-naz-0', 'poll-naz-1', 'poll-naz-2'];

beforeAll(async () => {
  browser = await launchChromium();
  ({ app, setup, stop } = await startTestApp({
    QUIET_HOURS_START: '00:00',
    QUIET_HOURS_END: '00:00',
    // A wave launched for now opens on the scheduler's next tick.
    SCHEDULER_TICK_MS: '500',
    ONBOARDING_POLL: 'false',
  }));
  base = `http://127.0.0.1:${app.httpPort}`;
  users = new ConsoleUsers(app);
  for (const [user, role, name] of [
    [WIJKTEAM, 'wijkteam', 'Ilse'],
    [ADMIN, 'admin', 'Ruud'],
  ] as const)
    await addStaff(app.db, { channel: 'console', user, role, name }, 'cli', new Date());
  await seedResidents(
    app,
    NAZ.map((address) => ({ address, area: 'nazareth' })),
  );
  // The quarterly monitor poll recurs: the list shows its next wave.
  await setSchedule(
    app.db,
    { poll: 'veerkracht-kort', rule: { every: 'quarter', nth: 'first', weekday: 'monday', at: '10:00' } },
    { actor: 'cli', now: new Date(), timeZone: app.env.TIME_ZONE },
  );
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stop?.();
});

describe('the poll editor', () => {
  it('refuses an invalid poll at its fields, previews, test-sends and saves a good one, which is launched, answered and exported with its version', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page = await signInAs(app, context, base, WIJKTEAM);
    await Promise.all([page.waitForURL(`${base}/desk/polls`), page.click('nav.main a[href="/desk/polls"]')]);
    const veerkracht = page.locator('tr', { has: page.locator('a[href="/desk/polls/veerkracht-kort"]') });
    const cells = await veerkracht.locator('td').allTextContents();
    expect(cells[1]).toBe('veerkracht-kort');
    expect(cells[2]).toBe('1');
    expect(cells[3]).toContain('ja (thuis_in_buurt');
    expect(cells[4]).toMatch(/10:00/);
    const cijfer = await page
      .locator('tr', { has: page.locator('a[href="/desk/polls/cijfer"]') })
      .locator('td')
      .allTextContents();
    expect(cijfer[4]).toBe('—');
    await expectNoAxeViolations(page, 'the list of polls');

    await Promise.all([page.waitForURL(`${base}/desk/polls/new`), page.click('a[href="/desk/polls/new"]')]);
    // No indicator for the wijkteam: the field is not there.
    expect(await page.locator('#questions-0-indicator').count()).toBe(0);
    await page.fill('#id', 'buurtontbijt');
    await page.fill('#title-nl', 'Buurtontbijt');
    await page.fill('#questions-0-id', 'dag');
    await page.selectOption('#questions-0-type', 'choice');
    await page.fill('#questions-0-text-nl', 'Welke dag past? Kom je ook?');
    await page.fill('#questions-0-text-en', 'Which day suits the breakfast?');
    await page.fill('#questions-0-options-0-label-nl', 'Zaterdag');
    await page.fill('#questions-0-options-0-label-en', 'Saturday');
    await page.fill('#questions-0-options-1-label-nl', 'Woensdagochtend vroeg voor werk');
    await page.fill('#questions-0-options-1-label-en', 'Wednesday');
    await Promise.all([page.waitForLoadState(), page.click('button[value="save"]')]);

    // Refused: each problem next to its field, and a summary on top linking to them.
    expect(await page.locator('.error-summary h2').textContent()).toBe('Er zijn 3 problemen');
    const text = page.locator('#questions-0-text-nl');
    expect(await text.getAttribute('aria-invalid')).toBe('true');
    expect(await text.getAttribute('aria-describedby')).toBe('questions-0-text-nl-error');
    expect(await page.locator('#questions-0-text-nl-error').textContent()).toContain(
      'één vraag per bericht (2 vraagtekens)',
    );
    expect(await page.locator('#questions-0-options-1-label-nl-error').textContent()).toBe(
      'te lang (31 tekens, max 20)',
    );
    expect(await page.locator('#title-en-error').textContent()).toBe('Vul dit in.');
    expect(
      await page.locator('.error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
    ).toEqual(
      expect.arrayContaining(['#title-en', '#questions-0-text-nl', '#questions-0-options-1-label-nl']),
    );
    // What was typed is still there.
    expect(await page.inputValue('#questions-0-options-0-label-nl')).toBe('Zaterdag');
    await expectNoAxeViolations(page, 'the poll form with problems');
    await screenshot(page, 'desk-poll-problems-360');
    expect(
      await app.db.selectFrom('poll_versions').select('id').where('poll', '=', 'buurtontbijt').execute(),
    ).toEqual([]);

    await page.fill('#title-en', 'Neighbourhood breakfast');
    await page.fill('#questions-0-text-nl', 'Welke dag past voor het buurtontbijt?');
    await page.fill('#questions-0-options-1-label-nl', 'Zondag');
    await page.fill('#questions-0-options-1-label-en', 'Sunday');
    // Without JavaScript: "add" posts the form back with one more slot.
    await Promise.all([page.waitForLoadState(), page.click('button[value="add-option-0"]')]);
    await page.fill('#questions-0-options-2-label-nl', 'Woensdag');
    await page.fill('#questions-0-options-2-label-en', 'Wednesday');
    await Promise.all([page.waitForLoadState(), page.click('button[value="add-question"]')]);
    await page.fill('#questions-1-id', 'komen');
    await page.selectOption('#questions-1-type', 'yesno');
    await page.fill('#questions-1-text-nl', 'Kom je zelf ook?');
    await page.fill('#questions-1-text-en', 'Will you come yourself?');
    // Enter in a field previews (rather than adding a slot).
    await Promise.all([page.waitForEvent('framenavigated'), page.press('#questions-1-id', 'Enter')]);
    await page.waitForLoadState();
    expect(await page.locator('#questions-2-id').count()).toBe(0);
    expect(await page.locator('.error-summary').count()).toBe(0);
    const telegram = page.locator('figure[data-channel="telegram"]');
    expect(await telegram.textContent()).toContain('Welke dag past voor het buurtontbijt?');
    expect(await telegram.locator('ul.taps li').allTextContents()).toEqual([
      '1. Zaterdag',
      '2. Zondag',
      '3. Woensdag',
      '1. Ja',
      '2. Nee',
      '3. Weet ik niet',
    ]);
    expect(await page.locator('figure[data-channel="whatsapp-cloud"] ul.taps li').first().textContent()).toBe(
      '1. Zaterdag',
    );
    expect(await page.locator('figure[data-channel="console"]').textContent()).toContain('1. Zaterdag');
    await expectNoAxeViolations(page, 'the poll preview');
    await screenshot(page, 'desk-poll-preview-360');

    // A test in the staff member's own chat: the first question, and an answer that is not stored.
    const before = (await consoleInbox(app, WIJKTEAM)).length;
    await Promise.all([page.waitForLoadState(), page.click('button[value="test"]')]);
    expect(await page.locator('main [role="status"]').textContent()).toBe(
      'De test is naar je eigen chat gestuurd.',
    );
    await eventually(
      async () =>
        (await consoleInbox(app, WIJKTEAM))
          .slice(before)
          .some((m) => m.includes('Welke dag past voor het buurtontbijt?')),
      20_000,
      'the test question in the own chat',
    );
    expect((await consoleInbox(app, WIJKTEAM)).slice(before).join('\n')).toContain(
      'Test van de vragenlijst Buurtontbijt.',
    );
    expect(await users.send(WIJKTEAM, '1')).not.toEqual([]);
    expect(
      await app.db.selectFrom('answers').select('id').where('poll', '=', 'buurtontbijt').execute(),
    ).toEqual([]);

    await Promise.all([
      page.waitForURL(/\/desk\/polls\/buurtontbijt\?done=saved$/),
      page.click('button[value="save"]'),
    ]);
    expect(await page.locator('main [role="status"]').textContent()).toContain('Opgeslagen als versie 1.');
    expect(await page.locator('#poll-version').textContent()).toBe('1');
    const stored = await app.db
      .selectFrom('poll_versions')
      .select(['version', 'source', 'created_by'])
      .where('poll', '=', 'buurtontbijt')
      .execute();
    expect(stored).toEqual([
      { version: 1, source: 'desk', created_by: expect.stringMatching(/^staff:\d+$/) },
    ]);
    const audit = await app.db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('action', '=', 'poll.version')
      .execute();
    expect(audit).toEqual([
      {
        actor: expect.stringMatching(/^staff:\d+$/),
        details: expect.objectContaining({ poll: 'buurtontbijt', version: 1, via: 'web' }),
      },
    ]);

    // Launched on the waves page, answered by residents in the console.
    await page.goto(`${base}/desk/waves`);
    await page.selectOption('#poll', 'buurtontbijt');
    await page.check('#area-nazareth');
    await Promise.all([
      page.waitForURL(/\/desk\/waves\/[0-9a-f-]{36}\?done=launched$/),
      page.click('form[action="/desk/waves/launch"] button'),
    ]);
    const waveId = /waves\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await eventually(
      async () =>
        (await Promise.all(NAZ.map((r) => consoleInbox(app, r)))).every((inbox) =>
          inbox.some((m) => m.includes('Welke dag past voor het buurtontbijt?')),
        ),
      20_000,
      'every invitation',
    );
    for (const r of NAZ) {
      expect((await users.send(r, '2')).join('\n')).toContain('Kom je zelf ook?');
      expect(await users.send(r, 'ja')).not.toEqual([]);
    }

    const exported = await runCli(
      ['export', 'responses', '--format', 'csv', '--poll', 'buurtontbijt'],
      setup.vars,
      '',
      60_000,
    );
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    const rows = parse(exported.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.wave, r.poll, r.poll_version, r.question, r.answer_code]).sort()).toEqual(
      [
        ...NAZ.map(() => [waveId, 'buurtontbijt', '1', 'dag', 'zondag']),
        ...NAZ.map(() => [waveId, 'buurtontbijt', '1', 'komen', 'ja']),
      ].sort(),
    );
    await context.close();
  }, 240_000);

  it('keeps indicator polls with the admins: a wijkteam member is refused, even with an indicator posted by hand', async () => {
    const context = await browser.newContext();
    const page = await signInAs(app, context, base, WIJKTEAM);
    await page.goto(`${base}/desk/polls/veerkracht-kort`);
    expect(await page.locator('a[href="/desk/polls/veerkracht-kort/edit"]').count()).toBe(0);
    const refused = await page.goto(`${base}/desk/polls/veerkracht-kort/edit`);
    expect(refused?.status()).toBe(403);
    expect(await page.locator('main [role="alert"]').textContent()).toContain(
      'Alleen een beheerder mag die maken of wijzigen.',
    );

    await page.goto(`${base}/desk/polls/new`);
    const csrf = await csrfOf(page);
    const smuggled = await page.request.post(`${base}/desk/polls/new`, {
      headers: { origin: base },
      form: {
        _csrf: csrf,
        do: 'save',
        question_count: '1',
        id: 'stiekem',
        'title-nl': 'Stiekem',
        'title-en': 'Sneaky',
        'questions-0-id': 'thuis',
        'questions-0-type': 'scale5',
        'questions-0-indicator': 'thuis_in_buurt',
        'questions-0-text-nl': 'Voel je je thuis?',
        'questions-0-text-en': 'Do you feel at home?',
        'questions-0-option_count': '0',
      },
    });
    expect(smuggled.status()).toBe(403);
    expect(await smuggled.text()).toContain('Alleen een beheerder mag die maken of wijzigen.');
    const edited = await page.request.post(`${base}/desk/polls/veerkracht-kort/edit`, {
      headers: { origin: base },
      form: { _csrf: csrf, do: 'save', question_count: '1', 'title-nl': 'Anders' },
    });
    expect(edited.status()).toBe(403);
    expect(
      await app.db
        .selectFrom('poll_versions')
        .select('poll')
        .where('poll', 'in', ['stiekem', 'veerkracht-kort'])
        .where('source', '=', 'desk')
        .execute(),
    ).toEqual([]);
    await context.close();

    // An admin sees the indicator and may write the next version; an unchanged one adds nothing.
    const adminContext = await browser.newContext();
    const admin = await signInAs(app, adminContext, base, ADMIN);
    await admin.goto(`${base}/desk/polls/veerkracht-kort/edit`);
    expect(await admin.inputValue('#questions-0-indicator')).toBe('thuis_in_buurt');
    await Promise.all([
      admin.waitForURL(/\/desk\/polls\/veerkracht-kort\?done=unchanged$/),
      admin.click('button[value="save"]'),
    ]);
    expect(await admin.locator('main [role="status"]').textContent()).toBe(
      'Niets veranderd. Het blijft versie 1.',
    );
    await adminContext.close();
  }, 120_000);
});
