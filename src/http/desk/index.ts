import { readFileSync } from 'node:fs';
import type { Queue } from 'bullmq';
import type { Context, Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DeskAction, DeskConfig, StaffRole } from '../../../flows/desk/types.js';
import type { Texts } from '../../../flows/i18n/texts.js';
import type { Poll } from '../../../flows/polls/schema.js';
import type { NewsTopic } from '../../../flows/types.js';
import type { StaffSession } from '../../auth/staff-sessions.js';
import type { BroadcastDeps } from '../../broadcast/broadcasts.js';
import type { Database } from '../../db/schema.js';
import { applyDeskAction, deskOutcome } from '../../desk/actions.js';
import { recordAudit, staffActor } from '../../desk/audit.js';
import type { QuietHours } from '../../domain/quiet-hours.js';
import type { ExportPool } from '../../export/pool.js';
import type { OutboundJob } from '../../queue/payloads.js';
import { mountAdmin } from './admin.js';
import { mountBroadcasts } from './broadcasts.js';
import { mountIdeas } from './ideas.js';
import { mountInbox } from './inbox.js';
import { mountOverview } from './overview.js';
import {
  csrfField,
  DESK_LANGUAGES,
  type Html,
  LANGUAGE_COOKIE,
  message,
  PAGE_HEADERS,
  page,
  type Section,
  type Tr,
  translator,
} from './page.js';
import { mountPolls } from './polls.js';
import { csrfMatches, currentSession, type DeskCookies, deskCookies, signOut } from './session.js';
import { mountSessions } from './sessions.js';
import { mountSignIn } from './sign-in.js';
import { mountWaves } from './waves.js';

/** What the web desk needs from the app. */
export interface DeskDeps {
  db: Kysely<Database>;
  /** Queues stored outbound rows (a reply, a sign-in code) for sending. */
  outbox: { enqueue(jobs: readonly OutboundJob[]): Promise<void> };
  texts: Texts;
  /** The latest version of every poll, as the database has it now. */
  polls: () => ReadonlyMap<string, Poll>;
  /** Reloads the polls at once (after the poll editor stored a version), so the next page has it. */
  syncPolls?: () => Promise<void>;
  /** Office hours and time zone, as the chat desk has them. */
  config: DeskConfig;
  /** Secure cookies with the `__Host-` prefix (production). */
  secureCookies: boolean;
  /** How often live updates look for inbox changes (ms). */
  livePollMs?: number;
  /**
   * Aborted when the process stops: open live-update streams end at once, so the HTTP server can
   * close (it waits for every open response).
   */
  closing?: AbortSignal;
  clock?: () => Date;
  /** The news topics a flash can be about (config/news-topics.json); none: the compose form has no topics. */
  newsTopics?: readonly NewsTopic[];
  /** The fan-out queue and quiet hours: the broadcasts pages send flashes as the CLI does. */
  broadcast?: { queue: Queue; quietHours: QuietHours };
  /** Connections as the monitor reader role and the smallest group shown: wave results, the overview. */
  results?: { exports: ExportPool; minCell: number };
}

/** What the desk's route files share: dependencies, cookies and small helpers. */
export interface Desk extends DeskDeps {
  cookies: DeskCookies;
  now(): Date;
  tr(c: Context): Tr;
  /** Renders a page with the desk's headers. */
  render(
    c: Context,
    status: 200 | 400 | 403 | 404 | 409 | 413 | 429,
    o: {
      title: string;
      section: Section;
      session?: StaffSession;
      body: Html;
      live?: string;
      liveSource?: string;
    },
  ): Promise<Response>;
  /**
   * The signed-in staff member when their role may open the page; otherwise the answer to give:
   * to the sign-in page without a session, 403 for another role.
   */
  staff(c: Context, roles: readonly StaffRole[]): Promise<StaffSession | Response>;
  /**
   * A posted form of a signed-in staff member whose role may do this, checked against the session's
   * CSRF token; otherwise a 403 answer (no session, wrong role, missing or wrong token). `files`: the
   * form's file fields (only a form sent as multipart/form-data, on an upload route, has any).
   */
  form(
    c: Context,
    roles: readonly StaffRole[],
  ): Promise<
    { session: StaffSession; fields: Record<string, string>; files: Record<string, File> } | Response
  >;
  audit(session: StaffSession, action: string, details?: Record<string, unknown>): Promise<void>;
  /**
   * Carries out a desk action as the chat desk does (same audit, same delivery), marked as done on the
   * web, then queues its messages; how many there are.
   */
  act(session: StaffSession, action: DeskAction): Promise<number>;
  /** The 404 page of a section, with a link back to its list. */
  notFound(
    c: Context,
    session: StaffSession,
    section: Section,
    back: { href: string; label: string },
  ): Promise<Response>;
}

