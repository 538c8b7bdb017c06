import type { Language } from '../../src/domain/language.js';
import type { InboundPayload } from '../../src/domain/messages.js';
import { reply, say } from '../asks.js';
import { areaName, staffMessageForResident } from '../help-request.js';
import type { Texts } from '../i18n/texts.js';
import type { FlowContext, FlowResult } from '../types.js';
import {
  askConfirm,
  type Back,
  confirmAnswer,
  finish,
  LIST_TEXT,
  STAFF_LANG,
  shortDate,
  timeZoneOf,
  withDraft,
} from './asks.js';
import { type DeskState, type Draft, leadingNumber } from './state.js';
import type { HelpRequestView } from './types.js';

// Help requests as the wijkteam handles them: the inbox, taking one, a reply the resident gets signed
// with the staff member's first name, closing. The resident's side of HULP is flows/help-request.ts.

/** How long closed help requests are kept. */
const CLOSED_HELP_RETENTION_DAYS = 30;

function statusText(ctx: FlowContext, request: HelpRequestView): string {
  const lang = STAFF_LANG;
  if (request.status === 'closed') return say(ctx, lang, 'desk-help-status-closed');
  if (request.status === 'taken') {
    return say(ctx, lang, 'desk-help-status-taken', { name: request.takenBy?.name ?? '?' });
  }
  return request.flaggedAt
    ? say(ctx, lang, 'desk-help-status-flagged')
    : say(ctx, lang, 'desk-help-status-open');
}

function requestLine(ctx: FlowContext, request: HelpRequestView): string {
  const lang = STAFF_LANG;
  const head = say(ctx, lang, 'desk-help-line', {
    id: request.id,
    area: areaName(ctx, request.area),
    date: shortDate(request.createdAt, timeZoneOf(ctx)),
    status: statusText(ctx, request),
  });
  const subject = request.subject
    ? `“${request.subject.slice(0, LIST_TEXT)}”`
    : say(ctx, lang, 'desk-help-no-subject');
  return `${head}\n   ${subject}`;
}

export function helpRequestList(back: Back, ctx: FlowContext): FlowResult {
  const lang = STAFF_LANG;
  const requests = ctx.desk?.helpRequests ?? [];
  const audit = {
    type: 'desk' as const,
    action: { kind: 'audit' as const, action: 'help.list', details: { count: requests.length } },
  };
  if (requests.length === 0) return finish(back, [reply(say(ctx, lang, 'desk-help-none'))], [audit]);
  const text = [
    say(ctx, lang, 'desk-help-title', { count: requests.length }),
    ...requests.map((r) => requestLine(ctx, r)),
    say(ctx, lang, 'desk-help-hint'),
  ].join('\n\n');
  return finish(back, [reply(text)], [audit]);
}

/** The request a command names, or the line saying why there is none to act on. */
function requestFor(
  args: string,
  usage: string,
  ctx: FlowContext,
): { request: HelpRequestView; rest: string } | { error: string } {
  const lang = STAFF_LANG;
  const numbered = leadingNumber(args);
  if (!numbered) return { error: usage };
  const request = ctx.desk?.helpRequest;
  if (!request || request.id !== numbered.id)
    return { error: say(ctx, lang, 'desk-help-not-found', { id: numbered.id }) };
  if (request.status === 'closed')
    return { error: say(ctx, lang, 'desk-help-already-closed', { id: request.id }) };
  return { request, rest: numbered.rest };
}

function conversationText(ctx: FlowContext, request: HelpRequestView): string {
  const lang = STAFF_LANG;
  const messages = request.messages ?? [];
  if (messages.length === 0) return say(ctx, lang, 'desk-help-no-messages');
  return messages
    .map((m) => {
      const who = m.author === 'resident' ? say(ctx, lang, 'desk-help-resident') : (m.staffName ?? '?');
      return `${who}, ${shortDate(m.at, timeZoneOf(ctx))}:\n${m.text}`;
    })
    .join('\n\n');
}

export function takeRequest(args: string, back: Back, ctx: FlowContext): FlowResult {
  const lang = STAFF_LANG;
  const found = requestFor(args, say(ctx, lang, 'desk-usage-neem'), ctx);
  if ('error' in found) return finish(back, [reply(found.error)]);
  const { request } = found;
  const staff = ctx.staff!;
  const from = request.takenBy && request.takenBy.id !== staff.id ? request.takenBy.name : undefined;
  const header = from
    ? say(ctx, lang, 'desk-help-taken-over', { id: request.id, name: from ?? '?' })
    : say(ctx, lang, 'desk-help-taken', { id: request.id });
  const taken: HelpRequestView = { ...request, status: 'taken', takenBy: { id: staff.id, name: staff.name } };
  const parts = [header, requestLine(ctx, taken), conversationText(ctx, request)];
  if (!request.reachable) parts.push(say(ctx, lang, 'desk-help-unreachable'));
  parts.push(say(ctx, lang, 'desk-help-answer-hint', { id: request.id }));
  return finish(
    back,
    [reply(parts.join('\n\n'))],
    [{ type: 'desk', action: { kind: 'help.take', requestId: request.id } }],
  );
}

