import { z } from 'zod';
import { LocalizedSchema } from '../../src/domain/language.js';

/** The question types a poll may use. */
export const QUESTION_TYPES = ['yesno', 'scale5', 'grade10', 'choice', 'multi', 'text'] as const;
export const QuestionTypeSchema = z.enum(QUESTION_TYPES);
export type QuestionType = z.infer<typeof QuestionTypeSchema>;

const SynonymsSchema = z.object({
  nl: z.array(z.string().min(1)).default([]),
  en: z.array(z.string().min(1)).default([]),
});

/** One answer option. `code` is what the monitor stores; `number` is the value for scales and marks. */
export const OptionSchema = z.object({
  code: z.string().regex(/^[a-z0-9_]+$/),
  label: LocalizedSchema,
  number: z.number().optional(),
  synonyms: SynonymsSchema.optional(),
  /** Emoji that also mean this option (never the only way shown). */
  emoji: z.array(z.string()).optional(),
});
export type Option = z.infer<typeof OptionSchema>;

export const QuestionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_]+$/),
    type: QuestionTypeSchema,
    /** The monitor indicator this question feeds (from indicators.json), if any. */
    indicator: z
      .string()
      .regex(/^[a-z0-9_]+$/)
      .optional(),
    text: LocalizedSchema,
    /** Options for `choice` and `multi` (up to 10); `yesno`, `scale5` and `grade10` may override the standard ones. */
    options: z.array(OptionSchema).min(2).max(10).optional(),
    /** Answer codes that count as positive in aggregates. */
    positive: z.array(z.string()).optional(),
    /** Optional skippable free-text follow-up ("Wil je iets uitleggen?"). */
    followUp: z.object({ text: LocalizedSchema }).optional(),
  })
  .superRefine((q, ctx) => {
    if ((q.type === 'choice' || q.type === 'multi') && !q.options) {
      ctx.addIssue({ code: 'custom', message: `question ${q.id}: type ${q.type} needs options` });
    }
  });
export type Question = z.infer<typeof QuestionSchema>;

export const PollSchema = z
  .object({
    /** Starts with a letter or digit: the monitor stores it, and a spreadsheet reads a leading `-` as a formula. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    title: LocalizedSchema,
    /** One line said before the first question ("Drie korte vragen. Het duurt 1 minuut."). */
    intro: LocalizedSchema.optional(),
    questions: z.array(QuestionSchema).min(1).max(5),
  })
  .superRefine((p, ctx) => {
    const ids = new Set<string>();
    for (const q of p.questions) {
      if (ids.has(q.id))
        ctx.addIssue({ code: 'custom', message: `poll ${p.id}: question id ${q.id} repeats` });
      ids.add(q.id);
    }
  });
/** A poll's definition, as written in its JSON. */
export type PollDefinition = z.infer<typeof PollSchema>;
/**
 * A poll as the flows get it: its definition and, when it comes from the database, the version of
 * that definition (answers are recorded with it). Polls read straight from a file have none.
 */
export type Poll = PollDefinition & { readonly version?: number };
