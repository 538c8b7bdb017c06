import { describe, expect, it } from 'vitest';
import { converse } from '../../flows/conversation.js';
import { newRequestsNotice } from '../../flows/desk/help-requests.js';
import { deskLoads, mayBeStaff } from '../../flows/desk/loads.js';
import type { DeskData, HelpRequestView, IdeaView, StaffContext } from '../../flows/desk/types.js';
import type { ConversationState, Effect, FlowContext, FlowResult } from '../../flows/types.js';
import { ClosedDays } from '../../src/domain/closed-days.js';
import type { InboundPayload } from '../../src/domain/messages.js';
import { type OfficeHours, parseOfficeHours } from '../../src/domain/office-hours.js';
import type { ResidentProfile } from '../../src/domain/resident.js';
import type { WaveResults } from '../../src/domain/wave-results.js';
import { applyPatch } from '../../src/engine/profile.js';
import { command, flowContext, joinedProfile, shown, storedData, TEST_CONFIG } from '../helpers/flow.js';

// The wijkteam desk's flows, pure: staff commands with preview and confirm, the HULP offer and a
// resident's help request, relayed messages. The engine's part (who is staff, what is loaded) is
// given here as context.

const COLINE: StaffContext = { id: 7, role: 'wijkteam', name: 'Coline' };
const DRAFT_ID = '0b6c1f9e-2d4a-4c1b-9f3e-7a5d8c2e1f00';
// Wednesday 11 March 2026, 13:00 in Maastricht: office hours.
const WEDNESDAY_NOON = new Date('2026-03-11T12:00:00Z');

/** Someone talking to the conversation as the engine runs it, with desk context supplied per message. */
class Talker {
  state: ConversationState | null;
  profile: ResidentProfile;
  effects: Effect[] = [];
  last!: FlowResult;
  constructor(
    readonly staff: StaffContext | undefined,
    state: ConversationState | null = { flow: 'idle' },
    profile = joinedProfile(),
  ) {
    this.state = state;
    this.profile = profile;
  }
  send(input: string | InboundPayload, extra: Partial<FlowContext> = {}): FlowResult {
    const payload: InboundPayload =
      typeof input !== 'string'
        ? input
        : input.startsWith('/')
          ? command(input.slice(1).split(' ')[0]!, input.split(' ').slice(1).join(' '))
          : { kind: 'text', text: input };
    const ctx = flowContext({
      now: WEDNESDAY_NOON,
      resident: this.profile,
      ...(this.staff && { staff: this.staff, newId: DRAFT_ID }),
      ...extra,
    });
    this.last = converse(this.state, payload, ctx);
    this.state = JSON.parse(JSON.stringify(this.last.state)) as ConversationState;
    this.effects.push(...this.last.effects);
    for (const e of this.last.effects)
      if (e.type === 'resident.update') this.profile = applyPatch(this.profile, e.patch);
    return this.last;
  }
  get said(): string {
    return this.last.replies.map(shown).join('\n');
  }
  get deskActions() {
    return this.effects.flatMap((e) => (e.type === 'desk' ? [e.action] : []));
  }
}

const request = (overrides: Partial<HelpRequestView> = {}): HelpRequestView => ({
  id: '12',
  status: 'open',
  area: 'nazareth',
  subject: 'Een brief van de gemeente',
  createdAt: '2026-03-10T09:00:00.000Z',
  dueAt: '2026-03-11T09:00:00.000Z',
  flaggedAt: null,
  takenBy: null,
  language: 'nl',
  reachable: true,
  ...overrides,
});

const idea = (overrides: Partial<IdeaView> = {}): IdeaView => ({
  id: '5',
  text: 'Een bankje bij de bushalte',
  theme: 'wonen',
  area: 'nazareth',
  status: 'nieuw',
  createdAt: '2026-03-09T10:00:00.000Z',
  language: 'en',
  reachable: true,
  replies: 0,
  ...overrides,
});

