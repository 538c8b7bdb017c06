import { z } from 'zod';

/** Languages residents can choose. Dutch is the fallback for every text. */
export const LANGUAGES = ['nl', 'en'] as const;
export const LanguageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof LanguageSchema>;

/** A text given per language; Dutch is required, others fall back to Dutch. */
export const LocalizedSchema = z.object({ nl: z.string().min(1), en: z.string().min(1).optional() });
export type Localized = z.infer<typeof LocalizedSchema>;

/** Picks the text for a language, falling back to Dutch. */
export function localize(text: Localized, language: Language): string {
  return text[language] ?? text.nl;
}
