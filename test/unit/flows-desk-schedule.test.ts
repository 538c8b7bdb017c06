import { describe, expect, it } from 'vitest';
import { converse } from '../../flows/conversation.js';
import { deskLoads } from '../../flows/desk/loads.js';
import type { DeskData, IdeaView, StaffContext } from '../../flows/desk/types.js';
import type { ConversationState, Effect, FlowContext, FlowResult } from '../../flows/types.js';
import type { InboundPayload } from '../../src/domain/messages.js';
import { command, flowContext, joinedProfile, shown } from '../helpers/flow.js';

// The chat desk catching up with the command line, pure: a flash scheduled from the chat (Dutch and
// ISO times, quiet hours, the moment in the preview), languages and channels, a straatpraat session
// announced step by step, and /ideas paged and filtered.

const COLINE: StaffContext = { id: 7, role: 'wijkteam', name: 'Coline' };
const DRAFT_ID = '0b6c1f9e-2d4a-4c1b-9f3e-7a5d8c2e1f00';
// Wednesday 9 December 2026, 12:00 in Maastricht.
const NOW = new Date('2026-12-09T11:00:00Z');

const AUDIENCE: DeskData = {
  audience: {
    news: { nazareth: 5, pottenberg: 3, other: 1 },
    polls: { nazareth: 6, pottenberg: 4, other: 1 },
    groups: [
      { area: 'nazareth', language: 'nl', channel: 'whatsapp', news: 3, polls: 3 },
      { area: 'nazareth', language: 'en', channel: 'telegram', news: 2, polls: 3 },
      { area: 'pottenberg', language: 'en', channel: 'whatsapp', news: 3, polls: 4 },
      { area: 'other', language: 'nl', channel: 'telegram', news: 1, polls: 1 },
    ],
  },
};

/** A staff member talking to the conversation, with what the engine loads given per message. */
class Staff {
  state: ConversationState | null = { flow: 'idle' };
  effects: Effect[] = [];
  last!: FlowResult;
  send(input: string | InboundPayload, extra: Partial<FlowContext> = {}): FlowResult {
    const payload: InboundPayload =
      typeof input !== 'string'
        ? input
        : input.startsWith('/')
          ? command(input.slice(1).split(' ')[0]!, input.split(' ').slice(1).join(' '))
          : { kind: 'text', text: input };
    const ctx = flowContext({
      now: NOW,
      resident: joinedProfile(),
      staff: COLINE,
      newId: DRAFT_ID,
      ...extra,
    });
    this.last = converse(this.state, payload, ctx);
    this.state = JSON.parse(JSON.stringify(this.last.state)) as ConversationState;
    this.effects.push(...this.last.effects);
    return this.last;
  }
  get said(): string {
    return this.last.replies.map(shown).join('\n');
  }
  get deskActions() {
    return this.effects.flatMap((e) => (e.type === 'desk' ? [e.action] : []));
  }
}

/** A flash composed up to its preview: Dutch text, no English, everyone, no RSVP. */
function flashAtPreview(): Staff {
  const staff = new Staff();
  staff.send('/flash Buurtontbijt zaterdag');
  staff.send('sla over');
  staff.send('4'); // everyone
  staff.send('nee', { desk: AUDIENCE });
  return staff;
}

