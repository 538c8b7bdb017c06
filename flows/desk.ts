import type { Language } from '../src/domain/language.js';
import type { InboundPayload, OutboundMessageInput } from '../src/domain/messages.js';
import { reply, say } from './asks.js';
import {
  askConfirm,
  confirmAnswer,
  finish,
  isCancel,
  line,
  STAFF_LANG,
  shortDate,
  withDraft,
} from './desk-asks.js';
import { flashStep, pollDraftStep, startFlash, startPollDraft } from './desk-broadcast.js';
import { ideaStatusOf } from './desk-loads.js';
import {
  type DeskState,
  type Draft,
  leadingNumber,
  mayUse,
  parseDeskState,
  type StaffCommand,
  staffCommandOf,
} from './desk-state.js';
import type { DeskResults, HelpRequestView, IdeaStatus, IdeaView, StaffContext } from './desk-types.js';
import { areaName, staffMessageForResident } from './help-request.js';
import type { Texts } from './i18n/texts.js';
import { parseKeyword } from './parse/keywords.js';
import type { ConversationState, FlowContext, FlowResult, FlowStep } from './types.js';

// The wijkteam's chat commands. The engine tells the flows who is staff (ctx.staff) and loads
// what a command reads (ctx.desk, see desk-loads.ts); everything that reaches a resident is previewed
// and waits for an explicit "ja". Staff see request and idea numbers, areas, dates and texts — never
// an address, a name or a chat id of a resident.

type Back = ConversationState | null;

/** How long closed help requests are kept. */
const CLOSED_HELP_RETENTION_DAYS = 30;
const LIST_TEXT = 200;

const timeZoneOf = (ctx: FlowContext) => ctx.config.desk?.timeZone ?? 'Europe/Amsterdam';

/**
 * Staff commands and staff dialogs; null when the message belongs to the resident conversation. A
 * command from someone who is not staff is handed to the resident conversation as ordinary text
 * (keyword commands such as `/start` stay commands).
 */
export function deskStep(
  raw: ConversationState | null,
  input: InboundPayload,
  ctx: FlowContext,
  resident: FlowStep,
): FlowResult | null {
  const inDesk = raw?.flow === 'desk';
  const desk = inDesk ? parseDeskState(raw) : null;
  const back: Back = inDesk ? ((desk?.back as Back | undefined) ?? null) : withoutPendingErase(raw);
  if (!ctx.staff) {
    if (inDesk) return resident(back, input, ctx);
    if (input.kind === 'command' && !parseKeyword(`/${input.name}`)) {
      return resident(
        raw,
        { kind: 'text', text: `/${input.name}${input.args ? ` ${input.args}` : ''}` },
        ctx,
      );
    }
    return null;
  }
  const command = staffCommandOf(input);
  if (command) return runCommand(command, back, desk, ctx);
  if (!inDesk) return null;
  if (!desk || input.kind === 'command') return resident(back, input, ctx);
  if (desk.draft.step === 'done' && confirmAnswer(ctx, input) !== 'ja') return resident(back, input, ctx);
  if (isCancel(input) && desk.draft.step !== 'done') {
    return finish(back, [reply(say(ctx, STAFF_LANG, 'desk-not-sent'))]);
  }
  return continueDraft(desk, input, ctx);
}

/**
 * The resident state a command interrupts, without a pending "really delete?": a staff dialog is full
 * of "ja", and one of them must never erase the staff member's own data afterwards.
 */
function withoutPendingErase(raw: ConversationState | null): Back {
  if (raw?.flow !== 'delete') return raw;
  return raw.paused ? { flow: 'idle', paused: raw.paused } : { flow: 'idle' };
}

function continueDraft(desk: DeskState, input: InboundPayload, ctx: FlowContext): FlowResult {
  const { draft } = desk;
  switch (draft.kind) {
    case 'flash':
      return flashStep(desk, draft, input, ctx);
    case 'poll':
      return pollDraftStep(desk, draft, input, ctx);
    case 'help_reply':
      return helpReplyConfirm(desk, draft, input, ctx);
    case 'idea_reply':
    case 'idea_status':
      return ideaConfirm(desk, draft, input, ctx);
  }
}

