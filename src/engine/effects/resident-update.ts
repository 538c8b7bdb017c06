import { countJoin } from '../../desk/join-links.js';
import { applyPatch, patchColumns } from '../profile.js';
import type { EffectHandler } from './handler.js';

/** Changes the resident's profile; joining through a flyer link counts for that link. */
export const residentUpdate: EffectHandler<'resident.update'> = {
  async apply(scene, { patch }) {
    const { tx, row, message, now } = scene;
    scene.profile = applyPatch(scene.profile, patch);
    await tx.updateTable('residents').set(patchColumns(patch, now)).where('id', '=', row.id).execute();
    // Joining through a flyer link (consent given with a join source) counts for that link.
    if (patch.joinSource && patch.consentAt) {
      await countJoin(tx, message.channel, patch.joinSource, scene.day);
    }
  },
};
