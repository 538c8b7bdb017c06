import { type Language, localize } from '../src/domain/language.js';
import type { InboundPayload, OutboundMessageInput } from '../src/domain/messages.js';
import { askMessages, readAnswer, say } from './asks.js';
import type { Option, Question } from './polls/schema.js';
import type { FlowContext, NewsTopic, ResidentPatch } from './types.js';

// NIEUWS: the resident chooses the topics of the news they get, from the topics file
// (config/news-topics.json), several at once ("1 3", "1,4"), or "alles" / "niets". Stored as the
// profile's `newsTopics` (null: every topic) and `newsOptOut` ("niets" is STOP NIEUWS).

/** The ref of the NIEUWS question, so a button press is matched to it. */
export const NEWS_REF = 'nieuws';
/** The option codes for every topic and for none (never a topic's code: the topics file refuses them). */
export const ALL = 'alles';
export const NONE = 'niets';

const ALL_SYNONYMS = ['allemaal', 'alle', 'alle onderwerpen', 'all', 'all topics', 'everything'];
const NONE_SYNONYMS = ['geen', 'geen enkele', 'none', 'no topics', 'nothing'];

/** The topics residents choose from; none configured means NIEUWS only turns news on. */
export function newsTopicsOf(ctx: FlowContext): NewsTopic[] {
  return ctx.config.newsTopics ?? [];
}

/** The NIEUWS question: the topics in the file's order, then "alles" and "niets". */
export function newsQuestion(ctx: FlowContext): Question {
  const options: Option[] = [
    ...newsTopicsOf(ctx).map((t) => ({ code: t.code, label: t.label })),
    { code: ALL, label: ctx.texts.localized('news-all'), synonyms: { nl: ALL_SYNONYMS } },
    { code: NONE, label: ctx.texts.localized('news-none'), synonyms: { nl: NONE_SYNONYMS } },
  ];
  return { id: NEWS_REF, type: 'multi', text: { nl: NEWS_REF }, options };
}

/** The labels of topic codes in the resident's language, in the file's order ("Ouderen, Veiligheid"). */
export function topicLabels(ctx: FlowContext, lang: Language, codes: readonly string[]): string {
  const topics = newsTopicsOf(ctx);
  const known = topics.filter((t) => codes.includes(t.code)).map((t) => localize(t.label, lang));
  // A code no longer in the file (the list changed) is still shown, as stored.
  const unknown = codes.filter((c) => !topics.some((t) => t.code === c));
  return [...known, ...unknown].join(', ');
}

/** What news the resident gets now: all, none, or the topics. */
export function newsNowLine(ctx: FlowContext, lang: Language): string {
  const r = ctx.resident;
  if (r.newsOptOut) return say(ctx, lang, 'news-now-none');
  if (r.newsTopics === null) return say(ctx, lang, 'news-now-all');
  return say(ctx, lang, 'news-now-topics', { topics: topicLabels(ctx, lang, r.newsTopics) });
}

/** NIEUWS's question: what the resident gets now, then the numbered topics. */
export function askNews(ctx: FlowContext, lang: Language, retry = false): OutboundMessageInput[] {
  const text = retry
    ? say(ctx, lang, 'news-ask')
    : `${newsNowLine(ctx, lang)}\n${say(ctx, lang, 'news-ask')}`;
  return askMessages(ctx, lang, newsQuestion(ctx), NEWS_REF, text, retry);
}

/** The change to the profile for every topic: news on, no choice. */
export const ALL_NEWS: ResidentPatch = { newsOptOut: false, newsTopics: null };
/** The change to the profile for no news (STOP NIEUWS). */
export const NO_NEWS: ResidentPatch = { newsOptOut: true, newsTopics: null };

/**
 * An answer to NIEUWS: the profile change and the line that confirms it, or undefined when it is not
 * a clear choice ("alles" or "niets" together with topics is asked again). Choosing every topic is
 * "alles", so a topic added later reaches them too.
 */
export function newsChoice(
  ctx: FlowContext,
  lang: Language,
  input: InboundPayload,
): { patch: ResidentPatch; line: string } | undefined {
  const answer = readAnswer(newsQuestion(ctx), input, NEWS_REF);
  if (answer.kind !== 'option' || answer.codes.length === 0) return undefined;
  const codes = answer.codes;
  const special = codes.filter((c) => c === ALL || c === NONE);
  if (special.length > 0) {
    if (codes.length > 1) return undefined;
    return special[0] === ALL
      ? { patch: ALL_NEWS, line: say(ctx, lang, 'news-changed-all') }
      : { patch: NO_NEWS, line: say(ctx, lang, 'news-changed-none') };
  }
  const topics = newsTopicsOf(ctx);
  const chosen = topics.filter((t) => codes.includes(t.code)).map((t) => t.code);
  if (chosen.length === topics.length) return { patch: ALL_NEWS, line: say(ctx, lang, 'news-changed-all') };
  return {
    patch: { newsOptOut: false, newsTopics: chosen },
    line: say(ctx, lang, 'news-changed-topics', { topics: topicLabels(ctx, lang, chosen) }),
  };
}
