import { describe, expect, it } from 'vitest';
import { DRAFT_FLOWS, withoutDraft } from '../../flows/state.js';
import {
  command,
  FakeResident,
  joinByTyping,
  joinedProfile,
  joinedResident,
  newProfile,
  storedData,
  tap,
} from '../helpers/flow.js';

describe('keywords in Dutch and English', () => {
  it.each([
    ['STOP', 'nl'],
    ['afmelden', 'nl'],
    ['Stop', 'en'],
  ] as const)('%s stops all messages and confirms in one line', (word, lang) => {
    const r = joinedResident({ profile: joinedProfile({ language: lang }) });
    r.send(word);
    expect(r.profile.status).toBe('stopped');
    expect(r.last.replies).toHaveLength(1);
    expect(r.saidText).toMatch(lang === 'nl' ? /afgemeld/ : /stopped/);
  });

  it('a second STOP does not send a second confirmation', () => {
    const r = joinedResident();
    r.sendAll('stop', 'stop');
    expect(r.last.replies).toEqual([]);
    expect(r.last.effects).toEqual([]);
  });

  it('while stopped, any other message gets one short line on how to start again', () => {
    const r = joinedResident();
    r.sendAll('stop', 'hoe gaat het?');
    expect(r.last.replies).toHaveLength(1);
    expect(r.saidText).toMatch(/START/);
    r.send('IDEE');
    expect(r.saidText).toMatch(/START/);
    expect(r.state).toEqual({ flow: 'idle' });
  });

  it.each(['START', 'aanmelden', command('start')])('%s reactivates a stopped resident', (word) => {
    const r = joinedResident();
    r.sendAll('stop', word);
    expect(r.profile.status).toBe('active');
    expect(r.saidText).toMatch(/Welkom terug/);
  });

  it.each(['START', 'start', command('start')])('%s tells a joined resident they are in already', (word) => {
    const r = joinedResident();
    r.send(word);
    expect(r.saidText).toMatch(/Je doet al mee/);
    expect(r.last.effects).toEqual([]);
  });

  it.each([
    ['STOP NIEUWS', 'nl'],
    ['stop news', 'en'],
  ] as const)('%s turns news off but keeps polls', (word, lang) => {
    const r = joinedResident({ profile: joinedProfile({ language: lang }) });
    r.send(word);
    expect(r.profile.newsOptOut).toBe(true);
    expect(r.profile.status).toBe('active');
    expect(r.saidText).toMatch(
      lang === 'nl' ? /Vragen over je buurt krijg je nog wel/ : /still get questions/,
    );
  });

  it.each([
    ['STOP NIEUWS', 'nl', /Weer nieuws\? Stuur NIEUWS AAN\./],
    ['stop news', 'en', /News again\? Send NEWS ON\./],
  ] as const)('the %s confirmation says how to turn news back on', (word, lang, how) => {
    const r = joinedResident({ profile: joinedProfile({ language: lang }) });
    r.send(word);
    expect(r.saidText).toMatch(how);
  });

  it.each([
    ['NIEUWS AAN', 'nl', /je krijgt weer nieuws/],
    ['nieuws weer aan', 'nl', /je krijgt weer nieuws/],
    ['News on', 'en', /news from us again/],
  ] as const)('%s turns news back on after STOP NIEUWS', (word, lang, said) => {
    const r = joinedResident({ profile: joinedProfile({ language: lang }) });
    r.sendAll('STOP NIEUWS', word);
    expect(r.profile.newsOptOut).toBe(false);
    expect(r.saidText).toMatch(said);
  });

  it('NIEUWS AAN with news on already changes nothing', () => {
    const r = joinedResident();
    r.send('NIEUWS AAN');
    expect(r.last.effects).toEqual([]);
    expect(r.profile.newsOptOut).toBe(false);
  });

  it.each([
    ['HULP', 'nl', 'Servicepunt Nazareth'],
    ['help', 'en', 'Servicepunt Nazareth'],
  ] as const)('%s shows the service point of the area and the keywords', (word, lang, point) => {
    const r = joinedResident({ profile: joinedProfile({ language: lang }) });
    r.send(word);
    // The help, then the offer of a message from the wijkteam.
    expect(r.last.replies).toHaveLength(2);
    expect(r.ask?.ref).toBe('hulpvraag');
    const text = r.said[0]!;
    expect(text).toContain(point);
    expect(text).toContain('Plein 1, Maastricht');
    expect(text).toContain(lang === 'nl' ? 'ma–vr 9–12 uur' : 'Mon–Fri 9–12');
    expect(text).toContain('043 000 0001');
    expect(text).not.toContain('Pottenberg');
    for (const keyword of lang === 'nl'
      ? ['IDEE', 'TAAL', 'BUURT', 'GEGEVENS', 'VERWIJDER', 'STOP NIEUWS']
      : ['IDEA', 'LANGUAGE', 'AREA', 'MY DATA', 'DELETE', 'STOP NEWS']) {
      expect(text).toContain(keyword);
    }
  });

  it('HULP shows only the fields a service point has', () => {
    const r = joinedResident({ profile: joinedProfile({ area: 'pottenberg' }) });
    r.send('hulp');
    expect(r.saidText).toContain('Servicepunt Pottenberg');
    expect(r.saidText).toContain('Straat 2');
    expect(r.saidText).not.toMatch(/Telefoon|Open:/);
  });

  it.each(['elders', 'geen', null] as const)(
    'HULP shows both service points to residents with area %s',
    (area) => {
      const r = joinedResident({ profile: joinedProfile({ area }) });
      r.send('HULP');
      expect(r.saidText).toContain('Servicepunt Nazareth');
      expect(r.saidText).toContain('Servicepunt Pottenberg');
    },
  );

  it('HULP without any configured service point still helps', () => {
    const r = joinedResident({ config: { servicePoints: {} } });
    r.send('HULP');
    expect(r.saidText).toMatch(/wijkteam/);
    expect(r.saidText).toContain('IDEE');
  });

  it.each([
    ['IDEE', 'Wat is je idee?'],
    ['idea', 'Wat is je idee?'],
  ])('%s starts the idea flow', (word, question) => {
    const r = joinedResident();
    r.send(word);
    expect(r.saidText).toContain(question);
    expect(r.state).toMatchObject({ flow: 'idea', step: 'text' });
  });

  it.each(['TAAL', 'language'])('%s changes the language with one tap', (word) => {
    const r = joinedResident();
    r.send(word);
    expect(r.ask?.ref).toBe('taal');
    r.send(tap('taal', 'en'));
    expect(r.profile.language).toBe('en');
    expect(r.saidText).toMatch(/English/);
  });

  it('TAAL keeps the language when the answer is not understood twice', () => {
    const r = joinedResident();
    r.sendAll('TAAL', 'klingon', 'vulcan');
    expect(r.profile.language).toBe('nl');
    expect(r.saidText).toMatch(/niets veranderd/);
    expect(r.state).toEqual({ flow: 'idle' });
  });

  it.each(['BUURT', 'area'])('%s changes the area', (word) => {
    const r = joinedResident();
    r.sendAll(word, 'pottenberg');
    expect(r.profile.area).toBe('pottenberg');
    expect(r.saidText).toMatch(/Pottenberg/);
  });

  it.each([
    ['GEGEVENS', 'nl'],
    ['my data', 'en'],
  ] as const)('%s shows exactly what is stored, and what is not', (word, lang) => {
    const r = joinedResident({
      profile: joinedProfile({ language: lang, newsOptOut: true }),
      storedData: storedData({
        answers: [
          {
            poll: 'thuis',
            question: 'thuis',
            answerCode: null,
            answerNumber: null,
            text: null,
            week: '2026-03-02',
          },
        ],
        messages: 17,
      }),
    });
    r.send(word);
    const text = r.saidText;
    if (lang === 'nl') {
      for (const part of [
        'Kanaal: Telegram',
        'Taal: Nederlands',
        'Buurt: Nazareth',
        'Leeftijd: 27–40',
        'Toestemming: gegeven op 3 maart 2026',
        'Nieuws: uit',
        'Status: je doet mee',
        'Je 1 antwoord',
        'We bewaren 17 berichten tussen jou en ons.',
        'Dit bewaren we niet',
      ]) {
        expect(text).toContain(part);
      }
    } else {
      for (const part of [
        'Channel: Telegram',
        'Language: English',
        'Consent: given on 3 March 2026',
        'News: off',
      ]) {
        expect(text).toContain(part);
      }
      expect(text).toMatch(/do not store/);
    }
  });

  it('GEGEVENS shows only the profile when the engine gives no copy', () => {
    const r = joinedResident();
    r.send('gegevens');
    expect(r.saidText).toMatch(/Dit bewaren we over jou/);
    expect(r.saidText).not.toMatch(/Je \d+ antwoord|geen antwoorden gegeven/);
  });

  it('GEGEVENS before joining shows that nothing is filled in yet, then joining continues', () => {
    const r = new FakeResident();
    r.sendAll('hallo', 'gegevens');
    expect(r.said[0]).toMatch(/Buurt: niet ingevuld/);
    expect(r.said[0]).toMatch(/Toestemming: nog niet gegeven/);
    expect(r.ask?.ref).toBe('taal');
  });

  it.each([
    ['VERWIJDER', 'ja'],
    ['delete', 'yes'],
    ['verwijder', tap('verwijder', 'ja')],
  ])('%s asks to confirm; %s erases everything and confirms', (word, yes) => {
    const r = joinedResident();
    r.send(word);
    expect(r.ask?.ref).toBe('verwijder');
    expect(r.last.effects).toEqual([]);
    r.send(yes);
    expect(r.last.effects).toEqual([{ type: 'resident.erase' }]);
    expect(r.saidText).toMatch(/gewist/);
  });

  it.each(['nee', 'no', tap('verwijder', 'nee')])('VERWIJDER then %s deletes nothing', (no) => {
    const r = joinedResident();
    r.sendAll('VERWIJDER', no);
    expect(r.erased).toBe(false);
    expect(r.saidText).toMatch(/niets gewist/);
    expect(r.state).toEqual({ flow: 'idle' });
  });

  it('VERWIJDER works for a stopped resident too', () => {
    const r = joinedResident();
    r.sendAll('stop', 'verwijder', 'ja');
    expect(r.erased).toBe(true);
  });

  it('VERWIJDER before consent can erase the little that is known', () => {
    const r = new FakeResident();
    r.sendAll('hallo', '1', 'verwijder', 'ja');
    expect(r.erased).toBe(true);
  });

  it('VERWIJDER answered unclearly twice deletes nothing', () => {
    const r = joinedResident();
    r.sendAll('VERWIJDER', 'hmm', 'hmm');
    expect(r.erased).toBe(false);
    expect(r.saidText).toMatch(/niets gewist/);
  });

  it.each(['PEILING', 'poll'])('%s without an open poll says there is none now', (word) => {
    const r = joinedResident();
    r.send(word);
    expect(r.saidText).toMatch(/geen vragen/);
  });

  it('keywords ignore case, accents and punctuation', () => {
    for (const word of ['  Hulp! ', 'HÚLP', 'hulp.']) {
      const r = joinedResident();
      r.send(word);
      expect(r.saidText).toContain('Servicepunt Nazareth');
    }
  });

  it('a keyword beats an answer: "stop" during a poll stops', () => {
    const r = new FakeResident({ profile: newProfile() });
    r.sendAll('hallo', '1', 'ja', '1', '3', 'stop');
    expect(r.profile.status).toBe('stopped');
    expect(r.answers).toEqual([]);
  });

  it('keywords work as Telegram commands', () => {
    const r = joinedResident();
    r.send(command('help'));
    expect(r.saidText).toContain('Servicepunt Nazareth');
    r.send(command('stop'));
    expect(r.profile.status).toBe('stopped');
  });

  it('an unknown command from a joined resident gets the friendly menu line', () => {
    const r = joinedResident();
    r.send(command('flash', 'hallo'));
    expect(r.saidText).toMatch(/IDEE/);
  });
});

