import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { THEMES } from '../../../flows/asks.js';
import { doneIdeasDraft } from '../../../flows/broadcast.js';
import { ideaReplyMessage, ideaStatusMessage } from '../../../flows/desk/ideas.js';
import { IDEA_STATUSES, type IdeaView } from '../../../flows/desk/types.js';
import type { StaffSession } from '../../auth/staff-sessions.js';
import { ideaView, searchIdeas } from '../../desk/ideas.js';
import { LANGUAGES } from '../../domain/language.js';
import { AREAS } from '../../domain/resident.js';
import { blankCompose, type ComposeForm } from './broadcasts.js';
import type { Desk } from './index.js';
import { csrfField, type Html, languageName, message, type Tr, when } from './page.js';

/** Ideas are for the wijkteam and admins, as on the chat desk. */
const IDEA_ROLES = ['wijkteam', 'admin'] as const;
const PAGE_SIZE = 20;
const MAX_REPLY = 2000;

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
const IdeaQuerySchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum(IDEA_STATUSES).optional()),
  area: z.preprocess(blankToUndefined, z.enum(AREAS).optional()),
  theme: z.preprocess(blankToUndefined, z.enum(THEMES).optional()),
  q: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(10_000).default(1)),
});
const IdeaIdSchema = z.string().regex(/^\d{1,18}$/);
const StatusFormSchema = z.object({ status: z.enum(IDEA_STATUSES) });
const ReplySchema = z.object({ text: z.string().trim().max(MAX_REPLY) });
const AnnounceSchema = z.object({ theme: z.enum(THEMES) });

const statusName = (tr: Tr, status: string) =>
  (IDEA_STATUSES as readonly string[]).includes(status)
    ? tr.t(`desk-idea-status-${status.replace('_', '-')}`)
    : status;
const themeName = (tr: Tr, theme: string) =>
  tr.t(`theme-${((THEMES as readonly string[]).includes(theme) ? theme : 'anders').replace('_', '-')}`);
const areaName = (tr: Tr, area: string | null) =>
  area && (AREAS as readonly string[]).includes(area) ? tr.t(`area-${area}`) : tr.t('desk-area-unknown');

function options(
  values: readonly string[],
  chosen: string | undefined,
  label: (v: string) => string,
  all: string,
) {
  return html`<option value="">${all}</option>${values.map(
    (v) => html`<option value="${v}"${v === chosen ? html` selected` : ''}>${label(v)}</option>`,
  )}`;
}

/**
 * "Announce done ideas on this theme": a button that opens the broadcast compose form for the
 * authors of done ideas on the theme. None without broadcasts (no compose form).
 */
function announceForm(tr: Tr, session: StaffSession, theme: string, compose: ComposeForm | undefined) {
  if (!compose) return '';
  return html`<section aria-labelledby="announce-title"><h2 id="announce-title">${tr.t('web-idea-announce')}</h2>
    <form method="post" action="/desk/ideas/announce">${csrfField(session.csrfToken)}
      <input type="hidden" name="theme" value="${theme}">
      <p class="hint" id="announce-hint">${tr.t('web-idea-announce-hint', { theme: themeName(tr, theme) })}</p>
      <button type="submit" aria-describedby="announce-hint">${tr.t('web-idea-announce')}</button></form></section>`;
}

/**
 * The ideas list (filters, search, pages), one idea with status change and reply, and the
 * announcement of done ideas on a theme in the broadcast compose form (`compose`).
 */
