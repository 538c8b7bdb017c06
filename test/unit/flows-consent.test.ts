import { describe, expect, it } from 'vitest';
import { type FakeResident, joinedProfile, joinedResident } from '../helpers/flow.js';

/** A resident who agreed to an earlier consent statement than the one now in force. */
const agreedEarlier = (state: ConstructorParameters<typeof FakeResident>[0] = {}) =>
  joinedResident({ profile: joinedProfile({ consentVersion: 'test-0' }), ...state });

describe('consent asked again when the consent statement changed', () => {
  it('tells the resident, shows the statement with the privacy link and asks again, before anything else', () => {
    const r = agreedEarlier();
    r.send('IDEE');
    expect(r.saidText).toMatch(/veranderd/);
    expect(r.saidText).toContain('https://example.org/privacy');
    expect(r.ask?.options.map((o) => o.value)).toEqual(['ja', 'nee']);
    expect(r.state).toMatchObject({ flow: 'consent' });
    expect(r.last.effects).toEqual([]);
  });

  it('ja records the new version and goes back to where the resident was', () => {
    const r = agreedEarlier({
      state: { flow: 'poll', progress: { poll: 'veerkracht-kort', index: 1, phase: 'question', misses: 0 } },
    });
    r.send('4');
    expect(r.state).toMatchObject({ flow: 'consent' });
    expect(r.answers).toEqual([]);
    r.send('ja');
    expect(r.profile.consentVersion).toBe('test-1');
    expect(r.profile.consentAt).not.toBe('2026-03-03T09:30:00.000Z');
    expect(r.saidText).toMatch(/weer mee/);
    // The poll waits where it was, as after any other detour, with the hint how to go on.
    expect(r.state).toMatchObject({ flow: 'idle', paused: { poll: 'veerkracht-kort', index: 1 } });
    expect(r.saidText).toMatch(/PEILING/);
    r.sendAll('PEILING', '4');
    expect(r.answers).toHaveLength(1);
  });

  it('nee ends taking part: no consent any more, the refusal kept, and how to erase or come back', () => {
    const r = agreedEarlier();
    r.sendAll('hallo', 'nee');
    expect(r.profile.consentAt).toBeNull();
    expect(r.profile.consentRefusedAt).not.toBeNull();
    expect(r.state).toEqual({ flow: 'refused' });
    expect(r.saidText).toMatch(/VERWIJDER/);
    expect(r.saidText).toMatch(/START/);
    r.send('PEILING');
    expect(r.answers).toEqual([]);
  });

  it('asks again, as often as needed, when the answer is neither yes nor no', () => {
    const r = agreedEarlier();
    r.sendAll('hallo', 'misschien', 'weet niet');
    expect(r.state).toMatchObject({ flow: 'consent' });
    expect(r.profile.consentVersion).toBe('test-0');
    expect(r.ask?.options.map((o) => o.value)).toEqual(['ja', 'nee']);
  });

  it.each(['STOP', 'HULP', 'GEGEVENS'])('%s works without answering first', (word) => {
    const r = agreedEarlier();
    r.send(word);
    expect(r.state?.flow).not.toBe('consent');
    expect(r.saidText).not.toMatch(/veranderd/);
  });

  it('VERWIJDER works without answering first', () => {
    const r = agreedEarlier();
    r.sendAll('VERWIJDER', 'ja');
    expect(r.erased).toBe(true);
  });

  it('asks in English for an English resident', () => {
    const r = joinedResident({ profile: joinedProfile({ consentVersion: 'test-0', language: 'en' }) });
    r.send('hello');
    expect(r.saidText).toMatch(/changed how we handle your data/);
  });

  it('does not ask a resident who agreed to the current statement', () => {
    const r = joinedResident();
    r.send('IDEE');
    expect(r.state?.flow).toBe('idea');
    expect(r.saidText).not.toMatch(/veranderd/);
  });
});
