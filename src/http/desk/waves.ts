import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import type { StaffSession } from '../../auth/staff-sessions.js';
import { BroadcastRequestError } from '../../broadcast/broadcasts.js';
import { cancelWave, closeWave } from '../../broadcast/corrections.js';
import { draftWaveResults } from '../../broadcast/wave-draft.js';
import { launchWave, listPolls, WAVE_DEFAULTS, type WaveReport, waveReport } from '../../broadcast/waves.js';
import { staffActor } from '../../desk/audit.js';
import { LANGUAGES, languageInfo } from '../../domain/language.js';
import { CHANNELS } from '../../domain/messages.js';
import { AREAS } from '../../domain/resident.js';
import { parseDateTime } from '../../domain/time.js';
import type { QuestionFigures, WaveResults } from '../../domain/wave-results.js';
import { waveResults } from '../../export/wave-results.js';
import { blankCompose, type ComposeForm, channelName } from './broadcasts.js';
import { broadcastDepsOf, type Desk } from './index.js';
import { csrfField, type Html, message, type Tr, when } from './page.js';

/** Waves are for the wijkteam and admins, as the chat desk's POLL. */
const WAVE_ROLES = ['wijkteam', 'admin'] as const;
const HOUR = 3_600_000;

const WaveIdSchema = z.uuid();
const LaunchSchema = z.object({
  poll: z.string().regex(/^[a-z0-9-]{1,40}$/),
  when: z.enum(['now', 'later']).default('now'),
  at: z.string().trim().max(40).default(''),
  /** Hours until the reminder; 0 for none. */
  remind_hours: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 30),
  close_days: z.coerce.number().int().min(1).max(60),
});

const checked = <T extends string>(
  fields: Record<string, string>,
  prefix: string,
  values: readonly T[],
): T[] => values.filter((v) => fields[`${prefix}-${v}`] === 'on');

const percent = (share: number) => `${Math.round(share * 100)}%`;

function waveStatus(tr: Tr, status: string): string {
  const ids: Record<string, string> = {
    scheduled: 'web-wave-status-scheduled',
    open: 'web-wave-status-open',
    closed: 'web-wave-status-closed',
    cancelled: 'web-wave-status-cancelled',
  };
  return ids[status] ? tr.t(ids[status]) : status;
}

/** A question's figures as a table: answer, share (and per area when shown); never colour alone. */
function figuresTable(
  tr: Tr,
  caption: string,
  total: QuestionFigures,
  areas: QuestionFigures[] | null,
): Html {
  const columns = [total, ...(areas ?? [])];
  const head = (f: QuestionFigures) =>
    f.area === 'totaal' ? tr.t('web-results-total') : tr.t(`area-${f.area === 'onbekend' ? 'geen' : f.area}`);
  const labels = total.distribution ?? [];
  const cell = (f: QuestionFigures, code: string) => {
    if (f.too_few) return tr.t('web-results-too-few-short');
    const share = f.distribution?.find((d) => d.code === code);
    return share ? percent(share.share) : '—';
  };
  return html`<div class="table-wrap" role="region" tabindex="0" aria-label="${caption}"><table>
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${tr.t('web-results-answer')}</th>${columns.map(
      (f) =>
        html`<th scope="col">${head(f)}${f.n !== null ? html` <span class="hint">(n=${f.n})</span>` : ''}</th>`,
    )}</tr></thead>
    <tbody>${labels.map(
      (d) =>
        html`<tr><th scope="row">${tr.lang === 'en' ? d.label.en : d.label.nl}</th>${columns.map(
          (f) => html`<td>${cell(f, d.code)}</td>`,
        )}</tr>`,
    )}</tbody></table></div>`;
}

/** The results of a closed wave, per question: shares, the mean mark, the free texts. */
function resultsSection(tr: Tr, r: WaveResults): Html {
  const pick = (t: { nl: string; en: string }) => (tr.lang === 'en' ? t.en : t.nl);
  if (!r.shown) return html`<p>${tr.t('web-results-running')}</p>`;
  if (r.respondents === null) return html`<p>${tr.t('web-results-too-few', { min: r.min_cell })}</p>`;
  return html`<p>${tr.t('web-results-respondents', { count: r.respondents, min: r.min_cell })}</p>
    ${r.notice ? html`<p>${pick(r.notice)}</p>` : ''}
    ${r.questions.map((q) => {
      const title = pick(q.text);
      if (q.type === 'text')
        return html`<h3>${title}</h3>${
          q.texts === null
            ? html`<p>${tr.t('web-results-too-few', { min: r.min_cell })}</p>`
            : html`<p class="hint">${tr.t('web-results-free-texts')}</p><ul class="free-texts">${q.texts.map((t) => html`<li>${t}</li>`)}</ul>`
        }`;
      return html`<h3>${title}</h3>
        ${q.total.too_few ? html`<p>${tr.t('web-results-too-few', { min: r.min_cell })}</p>` : figuresTable(tr, title, q.total, q.areas)}
        ${q.total.mean !== null ? html`<p class="mean"><strong>${tr.t('web-results-mean', { mean: q.total.mean })}</strong></p>` : ''}`;
    })}`;
}

