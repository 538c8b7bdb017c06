import { describe, expect, it } from 'vitest';
import { converse } from '../../flows/conversation.js';
import type { InboundPayload } from '../../src/domain/messages.js';
import { flowContext, joinedProfile } from '../helpers/flow.js';

// The yearly age check as the flow sees it: the scheduler left the conversation waiting for the answer.

const ASKED = '2027-03-01T10:00:00.000Z';
const waiting = { flow: 'age', misses: 0, check: true, askedAt: ASKED };
const text = (t: string): InboundPayload => ({ kind: 'text', text: t });
const ageEffects = (effects: { type: string; patch?: { ageGroup?: unknown } }[]) =>
  effects.filter((e) => e.type === 'resident.update' && e.patch?.ageGroup !== undefined);

describe('the yearly age check', () => {
  const ctx = (extra = {}) =>
    flowContext({
      resident: joinedProfile({ ageGroup: '27-40' }),
      now: new Date('2027-03-01T11:00:00Z'),
      ...extra,
    });

  it('takes the same group as a confirmation and another as a change', () => {
    const same = converse(waiting, text('3'), ctx());
    expect(ageEffects(same.effects)).toEqual([{ type: 'resident.update', patch: { ageGroup: '27-40' } }]);
    expect(same.state).toEqual({ flow: 'idle' });
    const other = converse(waiting, text('41-65'), ctx());
    expect(ageEffects(other.effects)).toEqual([{ type: 'resident.update', patch: { ageGroup: '41-65' } }]);
  });

  it('lets anything else through as if it was never asked', () => {
    const result = converse(waiting, text('hallo daar'), ctx());
    expect(ageEffects(result.effects)).toEqual([]);
    expect(result.state.flow).toBe('idle');
  });

  it('gives way to a poll invitation sent after it: a typed number answers the poll', () => {
    const wave = {
      id: 'w1',
      poll: 'thuis',
      status: 'invited',
      open: true,
      invitedAt: '2027-03-01T10:30:00.000Z',
    };
    const result = converse(waiting, text('3'), ctx({ wave }));
    expect(ageEffects(result.effects)).toEqual([]);
    // Before the check was asked, the invitation is older: the number answers the check.
    const older = converse(
      waiting,
      text('3'),
      ctx({ wave: { ...wave, invitedAt: '2027-02-01T10:00:00.000Z' } }),
    );
    expect(ageEffects(older.effects)).toHaveLength(1);
  });

  it('ends taking part for "jonger dan 16"', () => {
    const result = converse(waiting, text('jonger dan 16'), ctx());
    expect(result.effects).toEqual([{ type: 'resident.erase' }]);
  });
});
