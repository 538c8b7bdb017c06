import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { startTestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { eventually } from '../helpers/env.js';
import { FAKE_TOKEN, FakeTelegram } from '../helpers/fake-telegram.js';

// Join links: the CLI prints the link and writes QR codes that read back as that link; a
// Telegram user who follows it joins without the area question, and the link's count goes up.

const BOT = 'straatpraat_test_bot';
let fake: FakeTelegram;
let app: App;
let stop: () => Promise<void>;
let vars: Record<string, string>;

beforeAll(async () => {
  fake = await new FakeTelegram().start();
  let setup: Awaited<ReturnType<typeof startTestApp>>['setup'];
  ({ app, setup, stop } = await startTestApp({
    TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
    TELEGRAM_API_ROOT: fake.url,
    TELEGRAM_PER_CHAT_INTERVAL_MS: '0',
    TELEGRAM_BOT_USERNAME: BOT,
    WHATSAPP_NUMBER: '31612345678',
    ONBOARDING_POLL: 'false',
  }));
  vars = setup.vars;
}, 60_000);
afterAll(async () => {
  await stop?.();
  await fake?.close();
});

/** Reads a QR code from an RGBA bitmap. */
function decode(data: Uint8Array, width: number, height: number): string | undefined {
  // jsqr is CommonJS with its function also under `default`, which is what the types describe.
  return jsQR.default(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width, height)
    ?.data;
}

/**
 * Rasterises the `qrcode` library's SVG (a white square, then dark modules drawn as horizontal strokes
 * `M x y h n m dx dy …`) into a bitmap, so the SVG itself is decoded rather than trusted.
 */
function decodeSvg(svg: string): string | undefined {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const path = /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1];
  if (!size || !path) return undefined;
  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, op, args] of path.matchAll(/([MmHh])([^MmHh]*)/g)) {
    const n = args!
      .trim()
      .split(/[\s,]+/)
      .map(Number);
    if (op === 'M') [x, y] = [n[0]!, n[1]!];
    else if (op === 'm') [x, y] = [x + n[0]!, y + n[1]!];
    else {
      for (let i = 0; i < n[0]!; i++) dark.add(`${x + i},${Math.floor(y)}`);
      x += n[0]!;
    }
  }
  const scale = 8;
  const png = new PNG({ width: size * scale, height: size * scale });
  for (let py = 0; py < size * scale; py++) {
    for (let px = 0; px < size * scale; px++) {
      const on = dark.has(`${Math.floor(px / scale)},${Math.floor(py / scale)}`);
      const i = (py * size * scale + px) * 4;
      png.data[i] = png.data[i + 1] = png.data[i + 2] = on ? 0 : 255;
      png.data[i + 3] = 255;
    }
  }
  return decode(png.data, png.width, png.height);
}

async function joins(): Promise<Record<string, number>> {
  const stats = await runCli(['join-link', 'stats', '--json'], vars);
  expect(stats.code, stats.stderr).toBe(0);
  return Object.fromEntries(
    (JSON.parse(stats.stdout) as { source: string; joins: number }[]).map((s) => [s.source, s.joins]),
  );
}

interface Stat {
  code: string;
  channel: string;
  area: string;
  joins: number;
}

async function statRows(): Promise<Stat[]> {
  const stats = await runCli(['join-link', 'stats', '--json'], vars);
  expect(stats.code, stats.stderr).toBe(0);
  return JSON.parse(stats.stdout) as Stat[];
}