/** The wave's progress, as a definition list. */
function progress(tr: Tr, r: WaveReport, tz: string): Html {
  return html`<dl class="facts">
    <dt>${tr.t('web-col-status')}</dt><dd id="wave-status">${waveStatus(tr, r.status)}</dd>
    <dt>${tr.t('web-wave-opens')}</dt><dd>${when(tr, r.opensAt, tz)}</dd>
    <dt>${tr.t('web-wave-reminder')}</dt><dd>${r.remindAt ? when(tr, r.remindAt, tz) : tr.t('web-wave-no-reminder')}</dd>
    <dt>${tr.t('web-wave-closes')}</dt><dd>${when(tr, r.closesAt, tz)}</dd>
    <dt>${tr.t('web-wave-invited')}</dt><dd>${r.invited + r.started + r.finished}</dd>
    <dt>${tr.t('web-wave-finished')}</dt><dd>${r.finished}</dd>
    <dt>${tr.t('web-wave-invitation')}</dt><dd>${tr.t('web-wave-delivery', { sent: r.invitation.sent, queued: r.invitation.queued, failed: r.invitation.failed })}</dd>
  </dl>`;
}

/**
 * Waves: the polls with their waves, launching one (same defaults as the CLI), closing early or
 * cancelling, the results of a closed wave (as the API shows them, small groups hidden), and the
 * "you said, we did" draft in the broadcast compose form.
 */
