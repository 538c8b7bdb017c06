import type { Language, Localized } from '../src/domain/language.js';
import type { InboundPayload } from '../src/domain/messages.js';
import {
  defaultOfficeHours,
  isOfficeOpen,
  nextOpening,
  type OfficeHours,
} from '../src/domain/office-hours.js';
import { askMessages, readAnswer, reply, say, singleCode } from './asks.js';
import type { DeskConfig, HelpRequestView } from './desk/types.js';
import type { Texts } from './i18n/texts.js';
import { hasConsent, returnTo } from './onboarding.js';
import { parseAnswer } from './parse/answer.js';
import { normalise } from './parse/normalise.js';
import type { Question } from './polls/schema.js';
import {
  type HelpOfferState,
  type HelpSubjectState,
  type Resume,
  resumeOf,
  type State,
  type UnplacedQuestionState,
} from './state.js';
import type { FlowContext, FlowResult } from './types.js';

// A person, not a maze: HULP ends with the offer of a message from the wijkteam; yes asks
// one optional line about the subject, and the request lands in the wijkteam's inbox. While it is
// open, the resident's free text goes to it (keywords still win), and what the staff member writes
// comes back signed with their first name.

/** The ref of the offer's ask. */
const HELP_OFFER_REF = 'hulpvraag';
/** The ref of the offer after free text the bot could not place. */
const UNPLACED_REF = 'onbegrepen';
const SUBJECT: Question = { id: 'onderwerp', type: 'text', text: { nl: 'onderwerp' } };
const questions = new WeakMap<Texts, Question>();

/** "Wil je dat iemand van het wijkteam je een bericht stuurt?" as a yes/no question. */
function offerQuestion(ctx: { texts: Texts }): Question {
  let question = questions.get(ctx.texts);
  if (!question) {
    const label = (yes: boolean): Localized =>
      yes ? ctx.texts.localized('help-offer-yes') : ctx.texts.localized('help-offer-no');
    question = {
      id: HELP_OFFER_REF,
      type: 'yesno',
      text: { nl: HELP_OFFER_REF },
      options: [
        { code: 'ja', label: label(true) },
        { code: 'nee', label: label(false) },
      ],
    };
    questions.set(ctx.texts, question);
  }
  return question;
}

/** True while a request of the resident is not closed. */
function isOpen(request: HelpRequestView | null | undefined): request is HelpRequestView {
  return request !== null && request !== undefined && request.status !== 'closed';
}

/**
 * HULP after the service points: the offer, or — when a request is already open — how to add to it.
 * Null when there is nothing to offer (no consent yet, or stopped): HULP then just shows the help.
 */
export function helpOffer(ctx: FlowContext, lang: Language, resume: Resume, help: string): FlowResult | null {
  if (!hasConsent(ctx) || ctx.resident.status === 'stopped' || resume.join || resume.refused) return null;
  if (isOpen(ctx.desk?.ownHelpRequest)) {
    const back = returnTo(ctx, lang, resume, true);
    return {
      state: back.state,
      replies: [reply(help), reply(say(ctx, lang, 'help-already-open')), ...back.replies],
      effects: [],
    };
  }
  // A paused poll's hint still comes first: the offer is the last thing asked, so "1" answers it.
  const hint = returnTo(ctx, lang, resume, true).replies;
  const ask = askMessages(ctx, lang, offerQuestion(ctx), HELP_OFFER_REF, say(ctx, lang, 'help-offer'));
  return { state: { flow: 'help_offer', ...resume }, replies: [reply(help), ...hint, ...ask], effects: [] };
}

/**
 * The answer to the offer: yes asks for the subject, no goes back. Anything else is no answer to it:
 * null, and the conversation handles the message as if the offer had not been made (a tap on a
 * paused poll's question still answers it).
 */
export function helpOfferStep(
  state: HelpOfferState,
  input: InboundPayload,
  ctx: FlowContext,
  lang: Language,
): FlowResult | null {
  const resume = resumeOf(state);
  const code = singleCode(readAnswer(offerQuestion(ctx), input, HELP_OFFER_REF));
  if (code === 'ja') {
    return {
      state: { flow: 'help_subject', ...resume },
      replies: [reply(say(ctx, lang, 'help-subject-ask'))],
      effects: [],
    };
  }
  if (code !== 'nee') return null;
  const back = returnTo(ctx, lang, resume, true);
  return {
    state: back.state,
    replies: [reply(say(ctx, lang, 'help-declined')), ...back.replies],
    effects: [],
  };
}