const STATIC: Record<string, { file: string; type: string }> = {
  'desk.css': { file: 'desk.css', type: 'text/css; charset=utf-8' },
  'desk.js': { file: 'desk.js', type: 'text/javascript; charset=utf-8' },
};

const SECTION_PATHS: Record<Section, string> = {
  home: '/desk',
  inbox: '/desk/inbox',
  ideas: '/desk/ideas',
  broadcasts: '/desk/broadcasts',
  waves: '/desk/waves',
  polls: '/desk/polls',
  overview: '/desk/overview',
  staff: '/desk/admin/staff',
  tokens: '/desk/admin/tokens',
  sessions: '/desk/admin/sessions',
  'sign-in': '/desk/sign-in',
};

const LanguageQuerySchema = z.object({
  to: z.enum(DESK_LANGUAGES),
  back: z
    .string()
    .regex(/^\/desk(\/[A-Za-z0-9/_-]*)?(\?[A-Za-z0-9=&_-]*)?$/)
    .optional(),
});

/** Form fields as strings, and file fields apart (only an upload route takes a body with a file). */
async function formFields(
  c: Context,
): Promise<{ fields: Record<string, string>; files: Record<string, File> }> {
  const body = await c.req.parseBody();
  const fields: Record<string, string> = {};
  const files: Record<string, File> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') fields[key] = value;
    else if (value instanceof File) files[key] = value;
  }
  return { fields, files };
}

/**
 * Mounts the web desk under `/desk`: passwordless sign-in with a code sent through the bot, the
 * help-request inbox with live updates, and the admin pages (staff, tokens, sign-ins). Server-rendered
 * HTML that works without JavaScript; a strict Content-Security-Policy; every form carries a CSRF token.
 */
