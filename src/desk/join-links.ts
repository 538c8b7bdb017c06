import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { Database } from '../db/schema.js';

// Join links for flyers, posters and the paper newsletters: a Telegram deep link or a
// WhatsApp link with a first message that names the area, as a QR code. A link may carry a flyer's
// source code (`--source poster-trefpunt`), so joins are counted per flyer. Joins are counted per link,
// source code and day — a number, nothing about who joined.

/** Areas a join link can name (the joining flow then skips the area question). */
export const JOIN_AREAS = ['nazareth', 'pottenberg'] as const;
/** An area a join link can name. */
export type JoinArea = (typeof JOIN_AREAS)[number];
/** Channels with join links. */
export const JOIN_CHANNELS = ['telegram', 'whatsapp'] as const;
/** A channel with join links. */
export type JoinChannel = (typeof JOIN_CHANNELS)[number];

/** Longest source code: Telegram's start parameter (at most 64 of [A-Za-z0-9_-]) must hold area and code. */
export const SOURCE_CODE_MAX = 32;
/** A flyer's source code: lowercase letters, digits and dashes (`nazareth-info-2027-01`, `poster-trefpunt`). */
export const SOURCE_CODE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
export const SourceCodeSchema = z
  .string()
  .max(SOURCE_CODE_MAX, `at most ${SOURCE_CODE_MAX} characters`)
  .regex(
    SOURCE_CODE,
    'only lowercase letters, digits and dashes, starting and ending with a letter or digit',
  );

/** A link that cannot be made, with the setting that is missing. */
export class JoinLinkError extends Error {
  override readonly name = 'JoinLinkError';
}

/** What the links need from the configuration. */
export interface JoinLinkSettings {
  TELEGRAM_BOT_USERNAME?: string | undefined;
  WHATSAPP_NUMBER?: string | undefined;
  /** The Cloud API number; when set, WhatsApp links go there (the official channel goes first). */
  WHATSAPP_CLOUD_NUMBER?: string | undefined;
}

const capitalised = (area: string) => area.charAt(0).toUpperCase() + area.slice(1);

/** The first message a WhatsApp link fills in; the joining flow recognises it (and the `#code` at its end). */
function whatsappJoinText(area?: JoinArea, code?: string): string {
  const text = area ? `Hallo Straatpraat ${capitalised(area)}` : 'Hallo Straatpraat';
  return code ? `${text} #${code}` : text;
}

/** The join link of a channel, for an area or for everyone, with a flyer's source code or without. */
export function joinLink(
  channel: JoinChannel,
  area: JoinArea | undefined,
  settings: JoinLinkSettings,
  code?: string,
): string {
  if (code !== undefined) SourceCodeSchema.parse(code);
  if (channel === 'telegram') {
    if (!settings.TELEGRAM_BOT_USERNAME) {
      throw new JoinLinkError(
        'TELEGRAM_BOT_USERNAME is not set: set it to the bot’s username from BotFather (e.g. straatpraat_bot).',
      );
    }
    // `nazareth_poster-trefpunt`: the code follows the first `_`, which neither part contains.
    return `https://t.me/${settings.TELEGRAM_BOT_USERNAME}?start=${area ?? 'join'}${code ? `_${code}` : ''}`;
  }
  const number = settings.WHATSAPP_CLOUD_NUMBER ?? settings.WHATSAPP_NUMBER;
  if (!number) {
    throw new JoinLinkError(
      'WHATSAPP_CLOUD_NUMBER (Cloud API) or WHATSAPP_NUMBER (linked number) is not set: set it to the bot’s WhatsApp number with country code (e.g. 31612345678).',
    );
  }
  return `https://wa.me/${number}?text=${encodeURIComponent(whatsappJoinText(area, code))}`;
}

/** The name a link is counted under in `join-link stats`: `telegram:pottenberg`, `whatsapp:join`. */
export function linkSource(channel: string, area: string | undefined): string {
  return `${channel}:${area ?? 'join'}`;
}

/**
 * The link a resident joined through, from the join source the joining flow stored (`telegram:nazareth`
 * for a start parameter, `link:nazareth` for WhatsApp's first message, either with `#code` for a
 * flyer's source code) and the channel it came in on.
 */
export function sourceOfJoin(channel: string, joinSource: string): { source: string; code: string } {
  const [, rest = joinSource] = /^[a-z-]+:(.*)$/.exec(joinSource) ?? [];
  const [link = '', code = ''] = rest.split('#', 2);
  return {
    source: linkSource(channel, link.slice(0, 40) || undefined),
    code: SourceCodeSchema.safeParse(code).success ? code : '',
  };
}

/** Counts one join through a link on a day (the city's date), inside the caller's transaction. */
export async function countJoin(
  db: Kysely<Database>,
  channel: string,
  joinSource: string,
  day: string,
): Promise<void> {
  const { source, code } = sourceOfJoin(channel, joinSource);
  await db
    .insertInto('join_counts')
    .values({ source, code, day, joins: 1 })
    .onConflict((oc) =>
      oc.columns(['source', 'code', 'day']).doUpdateSet({ joins: sql`join_counts.joins + 1` }),
    )
    .execute();
}

/** Joins through one link with one source code, all time, with the first and last day a join came in. */
export interface JoinStat {
  /** The flyer's source code; empty for a link without one. */
  code: string;
  channel: string;
  /** The area the link names, or `join` for a link without one. */
  area: string;
  /** The link, `<channel>:<area>`. */
  source: string;
  joins: number;
  firstDay: string;
  lastDay: string;
}

/** Joins per source code, channel and area, most first. Exact counts: they say nothing about anyone. */
export async function joinStats(db: Kysely<Database>): Promise<JoinStat[]> {
  const { rows } = await sql<{
    source: string;
    code: string;
    joins: number;
    first_day: string;
    last_day: string;
  }>`
    select source, code, sum(joins)::int as joins, min(day)::text as first_day, max(day)::text as last_day
    from join_counts group by source, code order by sum(joins) desc, code, source`.execute(db);
  return rows.map((r) => {
    const [channel = r.source, area = 'join'] = r.source.split(':', 2);
    return {
      code: r.code,
      channel,
      area,
      source: r.source,
      joins: r.joins,
      firstDay: r.first_day,
      lastDay: r.last_day,
    };
  });
}

/** SVG and PNG of a link's QR code, as written by `writeQrCodes`. */
const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

/** Writes `<name>.svg` and `<name>.png` (print quality) for a link into `dir`; returns their paths. */
export async function writeQrCodes(
  link: string,
  dir: string,
  name: string,
): Promise<{ svg: string; png: string }> {
  await mkdir(dir, { recursive: true });
  const svg = join(dir, `${name}.svg`);
  const png = join(dir, `${name}.png`);
  await writeFile(svg, await QRCode.toString(link, { ...QR_OPTIONS, type: 'svg' }));
  await writeFile(png, await QRCode.toBuffer(link, { ...QR_OPTIONS, type: 'png', width: 1024 }));
  return { svg, png };
}

/** The file name of a link's QR code: `join-telegram-pottenberg`, `join-whatsapp`, `join-whatsapp-poster-trefpunt`. */
export function qrFileName(channel: JoinChannel, area?: JoinArea, code?: string): string {
  return [`join-${channel}`, area, code].filter(Boolean).join('-');
}