/** The subject line (or none): the request goes to the inbox, and the resident hears when to expect an answer. */
export function helpSubjectStep(
  state: HelpSubjectState,
  input: InboundPayload,
  ctx: FlowContext,
  lang: Language,
): FlowResult {
  const parsed = input.kind === 'text' ? parseAnswer(SUBJECT, input.text) : ({ kind: 'skip' } as const);
  const subject = parsed.kind === 'text' ? parsed.text : undefined;
  const back = returnTo(ctx, lang, resumeOf(state), true);
  const already = isOpen(ctx.desk?.ownHelpRequest);
  return {
    state: back.state,
    replies: [
      reply(
        already
          ? say(ctx, lang, 'help-added')
          : `${say(ctx, lang, 'help-opened')}\n${whenAnswered(ctx, lang)}`,
      ),
      ...back.replies,
    ],
    effects: [{ type: 'desk', action: { kind: 'help.open', ...(subject && { subject }) } }],
  };
}

/** Words with at least one letter: a question needs them, noise (emoji, "ok", "?") has few. */
const WORD = /\p{L}/u;
/** At least this many words make free text a message worth a person's answer. */
export const UNPLACED_MIN_WORDS = 4;
/** A question mark makes a shorter message a question: "Wie kan helpen?". */
export const UNPLACED_MIN_WORDS_ASKING = 3;

/**
 * Whether free text the bot cannot place reads as a question or message for a person: at least four
 * words, or at least three with a question mark. One word, an emoji, "ok dank je" or an unknown
 * command ("/flash …") does not.
 */
export function isPlaceableByPerson(text: string): boolean {
  // "/flash …" from someone who is not staff is a command nobody knows, not a question.
  if (text.trimStart().startsWith('/')) return false;
  const words = normalise(text)
    .split(' ')
    .filter((w) => WORD.test(w)).length;
  return words >= UNPLACED_MIN_WORDS || (words >= UNPLACED_MIN_WORDS_ASKING && /[?¿？]/u.test(text));
}

/**
 * Free text while idle that the bot cannot place, of some length: the offer of an answer from the
 * wijkteam, keeping the text for the request. Null for short noise, which gets the menu as before.
 */
export function unplacedOffer(
  state: State,
  input: InboundPayload,
  ctx: FlowContext,
  lang: Language,
): FlowResult | null {
  if (input.kind !== 'text' || !hasConsent(ctx) || ctx.resident.status === 'stopped') return null;
  const text = input.text.trim();
  if (!isPlaceableByPerson(text)) return null;
  return {
    state: { flow: 'unplaced_question', text: text.slice(0, 1000), ...resumeOf(state) },
    replies: askMessages(ctx, lang, offerQuestion(ctx), UNPLACED_REF, say(ctx, lang, 'unplaced-offer')),
    effects: [],
  };
}

/**
 * The answer to that offer: yes opens a help request with the resident's text as its subject, no
 * goes back. Anything else is no answer to it: null, and the message is handled as if the offer had
 * not been made.
 */
export function unplacedStep(
  state: UnplacedQuestionState,
  input: InboundPayload,
  ctx: FlowContext,
  lang: Language,
): FlowResult | null {
  const code = singleCode(readAnswer(offerQuestion(ctx), input, UNPLACED_REF));
  if (code !== 'ja' && code !== 'nee') return null;
  const back = returnTo(ctx, lang, resumeOf(state), true);
  if (code === 'nee') {
    return {
      state: back.state,
      replies: [reply(say(ctx, lang, 'help-declined')), ...back.replies],
      effects: [],
    };
  }
  const already = isOpen(ctx.desk?.ownHelpRequest);
  return {
    state: back.state,
    replies: [
      reply(
        already
          ? say(ctx, lang, 'help-added')
          : `${say(ctx, lang, 'help-opened')}\n${whenAnswered(ctx, lang)}`,
      ),
      ...back.replies,
    ],
    effects: [{ type: 'desk', action: { kind: 'help.open', subject: state.text } }],
  };
}

/**
 * Free text while idle and a request is open: it goes to the request, and on to the staff member
 * who took it. Null when there is no open request.
 */
export function helpRelayStep(
  state: State,
  input: InboundPayload,
  ctx: FlowContext,
  lang: Language,
): FlowResult | null {
  const request = ctx.desk?.ownHelpRequest;
  if (!isOpen(request) || input.kind !== 'text' || input.text.trim() === '') return null;
  const text = input.text.trim().slice(0, 1000);
  const taken = request.status === 'taken' && request.takenBy;
  return {
    state,
    replies: [
      reply(
        taken
          ? say(ctx, lang, 'help-relayed', { name: request.takenBy?.name ?? say(ctx, lang, 'help-team') })
          : say(ctx, lang, 'help-added'),
      ),
    ],
    effects: [
      {
        type: 'desk',
        action: {
          kind: 'help.resident_message',
          requestId: request.id,
          text,
          ...(taken && { relay: reply(residentMessageForStaff(ctx, request, text)) }),
        },
      },
    ],
  };
}

/** What a resident wrote on their request, as the staff member who took it sees it (Dutch, no identity). */
export function residentMessageForStaff(
  ctx: { texts: Texts },
  request: HelpRequestView,
  text: string,
): string {
  const lang: Language = 'nl';
  return say(ctx, lang, 'desk-help-from-resident', {
    id: request.id,
    area: areaName(ctx, request.area),
    text,
  });
}

