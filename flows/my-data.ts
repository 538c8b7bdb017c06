import { type Language, languageInfo, localize } from '../src/domain/language.js';
import type { OutboundMessageInput } from '../src/domain/messages.js';
import { isArea, reply, say } from './asks.js';
import { timeZoneOf } from './desk/asks.js';
import { topicLabels } from './news.js';
import { ANSWER_CODES, FOLLOW_UP_SUFFIX } from './poll.js';
import { optionsFor } from './polls/options.js';
import type { FlowContext, StoredAnswer, StoredData, StoredFlash } from './types.js';

// GEGEVENS: a copy of what is stored about the resident (the right of access). The engine loads the
// copy (`ctx.storedData`); this file only words it. Every line is built from stored data, so the same
// data always gives the same messages.

/**
 * The most characters one GEGEVENS message holds. Telegram and WhatsApp take 4096; staying well
 * below keeps each message readable on a phone and leaves room for a channel's own additions.
 */
export const DATA_MESSAGE_MAX = 3000;

/** How much of a flash's text names it in the copy. */
const FLASH_NAME_MAX = 60;

/** GEGEVENS: the profile, then (when the engine loaded it) everything else, in as many messages as needed. */
export function dataReplies(ctx: FlowContext, lang: Language): OutboundMessageInput[] {
  const blocks = [profileBlock(ctx, lang)];
  const data = ctx.storedData;
  if (data) {
    blocks.push(
      answersBlock(ctx, lang, data.answers),
      wavesBlock(ctx, lang, data),
      ideasBlock(ctx, lang, data),
      helpBlock(ctx, lang, data),
      rsvpBlock(ctx, lang, data.rsvps),
    );
    if (data.sessionQuestions.length > 0)
      blocks.push(sessionQuestionsBlock(ctx, lang, data.sessionQuestions));
    blocks.push(messagesBlock(ctx, lang, data));
  }
  blocks.push(say(ctx, lang, 'data-not-stored'));
  return packMessages(blocks, DATA_MESSAGE_MAX).map(reply);
}

function profileBlock(ctx: FlowContext, lang: Language): string {
  const r = ctx.resident;
  const empty = say(ctx, lang, 'data-empty');
  const date = (iso: string) => formatInstant(iso, lang, timeZoneOf(ctx));
  return [
    say(ctx, lang, 'data-title'),
    say(ctx, lang, 'data-channel', { channel: say(ctx, lang, `channel-${r.channel}`) }),
    say(ctx, lang, 'data-joined', { date: date(r.createdAt) }),
    ...(r.joinSource ? [say(ctx, lang, 'data-join-source', { source: r.joinSource })] : []),
    say(ctx, lang, 'data-language', {
      language: r.language ? languageInfo(r.language).name : empty,
    }),
    say(ctx, lang, 'data-area', {
      area: r.area && isArea(r.area) ? say(ctx, lang, `area-${r.area}`) : empty,
    }),
    say(ctx, lang, 'data-age', { age: r.ageGroup ? say(ctx, lang, `age-${r.ageGroup}`) : empty }),
    r.consentAt
      ? say(ctx, lang, 'data-consent-given', {
          date: date(r.consentAt),
          version: r.consentVersion ?? empty,
        })
      : r.consentRefusedAt
        ? say(ctx, lang, 'data-consent-refused', { date: date(r.consentRefusedAt) })
        : say(ctx, lang, 'data-consent-none'),
    r.newsOptOut
      ? say(ctx, lang, 'data-news-off')
      : r.newsTopics === null
        ? say(ctx, lang, 'data-news-on')
        : say(ctx, lang, 'data-news-topics', { topics: topicLabels(ctx, lang, r.newsTopics) }),
    say(ctx, lang, r.status === 'stopped' ? 'data-status-stopped' : 'data-status-active'),
  ].join('\n');
}

/** The poll as the resident answered it: the version of their answer when known, else the current one. */
function pollOf(ctx: FlowContext, a: StoredAnswer) {
  const asked =
    a.pollVersion === undefined ? undefined : ctx.storedData?.pollVersions?.get(`${a.poll}@${a.pollVersion}`);
  return asked ?? ctx.polls.get(a.poll);
}

