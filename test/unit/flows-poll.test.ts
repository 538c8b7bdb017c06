import { describe, expect, it } from 'vitest';
import { questionRef } from '../../flows/poll.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { type Poll, PollSchema } from '../../flows/polls/schema.js';
import type { InboundPayload } from '../../src/domain/messages.js';
import { FakeResident, joinByTyping, joinedResident, media, tap, vote } from '../helpers/flow.js';

const FOLLOW_UP = { text: { nl: 'Wil je iets uitleggen?', en: 'Would you like to explain?' } };
const TRANSPORT = [
  { code: 'fiets', label: { nl: 'Fiets', en: 'Bike' } },
  { code: 'auto', label: { nl: 'Auto', en: 'Car' } },
  { code: 'bus', label: { nl: 'Bus', en: 'Bus' } },
  { code: 'lopen', label: { nl: 'Lopen', en: 'Walking' } },
];

/** A one-question poll of each type, with the optional follow-up. */
function proef(type: string, extra: Record<string, unknown> = {}): Poll {
  return PollSchema.parse({
    id: `proef-${type}`,
    title: { nl: 'Proef' },
    questions: [
      { id: 'vraag', type, text: { nl: `Vraag van type ${type}?` }, followUp: FOLLOW_UP, ...extra },
    ],
  });
}

const POLLS = new Map<string, Poll>([
  ...loadPolls(),
  ...[
    proef('yesno', { indicator: 'test_ja_nee' }),
    proef('scale5', { indicator: 'test_schaal' }),
    proef('grade10'),
    proef('choice', { options: TRANSPORT }),
    proef('multi', { options: TRANSPORT }),
    proef('text'),
  ].map((p) => [p.id, p] as const),
]);

/** A joined resident who was just asked the poll's first question. */
function askedPoll(pollId: string): FakeResident {
  const r = joinedResident({
    polls: POLLS,
    state: { flow: 'idle', paused: { poll: pollId, index: 0, phase: 'question', misses: 0 } },
  });
  r.send('PEILING');
  return r;
}

const ref = (type: string) => questionRef(`proef-${type}`, 'vraag');

type Row = [type: string, answer: InboundPayload | string, recorded: Record<string, unknown>];

