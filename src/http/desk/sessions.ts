import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import type { StaffSession } from '../../auth/staff-sessions.js';
import { BroadcastRequestError } from '../../broadcast/broadcasts.js';
import { cancelSession } from '../../broadcast/corrections.js';
import { type FlashReport, flashReport } from '../../broadcast/reports.js';
import { announceSession, sendSessionSummary, sessionQuestions } from '../../broadcast/sessions.js';
import { staffActor } from '../../desk/audit.js';
import { AREAS } from '../../domain/resident.js';
import { parseDateTime } from '../../domain/time.js';
import { audienceText, BROADCAST_ROLES, localValue, reportFigures, statusText } from './broadcasts.js';
import { broadcastDepsOf, type Desk } from './index.js';
import {
  emptyTexts,
  hasOtherText,
  type LanguageTexts,
  localizedOf,
  readTexts,
  shownTexts,
  textAreas,
} from './language-texts.js';
import { csrfField, message, type Tr, when } from './page.js';

const SessionIdSchema = z.uuid();

/** The announce form as posted; areas are checkboxes with a name each (`area-nazareth`). */
const AnnounceSchema = z.object({
  at: z.string().trim().max(40).default(''),
  where: z.string().trim().max(200).default(''),
  who: z.string().trim().max(200).default(''),
  send_at: z.string().trim().max(40).default(''),
});
type AnnounceForm = z.output<typeof AnnounceSchema> & { areas: string[]; texts: LanguageTexts };

const blank = (at: string): AnnounceForm => ({
  at,
  where: '',
  who: '',
  send_at: '',
  areas: [],
  texts: emptyTexts(),
});

/** A theme's name as residents choose it (the code when the texts have none). */
const themeName = (tr: Tr, theme: string) => tr.t(`theme-${theme.replace('_', '-')}`);

/**
 * Straatpraat sessions: announce one (a flash with RSVP and a reminder on the day, as the CLI's
 * `session announce` and the chat's /straatpraat), list them, read the questions residents sent in
 * advance by theme (never who asked), send the summary afterwards, or call a session off.
 */