describe('join links and QR codes', () => {
  it('prints a Telegram link with the start parameter and writes an SVG and a PNG that read back as it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'join-link-'));
    const result = await runCli(
      ['join-link', '--channel', 'telegram', '--area', 'pottenberg', '--out', out],
      vars,
    );
    expect(result.code, result.stderr).toBe(0);
    const link = `https://t.me/${BOT}?start=pottenberg`;
    expect(result.stdout.trim()).toBe(link);
    const png = PNG.sync.read(readFileSync(join(out, 'join-telegram-pottenberg.png')));
    expect(decode(png.data, png.width, png.height)).toBe(link);
    expect(decodeSvg(readFileSync(join(out, 'join-telegram-pottenberg.svg'), 'utf8'))).toBe(link);
  });

  it('prints a WhatsApp link whose first message names the area', async () => {
    const out = mkdtempSync(join(tmpdir(), 'join-link-'));
    const result = await runCli(
      ['join-link', '--channel', 'whatsapp', '--area', 'nazareth', '--out', out],
      vars,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('https://wa.me/31612345678?text=Hallo%20Straatpraat%20Nazareth');
    const png = PNG.sync.read(readFileSync(join(out, 'join-whatsapp-nazareth.png')));
    expect(decode(png.data, png.width, png.height)).toBe(result.stdout.trim());
  });

  it('says in one line which setting a link needs when it is missing', async () => {
    const { TELEGRAM_BOT_USERNAME: _, ...without } = vars;
    const result = await runCli(['join-link', '--channel', 'telegram'], without);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/TELEGRAM_BOT_USERNAME is not set/);
  });

  it('lets a new Telegram user who follows the link join without the area question, counted for the link', async () => {
    const before = (await joins())['telegram:pottenberg'] ?? 0;
    const chat = 770_000_001;
    const say = async (text: string, replies: number) => {
      fake.inject(fake.textUpdate(chat, text));
      await eventually(() => fake.sent(chat).length >= replies, 20_000, `${replies} replies after "${text}"`);
      return String(fake.sent(chat).at(-1)!.payload.text);
    };
    expect(await say('/start pottenberg', 2)).toMatch(/Nederlands/); // welcome, then the language
    expect(await say('1', 3)).toMatch(/Doe je mee\?/); // consent
    const afterConsent = await say('ja', 4);
    expect(afterConsent).toMatch(/Hoe oud ben je/);
    expect(
      fake
        .sent(chat)
        .map((c) => String(c.payload.text))
        .join('\n'),
    ).not.toMatch(/In welke buurt woon je/);
    await say('3', 5);
    const resident = await app.db
      .selectFrom('residents')
      .select(['area', 'join_source', 'consent_at'])
      .where('channel', '=', 'telegram')
      .where('address', '=', String(chat))
      .executeTakeFirstOrThrow();
    expect(resident).toMatchObject({ area: 'pottenberg', join_source: 'telegram:pottenberg' });
    expect(resident.consent_at).not.toBeNull();
    expect((await joins())['telegram:pottenberg']).toBe(before + 1);
  });

  it('carries a flyer source code in the Telegram start parameter and the WhatsApp text, and names the QR files after it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'join-link-'));
    const telegram = await runCli(
      [
        'join-link',
        '--channel',
        'telegram',
        '--area',
        'nazareth',
        '--source',
        'poster-trefpunt',
        '--out',
        out,
      ],
      vars,
    );
    expect(telegram.code, telegram.stderr).toBe(0);
    const link = `https://t.me/${BOT}?start=nazareth_poster-trefpunt`;
    expect(telegram.stdout.trim()).toBe(link);
    const png = PNG.sync.read(readFileSync(join(out, 'join-telegram-nazareth-poster-trefpunt.png')));
    expect(decode(png.data, png.width, png.height)).toBe(link);
    // The longest code still fits Telegram's 64 characters of [A-Za-z0-9_-].
    const longest = 'a'.repeat(32);
    const long = await runCli(
      [
        'join-link',
        '--channel',
        'telegram',
        '--area',
        'pottenberg',
        '--source',
        longest,
        '--out',
        out,
        '--json',
      ],
      vars,
    );
    expect(long.code, long.stderr).toBe(0);
    const param = new URL((JSON.parse(long.stdout) as { link: string }).link).searchParams.get('start')!;
    expect(param).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    const whatsapp = await runCli(
      ['join-link', '--channel', 'whatsapp', '--source', 'nazareth-info-2027-01', '--out', out, '--json'],
      vars,
    );
    expect(whatsapp.code, whatsapp.stderr).toBe(0);
    expect(JSON.parse(whatsapp.stdout)).toMatchObject({
      link: 'https://wa.me/31612345678?text=Hallo%20Straatpraat%20%23nazareth-info-2027-01',
      code: 'nazareth-info-2027-01',
    });
  });

  it.each([
    ['Poster-Trefpunt', /lowercase/],
    ['poster trefpunt', /lowercase/],
    ['a'.repeat(33), /at most 32/],
    ['-poster', /lowercase/],
  ])('refuses the source code %s as a usage error', async (code, message) => {
    const result = await runCli(['join-link', '--channel', 'telegram', '--source', code], vars);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('counts joins per source code, channel and area in join-link stats', async () => {
    const chat = 770_000_002;
    const say = async (text: string, replies: number) => {
      fake.inject(fake.textUpdate(chat, text));
      await eventually(() => fake.sent(chat).length >= replies, 20_000, `${replies} replies after "${text}"`);
      return String(fake.sent(chat).at(-1)!.payload.text);
    };
    await say('/start join_poster-trefpunt', 2);
    await say('1', 3);
    // A link without an area: the area question comes.
    expect(await say('ja', 4)).toMatch(/In welke buurt woon je/);
    const rows = await statRows();
    expect(rows).toContainEqual(
      expect.objectContaining({ code: 'poster-trefpunt', channel: 'telegram', area: 'join', joins: 1 }),
    );
    // Joins without a code stay apart from it.
    expect(
      rows.filter((r) => r.code === '' && r.channel === 'telegram' && r.area === 'pottenberg'),
    ).toHaveLength(1);
    const text = await runCli(['join-link', 'stats'], vars);
    expect(text.stdout).toMatch(/^source\tchannel\tarea\tjoins\tdays$/m);
    expect(text.stdout).toMatch(/^poster-trefpunt\ttelegram\tjoin\t1\t/m);
  });
});
