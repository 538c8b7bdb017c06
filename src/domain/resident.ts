import { z } from 'zod';
import { LanguageSchema } from './language.js';
import { type ChannelName, ChannelNameSchema } from './messages.js';

/** Areas a resident can live in; `elders` is another part of Maastricht, `geen` is "rather not say". */
export const AREAS = ['nazareth', 'pottenberg', 'elders', 'geen'] as const;
export const AreaSchema = z.enum(AREAS);
export type Area = z.infer<typeof AreaSchema>;

export const AGE_GROUPS = ['tot18', '18-26', '27-40', '41-65', '65plus', 'geen'] as const;
export const AgeGroupSchema = z.enum(AGE_GROUPS);
export type AgeGroup = z.infer<typeof AgeGroupSchema>;

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