export function mountWaves(app: Hono, desk: Desk, compose: ComposeForm): void {
  const broadcast = desk.broadcast;
  const reading = desk.results;
  if (!broadcast || !reading) return;
  const deps = broadcastDepsOf(desk, broadcast);
  const tz = desk.config.timeZone;

  /** A closed wave's results, read as the monitor reader role (the export connections). */
  const resultsOf = (waveId: string) =>
    waveResults(reading.exports.db, waveId, {
      minCell: reading.minCell,
      polls: desk.polls(),
      includeRunning: false,
    });

  const listPage = async (
    c: Context,
    session: StaffSession,
    extra: { problem?: string; status?: 200 | 400 } = {},
  ) => {
    const tr = desk.tr(c);
    const polls = await listPolls(desk.db, desk.polls());
    const title = tr.t('web-waves-title');
    const pollName = (id: string) => {
      const p = desk.polls().get(id);
      return p ? (tr.lang === 'en' ? (p.title.en ?? p.title.nl) : p.title.nl) : id;
    };
    const waves = polls.flatMap((p) => p.waves.map((w) => ({ ...w, poll: p.id })));
    waves.sort((a, b) => b.opensAt.localeCompare(a.opensAt));
    const box = (name: string, label: string) =>
      html`<li><input type="checkbox" id="${name}" name="${name}"> <label for="${name}">${label}</label></li>`;
    return desk.render(c, extra.status ?? 200, {
      title,
      section: 'waves',
      session,
      body: html`<h1>${title}</h1>
        ${message(extra.problem, 'problem')}
        <h2>${tr.t('web-waves-list')}</h2>
        ${
          waves.length === 0
            ? html`<p>${tr.t('web-waves-none')}</p>`
            : html`<div class="table-wrap" role="region" tabindex="0" aria-label="${tr.t('web-waves-list')}"><table class="stack">
            <thead><tr><th scope="col">${tr.t('web-wave-poll')}</th><th scope="col">${tr.t('web-wave-opens')}</th>
            <th scope="col">${tr.t('web-wave-closes')}</th><th scope="col">${tr.t('web-col-status')}</th></tr></thead>
            <tbody>${waves.map(
              (
                w,
              ) => html`<tr><td data-label="${tr.t('web-wave-poll')}"><a href="/desk/waves/${w.id}">${pollName(w.poll)}</a></td>
                <td data-label="${tr.t('web-wave-opens')}">${when(tr, w.opensAt, tz)}</td>
                <td data-label="${tr.t('web-wave-closes')}">${when(tr, w.closesAt, tz)}</td>
                <td data-label="${tr.t('web-col-status')}">${waveStatus(tr, w.status)}</td></tr>`,
            )}</tbody></table></div>`
        }
        <h2 id="launch-title">${tr.t('web-wave-launch')}</h2>
        <form method="post" action="/desk/waves/launch" aria-labelledby="launch-title">${csrfField(session.csrfToken)}
          <label for="poll">${tr.t('web-wave-poll')}</label>
          <select id="poll" name="poll" required>${polls.map(
            (p) =>
              html`<option value="${p.id}">${pollName(p.id)} (${tr.t('web-wave-questions', { count: p.questions })})</option>`,
          )}</select>
          <fieldset><legend>${tr.t('web-flash-areas')}</legend><p class="hint">${tr.t('web-flash-none-is-all')}</p>
            <ul class="choices">${AREAS.map((v) => box(`area-${v}`, tr.t(`area-${v}`)))}</ul></fieldset>
          <fieldset><legend>${tr.t('web-flash-languages')}</legend><p class="hint">${tr.t('web-flash-none-is-all')}</p>
            <ul class="choices">${LANGUAGES.map((v) => box(`lang-${v}`, languageInfo(v).name))}</ul></fieldset>
          <fieldset><legend>${tr.t('web-flash-channels')}</legend><p class="hint">${tr.t('web-flash-none-is-all')}</p>
            <ul class="choices">${CHANNELS.map((v) => box(`channel-${v}`, channelName(tr, v)))}</ul></fieldset>
          <fieldset><legend>${tr.t('web-wave-when')}</legend>
            <ul class="choices">
              <li><input type="radio" id="when-now" name="when" value="now" checked> <label for="when-now">${tr.t('web-flash-when-now')}</label></li>
              <li><input type="radio" id="when-later" name="when" value="later"> <label for="when-later">${tr.t('web-flash-when-later')}</label></li>
            </ul>
            <label for="at">${tr.t('web-flash-at', { zone: tz })}</label>
            <p class="hint" id="at-hint">${tr.t('web-flash-quiet-hint')}</p>
            <input type="datetime-local" id="at" name="at" aria-describedby="at-hint">
          </fieldset>
          <label for="remind_hours">${tr.t('web-wave-remind-hours')}</label>
          <p class="hint" id="remind-hint">${tr.t('web-wave-remind-hint')}</p>
          <input type="number" id="remind_hours" name="remind_hours" min="0" max="720" required aria-describedby="remind-hint" value="${WAVE_DEFAULTS.remindAfterMs / HOUR}">
          <label for="close_days">${tr.t('web-wave-close-days')}</label>
          <input type="number" id="close_days" name="close_days" min="1" max="60" required value="${WAVE_DEFAULTS.closeAfterMs / (24 * HOUR)}">
          <button type="submit">${tr.t('web-wave-launch-button')}</button>
        </form>`,
    });
  };

  app.get('/desk/waves', async (c) => {
    const session = await desk.staff(c, WAVE_ROLES);
    if (session instanceof Response) return session;
    await desk.audit(session, 'wave.list');
    return listPage(c, session);
  });

  app.post('/desk/waves/launch', async (c) => {
    const form = await desk.form(c, WAVE_ROLES);
    if (form instanceof Response) return form;
    const tr = desk.tr(c);
    const parsed = LaunchSchema.safeParse(form.fields);
    if (!parsed.success || !desk.polls().has(parsed.data.poll))
      return listPage(c, form.session, {
        status: 400,
        problem: tr.t('web-bad-input', { problem: parsed.error?.issues[0]?.path.join('.') ?? 'poll' }),
      });
    const f = parsed.data;
    let opensAt: Date | undefined;
    if (f.when === 'later') {
      opensAt = f.at ? parseDateTime(f.at, tz) : undefined;
      if (!opensAt) return listPage(c, form.session, { status: 400, problem: tr.t('web-flash-need-time') });
      if (opensAt <= desk.now())
        return listPage(c, form.session, { status: 400, problem: tr.t('web-flash-time-past') });
    }
    const areas = checked(form.fields, 'area', AREAS);
    const languages = checked(form.fields, 'lang', LANGUAGES);
    const channels = checked(form.fields, 'channel', CHANNELS);
    try {
      const wave = await launchWave(
        deps,
        {
          poll: f.poll,
          audience: {
            ...(areas.length > 0 && { areas }),
            ...(languages.length > 0 && { languages }),
            ...(channels.length > 0 && { channels }),
          },
          ...(opensAt && { opensAt }),
          remindAfterMs: f.remind_hours === 0 ? null : f.remind_hours * HOUR,
          closeAfterMs: f.close_days * 24 * HOUR,
        },
        staffActor(form.session.staffId),
      );
      return c.redirect(`/desk/waves/${wave.id}?done=launched`, 303);
    } catch (error) {
      if (!(error instanceof BroadcastRequestError)) throw error;
      return listPage(c, form.session, { status: 400, problem: tr.t('web-bad-input', { problem: 'poll' }) });
    }
  });

  const find = async (c: Context): Promise<WaveReport | undefined> => {
    const id = WaveIdSchema.safeParse(c.req.param('id'));
    if (!id.success) return undefined;
    const exists = await desk.db
      .selectFrom('waves')
      .select('id')
      .where('id', '=', id.data)
      .executeTakeFirst();
    return exists ? waveReport(desk.db, id.data) : undefined;
  };

  const notFound = (c: Context, session: StaffSession) =>
    desk.notFound(c, session, 'waves', { href: '/desk/waves', label: desk.tr(c).t('web-waves-title') });

  const wavePage = async (
    c: Context,
    session: StaffSession,
    report: WaveReport,
    extra: { notice?: string; problem?: string; status?: 200 | 409 } = {},
  ) => {
    const tr = desk.tr(c);
    const poll = desk.polls().get(report.poll);
    const name = poll ? (tr.lang === 'en' ? (poll.title.en ?? poll.title.nl) : poll.title.nl) : report.poll;
    const title = tr.t('web-wave-title', { poll: name });
    const results = report.status === 'closed' ? await resultsOf(report.id) : undefined;
    if (results) await desk.audit(session, 'wave.results', { wave: report.id });
    const actions: Html[] = [];
    if (report.status === 'scheduled')
      actions.push(html`<form method="post" action="/desk/waves/${report.id}/cancel">${csrfField(session.csrfToken)}
        <button type="submit" class="danger">${tr.t('web-wave-cancel')}</button></form>`);
    if (report.status === 'open')
      actions.push(html`<form method="post" action="/desk/waves/${report.id}/close">${csrfField(session.csrfToken)}
        <button type="submit" class="danger">${tr.t('web-wave-close')}</button></form>`);
    return desk.render(c, extra.status ?? 200, {
      title,
      section: 'waves',
      session,
      body: html`<p><a href="/desk/waves">${tr.t('web-waves-title')}</a></p>
        <h1>${title}</h1>
        ${message(extra.notice)}${message(extra.problem, 'problem')}
        ${progress(tr, report, tz)}
        ${actions}
        <h2>${tr.t('web-results-title')}</h2>
        ${
          results
            ? html`${resultsSection(tr, results)}
              ${
                results.shown
                  ? html`<form method="post" action="/desk/waves/${report.id}/draft">${csrfField(session.csrfToken)}
                    <p class="hint">${tr.t('web-wave-draft-hint')}</p>
                    <button type="submit">${tr.t('web-wave-draft')}</button></form>`
                  : ''
              }`
            : html`<p>${tr.t('web-results-running')}</p>`
        }`,
    });
  };

  app.get('/desk/waves/:id', async (c) => {
    const session = await desk.staff(c, WAVE_ROLES);
    if (session instanceof Response) return session;
    const report = await find(c);
    if (!report) return notFound(c, session);
    const tr = desk.tr(c);
    const notices: Record<string, string> = {
      launched: tr.t('web-wave-launched'),
      closed: tr.t('web-wave-closed'),
      cancelled: tr.t('web-wave-cancelled'),
    };
    const done = c.req.query('done');
    return wavePage(c, session, report, done && notices[done] ? { notice: notices[done] } : {});
  });

  for (const [action, run] of [
    ['close', closeWave],
    ['cancel', cancelWave],
  ] as const) {
    app.post(`/desk/waves/:id/${action}`, async (c) => {
      const form = await desk.form(c, WAVE_ROLES);
      if (form instanceof Response) return form;
      const report = await find(c);
      if (!report) return notFound(c, form.session);
      try {
        await run(deps, report.id, staffActor(form.session.staffId));
      } catch (error) {
        if (!(error instanceof BroadcastRequestError)) throw error;
        const again = (await find(c))!;
        return wavePage(c, form.session, again, { status: 409, problem: desk.tr(c).t('web-wave-not-now') });
      }
      return c.redirect(`/desk/waves/${report.id}?done=${action === 'close' ? 'closed' : 'cancelled'}`, 303);
    });
  }

  // "You said, we did": the draft from the same suppressed results, in the compose form, for
  // everyone who answered this wave. The wijkteam edits it, previews it and confirms.
  app.post('/desk/waves/:id/draft', async (c) => {
    const form = await desk.form(c, WAVE_ROLES);
    if (form instanceof Response) return form;
    const report = await find(c);
    if (!report) return notFound(c, form.session);
    const results = await resultsOf(report.id);
    if (!results?.shown)
      return wavePage(c, form.session, report, { status: 409, problem: desk.tr(c).t('web-results-running') });
    const draft = draftWaveResults({ texts: desk.texts }, results, desk.polls().get(results.poll));
    await desk.audit(form.session, 'wave.draft', { wave: report.id });
    return compose(
      c,
      form.session,
      blankCompose({ text: draft.texts, audience: { answeredWave: report.id } }),
      desk.tr(c).t('web-wave-draft-ready'),
    );
  });
}
