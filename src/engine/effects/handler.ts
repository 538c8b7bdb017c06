import type { Effect } from '../../../flows/types.js';
import type { Scene } from '../scene.js';

/** An effect of one type, as a flow emits it. */
export type EffectOf<T extends Effect['type']> = Extract<Effect, { type: T }>;

/**
 * Applies one effect type inside the engine's transaction, by changing the scene: rows written now,
 * rows for the batch's final statement (`scene.writes`), deliveries and work after commit.
 */
export interface EffectHandler<T extends Effect['type']> {
  /**
   * Set when the effect may write another resident's rows (the desk): later messages of the batch
   * then read their resident again instead of using what was read for the whole batch.
   */
  readonly touchesOthers?: boolean;
  apply(scene: Scene, effect: EffectOf<T>): Promise<void>;
}
