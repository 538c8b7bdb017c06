import { type RenderContext, type ResultsForDraft, waveResultsDraft } from '../../flows/broadcast.js';
import type { Poll } from '../../flows/polls/schema.js';
import { LANGUAGES } from '../domain/language.js';
import type { WaveResults } from '../domain/wave-results.js';

// "You said, we did": the draft of a flash telling a wave's respondents what came out. It is made
// from the same suppressed results the wijkteam reads (`poll results`, `/results WAVE`,
// src/export/wave-results.ts), so the draft can never show more than those do.

/**
 * The draft's view of a wave's results: per question with answer options, the answer chosen most
 * and its share; null ("too few answers") where the results show no figures. Free-text questions
 * are left out. Ties go to the answer listed first.
 */
export function resultsForDraft(results: WaveResults, poll?: Poll): ResultsForDraft {
  if (results.questions.length === 0 && poll) {
    // Too few took part in the whole wave: every question says so.
    return {
      poll: results.title,
      questions: poll.questions.filter((q) => q.type !== 'text').map((q) => ({ text: q.text, top: null })),
    };
  }
  return {
    poll: results.title,
    questions: results.questions
      .filter((q) => q.type !== 'text')
      .map((q) => {
        const best = (q.total.distribution ?? []).reduce<
          (typeof q.total.distribution & {})[number] | undefined
        >((top, share) => (top === undefined || share.share > top.share ? share : top), undefined);
        if (q.total.too_few || !best) return { text: q.text, top: null };
        return { text: q.text, top: { label: best.label, share: Math.round(best.share * 100) } };
      }),
  };
}

/**
 * The draft of the results flash of a wave in every resident language (`texts`), Dutch and English
 * also on their own.
 */
export function draftWaveResults(
  render: RenderContext,
  results: WaveResults,
  poll?: Poll,
): { nl: string; en: string; texts: { nl: string } & Record<string, string>; results: ResultsForDraft } {
  const draft = resultsForDraft(results, poll);
  const texts = Object.fromEntries(
    LANGUAGES.map((language) => [language, waveResultsDraft(render, language, draft)]),
  ) as { nl: string } & Record<string, string>;
  return { nl: texts.nl, en: texts.en ?? texts.nl, texts, results: draft };
}