export function mountDesk(app: Hono, deps: DeskDeps): void {
  const cookies = deskCookies(deps.secureCookies);
  const staticFiles = new Map(
    Object.entries(STATIC).map(([name, { file, type }]) => [
      name,
      { body: readFileSync(new URL(`./static/${file}`, import.meta.url), 'utf8'), type },
    ]),
  );
  const desk: Desk = {
    ...deps,
    cookies,
    now: deps.clock ?? (() => new Date()),
    tr: (c) => translator(c, deps.texts),
    async render(c, status, o) {
      const tr = translator(c, deps.texts);
      // The language switch comes back to this page; after a form post, to the section's page.
      const search = new URL(c.req.url).search;
      const path =
        c.req.method === 'GET' && /^[A-Za-z0-9=&_?-]*$/.test(search)
          ? `${c.req.path}${search}`
          : SECTION_PATHS[o.section];
      const body = await page({ tr, path, ...o });
      return c.html(body, status, PAGE_HEADERS);
    },
    async staff(c, roles) {
      const session = await currentSession(c, deps.db, cookies);
      if (!session) return c.redirect('/desk/sign-in', 303);
      if (!roles.includes(session.role)) return forbidden(c, session);
      return session;
    },
    async form(c, roles) {
      const session = await currentSession(c, deps.db, cookies);
      const { fields, files } = await formFields(c);
      if (!session || !csrfMatches(session, fields._csrf)) return csrfRefused(c, session);
      if (!roles.includes(session.role)) return forbidden(c, session);
      return { session, fields, files };
    },
    audit: (session, action, details = {}) =>
      recordAudit(deps.db, staffActor(session.staffId), action, { ...details, via: 'web' }, desk.now()),
    async act(session, action) {
      const now = desk.now();
      const out = deskOutcome(0);
      await deps.db.transaction().execute((tx) =>
        applyDeskAction(
          tx,
          action,
          {
            residentId: '',
            area: null,
            staff: { id: session.staffId, role: session.role, name: session.name },
            inboundId: null,
            via: 'web',
            now,
            config: deps.config,
            render: { texts: deps.texts },
            polls: deps.polls(),
          },
          out,
        ),
      );
      await deps.outbox.enqueue(out.deliveries);
      return out.deliveries.length;
    },
    notFound(c, session, section, back) {
      const tr = desk.tr(c);
      return desk.render(c, 404, {
        title: tr.t('web-not-found-title'),
        section,
        session,
        body: html`<h1>${tr.t('web-not-found-title')}</h1><p>${tr.t('web-not-found')}</p>
          <p><a href="${back.href}">${back.label}</a></p>`,
      });
    },
  };
  const forbidden = (c: Context, session: StaffSession) => {
    const tr = desk.tr(c);
    return desk.render(c, 403, {
      title: tr.t('web-forbidden-title'),
      section: 'home',
      session,
      body: html`<h1>${tr.t('web-forbidden-title')}</h1>${message(tr.t('web-forbidden'), 'problem')}
        <p><a href="/desk">${tr.t('web-back-home')}</a></p>`,
    });
  };
  const csrfRefused = (c: Context, session: StaffSession | undefined) => {
    const tr = desk.tr(c);
    return desk.render(c, 403, {
      title: tr.t('web-forbidden-title'),
      section: 'home',
      ...(session && { session }),
      body: html`<h1>${tr.t('web-forbidden-title')}</h1>${message(tr.t('web-csrf-refused'), 'problem')}
        <p><a href="/desk">${tr.t('web-back-home')}</a></p>`,
    });
  };

  app.get('/desk/static/:file', (c) => {
    const file = staticFiles.get(c.req.param('file'));
    if (!file) return c.notFound();
    return c.body(file.body, 200, {
      'content-type': file.type,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
  });

  app.get('/desk/language', (c) => {
    const query = LanguageQuerySchema.safeParse(c.req.query());
    if (!query.success) return c.redirect('/desk', 303);
    setCookie(c, LANGUAGE_COOKIE, query.data.to, {
      path: '/desk',
      sameSite: 'Lax',
      secure: cookies.secure,
      maxAge: 365 * 86_400,
    });
    return c.redirect(query.data.back ?? '/desk', 303);
  });

  app.get('/desk', async (c) => {
    const session = await desk.staff(c, ['wijkteam', 'analyst', 'admin']);
    if (session instanceof Response) return session;
    if (session.role !== 'analyst') return c.redirect('/desk/inbox', 303);
    const tr = desk.tr(c);
    return desk.render(c, 200, {
      title: tr.t('web-home-title'),
      section: 'home',
      session,
      body: html`<h1>${tr.t('web-home-title')}</h1>
        <p>${tr.t('web-home-intro', { name: session.name ?? `#${session.staffId}` })}</p>
        <p>${tr.t('web-home-analyst')} <a href="/results">${tr.t('web-nav-results')}</a></p>`,
    });
  });

  app.post('/desk/sign-out', async (c) => {
    const posted = await desk.form(c, ['wijkteam', 'analyst', 'admin']);
    if (posted instanceof Response) return posted;
    await signOut(c, deps.db, cookies, posted.session);
    await desk.audit(posted.session, 'session.end', { sessionId: posted.session.sessionId });
    return c.redirect('/desk/sign-in?signed-out=1', 303);
  });

  mountSignIn(app, desk);
  mountInbox(app, desk);
  const compose = mountBroadcasts(app, desk);
  mountIdeas(app, desk, compose);
  if (compose) mountWaves(app, desk, compose);
  mountPolls(app, desk);
  mountSessions(app, desk);
  mountOverview(app, desk);
  mountAdmin(app, desk);

  app.all('/desk/*', async (c) => {
    const tr = desk.tr(c);
    const session = await currentSession(c, deps.db, cookies);
    return desk.render(c, 404, {
      title: tr.t('web-not-found-title'),
      section: 'home',
      ...(session && { session }),
      body: html`<h1>${tr.t('web-not-found-title')}</h1><p>${tr.t('web-not-found')}</p>
        <p><a href="/desk">${tr.t('web-back-home')}</a></p>`,
    });
  });
}

export { csrfField };

/**
 * What the broadcast functions (the same as the CLI's and the chat's) need from the desk: its database,
 * the fan-out queue, texts, the live poll catalogue, time zone, quiet hours and clock. What they do is
 * audited as done on the web, like every other desk action.
 */
export function broadcastDepsOf(desk: Desk, broadcast: NonNullable<Desk['broadcast']>): BroadcastDeps {
  return {
    db: desk.db,
    queue: broadcast.queue,
    texts: desk.texts,
    get polls() {
      return desk.polls();
    },
    timeZone: desk.config.timeZone,
    quietHours: broadcast.quietHours,
    clock: () => desk.now(),
    via: 'web',
  };
}
