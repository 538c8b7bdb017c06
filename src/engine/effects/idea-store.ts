import { scrub } from '../../privacy/scrub.js';
import type { EffectHandler } from './handler.js';

/** Stores a resident's idea, scrubbed, with their area and language. */
export const ideaStore: EffectHandler<'idea.store'> = {
  async apply({ tx, row, profile, now }, effect) {
    await tx
      .insertInto('ideas')
      .values({
        resident_id: row.id,
        text: scrub(effect.text),
        theme: effect.theme,
        area: profile.area,
        language: profile.language,
        created_at: now,
        updated_at: now,
      })
      .execute();
  },
};
