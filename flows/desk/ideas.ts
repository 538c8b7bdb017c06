import type { Language } from '../../src/domain/language.js';
import type { InboundPayload } from '../../src/domain/messages.js';
import type { Area } from '../../src/domain/resident.js';
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
import { ideaStatusOf, ideasQueryOf } from './loads.js';
import { type DeskState, type Draft, leadingNumber } from './state.js';
import type { IdeaStatus, IdeaView } from './types.js';

// Ideas as the wijkteam handles them: the list, a new status, a reply to the author. The wijkteam sees
// the idea, never its author. The resident's side is flows/idea.ts.

/** An idea status as staff read it. */
export function ideaStatusName(ctx: { texts: Texts }, status: string): string {
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

/**
 * `/ideas [status] [area]`: a page of ideas, newest first; when more follow, "volgende" (or
 * `/ideas volgende`) shows the next page with the same filter.
 */
export function ideaList(args: string, back: Back, desk: DeskState | null, ctx: FlowContext): FlowResult {
  const lang = STAFF_LANG;
  const query = ideasQueryOf(args);
  if (!query) return finish(back, [reply(say(ctx, lang, 'desk-usage-ideas'))]);
  if (query.next) {
    const page = desk?.draft.kind === 'ideas' ? desk.draft : undefined;
    if (!page) return finish(back, [reply(say(ctx, lang, 'desk-ideas-no-next'))]);
    return ideasPage(back, ctx, { status: page.status, area: page.area, shown: page.shown });
  }
  return ideasPage(back, ctx, { status: query.status, area: query.area, shown: 0 });
}

/** "volgende" after a page of ideas. */
export function nextIdeasPage(
  desk: DeskState,
  page: Extract<Draft, { kind: 'ideas' }>,
  ctx: FlowContext,
): FlowResult {
  return ideasPage(desk.back, ctx, { status: page.status, area: page.area, shown: page.shown });
}

function ideasPage(
  back: Back,
  ctx: FlowContext,
  page: { status: IdeaStatus | undefined; area: Area | undefined; shown: number },
): FlowResult {
  const lang = STAFF_LANG;
  const ideas = ctx.desk?.ideas ?? [];
  const more = ctx.desk?.ideasMore ?? false;
  const { status, area } = page;
  const audit = {
    type: 'desk' as const,
    action: {
      kind: 'audit' as const,
      action: 'ideas.list',
      details: {
        count: ideas.length,
        ...(status && { status }),
        ...(area && { area }),
        ...(page.shown > 0 && { after: page.shown }),
      },
    },
  };
  const filter = [status && ideaStatusName(ctx, status), area && areaName(ctx, area)]
    .filter(Boolean)
    .join(', ');
  if (ideas.length === 0) {
    const none =
      page.shown > 0
        ? say(ctx, lang, 'desk-ideas-no-more')
        : filter
          ? say(ctx, lang, 'desk-ideas-none-filtered', { filter })
          : say(ctx, lang, 'desk-ideas-none');
    return finish(back, [reply(none)], [audit]);
  }
  const from = page.shown + 1;
  const to = page.shown + ideas.length;
  const title = filter
    ? say(ctx, lang, 'desk-ideas-title-filtered', { from, to, filter })
    : say(ctx, lang, 'desk-ideas-title', { from, to });
  const text = [
    title,
    ...ideas.map((i) => ideaLine(ctx, i)),
    more ? say(ctx, lang, 'desk-ideas-more') : say(ctx, lang, 'desk-ideas-hint'),
  ].join('\n\n');
  if (!more) return finish(back, [reply(text)], [audit]);
  const last = ideas[ideas.length - 1]!;
  const next: Draft = {
    kind: 'ideas',
    step: 'page',
    ...(status && { status }),
    ...(area && { area }),
    after: { id: last.id, createdAt: last.createdAt },
    shown: to,
  };
  return withDraft(back, next, [reply(text)], [audit]);
}

const quote = (text: string) => (text.length > 60 ? `${text.slice(0, 57).trimEnd()}…` : text);

/** What the author of an idea is told about a new status, in their language (none for "nieuw"). */
export function ideaStatusMessage(
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
export function ideaReplyMessage(
  ctx: { texts: Texts },
  lang: Language,
  idea: Pick<IdeaView, 'text' | 'area'>,
  text: string,
  staffName: string | null,
): string {
  return `${say(ctx, lang, 'idea-reply-intro', { idea: quote(idea.text) })}\n\n${staffMessageForResident(ctx, lang, text, staffName, idea.area, false)}`;
}

export function ideaCommand(args: string, back: Back, ctx: FlowContext): FlowResult {
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

export function ideaConfirm(
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