/** The message a resident gets for a staff reply, in their language, signed with the first name. */
function helpMessage(ctx: FlowContext, request: HelpRequestView, text: string): string {
  return staffMessageForResident(ctx, request.language, text, ctx.staff?.name ?? null, request.area, true);
}

export function answerRequest(args: string, back: Back, ctx: FlowContext): FlowResult {
  const lang = STAFF_LANG;
  const usage = say(ctx, lang, 'desk-usage-antwoord');
  const found = requestFor(args, usage, ctx);
  if ('error' in found) return finish(back, [reply(found.error)]);
  const { request, rest } = found;
  if (!rest) return finish(back, [reply(usage)]);
  if (!request.reachable) return finish(back, [reply(say(ctx, lang, 'desk-help-unreachable'))]);
  const text = rest.slice(0, 2000);
  const draft: Draft = { kind: 'help_reply', requestId: request.id, text, step: 'confirm' };
  const preview = `${say(ctx, lang, 'desk-help-preview')}\n\n${helpMessage(ctx, request, text)}`;
  return withDraft(back, draft, [reply(preview), ...askConfirm(ctx, 'send')]);
}

export function helpReplyConfirm(
  desk: DeskState,
  draft: Extract<Draft, { kind: 'help_reply' }>,
  input: InboundPayload,
  ctx: FlowContext,
): FlowResult {
  const lang = STAFF_LANG;
  const { back } = desk;
  if (draft.step === 'done') return finish(back, [reply(say(ctx, lang, 'desk-already-sent'))]);
  const answer = confirmAnswer(ctx, input);
  if (answer === 'nee') return finish(back, [reply(say(ctx, lang, 'desk-not-sent'))]);
  if (answer !== 'ja') return withDraft(back, draft, askConfirm(ctx, 'send', true), [], desk.misses + 1);
  const request = ctx.desk?.helpRequest;
  if (!request || request.id !== draft.requestId) {
    return finish(back, [reply(say(ctx, lang, 'desk-help-not-found', { id: draft.requestId }))]);
  }
  if (request.status === 'closed') {
    return finish(back, [reply(say(ctx, lang, 'desk-help-already-closed', { id: request.id }))]);
  }
  if (!request.reachable) return finish(back, [reply(say(ctx, lang, 'desk-help-unreachable'))]);
  return withDraft(
    back,
    { ...draft, step: 'done' },
    [reply(say(ctx, lang, 'desk-help-sent', { id: request.id }))],
    [
      {
        type: 'desk',
        action: {
          kind: 'help.reply',
          requestId: request.id,
          text: draft.text,
          message: reply(helpMessage(ctx, request, draft.text)),
        },
      },
    ],
  );
}

export function closeRequest(args: string, back: Back, ctx: FlowContext): FlowResult {
  const lang = STAFF_LANG;
  const found = requestFor(args, say(ctx, lang, 'desk-usage-sluit'), ctx);
  if ('error' in found) return finish(back, [reply(found.error)]);
  return finish(
    back,
    [reply(say(ctx, lang, 'desk-help-closed', { id: found.request.id, days: CLOSED_HELP_RETENTION_DAYS }))],
    [
      {
        type: 'desk',
        action: {
          kind: 'help.close',
          requestId: found.request.id,
          message: reply(closedNoticeForResident(ctx, found.request.language)),
        },
      },
    ],
  );
}

/** One line to the resident whose help request the wijkteam closed. */
export function closedNoticeForResident(ctx: { texts: Texts }, lang: Language): string {
  return say(ctx, lang, 'help-closed-resident');
}

/** The chat message that tells a wijkteam member of new help requests ("#12 (Nazareth)"). */
export function newRequestsNotice(
  ctx: { texts: Texts },
  lang: Language,
  requests: readonly { id: string; area: string | null }[],
): string {
  const list = requests.map((r) => (r.area ? `#${r.id} (${areaName(ctx, r.area)})` : `#${r.id}`)).join(', ');
  return say(ctx, lang, 'desk-help-new-notice', { count: requests.length, list });
}

/** The message that tells a wijkteam member which help requests have waited a working day. */
export function flaggedNotice(ctx: { texts: Texts }, lang: Language, ids: readonly string[]): string {
  return say(ctx, lang, 'desk-help-flagged-notice', { ids: ids.join(', ') });
}