describe('staff chat commands', () => {
  it('gives someone who is not staff the resident conversation for a /flash', () => {
    const resident = new Talker(undefined);
    resident.send('/flash Gratis taart');
    expect(resident.said).toMatch(/begrijp ik niet/);
    expect(resident.state?.flow).toBe('idle');
    expect(resident.effects).toEqual([]);
  });

  it('lists the commands on /help, and refuses analysts anything but the figures', () => {
    const staff = new Talker(COLINE);
    staff.send('/help');
    expect(staff.said).toMatch(/\/hulpvragen/);
    const analyst = new Talker({ id: 8, role: 'analyst', name: 'Ana' });
    analyst.send('/flash Hallo');
    expect(analyst.said).toMatch(/alleen voor het wijkteam/);
    expect(analyst.state).toEqual({ flow: 'idle' });
  });

  it('composes a flash step by step and sends nothing without "ja"', () => {
    const staff = new Talker(COLINE);
    staff.send('/flash');
    expect(staff.said).toMatch(/Stuur de tekst in het Nederlands/);
    staff.send('Zaterdag buurtontbijt');
    staff.send('Saturday breakfast');
    staff.send('2'); // Pottenberg
    staff.send('ja', {
      desk: {
        audience: {
          news: { nazareth: 5, pottenberg: 3, other: 1 },
          polls: { nazareth: 6, pottenberg: 4, other: 1 },
        },
      },
    });
    expect(staff.said).toMatch(/Zaterdag buurtontbijt\n\nKom je\? Stuur JA\./);
    expect(staff.said).toMatch(/Saturday breakfast/);
    expect(staff.said).toMatch(/Voor: Pottenberg\. Dat zijn nu 3 bewoners/);
    expect(staff.effects).toEqual([]);
    staff.send('nee');
    expect(staff.said).toMatch(/niets naar bewoners/);
    expect(staff.state).toEqual({ flow: 'idle' });
    expect(staff.effects).toEqual([]);
  });

  it('creates the flash with the draft’s id on "ja", and a second "ja" creates nothing', () => {
    const staff = new Talker(COLINE);
    staff.send('/flash Zaterdag buurtontbijt');
    staff.send('sla over');
    staff.send('4'); // everyone
    staff.send('nee'); // no RSVP
    staff.send('ja');
    expect(staff.deskActions).toEqual([
      {
        kind: 'flash.send',
        flashId: DRAFT_ID,
        text: { nl: 'Zaterdag buurtontbijt' },
        audience: {},
        rsvp: false,
      },
    ]);
    staff.send('ja');
    expect(staff.said).toMatch(/al verstuurd/);
    expect(staff.deskActions).toHaveLength(1);
    staff.send('hallo');
    expect(staff.said).toMatch(/begrijp ik niet/);
  });

  it('keeps the staff member’s own paused poll behind a command, and /annuleer returns to it', () => {
    const paused = {
      flow: 'idle',
      paused: { poll: 'veerkracht-kort', index: 1, phase: 'question', misses: 0 },
    };
    const staff = new Talker(COLINE, paused);
    staff.send('/poll');
    expect(staff.state?.flow).toBe('desk');
    staff.send('/annuleer');
    expect(staff.said).toMatch(/niets naar bewoners/);
    expect(staff.state).toEqual(paused);
  });

  it('drops a pending "really delete?" behind a command, so a later "ja" erases nothing', () => {
    const staff = new Talker(COLINE);
    staff.send('VERWIJDER');
    expect(staff.state?.flow).toBe('delete');
    staff.send('/help');
    staff.send('ja');
    expect(staff.effects.filter((e) => e.type === 'resident.erase')).toEqual([]);
  });

  it('hands a dialog back to the resident conversation when the sender is no longer staff', () => {
    const staff = new Talker(COLINE);
    staff.send('/flash Iets');
    const removed = new Talker(undefined, staff.state);
    removed.send('ja');
    expect(removed.state?.flow).not.toBe('desk');
    expect(removed.effects).toEqual([]);
  });

  it('shows the inbox and a request by number, never who the resident is', () => {
    const staff = new Talker(COLINE);
    staff.send('/hulpvragen', { desk: { helpRequests: [request({ flaggedAt: '2026-03-11T09:00:00Z' })] } });
    expect(staff.said).toMatch(/Hulpvraag 12 · Nazareth · .* · wacht al meer dan een werkdag/);
    expect(staff.deskActions).toEqual([{ kind: 'audit', action: 'help.list', details: { count: 1 } }]);
    staff.send('/neem 12', {
      desk: {
        helpRequest: request({
          messages: [{ author: 'resident', staffName: null, text: 'Graag snel', at: '2026-03-10T10:00:00Z' }],
        }),
      },
    });
    expect(staff.said).toMatch(/Hulpvraag 12 is nu van jou/);
    expect(staff.said).toMatch(/Bewoner, .*:\nGraag snel/);
    expect(staff.deskActions.at(-1)).toEqual({ kind: 'help.take', requestId: '12' });
  });

  it('previews an answer signed with the first name, and sends it only on "ja"', () => {
    const staff = new Talker(COLINE);
    const desk: DeskData = { helpRequest: request({ status: 'taken', takenBy: { id: 7, name: 'Coline' } }) };
    staff.send('/antwoord 12 Ik bel je morgen om tien uur.', { desk });
    expect(staff.said).toMatch(
      /Zo ziet de bewoner je bericht:\n\nIk bel je morgen om tien uur\.\n\nGroetjes, Coline — wijkteam Nazareth\nAntwoord gewoon op dit bericht\./,
    );
    expect(staff.deskActions).toEqual([]);
    staff.send('ja', { desk });
    expect(staff.deskActions).toEqual([
      {
        kind: 'help.reply',
        requestId: '12',
        text: 'Ik bel je morgen om tien uur.',
        message: {
          kind: 'text',
          text: 'Ik bel je morgen om tien uur.\n\nGroetjes, Coline — wijkteam Nazareth\nAntwoord gewoon op dit bericht.',
        },
      },
    ]);
  });

  it('says so when a request is missing, closed, or its resident stopped', () => {
    const staff = new Talker(COLINE);
    staff.send('/neem 99', { desk: { helpRequest: null } });
    expect(staff.said).toMatch(/Hulpvraag 99 bestaat niet/);
    staff.send('/sluit 12', { desk: { helpRequest: request({ status: 'closed' }) } });
    expect(staff.said).toMatch(/al gesloten/);
    staff.send('/antwoord 12 Hallo', { desk: { helpRequest: request({ reachable: false }) } });
    expect(staff.said).toMatch(/heeft zich afgemeld/);
    staff.send('/antwoord');
    expect(staff.said).toMatch(/Zo gebruik je het/);
    expect(staff.deskActions).toEqual([]);
  });

  it('answers an idea in its author’s language and sets its status after a preview', () => {
    const staff = new Talker(COLINE);
    staff.send('/idea 5 reply Good idea, we will ask for it.', { desk: { idea: idea() } });
    expect(staff.said).toMatch(/An answer to your idea “Een bankje bij de bushalte”/);
    expect(staff.said).toMatch(/Best wishes, Coline — neighbourhood team Nazareth/);
    staff.send('ja', { desk: { idea: idea() } });
    staff.send('/idea 5 status niet haalbaar', { desk: { idea: idea() } });
    expect(staff.said).toMatch(/Idee 5 krijgt de status: niet haalbaar/);
    staff.send('ja', { desk: { idea: idea() } });
    expect(staff.deskActions.map((a) => a.kind)).toEqual(['idea.reply', 'idea.status']);
    const status = staff.deskActions[1] as Extract<
      (typeof staff.deskActions)[number],
      { kind: 'idea.status' }
    >;
    expect(status.status).toBe('niet_haalbaar');
    expect(status.message?.kind === 'text' && status.message.text).toMatch(/sadly it is not possible/);
  });
});