/** A staff member's message as the resident sees it: the text, signed with the first name and team. */
export function staffMessageForResident(
  ctx: { texts: Texts },
  lang: Language,
  text: string,
  staffName: string | null,
  area: string | null,
  answerBack: boolean,
): string {
  const team = teamName(ctx, lang, area);
  const signature = staffName
    ? say(ctx, lang, 'help-signature', { name: staffName, team })
    : say(ctx, lang, 'help-signature-team', { team });
  const lines = [text, '', signature];
  if (answerBack) lines.push(say(ctx, lang, 'help-answer-back'));
  return lines.join('\n');
}

/** "wijkteam Nazareth", or the wijkteam in general for residents elsewhere. */
function teamName(ctx: { texts: Texts }, lang: Language, area: string | null): string {
  if (area === 'nazareth') return say(ctx, lang, 'help-team-nazareth');
  if (area === 'pottenberg') return say(ctx, lang, 'help-team-pottenberg');
  return say(ctx, lang, 'help-team');
}

/** An area's name for staff listings. */
export function areaName(ctx: { texts: Texts }, area: string | null): string {
  const lang: Language = 'nl';
  if (area === 'nazareth') return say(ctx, lang, 'area-nazareth');
  if (area === 'pottenberg') return say(ctx, lang, 'area-pottenberg');
  if (area === 'elders') return say(ctx, lang, 'area-elders');
  return say(ctx, lang, 'desk-area-unknown');
}

function deskConfigOf(ctx: FlowContext): DeskConfig {
  return ctx.config.desk ?? { officeHours: defaultOfficeHours(), timeZone: 'Europe/Amsterdam' };
}

/**
 * The locale for weekday and month names in a resident's language, with Western digits so times and
 * dates read the same on every phone (Arabic would otherwise get Arabic-Indic digits).
 */
function dateLocale(lang: Language): string {
  if (lang === 'nl') return 'nl-NL';
  if (lang === 'en') return 'en-GB';
  return `${lang}-u-nu-latn`;
}

/** When the wijkteam will answer: now (office open) or when it opens, and the office hours. */
function whenAnswered(ctx: FlowContext, lang: Language): string {
  const { officeHours, timeZone } = deskConfigOf(ctx);
  const hours = officeHoursText(ctx, lang, officeHours);
  if (isOfficeOpen(officeHours, ctx.now, timeZone)) return say(ctx, lang, 'help-when-open', { hours });
  const opening = nextOpening(officeHours, ctx.now, timeZone);
  if (!opening) return say(ctx, lang, 'help-when-hours', { hours });
  const locale = dateLocale(lang);
  const dayOf = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(d);
  const tomorrow = new Date(ctx.now.getTime() + 86_400_000);
  const day =
    dayOf(opening) === dayOf(ctx.now)
      ? say(ctx, lang, 'help-today')
      : dayOf(opening) === dayOf(tomorrow)
        ? say(ctx, lang, 'help-tomorrow')
        : new Intl.DateTimeFormat(locale, {
            weekday: 'long',
            // Beyond this week (closed days in a row) the weekday alone would mislead.
            ...(opening.getTime() - ctx.now.getTime() >= 6 * 86_400_000 && { day: 'numeric', month: 'long' }),
            timeZone,
          }).format(opening);
  const time = new Intl.DateTimeFormat('nl-NL', { hour: '2-digit', minute: '2-digit', timeZone }).format(
    opening,
  );
  return say(ctx, lang, 'help-when-closed', { day, time, hours });
}

/** Office hours as residents read them: "maandag t/m vrijdag 09:00-17:00". */
function officeHoursText(ctx: { texts: Texts }, lang: Language, hours: OfficeHours): string {
  const locale = dateLocale(lang);
  // 7 January 2024 was a Sunday, so day n of that week has weekday n.
  const name = (weekday: number) =>
    new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2024, 0, 7 + weekday)),
    );
  const clock = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const byTimes = new Map<string, number[]>();
  for (const w of hours.windows) {
    const key = `${clock(w.open)}-${clock(w.close)}`;
    byTimes.set(key, [...(byTimes.get(key) ?? []), w.weekday]);
  }
  const parts: string[] = [];
  for (const [times, days] of byTimes) {
    // Monday first, Sunday last, as people read a week.
    const sorted = [...new Set(days)].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7));
    const first = sorted[0]!;
    const last = sorted.at(-1)!;
    const contiguous = sorted.length > 1 && ((last + 6) % 7) - ((first + 6) % 7) === sorted.length - 1;
    const daysText = contiguous
      ? say(ctx, lang, 'help-days-range', { from: name(first), to: name(last) })
      : sorted.map(name).join(', ');
    parts.push(`${daysText} ${times}`);
  }
  return parts.join('; ');
}