export function mountSessions(app: Hono, desk: Desk): void {
  const broadcast = desk.broadcast;
  if (!broadcast) return;
  const deps = broadcastDepsOf(desk, broadcast);
  const tz = desk.config.timeZone;
  const newsTopics = desk.newsTopics ?? [];

  const formPage = (
    c: Context,
    session: StaffSession,
    form: AnnounceForm,
    extra: { problem?: string; status?: 200 | 400 | 409 } = {},
  ) => {
    const tr = desk.tr(c);
    const title = tr.t('web-session-new-title');
    const box = (name: string, label: string, on: boolean) =>
      html`<li><input type="checkbox" id="${name}" name="${name}"${on ? html` checked` : ''}> <label for="${name}">${label}</label></li>`;
    return desk.render(c, extra.status ?? 200, {
      title,
      section: 'broadcasts',
      session,
      body: html`<p><a href="/desk/sessions">${tr.t('web-straatpraat-title')}</a></p>
        <h1>${title}</h1>
        <p>${tr.t('web-session-new-intro')}</p>
        ${message(extra.problem, 'problem')}
        <form method="post" action="/desk/sessions/announce">${csrfField(session.csrfToken)}
          <label for="session-at">${tr.t('web-session-at', { zone: tz })}</label>
          <input type="datetime-local" id="session-at" name="at" value="${form.at}" required>
          <label for="session-where">${tr.t('web-session-where')}</label>
          <input type="text" id="session-where" name="where" value="${form.where}" maxlength="200" required>
          <label for="session-who">${tr.t('web-session-who')}</label>
          <p class="hint" id="who-hint">${tr.t('web-session-who-hint')}</p>
          <input type="text" id="session-who" name="who" value="${form.who}" maxlength="200" required aria-describedby="who-hint">
          ${textAreas(tr, {
            id: (l) => `session-text-${l}`,
            texts: form.texts,
            requireNl: false,
            nlLabel: tr.t('web-session-text-nl'),
            nlHint: { id: 'session-text-hint', text: tr.t('web-session-text-hint') },
          })}
          <fieldset><legend>${tr.t('web-flash-areas')}</legend><p class="hint">${tr.t('web-flash-none-is-all')}</p>
            <ul class="choices">${AREAS.map((v) => box(`area-${v}`, tr.t(`area-${v}`), form.areas.includes(v)))}</ul></fieldset>
          <label for="session-send-at">${tr.t('web-session-send-at', { zone: tz })}</label>
          <p class="hint" id="send-at-hint">${tr.t('web-session-send-at-hint')}</p>
          <input type="datetime-local" id="session-send-at" name="send_at" value="${form.send_at}" aria-describedby="send-at-hint">
          <button type="submit">${tr.t('web-session-announce')}</button>
        </form>`,
    });
  };

  app.get('/desk/sessions', async (c) => {
    const session = await desk.staff(c, BROADCAST_ROLES);
    if (session instanceof Response) return session;
    const tr = desk.tr(c);
    const rows = await desk.db
      .selectFrom('flashes as f')
      .innerJoin('broadcasts as b', (j) => j.onRef('b.flash_id', '=', 'f.id').on('b.kind', '=', 'flash'))
      .select(['f.id', 'f.session', 'f.session_at', 'f.cancelled_at', 'b.status'])
      .where('f.kind', '=', 'session')
      .orderBy('f.session_at', 'desc')
      .limit(50)
      .execute();
    await desk.audit(session, 'session.list', { count: rows.length });
    const title = tr.t('web-straatpraat-title');
    const done = c.req.query('done');
    const past = (r: (typeof rows)[number]) => r.session_at !== null && new Date(r.session_at) <= desk.now();
    return desk.render(c, 200, {
      title,
      section: 'broadcasts',
      session,
      body: html`<p><a href="/desk/broadcasts">${tr.t('web-broadcasts-title')}</a></p>
        <h1>${title}</h1>
        ${done === 'cancelled' ? message(tr.t('web-session-cancelled')) : ''}
        <p>${tr.t('web-straatpraat-intro')}</p>
        <p><a class="button" href="/desk/sessions/new">${tr.t('web-session-new')}</a></p>
        ${
          rows.length === 0
            ? html`<p>${tr.t('web-straatpraat-none')}</p>`
            : html`<div class="table-wrap" role="region" tabindex="0" aria-label="${title}"><table class="stack">
              <thead><tr><th scope="col">${tr.t('web-session-col-when')}</th><th scope="col">${tr.t('web-session-where')}</th>
              <th scope="col">${tr.t('web-col-status')}</th></tr></thead>
              <tbody>${rows.map((r) => {
                const place = r.session as { where?: string } | null;
                const status =
                  r.cancelled_at !== null
                    ? tr.t('web-session-status-cancelled')
                    : past(r)
                      ? tr.t('web-session-status-past')
                      : statusText(tr, r.status, false);
                return html`<tr>
                  <td data-label="${tr.t('web-session-col-when')}"><a href="/desk/sessions/${r.id}">${when(tr, r.session_at, tz)}</a></td>
                  <td data-label="${tr.t('web-session-where')}">${place?.where ?? ''}</td>
                  <td data-label="${tr.t('web-col-status')}">${status}</td></tr>`;
              })}</tbody></table></div>`
        }`,
    });
  });

  app.get('/desk/sessions/new', async (c) => {
    const session = await desk.staff(c, BROADCAST_ROLES);
    if (session instanceof Response) return session;
    return formPage(c, session, blank(localValue(new Date(desk.now().getTime() + 7 * 86_400_000), tz)));
  });

  app.post('/desk/sessions/announce', async (c) => {
    const posted = await desk.form(c, BROADCAST_ROLES);
    if (posted instanceof Response) return posted;
    const tr = desk.tr(c);
    const parsed = AnnounceSchema.safeParse(posted.fields);
    const texts = readTexts(posted.fields);
    if (!parsed.success || !texts.ok)
      return formPage(c, posted.session, blank(''), {
        status: 400,
        problem: tr.t('web-bad-input', {
          problem: texts.ok ? parsed.error?.issues[0]?.path.join('.') || 'input' : texts.problem,
        }),
      });
    const areas = AREAS.filter((v) => posted.fields[`area-${v}`] === 'on');
    const form: AnnounceForm = { ...parsed.data, areas, texts: texts.texts };
    const refuse = (problem: string, status: 400 | 409 = 400) =>
      formPage(c, posted.session, form, { status, problem });
    const at = form.at ? parseDateTime(form.at, tz) : undefined;
    if (!at) return refuse(tr.t('web-flash-need-time'));
    if (at <= desk.now()) return refuse(tr.t('web-flash-time-past'));
    if (!form.where || !form.who) return refuse(tr.t('web-session-need-place'));
    if (hasOtherText(form.texts) && !form.texts.nl) return refuse(tr.t('web-session-need-nl'));
    const sendAt = form.send_at ? parseDateTime(form.send_at, tz) : undefined;
    if (form.send_at && !sendAt) return refuse(tr.t('web-flash-need-time'));
    if (sendAt && sendAt >= at) return refuse(tr.t('web-session-send-before'));
    try {
      const created = await announceSession(
        deps,
        {
          at,
          where: form.where,
          who: form.who,
          audience: areas.length > 0 ? { areas } : {},
          ...(sendAt && { sendAt }),
          ...(form.texts.nl && { text: localizedOf(form.texts) }),
        },
        staffActor(posted.session.staffId),
      );
      return c.redirect(`/desk/sessions/${created.id}?done=announced`, 303);
    } catch (error) {
      if (!(error instanceof BroadcastRequestError) && !(error instanceof z.ZodError)) throw error;
      return refuse(tr.t('web-session-refused'), 409);
    }
  });

  const find = async (c: Context): Promise<FlashReport | undefined> => {
    const id = SessionIdSchema.safeParse(c.req.param('id'));
    if (!id.success) return undefined;
    const row = await desk.db
      .selectFrom('flashes')
      .select('kind')
      .where('id', '=', id.data)
      .executeTakeFirst();
    if (row?.kind !== 'session') return undefined;
    return flashReport(desk.db, id.data);
  };

  const notFound = (c: Context, session: StaffSession) =>
    desk.notFound(c, session, 'broadcasts', {
      href: '/desk/sessions',
      label: desk.tr(c).t('web-straatpraat-title'),
    });

  const sessionPage = async (
    c: Context,
    session: StaffSession,
    report: FlashReport,
    extra: { notice?: string; problem?: string; status?: 200 | 400 | 409 } = {},
  ) => {
    const tr = desk.tr(c);
    const row = await desk.db
      .selectFrom('flashes')
      .select(['texts', 'cancelled_at'])
      .where('id', '=', report.id)
      .executeTakeFirstOrThrow();
    const cancelled = row.cancelled_at !== null;
    const info = report.session!;
    const past = new Date(info.at) <= desk.now();
    const groups = await sessionQuestions(desk.db, report.id);
    const summaries = info.followUps.filter((f) => f.kind === 'session_summary').length;
    const title = tr.t('web-session-title', { where: info.where });
    return desk.render(c, extra.status ?? 200, {
      title,
      section: 'broadcasts',
      session,
      body: html`<p><a href="/desk/sessions">${tr.t('web-straatpraat-title')}</a></p>
        <h1>${title}</h1>
        ${message(extra.notice)}${message(extra.problem, 'problem')}
        <dl class="facts">
          <dt>${tr.t('web-col-status')}</dt><dd id="session-status">${
            cancelled
              ? tr.t('web-session-status-cancelled')
              : past
                ? tr.t('web-session-status-past')
                : statusText(tr, report.status, false)
          }</dd>
          <dt>${tr.t('web-session-col-when')}</dt><dd>${when(tr, info.at, tz)}</dd>
          <dt>${tr.t('web-session-where')}</dt><dd>${info.where}</dd>
          <dt>${tr.t('web-session-who')}</dt><dd>${info.who}</dd>
          <dt>${tr.t('web-flash-to')}</dt><dd>${audienceText(tr, report.audienceFilter, newsTopics)}</dd>
          <dt>${tr.t('web-session-summaries')}</dt><dd>${summaries}</dd>
        </dl>
        ${shownTexts(row.texts)}
        <h2>${tr.t('web-flash-delivery')}</h2>
        ${reportFigures(tr, report)}
        <section aria-labelledby="questions-title"><h2 id="questions-title">${tr.t('web-session-questions', { count: info.questions })}</h2>
          <p class="hint">${tr.t('web-session-questions-hint')}</p>
          ${
            groups.length === 0
              ? html`<p>${tr.t('web-session-questions-none')}</p>`
              : groups.map(
                  (g) => html`<h3>${themeName(tr, g.theme)} (${g.questions.length})</h3>
                  <ul class="questions">${g.questions.map((q) => html`<li><p>${q.text}</p><p class="hint">${q.askedOn}</p></li>`)}</ul>`,
                )
          }
        </section>
        ${
          cancelled
            ? ''
            : html`<section aria-labelledby="summary-title"><h2 id="summary-title">${tr.t('web-session-summary')}</h2>
              <p class="hint" id="summary-hint">${tr.t('web-session-summary-hint')}</p>
              <form method="post" action="/desk/sessions/${report.id}/summary">${csrfField(session.csrfToken)}
                ${textAreas(tr, { id: (l) => `summary-${l}`, texts: {}, requireNl: true, nlLabel: tr.t('web-flash-text-nl'), nlDescribedBy: 'summary-hint' })}
                <button type="submit">${tr.t('web-session-summary-send')}</button></form></section>`
        }
        ${
          !cancelled && !past
            ? html`<form method="post" action="/desk/sessions/${report.id}/cancel">${csrfField(session.csrfToken)}
              <button type="submit" class="danger">${tr.t('web-session-cancel')}</button></form>`
            : ''
        }`,
    });
  };

  app.get('/desk/sessions/:id', async (c) => {
    const session = await desk.staff(c, BROADCAST_ROLES);
    if (session instanceof Response) return session;
    const report = await find(c);
    if (!report) return notFound(c, session);
    await desk.audit(session, 'session.questions', { flashId: report.id });
    const tr = desk.tr(c);
    const notices: Record<string, string> = {
      announced: tr.t('web-session-announced'),
      summary: tr.t('web-session-summary-sent'),
    };
    const done = c.req.query('done');
    return sessionPage(c, session, report, done && notices[done] ? { notice: notices[done] } : {});
  });

  app.post('/desk/sessions/:id/summary', async (c) => {
    const posted = await desk.form(c, BROADCAST_ROLES);
    if (posted instanceof Response) return posted;
    const report = await find(c);
    if (!report) return notFound(c, posted.session);
    const tr = desk.tr(c);
    const text = readTexts(posted.fields);
    if (!text.ok || !text.texts.nl)
      return sessionPage(c, posted.session, report, {
        status: 400,
        problem: text.ok ? tr.t('web-flash-need-nl') : tr.t('web-bad-input', { problem: text.problem }),
      });
    try {
      await sendSessionSummary(deps, report.id, localizedOf(text.texts), staffActor(posted.session.staffId));
    } catch (error) {
      if (!(error instanceof BroadcastRequestError)) throw error;
      return sessionPage(c, posted.session, report, { status: 409, problem: tr.t('web-session-refused') });
    }
    return c.redirect(`/desk/sessions/${report.id}?done=summary`, 303);
  });

  app.post('/desk/sessions/:id/cancel', async (c) => {
    const posted = await desk.form(c, BROADCAST_ROLES);
    if (posted instanceof Response) return posted;
    const report = await find(c);
    if (!report) return notFound(c, posted.session);
    try {
      await cancelSession(deps, report.id, staffActor(posted.session.staffId));
    } catch (error) {
      if (!(error instanceof BroadcastRequestError)) throw error;
      const again = (await find(c))!;
      return sessionPage(c, posted.session, again, {
        status: 409,
        problem: desk.tr(c).t('web-session-too-late'),
      });
    }
    return c.redirect('/desk/sessions?done=cancelled', 303);
  });
}
