import type { EffectHandler } from './handler.js';

/** Moves the resident's place in a wave forward (invited → started → finished), never back. */
export const waveProgress: EffectHandler<'wave.progress'> = {
  async apply({ tx, row, now }, effect) {
    await tx
      .updateTable('wave_participants')
      .set({
        status: effect.status,
        ...(effect.status === 'finished' && { finished_at: now }),
      })
      .where('wave_id', '=', effect.waveId)
      .where('resident_id', '=', row.id)
      .where('status', 'in', effect.status === 'finished' ? ['invited', 'started'] : ['invited'])
      .execute();
  },
};
