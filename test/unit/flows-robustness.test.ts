import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { converse } from '../../flows/conversation.js';
import { StateSchema } from '../../flows/state.js';
import type { ConversationState } from '../../flows/types.js';
import { type InboundPayload, MEDIA_KINDS, OutboundMessageSchema } from '../../src/domain/messages.js';
import type { ResidentProfile } from '../../src/domain/resident.js';
import { flowContext, joinedProfile, newProfile } from '../helpers/flow.js';

const STATES: [string, ConversationState | null][] = [
  ['none', null],
  ['joining: language', { flow: 'onboarding', join: { step: 'language', guess: 'en' }, misses: 0 }],
  ['joining: consent', { flow: 'onboarding', join: { step: 'consent' }, misses: 1 }],
  ['joining: area', { flow: 'onboarding', join: { step: 'area', linkArea: 'nazareth' }, misses: 0 }],
  ['joining: age', { flow: 'onboarding', join: { step: 'age' }, misses: 1 }],
  ['refused', { flow: 'refused' }],
  ['idle', { flow: 'idle' }],
  [
    'idle with a paused poll',
    { flow: 'idle', paused: { poll: 'veerkracht-kort', index: 2, phase: 'question', misses: 0 } },
  ],
  ['poll', { flow: 'poll', progress: { poll: 'veerkracht-kort', index: 0, phase: 'question', misses: 0 } }],
  [
    'poll: text question',
    { flow: 'poll', progress: { poll: 'veerkracht-kort', index: 3, phase: 'question', misses: 1 } },
  ],
  ['poll: follow-up', { flow: 'poll', progress: { poll: 'cijfer', index: 0, phase: 'followup', misses: 0 } }],
  ['idea: text', { flow: 'idea', step: 'text', misses: 0 }],
  ['idea: theme', { flow: 'idea', step: 'theme', text: 'x', misses: 1 }],
  ['language', { flow: 'language', misses: 0 }],
  ['area', { flow: 'area', misses: 1 }],
  ['delete', { flow: 'delete', misses: 0 }],
];

const PROFILES: [string, ResidentProfile][] = [
  ['new', newProfile()],
  ['joined', joinedProfile()],
  ['joined, English', joinedProfile({ language: 'en', area: null, ageGroup: null })],
  ['refused', newProfile({ language: 'nl', consentRefusedAt: '2026-03-01T00:00:00.000Z' })],
  ['stopped', joinedProfile({ status: 'stopped' })],
];

const HOSTILE: [string, InboundPayload][] = [
  ['100 kB of text', { kind: 'text', text: 'ja '.repeat(34_000) }],
  ['100 kB of one word', { kind: 'text', text: 'a'.repeat(100_000) }],
  ['empty text', { kind: 'text', text: '' }],
  ['only spaces', { kind: 'text', text: '   \n\t ' }],
  ['emoji only', { kind: 'text', text: '🙂🙂🎉👍🏽👨‍👩‍👧' }],
  ['right-to-left', { kind: 'text', text: 'مرحبا، أريد أن أشارك \u202Eabc' }],
  ['SQL-looking', { kind: 'text', text: "'; DROP TABLE residents; --" }],
  ['HTML-looking', { kind: 'text', text: '<script>alert(1)</script>' }],
  ['lone surrogates and controls', { kind: 'text', text: '\uD800\u0000\u0007\uDFFF' }],
  ['Fluent-looking', { kind: 'text', text: '{ $url } { -brand }' }],
  ['unknown button', { kind: 'choice', ref: 'zzz', value: 'zzz' }],
  ['empty vote', { kind: 'poll_vote', ref: 'zzz', values: [] }],
  ['unknown command', { kind: 'command', name: 'x', args: 'y'.repeat(100_000) }],
  ['voice note', { kind: 'media', media: 'audio' }],
  ['sticker', { kind: 'media', media: 'sticker' }],
  ['start command with odd args', { kind: 'command', name: 'start', args: '../../etc/passwd' }],
];

