import type { EffectHandler } from './handler.js';

/** Counts the resident's RSVP to a flash, once. */
export const flashRsvp: EffectHandler<'flash.rsvp'> = {
  async apply({ tx, row, now }, effect) {
    await tx
      .insertInto('flash_rsvps')
      .values({ flash_id: effect.flashId, resident_id: row.id, created_at: now })
      .onConflict((oc) => oc.doNothing())
      .execute();
  },
};
