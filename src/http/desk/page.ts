import type { FluentVariable } from '@fluent/bundle';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Texts } from '../../../flows/i18n/texts.js';
import type { StaffSession } from '../../auth/staff-sessions.js';

/** The desk's languages: Dutch first, English on request (more follow the language files). */
export const DESK_LANGUAGES = ['nl', 'en'] as const;
export type DeskLanguage = (typeof DESK_LANGUAGES)[number];

/** The cookie that keeps a browser's choice of language (not a secret, not personal). */
export const LANGUAGE_COOKIE = 'straatpraat_desk_lang';

/** HTML as the desk's views build it (hono/html: every interpolated string is escaped). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Text lookup for one request, in the browser's chosen language. */
export interface Tr {
  lang: DeskLanguage;
  t(id: string, args?: Record<string, FluentVariable>): string;
}

export function translator(c: Context, texts: Texts): Tr {
  const lang: DeskLanguage = getCookie(c, LANGUAGE_COOKIE) === 'en' ? 'en' : 'nl';
  return { lang, t: (id, args) => texts.t(lang, id, args) };
}

/**
 * Headers of every desk page. The policy allows the app's own style sheet and script and nothing
 * else: no inline script or style, no other site, no frames, forms only to this site.
 */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
} as const;

/** A hidden field with the session's (or the sign-in page's) CSRF token: every desk form has one. */
export const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

/** Which part of the menu a page belongs to. */
export type Section =
  | 'home'
  | 'inbox'
  | 'ideas'
  | 'broadcasts'
  | 'waves'
  | 'polls'
  | 'overview'
  | 'staff'
  | 'tokens'
  | 'sessions'
  | 'sign-in';

export interface PageOptions {
  tr: Tr;
  title: string;
  section: Section;
  /** The signed-in staff member, when there is one: the menu and the sign-out button follow. */
  session?: StaffSession;
  /** The page's path, for the language switch to come back to. */
  path: string;
  body: Html;
  /**
   * The inbox state the page was drawn from: the page listens for changes since then
   * (`data-live-source`) and refreshes its live parts.
   */
  live?: string;
  /** Another live-update stream than the inbox's (a flash's delivery report). */
  liveSource?: string;
}

const navItem = (href: string, label: string, current: boolean) =>
  html`<li><a href="${href}"${current ? html` aria-current="page"` : ''}>${label}</a></li>`;

/** The desk's layout: skip link, header with who is signed in, menu, main content, footer. */
export function page(o: PageOptions): Html {
  const { tr, session } = o;
  const other: DeskLanguage = tr.lang === 'nl' ? 'en' : 'nl';
  const role = session ? tr.t(`web-role-${session.role}`) : '';
  const menu = session
    ? html`<nav class="main" aria-label="${tr.t('web-nav-label')}"><ul>
        ${
          session.role !== 'analyst'
            ? [
                navItem('/desk/inbox', tr.t('web-nav-inbox'), o.section === 'inbox'),
                navItem('/desk/ideas', tr.t('web-nav-ideas'), o.section === 'ideas'),
                navItem('/desk/broadcasts', tr.t('web-nav-broadcasts'), o.section === 'broadcasts'),
                navItem('/desk/waves', tr.t('web-nav-waves'), o.section === 'waves'),
                navItem('/desk/polls', tr.t('web-nav-polls'), o.section === 'polls'),
              ]
            : ''
        }
        ${
          session.role === 'admin'
            ? [
                navItem('/desk/admin/staff', tr.t('web-nav-admin-staff'), o.section === 'staff'),
                navItem('/desk/admin/tokens', tr.t('web-nav-admin-tokens'), o.section === 'tokens'),
                navItem('/desk/admin/sessions', tr.t('web-nav-admin-sessions'), o.section === 'sessions'),
              ]
            : ''
        }
        ${navItem('/desk/overview', tr.t('web-nav-overview'), o.section === 'overview')}
        ${navItem('/results', tr.t('web-nav-results'), false)}
      </ul></nav>`
    : '';
  const who = session
    ? html`<span class="who">${tr.t('web-signed-in-as', { name: session.name ?? `#${session.staffId}`, role })}</span>
        <form class="inline" method="post" action="/desk/sign-out">${csrfField(session.csrfToken)}<button type="submit">${tr.t('web-sign-out')}</button></form>`
    : '';
  const liveSource =
    o.liveSource ?? (o.live ? `/desk/events?since=${encodeURIComponent(o.live)}` : undefined);
  return html`<!doctype html>
<html lang="${tr.lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · ${tr.t('web-app-name')}</title>
<link rel="stylesheet" href="/desk/static/desk.css">
${liveSource ? html`<script src="/desk/static/desk.js" defer></script>` : ''}
</head>
<body${liveSource ? html` data-live-source="${liveSource}"` : ''}>
<a class="skip-link" href="#content">${tr.t('web-skip-link')}</a>
<header class="site"><div class="bar">
  <a class="brand" href="/desk">${tr.t('web-app-name')}</a>
  ${who}
  <a href="/desk/language?to=${other}&amp;back=${encodeURIComponent(o.path)}" lang="${other}" hreflang="${other}">${tr.t('web-language-switch')}</a>
</div></header>
${menu}
<main id="content" tabindex="-1">
${o.body}
</main>
<footer class="site"><p>Straatpraat · Veerkrachtige Wijken</p></footer>
</body>
</html>
`;
}

/** A short message block; `problem` for something that went wrong. */
export function message(text: string | undefined, kind: 'notice' | 'problem' = 'notice'): Html | '' {
  if (!text) return '';
  return kind === 'problem'
    ? html`<p class="problem" role="alert">${text}</p>`
    : html`<p class="notice" role="status">${text}</p>`;
}

/** A date and time on the wall clock of the desk's time zone, e.g. "4 mrt 2026, 09:30". */
export function when(tr: Tr, date: Date | string | null, timeZone: string): string {
  if (date === null) return '—';
  return new Intl.DateTimeFormat(tr.lang === 'en' ? 'en-GB' : 'nl-NL', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(date));
}
