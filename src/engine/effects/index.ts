import type { Effect } from '../../../flows/types.js';
import type { Scene } from '../scene.js';
import { answerRecord } from './answer-record.js';
import { desk } from './desk.js';
import { flashRsvp } from './flash-rsvp.js';
import type { EffectHandler } from './handler.js';
import { ideaStore } from './idea-store.js';
import { residentErase } from './resident-erase.js';
import { residentUpdate } from './resident-update.js';
import { sessionQuestion } from './session-question.js';
import { waveProgress } from './wave-progress.js';

/**
 * One handler per effect type a flow can emit. A new effect type in `flows/types.ts` needs one file
 * here and one line in this map; the type checker refuses the map until it has it.
 */
export const effectHandlers: { readonly [T in Effect['type']]: EffectHandler<T> } = {
  'resident.update': residentUpdate,
  'answer.record': answerRecord,
  'idea.store': ideaStore,
  'wave.progress': waveProgress,
  'flash.rsvp': flashRsvp,
  'session.question': sessionQuestion,
  'resident.erase': residentErase,
  desk,
};

function handlerOf<T extends Effect['type']>(type: T): EffectHandler<T> {
  return effectHandlers[type];
}

/** Applies a step's effects in order; none after the resident was erased. */
export async function applyEffects(scene: Scene, effects: readonly Effect[]): Promise<void> {
  for (const effect of effects) {
    await handlerOf(effect.type).apply(scene, effect as never);
    if (scene.erased) return;
  }
}

/** Whether any of these effects may write another resident's rows. */
export function touchesOthers(effects: readonly Effect[]): boolean {
  return effects.some((e) => handlerOf(e.type).touchesOthers === true);
}
