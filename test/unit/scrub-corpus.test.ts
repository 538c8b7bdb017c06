import { describe, expect, it } from 'vitest';
import { evaluate, loadCorpus, precision, recall, table } from '../helpers/scrub-metrics.js';

// Floors a little under what the scrubber reaches on the corpus (see the table this test prints, or
// run `npx tsx test/helpers/scrub-metrics.ts` for every miss): a change that loses recall or blanks
// ordinary words fails here.
const FLOORS = {
  all: { recall: 0.95, precision: 0.97 },
  naam: { recall: 0.93, precision: 0.95 },
  telefoon: { recall: 0.95, precision: 0.95 },
  'e-mail': { recall: 0.95, precision: 0.95 },
  adres: { recall: 0.95, precision: 0.95 },
  datum: { recall: 0.9, precision: 0.9 },
  account: { recall: 0.9, precision: 0.9 },
} as const;

describe('the scrubber on labelled resident texts', () => {
  const entries = loadCorpus();

  it('has at least 300 texts, with and without personal data, labelled consistently', () => {
    expect(entries.length).toBeGreaterThanOrEqual(300);
    expect(entries.filter((e) => e.pii.length === 0).length).toBeGreaterThanOrEqual(150);
    expect(entries.filter((e) => e.pii.length > 0).length).toBeGreaterThanOrEqual(150);
    for (const e of entries) for (const p of e.pii) expect(e.text.slice(p.start, p.end)).toBe(p.value);
  });

  it('keeps recall and precision per kind above their floors', () => {
    const evaluation = evaluate(entries);
    console.info(`scrubber on ${entries.length} labelled texts\n${table(evaluation)}`);
    for (const [kind, floor] of Object.entries(FLOORS)) {
      const score = evaluation.perKind.get(kind as keyof typeof FLOORS)!;
      expect(recall(score), `${kind} recall`).toBeGreaterThanOrEqual(floor.recall);
      expect(precision(score), `${kind} precision`).toBeGreaterThanOrEqual(floor.precision);
    }
  });
});
