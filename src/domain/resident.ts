import { z } from 'zod';
import { LanguageSchema } from './language.js';
import { type ChannelName, ChannelNameSchema } from './messages.js';

/** Areas a resident can live in; `elders` is another part of Maastricht, `geen` is "rather not say". */
export const AREAS = ['nazareth', 'pottenberg', 'elders', 'geen'] as const;
export const AreaSchema = z.enum(AREAS);
export type Area = z.infer<typeof AreaSchema>;

/** The youngest age at which someone may take part on their own (younger needs a parent's consent). */
export const MIN_AGE = 16;
/** The age groups residents choose from, in the order they are shown. `tot16` is never stored. */
export const AGE_GROUPS = ['tot16', '16-26', '27-40', '41-65', '65plus', 'geen'] as const;
/**
 * Age groups of profiles and answers from before taking part started at 16 (`tot18`, `18-26`):
 * still valid for those rows, never offered again. Nobody's group is recoded.
 */
export const FORMER_AGE_GROUPS = ['tot18', '18-26'] as const;
/** The group of someone younger than `MIN_AGE`: answering it ends taking part. */
export const UNDER_AGE_GROUP = 'tot16';
export const AgeGroupSchema = z.enum([...AGE_GROUPS, ...FORMER_AGE_GROUPS]);
export type AgeGroup = z.infer<typeof AgeGroupSchema>;
/**
 * The age groups a flash can be for: the groups offered, except `tot16` (never stored). A resident
 * whose row still has a former group gets the flash of the group it now falls in (`18-26` is in `16-26`;
 * `tot18` may also hold younger residents, so it falls in none).
 */
export const AUDIENCE_AGE_GROUPS = AGE_GROUPS.filter((g) => g !== UNDER_AGE_GROUP);
const FORMER_IN: Partial<Record<AgeGroup, AgeGroup>> = { '18-26': '16-26' };

/** The age group a stored group counts as for an audience: a former group as its current one. */
export function audienceAgeGroupOf(stored: AgeGroup): AgeGroup {
  return FORMER_IN[stored] ?? stored;
}

/** Every age group a stored row can hold, youngest first (for tables and reports). */
export const STORED_AGE_GROUPS: readonly AgeGroup[] = [
  'tot18',
  '16-26',
  '18-26',
  '27-40',
  '41-65',
  '65plus',
  'geen',
];

export const ResidentStatusSchema = z.enum(['active', 'stopped']);
export type ResidentStatus = z.infer<typeof ResidentStatusSchema>;

/**
 * What a flow may know about the resident it talks to: the identity store's row without the
 * channel address. Flows change it only through `resident.update` effects.
 */
export const ResidentProfileSchema = z.object({
  channel: ChannelNameSchema,
  language: LanguageSchema.nullable(),
  area: AreaSchema.nullable(),
  ageGroup: AgeGroupSchema.nullable(),
  consentVersion: z.string().nullable(),
  consentAt: z.string().nullable(),
  consentRefusedAt: z.string().nullable(),
  newsOptOut: z.boolean(),
  /** News topics chosen with NIEUWS (codes of the topics file); null is every topic. */
  newsTopics: z.array(z.string()).nullable(),
  status: ResidentStatusSchema,
  joinSource: z.string().nullable(),
  createdAt: z.string(),
});
export type ResidentProfile = z.infer<typeof ResidentProfileSchema>;

export type { ChannelName };