describe('poll questions', () => {
  it.each<Row>([
    ['yesno', 'ja', { answerCode: 'ja', indicator: 'test_ja_nee' }],
    ['yesno', 'nope', { answerCode: 'nee' }],
    ['yesno', 'weet ik niet', { answerCode: 'weet_niet' }],
    ['yesno', tap(ref('yesno'), 'nee'), { answerCode: 'nee' }],
    ['yesno', vote(ref('yesno'), 'ja'), { answerCode: 'ja' }],
    ['scale5', '4', { answerCode: '4', answerNumber: 4, indicator: 'test_schaal' }],
    ['scale5', 'Ja, helemaal', { answerCode: '5', answerNumber: 5 }],
    ['scale5', '🙂', { answerCode: '4', answerNumber: 4 }],
    ['scale5', 'geen idee', { answerCode: 'weet_niet' }],
    ['scale5', tap(ref('scale5'), '2'), { answerCode: '2', answerNumber: 2 }],
    ['grade10', '7', { answerCode: '7', answerNumber: 7 }],
    ['grade10', 'acht', { answerCode: '8', answerNumber: 8 }],
    ['grade10', vote(ref('grade10'), '10'), { answerCode: '10', answerNumber: 10 }],
    ['choice', 'bus', { answerCode: 'bus' }],
    ['choice', '2', { answerCode: 'auto' }],
    ['choice', tap(ref('choice'), 'lopen'), { answerCode: 'lopen' }],
    ['multi', '1 en 3', { answerCode: 'fiets,bus' }],
    ['multi', 'lopen', { answerCode: 'lopen' }],
    ['multi', vote(ref('multi'), 'auto', 'lopen'), { answerCode: 'auto,lopen' }],
    ['text', 'Meer bankjes in het park', { text: 'Meer bankjes in het park' }],
  ])('%s: a valid answer (%j) is recorded', (type, answer, recorded) => {
    const r = askedPoll(`proef-${type}`);
    r.send(answer);
    expect(r.answers).toHaveLength(1);
    expect(r.answers[0]).toMatchObject({ poll: `proef-${type}`, question: 'vraag', ...recorded });
  });

  it.each<Row>([
    ['yesno', 'ja', { answerCode: 'ja' }],
    ['scale5', '3', { answerCode: '3', answerNumber: 3 }],
    ['grade10', '6', { answerCode: '6', answerNumber: 6 }],
    ['choice', 'fiets', { answerCode: 'fiets' }],
    ['multi', '2, 4', { answerCode: 'auto,lopen' }],
    ['text', 'De stoep is kapot', { text: 'De stoep is kapot' }],
  ])('%s: an answer understood on the second try is recorded once', (type, answer, recorded) => {
    const r = askedPoll(`proef-${type}`);
    r.send(type === 'text' ? '🤔' : 'blauw');
    expect(r.answers).toEqual([]);
    expect(r.said[0]).toMatch(/begreep/);
    if (type !== 'text') {
      expect(r.ask?.hint).toMatch(/nummer/);
      expect(r.ask?.options.length).toBeGreaterThanOrEqual(2);
    }
    r.send(answer);
    expect(r.answers).toHaveLength(1);
    expect(r.answers[0]).toMatchObject(recorded);
  });

  it.each(['yesno', 'scale5', 'grade10', 'choice', 'multi', 'text'])(
    '%s: two misses store the question as invalid and move on',
    (type) => {
      const r = askedPoll(`proef-${type}`);
      r.sendAll('🤔', '🙈');
      expect(r.answers).toHaveLength(1);
      expect(r.answers[0]).toMatchObject({ question: 'vraag', answerCode: 'invalid' });
      // No follow-up after an answer that was not understood: the poll ends.
      expect(r.saidText).toMatch(/Dank je wel voor je antwoorden/);
      expect(r.state).toEqual({ flow: 'idle' });
    },
  );

  it.each(['yesno', 'scale5', 'grade10', 'choice', 'multi'])(
    '%s: asks with the options as an ask',
    (type) => {
      const r = askedPoll(`proef-${type}`);
      expect(r.ask).toMatchObject({ ref: ref(type), multiple: type === 'multi' });
      expect(r.ask!.options.every((o) => o.value.length <= 20)).toBe(true);
    },
  );

  it('text: asks as plain text with a line on how to skip', () => {
    const r = askedPoll('proef-text');
    expect(r.last.replies.at(-1)?.kind).toBe('text');
    expect(r.saidText).toMatch(/SLA OVER/);
  });

  it.each(['sla over', 'skip'])('"%s" stores the question as skipped', (skip) => {
    const r = askedPoll('proef-scale5');
    r.send(skip);
    expect(r.answers[0]).toMatchObject({ answerCode: 'overgeslagen' });
  });

  it('a follow-up is asked after an answer, and its explanation is recorded as <id>_uitleg', () => {
    const r = askedPoll('proef-scale5');
    r.send('2');
    expect(r.saidText).toMatch(/Wil je iets uitleggen\?/);
    r.send('Er is te weinig groen');
    expect(r.answers.map((a) => a.question)).toEqual(['vraag', 'vraag_uitleg']);
    expect(r.answers[1]).toMatchObject({ text: 'Er is te weinig groen', poll: 'proef-scale5' });
    expect(r.answers[1]!.answerCode).toBeUndefined();
  });

  it.each(['nee', 'sla over', 'no thanks', tap('oud', 'x')])(
    'a follow-up answered "%s" is skipped',
    (skip) => {
      const r = askedPoll('proef-yesno');
      r.sendAll('ja', skip);
      expect(r.answers.map((a) => a.question)).toEqual(['vraag']);
      expect(r.saidText).toMatch(/Dank je wel/);
    },
  );

  it('the thank-you says what happens with the answers', () => {
    const r = askedPoll('proef-grade10');
    r.sendAll('8', 'sla over');
    expect(r.saidText).toMatch(/wijkteam leest/);
    expect(r.saidText).toMatch(/Wat we ermee doen/);
  });

  it('a button press on an older question is not an answer to the current one', () => {
    const r = askedPoll('proef-choice');
    r.send(tap(questionRef('thuis', 'thuis'), '4'));
    expect(r.answers).toEqual([]);
    expect(r.said[0]).toMatch(/begreep/);
  });

  it('a vote with several options on a single-choice question is asked again', () => {
    const r = askedPoll('proef-choice');
    r.send(vote(ref('choice'), 'fiets', 'bus'));
    expect(r.answers).toEqual([]);
  });

  it('a vote that could not be decrypted asks the question again, with how to type the answer', () => {
    const r = askedPoll('proef-choice');
    r.send({ kind: 'poll_vote', ref: ref('choice'), values: [], unreadable: true });
    expect(r.answers).toEqual([]);
    const reask = r.last.replies.at(-1)!;
    expect(reask.kind).toBe('ask');
    expect(reask.kind === 'ask' && reask.hint).toBeTruthy();
  });

  it('a vote taken back (no options) changes nothing and says nothing', () => {
    const r = askedPoll('proef-choice');
    const before = r.state;
    r.send(vote(ref('choice')));
    expect(r.last.replies).toEqual([]);
    expect(r.state).toEqual(before);
  });
});

