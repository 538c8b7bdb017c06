import { describe, expect, it } from 'vitest';
import {
  flashMessage,
  sessionAnnouncement,
  sessionReminder,
  waveInvitation,
  waveReminder,
} from '../../flows/broadcast.js';
import { converse } from '../../flows/conversation.js';
import { questionRef } from '../../flows/poll.js';
import type { ConversationState, Effect, FlashContext, FlowContext, WaveContext } from '../../flows/types.js';
import type { InboundPayload } from '../../src/domain/messages.js';
import { flowContext, joinedProfile, shown, tap, testTexts } from '../helpers/flow.js';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const texts = testTexts();
const ctx = { texts };

/** A joined resident's conversation, with what the engine says about their broadcasts. */
class Resident {
  state: ConversationState | null = { flow: 'idle' };
  effects: Effect[] = [];
  said: string[] = [];
  constructor(public broadcasts: Partial<Pick<FlowContext, 'wave' | 'rsvps' | 'session'>> = {}) {}
  send(input: string | InboundPayload, lang: 'nl' | 'en' = 'nl') {
    const payload: InboundPayload = typeof input === 'string' ? { kind: 'text', text: input } : input;
    const result = converse(
      this.state,
      payload,
      flowContext({ now: NOW, resident: joinedProfile({ language: lang }), ...this.broadcasts }),
    );
    this.state = JSON.parse(JSON.stringify(result.state)) as ConversationState;
    this.effects.push(...result.effects);
    this.said = result.replies.map(shown);
    return result;
  }
  get text(): string {
    return this.said.join('\n');
  }
}

const flash = (over: Partial<FlashContext> = {}): FlashContext => ({
  id: 'f1',
  kind: 'flash',
  rsvp: true,
  sentAt: '2026-03-10T09:00:00.000Z',
  rsvped: false,
  ...over,
});
const wave = (over: Partial<WaveContext> = {}): WaveContext => ({
  id: 'w1',
  poll: 'thuis',
  status: 'invited',
  open: true,
  invitedAt: '2026-03-10T10:00:00.000Z',
  ...over,
});

describe('what broadcasts look like', () => {
  it('adds "Kom je? Stuur JA." to a flash with RSVP, and falls back to Dutch', () => {
    expect(flashMessage(ctx, 'nl', { nl: 'Zaterdag ontbijt.' }, true)).toEqual({
      kind: 'text',
      text: 'Zaterdag ontbijt.\n\nKom je? Stuur JA.',
    });
    expect(flashMessage(ctx, 'en', { nl: 'Zaterdag ontbijt.' }, false)).toEqual({
      kind: 'text',
      text: 'Zaterdag ontbijt.',
    });
    expect(flashMessage(ctx, 'en', { nl: 'Zaterdag.', en: 'Saturday.' }, false)).toMatchObject({
      text: 'Saturday.',
    });
  });

  it('invites to a wave with its first question, answerable by the question’s button', () => {
    const poll = flowContext().polls.get('thuis')!;
    const invitation = waveInvitation(ctx, 'nl', poll);
    expect(invitation.kind).toBe('ask');
    if (invitation.kind !== 'ask') return;
    expect(invitation.ref).toBe(questionRef('thuis', 'thuis'));
    expect(invitation.text).toContain('Het wijkteam wil graag je mening weten.');
    expect(invitation.text).toContain('Voel je je thuis in je buurt?');
    expect(invitation.options).toHaveLength(5);
    expect(shown(waveReminder(ctx, 'en'))).toContain('POLL');
  });

  it('announces a session with when, where and who, in the city’s time', () => {
    const session = {
      at: new Date('2026-03-14T13:00:00Z'),
      where: 'Buurthuis Trefpunt',
      who: 'wethouder Jansen',
      timeZone: 'Europe/Amsterdam',
    };
    const nl = shown(sessionAnnouncement(ctx, 'nl', session));
    expect(nl).toMatch(/zaterdag 14 maart.*14:00/);
    expect(nl).toContain('Buurthuis Trefpunt');
    expect(nl).toContain('wethouder Jansen');
    expect(nl).toContain('Stuur JA');
    expect(nl).toContain('VRAAG');
    expect(shown(sessionAnnouncement(ctx, 'en', session))).toMatch(/Saturday 14 March/);
    expect(shown(sessionReminder(ctx, 'nl', session))).toContain('14:00');
  });
});

