import { describe, expect, it } from 'vitest';
import { FakeResident, joinedProfile, joinedResident, newProfile } from '../helpers/flow.js';

// NIEUWS as a pure flow: the question, the answers, and what it does where the engine is not needed.

describe('NIEUWS', () => {
  it('asks one question with the topics, then Alles and Niets, in the resident language', () => {
    const r = joinedResident({ profile: joinedProfile({ language: 'en' }) });
    r.send('news');
    expect(r.ask?.ref).toBe('nieuws');
    expect(r.ask?.multiple).toBe(true);
    expect(r.ask?.options.map((o) => o.label)).toEqual([
      'Activities',
      'Housing and neighbourhood',
      'Young people',
      'Older people',
      'Safety',
      'Everything',
      'Nothing',
    ]);
    expect(r.ask?.text).toBe('You now get news about all topics.\nWhich topics do you want news about?');
  });

  it('takes a tap on several options (a WhatsApp or Telegram poll vote)', () => {
    const r = joinedResident();
    r.send('NIEUWS');
    r.send({ kind: 'poll_vote', ref: 'nieuws', values: ['jongeren', 'veiligheid'] });
    expect(r.profile.newsTopics).toEqual(['jongeren', 'veiligheid']);
    expect(r.profile.newsOptOut).toBe(false);
    expect(r.saidText).toContain('Goed, je krijgt nu nieuws over: Jongeren, Veiligheid.');
  });

  it('every topic chosen is alles, so topics added later reach them too', () => {
    const r = joinedResident({ profile: joinedProfile({ newsTopics: ['ouderen'] }) });
    r.sendAll('NIEUWS', '1 2 3 4 5');
    expect(r.profile.newsTopics).toBeNull();
    expect(r.saidText).toContain('Goed, je krijgt nieuws over alle onderwerpen.');
  });

  it('goes back to where the resident was once answered', () => {
    const r = joinedResident();
    r.send('NIEUWS');
    expect(r.state?.flow).toBe('news');
    r.send('4');
    expect(r.profile.newsTopics).toEqual(['ouderen']);
    expect(r.state?.flow).toBe('idle');
  });

  it('without topics configured it turns news on, like NIEUWS AAN', () => {
    const r = joinedResident({ config: { newsTopics: [] }, profile: joinedProfile({ newsOptOut: true }) });
    r.send('NIEUWS');
    expect(r.profile.newsOptOut).toBe(false);
    expect(r.saidText).toMatch(/je krijgt weer nieuws/);
  });

  it('before joining it goes on with joining', () => {
    const r = new FakeResident({ profile: newProfile() });
    r.send('NIEUWS');
    expect(r.state?.flow).toBe('onboarding');
    expect(r.last.effects.some((e) => e.type === 'resident.update' && 'newsTopics' in e.patch)).toBe(false);
  });

  it('GEGEVENS names the topics, or all of them', () => {
    const chose = joinedResident({ profile: joinedProfile({ newsTopics: ['ouderen', 'activiteiten'] }) });
    chose.send('GEGEVENS');
    expect(chose.saidText).toContain('Nieuws: aan, over Activiteiten, Ouderen');
    const all = joinedResident();
    all.send('GEGEVENS');
    expect(all.saidText).toContain('Nieuws: aan, over alle onderwerpen');
  });
});
