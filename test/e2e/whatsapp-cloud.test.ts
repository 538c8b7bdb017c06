import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTexts } from '../../flows/i18n/texts.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { type App, startApp } from '../../src/app.js';
import type { BroadcastDeps } from '../../src/broadcast/broadcasts.js';
import { sendFlash } from '../../src/broadcast/flashes.js';
import { flashReport } from '../../src/broadcast/reports.js';
import { QuietHours } from '../../src/domain/quiet-hours.js';
import { createLogger } from '../../src/log.js';
import { eventually, type TestSetup, testSetup } from '../helpers/env.js';
import {
  CLOUD_APP_SECRET,
  CLOUD_PHONE_NUMBER_ID,
  CLOUD_VERIFY_TOKEN,
  type CloudDelivered,
  FakeWhatsAppCloud,
  sign,
} from '../helpers/fake-whatsapp-cloud.js';

// Acceptance of the Cloud API channel, the whole app in this process against a fake Graph API:
// Meta's webhook calls go to the app's /webhooks/whatsapp, signed with the app secret, as Meta's would.

let fake: FakeWhatsAppCloud;
let app: App;
let setup: TestSetup;
let deps: BroadcastDeps;
let base: string;

beforeAll(async () => {
  fake = await new FakeWhatsAppCloud().start();
  // Quiet hours off: the flash goes whatever the hour the suite runs.
  setup = testSetup({
    WHATSAPP_CLOUD_ACCESS_TOKEN: fake.token,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: CLOUD_PHONE_NUMBER_ID,
    WHATSAPP_CLOUD_APP_SECRET: CLOUD_APP_SECRET,
    WHATSAPP_CLOUD_VERIFY_TOKEN: CLOUD_VERIFY_TOKEN,
    WHATSAPP_CLOUD_API_ROOT: fake.url,
    WHATSAPP_CLOUD_RATE_PER_SECOND: '200',
    QUIET_HOURS_START: '00:00',
    QUIET_HOURS_END: '00:00',
  });
  app = await startApp({ env: setup.env, log: createLogger('silent'), role: 'all' });
  base = `http://127.0.0.1:${app.httpPort}`;
  fake.webhookUrl = `${base}/webhooks/whatsapp`;
  deps = {
    db: app.db,
    queue: app.queues.broadcast,
    texts: loadTexts(),
    polls: loadPolls(),
    timeZone: setup.env.TIME_ZONE,
    quietHours: new QuietHours(setup.env.QUIET_HOURS_START, setup.env.QUIET_HOURS_END, setup.env.TIME_ZONE),
  };
}, 30_000);
afterAll(async () => {
  await fake?.settled();
  await app?.stop();
  await setup?.cleanup();
  await fake?.close();
});

/** A resident writes `text`; waits until `replies` more messages reached them. */
async function say(to: string, text: string, replies = 1): Promise<CloudDelivered[]> {
  const before = fake.received(to).length;
  fake.inbound(to);
  expect((await fake.post(fake.textFrom(to, text))).status).toBe(200);
  return (await eventually<CloudDelivered[] | undefined>(
    () => {
      const got = fake.received(to).slice(before);
      return got.length >= replies ? got : undefined;
    },
    10_000,
    `${replies} replies to "${text}"`,
  ))!;
}

/** A resident taps the row or button whose title starts with `number.` in the last message. */
async function tap(to: string, number: number, replies = 1): Promise<CloudDelivered[]> {
  const last = fake.received(to).at(-1)!;
  const interactive = last.payload.interactive as {
    type: 'button' | 'list';
    action: {
      buttons?: { reply: { id: string; title: string } }[];
      sections?: { rows: { id: string; title: string }[] }[];
    };
  };
  const options =
    interactive.type === 'button'
      ? interactive.action.buttons!.map((b) => b.reply)
      : interactive.action.sections!.flatMap((s) => s.rows);
  const option = options.find((o) => o.title.startsWith(`${number}.`))!;
  const before = fake.received(to).length;
  fake.inbound(to);
  const kind = interactive.type === 'button' ? 'button_reply' : 'list_reply';
  expect((await fake.post(fake.replyFrom(to, kind, option.id, option.title))).status).toBe(200);
  return (await eventually<CloudDelivered[] | undefined>(
    () => {
      const got = fake.received(to).slice(before);
      return got.length >= replies ? got : undefined;
    },
    10_000,
    `${replies} replies to a tap on ${number}`,
  ))!;
}

/** Pretends a resident last wrote 25 hours ago: outside the 24-hour window, for us and for Meta. */
async function outsideWindow(to: string): Promise<void> {
  fake.closeWindow(to);
  await app.db
    .updateTable('whatsapp_cloud_contacts')
    .set({ last_inbound_at: new Date(Date.now() - 25 * 3600 * 1000) })
    .where('wa_id', '=', to)
    .execute();
}

