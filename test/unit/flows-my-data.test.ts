import { describe, expect, it } from 'vitest';
import { packMessages } from '../../flows/my-data.js';
import { type Poll, PollSchema } from '../../flows/polls/schema.js';
import { defaultOfficeHours } from '../../src/domain/office-hours.js';
import { joinedProfile, joinedResident, storedData } from '../helpers/flow.js';

// GEGEVENS as the flow words the copy the engine loaded (test/integration/my-data.test.ts reads it
// from the database).

const desk = (timeZone: string) => ({ desk: { officeHours: defaultOfficeHours(), timeZone } });

describe('the GEGEVENS copy', () => {
  it('dates everything in the configured time zone, not a fixed one', () => {
    const profile = joinedProfile({
      consentAt: '2026-03-03T02:00:00.000Z',
      createdAt: '2026-03-03T02:00:00.000Z',
    });
    const ideas = [{ text: 'Een moestuin', status: 'nieuw', createdAt: '2026-03-05T23:30:00.000Z' }];
    const amsterdam = joinedResident({
      profile,
      storedData: storedData({ ideas }),
      config: desk('Europe/Amsterdam'),
    });
    amsterdam.send('GEGEVENS');
    expect(amsterdam.saidText).toContain('Lid sinds: 3 maart 2026');
    expect(amsterdam.saidText).toContain('• 6 maart 2026: “Een moestuin”, status: nieuw');

    const newYork = joinedResident({
      profile,
      storedData: storedData({ ideas }),
      config: desk('America/New_York'),
    });
    newYork.send('GEGEVENS');
    expect(newYork.saidText).toContain('Lid sinds: 2 maart 2026');
    expect(newYork.saidText).toContain('Toestemming: gegeven op 2 maart 2026');
    expect(newYork.saidText).toContain('• 5 maart 2026: “Een moestuin”, status: nieuw');
  });

  it('shows each option of a multiple-choice answer by its label, and says plurals right', () => {
    const poll: Poll = PollSchema.parse({
      id: 'vervoer',
      title: { nl: 'Vervoer', en: 'Transport' },
      questions: [
        {
          id: 'hoe',
          type: 'multi',
          text: { nl: 'Hoe ga je naar de stad?', en: 'How do you go to town?' },
          options: [
            { code: 'fiets', label: { nl: 'Fiets', en: 'Bike' } },
            { code: 'bus', label: { nl: 'Bus', en: 'Bus' } },
            { code: 'lopen', label: { nl: 'Lopend', en: 'On foot' } },
          ],
        },
      ],
    });
    const answer = { poll: 'vervoer', question: 'hoe', answerNumber: null, text: null, week: '2026-03-02' };
    const r = joinedResident({
      polls: new Map([[poll.id, poll]]),
      storedData: storedData({
        answers: [
          { ...answer, answerCode: 'fiets,lopen' },
          { ...answer, answerCode: 'weet_niet' },
        ],
        ideas: [
          { text: 'Een bankje', status: 'gedaan', createdAt: '2026-03-04T10:00:00.000Z', media: 'image' },
          { text: 'Een boom', status: 'niet_haalbaar', createdAt: '2026-03-05T10:00:00.000Z' },
        ],
        messages: 1,
      }),
    });
    r.send('GEGEVENS');
    expect(r.saidText).toContain(
      'Je 2 antwoorden, met de week waarin je ze gaf:\n' +
        '• Vervoer, week van 2 maart 2026: Hoe ga je naar de stad? → Fiets, Lopend\n' +
        '• Vervoer, week van 2 maart 2026: Hoe ga je naar de stad? → weet ik niet',
    );
    expect(r.saidText).toContain(
      'Je 2 ideeën:\n• 4 maart 2026: “Een bankje”, status: uitgevoerd\nMet je foto. Die bewaren we tot 7 dagen.',
    );
    expect(r.saidText).toContain('status: lukt helaas niet');
    expect(r.saidText).toContain('We bewaren 1 bericht tussen jou en ons.');
    expect(r.saidText).toContain('Elk bericht wissen we na 7 dagen.');
  });

  it('words an answer as the version of the poll it was given under, not as the poll reads today', () => {
    const version = (n: number, text: string, label: string): Poll => ({
      ...PollSchema.parse({
        id: 'ontbijt',
        title: { nl: 'Buurtontbijt', en: 'Breakfast' },
        questions: [
          {
            id: 'dag',
            type: 'choice',
            text: { nl: text, en: text },
            options: [
              { code: 'za', label: { nl: label, en: label } },
              { code: 'zo', label: { nl: 'Zondag', en: 'Sunday' } },
            ],
          },
        ],
      }),
      version: n,
    });
    const v1 = version(1, 'Welke dag past voor het ontbijt?', 'Zaterdag');
    const v2 = version(2, 'Welke dag past het best?', 'Zaterdagochtend');
    const answer = { poll: 'ontbijt', question: 'dag', answerCode: 'za', answerNumber: null, text: null };
    const r = joinedResident({
      polls: new Map([['ontbijt', v2]]),
      storedData: storedData({
        answers: [
          { ...answer, pollVersion: 1, week: '2026-03-02' },
          { ...answer, pollVersion: 2, week: '2026-06-01' },
        ],
        pollVersions: new Map([
          ['ontbijt@1', v1],
          ['ontbijt@2', v2],
        ]),
      }),
    });
    r.send('GEGEVENS');
    expect(r.saidText).toContain(
      '• Buurtontbijt, week van 2 maart 2026: Welke dag past voor het ontbijt? → Zaterdag\n',
    );
    expect(r.saidText).toContain(
      '• Buurtontbijt, week van 1 juni 2026: Welke dag past het best? → Zaterdagochtend',
    );
  });

  it('says nothing about session questions when the resident sent none', () => {
    const r = joinedResident({ storedData: storedData() });
    r.send('GEGEVENS');
    expect(r.saidText).not.toMatch(/straatpraat|zonder je naam/);
  });
});

describe('packMessages', () => {
  it('keeps blocks whole while they fit, and splits a long block between lines', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `regel ${i}`.padEnd(20, '.'));
    const messages = packMessages(['kop', lines.join('\n'), 'slot'], 50);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(50);
    expect(messages.join('\n').replace(/\n+/g, '\n').split('\n')).toEqual(['kop', ...lines, 'slot']);
    expect(packMessages(['a', 'b'], 50)).toEqual(['a\n\nb']);
  });

  it('cuts a line longer than a message between characters', () => {
    expect(packMessages(['x'.repeat(120)], 50)).toEqual(['x'.repeat(50), 'x'.repeat(50), 'x'.repeat(20)]);
  });
});
