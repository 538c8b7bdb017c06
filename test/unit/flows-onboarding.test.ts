import { describe, expect, it } from 'vitest';
import type { InboundPayload } from '../../src/domain/messages.js';
import { command, FakeResident, joinByTyping, newProfile, tap } from '../helpers/flow.js';

/** Bot messages sent while joining: everything before the onboarding poll's intro. */
function joiningMessages(resident: FakeResident): number {
  const intro = resident.replies.findIndex(
    (r) => r.kind === 'text' && r.text.startsWith('Nu vier korte vragen'),
  );
  return intro === -1 ? resident.replies.length : intro;
}

describe('joining', () => {
  it('welcomes a first message as a bot of the wijkteam and the municipality, then asks the language', () => {
    const r = new FakeResident();
    r.send('hallo');
    expect(r.last.replies).toHaveLength(2);
    expect(r.said[0]).toMatch(/wijkteam/);
    expect(r.said[0]).toMatch(/gemeente/);
    expect(r.said[0]).toMatch(/computer, geen mens/);
    expect(r.ask?.ref).toBe('taal');
    // Every language named in itself: Dutch, English, then the others by code.
    expect(r.ask?.options.map((o) => o.label)).toEqual([
      'Nederlands',
      'English',
      'العربية',
      'Polski',
      'Türkçe',
    ]);
    expect(r.last.effects).toEqual([]);
  });

  it('takes at most six bot messages on the happy path before the poll starts', () => {
    const r = joinByTyping();
    expect(joiningMessages(r)).toBeLessThanOrEqual(6);
    expect(r.profile).toMatchObject({
      language: 'nl',
      area: 'nazareth',
      ageGroup: '27-40',
      consentVersion: 'test-1',
      consentAt: '2026-03-10T12:00:00.000Z',
      consentRefusedAt: null,
      status: 'active',
    });
    expect(r.state).toMatchObject({ flow: 'poll', progress: { poll: 'veerkracht-kort', index: 0 } });
    expect(r.said.at(-1)).toMatch(/Voel je je thuis in je buurt\?/);
  });

  it('joins with button presses as well as typed answers', () => {
    const r = new FakeResident();
    r.sendAll(
      'hoi',
      tap('taal', 'nl'),
      tap('toestemming', 'ja'),
      tap('buurt', 'pottenberg'),
      tap('leeftijd', '65plus'),
    );
    expect(r.profile).toMatchObject({ language: 'nl', area: 'pottenberg', ageGroup: '65plus' });
    expect(r.profile.consentAt).not.toBeNull();
  });

  it('understands typed words, not only numbers', () => {
    const r = new FakeResident();
    r.sendAll('hallo', 'nederlands', 'ja hoor', 'pottenberg', '70 jaar');
    expect(r.profile).toMatchObject({ language: 'nl', area: 'pottenberg', ageGroup: '65plus' });
  });

  it('ends with one line about the keywords', () => {
    const r = new FakeResident({ config: { onboardingPoll: false } });
    r.sendAll('hallo', '1', 'ja', '1', '3');
    expect(r.last.replies).toHaveLength(1);
    expect(r.saidText).toMatch(/HULP/);
    expect(r.state).toEqual({ flow: 'idle' });
  });

  it('guesses English from "hello" and asks in English', () => {
    const r = new FakeResident();
    r.send('Hello!');
    expect(r.said[0]).toMatch(/computer, not a person/);
    r.send('yes');
    expect(r.profile.language).toBe('en');
    expect(r.saidText).toMatch(/Do you want to take part\?/);
  });

  it.each([
    ['hi', 'en'],
    ['good morning', 'en'],
    ['hallo', 'nl'],
    ['goedemorgen', 'nl'],
    ['Hallo Straatpraat Nazareth', 'nl'],
    ['👋', 'nl'],
  ])('guesses the language of "%s" as %s', (text, lang) => {
    const r = new FakeResident();
    r.send(text);
    r.send('ja');
    expect(r.profile.language).toBe(lang);
  });

  it('uses the platform language hint when the first message says nothing', () => {
    const r = new FakeResident({ languageHint: 'en-GB' });
    r.send(command('start'));
    expect(r.said[0]).toMatch(/not a person/);
  });

  it('lets the resident pick the other language than guessed', () => {
    const r = new FakeResident();
    r.sendAll('hello', tap('taal', 'nl'));
    expect(r.profile.language).toBe('nl');
    expect(r.saidText).toMatch(/Doe je mee\?/);
  });

  it('states in the consent question what is stored, how to stop and delete, and the privacy link', () => {
    const r = new FakeResident();
    r.sendAll('hallo', '1');
    const consent = r.saidText;
    expect(consent).toMatch(/buurt/);
    expect(consent).toMatch(/leeftijdsgroep/);
    expect(consent).toMatch(/antwoorden/);
    expect(consent).toMatch(/telefoonnummer/);
    expect(consent).toMatch(/STOP/);
    expect(consent).toMatch(/VERWIJDER/);
    expect(consent).toMatch(/https:\/\/example\.org\/privacy/);
    expect(r.ask?.ref).toBe('toestemming');
  });

  it.each<[string, InboundPayload]>([
    ['/start nazareth', command('start', 'nazareth')],
    ['/start pottenberg', command('start', 'pottenberg')],
  ])('a join link (%s) sets the area and skips the area question', (_, first) => {
    const r = new FakeResident();
    r.sendAll(first, '1', 'ja');
    expect(r.ask?.ref).toBe('leeftijd');
    const area = (first as { args: string }).args;
    expect(r.profile.area).toBe(area);
    expect(r.profile.joinSource).toBe(`telegram:${area}`);
    r.send('sla over');
    expect(joiningMessages(r)).toBeLessThanOrEqual(5);
  });

  it('a WhatsApp join link text ("Hallo Straatpraat Nazareth") sets the area and the source', () => {
    const r = new FakeResident({ profile: newProfile({ channel: 'whatsapp' }) });
    r.sendAll('Hallo Straatpraat Nazareth', '1', 'ja');
    expect(r.ask?.ref).toBe('leeftijd');
    expect(r.profile).toMatchObject({ area: 'nazareth', joinSource: 'link:nazareth' });
  });

  it.each<[string, InboundPayload, string | null, string]>([
    [
      '/start nazareth_poster-trefpunt',
      command('start', 'nazareth_poster-trefpunt'),
      'nazareth',
      'telegram:nazareth#poster-trefpunt',
    ],
    [
      '/start join_nazareth-info-2027-01',
      command('start', 'join_nazareth-info-2027-01'),
      null,
      'telegram:join#nazareth-info-2027-01',
    ],
  ])('a flyer link with a source code (%s) keeps the code with the join source', (_, first, area, source) => {
    const r = new FakeResident();
    r.sendAll(first, '1', 'ja');
    expect(r.ask?.ref).toBe(area ? 'leeftijd' : 'buurt');
    expect(r.profile.area).toBe(area);
    expect(r.profile.joinSource).toBe(source);
  });

  it.each([
    ['Hallo Straatpraat Nazareth #poster-trefpunt', 'nazareth', 'link:nazareth#poster-trefpunt'],
    // The code names an area, the link does not: the area question is still asked.
    ['Hallo Straatpraat #nazareth-info-2027-01', null, 'link:join#nazareth-info-2027-01'],
  ])('a WhatsApp flyer text (%s) keeps the source code', (text, area, source) => {
    const r = new FakeResident({ profile: newProfile({ channel: 'whatsapp' }) });
    r.sendAll(text, '1', 'ja');
    expect(r.ask?.ref).toBe(area ? 'leeftijd' : 'buurt');
    expect(r.profile).toMatchObject({ area, joinSource: source });
  });

  it('tells a console resident to send the number, and a Telegram resident to tap', () => {
    const console = new FakeResident({ profile: newProfile({ channel: 'console' }) });
    console.send('hallo');
    expect(console.ask?.hint).toBe('Stuur het nummer van je antwoord.');
    expect(console.ask?.hint).not.toMatch(/Tik/);
    const telegram = new FakeResident();
    telegram.send('hallo');
    expect(telegram.ask?.hint).toMatch(/^Tik op je antwoord/);
  });

  it('does not store the area of a join link before consent', () => {
    const r = new FakeResident();
    r.sendAll(command('start', 'nazareth'), '1', 'nee');
    expect(r.profile.area).toBeNull();
    expect(r.profile.joinSource).toBeNull();
  });

  it('stores only the refusal and the language when consent is refused', () => {
    const r = new FakeResident();
    r.sendAll('hallo', '1', 'nee');
    expect(r.saidText).toMatch(/START/);
    expect(r.profile).toMatchObject({
      language: 'nl',
      consentAt: null,
      consentRefusedAt: '2026-03-10T12:00:00.000Z',
      area: null,
      ageGroup: null,
    });
    const patches = r.effects.flatMap((e) => (e.type === 'resident.update' ? Object.keys(e.patch) : []));
    expect(new Set(patches)).toEqual(new Set(['language', 'consentRefusedAt']));
    expect(r.answers).toEqual([]);
  });

  it('after a refusal answers later messages with one line, and START asks consent again', () => {
    const r = new FakeResident();
    r.sendAll('hallo', '1', 'nee', 'hoi');
    expect(r.last.replies).toHaveLength(1);
    expect(r.saidText).toMatch(/Stuur START/);
    r.send('START');
    expect(r.ask?.ref).toBe('toestemming');
    r.sendAll('ja', '2', '6');
    expect(r.profile).toMatchObject({ area: 'pottenberg', ageGroup: 'geen', consentRefusedAt: null });
    expect(r.profile.consentAt).not.toBeNull();
  });

  it.each(['sla over', '6', 'skip', tap('leeftijd', 'geen')])(
    'the age question can be skipped (%s)',
    (skip) => {
      const r = new FakeResident();
      r.sendAll('hallo', '1', 'ja', '1', skip);
      expect(r.profile.ageGroup).toBe('geen');
      expect(r.state).toMatchObject({ flow: 'poll' });
    },
  );

  it('asks once more when an answer is not understood, then goes on without an optional one', () => {
    const r = new FakeResident();
    r.sendAll('hallo', '1', 'ja', 'banaan');
    expect(r.said[0]).toMatch(/begreep/);
    expect(r.ask?.ref).toBe('buurt');
    expect(r.ask?.hint).toMatch(/nummer/);
    r.send('appel');
    expect(r.ask?.ref).toBe('leeftijd');
    expect(r.profile.area).toBeNull();
  });

  it('never assumes consent: an unclear answer asks again', () => {
    const r = new FakeResident();
    r.sendAll('hallo', '1', 'misschien', 'weet niet');
    expect(r.ask?.ref).toBe('toestemming');
    expect(r.profile.consentAt).toBeNull();
  });

  it('keeps asking for consent however often the answer is unclear', () => {
    const r = new FakeResident();
    r.sendAll('hallo', '1');
    for (let i = 0; i < 15; i++) r.send('hmm');
    expect(r.ask?.ref).toBe('toestemming');
    expect(r.saidText).not.toMatch(/Straatpraat, van het wijkteam/);
  });

  it('resumes where it stopped after an interruption (HULP in the middle)', () => {
    const r = new FakeResident();
    r.sendAll('hallo', '1', 'ja');
    r.send('HULP');
    expect(r.said[0]).toMatch(/Servicepunt/);
    expect(r.ask?.ref).toBe('buurt');
    r.send('2');
    expect(r.profile.area).toBe('pottenberg');
    expect(r.ask?.ref).toBe('leeftijd');
  });

  it('START resumes joining where the resident left off, without a second welcome', () => {
    const r = new FakeResident();
    r.sendAll('hallo', '1');
    r.send('start');
    expect(r.last.replies).toHaveLength(1);
    expect(r.ask?.ref).toBe('toestemming');
  });

  it('a resident who stopped half-way continues joining after START', () => {
    const r = new FakeResident();
    r.sendAll('hallo', '1', 'stop');
    expect(r.profile.status).toBe('stopped');
    r.send('aanmelden');
    expect(r.profile.status).toBe('active');
    expect(r.ask?.ref).toBe('toestemming');
  });

  it('keywords that need consent continue the joining instead', () => {
    const r = new FakeResident();
    r.sendAll('hallo', '1');
    r.send('IDEE');
    expect(r.ask?.ref).toBe('toestemming');
    expect(r.state).toMatchObject({ flow: 'onboarding' });
  });

  it('TAAL before consent goes back to the language question', () => {
    const r = new FakeResident();
    r.sendAll('hallo', '1', 'TAAL');
    expect(r.ask?.ref).toBe('taal');
    r.send('2');
    expect(r.profile.language).toBe('en');
    expect(r.ask?.ref).toBe('toestemming');
  });

  it('a first keyword such as HELP still starts joining after answering it', () => {
    const r = new FakeResident();
    r.send('help');
    expect(r.said[0]).toMatch(/neighbourhood team/);
    expect(r.ask?.ref).toBe('taal');
  });

  it('an old button from another question is not taken as an answer', () => {
    const r = new FakeResident();
    r.sendAll('hallo', '1', 'ja', tap('toestemming', 'ja'));
    expect(r.ask?.ref).toBe('buurt');
    expect(r.said[0]).toMatch(/begreep/);
  });
});

describe('a wave invitation made for every channel at once', () => {
  it('carries the hint that says to type for the console beside the tap hint', async () => {
    const { waveInvitation } = await import('../../flows/broadcast.js');
    const { loadPolls } = await import('../../flows/polls/catalog.js');
    const { loadTexts } = await import('../../flows/i18n/texts.js');
    const poll = [...loadPolls().values()].find((p) => p.questions[0]!.type !== 'text')!;
    const invitation = waveInvitation({ texts: loadTexts() }, 'nl', poll);
    expect(invitation).toMatchObject({
      kind: 'ask',
      hint: expect.stringMatching(/^Tik op je antwoord/),
      typedHint: 'Stuur het nummer van je antwoord.',
    });
  });
});