describe('/flash from the chat can be scheduled', () => {
  it('goes now unless told otherwise, and says so in the preview', () => {
    const staff = flashAtPreview();
    expect(staff.said).toMatch(/Gaat nu uit\./);
    expect(staff.said).toMatch(/Later versturen: stuur een tijd/);
    staff.send('ja');
    expect(staff.deskActions).toEqual([
      expect.objectContaining({ kind: 'flash.send', flashId: DRAFT_ID, audience: {}, rsvp: false }),
    ]);
    expect(staff.deskActions[0]).not.toHaveProperty('sendAt');
  });

  it('confirms the exact moment of "vrijdag 19:00" and schedules the flash for it', () => {
    const staff = flashAtPreview();
    staff.send('vrijdag 19:00', { desk: AUDIENCE });
    expect(staff.said).toMatch(/Gaat uit op vrijdag 11 december om 19:00\./);
    expect(staff.said).toMatch(/Buurtontbijt zaterdag/);
    expect(staff.said).toMatch(/Versturen\?/);
    expect(staff.effects).toEqual([]);
    staff.send('ja');
    expect(staff.said).toMatch(/Ingepland op vrijdag 11 december om 19:00\. Nummer van de flits: 0b6c1f9e/);
    expect(staff.deskActions).toEqual([
      expect.objectContaining({ kind: 'flash.send', flashId: DRAFT_ID, sendAt: '2026-12-11T18:00:00.000Z' }),
    ]);
  });

  it('takes the numbered answers of the confirm as answers, not as times', () => {
    const staff = flashAtPreview();
    staff.send('morgen 10:00');
    staff.send('3');
    expect(staff.said).not.toMatch(/voorbij|Gaat uit op/);
    expect(staff.effects).toEqual([]);
    staff.send('1');
    expect(staff.deskActions).toEqual([
      expect.objectContaining({ kind: 'flash.send', sendAt: '2026-12-10T09:00:00.000Z' }),
    ]);
  });

  it('reads ISO times, and "nu" sends at once again', () => {
    const staff = flashAtPreview();
    staff.send('2027-01-05T10:00');
    expect(staff.said).toMatch(/Gaat uit op dinsdag 5 januari 2027 om 10:00\./);
    staff.send('nu');
    expect(staff.said).toMatch(/Gaat nu uit\./);
    staff.send('ja');
    expect(staff.deskActions[0]).not.toHaveProperty('sendAt');
  });

  it('refuses a time that has passed and keeps the draft as it was', () => {
    const staff = flashAtPreview();
    staff.send('vanochtend 9:00');
    expect(staff.said).toMatch(/Dat tijdstip is al voorbij/);
    expect(staff.said).toMatch(/Versturen\?/);
    staff.send('ja');
    expect(staff.deskActions[0]).not.toHaveProperty('sendAt');
  });

  it('holds a flash set inside quiet hours until they end, and shows that moment', () => {
    const staff = flashAtPreview();
    staff.send('vrijdag 23:00');
    expect(staff.said).toMatch(/Gaat uit op zaterdag 12 december om 09:00\./);
    expect(staff.said).toMatch(/na de stille uren \(21:00–09:00\)/);
    staff.send('ja');
    expect(staff.deskActions).toEqual([
      expect.objectContaining({ kind: 'flash.send', sendAt: '2026-12-12T08:00:00.000Z' }),
    ]);
  });

  it('does not send "now" a flash whose time passed while the preview waited', () => {
    const staff = flashAtPreview();
    staff.send('vandaag 13:00');
    staff.send('ja', { now: new Date('2026-12-09T12:30:00Z') });
    expect(staff.said).toMatch(/Het tijdstip is intussen voorbij/);
    expect(staff.effects).toEqual([]);
    staff.send('vandaag 15:00', { now: new Date('2026-12-09T12:30:00Z') });
    staff.send('ja', { now: new Date('2026-12-09T12:31:00Z') });
    expect(staff.deskActions).toEqual([
      expect.objectContaining({ kind: 'flash.send', sendAt: '2026-12-09T14:00:00.000Z' }),
    ]);
  });
});