describe('a resident’s help request', () => {
  it('offers a message from the wijkteam after HULP, and opens a request with the subject line', () => {
    const resident = new Talker(undefined);
    resident.send('HULP');
    expect(resident.said).toMatch(/Wil je dat iemand van het wijkteam je een bericht stuurt\?/);
    resident.send('1');
    expect(resident.said).toMatch(/Waar gaat het over\?/);
    resident.send('Mijn huur is te hoog');
    expect(resident.deskActions).toEqual([{ kind: 'help.open', subject: 'Mijn huur is te hoog' }]);
    expect(resident.said).toMatch(/Het wijkteam is nu aan het werk/);
    expect(resident.said).toMatch(/Werktijden: maandag t\/m vrijdag 09:00-17:00/);
    expect(resident.state).toEqual({ flow: 'idle' });
  });

  it('tells when the wijkteam opens again outside office hours', () => {
    const resident = new Talker(undefined, { flow: 'help_subject' });
    // Saturday 14 March 2026, 11:00 in Maastricht.
    resident.send('sla over', { now: new Date('2026-03-14T10:00:00Z') });
    expect(resident.deskActions).toEqual([{ kind: 'help.open' }]);
    expect(resident.said).toMatch(/Het wijkteam werkt weer maandag om 09:00/);
  });

  it('names the weekdays in the resident’s own language, with the digits every phone shows alike', () => {
    const said = (language: string) => {
      const resident = new Talker(undefined, { flow: 'help_subject' }, joinedProfile({ language }));
      // Saturday 14 March 2026, 11:00 in Maastricht: the wijkteam opens again on Monday.
      resident.send('sla over', { now: new Date('2026-03-14T10:00:00Z') });
      return resident.said;
    };
    expect(said('tr')).toMatch(/Pazartesi/i);
    expect(said('pl')).toMatch(/poniedziałek/);
    expect(said('ar')).toMatch(/الاثنين/);
    expect(said('ar')).toMatch(/09:00/);
    for (const language of ['tr', 'pl', 'ar']) expect(said(language)).not.toMatch(/maandag|vrijdag/);
  });

  it('skips a public holiday and closed days when it tells when the wijkteam opens again', () => {
    const kingsDay = new Talker(undefined, { flow: 'help_subject' });
    // Saturday 25 April 2026; Monday 27 April is King's Day.
    kingsDay.send('sla over', { now: new Date('2026-04-25T10:00:00Z') });
    expect(kingsDay.said).toMatch(/Het wijkteam werkt weer dinsdag om 09:00/);
    const christmas = new Talker(undefined, { flow: 'help_subject' });
    // Wednesday 23 December 2026, 18:00; closed on 24 and 31 December (OFFICE_CLOSED_DAYS) too.
    const closed = new ClosedDays(['2026-12-24', '2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31']);
    christmas.send('sla over', {
      now: new Date('2026-12-23T17:00:00Z'),
      config: {
        ...TEST_CONFIG,
        desk: {
          officeHours: parseOfficeHours('ma-vr 09:00-17:00', closed) as OfficeHours,
          timeZone: 'Europe/Amsterdam',
        },
      },
    });
    expect(christmas.said).toMatch(/Het wijkteam werkt weer maandag 4 januari om 09:00/);
  });

  it('tells staff of one or several new requests in one message, with their areas', () => {
    const texts = { texts: flowContext().texts };
    expect(newRequestsNotice(texts, 'nl', [{ id: '12', area: 'nazareth' }])).toBe(
      'Nieuwe hulpvraag: #12 (Nazareth). Stuur /hulpvragen om ze te zien.',
    );
    expect(
      newRequestsNotice(texts, 'nl', [
        { id: '12', area: 'pottenberg' },
        { id: '13', area: null },
      ]),
    ).toBe('2 nieuwe hulpvragen: #12 (Pottenberg), #13. Stuur /hulpvragen om ze te zien.');
  });

  it('tells the resident in one line, in their language, that their request is closed', () => {
    const staff = new Talker(COLINE);
    staff.send('/sluit 4', { desk: { helpRequest: request({ id: '4', language: 'en' }) } });
    expect(staff.deskActions).toEqual([
      {
        kind: 'help.close',
        requestId: '4',
        message: {
          kind: 'text',
          text: 'The wijkteam has closed your help request. Send HELP if you need anything else.',
        },
      },
    ]);
  });

  it('takes "nee" as no, and anything else as no answer to the offer', () => {
    const declined = new Talker(undefined);
    declined.send('HULP');
    declined.send('nee');
    expect(declined.said).toMatch(/Stuur HULP als je later toch hulp wilt/);
    const ignored = new Talker(undefined);
    ignored.send('HULP');
    ignored.send('IDEE');
    expect(ignored.state?.flow).toBe('idea');
    expect(ignored.deskActions).toEqual([]);
  });

  it('does not offer a second request while one is open', () => {
    const resident = new Talker(undefined);
    resident.send('HULP', { desk: { ownHelpRequest: request() } });
    expect(resident.said).toMatch(/Je hulpvraag staat al bij het wijkteam/);
    expect(resident.state).toEqual({ flow: 'idle' });
  });

  it('passes free text on to the staff member who took the request, without saying who sent it', () => {
    const resident = new Talker(undefined);
    const ownHelpRequest = request({ status: 'taken', takenBy: { id: 7, name: 'Coline' } });
    resident.send('Morgen om tien uur is goed', { desk: { ownHelpRequest } });
    expect(resident.said).toBe('Ik heb je bericht doorgestuurd naar Coline.');
    expect(resident.deskActions).toEqual([
      {
        kind: 'help.resident_message',
        requestId: '12',
        text: 'Morgen om tien uur is goed',
        relay: {
          kind: 'text',
          text: 'Hulpvraag 12 (Nazareth). De bewoner schrijft:\nMorgen om tien uur is goed\nAntwoorden: /antwoord 12 en je bericht.',
        },
      },
    ]);
  });

  it('shows help requests among the stored data (GEGEVENS)', () => {
    const resident = new Talker(undefined);
    const request = { subject: 'Lekkage in de keuken', status: 'taken', createdAt: '2026-03-03T10:00:00Z' };
    resident.send('GEGEVENS', { storedData: storedData({ helpRequests: [request] }) });
    expect(resident.said).toMatch(
      /Je 1 hulpvraag aan het wijkteam:\n• 3 maart 2026: “Lekkage in de keuken”, status: het wijkteam is ermee bezig/,
    );
    resident.send('GEGEVENS', { storedData: storedData() });
    expect(resident.said).toMatch(/Je hebt geen hulpvragen aan het wijkteam/);
  });

  it('lets keywords win over a reply to the wijkteam', () => {
    const resident = new Talker(undefined);
    resident.send('STOP', { desk: { ownHelpRequest: request({ status: 'taken' }) } });
    expect(resident.deskActions).toEqual([]);
    expect(resident.effects).toEqual([{ type: 'resident.update', patch: { status: 'stopped' } }]);
  });
});

