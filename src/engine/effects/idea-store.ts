import { IDEA_MEDIA_REF } from '../../db/sealed-columns.js';
import { queueMediaFetch } from '../../media/idea-media.js';
import { scrub } from '../../privacy/scrub.js';
import { seal } from '../../privacy/sealed.js';
import type { EffectHandler } from './handler.js';

/**
 * Stores a resident's idea, scrubbed, with their area and language. A photo or voice message sent
 * with it gets an `idea_media` row holding the platform's reference (sealed); the file itself is
 * fetched after commit by the media job, outside this transaction, so a slow download never holds
 * up residents' messages.
 */
export const ideaStore: EffectHandler<'idea.store'> = {
  async apply(scene, effect) {
    const { tx, row, profile, now } = scene;
    const idea = await tx
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
      .returning('id')
      .executeTakeFirstOrThrow();
    if (!effect.media) return;
    const media = await tx
      .insertInto('idea_media')
      .values({
        idea_id: idea.id,
        kind: effect.media.kind,
        channel: scene.message.channel,
        ref: seal(effect.media.ref, IDEA_MEDIA_REF),
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    scene.afterCommit.push(async ({ mediaQueue }) => {
      if (mediaQueue) await queueMediaFetch(mediaQueue, String(media.id));
    });
  },
};