describe('/flash from the chat picks languages and channels', () => {
  it('narrows to a language and a channel, counts who that reaches, and sends it so', () => {
    const staff = flashAtPreview();
    expect(staff.said).toMatch(/Voor: Iedereen\. Dat zijn nu 9 bewoners/);
    staff.send('taal en', { desk: AUDIENCE });
    expect(staff.said).toMatch(/Voor: Iedereen, taal: en\. Dat zijn nu 5 bewoners/);
    staff.send('kanaal telegram', { desk: AUDIENCE });
    expect(staff.said).toMatch(/Voor: Iedereen, taal: en, kanaal: telegram\. Dat zijn nu 2 bewoners/);
    staff.send('ja');
    expect(staff.deskActions).toEqual([
      expect.objectContaining({
        kind: 'flash.send',
        audience: { languages: ['en'], channels: ['telegram'] },
      }),
    ]);
  });

  it('takes several channels, "alle" to undo, and refuses what it does not know', () => {
    const staff = flashAtPreview();
    staff.send('kanalen whatsapp en telegram', { desk: AUDIENCE });
    expect(staff.said).toMatch(/kanaal: whatsapp, telegram\. Dat zijn nu 9 bewoners/);
    staff.send('taal fr', { desk: AUDIENCE });
    expect(staff.said).toMatch(/Die taal ken ik niet\. Kies uit: nl, en/);
    staff.send('kanaal sms', { desk: AUDIENCE });
    expect(staff.said).toMatch(/Dat kanaal ken ik niet/);
    staff.send('kanaal alle', { desk: AUDIENCE });
    expect(staff.said).toMatch(/Voor: Iedereen\. Dat zijn nu 9 bewoners/);
    staff.send('ja');
    expect(staff.deskActions).toEqual([expect.objectContaining({ kind: 'flash.send', audience: {} })]);
  });

  it('asks the engine for the counts at the preview and at every change', () => {
    const staff = flashAtPreview();
    expect(deskLoads(staff.state, { kind: 'text', text: 'taal en' }, COLINE)).toEqual([{ kind: 'audience' }]);
  });
});

