import type { Language } from '../src/domain/language.js';
import type { OutboundMessageInput } from '../src/domain/messages.js';
import { reply, say } from './asks.js';
import type { PollProgress, State } from './state.js';
import type { FlowContext, WaveContext } from './types.js';

// Kept apart from poll.ts and broadcast.ts so both can ask "is this wave still open?" without
// importing each other.

/** The wave that takes this resident's answers now: open, and not finished by them. */
export function openWave(ctx: FlowContext): WaveContext | undefined {
  const wave = ctx.wave;
  return wave?.open && wave.status !== 'finished' ? wave : undefined;
}

/**
 * True when a poll in progress belongs to a wave that no longer takes answers. The engine tells the
 * flows about the resident's latest wave only; a poll of any other wave is therefore closed.
 */
export function waveClosedFor(ctx: FlowContext, progress: PollProgress): boolean {
  if (progress.waveId === undefined) return false;
  return !(ctx.wave?.id === progress.waveId && ctx.wave.open);
}

/** The kind line for an answer to a wave that has closed; the conversation goes back to idle. */
export function waveClosedReply(
  ctx: FlowContext,
  lang: Language,
): { state: State; replies: OutboundMessageInput[] } {
  return { state: { flow: 'idle' }, replies: [reply(say(ctx, lang, 'wave-closed'))] };
}