describe('answering a flash', () => {
  it('counts a JA right after a flash with RSVP', () => {
    const r = new Resident({ rsvps: [flash()] });
    r.send('Ja!');
    expect(r.effects).toEqual([{ type: 'flash.rsvp', flashId: 'f1' }]);
    expect(r.text).toContain('Fijn dat je komt');
  });

  it('does not count a second JA, and says so', () => {
    const r = new Resident({ rsvps: [flash({ rsvped: true })] });
    r.send('ja');
    expect(r.effects).toEqual([]);
    expect(r.text).toContain('al gezegd');
  });

  it('takes NEE kindly and counts nothing', () => {
    const r = new Resident({ rsvps: [flash()] });
    r.send('nee');
    expect(r.effects).toEqual([]);
    expect(r.text).toContain('Jammer');
  });

  it('understands YES from an English resident', () => {
    const r = new Resident({ rsvps: [flash()] });
    r.send('yes', 'en');
    expect(r.effects).toEqual([{ type: 'flash.rsvp', flashId: 'f1' }]);
    expect(r.text).toContain('Great that you are coming');
  });

  it.each([
    ['a flash without RSVP', flash({ rsvp: false })],
    ['a flash sent 8 days ago', flash({ sentAt: '2026-03-02T09:00:00.000Z' })],
    ['a session that has started', flash({ kind: 'session', sessionAt: '2026-03-10T11:00:00.000Z' })],
  ])('does not take a JA after %s', (_, f) => {
    const r = new Resident({ rsvps: [f] });
    r.send('ja');
    expect(r.effects).toEqual([]);
    expect(r.text).toContain('Sorry');
  });

  it('does not take a bare number for an RSVP', () => {
    const r = new Resident({ rsvps: [flash()] });
    r.send('1');
    expect(r.effects).toEqual([]);
  });
});

describe('several open RSVPs', () => {
  const koffie = flash({
    id: 'koffie',
    sentAt: '2026-03-08T09:00:00.000Z',
    texts: { nl: 'Zaterdag koffie in het Trefpunt' },
  });
  const koken = flash({
    id: 'koken',
    sentAt: '2026-03-10T09:00:00.000Z',
    texts: { nl: 'Woensdag samen koken in de buurtkeuken, neem een schort mee' },
  });

  it('counts JA for the one not yet answered', () => {
    const r = new Resident({ rsvps: [koken, { ...koffie, rsvped: true }] });
    r.send('ja');
    expect(r.effects).toEqual([{ type: 'flash.rsvp', flashId: 'koken' }]);
  });

  it('asks which one, newest first with their first words, and counts the number given', () => {
    const r = new Resident({ rsvps: [koffie, koken] });
    r.send('ja');
    expect(r.effects).toEqual([]);
    expect(r.state).toMatchObject({ flow: 'rsvp_pick', options: ['koken', 'koffie'] });
    expect(r.text).toContain('Naar welke kom je?');
    expect(r.text).toContain('Woensdag samen koken in de buurtkeuken, …');
    expect(r.text.indexOf('Woensdag')).toBeLessThan(r.text.indexOf('Zaterdag koffie in het Trefpunt'));
    r.send('2');
    expect(r.effects).toEqual([{ type: 'flash.rsvp', flashId: 'koffie' }]);
    expect(r.state).toEqual({ flow: 'idle' });
  });

  it('takes a tap on the list', () => {
    const r = new Resident({ rsvps: [koffie, koken] });
    r.send('ja');
    r.send(tap('rsvp_pick', '1'));
    expect(r.effects).toEqual([{ type: 'flash.rsvp', flashId: 'koken' }]);
  });

  it('names a session by its day', () => {
    const session = flash({ id: 's1', kind: 'session', sessionAt: '2026-03-14T13:00:00.000Z' });
    const r = new Resident({ rsvps: [koffie, session] });
    r.send('yes', 'en');
    expect(r.text).toMatch(/Straatpraat on Saturday 14 March/);
  });
});