describe('/straatpraat announces a session step by step', () => {
  function announced(): Staff {
    const staff = new Staff();
    staff.send('/straatpraat');
    expect(staff.said).toMatch(/Wanneer begint hij\?/);
    staff.send('morgen');
    expect(staff.said).toMatch(/Dat begrijp ik niet/);
    staff.send('nu');
    expect(staff.said).toMatch(/Dat begrijp ik niet/);
    staff.send('maandag 10:00 2025');
    staff.send('8 december 2026 19:00');
    expect(staff.said).toMatch(/al voorbij/);
    staff.send('vrijdag 19:00');
    expect(staff.said).toMatch(/Waar is de sessie\?/);
    staff.send('Buurthuis ’t Trefpunt');
    expect(staff.said).toMatch(/Wie van de gemeente komt er\?/);
    staff.send('wethouder Jansen');
    expect(staff.said).toMatch(/Stuur de tekst in het Nederlands/);
    staff.send('Praat mee over de speeltuin.');
    expect(staff.said).toMatch(/in het Engels/);
    staff.send('Talk about the playground.');
    expect(staff.said).toMatch(/Voor welke buurt\?/);
    staff.send('1', { desk: AUDIENCE });
    return staff;
  }

  it('previews the announcement with the day reminder, and announces nothing before "ja"', () => {
    const staff = announced();
    expect(staff.said).toMatch(/Zo zien bewoners de aankondiging/);
    expect(staff.said).toMatch(/vrijdag 11 december/);
    expect(staff.said).toMatch(/Buurthuis ’t Trefpunt/);
    expect(staff.said).toMatch(/wethouder Jansen/);
    expect(staff.said).toMatch(/Praat mee over de speeltuin\./);
    expect(staff.said).toMatch(/Talk about the playground\./);
    expect(staff.said).toMatch(/Voor: Nazareth\. Dat zijn nu 5 bewoners/);
    expect(staff.said).toMatch(/Gaat nu uit\./);
    expect(staff.said).toMatch(/herinnering op vrijdag 11 december om 09:00/);
    expect(staff.said).toMatch(/Versturen\?/);
    expect(staff.effects).toEqual([]);
    staff.send('nee');
    expect(staff.said).toMatch(/niets naar bewoners/);
    expect(staff.effects).toEqual([]);
  });

  it('announces once with the draft’s id on "ja", to the languages and channels chosen', () => {
    const staff = announced();
    staff.send('taal nl', { desk: AUDIENCE });
    expect(staff.said).toMatch(/Voor: Nazareth, taal: nl\. Dat zijn nu 3 bewoners/);
    staff.send('ja');
    expect(staff.said).toMatch(/Aangekondigd\. Nummer van de sessie: 0b6c1f9e/);
    staff.send('ja');
    expect(staff.said).toMatch(/al aangekondigd/);
    expect(staff.deskActions).toEqual([
      {
        kind: 'session.announce',
        sessionId: DRAFT_ID,
        at: '2026-12-11T18:00:00.000Z',
        where: 'Buurthuis ’t Trefpunt',
        who: 'wethouder Jansen',
        text: { nl: 'Praat mee over de speeltuin.', en: 'Talk about the playground.' },
        audience: { areas: ['nazareth'], languages: ['nl'] },
      },
    ]);
  });

  it('takes the moment with the command, and skips the extra words', () => {
    const staff = new Staff();
    staff.send('/straatpraat 12 december 14:00');
    expect(staff.said).toMatch(/Waar is de sessie\?/);
    staff.send('Pleintje');
    staff.send('Coline');
    staff.send('sla over');
    staff.send('4');
    staff.send('ja');
    expect(staff.deskActions).toEqual([
      expect.objectContaining({ kind: 'session.announce', at: '2026-12-12T13:00:00.000Z', audience: {} }),
    ]);
    expect(staff.deskActions[0]).not.toHaveProperty('text');
  });

  it('adds the words in another language at the preview, only after the Dutch words', () => {
    const staff = new Staff();
    staff.send('/straatpraat 12 december 14:00');
    staff.send('Pleintje');
    staff.send('Coline');
    staff.send('sla over');
    staff.send('4');
    expect(staff.said).toMatch(/taalcode/);
    staff.send('ar تعال وتحدث معنا.');
    expect(staff.said).toMatch(/Eerst de tekst in het Nederlands/);
    staff.send('nl Praat mee.');
    expect(staff.said).toMatch(/Praat mee\./);
    staff.send('ar تعال وتحدث معنا.');
    expect(staff.said).toMatch(/In het Arabisch:/);
    expect(staff.said).toMatch(/تعال وتحدث معنا\./);
    expect(staff.said).toMatch(/codes: en, pl, tr\)/);
    staff.send('ja');
    expect(staff.deskActions).toEqual([
      expect.objectContaining({
        kind: 'session.announce',
        text: { nl: 'Praat mee.', ar: 'تعال وتحدث معنا.' },
      }),
    ]);
  });

  it('stops on "stop" without announcing anything', () => {
    const staff = new Staff();
    staff.send('/straatpraat vrijdag 19:00');
    staff.send('stop');
    expect(staff.said).toMatch(/niets naar bewoners/);
    expect(staff.state).toEqual({ flow: 'idle' });
    expect(staff.effects).toEqual([]);
  });
});

const idea = (id: number): IdeaView => ({
  id: String(id),
  text: `Idee nummer ${id}`,
  theme: 'wonen',
  area: 'nazareth',
  status: 'nieuw',
  createdAt: new Date(Date.UTC(2026, 11, 1, 9, 0) + id * 60_000).toISOString(),
  language: 'nl',
  reachable: true,
  replies: 0,
});

