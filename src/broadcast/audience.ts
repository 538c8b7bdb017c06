import { type RawBuilder, sql } from 'kysely';
import { z } from 'zod';
import { LanguageSchema } from '../domain/language.js';
import { ChannelNameSchema } from '../domain/messages.js';
import { AreaSchema } from '../domain/resident.js';

/** Who a broadcast is for. A missing list means "everyone"; a resident must match every list given. */
export const AudienceSchema = z.object({
  areas: z.array(AreaSchema).min(1).optional(),
  languages: z.array(LanguageSchema).min(1).optional(),
  channels: z.array(ChannelNameSchema).min(1).optional(),
  /** Only residents who first wrote to the bot at or before this moment (a recurring wave's "joined 30 days ago"). */
  joinedBefore: z.iso.datetime({ offset: true }).optional(),
});
/** Who a broadcast is for. */
export type Audience = z.infer<typeof AudienceSchema>;

/** Reads a stored audience; anything unreadable counts as nobody rather than everyone. */
export function audienceOf(stored: unknown): Audience {
  const parsed = AudienceSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : { areas: [] };
}

/**
 * The SQL condition on `residents r` for a broadcast the bot starts itself: an active resident who
 * gave consent and matches the audience. News (flashes, session announcements) also skips residents
 * who said STOP NIEUWS; poll invitations do not.
 */
export function eligible(audience: Audience, news: boolean): RawBuilder<boolean> {
  const parts: RawBuilder<unknown>[] = [sql`r.status = 'active'`, sql`r.consent_at is not null`];
  if (news) parts.push(sql`not r.news_opt_out`);
  if (audience.areas) parts.push(sql`r.area = any(${audience.areas}::text[])`);
  if (audience.languages) parts.push(sql`coalesce(r.language, 'nl') = any(${audience.languages}::text[])`);
  if (audience.channels) parts.push(sql`r.channel = any(${audience.channels}::text[])`);
  if (audience.joinedBefore) parts.push(sql`r.created_at <= ${audience.joinedBefore}::timestamptz`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/** A short description for logs and the CLI ("nazareth · nl · all channels"). */
export function describeAudience(audience: Audience): string {
  return [
    audience.areas?.join('+') ?? 'all areas',
    audience.languages?.join('+') ?? 'all languages',
    audience.channels?.join('+') ?? 'all channels',
    ...(audience.joinedBefore ? [`joined by ${audience.joinedBefore.slice(0, 10)}`] : []),
  ].join(' · ');
}