/** Each answer: the poll's title, the question, the answer as the resident saw it, and the week. */
function answersBlock(ctx: FlowContext, lang: Language, answers: StoredAnswer[]): string {
  const lines = [say(ctx, lang, 'data-answers', { count: answers.length })];
  for (const a of answers) {
    const poll = pollOf(ctx, a);
    lines.push(
      say(ctx, lang, 'data-answer', {
        poll: poll ? localize(poll.title, lang) : a.poll,
        week: formatDay(a.week, lang),
        question: questionText(ctx, lang, a),
        answer: answerText(ctx, lang, a),
      }),
    );
  }
  return lines.join('\n');
}

function questionText(ctx: FlowContext, lang: Language, a: StoredAnswer): string {
  const poll = pollOf(ctx, a);
  const followUp = a.question.endsWith(FOLLOW_UP_SUFFIX);
  const id = followUp ? a.question.slice(0, -FOLLOW_UP_SUFFIX.length) : a.question;
  const question = poll?.questions.find((q) => q.id === id);
  if (!question) return a.question;
  if (followUp) return question.followUp ? localize(question.followUp.text, lang) : a.question;
  return localize(question.text, lang);
}

/** The answer's label in the resident's language; several options of one answer joined with commas. */
function answerText(ctx: FlowContext, lang: Language, a: StoredAnswer): string {
  if (a.text !== null) return say(ctx, lang, 'data-answer-text', { text: a.text });
  switch (a.answerCode) {
    case null:
      return a.answerNumber === null ? say(ctx, lang, 'data-empty') : String(a.answerNumber);
    case ANSWER_CODES.dontKnow:
      return say(ctx, lang, 'data-answer-dont-know');
    case ANSWER_CODES.skipped:
      return say(ctx, lang, 'data-answer-skipped');
    case ANSWER_CODES.invalid:
      return say(ctx, lang, 'data-answer-invalid');
  }
  const question = pollOf(ctx, a)?.questions.find((q) => q.id === a.question);
  const options = question ? optionsFor(question) : [];
  return a.answerCode
    .split(',')
    .map((code) => {
      const option = options.find((o) => o.code === code);
      return option ? localize(option.label, lang) : code;
    })
    .join(', ');
}

function wavesBlock(ctx: FlowContext, lang: Language, data: StoredData): string {
  const lines = [say(ctx, lang, 'data-waves', { count: data.waves.length })];
  for (const w of data.waves) {
    const poll = ctx.polls.get(w.poll);
    lines.push(
      say(ctx, lang, 'data-wave', {
        poll: poll ? localize(poll.title, lang) : w.poll,
        date: formatInstant(w.invitedAt, lang, timeZoneOf(ctx)),
        status: waveStatus(ctx, lang, w.status),
      }),
    );
  }
  return lines.join('\n');
}

function waveStatus(ctx: FlowContext, lang: Language, status: string): string {
  switch (status) {
    case 'held':
      return say(ctx, lang, 'data-wave-held');
    case 'started':
      return say(ctx, lang, 'data-wave-started');
    case 'finished':
      return say(ctx, lang, 'data-wave-finished');
    default:
      return say(ctx, lang, 'data-wave-invited');
  }
}

function ideasBlock(ctx: FlowContext, lang: Language, data: StoredData): string {
  const lines = [say(ctx, lang, 'data-ideas', { count: data.ideas.length })];
  for (const idea of data.ideas) {
    lines.push(
      say(ctx, lang, 'data-idea', {
        date: formatInstant(idea.createdAt, lang, timeZoneOf(ctx)),
        text: idea.text,
        status: ideaStatus(ctx, lang, idea.status),
      }),
    );
    if (idea.media) {
      const days = ctx.config.messageLogDays ?? 7;
      lines.push(
        idea.media === 'audio'
          ? say(ctx, lang, 'data-idea-media-audio', { days })
          : say(ctx, lang, 'data-idea-media-image', { days }),
      );
    }
    for (const r of idea.replies ?? []) {
      lines.push(
        say(ctx, lang, 'data-idea-reply', {
          date: formatInstant(r.createdAt, lang, timeZoneOf(ctx)),
          text: r.text,
        }),
      );
    }
  }
  return lines.join('\n');
}

function ideaStatus(ctx: FlowContext, lang: Language, status: string): string {
  switch (status) {
    case 'bekeken':
      return say(ctx, lang, 'data-idea-seen');
    case 'gepland':
      return say(ctx, lang, 'data-idea-planned');
    case 'gedaan':
      return say(ctx, lang, 'data-idea-done');
    case 'niet_haalbaar':
      return say(ctx, lang, 'data-idea-not-possible');
    default:
      return say(ctx, lang, 'data-idea-new');
  }
}

