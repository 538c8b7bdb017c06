import { scrub } from '../../privacy/scrub.js';
import type { EffectHandler } from './handler.js';

/**
 * Stores a question for a session, scrubbed and without the sender; only the fact that the resident
 * asked something is kept (once per flash), for the follow-up summary.
 */
export const sessionQuestion: EffectHandler<'session.question'> = {
  async apply({ tx, row, day }, effect) {
    await tx
      .insertInto('session_questions')
      .values({ flash_id: effect.flashId, text: scrub(effect.text), theme: effect.theme, asked_on: day })
      .execute();
    await tx
      .insertInto('session_askers')
      .values({ flash_id: effect.flashId, resident_id: row.id })
      .onConflict((oc) => oc.doNothing())
      .execute();
  },
};
