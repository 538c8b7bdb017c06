import { queueFanOut } from '../../broadcast/fanout.js';
import { applyDeskAction, type DeskOutcome } from '../../desk/actions.js';
import { defaultOfficeHours } from '../../domain/office-hours.js';
import type { EffectHandler } from './handler.js';

/**
 * A staff or help-request action (the wijkteam desk). It may write other residents' rows and send
 * them messages (stored now, queued with the replies); a flash or wave it creates is fanned out
 * after commit.
 */
export const desk: EffectHandler<'desk'> = {
  touchesOthers: true,
  async apply(scene, effect) {
    const { ctx } = scene;
    const out: DeskOutcome = { deliveries: scene.deliveries, fanOuts: [], nextSeq: scene.nextSeq };
    await applyDeskAction(
      scene.tx,
      effect.action,
      {
        residentId: scene.row.id,
        area: scene.profile.area,
        staff: ctx.staff,
        inboundId: scene.ledgerId,
        now: scene.now,
        config: ctx.config.desk ?? { officeHours: defaultOfficeHours(), timeZone: scene.timeZone },
        render: ctx,
        polls: ctx.polls,
        ...(scene.quietHours && { quietHours: scene.quietHours }),
      },
      out,
    );
    scene.nextSeq = out.nextSeq;
    for (const { broadcastId, delayMs } of out.fanOuts) {
      scene.afterCommit.push(async ({ broadcastQueue }) => {
        if (broadcastQueue) await queueFanOut(broadcastQueue, broadcastId, delayMs);
      });
    }
  },
};