describe('photos, voice notes and other media', () => {
  const CANNOT = /kan nog geen foto's bekijken of spraakberichten beluisteren/;

  it.each(['yesno', 'scale5', 'grade10', 'choice', 'multi', 'text'])(
    '%s: a voice note gets the kind reply, keeps the question open, and the next typed answer counts',
    (type) => {
      const r = askedPoll(`proef-${type}`);
      const before = r.state;
      r.send(media('audio'));
      expect(r.said).toHaveLength(1);
      expect(r.saidText).toMatch(CANNOT);
      expect(r.saidText).toMatch(/Tik of typ je antwoord/);
      expect(r.saidText).toMatch(/HULP/);
      expect(r.state).toEqual(before);
      expect(r.last.effects).toEqual([]);
      // Media never counts as a miss: two in a row store nothing, and a third would not either.
      r.sendAll(media('image'), media('sticker'));
      expect(r.answers).toEqual([]);
      expect(r.state).toEqual(before);
      const answer = {
        yesno: 'ja',
        scale5: '4',
        grade10: '7',
        choice: 'bus',
        multi: '1 en 3',
        text: 'Meer bankjes',
      };
      r.send(answer[type as keyof typeof answer]);
      expect(r.answers).toHaveLength(1);
      expect(r.answers[0]!.answerCode ?? r.answers[0]!.text).not.toBe('invalid');
    },
  );

  it('a photo after one miss does not make the next miss store the question as invalid', () => {
    const r = askedPoll('proef-scale5');
    r.sendAll('blauw', media('image'));
    expect(r.answers).toEqual([]);
    r.send('5');
    expect(r.answers).toEqual([expect.objectContaining({ answerCode: '5' })]);
  });

  it('a voice note instead of a follow-up keeps the follow-up open, and its typed text is recorded', () => {
    const r = askedPoll('proef-scale5');
    r.send('2');
    r.send(media('audio'));
    expect(r.saidText).toMatch(CANNOT);
    expect(r.answers.map((a) => a.question)).toEqual(['vraag']);
    r.send('Er is te weinig groen');
    expect(r.answers.map((a) => a.question)).toEqual(['vraag', 'vraag_uitleg']);
  });

  it('a voice note in the middle of veerkracht-kort: the poll goes on with the next typed answer', () => {
    const r = joinByTyping(new FakeResident({ polls: POLLS }));
    r.send('4');
    const asked = r.state;
    r.send(media('audio'));
    expect(r.saidText).toMatch(CANNOT);
    expect(r.state).toEqual(asked);
    r.sendAll('5', '2', 'Meer licht op straat');
    expect(r.answers.map((a) => [a.question, a.answerCode ?? a.text])).toEqual([
      ['thuis', '4'],
      ['hulp', '5'],
      ['vertrouwen', '2'],
      ['beter', 'Meer licht op straat'],
    ]);
  });

  it('at the menu, a photo gets one reply with a word to send and HULP', () => {
    const r = joinedResident();
    r.send(media('image'));
    expect(r.said).toHaveLength(1);
    expect(r.saidText).toMatch(CANNOT);
    expect(r.saidText).toMatch(/IDEE/);
    expect(r.saidText).toMatch(/HULP/);
    expect(r.state).toEqual({ flow: 'idle' });
    expect(r.last.effects).toEqual([]);
  });

  it('at the menu with a paused poll, a sticker also says the questions are still open', () => {
    const paused = { poll: 'proef-yesno', index: 0, phase: 'question' as const, misses: 0 };
    const r = joinedResident({ polls: POLLS, state: { flow: 'idle', paused } });
    r.send(media('sticker'));
    expect(r.saidText).toMatch(CANNOT);
    expect(r.saidText).toMatch(/PEILING/);
    expect(r.state).toEqual({ flow: 'idle', paused });
  });

  it('speaks the resident’s language', () => {
    const r = joinedResident({ profile: { ...joinedResident().profile, language: 'en' } });
    r.send(media('audio'));
    expect(r.saidText).toMatch(/cannot look at photos or listen to voice messages yet/);
    expect(r.saidText).toMatch(/HELP/);
  });

  it('while joining, a photo keeps the pending question open', () => {
    const r = new FakeResident({ polls: POLLS });
    r.sendAll('hallo', '1');
    const asked = r.state;
    r.send(media('image'));
    expect(r.saidText).toMatch(CANNOT);
    expect(r.state).toEqual(asked);
    r.sendAll('ja', '1', '3');
    expect(r.profile.consentAt).not.toBeNull();
  });
});

