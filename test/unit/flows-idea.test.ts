import { describe, expect, it } from 'vitest';
import type { InboundPayload } from '../../src/domain/messages.js';
import { joinedProfile, joinedResident, media, tap } from '../helpers/flow.js';

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

describe('a photo or voice message with an idea', () => {
  const photo = (ref = 'file-photo-1', size?: number): InboundPayload => ({
    kind: 'media',
    media: 'image',
    ref,
    ...(size !== undefined && { size }),
  });
  const voice: InboundPayload = { kind: 'media', media: 'audio', ref: 'file-voice-1' };

  it('a photo right after IDEE is kept with the idea, words are asked for and stored with it', () => {
    const r = joinedResident();
    r.sendAll('IDEE', photo());
    expect(r.saidText).toMatch(/ik bewaar je foto bij je idee/);
    expect(r.saidText).toMatch(/Wil je er iets bij schrijven\?/);
    expect(r.last.effects).toEqual([]);
    r.sendAll('Hier mist een bankje', 'wonen');
    expect(r.last.effects).toEqual([
      {
        type: 'idea.store',
        text: 'Hier mist een bankje',
        theme: 'wonen',
        media: { kind: 'image', ref: 'file-photo-1' },
      },
    ]);
    expect(r.state).toEqual({ flow: 'idle' });
  });

  it('a voice message alone is an idea: "nee" to words goes on to the theme', () => {
    const r = joinedResident();
    r.sendAll('IDEE', voice);
    expect(r.saidText).toMatch(/ik bewaar je spraakbericht bij je idee/);
    r.send('nee');
    expect(r.ask?.ref).toBe('thema');
    r.send('1');
    expect(r.last.effects).toEqual([
      { type: 'idea.store', text: '', theme: 'gezondheid', media: { kind: 'audio', ref: 'file-voice-1' } },
    ]);
  });

  it('a photo after the idea text, at the theme question, is kept and the theme is asked again', () => {
    const r = joinedResident();
    r.sendAll('IDEE', 'Meer licht in het park', photo());
    expect(r.saidText).toMatch(/ik bewaar je foto/);
    expect(r.ask?.ref).toBe('thema');
    r.send('4');
    expect(r.last.effects).toEqual([
      {
        type: 'idea.store',
        text: 'Meer licht in het park',
        theme: 'wonen',
        media: { kind: 'image', ref: 'file-photo-1' },
      },
    ]);
  });

  it('keeps one file per idea: a second one is politely not kept', () => {
    const r = joinedResident();
    r.sendAll('IDEE', photo('a'), photo('b'));
    expect(r.saidText).toMatch(/één foto of spraakbericht per idee/);
    r.sendAll('Tekst', '5');
    expect(r.last.effects).toEqual([
      { type: 'idea.store', text: 'Tekst', theme: 'anders', media: { kind: 'image', ref: 'a' } },
    ]);
  });

  it('refuses a file over 10 MB kindly, and the idea question stays open', () => {
    const r = joinedResident();
    r.sendAll('IDEE', photo('big', 11 * 1024 * 1024));
    expect(r.saidText).toMatch(/te groot\. Het mag tot 10 megabyte zijn/);
    expect(r.state).toMatchObject({ flow: 'idea', step: 'text' });
    expect((r.state as { media?: unknown }).media).toBeUndefined();
    r.sendAll('Een moestuin', '4');
    expect(r.last.effects).toEqual([{ type: 'idea.store', text: 'Een moestuin', theme: 'wonen' }]);
  });

  it('a sticker or video in the idea dialog gets the kind reply and is not kept', () => {
    const r = joinedResident();
    r.sendAll('IDEE', media('sticker'));
    expect(r.saidText).toMatch(/kan nog geen foto's bekijken/);
    r.sendAll('Een moestuin', '4');
    expect(r.last.effects).toEqual([{ type: 'idea.store', text: 'Een moestuin', theme: 'wonen' }]);
  });

  it('a photo outside the idea dialog is not kept: the menu reply', () => {
    const r = joinedResident();
    r.send(photo());
    expect(r.saidText).toMatch(/kan nog geen foto's bekijken/);
    expect(r.saidText).toMatch(/IDEE/);
    expect(r.last.effects).toEqual([]);
  });

  it('works in English', () => {
    const r = joinedResident({ profile: joinedProfile({ language: 'en' }) });
    r.sendAll('IDEA', voice);
    expect(r.saidText).toMatch(/keeping your voice message with your idea/);
  });
});

describe('a photo with the idea as its caption', () => {
  const captioned = (text: string, size?: number): InboundPayload => ({
    kind: 'text',
    text,
    attachment: { media: 'image', ref: 'photo-with-caption', ...(size !== undefined && { size }) },
  });

  it('keeps both: the caption is the idea, the photo goes with it', () => {
    const r = joinedResident();
    r.sendAll('IDEE', captioned('De speeltuin is kapot'));
    expect(r.saidText).toMatch(/ik bewaar je foto bij je idee/);
    expect(r.ask?.ref).toBe('thema');
    r.send('4');
    expect(r.last.effects).toEqual([
      {
        type: 'idea.store',
        text: 'De speeltuin is kapot',
        theme: 'wonen',
        media: { kind: 'image', ref: 'photo-with-caption' },
      },
    ]);
  });

  it('keeps the words of a captioned photo over 10 MB, and says the photo is too large', () => {
    const r = joinedResident();
    r.sendAll('IDEE', captioned('De speeltuin is kapot', 12 * 1024 * 1024));
    expect(r.saidText).toMatch(/te groot/);
    r.send('4');
    expect(r.last.effects).toEqual([{ type: 'idea.store', text: 'De speeltuin is kapot', theme: 'wonen' }]);
  });

  it('outside the idea dialog a caption is only text', () => {
    const r = joinedResident();
    r.send(captioned('hallo'));
    expect(r.last.effects).toEqual([]);
    expect(r.saidText).not.toMatch(/bewaar je foto/);
  });
});