describe('what the engine loads for the desk', () => {
  it('looks nothing up for an ordinary message, and staff only for commands and desk dialogs', () => {
    expect(mayBeStaff({ flow: 'poll' }, { kind: 'text', text: '4' })).toBe(false);
    expect(deskLoads({ flow: 'poll' }, { kind: 'text', text: '4' }, undefined)).toEqual([]);
    expect(mayBeStaff(null, command('flash'))).toBe(true);
    expect(mayBeStaff({ flow: 'desk' }, { kind: 'text', text: 'ja' })).toBe(true);
  });

  it('loads the resident’s open request only for idle free text, HULP and the subject line', () => {
    expect(deskLoads({ flow: 'idle' }, { kind: 'text', text: 'Dank je' }, undefined)).toEqual([
      { kind: 'ownHelpRequest' },
    ]);
    expect(deskLoads({ flow: 'idle' }, { kind: 'text', text: 'STOP' }, undefined)).toEqual([]);
    expect(deskLoads({ flow: 'poll' }, { kind: 'text', text: 'HULP' }, undefined)).toEqual([
      { kind: 'ownHelpRequest' },
    ]);
  });

  it('loads what a command shows, and nothing an analyst may not see', () => {
    expect(deskLoads(null, command('neem', '12'), COLINE)).toEqual([
      { kind: 'helpRequest', id: '12', messages: true },
    ]);
    expect(deskLoads(null, command('ideas', 'gepland'), COLINE)).toEqual([
      { kind: 'ideas', status: 'gepland' },
    ]);
    expect(deskLoads(null, command('hulpvragen'), { ...COLINE, role: 'analyst' })).toEqual([]);
  });
});