describe('the onboarding poll veerkracht-kort', () => {
  it('asks thuis, hulp and vertrouwen in a row, then the optional text question', () => {
    const r = joinByTyping(new FakeResident({ polls: POLLS }));
    r.sendAll('4', '5', '2', 'Meer licht op straat');
    expect(r.answers.map((a) => [a.question, a.indicator, a.answerCode ?? a.text])).toEqual([
      ['thuis', 'thuis_in_buurt', '4'],
      ['hulp', 'toegang_hulp', '5'],
      ['vertrouwen', 'vertrouwen_instituties', '2'],
      ['beter', undefined, 'Meer licht op straat'],
    ]);
    expect(r.answers.every((a) => a.poll === 'veerkracht-kort')).toBe(true);
    expect(r.state).toEqual({ flow: 'idle' });
  });

  it('is not started when the onboarding poll is switched off', () => {
    const r = joinByTyping(new FakeResident({ config: { onboardingPoll: false } }));
    expect(r.state).toEqual({ flow: 'idle' });
  });

  it('never asks an answered question again', () => {
    const r = joinByTyping();
    const asked: string[] = [];
    for (const answer of ['4', tap(questionRef('veerkracht-kort', 'thuis'), '4'), '3', '3', 'sla over']) {
      r.send(answer);
      asked.push(...r.last.replies.flatMap((m) => (m.kind === 'ask' ? [m.ref] : [])));
    }
    expect(asked.filter((a) => a.endsWith(':thuis'))).toEqual([]);
    expect(r.answers.filter((a) => a.question === 'thuis')).toHaveLength(1);
  });

  it('a keyword in the middle of the poll is handled, and says how to continue', () => {
    const r = joinByTyping();
    r.send('4');
    r.send('HULP');
    expect(r.saidText).toContain('Servicepunt Nazareth');
    expect(r.saidText).toMatch(/PEILING/);
    // HULP ends with the offer of a message from the wijkteam; the poll stays paused behind it.
    expect(r.state).toMatchObject({ flow: 'help_offer', paused: { index: 1 } });
    r.send('PEILING');
    expect(r.ask?.text).toMatch(/hulp nodig hebt/);
    r.send('5');
    expect(r.answers.map((a) => a.question)).toEqual(['thuis', 'hulp']);
  });

  it('START resumes a paused poll too', () => {
    const r = joinByTyping();
    r.sendAll('4', 'GEGEVENS', 'START');
    expect(r.ask?.text).toMatch(/hulp nodig hebt/);
  });

  it('a typed answer while the poll is paused is not taken as an answer', () => {
    const r = joinByTyping();
    r.sendAll('4', 'hulp', '5');
    expect(r.answers).toHaveLength(1);
    expect(r.saidText).toMatch(/PEILING/);
  });

  it('a tap on the paused question, still on screen, answers it', () => {
    const r = joinByTyping();
    r.sendAll('4', 'hulp', tap(questionRef('veerkracht-kort', 'hulp'), '5'));
    expect(r.answers.map((a) => [a.question, a.answerCode])).toEqual([
      ['thuis', '4'],
      ['hulp', '5'],
    ]);
    expect(r.ask?.text).toMatch(/vertrouwen/);
  });

  it('an idea in the middle of the poll returns to the paused poll afterwards', () => {
    const r = joinByTyping();
    r.sendAll('4', 'IDEE', 'Een moestuin bij de school', '4');
    expect(r.effects).toContainEqual({
      type: 'idea.store',
      text: 'Een moestuin bij de school',
      theme: 'wonen',
    });
    expect(r.saidText).toMatch(/PEILING/);
    r.send('peiling');
    expect(r.ask?.text).toMatch(/hulp nodig hebt/);
  });

  it('is asked in English to an English resident', () => {
    const r = new FakeResident();
    r.sendAll('hello', 'yes', 'yes', '1', '3');
    expect(r.ask?.text).toBe('Do you feel at home in your neighbourhood?');
    expect(r.ask?.options.map((o) => o.label)).toEqual([
      'No, not at all',
      'Not really',
      'Sometimes',
      'Yes, mostly',
      'Yes, completely',
    ]);
  });

  it('a poll withdrawn while paused ends politely', () => {
    const r = joinedResident({
      state: { flow: 'idle', paused: { poll: 'weg', index: 0, phase: 'question', misses: 0 } },
    });
    r.send('PEILING');
    expect(r.saidText).toMatch(/geen vragen/);
    expect(r.state).toEqual({ flow: 'idle' });
  });
});
