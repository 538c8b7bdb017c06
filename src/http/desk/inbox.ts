import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { HelpRequestView } from '../../../flows/desk/types.js';
import { staffMessageForResident } from '../../../flows/help-request.js';
import type { StaffSession } from '../../auth/staff-sessions.js';
import {
  helpRequestView,
  INBOX_VIEWS,
  type InboxView,
  inboxState,
  listHelpRequests,
} from '../../desk/help-requests.js';
import type { Desk } from './index.js';
import { csrfField, type Html, message, type Tr, when } from './page.js';
import { currentSession } from './session.js';

/** Roles that work the inbox: the wijkteam and admins (an analyst gets 403). */
const INBOX_ROLES = ['wijkteam', 'admin'] as const;
/** Closed requests are erased this many days after closing (as the chat desk says). */
const CLOSED_RETENTION_DAYS = 30;
/** The longest message to a resident, as on the chat desk. */
const MAX_REPLY = 2000;

const InboxQuerySchema = z.object({ view: z.enum(INBOX_VIEWS).default('open') });
const RequestIdSchema = z.string().regex(/^\d{1,18}$/);
const ReplySchema = z.object({ text: z.string().trim().max(MAX_REPLY) });

const VIEW_TEXT: Record<InboxView, string> = {
  open: 'web-view-open',
  mine: 'web-view-mine',
  flagged: 'web-view-flagged',
  closed: 'web-view-closed',
};

const areaText = (tr: Tr, area: string | null) => (area ? tr.t(`area-${area}`) : tr.t('desk-area-unknown'));

function statusText(tr: Tr, r: HelpRequestView): string {
  if (r.status === 'closed') return tr.t('web-status-closed');
  if (r.status === 'taken') return tr.t('web-status-taken', { name: r.takenBy?.name ?? `#${r.takenBy?.id}` });
  return tr.t('web-status-open');
}

/**
 * A page fetched again by the live-update script: what the staff member opened is audited once, not
 * at every refresh. (A header a page elsewhere cannot add: the fetch is same-origin.)
 */
const isLiveRefresh = (c: Context) => c.req.header('x-desk-live') === '1';

/** "(3) Hulpvragen": the count of requests waiting for someone leads the title. */
const titleWith = (waiting: number, title: string) => (waiting > 0 ? `(${waiting}) ${title}` : title);

/**
 * Watches the inbox for every live page at once: one query every `pollMs` while anyone listens,
 * whichever process the change came from (a resident's message is handled by a worker). Each
 * listener gets every look and compares it with the state its page was drawn from.
 */
class InboxWatch {
  readonly #listeners = new Set<(state: { waiting: number; mark: string }) => void>();
  #timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly desk: Desk,
    private readonly pollMs: number,
  ) {}

  subscribe(listener: (state: { waiting: number; mark: string }) => void): () => void {
    this.#listeners.add(listener);
    if (!this.#timer) {
      this.#timer = setInterval(() => void this.#check(), this.pollMs);
      this.#timer.unref();
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0 && this.#timer) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    };
  }

  async #check(): Promise<void> {
    try {
      const state = await inboxState(this.desk.db);
      for (const listener of this.#listeners) listener(state);
    } catch {
      // The database is away for a moment: the next look tries again.
    }
  }
}

/** The state a live page was drawn from, as it hands it back to `/desk/events?since=`. */
const MarkSchema = z.string().regex(/^[0-9:/-]{1,200}$/);