describe('/results WAVE', () => {
  const WAVE = '0b000000-0000-4000-8000-000000000030';
  const label = (nl: string) => ({ nl, en: nl });
  const results = (overrides: Partial<WaveResults> = {}): WaveResults => ({
    wave: WAVE,
    poll: 'veerkracht-kort',
    poll_version: 1,
    title: label('Veerkracht kort'),
    status: 'closed',
    shown: true,
    notice: null,
    min_cell: 10,
    respondents: 30,
    questions: [
      {
        id: 'thuis',
        type: 'scale5',
        text: label('Voel je je thuis in je buurt?'),
        total: {
          area: 'totaal',
          n: 30,
          too_few: false,
          distribution: [
            { code: '4', label: label('Ja, meestal'), share: 0.6 },
            { code: '5', label: label('Ja, helemaal'), share: 0.4 },
          ],
          mean: null,
        },
        areas: null,
        texts: null,
      },
      {
        id: 'beter',
        type: 'text',
        text: label('Wat kan beter in je buurt?'),
        total: { area: 'totaal', n: 30, too_few: false, distribution: null, mean: null },
        areas: null,
        texts: Array.from({ length: 30 }, (_, i) => `Meer groen ${i} ${'x'.repeat(200)}`),
      },
    ],
    ...overrides,
  });

  it('loads the wave for the wijkteam as closed-only, for analysts and admins with a running one', () => {
    expect(deskLoads(null, command('results', WAVE.slice(0, 8)), COLINE)).toEqual([
      { kind: 'waveResults', wave: WAVE.slice(0, 8), includeRunning: false },
    ]);
    expect(deskLoads(null, command('results', WAVE), { ...COLINE, role: 'analyst' })).toEqual([
      { kind: 'waveResults', wave: WAVE, includeRunning: true },
    ]);
    expect(deskLoads(null, command('results'), COLINE)).toEqual([{ kind: 'results' }]);
    expect(deskLoads(null, command('results', 'gisteren'), COLINE)).toEqual([]);
  });

  it('shows the shares and every free text, split over messages that fit a chat', () => {
    const talker = new Talker(COLINE);
    talker.send(`/results ${WAVE}`, { desk: { waveResults: results() } });
    expect(talker.said).toContain('Ja, meestal 60% · Ja, helemaal 40%');
    for (let i = 0; i < 30; i++) expect(talker.said).toContain(`Meer groen ${i} `);
    expect(talker.last.replies.length).toBeGreaterThan(3);
    for (const r of talker.last.replies) expect(shown(r).length).toBeLessThanOrEqual(3500);
    expect(talker.deskActions).toContainEqual({
      kind: 'audit',
      action: 'wave.results',
      details: { wave: WAVE },
    });
  });

  it('says too few answers, the poll is still running, or that the wave is unknown', () => {
    const talker = new Talker(COLINE);
    talker.send(`/results ${WAVE}`, { desk: { waveResults: results({ respondents: null, questions: [] }) } });
    expect(talker.said).toContain('Te weinig antwoorden');
    talker.send(`/results ${WAVE}`, {
      desk: { waveResults: results({ shown: false, status: 'open', respondents: null, questions: [] }) },
    });
    expect(talker.said).toContain('De peiling loopt nog');
    talker.send(`/results ${WAVE}`, { desk: { waveResults: null } });
    expect(talker.said).toContain('Die peiling ken ik niet');
    talker.send('/results morgen');
    expect(talker.said).toContain('/results 1a2b3c4d');
  });
});