describe('idle messages', () => {
  it.each(['hmm', 'ok dan', 'hallo daar!', '🙂', 'wat is dit', 'ok?', '/flash Gratis taart voor iedereen'])(
    'short noise (%j) gets one friendly line listing what the resident can do',
    (text) => {
      const r = joinedResident();
      r.send(text);
      expect(r.last.replies).toHaveLength(1);
      expect(r.saidText).toMatch(/IDEE/);
      expect(r.saidText).toMatch(/HULP/);
      expect(r.last.effects).toEqual([]);
      expect(r.state).toEqual({ flow: 'idle' });
    },
  );

  it.each(['Wanneer wordt het park opgeknapt?', 'wie kan helpen?', 'ik heb een probleem met mijn huur'])(
    'a question the bot cannot place (%j) gets the offer of an answer from the wijkteam',
    (text) => {
      const r = joinedResident();
      r.send(text);
      expect(r.last.replies).toHaveLength(1);
      expect(r.saidText).toMatch(
        /^Ik begrijp je vraag niet\. Wil je dat iemand van het wijkteam je antwoordt\?/,
      );
      expect(r.ask?.options.map((o) => o.label)).toEqual(['Ja, graag', 'Nee, dank je']);
      expect(r.last.effects).toEqual([]);
    },
  );

  it('ja to that offer opens a help request with the question as its subject', () => {
    const r = joinedResident();
    r.sendAll('Wanneer wordt het park opgeknapt?', 'ja');
    expect(r.last.effects).toEqual([
      { type: 'desk', action: { kind: 'help.open', subject: 'Wanneer wordt het park opgeknapt?' } },
    ]);
    expect(r.saidText).toMatch(/Iemand van het wijkteam stuurt je een bericht/);
    expect(r.state).toEqual({ flow: 'idle' });
  });

  it('in English too', () => {
    const r = joinedResident({ profile: joinedProfile({ language: 'en' }) });
    r.send('Where can I get help with my debts?');
    expect(r.saidText).toMatch(/I do not understand your question/);
    r.send('yes');
    expect(r.last.effects).toMatchObject([{ type: 'desk', action: { kind: 'help.open' } }]);
  });

  it('nee to that offer goes back without a request', () => {
    const r = joinedResident();
    r.sendAll('Wanneer wordt het park opgeknapt?', 'nee');
    expect(r.last.effects).toEqual([]);
    expect(r.saidText).toMatch(/Stuur HULP/);
    expect(r.state).toEqual({ flow: 'idle' });
  });

  it('anything else after that offer is handled as usual, and a keyword still wins', () => {
    const r = joinedResident();
    r.sendAll('Wanneer wordt het park opgeknapt?', 'hmm');
    expect(r.saidText).toMatch(/IDEE/);
    expect(r.state).toEqual({ flow: 'idle' });
    r.sendAll('Wanneer wordt het park opgeknapt?', 'IDEE');
    expect(r.state).toMatchObject({ flow: 'idea' });
    expect(r.effects.filter((e) => e.type === 'desk')).toEqual([]);
  });

  it('a question waiting for ja is a draft: the retention purge drops its text', () => {
    const paused = { poll: 'thuis', index: 1, phase: 'question' as const, misses: 0 };
    const waiting = { flow: 'unplaced_question' as const, text: 'Waar kan ik terecht?', paused };
    expect(DRAFT_FLOWS.has('unplaced_question')).toBe(true);
    expect(withoutDraft(waiting)).toEqual({ flow: 'idle', paused });
  });

  it('text the bot cannot place keeps a paused poll to come back to', () => {
    // Joined by typing: the onboarding poll is open, its second question is paused by HULP.
    const r = joinByTyping();
    r.sendAll('4', 'HULP', 'nee');
    const paused = r.state;
    expect(paused).toMatchObject({ flow: 'idle', paused: { poll: expect.any(String) } });
    r.send('Wanneer wordt het park opgeknapt?');
    expect(r.saidText).toMatch(/PEILING[\s\S]*Wil je dat iemand/);
    r.send('ja');
    expect(r.state).toEqual(paused);
  });

  it('text the bot cannot place gets one friendly line listing what the resident can do', () => {
    const r = joinedResident();
    r.send('pizza');
    expect(r.last.replies).toHaveLength(1);
    expect(r.saidText).toMatch(/IDEE/);
    expect(r.saidText).toMatch(/HULP/);
    expect(r.last.effects).toEqual([]);
  });

  it('a button from an old question is handled gracefully', () => {
    const r = joinedResident();
    r.send(tap('q:thuis:thuis', '4'));
    expect(r.saidText).toMatch(/IDEE/);
    expect(r.last.effects).toEqual([]);
  });
});

describe('a stopped resident', () => {
  it('cannot be erased by a late "ja" after another keyword', () => {
    const r = joinedResident();
    r.sendAll('stop', 'verwijder', 'IDEE', 'ja');
    expect(r.erased).toBe(false);
    expect(r.saidText).toMatch(/START/);
  });

  it('can still see their data', () => {
    const r = joinedResident();
    r.sendAll('stop', 'GEGEVENS');
    expect(r.saidText).toMatch(/Status: afgemeld/);
    expect(r.last.replies).toHaveLength(1);
  });

  it('keeps no paused poll to come back to: STOP leaves nothing but the stop', () => {
    const r = joinedResident({
      state: { flow: 'poll', progress: { poll: 'veerkracht-kort', index: 1, phase: 'question', misses: 0 } },
    });
    r.send('stop');
    expect(r.state).toEqual(expect.objectContaining({ flow: 'idle' }));
    expect(r.state).not.toHaveProperty('paused');
  });
});