/** The inbox, one request, its actions, and the live events. */
export function mountInbox(app: Hono, desk: Desk): void {
  const watch = new InboxWatch(desk, desk.livePollMs ?? 2_000);

  app.get('/desk/inbox', async (c) => {
    const session = await desk.staff(c, INBOX_ROLES);
    if (session instanceof Response) return session;
    const tr = desk.tr(c);
    const query = InboxQuerySchema.safeParse(c.req.query());
    const view: InboxView = query.success ? query.data.view : 'open';
    const [requests, state] = await Promise.all([
      listHelpRequests(desk.db, view, session.staffId),
      inboxState(desk.db),
    ]);
    if (!isLiveRefresh(c)) await desk.audit(session, 'help.list', { view, count: requests.length });
    const tz = desk.config.timeZone;
    const rows = requests.map(
      (r) => html`<tr>
        <td data-label="${tr.t('web-col-number')}"><a href="/desk/requests/${r.id}">#${r.id}</a></td>
        <td data-label="${tr.t('web-col-opened')}">${when(tr, r.createdAt, tz)}</td>
        <td data-label="${tr.t('web-col-area')}">${areaText(tr, r.area)}</td>
        <td data-label="${tr.t('web-col-subject')}">${r.subject ?? tr.t('web-no-subject')}</td>
        <td data-label="${tr.t('web-col-status')}">${statusText(tr, r)}${r.flaggedAt && r.status === 'open' ? html`<br><span class="flag">${tr.t('web-flagged')}</span>` : ''}</td>
      </tr>`,
    );
    const title = tr.t('web-inbox-title');
    return desk.render(c, 200, {
      title: titleWith(state.waiting, title),
      section: 'inbox',
      session,
      live: state.mark,
      body: html`<h1>${title}</h1>
        <p id="waiting" data-live role="status">${tr.t('web-inbox-waiting', { count: state.waiting })}</p>
        <nav aria-label="${tr.t('web-inbox-views')}"><ul class="views">
          ${INBOX_VIEWS.map(
            (v) =>
              html`<li><a href="/desk/inbox?view=${v}"${v === view ? html` aria-current="page"` : ''}>${tr.t(VIEW_TEXT[v])}</a></li>`,
          )}
        </ul></nav>
        <div id="requests" data-live>
          ${
            requests.length === 0
              ? html`<p>${tr.t('web-inbox-empty')}</p>`
              : html`<div class="table-wrap" role="region" tabindex="0" aria-label="${title}"><table class="stack">
              <caption class="hint">${tr.t(VIEW_TEXT[view])} · ${tr.t('web-inbox-live')}</caption>
              <thead><tr><th scope="col">${tr.t('web-col-number')}</th><th scope="col">${tr.t('web-col-opened')}</th>
                <th scope="col">${tr.t('web-col-area')}</th><th scope="col">${tr.t('web-col-subject')}</th>
                <th scope="col">${tr.t('web-col-status')}</th></tr></thead>
              <tbody>${rows}</tbody></table></div>`
          }
        </div>`,
    });
  });

  /** The request page, with an optional notice, problem, or a preview of a reply. */
  const requestPage = async (
    c: Context,
    session: StaffSession,
    request: HelpRequestView,
    extra: {
      notice?: string;
      problem?: string;
      preview?: { text: string; shown: string };
      /** Text to put back in the reply field (after "go back and change it"). */
      draft?: string;
      status?: 200 | 400 | 409;
    } = {},
  ) => {
    const tr = desk.tr(c);
    const tz = desk.config.timeZone;
    const state = await inboxState(desk.db);
    const title = tr.t('web-request-title', { id: request.id });
    const open = request.status !== 'closed';
    const mine = request.takenBy?.id === session.staffId;
    const thread = (request.messages ?? []).map(
      (m) => html`<li class="${m.author}">
        <p class="meta">${m.author === 'staff' ? tr.t('web-request-staff', { name: m.staffName ?? '?' }) : tr.t('web-request-resident')} · ${when(tr, m.at, tz)}</p>
        <p class="message">${m.text}</p></li>`,
    );
    const actions: Html[] = [];
    if (open && !mine) {
      actions.push(html`<form method="post" action="/desk/requests/${request.id}/take">${csrfField(session.csrfToken)}
        <button type="submit">${tr.t('web-request-take')}</button></form>`);
    }
    if (open && request.reachable && !extra.preview) {
      actions.push(html`<form method="post" action="/desk/requests/${request.id}/preview">${csrfField(session.csrfToken)}
        <label for="reply">${tr.t('web-request-reply-label')}</label>
        <p class="hint" id="reply-hint">${tr.t('web-request-reply-hint')}</p>
        <textarea id="reply" name="text" maxlength="${MAX_REPLY}" required aria-describedby="reply-hint">${extra.draft ?? ''}</textarea>
        <button type="submit">${tr.t('web-request-preview')}</button></form>`);
    }
    if (open && extra.preview) {
      actions.push(html`<section aria-labelledby="preview-title"><h2 id="preview-title">${tr.t('web-request-preview-title')}</h2>
        <div class="preview" lang="${request.language}"><p class="message">${extra.preview.shown}</p></div>
        <form method="post" action="/desk/requests/${request.id}/reply">${csrfField(session.csrfToken)}
          <input type="hidden" name="text" value="${extra.preview.text}">
          <button type="submit">${tr.t('web-request-send')}</button></form>
        <form method="post" action="/desk/requests/${request.id}/edit">${csrfField(session.csrfToken)}
          <input type="hidden" name="text" value="${extra.preview.text}">
          <button type="submit" class="secondary">${tr.t('web-request-edit')}</button></form></section>`);
    }
    if (open) {
      actions.push(html`<form method="post" action="/desk/requests/${request.id}/close">${csrfField(session.csrfToken)}
        <button type="submit" class="danger">${tr.t('web-request-close')}</button></form>`);
    }
    return desk.render(c, extra.status ?? 200, {
      title: titleWith(state.waiting, title),
      section: 'inbox',
      session,
      ...(!extra.preview && { live: state.mark }),
      body: html`<p><a href="/desk/inbox">${tr.t('web-inbox-title')}</a></p>
        <h1>${title}</h1>
        ${message(extra.notice)}${message(extra.problem, 'problem')}
        <dl class="facts">
          <dt>${tr.t('web-request-area')}</dt><dd>${areaText(tr, request.area)}</dd>
          <dt>${tr.t('web-request-language')}</dt><dd>${tr.t(`language-${request.language}`)}</dd>
          <dt>${tr.t('web-request-opened')}</dt><dd>${when(tr, request.createdAt, tz)}</dd>
          <dt>${tr.t('web-request-status')}</dt><dd>${statusText(tr, request)}${request.flaggedAt && request.status === 'open' ? html` · <span class="flag">${tr.t('web-flagged')}</span>` : ''}</dd>
          <dt>${tr.t('web-col-subject')}</dt><dd>${request.subject ?? tr.t('web-no-subject')}</dd>
        </dl>
        ${request.reachable ? '' : message(tr.t('web-request-unreachable'), 'problem')}
        ${open ? '' : message(tr.t('web-request-is-closed'))}
        <h2>${tr.t('web-request-thread')}</h2>
        <div id="thread" data-live>
          ${thread.length > 0 ? html`<ol class="thread">${thread}</ol>` : html`<p>${tr.t('web-request-no-messages')}</p>`}
        </div>
        ${actions}`,
    });
  };

  /** The request of the address, with its conversation, or the 404 page. */
  const findRequest = async (c: Context, session: StaffSession) => {
    const id = RequestIdSchema.safeParse(c.req.param('id'));
    const request = id.success ? await helpRequestView(desk.db, id.data, true) : undefined;
    if (request) return request;
    return desk.notFound(c, session, 'inbox', {
      href: '/desk/inbox',
      label: desk.tr(c).t('web-inbox-title'),
    });
  };

  app.get('/desk/requests/:id', async (c) => {
    const session = await desk.staff(c, INBOX_ROLES);
    if (session instanceof Response) return session;
    const request = await findRequest(c, session);
    if (request instanceof Response) return request;
    if (!isLiveRefresh(c)) await desk.audit(session, 'help.view', { requestId: request.id });
    const tr = desk.tr(c);
    const notices: Record<string, string> = {
      taken: tr.t('web-request-taken', { id: request.id }),
      sent: tr.t('web-request-sent'),
      stored: tr.t('web-request-stored'),
      closed: tr.t('web-request-closed', { id: request.id, days: CLOSED_RETENTION_DAYS }),
    };
    const done = c.req.query('done');
    return requestPage(c, session, request, done && notices[done] ? { notice: notices[done] } : {});
  });

  /** A posted action on one request: the session, its form fields and the request, or the answer. */
  const posted = async (c: Context) => {
    const form = await desk.form(c, INBOX_ROLES);
    if (form instanceof Response) return form;
    const request = await findRequest(c, form.session);
    if (request instanceof Response) return request;
    if (request.status === 'closed') {
      return requestPage(c, form.session, request, {
        status: 409,
        problem: desk.tr(c).t('web-request-is-closed'),
      });
    }
    return { ...form, request };
  };

  app.post('/desk/requests/:id/take', async (c) => {
    const p = await posted(c);
    if (p instanceof Response) return p;
    await desk.act(p.session, { kind: 'help.take', requestId: p.request.id });
    return c.redirect(`/desk/requests/${p.request.id}?done=taken`, 303);
  });

  const shown = (request: HelpRequestView, session: StaffSession, text: string) =>
    staffMessageForResident({ texts: desk.texts }, request.language, text, session.name, request.area, true);

  /** The reply posted to a resident who can still be reached, or the request's page saying what is wrong. */
  const replyOf = (c: Context, p: Exclude<Awaited<ReturnType<typeof posted>>, Response>) => {
    const tr = desk.tr(c);
    const reply = ReplySchema.safeParse(p.fields);
    if (!reply.success || !reply.data.text)
      return requestPage(c, p.session, p.request, { status: 400, problem: tr.t('web-request-empty') });
    if (!p.request.reachable)
      return requestPage(c, p.session, p.request, { status: 409, problem: tr.t('web-request-unreachable') });
    return reply.data.text;
  };

  app.post('/desk/requests/:id/preview', async (c) => {
    const p = await posted(c);
    if (p instanceof Response) return p;
    const text = replyOf(c, p);
    if (typeof text !== 'string') return text;
    return requestPage(c, p.session, p.request, {
      preview: { text, shown: shown(p.request, p.session, text) },
    });
  });

  app.post('/desk/requests/:id/edit', async (c) => {
    const p = await posted(c);
    if (p instanceof Response) return p;
    // Back to the form with the text in it, so nothing is lost.
    const reply = ReplySchema.safeParse(p.fields);
    return requestPage(c, p.session, p.request, reply.success ? { draft: reply.data.text } : {});
  });

  app.post('/desk/requests/:id/reply', async (c) => {
    const p = await posted(c);
    if (p instanceof Response) return p;
    const text = replyOf(c, p);
    if (typeof text !== 'string') return text;
    const sent = await desk.act(p.session, {
      kind: 'help.reply',
      requestId: p.request.id,
      text,
      message: { kind: 'text', text: shown(p.request, p.session, text) },
    });
    return c.redirect(`/desk/requests/${p.request.id}?done=${sent > 0 ? 'sent' : 'stored'}`, 303);
  });

  app.post('/desk/requests/:id/close', async (c) => {
    const p = await posted(c);
    if (p instanceof Response) return p;
    await desk.act(p.session, { kind: 'help.close', requestId: p.request.id });
    return c.redirect(`/desk/requests/${p.request.id}?done=closed`, 303);
  });

  // Server-sent events: `inbox` whenever a request comes in or changes since the page was drawn
  // (`since`, the mark the page was drawn from). Ends when the session does.
  app.get('/desk/events', async (c) => {
    const session = await currentSession(c, desk.db, desk.cookies);
    if (!session || !(INBOX_ROLES as readonly string[]).includes(session.role))
      return c.text('forbidden', 403);
    if (desk.closing?.aborted) return c.text('stopping', 503, { connection: 'close' });
    const since = MarkSchema.safeParse(c.req.query('since'));
    let mark = since.success ? since.data : (await inboxState(desk.db)).mark;
    c.header('cache-control', 'no-store');
    c.header('x-accel-buffering', 'no');
    // The stream is this connection's last answer: when it ends, the connection closes too.
    c.header('connection', 'close');
    return streamSSE(c, async (stream) => {
      let pending: number | undefined;
      let wake: (() => void) | undefined;
      const unsubscribe = watch.subscribe((state) => {
        if (state.mark === mark) return;
        mark = state.mark;
        pending = state.waiting;
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      const stopping = () => wake?.();
      desk.closing?.addEventListener('abort', stopping, { once: true });
      try {
        await stream.writeSSE({ event: 'ready', data: '' });
        let lastCheck = Date.now();
        while (!stream.aborted && !stream.closed) {
          if (pending === undefined) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, 15_000).unref();
            });
            wake = undefined;
          }
          if (stream.aborted || desk.closing?.aborted) break;
          if (pending !== undefined) {
            const waiting = pending;
            pending = undefined;
            await stream.writeSSE({ event: 'inbox', data: String(waiting) });
          } else {
            await stream.write(': keep-alive\n\n');
          }
          // A revoked or expired session stops getting events.
          if (Date.now() - lastCheck > 30_000) {
            lastCheck = Date.now();
            const still = await currentSession(c, desk.db, desk.cookies);
            if (!still || still.sessionId !== session.sessionId) break;
          }
        }
      } finally {
        unsubscribe();
        desk.closing?.removeEventListener('abort', stopping);
      }
    });
  });
}
