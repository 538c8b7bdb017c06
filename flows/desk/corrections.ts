import type { InboundPayload } from '../../src/domain/messages.js';
import { reply, say } from '../asks.js';
import type { FlowContext, FlowResult } from '../types.js';
import {
  askConfirm,
  type Back,
  confirmAnswer,
  finish,
  STAFF_LANG,
  shortDate,
  timeZoneOf,
  withDraft,
} from './asks.js';
import { correctionIdOf, type DeskState, type Draft } from './state.js';
import type { CorrectionTarget } from './types.js';

// `/annuleer <id>` (a flash, a session or a wave before it opens) and `/sluit-peiling <id>` (a wave
// now): a preview of what happens and to how many residents, then "ja". The engine carries it out
// with the same functions as the CLI (src/broadcast/corrections.ts), audited under the staff member.

type Action = 'cancel' | 'close';
type CorrectionDraft = Extract<Draft, { kind: 'correction' }>;

/** Why this target cannot take this action now (a line for the staff member), or undefined when it can. */
function refusal(ctx: FlowContext, action: Action, t: CorrectionTarget): string | undefined {
  const lang = STAFF_LANG;
  if (t.status === 'cancelled') return say(ctx, lang, 'desk-correction-already-cancelled');
  if (action === 'close') {
    if (t.kind !== 'wave') return say(ctx, lang, 'desk-correction-not-a-wave', { id: t.id });
    if (t.status === 'scheduled') return say(ctx, lang, 'desk-correction-wave-not-open', { id: t.id });
    if (t.status === 'closed') return say(ctx, lang, 'desk-correction-wave-closed');
    return undefined;
  }
  switch (t.kind) {
    case 'flash':
      return t.status === 'sent' ? say(ctx, lang, 'desk-correction-already-sent') : undefined;
    case 'session':
      return t.status === 'past' ? say(ctx, lang, 'desk-correction-session-past') : undefined;
    case 'wave':
      if (t.status === 'open') return say(ctx, lang, 'desk-correction-wave-open', { id: t.id });
      if (t.status === 'closed') return say(ctx, lang, 'desk-correction-wave-closed');
      return undefined;
  }
}

/** What the staff member reads before confirming: the thing, then what will happen. */
function preview(ctx: FlowContext, action: Action, t: CorrectionTarget): string {
  const lang = STAFF_LANG;
  const when = shortDate(t.at, timeZoneOf(ctx));
  const label = t.label.length > 80 ? `${t.label.slice(0, 77).trimEnd()}…` : t.label;
  const head =
    t.kind === 'flash'
      ? say(ctx, lang, 'desk-correction-flash', { id: t.id, label })
      : t.kind === 'session'
        ? say(ctx, lang, 'desk-correction-session', { when, label })
        : say(ctx, lang, 'desk-correction-wave', { id: t.id, label });
  const what =
    action === 'close'
      ? say(ctx, lang, 'desk-correction-wave-close', { when })
      : t.kind === 'flash'
        ? t.status === 'sending'
          ? say(ctx, lang, 'desk-correction-flash-stop', { count: t.count })
          : say(ctx, lang, 'desk-correction-flash-cancel', { when })
        : t.kind === 'session'
          ? say(ctx, lang, 'desk-correction-session-cancel', { count: t.count })
          : say(ctx, lang, 'desk-correction-wave-cancel');
  return `${head}\n\n${what}`;
}

/** `/annuleer <id>` or `/sluit-peiling <id>`: the preview and the question, or why it cannot. */
export function startCorrection(action: Action, args: string, back: Back, ctx: FlowContext): FlowResult {
  const lang = STAFF_LANG;
  const id = correctionIdOf(args);
  if (!id) return finish(back, [reply(say(ctx, lang, 'desk-correction-usage'))]);
  const target = ctx.desk?.correction;
  if (!target || target.id !== id)
    return finish(back, [reply(say(ctx, lang, 'desk-correction-not-found', { id }))]);
  const refused = refusal(ctx, action, target);
  if (refused) return finish(back, [reply(refused)]);
  const draft: CorrectionDraft = { kind: 'correction', action, target: target.kind, id, step: 'confirm' };
  return withDraft(back, draft, [reply(preview(ctx, action, target)), ...askConfirm(ctx, action)]);
}

const closedLine = (ctx: FlowContext) => say(ctx, STAFF_LANG, 'desk-correction-closed');
const cancelledLine = (ctx: FlowContext) => say(ctx, STAFF_LANG, 'desk-correction-cancelled');

/** The answer to "Annuleren?" / "Peiling nu sluiten?", checked against where the thing stands now. */
export function correctionConfirm(
  desk: DeskState,
  draft: CorrectionDraft,
  input: InboundPayload,
  ctx: FlowContext,
): FlowResult {
  const lang = STAFF_LANG;
  const { back } = desk;
  if (draft.step === 'done') return finish(back, [reply(say(ctx, lang, 'desk-already-sent'))]);
  const answer = confirmAnswer(ctx, input);
  if (answer === 'nee') return finish(back, [reply(say(ctx, lang, 'desk-not-sent'))]);
  if (answer !== 'ja')
    return withDraft(back, draft, askConfirm(ctx, draft.action, true), [], desk.misses + 1);
  const target = ctx.desk?.correction;
  if (!target || target.id !== draft.id) {
    return finish(back, [reply(say(ctx, lang, 'desk-correction-not-found', { id: draft.id }))]);
  }
  // It may have moved on since the preview (the flash went out, the wave opened).
  const refused = refusal(ctx, draft.action, target);
  if (refused) return finish(back, [reply(refused)]);
  return withDraft(
    back,
    { ...draft, step: 'done' },
    [reply(draft.action === 'close' ? closedLine(ctx) : cancelledLine(ctx))],
    [
      {
        type: 'desk',
        action: { kind: 'correction', action: draft.action, target: target.kind, id: draft.id },
      },
    ],
  );
}