describe('answering a wave', () => {
  it('records the answer to the invitation’s question in the wave, then finishes after the follow-up', () => {
    const r = new Resident({ wave: wave() });
    r.send('4');
    expect(r.effects).toEqual([
      expect.objectContaining({
        type: 'answer.record',
        poll: 'thuis',
        question: 'thuis',
        waveId: 'w1',
        answerCode: '4',
      }),
      { type: 'wave.progress', waveId: 'w1', status: 'started' },
    ]);
    expect(r.text).toContain('Wil je iets uitleggen?');
    r.broadcasts = { wave: wave({ status: 'started' }) };
    r.send('sla over');
    expect(r.effects.at(-1)).toEqual({ type: 'wave.progress', waveId: 'w1', status: 'finished' });
    expect(r.state).toEqual({ flow: 'idle' });
    expect(r.text).toContain('Dank je wel');
  });

  it('does not start the wave on a message that is no answer, but points to PEILING', () => {
    const r = new Resident({ wave: wave() });
    r.send('hallo daar!');
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual({ flow: 'idle' });
    expect(r.text).toContain('Stuur PEILING');
  });

  it('offers a person for a longer question, and still points to PEILING first', () => {
    const r = new Resident({ wave: wave() });
    r.send('hallo, wanneer komt de straatpraat?');
    expect(r.effects).toEqual([]);
    expect(r.state).toMatchObject({ flow: 'unplaced_question' });
    expect(r.text).toContain('Stuur PEILING');
    expect(r.text).toMatch(/Wil je dat iemand van het wijkteam je antwoordt\?/);
    expect(r.text.indexOf('PEILING')).toBeLessThan(r.text.indexOf('Wil je dat iemand'));
  });

  it('takes a tap on the invitation’s button as the answer', () => {
    const r = new Resident({ wave: wave() });
    r.send(tap(questionRef('thuis', 'thuis'), '5'));
    expect(r.effects[0]).toMatchObject({ type: 'answer.record', waveId: 'w1', answerCode: '5' });
  });

  it('answers whichever came last when a flash and an invitation both wait', () => {
    const newerFlash = new Resident({ wave: wave(), rsvps: [flash({ sentAt: '2026-03-10T11:00:00.000Z' })] });
    newerFlash.send('ja');
    expect(newerFlash.effects).toEqual([{ type: 'flash.rsvp', flashId: 'f1' }]);
    const newerWave = new Resident({ wave: wave(), rsvps: [flash()] });
    newerWave.send('4');
    expect(newerWave.effects[0]).toMatchObject({ type: 'answer.record', waveId: 'w1' });
  });

  it('accepts no answer after the wave closed, with a kind line', () => {
    const inPoll = new Resident({ wave: wave({ status: 'started', open: false }) });
    inPoll.state = {
      flow: 'poll',
      progress: { poll: 'thuis', index: 0, phase: 'question', misses: 0, waveId: 'w1' },
    };
    inPoll.send('4');
    expect(inPoll.effects).toEqual([]);
    expect(inPoll.text).toContain('gesloten');
    expect(inPoll.state).toEqual({ flow: 'idle' });

    const invited = new Resident({ wave: wave({ open: false }) });
    invited.send('4');
    expect(invited.effects).toEqual([]);
    expect(invited.text).toContain('gesloten');
  });

  it('starts the open wave on PEILING', () => {
    const r = new Resident({ wave: wave() });
    r.send('PEILING');
    expect(r.state).toMatchObject({ flow: 'poll', progress: { poll: 'thuis', index: 0, waveId: 'w1' } });
    expect(r.text).toContain('Voel je je thuis in je buurt?');
  });

  it('gives way from a paused poll of a closed wave to the open one on PEILING', () => {
    const r = new Resident({ wave: wave({ id: 'w2', poll: 'cijfer' }) });
    r.state = {
      flow: 'idle',
      paused: { poll: 'thuis', index: 0, phase: 'followup', misses: 0, waveId: 'w1' },
    };
    r.send('PEILING');
    expect(r.state).toMatchObject({ flow: 'poll', progress: { poll: 'cijfer', waveId: 'w2' } });
  });

  it('says there are no questions on PEILING after finishing the wave', () => {
    const r = new Resident({ wave: wave({ status: 'finished' }) });
    r.send('PEILING');
    expect(r.text).toContain('geen vragen');
  });
});

describe('questions for a straatpraat', () => {
  const session = flash({ id: 's1', kind: 'session', sessionAt: '2026-03-14T13:00:00.000Z' });

  it('asks the question and its theme on VRAAG, and stores it without the sender', () => {
    const r = new Resident({ rsvps: [session] });
    r.send('VRAAG');
    expect(r.text).toContain('Wat wil je vragen?');
    r.send('Wanneer komt de nieuwe speeltuin?');
    expect(r.text).toContain('Waar gaat je vraag over?');
    r.send('4');
    expect(r.effects).toEqual([
      { type: 'session.question', flashId: 's1', text: 'Wanneer komt de nieuwe speeltuin?', theme: 'wonen' },
    ]);
    expect(r.text).toContain('zonder je naam');
    expect(r.state).toEqual({ flow: 'idle' });
  });

  it('thanks for a session RSVP and offers VRAAG', () => {
    const r = new Resident({ rsvps: [session] });
    r.send('ja');
    expect(r.effects).toEqual([{ type: 'flash.rsvp', flashId: 's1' }]);
    expect(r.text).toContain('herinnering');
    expect(r.text).toContain('VRAAG');
  });

  it('sends VRAAG to the next session in the area, whatever flash came last', () => {
    const r = new Resident({ rsvps: [flash()], session: { id: 's9', at: '2026-03-19T18:00:00.000Z' } });
    r.send('VRAAG');
    expect(r.state).toMatchObject({ flow: 'session_question', flashId: 's9' });
  });

  it('says there is no session when none is coming', () => {
    const r = new Resident({ rsvps: [flash({ kind: 'session', sessionAt: '2026-03-01T13:00:00.000Z' })] });
    r.send('vraag');
    expect(r.text).toContain('geen straatpraat');
    expect(r.state).toEqual({ flow: 'idle' });
  });

  it('lets the resident change their mind', () => {
    const r = new Resident({ rsvps: [session] });
    r.send('VRAAG');
    r.send('sla over');
    expect(r.effects).toEqual([]);
    expect(r.text).toContain('dan geen vraag');
  });
});
