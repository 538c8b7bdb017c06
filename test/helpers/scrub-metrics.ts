import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Finding, findPersonalData, type PersonalDataKind, prepare } from '../../src/privacy/scrub.js';

/** One labelled resident text of test/fixtures/scrub-corpus.json. */
export interface CorpusEntry {
  text: string;
  pii: { kind: PersonalDataKind; start: number; end: number; value: string }[];
}

export const CORPUS_FILE = fileURLToPath(new URL('../fixtures/scrub-corpus.json', import.meta.url));

export function loadCorpus(): CorpusEntry[] {
  return (JSON.parse(readFileSync(CORPUS_FILE, 'utf8')) as { entries: CorpusEntry[] }).entries;
}

export interface Score {
  /** Labelled spans, and those of which no letter or digit survived. */
  expected: number;
  found: number;
  /** Findings, and those lying mostly (half or more of their letters and digits) in a labelled span. */
  predicted: number;
  correct: number;
}

export interface Evaluation {
  perKind: Map<PersonalDataKind | 'all', Score>;
  missed: { text: string; value: string; kind: string }[];
  wrong: { text: string; value: string; kind: string }[];
}

const counts = (text: string, from: number, to: number, inside: (i: number) => boolean) => {
  let all = 0;
  let hit = 0;
  for (let i = from; i < to; i++) {
    if (!/[\p{L}\p{N}]/u.test(text[i]!)) continue;
    all++;
    if (inside(i)) hit++;
  }
  return { all, hit };
};

/**
 * Recall per kind: a labelled span counts as found when none of its letters and digits is left, by a
 * finding of any kind. Precision per kind: a finding counts as right when at least half of its letters
 * and digits lie in labelled spans.
 */
export function evaluate(entries: CorpusEntry[]): Evaluation {
  const perKind = new Map<PersonalDataKind | 'all', Score>();
  const score = (k: PersonalDataKind | 'all') => {
    const s = perKind.get(k) ?? { expected: 0, found: 0, predicted: 0, correct: 0 };
    perKind.set(k, s);
    return s;
  };
  const missed: Evaluation['missed'] = [];
  const wrong: Evaluation['wrong'] = [];
  for (const entry of entries) {
    const prepared = prepare(entry.text);
    if (prepared.length !== entry.text.length)
      throw new Error(`preparing changes the length of ${JSON.stringify(entry.text)}`);
    const findings: Finding[] = findPersonalData(prepared);
    const covered = (i: number) => findings.some((f) => f.start <= i && i < f.end);
    const labelled = (i: number) => entry.pii.some((p) => p.start <= i && i < p.end);
    for (const p of entry.pii) {
      const { all, hit } = counts(prepared, p.start, p.end, covered);
      const ok = all > 0 && hit === all;
      for (const s of [score(p.kind), score('all')]) {
        s.expected++;
        if (ok) s.found++;
      }
      if (!ok) missed.push({ text: entry.text, value: p.value, kind: p.kind });
    }
    for (const f of findings) {
      const { all, hit } = counts(prepared, f.start, f.end, labelled);
      const ok = all > 0 && hit * 2 >= all;
      for (const s of [score(f.kind), score('all')]) {
        s.predicted++;
        if (ok) s.correct++;
      }
      if (!ok) wrong.push({ text: entry.text, value: prepared.slice(f.start, f.end), kind: f.kind });
    }
  }
  return { perKind, missed, wrong };
}

export const recall = (s: Score) => (s.expected === 0 ? 1 : s.found / s.expected);
export const precision = (s: Score) => (s.predicted === 0 ? 1 : s.correct / s.predicted);

/** The figures as a table, one line per kind. */
export function table(evaluation: Evaluation): string {
  const rows = [...evaluation.perKind].sort(([a], [b]) =>
    a === 'all' ? 1 : b === 'all' ? -1 : a.localeCompare(b),
  );
  return [
    'kind        labelled  found  recall  findings  right  precision',
    ...rows.map(
      ([kind, s]) =>
        `${kind.padEnd(10)}  ${String(s.expected).padStart(8)}  ${String(s.found).padStart(5)}  ${recall(s).toFixed(3).padStart(6)}  ${String(s.predicted).padStart(8)}  ${String(s.correct).padStart(5)}  ${precision(s).toFixed(3).padStart(9)}`,
    ),
  ].join('\n');
}

// `npx tsx test/helpers/scrub-metrics.ts`: the figures, and every miss and wrong finding.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const entries = loadCorpus();
  const evaluation = evaluate(entries);
  process.stdout.write(
    `${entries.length} texts, ${entries.filter((e) => e.pii.length > 0).length} with personal data\n`,
  );
  process.stdout.write(`${table(evaluation)}\n\nmissed:\n`);
  for (const m of evaluation.missed)
    process.stdout.write(`  ${m.kind}: ${JSON.stringify(m.value)} in ${JSON.stringify(m.text)}\n`);
  process.stdout.write('wrong:\n');
  for (const w of evaluation.wrong)
    process.stdout.write(`  ${w.kind}: ${JSON.stringify(w.value)} in ${JSON.stringify(w.text)}\n`);
}
