// What the wijkteam sees of one poll wave (src/export/wave-results.ts computes it): plain data, so
// the chat desk flows can show it without reaching into the export code.

/** Dutch and English text. */
export type WaveResultsText = {
  nl: string;
  en: string;
};

/** What a question, area or wave with fewer respondents than the minimum shows instead of figures. */
export const TOO_FEW_ANSWERS: WaveResultsText = { nl: 'te weinig antwoorden', en: 'too few answers' };

/** What a wave that is not closed shows to someone who may see closed waves only. */
export const POLL_STILL_RUNNING: WaveResultsText = {
  nl: 'de peiling loopt nog',
  en: 'the poll is still running',
};

/** The share of respondents who gave one answer (a `multi` question's shares can add up to more than 1). */
export interface AnswerShare {
  code: string;
  label: WaveResultsText;
  /** 0–1, rounded to a whole percent. */
  share: number;
}

/** The figures of one question in the whole wave or one area; null figures when there are too few. */
export interface QuestionFigures {
  /** `totaal` or an area code (`onbekend`: answered before the resident told their area). */
  area: string;
  /** Respondents with a valid answer, rounded to a multiple of 5; null when too few. */
  n: number | null;
  too_few: boolean;
  distribution: AnswerShare[] | null;
  /** Mean mark (grade10 questions), one decimal. */
  mean: number | null;
}

/** One question of the wave. */
export interface QuestionResults {
  id: string;
  /** The poll's question type; a follow-up explanation is `text`. */
  type: string;
  text: WaveResultsText;
  /** The whole wave. */
  total: QuestionFigures;
  /** Per area, only when every area with answers reaches the minimum; else null. */
  areas: QuestionFigures[] | null;
  /** Free-text answers, scrubbed, in random order, without who or where; null when too few or none asked. */
  texts: string[] | null;
}

/** The results of one wave. */
export interface WaveResults {
  wave: string;
  poll: string;
  /** The version of the poll the wave was launched with (its questions are those shown). */
  poll_version: number;
  title: WaveResultsText;
  /** scheduled, open, closed or cancelled. */
  status: string;
  /** False when the wave is still running and the reader may see closed waves only: then no figures. */
  shown: boolean;
  /** Why nothing (or not everything) is shown: the poll is still running, or too few answered. */
  notice: WaveResultsText | null;
  min_cell: number;
  /** Respondents in the wave, rounded to a multiple of 5; null when too few or not shown. */
  respondents: number | null;
  questions: QuestionResults[];
}
