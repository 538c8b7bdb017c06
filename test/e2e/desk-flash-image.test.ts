import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, CONSENT_VERSION } from '../../src/app.js';
import { expectNoAxeViolations, screenshot } from '../helpers/axe.js';
import { type DeskTestBed, signInAs, startDeskTest } from '../helpers/desk-web.js';
import { eventually } from '../helpers/env.js';
import { FAKE_TOKEN, FakeTelegram } from '../helpers/fake-telegram.js';

// A flash with a picture from the web desk's compose form, in Chromium: the picture shows in the
// preview and goes out as the CLI's `flash send --image` does (a photo with the text as its caption
// through the fake Telegram Bot API). A file too large or not a picture is refused next to its field.

const telegram = new FakeTelegram();
let app: App;
let bed: DeskTestBed;
let browser: Browser;
let base: string;

const STAFF = 'wt-flyer';
const CHAT = 770_000_001;

beforeAll(async () => {
  await telegram.start();
  bed = await startDeskTest({ TELEGRAM_BOT_TOKEN: FAKE_TOKEN, TELEGRAM_API_ROOT: telegram.url }, [
    { user: STAFF, role: 'wijkteam', name: 'Fenna' },
  ]);
  ({ app, browser, base } = bed);
  await app.db
    .insertInto('residents')
    .values({
      channel: 'telegram',
      address: String(CHAT),
      language: 'nl',
      area: 'nazareth',
      consent_version: CONSENT_VERSION,
      consent_at: new Date(),
    })
    .execute();
}, 90_000);

afterAll(async () => {
  await bed?.stop();
  await telegram.close();
});

/** A flyer as a phone makes it: a PNG. */
const flyer = () =>
  sharp({ create: { width: 160, height: 100, channels: 3, background: '#2a7' } })
    .png()
    .toBuffer();

/** Submits the compose form to its preview; the answer's status. */
async function preview(page: Page): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${base}/desk/broadcasts/preview`),
    page.click('form[action="/desk/broadcasts/preview"] button[type="submit"]'),
  ]);
  await page.waitForLoadState();
  return response.status();
}

describe('a flash with a picture from the desk', () => {
  it('previews the picture and sends it to Telegram as a photo with the text as caption', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page = await signInAs(app, context, base, STAFF);
    await page.goto(`${base}/desk/broadcasts/new`);
    expect(await page.getAttribute('#image', 'accept')).toBe('image/jpeg,image/png,image/webp');
    await page.fill('#text_nl', 'Zaterdag buurtfeest op het plein!');
    await page.setInputFiles('#image', { name: 'flyer.png', mimeType: 'image/png', buffer: await flyer() });
    expect(await preview(page)).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Voorbeeld van het bericht');
    // The picture shows above the text on every phone, loaded from the desk.
    const pictures = page.locator('figure.phone img.flash-image');
    expect(await pictures.count()).toBeGreaterThan(0);
    await eventually(
      async () =>
        (await pictures
          .first()
          .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)) === 160,
      10_000,
      'the picture to load',
    );
    await expectNoAxeViolations(page, 'the preview with a picture');
    await screenshot(page, 'desk-flash-image-preview-360');

    await Promise.all([
      page.waitForURL(/\/desk\/broadcasts\/[0-9a-f-]{36}\?done=created$/),
      page.click('form[action="/desk/broadcasts/send"] button'),
    ]);
    const flashId = /broadcasts\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await eventually(async () => telegram.photos(CHAT).length === 1, 20_000, 'the photo on Telegram');
    expect(telegram.photos(CHAT)[0]!.payload.caption).toBe('Zaterdag buurtfeest op het plein!');
    expect(telegram.sent(CHAT)).toEqual([]);
    expect(telegram.uploads).toHaveLength(1);
    expect((await sharp(telegram.uploads[0]!.bytes).metadata()).width).toBe(160);
    // The report shows the flash's picture; the chosen copy is gone once the flash has its own.
    expect(await page.locator(`img.flash-image[src="/media/flash/${flashId}"]`).count()).toBe(1);
    await expectNoAxeViolations(page, 'the report of a flash with a picture');
    expect(await app.db.selectFrom('desk_images').select('id').execute()).toEqual([]);
    const sent = await app.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'flash.send')
      .executeTakeFirstOrThrow();
    expect(sent.details).toMatchObject({ flashId, image: { type: 'image/png' }, via: 'web' });
    await context.close();
  }, 90_000);

  it('refuses a file that is not a picture, and one too large, next to the field', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page = await signInAs(app, context, base, STAFF);
    await page.goto(`${base}/desk/broadcasts/new`);
    await page.fill('#text_nl', 'Een bericht met een verkeerd bestand.');
    await page.setInputFiles('#image', {
      name: 'flyer.png',
      mimeType: 'image/png',
      buffer: Buffer.from('dit is tekst, geen afbeelding'),
    });
    expect(await preview(page)).toBe(400);
    expect(await page.locator('#image-problem').textContent()).toBe(
      'Dit bestand is geen afbeelding. Kies een jpg-, png- of webp-bestand.',
    );
    expect(await page.getAttribute('#image', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#image', 'aria-describedby')).toContain('image-problem');
    // What was typed stays.
    expect(await page.inputValue('#text_nl')).toBe('Een bericht met een verkeerd bestand.');
    await expectNoAxeViolations(page, 'the compose form with a wrong file');

    // Larger than the limit: refused as it comes in, the form says so by the field.
    await page.setInputFiles('#image', {
      name: 'poster.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.alloc(8 * 1024 * 1024, 7),
    });
    expect(await preview(page)).toBe(413);
    expect(await page.locator('#image-problem').textContent()).toBe(
      'Deze afbeelding is te groot. Er past hoogstens 5 megabyte. Maak hem kleiner.',
    );
    await expectNoAxeViolations(page, 'the compose form after a file too large');

    // A picture posted without the session's CSRF token is refused, as any desk form.
    const forged = await context.request.post(`${base}/desk/broadcasts/preview`, {
      headers: { origin: base },
      multipart: {
        _csrf: 'not-the-token',
        text_nl: 'Vals bericht',
        image: { name: 'flyer.png', mimeType: 'image/png', buffer: await flyer() },
      },
    });
    expect(forged.status()).toBe(403);
    expect(await app.db.selectFrom('desk_images').select('id').execute()).toEqual([]);
    await context.close();
  }, 90_000);
});
