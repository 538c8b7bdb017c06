import type { ErasedResident } from '../../queue/erasure.js';
import type { EffectHandler } from './handler.js';

/**
 * VERWIJDER: the resident's answers (also those of this batch), their unsent messages and their row
 * go. No effect after it runs; after commit the queues forget their jobs.
 */
export const residentErase: EffectHandler<'resident.erase'> = {
  async apply(scene) {
    const { tx, row, message } = scene;
    const respondent = scene.respondent();
    scene.writes.dropAnswers(respondent);
    await tx.deleteFrom('answers').where('respondent', '=', respondent).execute();
    // Sent rows' jobs were removed when they finished; the others may still be in Redis.
    const outbound = await tx
      .deleteFrom('outbound_messages')
      .where('resident_id', '=', row.id)
      .where('status', 'in', ['queued', 'failed'])
      .returning(['id', 'channel'])
      .execute();
    await tx.deleteFrom('residents').where('id', '=', row.id).execute();
    scene.erased = {
      channel: message.channel,
      address: message.address,
      outbound: outbound.map((o) => ({ channel: o.channel as ErasedResident['channel'], id: o.id })),
    };
  },
};