export function mountIdeas(app: Hono, desk: Desk, compose?: ComposeForm): void {
  app.get('/desk/ideas', async (c) => {
    const session = await desk.staff(c, IDEA_ROLES);
    if (session instanceof Response) return session;
    const tr = desk.tr(c);
    const parsed = IdeaQuerySchema.safeParse(c.req.query());
    const query = parsed.success ? parsed.data : { page: 1 };
    const filter = {
      ...('status' in query && query.status && { status: query.status }),
      ...('area' in query && query.area && { area: query.area }),
      ...('theme' in query && query.theme && { theme: query.theme }),
      ...('q' in query && query.q && { search: query.q }),
    };
    const { ideas, total } = await searchIdeas(desk.db, filter, {
      offset: (query.page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
    });
    await desk.audit(session, 'ideas.list', { count: ideas.length, ...filter, page: query.page });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const link = (page: number) => {
      const params = new URLSearchParams();
      if (filter.status) params.set('status', filter.status);
      if (filter.area) params.set('area', filter.area);
      if (filter.theme) params.set('theme', filter.theme);
      if (filter.search) params.set('q', filter.search);
      params.set('page', String(page));
      return `/desk/ideas?${params.toString()}`;
    };
    const tz = desk.config.timeZone;
    const title = tr.t('web-ideas-title');
    const rows = ideas.map(
      (i) => html`<tr>
        <td data-label="${tr.t('web-col-number')}"><a href="/desk/ideas/${i.id}">#${i.id}</a></td>
        <td data-label="${tr.t('web-ideas-col-date')}">${when(tr, i.createdAt, tz)}</td>
        <td data-label="${tr.t('web-ideas-area')}">${areaName(tr, i.area)}</td>
        <td data-label="${tr.t('web-ideas-theme')}">${themeName(tr, i.theme)}</td>
        <td data-label="${tr.t('web-ideas-col-text')}">${i.text}</td>
        <td data-label="${tr.t('web-ideas-status')}">${statusName(tr, i.status)}</td>
        <td data-label="${tr.t('web-ideas-col-replies')}">${i.replies}</td></tr>`,
    );
    return desk.render(c, 200, {
      title,
      section: 'ideas',
      session,
      body: html`<h1>${title}</h1>
        <form method="get" action="/desk/ideas" aria-label="${tr.t('web-ideas-filters')}">
          <label for="f-status">${tr.t('web-ideas-status')}</label>
          <select id="f-status" name="status">${options(IDEA_STATUSES, filter.status, (s) => statusName(tr, s), tr.t('web-ideas-all'))}</select>
          <label for="f-area">${tr.t('web-ideas-area')}</label>
          <select id="f-area" name="area">${options(AREAS, filter.area, (a) => areaName(tr, a), tr.t('web-ideas-all'))}</select>
          <label for="f-theme">${tr.t('web-ideas-theme')}</label>
          <select id="f-theme" name="theme">${options(THEMES, filter.theme, (t) => themeName(tr, t), tr.t('web-ideas-all'))}</select>
          <label for="f-q">${tr.t('web-ideas-search')}</label>
          <input id="f-q" name="q" type="search" maxlength="100" value="${filter.search ?? ''}">
          <button type="submit">${tr.t('web-ideas-apply')}</button>
        </form>
        <p role="status">${total === 0 ? tr.t('web-ideas-none') : tr.t('web-ideas-count', { total, page: query.page, pages })}</p>
        ${
          ideas.length > 0
            ? html`<div class="table-wrap" role="region" tabindex="0" aria-label="${title}"><table class="stack">
              <thead><tr><th scope="col">${tr.t('web-col-number')}</th><th scope="col">${tr.t('web-ideas-col-date')}</th>
              <th scope="col">${tr.t('web-ideas-area')}</th><th scope="col">${tr.t('web-ideas-theme')}</th>
              <th scope="col">${tr.t('web-ideas-col-text')}</th><th scope="col">${tr.t('web-ideas-status')}</th>
              <th scope="col">${tr.t('web-ideas-col-replies')}</th></tr></thead>
              <tbody>${rows}</tbody></table></div>`
            : ''
        }
        ${
          pages > 1
            ? html`<nav aria-label="${tr.t('web-ideas-paging')}"><ul class="views">
              ${query.page > 1 ? html`<li><a href="${link(query.page - 1)}" rel="prev">${tr.t('web-ideas-previous')}</a></li>` : ''}
              ${query.page < pages ? html`<li><a href="${link(query.page + 1)}" rel="next">${tr.t('web-ideas-next')}</a></li>` : ''}
            </ul></nav>`
            : ''
        }
        ${filter.theme ? announceForm(tr, session, filter.theme, compose) : ''}`,
    });
  });

  const ideaPage = async (
    c: Context,
    session: StaffSession,
    idea: IdeaView,
    extra: {
      notice?: string;
      told?: string;
      problem?: string;
      preview?: { text: string; shown: string };
      draft?: string;
      status?: 200 | 400 | 409;
    } = {},
  ) => {
    const tr = desk.tr(c);
    const title = tr.t('web-idea-title', { id: idea.id });
    const parts: Html[] = [];
    parts.push(html`<section aria-labelledby="status-title"><h2 id="status-title">${tr.t('web-idea-status-change')}</h2>
      <form method="post" action="/desk/ideas/${idea.id}/status">${csrfField(session.csrfToken)}
        <label for="new-status">${tr.t('web-idea-status-new')}</label>
        <select id="new-status" name="status">${IDEA_STATUSES.map(
          (s) =>
            html`<option value="${s}"${s === idea.status ? html` selected` : ''}>${statusName(tr, s)}</option>`,
        )}</select>
        <button type="submit">${tr.t('web-idea-status-save')}</button></form></section>`);
    if (!idea.reachable) parts.push(message(tr.t('web-idea-unreachable'), 'problem') as Html);
    else if (extra.preview) {
      parts.push(html`<section aria-labelledby="preview-title"><h2 id="preview-title">${tr.t('web-request-preview-title')}</h2>
        <div class="preview" lang="${idea.language}"><p class="message">${extra.preview.shown}</p></div>
        <form method="post" action="/desk/ideas/${idea.id}/reply">${csrfField(session.csrfToken)}
          <input type="hidden" name="text" value="${extra.preview.text}">
          <button type="submit">${tr.t('web-request-send')}</button></form>
        <form method="post" action="/desk/ideas/${idea.id}/edit">${csrfField(session.csrfToken)}
          <input type="hidden" name="text" value="${extra.preview.text}">
          <button type="submit" class="secondary">${tr.t('web-request-edit')}</button></form></section>`);
    } else {
      parts.push(html`<section aria-labelledby="reply-title"><h2 id="reply-title">${tr.t('web-idea-reply')}</h2>
        <form method="post" action="/desk/ideas/${idea.id}/preview">${csrfField(session.csrfToken)}
          <label for="reply">${tr.t('web-idea-reply-label')}</label>
          <p class="hint" id="reply-hint">${tr.t('web-request-reply-hint')}</p>
          <textarea id="reply" name="text" maxlength="${MAX_REPLY}" required aria-describedby="reply-hint">${extra.draft ?? ''}</textarea>
          <button type="submit">${tr.t('web-request-preview')}</button></form></section>`);
    }
    return desk.render(c, extra.status ?? 200, {
      title,
      section: 'ideas',
      session,
      body: html`<p><a href="/desk/ideas">${tr.t('web-ideas-title')}</a></p>
        <h1>${title}</h1>
        ${message(extra.notice)}${message(extra.problem, 'problem')}
        ${extra.told ? html`<div class="notice" role="status"><p>${tr.t('web-idea-author-told')}</p><p class="message" lang="${idea.language}">${extra.told}</p></div>` : ''}
        <dl class="facts">
          <dt>${tr.t('web-ideas-col-date')}</dt><dd>${when(tr, idea.createdAt, desk.config.timeZone)}</dd>
          <dt>${tr.t('web-ideas-area')}</dt><dd>${areaName(tr, idea.area)}</dd>
          <dt>${tr.t('web-ideas-theme')}</dt><dd>${themeName(tr, idea.theme)}</dd>
          <dt>${tr.t('web-ideas-status')}</dt><dd>${statusName(tr, idea.status)}</dd>
          <dt>${tr.t('web-request-language')}</dt><dd>${languageName(tr, idea.language)}</dd>
          <dt>${tr.t('web-ideas-col-replies')}</dt><dd>${idea.replies}</dd>
        </dl>
        <h2>${tr.t('web-idea-text')}</h2>
        <p class="message">${idea.text}</p>
        ${parts}
        ${announceForm(tr, session, idea.theme, compose)}`,
    });
  };

  const findIdea = async (c: Context, session: StaffSession) => {
    const id = IdeaIdSchema.safeParse(c.req.param('id'));
    const idea = id.success ? await ideaView(desk.db, id.data) : undefined;
    if (idea) return idea;
    return desk.notFound(c, session, 'ideas', {
      href: '/desk/ideas',
      label: desk.tr(c).t('web-ideas-title'),
    });
  };

  app.get('/desk/ideas/:id', async (c) => {
    const session = await desk.staff(c, IDEA_ROLES);
    if (session instanceof Response) return session;
    const idea = await findIdea(c, session);
    if (idea instanceof Response) return idea;
    const tr = desk.tr(c);
    return ideaPage(
      c,
      session,
      idea,
      c.req.query('done') === 'replied' ? { notice: tr.t('web-idea-reply-sent') } : {},
    );
  });

  const posted = async (c: Context) => {
    const form = await desk.form(c, IDEA_ROLES);
    if (form instanceof Response) return form;
    const idea = await findIdea(c, form.session);
    if (idea instanceof Response) return idea;
    return { ...form, idea };
  };

  // "Announce done ideas on this theme": the compose form with a suggested text, for the authors of
  // the ideas on the theme with status gedaan. The wijkteam edits it, previews it and confirms.
  app.post('/desk/ideas/announce', async (c) => {
    const form = await desk.form(c, IDEA_ROLES);
    if (form instanceof Response) return form;
    const tr = desk.tr(c);
    const parsed = AnnounceSchema.safeParse(form.fields);
    if (!compose || !parsed.success)
      return desk.render(c, 400, {
        title: tr.t('web-ideas-title'),
        section: 'ideas',
        session: form.session,
        body: html`<h1>${tr.t('web-ideas-title')}</h1>${message(tr.t('web-bad-input', { problem: 'theme' }), 'problem')}
          <p><a href="/desk/ideas">${tr.t('web-ideas-title')}</a></p>`,
      });
    const theme = parsed.data.theme;
    // The suggested text in every resident language, each with the theme in its own words.
    const suggested = Object.fromEntries(
      LANGUAGES.map((lang) => [lang, doneIdeasDraft({ texts: desk.texts }, lang, theme)]),
    ) as { nl: string } & Record<string, string>;
    await desk.audit(form.session, 'ideas.announce-draft', { theme });
    return compose(
      c,
      form.session,
      blankCompose({ text: suggested, audience: { ideaTheme: theme } }),
      tr.t('web-idea-announce-ready', { theme: themeName(tr, theme) }),
    );
  });

  app.post('/desk/ideas/:id/status', async (c) => {
    const p = await posted(c);
    if (p instanceof Response) return p;
    const tr = desk.tr(c);
    const form = StatusFormSchema.safeParse(p.fields);
    if (!form.success)
      return ideaPage(c, p.session, p.idea, {
        status: 400,
        problem: tr.t('web-bad-input', { problem: 'status' }),
      });
    const status = form.data.status;
    if (status === p.idea.status)
      return ideaPage(c, p.session, p.idea, { notice: tr.t('web-idea-status-same', { id: p.idea.id }) });
    const text = ideaStatusMessage({ texts: desk.texts }, p.idea.language, p.idea, status);
    const sent = await desk.act(p.session, {
      kind: 'idea.status',
      ideaId: p.idea.id,
      status,
      ...(text && p.idea.reachable && { message: { kind: 'text' as const, text } }),
    });
    const updated = (await ideaView(desk.db, p.idea.id)) ?? p.idea;
    return ideaPage(c, p.session, updated, {
      notice: tr.t('web-idea-status-saved', { id: p.idea.id, status: statusName(tr, status) }),
      ...(sent > 0 && text && { told: text }),
    });
  });

  const shown = (idea: IdeaView, session: StaffSession, text: string) =>
    ideaReplyMessage({ texts: desk.texts }, idea.language, idea, text, session.name);

  /** The reply posted to an author who can still be reached, or the idea's page saying what is wrong. */
  const replyOf = (c: Context, p: Exclude<Awaited<ReturnType<typeof posted>>, Response>) => {
    const tr = desk.tr(c);
    const reply = ReplySchema.safeParse(p.fields);
    if (!reply.success || !reply.data.text)
      return ideaPage(c, p.session, p.idea, { status: 400, problem: tr.t('web-request-empty') });
    if (!p.idea.reachable)
      return ideaPage(c, p.session, p.idea, { status: 409, problem: tr.t('web-idea-unreachable') });
    return reply.data.text;
  };

  app.post('/desk/ideas/:id/preview', async (c) => {
    const p = await posted(c);
    if (p instanceof Response) return p;
    const text = replyOf(c, p);
    if (typeof text !== 'string') return text;
    return ideaPage(c, p.session, p.idea, {
      preview: { text, shown: shown(p.idea, p.session, text) },
    });
  });

  app.post('/desk/ideas/:id/edit', async (c) => {
    const p = await posted(c);
    if (p instanceof Response) return p;
    const reply = ReplySchema.safeParse(p.fields);
    return ideaPage(c, p.session, p.idea, reply.success ? { draft: reply.data.text } : {});
  });

  app.post('/desk/ideas/:id/reply', async (c) => {
    const p = await posted(c);
    if (p instanceof Response) return p;
    const text = replyOf(c, p);
    if (typeof text !== 'string') return text;
    await desk.act(p.session, {
      kind: 'idea.reply',
      ideaId: p.idea.id,
      text,
      message: { kind: 'text', text: shown(p.idea, p.session, text) },
    });
    return c.redirect(`/desk/ideas/${p.idea.id}?done=replied`, 303);
  });
}
