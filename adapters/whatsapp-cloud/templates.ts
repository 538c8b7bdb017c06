import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { StartupError } from '../../src/domain/errors.js';
import { LanguageSchema } from '../../src/domain/language.js';

/**
 * Kinds of message that may reach a resident outside the 24-hour window, each needing an approved
 * template: the fan-outs, and `reply` for a wijkteam member's answer or an idea's answer that comes
 * after the window closed.
 */
export const TEMPLATE_KINDS = [
  'flash',
  'wave_invitation',
  'wave_reminder',
  'session_reminder',
  'session_summary',
  'reply',
] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

const TemplateSchema = z.strictObject({
  /** The template's name in WhatsApp Manager (lower case, digits and _). */
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'expected a template name: lower case letters, digits and _'),
  /** Our language → the template language code it was approved in (e.g. nl → "nl", en → "en"). */
  languages: z.partialRecord(LanguageSchema, z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/)),
});

export const TemplatesFileSchema = z.partialRecord(z.enum(TEMPLATE_KINDS), TemplateSchema);
export type TemplatesFile = z.infer<typeof TemplatesFileSchema>;

/** The approved templates, per kind and language. */
export class Templates {
  readonly #file: TemplatesFile;
  constructor(file: TemplatesFile) {
    this.#file = file;
  }

  /** Reads and checks the file; a bad file stops the start with one line. */
  static load(path: string): Templates {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new StartupError(
        `Configuration error: WHATSAPP_CLOUD_TEMPLATES_FILE (${path}) cannot be read as JSON: ${(error as Error).message.split('\n')[0]}.`,
      );
    }
    const parsed = TemplatesFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new StartupError(
        `Configuration error: WHATSAPP_CLOUD_TEMPLATES_FILE (${path}) is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}.`,
      );
    }
    return new Templates(parsed.data);
  }

  /** The template for a kind in a language (Dutch when the language has none); undefined when none. */
  for(kind: TemplateKind, language: string | null): { name: string; language: string } | undefined {
    const template = this.#file[kind];
    if (!template) return undefined;
    const code = template.languages[language ?? 'nl'] ?? template.languages.nl;
    return code ? { name: template.name, language: code } : undefined;
  }
}
