import { randomInt } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { FOLLOW_UP_SUFFIX } from '../../flows/poll.js';
import { optionsFor } from '../../flows/polls/options.js';
import type { Poll, Question } from '../../flows/polls/schema.js';
import type { Database } from '../db/schema.js';
import type { Localized } from '../domain/language.js';
import { AREAS } from '../domain/resident.js';
import {
  POLL_STILL_RUNNING,
  type QuestionFigures,
  type QuestionResults,
  TOO_FEW_ANSWERS,
  type WaveResults,
  type WaveResultsText,
} from '../domain/wave-results.js';
import { scrub } from '../privacy/scrub.js';
import { computeAggregates, TOTAL, UNKNOWN } from './aggregates.js';
import { NOT_VALID_CODES } from './codebook.js';
import { MIN_CELL_FLOOR, N_ROUNDING, roundN, roundRatio } from './suppression.js';

export type { WaveResults } from '../domain/wave-results.js';

/** What the results of a wave need besides the wave. */
export interface WaveResultsOptions {
  /** SUPPRESSION_MIN_CELL; never below 5. */
  minCell: number;
  polls: ReadonlyMap<string, Poll>;
  /**
   * One version of a poll (the database's catalog): the wave's questions are those of the version it
   * was launched with. Without it, or when that version is unknown, the poll in `polls`.
   */
  pollVersion?: (poll: string, version: number) => Poll | undefined;
  /**
   * Show a wave that is not closed yet (analysts, admins). The wijkteam sees closed waves only: two
   * looks at a growing wave differ by the newest answers (test/integration/aggregates-differencing.test.ts).
   */
  includeRunning: boolean;
}

/** How the figures are made, for the JSON document and the docs. */
export function waveResultsMethod(minCell: number): Record<string, string> {
  return {
    n: `distinct respondents with a valid answer, rounded to a multiple of ${N_ROUNDING}; weet_niet, overgeslagen and invalid are left out; a respondent who answered twice counts once, with the latest answer`,
    too_few: `a question, an area or a wave with fewer than ${minCell} respondents shows "${TOO_FEW_ANSWERS.nl}" and no figures`,
    distribution:
      'share of respondents per answer, rounded to a whole percent (several answers of a multi question each count)',
    mean: 'mean mark (1-10), rounded to one decimal',
    areas: `per area only when every area with answers (also "${UNKNOWN}") reaches the minimum, so no area can be worked out from the total, and when the aggregates of the wave hide no area cell of the question's indicator`,
    texts:
      'free-text answers scrubbed of personal data (again, when shown), in random order, without respondent, area or age group',
    running: `a wave that is not closed is shown to analysts only; the wijkteam sees "${POLL_STILL_RUNNING.nl}"`,
  };
}

interface AnswerRow {
  question: string;
  area: string;
  answer_code: string | null;
  answer_number: number | null;
  text: string | null;
}

/**
 * The results of one wave, read from the monitor store (works on an export connection, which sees
 * only the monitor schema). Undefined when there is no such wave.
 */
export async function waveResults(
  db: Kysely<Database>,
  waveId: string,
  options: WaveResultsOptions,
): Promise<WaveResults | undefined> {
  const minCell = Math.max(MIN_CELL_FLOOR, options.minCell);
  const { rows: waves } = await sql<{ poll: string; status: string; poll_version: number }>`
    select poll, status, poll_version from wave_status where id = ${waveId}::uuid`.execute(db);
  const wave = waves[0];
  if (!wave) return undefined;
  // The version the wave pinned at launch: a later version's questions are not what was asked.
  const poll = options.pollVersion?.(wave.poll, wave.poll_version) ?? options.polls.get(wave.poll);
  const polls = poll ? new Map(options.polls).set(poll.id, poll) : options.polls;
  const base = {
    wave: waveId,
    poll: wave.poll,
    poll_version: wave.poll_version,
    title: bilingual(poll?.title ?? { nl: wave.poll }),
    status: wave.status,
    min_cell: minCell,
  };
  if (wave.status !== 'closed' && !options.includeRunning) {
    return { ...base, shown: false, notice: POLL_STILL_RUNNING, respondents: null, questions: [] };
  }
  const [{ rows }, { rows: counted }] = await Promise.all([
    sql<AnswerRow>`
      select distinct on (question, respondent) question, coalesce(area, ${UNKNOWN}) as area,
        answer_code, answer_number, text
      from answers where wave_id = ${waveId}::uuid
      order by question, respondent, answered_on desc, id desc`.execute(db),
    sql<{ n: number }>`
      select count(distinct respondent)::int as n from answers where wave_id = ${waveId}::uuid`.execute(db),
  ]);
  const respondents = counted[0]?.n ?? 0;
  const running = wave.status !== 'closed' ? POLL_STILL_RUNNING : null;
  if (respondents < minCell || !poll) {
    return { ...base, shown: true, notice: TOO_FEW_ANSWERS, respondents: null, questions: [] };
  }
  const byQuestion = new Map<string, AnswerRow[]>();
  for (const row of rows) byQuestion.set(row.question, [...(byQuestion.get(row.question) ?? []), row]);
  // What the aggregates of this wave hide stays hidden here too: an area cell they hide to protect a
  // small age group must not be given away by its distribution.
  const { cells } = await computeAggregates(db, { wave: waveId }, { minCell, polls });
  const hidden = (indicator: string | undefined, level: 'total' | 'area') =>
    indicator !== undefined &&
    cells.some((c) => c.indicator === indicator && c.level === level && c.suppressed);
  const questions: QuestionResults[] = [];
  for (const question of poll.questions) {
    const result = questionResults(question, byQuestion.get(question.id) ?? [], minCell);
    if (hidden(question.indicator, 'total')) {
      result.total = tooFew(TOTAL);
      result.areas = null;
    } else if (hidden(question.indicator, 'area')) result.areas = null;
    questions.push(result);
    if (question.followUp) {
      const id = `${question.id}${FOLLOW_UP_SUFFIX}`;
      questions.push(textResults(id, bilingual(question.followUp.text), byQuestion.get(id) ?? [], minCell));
    }
  }
  return { ...base, shown: true, notice: running, respondents: roundN(respondents), questions };
}

