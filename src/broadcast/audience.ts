import { type RawBuilder, sql } from 'kysely';
import { z } from 'zod';
import { THEMES } from '../../flows/asks.js';
import { AGE_GROUP } from '../db/sealed-columns.js';
import { LanguageSchema } from '../domain/language.js';
import { ChannelNameSchema } from '../domain/messages.js';
import { AgeGroupSchema, AreaSchema, audienceAgeGroupOf } from '../domain/resident.js';
import { unseal } from '../privacy/sealed.js';

/** A news topic's code (config/news-topics.json); which codes exist is checked where a flash is asked for. */
export const TopicCodeSchema = z.string().regex(/^[a-z][a-z0-9-]{1,29}$/, 'expected a topic code');

/**
 * Who a broadcast is for. A missing list means "everyone"; a resident must match every list given.
 * `answeredWave` ("you said, we did") keeps those who took part in that wave: they answered its
 * first question or finished it (the wave's participants in the identity store; their answers in
 * the monitor store stay under a pseudonym and are never read for this). `ideaTheme` keeps those
 * who sent an idea on that theme that the wijkteam marked `gedaan`.
 */
export const AudienceSchema = z.object({
  areas: z.array(AreaSchema).min(1).optional(),
  languages: z.array(LanguageSchema).min(1).optional(),
  channels: z.array(ChannelNameSchema).min(1).optional(),
  /**
   * The news topics a flash is about: it reaches residents who chose one of them with NIEUWS, or
   * chose nothing yet (every topic). Only news (flashes, session announcements) looks at topics.
   */
  topics: z.array(TopicCodeSchema).min(1).optional(),
  /** Age groups. Sealed in the identity store, so they are matched in the app (`matchesAgeGroups`). */
  ageGroups: z.array(AgeGroupSchema).min(1).optional(),
  answeredWave: z.uuid().optional(),
  ideaTheme: z.enum(THEMES).optional(),
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
  // News with topics: residents who chose one of them, or chose none (null: every topic).
  if (news && audience.topics)
    parts.push(sql`(r.news_topics is null or r.news_topics && ${audience.topics}::text[])`);
  if (audience.areas) parts.push(sql`r.area = any(${audience.areas}::text[])`);
  if (audience.languages) parts.push(sql`coalesce(r.language, 'nl') = any(${audience.languages}::text[])`);
  if (audience.channels) parts.push(sql`r.channel = any(${audience.channels}::text[])`);
  // Age groups are sealed: here only "gave one"; `matchesAgeGroups` opens and matches it in the app.
  if (audience.ageGroups) parts.push(sql`r.age_group is not null`);
  if (audience.answeredWave) {
    parts.push(sql`exists (select 1 from wave_participants p
      where p.wave_id = ${audience.answeredWave}::uuid and p.resident_id = r.id
        and p.status in ('started', 'finished'))`);
  }
  if (audience.ideaTheme) {
    parts.push(sql`exists (select 1 from ideas i
      where i.resident_id = r.id and i.theme = ${audience.ideaTheme} and i.status = 'gedaan')`);
  }
  if (audience.joinedBefore) parts.push(sql`r.created_at <= ${audience.joinedBefore}::timestamptz`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/** Whether a resident's sealed age group (`residents.age_group`) is one of the audience's; true without age groups. */
export function matchesAgeGroups(audience: Audience, sealedAgeGroup: Buffer | null): boolean {
  if (!audience.ageGroups) return true;
  if (sealedAgeGroup === null) return false;
  const group = AgeGroupSchema.safeParse(unseal(sealedAgeGroup, AGE_GROUP));
  if (!group.success) return false;
  return (
    audience.ageGroups.includes(group.data) || audience.ageGroups.includes(audienceAgeGroupOf(group.data))
  );
}

/** A short description for logs and the CLI ("nazareth · nl · all channels · topics ouderen · ages 65plus"). */
export function describeAudience(audience: Audience): string {
  return [
    audience.areas?.join('+') ?? 'all areas',
    audience.languages?.join('+') ?? 'all languages',
    audience.channels?.join('+') ?? 'all channels',
    ...(audience.topics ? [`topics ${audience.topics.join('+')}`] : []),
    ...(audience.ageGroups ? [`ages ${audience.ageGroups.join('+')}`] : []),
    ...(audience.answeredWave ? [`who answered wave ${audience.answeredWave}`] : []),
    ...(audience.ideaTheme ? [`who sent a done idea on ${audience.ideaTheme}`] : []),
    ...(audience.joinedBefore ? [`joined by ${audience.joinedBefore.slice(0, 10)}`] : []),
  ].join(' · ');
}