/** Joins a resident through the flyer link, declines the age question and skips the poll's questions. */
async function join(to: string): Promise<void> {
  await say(to, 'Hallo Straatpraat Pottenberg', 2);
  await tap(to, 1); // Nederlands
  await tap(to, 1); // Ja, ik doe mee
  await tap(to, 6, 3); // Sla over → joined, the poll's intro and first question
}

const ALICE = '31611111111';

describe('a resident on the WhatsApp Cloud API', () => {
  it('joins and answers veerkracht-kort by list, buttons and typing; the answers are stored with their codes', async () => {
    const to = ALICE;
    const welcome = await say(to, 'Hallo Straatpraat Nazareth', 2);
    // Every resident language, Dutch and English first: more than three, so a list instead of buttons.
    expect(welcome[1]!.buttons).toEqual([
      '1. Nederlands',
      '2. English',
      '3. العربية',
      '4. Polski',
      '5. Türkçe',
    ]);
    await tap(to, 1); // language: buttons
    await tap(to, 1); // consent: buttons
    const poll = await tap(to, 3, 3); // age group 27–40: a list of six rows
    expect(poll[2]!.type).toBe('interactive');
    expect(poll[2]!.text).toContain('Voel je je thuis in je buurt?');
    expect(poll[2]!.buttons).toHaveLength(5);
    await tap(to, 4); // thuis: a list row
    await say(to, '5'); // hulp: typed
    await tap(to, 2); // vertrouwen: a list row
    const thanks = await say(to, 'Meer bankjes in het park'); // beter: typed text
    expect(thanks[0]!.text).toMatch(/Dank je/);

    const answers = await app.db
      .selectFrom('answers')
      .select(['question', 'answer_code', 'text', 'channel', 'area', 'age_group'])
      .where('poll', '=', 'veerkracht-kort')
      .orderBy('question')
      .execute();
    expect(answers).toEqual([
      expect.objectContaining({ question: 'beter', answer_code: null, text: 'Meer bankjes in het park' }),
      expect.objectContaining({ question: 'hulp', answer_code: '5' }),
      expect.objectContaining({ question: 'thuis', answer_code: '4' }),
      expect.objectContaining({ question: 'vertrouwen', answer_code: '2' }),
    ]);
    // Answers carry no channel (a quasi-identifier a database copy could match on).
    expect(answers.every((a) => a.channel === null && a.area === 'nazareth')).toBe(true);
    expect(fake.violations).toEqual([]);
  });

  it('keeps the number in the identity store only, and never the profile name', async () => {
    const resident = await app.db
      .selectFrom('residents')
      .select(['address', 'channel'])
      .where('channel', '=', 'whatsapp-cloud')
      .where('address', '=', ALICE)
      .executeTakeFirst();
    expect(resident).toBeDefined();
    const { rows } = await sql<{ n: number }>`
      select (select count(*) from message_log where body like '%Bewoner%')
           + (select count(*) from residents where address like '%Bewoner%' or coalesce(area, '') like '%Bewoner%')
           + (select count(*) from answers where coalesce(text, '') like '%Bewoner%' or respondent like '%31611111111%')
           as n`.execute(app.db);
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('offers "Ander deel van Maastricht" as a shortened row with the full text as its description', async () => {
    const to = '31622222222';
    await say(to, 'hallo', 2);
    await tap(to, 1);
    const [areaAsk] = await tap(to, 1);
    expect(areaAsk!.buttons[2]).toBe('3. Ander deel van Maast…');
    expect(areaAsk!.descriptions[2]).toBe('Ander deel van Maastricht');
    expect(areaAsk!.text).toContain('3. Ander deel van Maastricht');
    expect(fake.violations).toEqual([]);
  });

  it('sends a flash as text inside the 24-hour window and as the template outside it; statuses show in the report', async () => {
    const inside = '31633333333';
    const outside = '31644444444';
    await join(inside);
    await join(outside);
    await outsideWindow(outside);
    fake.statusFlow = ['sent', 'delivered', 'read'];
    fake.shuffleStatuses = true;
    const text = 'Zaterdag om 10 uur ontbijt in het Trefpunt.';
    const flash = await sendFlash(deps, { text: { nl: text }, audience: { areas: ['pottenberg'] } }, 'test');
    const [got] = (await eventually(
      () => {
        const a = fake.received(inside).filter((d) => d.text.includes('Trefpunt'));
        const b = fake.received(outside).filter((d) => d.text.includes('Trefpunt'));
        return a.length && b.length ? [[a[0]!, b[0]!]] : undefined;
      },
      15_000,
      'the flash',
    ))!;
    const [asText, asTemplate] = got!;
    expect(asText!.type).toBe('text');
    expect(asText!.text).toContain(text);
    expect(asTemplate!.type).toBe('template');
    expect(asTemplate!.template).toMatchObject({ name: 'straatpraat_nieuws', language: 'nl' });
    expect(asTemplate!.template!.parameter).toContain(text);
    expect(asTemplate!.template!.parameter).not.toMatch(/\n/);
    const report = await eventually(
      async () => {
        const r = await flashReport(app.db, flash.id);
        return r.sent === 2 && r.delivered === 2 && r.read === 2 ? r : undefined;
      },
      15_000,
      'delivered and read in the report',
    );
    expect(report!).toMatchObject({ recipients: 2, failed: 0, queued: 0 });
    expect(fake.violations).toEqual([]);
  });

  it('re-sends as the template when Meta refuses with 131047, at once or later as a failed status', async () => {
    fake.statusFlow = ['sent'];
    fake.shuffleStatuses = false;
    const now = '31655555555';
    const later = '31666666666';
    await join(now);
    await join(later);
    // Our clock thinks both windows open; Meta's does not.
    fake.closeWindow(now);
    fake.closeWindow(later);
    fake.window = 'http';
    const first = await sendFlash(
      deps,
      { text: { nl: 'Eerste nieuws.' }, audience: { areas: ['pottenberg'] } },
      'test',
    );
    await eventually(
      () => fake.received(now).find((d) => d.text.includes('Eerste nieuws')),
      15_000,
      'the first flash',
    );
    expect(
      fake
        .received(now)
        .filter((d) => d.text.includes('Eerste nieuws'))
        .map((d) => d.type),
    ).toEqual(['template']);
    fake.window = 'status';
    fake.closeWindow(now);
    fake.closeWindow(later);
    await app.db.updateTable('whatsapp_cloud_contacts').set({ last_inbound_at: new Date() }).execute();
    const second = await sendFlash(
      deps,
      { text: { nl: 'Tweede nieuws.' }, audience: { areas: ['pottenberg'] } },
      'test',
    );
    const resent = await eventually(
      () => fake.received(later).find((d) => d.text.includes('Tweede nieuws')),
      15_000,
      'the second flash, as a template after a failed status',
    );
    expect(resent!.type).toBe('template');
    const report = await eventually(
      async () => {
        const r = await flashReport(app.db, second.id);
        return r.queued === 0 && r.sent === r.recipients ? r : undefined;
      },
      15_000,
      'every row sent',
    );
    expect(report!.failed).toBe(0);
    expect((await flashReport(app.db, first.id)).failed).toBe(0);
    fake.window = 'http';
  });
});

describe('the webhook', () => {
  it('answers Meta’s verification handshake, and 403 with a wrong token', async () => {
    const ok = await fetch(
      `${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${CLOUD_VERIFY_TOKEN}&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(
      `${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    );
    expect(wrong.status).toBe(403);
  });

  it('answers 401 and queues nothing without a valid signature', async () => {
    const to = '31677777777';
    const body = JSON.stringify(fake.textFrom(to, 'hallo'));
    const ledgerBefore = await app.db
      .selectFrom('inbound_ledger')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const answers = await Promise.all([
      fake.post(body, 'sha256=0000'),
      fake.post(body, sign(body, 'another-secret-0123456789abcdef')),
      fake.post(body, sign(`${body} `)),
      fetch(`${base}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
    await new Promise((r) => setTimeout(r, 500));
    const ledgerAfter = await app.db
      .selectFrom('inbound_ledger')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(ledgerAfter.n)).toBe(Number(ledgerBefore.n));
    expect(fake.received(to)).toEqual([]);
    expect(
      await app.db.selectFrom('whatsapp_cloud_contacts').select('address').where('wa_id', '=', to).execute(),
    ).toEqual([]);
  });

  it('checks the signature over the raw bytes Meta sent (non-ASCII escaped), not re-serialised JSON', async () => {
    const to = '31688888888';
    // Meta escapes non-ASCII as \u00e4; JSON.stringify would write the letter itself.
    const raw = JSON.stringify(fake.textFrom(to, 'Café Hähnchen')).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    expect(raw).toContain('\\u00e4');
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect((await fake.post(raw, sign(reserialised))).status).toBe(401);
    fake.inbound(to);
    expect((await fake.post(raw, sign(raw))).status).toBe(200);
    await eventually(() => fake.received(to).length > 0, 10_000, 'a reply');
  });

  it('handles the same message delivered twice once', async () => {
    const to = '31699999999';
    fake.inbound(to);
    const body = JSON.stringify(fake.textFrom(to, 'hallo'));
    expect((await fake.post(body)).status).toBe(200);
    expect((await fake.post(body)).status).toBe(200);
    await eventually(() => fake.received(to).length >= 2, 10_000, 'the welcome');
    await new Promise((r) => setTimeout(r, 1000));
    expect(fake.received(to)).toHaveLength(2);
  });
});
