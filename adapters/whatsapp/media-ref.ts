import { z } from 'zod';

// Kept apart from normalise.ts, which loads Baileys: the adapter reads references without it.

/** The media reference of a WhatsApp photo or voice message (`WhatsAppMediaRef`, as JSON), with its size. */
export const WhatsAppMediaRefSchema = z.object({
  type: z.enum(['image', 'audio']),
  url: z.string().max(2000).optional(),
  directPath: z.string().max(2000).optional(),
  /** base64 */
  mediaKey: z.string().min(1).max(200),
  mimetype: z.string().max(200).optional(),
});
export type WhatsAppMediaRef = z.infer<typeof WhatsAppMediaRefSchema>;