function bilingual(text: Localized): WaveResultsText {
  return { nl: text.nl, en: text.en ?? text.nl };
}

function tooFew(area: string): QuestionFigures {
  return { area, n: null, too_few: true, distribution: null, mean: null };
}

function questionResults(question: Question, rows: readonly AnswerRow[], minCell: number): QuestionResults {
  if (question.type === 'text') return textResults(question.id, bilingual(question.text), rows, minCell);
  const valid = rows.filter((r) => r.answer_code !== null && !NOT_VALID_CODES.includes(r.answer_code));
  const options = optionsFor(question);
  const figures = (area: string, of: readonly AnswerRow[]): QuestionFigures => {
    if (of.length < minCell) return tooFew(area);
    const distribution = options.map((o) => ({
      code: o.code,
      label: bilingual(o.label),
      share: roundRatio(of.filter((r) => r.answer_code!.split(',').includes(o.code)).length, of.length, 100),
    }));
    const marks = of.filter((r) => r.answer_number !== null);
    const mean =
      question.type === 'grade10' && marks.length === of.length
        ? roundRatio(
            marks.reduce((s, r) => s + r.answer_number!, 0),
            marks.length,
            10,
          )
        : null;
    return { area, n: roundN(of.length), too_few: false, distribution, mean };
  };
  const total = figures(TOTAL, valid);
  const areaNames = [...new Set(valid.map((r) => r.area))].sort(byArea);
  const perArea = areaNames.map((area) => valid.filter((r) => r.area === area));
  // Every area or none: a single hidden area would be the total minus the others.
  const areas =
    !total.too_few && perArea.every((of) => of.length >= minCell)
      ? perArea.map((of, i) => figures(areaNames[i]!, of))
      : null;
  return { id: question.id, type: question.type, text: bilingual(question.text), total, areas, texts: null };
}

function textResults(
  id: string,
  text: WaveResultsText,
  rows: readonly AnswerRow[],
  minCell: number,
): QuestionResults {
  const written = rows.filter((r) => r.text !== null && r.text.trim() !== '');
  if (written.length < minCell) {
    return { id, type: 'text', text, total: tooFew(TOTAL), areas: null, texts: null };
  }
  // Scrubbed again: the scrubber may know more now than when the answer was stored.
  const texts = shuffle(written.map((r) => scrub(r.text!)));
  return {
    id,
    type: 'text',
    text,
    total: { area: TOTAL, n: roundN(written.length), too_few: false, distribution: null, mean: null },
    areas: null,
    texts,
  };
}

const AREA_ORDER: readonly string[] = [...AREAS, UNKNOWN];
function byArea(a: string, b: string): number {
  const rank = (v: string) => (AREA_ORDER.includes(v) ? AREA_ORDER.indexOf(v) : AREA_ORDER.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** A copy in random order (Fisher–Yates with a cryptographic source), so order gives nothing away. */
function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The results as lines for a terminal, in Dutch (the wijkteam's language) with the English labels. */
export function waveResultsLines(r: WaveResults): string[] {
  const head = `wave ${r.wave} of poll ${r.poll} (${r.title.nl}): ${r.status}`;
  if (!r.shown) return [head, `  ${r.notice?.nl} / ${r.notice?.en}`];
  if (r.respondents === null) return [head, `  ${TOO_FEW_ANSWERS.nl} / ${TOO_FEW_ANSWERS.en}`];
  const lines = [head, `  respondents: ${r.respondents}`];
  if (r.notice) lines.push(`  ${r.notice.nl} / ${r.notice.en}`);
  const figureLine = (f: QuestionFigures) => {
    if (f.too_few) return `    ${f.area}: ${TOO_FEW_ANSWERS.nl}`;
    const parts = (f.distribution ?? []).map((d) => `${d.label.nl} ${Math.round(d.share * 100)}%`);
    const mean = f.mean === null ? '' : `, gemiddeld ${f.mean}`;
    return `    ${f.area} (n=${f.n}${mean}): ${parts.join(' · ')}`;
  };
  for (const q of r.questions) {
    lines.push(`  ${q.id}: ${q.text.nl}`);
    if (q.type === 'text') {
      if (q.texts === null) lines.push(`    ${TOO_FEW_ANSWERS.nl}`);
      else {
        lines.push(`    n=${q.total.n}`);
        for (const t of q.texts) lines.push(`    - ${t.replace(/\s+/g, ' ')}`);
      }
      continue;
    }
    lines.push(figureLine(q.total));
    for (const a of q.areas ?? []) lines.push(figureLine(a));
  }
  return lines;
}
