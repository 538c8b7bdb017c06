import { describe, expect, it } from 'vitest';
import { joinedProfile, joinedResident, tap } from '../helpers/flow.js';

describe('ideas', () => {
  it.each([
    ['1', 'gezondheid'],
    ['geld en werk', 'geld_werk'],
    ['leren', 'leren'],
    [tap('thema', 'wonen'), 'wonen'],
    ['iets anders', 'anders'],
    ['5', 'anders'],
  ])('stores the raw idea with the theme chosen by %j', (theme, code) => {
    const r = joinedResident();
    r.sendAll('IDEE', 'Een bankje bij de bushalte, bel me op 06-12345678');
    expect(r.ask?.ref).toBe('thema');
    expect(r.ask?.options.map((o) => o.value)).toEqual([
      'gezondheid',
      'geld_werk',
      'leren',
      'wonen',
      'anders',
    ]);
    r.send(theme);
    expect(r.last.effects).toEqual([
      { type: 'idea.store', text: 'Een bankje bij de bushalte, bel me op 06-12345678', theme: code },
    ]);
    expect(r.state).toEqual({ flow: 'idle' });
  });

  it('thanks the resident and says what happens next', () => {
    const r = joinedResident();
    r.sendAll('idee', 'Meer groen', '4');
    expect(r.saidText).toMatch(/wijkteam leest elk idee/);
    expect(r.saidText).toMatch(/via deze chat/);
  });

  it('works in English', () => {
    const r = joinedResident({ profile: joinedProfile({ language: 'en' }) });
    r.sendAll('IDEA', 'A vegetable garden', 'housing');
    expect(r.last.effects).toEqual([{ type: 'idea.store', text: 'A vegetable garden', theme: 'wonen' }]);
    expect(r.saidText).toMatch(/Thank you for your idea/);
  });

  it('keeps a long idea whole: the engine caps it', () => {
    const long = 'Een idee. '.repeat(500);
    const r = joinedResident();
    r.sendAll('IDEE', long, '5');
    expect(r.last.effects).toEqual([{ type: 'idea.store', text: long.trim(), theme: 'anders' }]);
  });

  it('asks the theme once more, then keeps the idea under "iets anders"', () => {
    const r = joinedResident();
    r.sendAll('IDEE', 'Een speeltuin', 'paars');
    expect(r.said[0]).toMatch(/begreep/);
    expect(r.last.effects).toEqual([]);
    r.send('groen');
    expect(r.last.effects).toEqual([{ type: 'idea.store', text: 'Een speeltuin', theme: 'anders' }]);
  });

  it('a button instead of the idea text asks for the idea again', () => {
    const r = joinedResident();
    r.sendAll('IDEE', tap('q:thuis:thuis', '4'));
    expect(r.saidText).toMatch(/Schrijf je idee/);
    expect(r.state).toMatchObject({ flow: 'idea', step: 'text' });
  });

  it('"nee" instead of an idea ends the idea flow without storing anything', () => {
    const r = joinedResident();
    r.sendAll('IDEE', 'nee');
    expect(r.effects).toEqual([]);
    expect(r.saidText).toMatch(/IDEE/);
    expect(r.state).toEqual({ flow: 'idle' });
  });

  it('a keyword while writing an idea is handled and the idea is dropped', () => {
    const r = joinedResident();
    r.sendAll('IDEE', 'HULP');
    expect(r.saidText).toContain('Servicepunt Nazareth');
    // What stays is HULP's offer of a message from the wijkteam, not the idea.
    expect(r.state).toEqual({ flow: 'help_offer' });
    expect(r.effects).toEqual([]);
  });

  it('IDEE in the middle of joining returns to the joining question afterwards', () => {
    const r = joinedResident({
      profile: joinedProfile({ area: null, ageGroup: null }),
      state: { flow: 'onboarding', join: { step: 'area' }, misses: 0 },
    });
    r.sendAll('IDEE', 'Een buurtfeest', '5');
    expect(r.ask?.ref).toBe('buurt');
  });
});
