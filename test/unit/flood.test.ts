import { describe, expect, it } from 'vitest';
import { converse } from '../../flows/conversation.js';
import { FLOOD_LIMIT, withFloodControl } from '../../flows/flood.js';
import type { ConversationState, FlowResult } from '../../flows/types.js';
import type { InboundPayload } from '../../src/domain/messages.js';
import { flowContext, joinedProfile, testTexts } from '../helpers/flow.js';

const flow = withFloodControl(converse);
const text = (t: string): InboundPayload => ({ kind: 'text', text: t });

/** Sends messages one second apart from `start`; returns each step's result. */
function send(
  messages: string[],
  start = Date.parse('2026-03-10T12:00:00Z'),
  from: ConversationState = { flow: 'idle' },
) {
  let state: ConversationState | null = from;
  const results: FlowResult[] = [];
  messages.forEach((m, i) => {
    const ctx = flowContext({ now: new Date(start + i * 1000), resident: joinedProfile() });
    const result = flow(state, text(m), ctx);
    state = result.state;
    results.push(result);
  });
  return { results, state: state as ConversationState | null };
}

describe('flood control', () => {
  it('answers 20 messages in a minute, slows the 21st down once, and ignores the rest of that minute', () => {
    const { results } = send(Array.from({ length: 30 }, (_, i) => `hallo ${i}`));
    for (const r of results.slice(0, FLOOD_LIMIT)) expect(r.replies.length).toBeGreaterThan(0);
    const slowDown = testTexts().t('nl', 'flood-slow-down');
    expect(results[FLOOD_LIMIT]!.replies).toEqual([{ kind: 'text', text: slowDown }]);
    for (const r of results.slice(FLOOD_LIMIT + 1)) {
      expect(r.replies).toEqual([]);
      expect(r.effects).toEqual([]);
    }
    expect(results.flatMap((r) => r.replies).filter((m) => m.text === slowDown)).toHaveLength(1);
  });

  it('answers again once the minute has passed', () => {
    const start = Date.parse('2026-03-10T12:00:00Z');
    const { state } = send(
      Array.from({ length: 25 }, (_, i) => `hallo ${i}`),
      start,
    );
    const later = flowContext({ now: new Date(start + 25_000 + 61_000), resident: joinedProfile() });
    expect(flow(state, text('hallo'), later).replies.length).toBeGreaterThan(0);
  });

  it('still lets STOP and VERWIJDER through while flooded', () => {
    const flooding = Array.from({ length: 24 }, (_, i) => `hallo ${i}`);
    const stop = send([...flooding, 'STOP']).results.at(-1)!;
    expect(stop.replies.length).toBeGreaterThan(0);
    expect(stop.effects.some((e) => e.type === 'resident.update')).toBe(true);
    const erase = send([...flooding, 'VERWIJDER']).results.at(-1)!;
    expect(erase.replies.length).toBeGreaterThan(0);
    expect(erase.state.flow).toBe('delete');
  });

  it('counts VERWIJDER: 30 in a minute are not all answered, the first is honoured', () => {
    const { results } = send(Array.from({ length: 30 }, () => 'VERWIJDER'));
    expect(results[0]!.state.flow).toBe('delete');
    expect(results[0]!.replies.length).toBeGreaterThan(0);
    const answered = results.filter((r) => r.replies.length > 0);
    expect(answered.length).toBeLessThanOrEqual(FLOOD_LIMIT + 2);
    for (const r of results.slice(FLOOD_LIMIT + 2)) expect(r.replies).toEqual([]);
  });

  it('lets one VERWIJDER a minute through while flooded, and the answer to its question', () => {
    const flooding = Array.from({ length: 24 }, (_, i) => `hallo ${i}`);
    const { results } = send([...flooding, 'VERWIJDER', 'ja']);
    expect(results.at(-2)!.state.flow).toBe('delete');
    expect(results.at(-1)!.effects).toEqual([{ type: 'resident.erase' }]);
    // A second VERWIJDER in the same flooded minute is ignored like any other message.
    const again = send([...flooding, 'VERWIJDER', 'nee', 'VERWIJDER']).results.at(-1)!;
    expect(again.replies).toEqual([]);
    expect(again.state.flow).not.toBe('delete');
  });

  it('keeps the inner flow state untouched by the flood bookkeeping', () => {
    const { state } = send(['hallo']);
    expect(state?.flow).toBe('idle');
    expect(state).toHaveProperty('flood.recent');
  });
});
