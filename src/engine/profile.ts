import type { ResidentPatch } from '../../flows/types.js';
import type { ResidentRow } from '../db/schema.js';
import { AGE_GROUP } from '../db/sealed-columns.js';
import type { ResidentProfile } from '../domain/resident.js';
import { ResidentProfileSchema } from '../domain/resident.js';
import { seal, unsealNullable } from '../privacy/sealed.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The identity store's row as a flow may see it (no address). */
export function profileOf(row: ResidentRow): ResidentProfile {
  return ResidentProfileSchema.parse({
    channel: row.channel,
    language: row.language,
    area: row.area,
    ageGroup: unsealNullable(row.age_group, AGE_GROUP),
    consentVersion: row.consent_version,
    consentAt: iso(row.consent_at),
    consentRefusedAt: iso(row.consent_refused_at),
    newsOptOut: row.news_opt_out,
    newsTopics: row.news_topics,
    status: row.status,
    joinSource: row.join_source,
    createdAt: iso(new Date(row.created_at))!,
  });
}

/** The profile after a flow's patch, so later effects of the same step see it. */
export function applyPatch(profile: ResidentProfile, patch: ResidentPatch): ResidentProfile {
  return {
    ...profile,
    ...(patch.language !== undefined && { language: patch.language }),
    ...(patch.area !== undefined && { area: patch.area }),
    ...(patch.ageGroup !== undefined && { ageGroup: patch.ageGroup }),
    ...(patch.consentVersion !== undefined && { consentVersion: patch.consentVersion }),
    ...(patch.consentAt !== undefined && { consentAt: patch.consentAt }),
    ...(patch.consentRefusedAt !== undefined && { consentRefusedAt: patch.consentRefusedAt }),
    ...(patch.newsOptOut !== undefined && { newsOptOut: patch.newsOptOut }),
    ...(patch.newsTopics !== undefined && { newsTopics: patch.newsTopics }),
    ...(patch.status !== undefined && { status: patch.status }),
    ...(patch.joinSource !== undefined && { joinSource: patch.joinSource }),
  };
}

/** The patch as identity-store columns. */
export function patchColumns(patch: ResidentPatch, now: Date): Record<string, unknown> {
  const cols: Record<string, unknown> = { updated_at: now };
  if (patch.language !== undefined) cols.language = patch.language;
  if (patch.area !== undefined) cols.area = patch.area;
  if (patch.ageGroup !== undefined) {
    cols.age_group = patch.ageGroup === null ? null : seal(patch.ageGroup, AGE_GROUP);
    // Giving the group again, even the same one, confirms it: the yearly check starts over.
    cols.age_confirmed_at = patch.ageGroup === null ? null : now;
  }
  if (patch.consentVersion !== undefined) cols.consent_version = patch.consentVersion;
  if (patch.consentAt !== undefined) cols.consent_at = patch.consentAt;
  if (patch.consentRefusedAt !== undefined) cols.consent_refused_at = patch.consentRefusedAt;
  if (patch.newsOptOut !== undefined) cols.news_opt_out = patch.newsOptOut;
  if (patch.newsTopics !== undefined) cols.news_topics = patch.newsTopics;
  if (patch.joinSource !== undefined) cols.join_source = patch.joinSource;
  if (patch.status !== undefined) {
    cols.status = patch.status;
    cols.stopped_at = patch.status === 'stopped' ? now : null;
    if (patch.status === 'stopped') Object.assign(cols, STOPPED_PROFILE);
  }
  return cols;
}

/**
 * What STOP leaves of a profile: nothing but the address and the stopped flag (set beside it), so the
 * bot never messages them again and stays quiet until START, which joins them afresh. The row itself
 * goes with the retention purge.
 */
export const STOPPED_PROFILE = {
  language: null,
  area: null,
  age_group: null,
  age_confirmed_at: null,
  age_asked_at: null,
  consent_version: null,
  consent_at: null,
  consent_refused_at: null,
  news_opt_out: false,
  news_topics: null,
  join_source: null,
} as const;