function runCommand(command: StaffCommand, back: Back, desk: DeskState | null, ctx: FlowContext): FlowResult {
  const lang = STAFF_LANG;
  const staff = ctx.staff!;
  if (!mayUse(staff.role, command.name)) return finish(back, [reply(say(ctx, lang, 'desk-not-allowed'))]);
  switch (command.name) {
    case 'help':
      return finish(back, [reply(helpList(ctx, staff))]);
    case 'cancel':
      return finish(back, [
        reply(
          desk && desk.draft.step !== 'done'
            ? say(ctx, lang, 'desk-not-sent')
            : say(ctx, lang, 'desk-nothing-to-cancel'),
        ),
      ]);
    case 'flash':
      return startFlash(command.args, back, ctx);
    case 'poll':
      return startPollDraft(command.args, back, ctx);
    case 'hulpvragen':
      return helpRequestList(back, ctx);
    case 'neem':
      return takeRequest(command.args, back, ctx);
    case 'antwoord':
      return answerRequest(command.args, back, ctx);
    case 'sluit':
      return closeRequest(command.args, back, ctx);
    case 'ideas':
      return ideaList(command.args, back, ctx);
    case 'idea':
      return ideaCommand(command.args, back, ctx);
    case 'results':
      return results(back, ctx);
  }
}

function helpList(ctx: FlowContext, staff: StaffContext): string {
  const lang = STAFF_LANG;
  if (staff.role === 'analyst') return say(ctx, lang, 'desk-help-analyst');
  return say(ctx, lang, 'desk-help-wijkteam');
}

// Help requests.

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