function check(state: ConversationState | null, profile: ResidentProfile, input: InboundPayload): void {
  const result = converse(state, input, flowContext({ resident: profile }));
  expect(StateSchema.safeParse(result.state).success).toBe(true);
  for (const reply of result.replies) expect(() => OutboundMessageSchema.parse(reply)).not.toThrow();
  JSON.stringify(result);
}

describe('the conversation never crashes (bad input)', () => {
  for (const [stateName, state] of STATES) {
    for (const [profileName, profile] of PROFILES) {
      it(`handles hostile input in state "${stateName}" for a ${profileName} resident`, () => {
        for (const [, input] of HOSTILE) check(state, profile, input);
      });
    }
  }

  it('answers hostile input with a sensible reply rather than silence', () => {
    for (const [name, input] of HOSTILE) {
      if (input.kind === 'poll_vote') continue;
      for (const [, state] of STATES) {
        const result = converse(state, input, flowContext({ resident: joinedProfile() }));
        expect(result.replies.length, `${name}`).toBeGreaterThan(0);
      }
    }
  });

  it('handles 100 kB of text quickly', () => {
    const started = performance.now();
    for (const [, state] of STATES) {
      converse(
        state,
        { kind: 'text', text: 'x'.repeat(100_000) },
        flowContext({ resident: joinedProfile() }),
      );
    }
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('survives random payloads in random states', () => {
    const payload = fc.oneof(
      fc.record({ kind: fc.constant('text' as const), text: fc.string({ unit: 'binary', maxLength: 300 }) }),
      fc.record({
        kind: fc.constant('choice' as const),
        ref: fc.string({ maxLength: 45 }),
        value: fc.string({ maxLength: 25 }),
      }),
      fc.record({
        kind: fc.constant('poll_vote' as const),
        ref: fc.string({ maxLength: 45 }),
        values: fc.array(fc.string({ maxLength: 25 }), { maxLength: 12 }),
      }),
      fc.record({
        kind: fc.constant('command' as const),
        name: fc.string({ minLength: 1, maxLength: 12 }),
        args: fc.string(),
      }),
      fc.record({ kind: fc.constant('media' as const), media: fc.constantFrom(...MEDIA_KINDS) }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...STATES.map(([, s]) => s)),
        fc.constantFrom(...PROFILES.map(([, p]) => p)),
        payload,
        (state, profile, input) => check(state, profile, input),
      ),
      { numRuns: 500 },
    );
  });

  it.each<[string, unknown]>([
    ['a number', 42],
    ['a string', 'onboarding'],
    ['an array', []],
    ['an unknown flow', { flow: 'wave-v0', step: 3 }],
    ['a poll state with a broken progress', { flow: 'poll', progress: 'garbage' }],
    ['an onboarding state with an unknown step', { flow: 'onboarding', join: { step: 'email' }, misses: 0 }],
  ])('falls back safely from a corrupt state (%s)', (_, raw) => {
    const joined = converse(
      raw as ConversationState,
      { kind: 'text', text: 'hallo' },
      flowContext({ resident: joinedProfile() }),
    );
    expect(joined.state).toEqual({ flow: 'idle' });
    expect(joined.replies.length).toBeGreaterThan(0);
    const fresh = converse(raw as ConversationState, { kind: 'text', text: 'hallo' }, flowContext());
    expect(fresh.state).toMatchObject({ flow: 'onboarding', join: { step: 'language' } });
  });

  it('a state saying joining while the profile has consent lets the profile win', () => {
    const result = converse(
      { flow: 'onboarding', join: { step: 'consent' }, misses: 0 },
      { kind: 'text', text: 'ja' },
      flowContext({ resident: joinedProfile() }),
    );
    expect(result.effects).toEqual([]);
    expect(result.state).toEqual({ flow: 'idle' });
  });

  it('a poll state without consent falls back to joining', () => {
    const result = converse(
      { flow: 'poll', progress: { poll: 'thuis', index: 0, phase: 'question', misses: 0 } },
      { kind: 'text', text: '4' },
      flowContext(),
    );
    expect(result.effects).toEqual([]);
    expect(result.state).toMatchObject({ flow: 'onboarding' });
  });
});