describe('/ideas pages and filters', () => {
  it('reads a status and an area from the command, and asks the engine for that page', () => {
    expect(deskLoads(null, command('ideas', 'nieuw nazareth'), COLINE)).toEqual([
      { kind: 'ideas', status: 'nieuw', area: 'nazareth' },
    ]);
    expect(deskLoads(null, command('ideas', 'pottenberg'), COLINE)).toEqual([
      { kind: 'ideas', area: 'pottenberg' },
    ]);
    expect(deskLoads(null, command('ideas', 'niet haalbaar'), COLINE)).toEqual([
      { kind: 'ideas', status: 'niet_haalbaar' },
    ]);
    expect(deskLoads(null, command('ideas', 'onzin'), COLINE)).toEqual([]);
  });

  it('shows a page, then the next one on "volgende", with the same filter', () => {
    const staff = new Staff();
    const first = [20, 19, 18, 17, 16, 15, 14, 13, 12, 11].map(idea);
    staff.send('/ideas nieuw nazareth', { desk: { ideas: first, ideasMore: true } });
    expect(staff.said).toMatch(/Ideeën 1 tot en met 10 \(nieuw, Nazareth\)/);
    expect(staff.said).toMatch(/Idee 20 /);
    expect(staff.said).toMatch(/Meer zien\? Stuur: volgende\./);
    expect(deskLoads(staff.state, { kind: 'text', text: 'volgende' }, COLINE)).toEqual([
      {
        kind: 'ideas',
        status: 'nieuw',
        area: 'nazareth',
        after: { id: '11', createdAt: idea(11).createdAt },
      },
    ]);
    staff.send('volgende', { desk: { ideas: [idea(10), idea(9)], ideasMore: false } });
    expect(staff.said).toMatch(/Ideeën 11 tot en met 12 \(nieuw, Nazareth\)/);
    expect(staff.said).toMatch(/Idee 9 /);
    expect(staff.said).not.toMatch(/volgende/);
    expect(staff.state).toEqual({ flow: 'idle' });
    expect(staff.deskActions).toEqual([
      { kind: 'audit', action: 'ideas.list', details: { count: 10, status: 'nieuw', area: 'nazareth' } },
      {
        kind: 'audit',
        action: 'ideas.list',
        details: { count: 2, status: 'nieuw', area: 'nazareth', after: 10 },
      },
    ]);
  });

  it('marks an idea with a photo or voice message, and how its fetching went', () => {
    const staff = new Staff();
    const ideas: IdeaView[] = [
      { ...idea(4), media: { kind: 'image', status: 'stored' } },
      { ...idea(3), text: '', media: { kind: 'audio', status: 'pending' } },
      { ...idea(2), media: { kind: 'image', status: 'too_large' } },
      { ...idea(1), media: { kind: 'audio', status: 'failed' } },
    ];
    staff.send('/ideas', { desk: { ideas, ideasMore: false } });
    expect(staff.said).toMatch(/Idee 4 .*\(foto\)\n {3}“Idee nummer 4”/);
    // Only a voice message, no words: no empty quotes.
    expect(staff.said).toMatch(/Idee 3 .*\(spraakbericht, wordt opgehaald\)\n(?! {3}“)/);
    expect(staff.said).toMatch(/Idee 2 .*\(foto, te groot: niet bewaard\)/);
    expect(staff.said).toMatch(/Idee 1 .*\(spraakbericht, ophalen mislukt\)/);
  });

  it('takes /ideas volgende too, and says so when there is no next page', () => {
    const staff = new Staff();
    staff.send('/ideas volgende');
    expect(staff.said).toMatch(/geen volgende bladzijde/);
    staff.send('/ideas', { desk: { ideas: [idea(3), idea(2)], ideasMore: true } });
    expect(deskLoads(staff.state, command('ideas', 'volgende'), COLINE)).toEqual([
      { kind: 'ideas', after: { id: '2', createdAt: idea(2).createdAt } },
    ]);
    staff.send('/ideas volgende', { desk: { ideas: [], ideasMore: false } });
    expect(staff.said).toMatch(/geen ideeën meer/);
  });

  it('gives anything but "volgende" after a page back to the resident conversation', () => {
    const staff = new Staff();
    staff.send('/ideas', { desk: { ideas: [idea(3), idea(2)], ideasMore: true } });
    staff.send('STOP');
    expect(staff.said).not.toMatch(/Ideeën|niets naar bewoners/);
    expect(staff.state?.flow).not.toBe('desk');
    expect(staff.effects.some((e) => e.type === 'resident.update')).toBe(true);
  });

  it('says which filter found nothing, and how to use the command', () => {
    const staff = new Staff();
    staff.send('/ideas gedaan pottenberg', { desk: { ideas: [], ideasMore: false } });
    expect(staff.said).toMatch(/geen ideeën met: gedaan, Pottenberg/);
    staff.send('/ideas onzin');
    expect(staff.said).toMatch(/Zo gebruik je het: \/ideas/);
  });
});