function helpRequestList(back: Back, ctx: FlowContext): FlowResult {
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

function takeRequest(args: string, back: Back, ctx: FlowContext): FlowResult {
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

function answerRequest(args: string, back: Back, ctx: FlowContext): FlowResult {
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

function helpReplyConfirm(
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

function closeRequest(args: string, back: Back, ctx: FlowContext): FlowResult {
  const lang = STAFF_LANG;
  const found = requestFor(args, say(ctx, lang, 'desk-usage-sluit'), ctx);
  if ('error' in found) return finish(back, [reply(found.error)]);
  return finish(
    back,
    [reply(say(ctx, lang, 'desk-help-closed', { id: found.request.id, days: CLOSED_HELP_RETENTION_DAYS }))],
    [{ type: 'desk', action: { kind: 'help.close', requestId: found.request.id } }],
  );
}

// Ideas: the wijkteam sees the idea, never its author.

/** An idea status as staff read it. */
function ideaStatusName(ctx: { texts: Texts }, status: string): string {
  const lang = STAFF_LANG;
  switch (status) {
    case 'nieuw':
      return say(ctx, lang, 'desk-idea-status-nieuw');
    case 'bekeken':
      return say(ctx, lang, 'desk-idea-status-bekeken');
    case 'gepland':
      return say(ctx, lang, 'desk-idea-status-gepland');
    case 'gedaan':
      return say(ctx, lang, 'desk-idea-status-gedaan');
    case 'niet_haalbaar':
      return say(ctx, lang, 'desk-idea-status-niet-haalbaar');
    default:
      return status;
  }
}

/** An idea theme as staff read it. */
function themeName(ctx: { texts: Texts }, theme: string): string {
  const lang = STAFF_LANG;
  switch (theme) {
    case 'gezondheid':
      return say(ctx, lang, 'theme-gezondheid');
    case 'geld_werk':
      return say(ctx, lang, 'theme-geld-werk');
    case 'leren':
      return say(ctx, lang, 'theme-leren');
    case 'wonen':
      return say(ctx, lang, 'theme-wonen');
    default:
      return say(ctx, lang, 'theme-anders');
  }
}

function ideaLine(ctx: FlowContext, idea: IdeaView): string {
  const lang = STAFF_LANG;
  const head = say(ctx, lang, 'desk-idea-line', {
    id: idea.id,
    area: areaName(ctx, idea.area),
    theme: themeName(ctx, idea.theme),
    date: shortDate(idea.createdAt, timeZoneOf(ctx)),
    status: ideaStatusName(ctx, idea.status),
  });
  return `${head}\n   “${idea.text.slice(0, LIST_TEXT)}”`;
}

function ideaList(args: string, back: Back, ctx: FlowContext): FlowResult {
  const lang = STAFF_LANG;
  const ideas = ctx.desk?.ideas ?? [];
  const status = ideaStatusOf(args);
  const audit = {
    type: 'desk' as const,
    action: {
      kind: 'audit' as const,
      action: 'ideas.list',
      details: { count: ideas.length, ...(status && { status }) },
    },
  };
  if (ideas.length === 0) return finish(back, [reply(say(ctx, lang, 'desk-ideas-none'))], [audit]);
  const text = [
    say(ctx, lang, 'desk-ideas-title', { count: ideas.length }),
    ...ideas.map((i) => ideaLine(ctx, i)),
    say(ctx, lang, 'desk-ideas-hint'),
  ].join('\n\n');
  return finish(back, [reply(text)], [audit]);
}

const quote = (text: string) => (text.length > 60 ? `${text.slice(0, 57).trimEnd()}…` : text);

/** What the author of an idea is told about a new status, in their language (none for "nieuw"). */
function ideaStatusMessage(
  ctx: { texts: Texts },
  lang: Language,
  idea: Pick<IdeaView, 'text'>,
  status: IdeaStatus,
): string | undefined {
  const args = { idea: quote(idea.text) };
  switch (status) {
    case 'bekeken':
      return say(ctx, lang, 'idea-status-bekeken', args);
    case 'gepland':
      return say(ctx, lang, 'idea-status-gepland', args);
    case 'gedaan':
      return say(ctx, lang, 'idea-status-gedaan', args);
    case 'niet_haalbaar':
      return say(ctx, lang, 'idea-status-niet-haalbaar', args);
    case 'nieuw':
      return undefined;
  }
}

/** A staff reply to an idea as its author sees it: which idea, the reply, the signature. */
function ideaReplyMessage(
  ctx: { texts: Texts },
  lang: Language,
  idea: Pick<IdeaView, 'text' | 'area'>,
  text: string,
  staffName: string | null,
): string {
  return `${say(ctx, lang, 'idea-reply-intro', { idea: quote(idea.text) })}\n\n${staffMessageForResident(ctx, lang, text, staffName, idea.area, false)}`;
}

function ideaCommand(args: string, back: Back, ctx: FlowContext): FlowResult {
  const lang = STAFF_LANG;
  const usage = say(ctx, lang, 'desk-usage-idea');
  const numbered = leadingNumber(args);
  if (!numbered) return finish(back, [reply(usage)]);
  const idea = ctx.desk?.idea;
  if (!idea || idea.id !== numbered.id) {
    return finish(back, [reply(say(ctx, lang, 'desk-idea-not-found', { id: numbered.id }))]);
  }
  const match = /^(\S+)\s*([\s\S]*)$/.exec(numbered.rest);
  const verb = match?.[1]?.toLowerCase();
  const rest = match?.[2]?.trim() ?? '';
  if (verb === 'status') {
    const status = ideaStatusOf(rest);
    if (!status) return finish(back, [reply(say(ctx, lang, 'desk-idea-bad-status'))]);
    if (status === idea.status) {
      return finish(back, [
        reply(say(ctx, lang, 'desk-idea-same-status', { id: idea.id, status: ideaStatusName(ctx, status) })),
      ]);
    }
    const draft: Draft = { kind: 'idea_status', ideaId: idea.id, status, step: 'confirm' };
    return withDraft(back, draft, [reply(ideaStatusPreview(ctx, idea, status)), ...askConfirm(ctx, 'save')]);
  }
  if (verb === 'reply' || verb === 'antwoord') {
    if (!rest) return finish(back, [reply(usage)]);
    if (!idea.reachable) return finish(back, [reply(say(ctx, lang, 'desk-idea-unreachable'))]);
    const text = rest.slice(0, 2000);
    const draft: Draft = { kind: 'idea_reply', ideaId: idea.id, text, step: 'confirm' };
    const preview = `${say(ctx, lang, 'desk-idea-reply-preview')}\n\n${ideaReplyMessage(ctx, idea.language, idea, text, ctx.staff?.name ?? null)}`;
    return withDraft(back, draft, [reply(preview), ...askConfirm(ctx, 'send')]);
  }
  return finish(back, [reply(usage)]);
}

function ideaStatusPreview(ctx: FlowContext, idea: IdeaView, status: IdeaStatus): string {
  const lang = STAFF_LANG;
  const parts = [
    say(ctx, lang, 'desk-idea-status-preview', { id: idea.id, status: ideaStatusName(ctx, status) }),
  ];
  const message = ideaStatusMessage(ctx, idea.language, idea, status);
  if (message && idea.reachable) parts.push(say(ctx, lang, 'desk-idea-author-gets'), message);
  else if (message) parts.push(say(ctx, lang, 'desk-idea-unreachable'));
  return parts.join('\n\n');
}

function ideaConfirm(
  desk: DeskState,
  draft: Extract<Draft, { kind: 'idea_reply' | 'idea_status' }>,
  input: InboundPayload,
  ctx: FlowContext,
): FlowResult {
  const lang = STAFF_LANG;
  const { back } = desk;
  if (draft.step === 'done') return finish(back, [reply(say(ctx, lang, 'desk-already-sent'))]);
  const kind = draft.kind === 'idea_reply' ? 'send' : 'save';
  const answer = confirmAnswer(ctx, input);
  if (answer === 'nee') return finish(back, [reply(say(ctx, lang, 'desk-not-sent'))]);
  if (answer !== 'ja') return withDraft(back, draft, askConfirm(ctx, kind, true), [], desk.misses + 1);
  const idea = ctx.desk?.idea;
  if (!idea || idea.id !== draft.ideaId) {
    return finish(back, [reply(say(ctx, lang, 'desk-idea-not-found', { id: draft.ideaId }))]);
  }
  const done = { ...draft, step: 'done' as const };
  if (draft.kind === 'idea_status') {
    const text = ideaStatusMessage(ctx, idea.language, idea, draft.status);
    return withDraft(
      back,
      done,
      [
        reply(
          say(ctx, lang, 'desk-idea-status-saved', {
            id: idea.id,
            status: ideaStatusName(ctx, draft.status),
          }),
        ),
      ],
      [
        {
          type: 'desk',
          action: {
            kind: 'idea.status',
            ideaId: idea.id,
            status: draft.status,
            ...(text && idea.reachable && { message: reply(text) }),
          },
        },
      ],
    );
  }
  if (!idea.reachable) return finish(back, [reply(say(ctx, lang, 'desk-idea-unreachable'))]);
  return withDraft(
    back,
    done,
    [reply(say(ctx, lang, 'desk-idea-reply-sent', { id: idea.id }))],
    [
      {
        type: 'desk',
        action: {
          kind: 'idea.reply',
          ideaId: idea.id,
          text: draft.text,
          message: reply(ideaReplyMessage(ctx, idea.language, idea, draft.text, ctx.staff?.name ?? null)),
        },
      },
    ],
  );
}

// Results.

function results(back: Back, ctx: FlowContext): FlowResult {
  const lang = STAFF_LANG;
  const r: DeskResults | undefined = ctx.desk?.results;
  const audit = {
    type: 'desk' as const,
    action: { kind: 'audit' as const, action: 'results.view', details: {} },
  };
  if (!r) return finish(back, [reply(say(ctx, lang, 'desk-try-again'))]);
  const list = (items: string[]) =>
    items.length > 0 ? items.join(' · ') : say(ctx, lang, 'desk-results-nothing');
  const lines: OutboundMessageInput[] = [
    line(
      [
        say(ctx, lang, 'desk-results-title'),
        say(ctx, lang, 'desk-results-residents', {
          list: list(r.residents.map((x) => `${areaName(ctx, x.area)} ${x.n}`)),
        }),
        say(ctx, lang, 'desk-results-help', {
          days: r.help.days,
          opened: r.help.opened,
          answered: r.help.answeredWithinDay,
          open: r.help.open,
          flagged: r.help.flagged,
        }),
        say(ctx, lang, 'desk-results-ideas', {
          list: list(r.ideas.map((x) => `${ideaStatusName(ctx, x.status)} ${x.n}`)),
        }),
        say(ctx, lang, 'desk-results-joins', { list: list(r.joins.map((x) => `${x.source} ${x.n}`)) }),
        say(ctx, lang, 'desk-results-waves', {
          list: list(
            r.waves.map((w) =>
              say(ctx, lang, 'desk-results-wave', {
                poll: w.poll,
                status: w.status,
                invited: w.invited,
                finished: w.finished,
              }),
            ),
          ),
        }),
      ].join('\n'),
    ),
  ];
  return finish(back, lines, [audit]);
}

/** The message that tells a wijkteam member which help requests have waited a working day (§4.7). */
export function flaggedNotice(ctx: { texts: Texts }, lang: Language, ids: readonly string[]): string {
  return say(ctx, lang, 'desk-help-flagged-notice', { ids: ids.join(', ') });
}