function helpBlock(ctx: FlowContext, lang: Language, data: StoredData): string {
  const lines = [say(ctx, lang, 'data-help-requests', { count: data.helpRequests.length })];
  for (const h of data.helpRequests) {
    const date = formatInstant(h.createdAt, lang, timeZoneOf(ctx));
    const status =
      h.status === 'closed'
        ? say(ctx, lang, 'data-help-closed')
        : h.status === 'taken'
          ? say(ctx, lang, 'data-help-taken')
          : say(ctx, lang, 'data-help-open');
    lines.push(
      h.subject
        ? say(ctx, lang, 'data-help-request', { date, subject: h.subject, status })
        : say(ctx, lang, 'data-help-request-no-subject', { date, status }),
    );
    for (const m of h.messages ?? []) {
      const args = { date: formatInstant(m.createdAt, lang, timeZoneOf(ctx)), text: m.text };
      lines.push(
        m.author === 'staff'
          ? say(ctx, lang, 'data-help-message-staff', args)
          : say(ctx, lang, 'data-help-message-resident', args),
      );
    }
  }
  return lines.join('\n');
}

function rsvpBlock(ctx: FlowContext, lang: Language, rsvps: StoredFlash[]): string {
  const lines = [say(ctx, lang, 'data-rsvps', { count: rsvps.length })];
  for (const f of rsvps) {
    lines.push(
      say(ctx, lang, 'data-rsvp', {
        what: flashName(ctx, lang, f),
        date: formatInstant(f.at, lang, timeZoneOf(ctx)),
      }),
    );
  }
  return lines.join('\n');
}

/** Only that the resident asked something is linked to them; the question itself is not. */
function sessionQuestionsBlock(ctx: FlowContext, lang: Language, asked: StoredFlash[]): string {
  return [
    ...asked.map((f) => say(ctx, lang, 'data-session-question', { what: flashName(ctx, lang, f) })),
    say(ctx, lang, 'data-session-questions-unlinked'),
  ].join('\n');
}

function messagesBlock(ctx: FlowContext, lang: Language, data: StoredData): string {
  return [
    say(ctx, lang, 'data-messages', { count: data.messages }),
    say(ctx, lang, 'data-messages-retention', { days: ctx.config.messageLogDays ?? 7 }),
  ].join('\n');
}

/** A session by its date, a flash by the start of its text. */
function flashName(ctx: FlowContext, lang: Language, f: StoredFlash): string {
  if (f.kind === 'session' && f.sessionAt) {
    return say(ctx, lang, 'data-session', { date: formatInstant(f.sessionAt, lang, timeZoneOf(ctx)) });
  }
  const text = (localize(f.texts, lang).split('\n')[0] ?? '').trim();
  const name = text.length > FLASH_NAME_MAX ? `${text.slice(0, FLASH_NAME_MAX - 1).trimEnd()}…` : text;
  return say(ctx, lang, 'data-flash', { text: name });
}

/** A stored instant as the date residents read ("3 maart 2026"), in the city's time zone. */
function formatInstant(iso: string, lang: Language, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso.slice(0, 10);
  return dateFormat(lang, timeZone).format(date);
}

/** A calendar day (YYYY-MM-DD) as residents read it. */
function formatDay(day: string, lang: Language): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (Number.isNaN(date.getTime())) return day;
  return dateFormat(lang, 'UTC').format(date);
}

function dateFormat(lang: Language, timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone,
  });
}

/**
 * Blocks packed into messages of at most `max` characters, in order: a block that does not fit in
 * the current message starts the next one; a block longer than `max` is split between lines (and a
 * line longer than `max`, between characters).
 */
export function packMessages(blocks: readonly string[], max: number): string[] {
  const messages: string[] = [];
  let current = '';
  const add = (piece: string, separator: string) => {
    if (current === '') current = piece;
    else if (current.length + separator.length + piece.length <= max) current += separator + piece;
    else {
      messages.push(current);
      current = piece;
    }
  };
  for (const block of blocks) {
    if (block.length <= max) {
      add(block, '\n\n');
      continue;
    }
    let first = true;
    for (const line of block.split('\n')) {
      for (let i = 0; i < Math.max(1, line.length); i += max) {
        add(line.slice(i, i + max), first ? '\n\n' : '\n');
        first = false;
      }
    }
  }
  if (current !== '') messages.push(current);
  return messages;
}
