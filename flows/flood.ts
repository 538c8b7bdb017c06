import { z } from 'zod';
import { say } from './asks.js';
import { languageOf } from './onboarding.js';
import { parseKeyword } from './parse/keywords.js';
import { parseState } from './state.js';
import type { FlowStep } from './types.js';

/** More messages than this within one minute and a resident is slowed down. */
export const FLOOD_LIMIT = 20;
export const FLOOD_WINDOW_MS = 60_000;

// Kept beside the flow's own state under its own key: the flows' schemas strip keys they do not
// know, so the inner flow never sees it and old states without it simply start with no history.
const FloodSchema = z.object({
  recent: z.array(z.number()).max(FLOOD_LIMIT + 1),
  warnedAt: z.number().optional(),
  /** When a VERWIJDER last got through while flooded. */
  deleteAt: z.number().optional(),
});
type Flood = z.infer<typeof FloodSchema>;

function keywordOf(input: Parameters<FlowStep>[1]) {
  const text = input.kind === 'text' ? input.text : input.kind === 'command' ? `/${input.name}` : undefined;
  return text === undefined ? undefined : parseKeyword(text);
}

/**
 * What still gets through while flooded: STOP always; VERWIJDER once a minute (it counts like any
 * message, so repeating it cannot flood the bot), and the answer to its question.
 */
function passes(
  input: Parameters<FlowStep>[1],
  state: Parameters<FlowStep>[0],
  before: Flood,
  now: number,
): 'stop' | 'delete' | 'answer' | undefined {
  const keyword = keywordOf(input);
  if (keyword === 'stop') return 'stop';
  if (keyword === 'delete') {
    const recently = before.deleteAt !== undefined && before.deleteAt > now - FLOOD_WINDOW_MS;
    return recently ? undefined : 'delete';
  }
  return parseState(state)?.flow === 'delete' ? 'answer' : undefined;
}

/**
 * Flood control around the resident conversation: a sliding window of the times (from `ctx.now`) of
 * the last messages. The first message over FLOOD_LIMIT in a minute gets one polite line; further
 * ones in that minute are handled as no-ops (no reply, no change) until the window has room again.
 * STOP always gets through, VERWIJDER once a minute (see `passes`). Staff are never slowed down.
 */
export function withFloodControl(inner: FlowStep): FlowStep {
  return (raw, input, ctx) => {
    const { flood: storedFlood, ...rest } = (raw ?? {}) as Record<string, unknown>;
    const innerRaw = raw === null ? null : (rest as Parameters<FlowStep>[0]);
    if (ctx.staff) return inner(innerRaw, input, ctx);
    const now = ctx.now.getTime();
    const stored = FloodSchema.safeParse(storedFlood);
    const before: Flood = stored.success ? stored.data : { recent: [] };
    const recent = before.recent.filter((t) => t > now - FLOOD_WINDOW_MS && t <= now);
    const over = recent.length >= FLOOD_LIMIT;
    const through = over ? passes(input, innerRaw, before, now) : undefined;
    const flooded = over && through === undefined;
    const deleteAt = through === 'delete' ? now : before.deleteAt;
    const flood: Flood = {
      recent: [...recent, now].slice(-(FLOOD_LIMIT + 1)),
      ...(before.warnedAt !== undefined && { warnedAt: before.warnedAt }),
      ...(deleteAt !== undefined && deleteAt > now - FLOOD_WINDOW_MS && { deleteAt }),
    };
    if (!flooded) {
      const result = inner(innerRaw, input, ctx);
      return { ...result, state: { ...result.state, flood } };
    }
    const state = { ...(innerRaw ?? { flow: 'idle' }), flood };
    const warnedRecently = before.warnedAt !== undefined && before.warnedAt > now - FLOOD_WINDOW_MS;
    if (warnedRecently) return { state, replies: [], effects: [] };
    const language = languageOf(ctx, parseState(innerRaw), input);
    return {
      state: { ...state, flood: { ...flood, warnedAt: now } },
      replies: [{ kind: 'text', text: say(ctx, language, 'flood-slow-down') }],
      effects: [],
    };
  };
}
