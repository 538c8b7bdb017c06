import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { askAsNumberedText } from '../../../adapters/render.js';
import { renderForTelegram } from '../../../adapters/telegram/render.js';
import { renderAsk } from '../../../adapters/whatsapp/render.js';
import { type CloudPayload, renderForCloud } from '../../../adapters/whatsapp-cloud/render.js';
import { reply } from '../../../flows/asks.js';
import { askFollowUp, askQuestion } from '../../../flows/poll.js';
import { type Poll, type PollDefinition, QUESTION_TYPES } from '../../../flows/polls/schema.js';
import { checkPoll, type PollIssue } from '../../../flows/polls/validate.js';
import type { StaffSession } from '../../auth/staff-sessions.js';
import { listPolls } from '../../broadcast/waves.js';
import { recordAudit, staffActor } from '../../desk/audit.js';
import { deliverTo, residentOfStaff } from '../../desk/deliver.js';
import { LANGUAGES, type Language, LanguageSchema, localize } from '../../domain/language.js';
import { type OutboundMessage, OutboundMessageSchema } from '../../domain/messages.js';
import { loadIndicators } from '../../export/indicators.js';
import { storePollVersion } from '../../polls/catalog.js';
import type { OutboundJob } from '../../queue/payloads.js';
import { channelName } from './broadcasts.js';
import type { Desk } from './index.js';
import { csrfField, type Html, message, type Tr, when } from './page.js';
import {
  blankForm,
  type Definition,
  definitionOf,
  type FormAction,
  FormActionSchema,
  fieldId,
  formOf,
  formPath,
  hasIndicator,
  MAX_OPTIONS,
  MAX_QUESTIONS,
  type PollForm,
  readForm,
  type Texts,
  withSlotAdded,
} from './poll-form.js';

/** Writing polls is for the wijkteam and admins, as launching them; polls with an indicator for admins only. */
const POLL_ROLES = ['wijkteam', 'admin'] as const;
const PollIdSchema = z.string().regex(/^[a-z0-9-]{1,40}$/);
/** The channels a preview shows, in this order. */
const PREVIEW_CHANNELS = ['telegram', 'whatsapp-cloud', 'whatsapp', 'console'] as const;
type PreviewChannel = (typeof PREVIEW_CHANNELS)[number];
/** The question types as the form names them. */
const TYPE_LABELS: Record<(typeof QUESTION_TYPES)[number], string> = {
  yesno: 'web-poll-type-yesno',
  scale5: 'web-poll-type-scale5',
  grade10: 'web-poll-type-grade10',
  choice: 'web-poll-type-choice',
  multi: 'web-poll-type-multi',
  text: 'web-poll-type-text',
};
/** The languages `checkPoll` requires (the others are filled in when a translation exists). */
const REQUIRED_LANGUAGES: readonly Language[] = ['nl', 'en'];

const indicatorsOf = (poll: Pick<PollDefinition, 'questions'>) => [
  ...new Set(poll.questions.flatMap((q) => (q.indicator ? [q.indicator] : []))),
];

const titleOf = (tr: Tr, poll: Pick<PollDefinition, 'title'>) =>
  tr.lang === 'en' ? (poll.title.en ?? poll.title.nl) : poll.title.nl;

/** What residents get of a poll on one channel, in order: the intro, each question and its follow-up. */
export function residentMessages(
  texts: Desk['texts'],
  channel: string,
  lang: Language,
  poll: PollDefinition,
): OutboundMessage[] {
  const ctx = { texts, resident: { channel } };
  const out = poll.intro ? [reply(localize(poll.intro, lang))] : [];
  poll.questions.forEach((q, i) => {
    out.push(...askQuestion(ctx, lang, poll, i), ...askFollowUp(ctx, lang, q));
  });
  return out.map((m) => OutboundMessageSchema.parse(m));
}

const bubble = (text: string, lang: Language) => html`<p class="message" lang="${lang}">${text}</p>`;
const choices = (items: string[], lang: Language) =>
  html`<ul class="taps" lang="${lang}">${items.map((i) => html`<li>${i}</li>`)}</ul>`;

/** One message as a channel's own renderer makes it (the same code that sends it), drawn as HTML. */
function drawn(tr: Tr, channel: PreviewChannel, m: OutboundMessage, lang: Language): Html {
  switch (channel) {
    case 'telegram': {
      const sent = renderForTelegram(m);
      return html`${bubble(sent.text, lang)}${
        sent.keyboard
          ? choices(
              sent.keyboard.flat().map((b) => b.text),
              lang,
            )
          : ''
      }`;
    }
    case 'whatsapp-cloud':
      return html`${renderForCloud(m).map((p) => cloudPayload(tr, p, lang))}`;
    case 'whatsapp': {
      if (m.kind === 'text') return bubble(m.text, lang);
      const sent = renderAsk(m);
      if (sent.kind === 'text') return bubble(sent.text, lang);
      return html`<p class="message" lang="${lang}"><span class="hint">${tr.t('web-poll-preview-native')}</span>
        ${sent.name}</p>${choices(
          sent.options.map((o) => o.name),
          lang,
        )}`;
    }
    case 'console':
      return bubble(m.kind === 'text' ? m.text : askAsNumberedText(m), lang);
  }
}

function cloudPayload(tr: Tr, p: CloudPayload, lang: Language): Html {
  if (p.type === 'text') return bubble((p.text as { body: string }).body, lang);
  if (p.type !== 'interactive') return html``;
  const i = p.interactive as {
    type: 'button' | 'list';
    body: { text: string };
    action: {
      buttons?: { reply: { title: string } }[];
      button?: string;
      sections?: { rows: { title: string; description?: string }[] }[];
    };
  };
  if (i.type === 'button')
    return html`${bubble(i.body.text, lang)}${choices(
      (i.action.buttons ?? []).map((b) => b.reply.title),
      lang,
    )}`;
  const rows = (i.action.sections ?? []).flatMap((s) => s.rows);
  return html`${bubble(i.body.text, lang)}<p class="hint">${tr.t('web-poll-preview-list', { button: i.action.button ?? '' })}</p>${choices(
    rows.map((r) => (r.description ? `${r.title} (${r.description})` : r.title)),
    lang,
  )}`;
}

/** The preview: per channel, what residents get of the poll, drawn by the channels' own renderers. */
function preview(desk: Desk, tr: Tr, poll: PollDefinition, lang: Language): Html {
  return html`<section aria-labelledby="preview-title" id="preview">
    <h2 id="preview-title">${tr.t('web-poll-preview-title', { language: tr.t(`language-${lang}`) })}</h2>
    <p class="hint">${tr.t('web-poll-preview-hint')}</p>
    <div class="phones">${PREVIEW_CHANNELS.map(
      (ch) =>
        html`<figure class="phone" data-channel="${ch}"><figcaption>${
          ch === 'console' ? tr.t('web-poll-preview-plain') : channelName(tr, ch)
        }</figcaption><ol class="chat">${residentMessages(desk.texts, ch, lang, poll).map(
          (m) => html`<li>${drawn(tr, ch, m, lang)}</li>`,
        )}</ol></figure>`,
    )}</div></section>`;
}

/** A problem shown on the form: where it is (a field or a group of fields) and what it says. */
interface Problem {
  anchor: string;
  label: string;
  text: string;
}

/**
 * Sends a poll's intro and first question to the staff member's own chat, as residents on that channel
 * get them, with a line saying it is a test. Nothing is recorded as an answer: the staff member is not
 * in a wave of this poll, so their chat has no question pending.
 */
async function testSend(desk: Desk, session: StaffSession, poll: PollDefinition): Promise<boolean> {
  const now = desk.now();
  const jobs = await desk.db.transaction().execute(async (tx) => {
    const residentId = await residentOfStaff(tx, session.staffId);
    const own = residentId
      ? await tx
          .selectFrom('residents')
          .select(['language', 'channel'])
          .where('id', '=', residentId)
          .executeTakeFirst()
      : undefined;
    const queued: OutboundJob[] = [];
    if (residentId && own) {
      const lang = LanguageSchema.catch('nl').parse(own.language);
      const ctx = { texts: desk.texts, resident: { channel: own.channel } };
      const messages = [
        reply(desk.texts.t(lang, 'web-poll-test-message', { title: localize(poll.title, lang) })),
        ...(poll.intro ? [reply(localize(poll.intro, lang))] : []),
        ...askQuestion(ctx, lang, poll, 0),
      ];
      for (const [seq, m] of messages.entries()) {
        const job = await deliverTo(tx, residentId, m, { inboundId: null, seq, now });
        if (job) queued.push(job);
      }
    }
    await recordAudit(
      tx,
      staffActor(session.staffId),
      'poll.test_send',
      { poll: poll.id, delivered: queued.length > 0, via: 'web' },
      now,
    );
    return queued;
  });
  if (jobs.length > 0) await desk.outbox.enqueue(jobs);
  return jobs.length > 0;
}

/**
 * The poll editor: the polls with their version, indicator and next recurring wave; writing a new poll
 * or a new version of one (checked by `checkPoll`, as on the command line, with each problem next to
 * its field); a preview per channel; a test send to one's own chat; saving a version through the same
 * code as `poll create`. Polls with an indicator feed the monitor's series: only admins write those.
 */
export function mountPolls(app: Hono, desk: Desk): void {
  const tz = desk.config.timeZone;
  const indicatorCodes = () => loadIndicators().indicators.map((i) => i.code);

  const refuseIndicator = (c: Context, session: StaffSession) => {
    const tr = desk.tr(c);
    return desk.render(c, 403, {
      title: tr.t('web-poll-admin-only-title'),
      section: 'polls',
      session,
      body: html`<h1>${tr.t('web-poll-admin-only-title')}</h1>${message(tr.t('web-poll-admin-only'), 'problem')}
        <p><a href="/desk/polls">${tr.t('web-polls-title')}</a></p>`,
    });
  };

  const notFound = (c: Context, session: StaffSession) =>
    desk.notFound(c, session, 'polls', { href: '/desk/polls', label: desk.tr(c).t('web-polls-title') });

  app.get('/desk/polls', async (c) => {
    const session = await desk.staff(c, POLL_ROLES);
    if (session instanceof Response) return session;
    const tr = desk.tr(c);
    const polls = await listPolls(desk.db, desk.polls(), { now: desk.now(), timeZone: tz });
    const title = tr.t('web-polls-title');
    const col = (id: string) => tr.t(id);
    return desk.render(c, 200, {
      title,
      section: 'polls',
      session,
      body: html`<h1>${title}</h1>
        <p><a class="button" href="/desk/polls/new">${tr.t('web-poll-new')}</a></p>
        <div class="table-wrap" role="region" tabindex="0" aria-label="${title}"><table class="stack">
          <thead><tr><th scope="col">${col('web-poll-name')}</th><th scope="col">${col('web-poll-code')}</th>
          <th scope="col">${col('web-poll-version')}</th><th scope="col">${col('web-poll-indicator-poll')}</th>
          <th scope="col">${col('web-poll-next-wave')}</th></tr></thead>
          <tbody>${polls.map((p) => {
            const poll = desk.polls().get(p.id);
            return html`<tr><td data-label="${col('web-poll-name')}"><a href="/desk/polls/${p.id}">${poll ? titleOf(tr, poll) : p.title}</a></td>
              <td data-label="${col('web-poll-code')}">${p.id}</td>
              <td data-label="${col('web-poll-version')}">${p.version ?? 1}</td>
              <td data-label="${col('web-poll-indicator-poll')}">${
                p.indicators.length > 0 ? `${tr.t('web-yes')} (${p.indicators.join(', ')})` : tr.t('web-no')
              }</td>
              <td data-label="${col('web-poll-next-wave')}">${p.nextWave ? when(tr, p.nextWave, tz) : '—'}</td></tr>`;
          })}</tbody></table></div>`,
    });
  });

  /** The editor: the form (with its problems and, when asked, the preview), for a new poll or a new version. */
  const formPage = async (
    c: Context,
    session: StaffSession,
    form: PollForm,
    extra: {
      status?: 200 | 400;
      problems?: Problem[];
      preview?: { poll: PollDefinition; lang: Language };
      notice?: string;
      problem?: string;
      lang?: Language;
    } = {},
  ) => {
    const tr = desk.tr(c);
    const admin = session.role === 'admin';
    const problems = extra.problems ?? [];
    const errorOf = new Map<string, string[]>();
    for (const p of problems) errorOf.set(p.anchor, [...(errorOf.get(p.anchor) ?? []), p.text]);
    const title = form.base ? tr.t('web-poll-edit-title', { poll: form.base }) : tr.t('web-poll-new-title');
    const action = form.base ? `/desk/polls/${form.base}/edit` : '/desk/polls/new';

    const errorText = (id: string) => {
      const texts = errorOf.get(id);
      return texts ? html`<p class="field-error" id="${id}-error">${texts.join(' ')}</p>` : '';
    };
    const describedBy = (id: string, hint?: string) => {
      const ids = [...(hint ? [hint] : []), ...(errorOf.has(id) ? [`${id}-error`] : [])];
      return ids.length > 0 ? html` aria-describedby="${ids.join(' ')}"` : '';
    };
    const invalid = (id: string) => (errorOf.has(id) ? html` aria-invalid="true"` : '');
    const input = (
      id: string,
      label: string,
      value: string,
      o: { required?: boolean; hint?: string; multiline?: boolean; lang?: Language; maxlength?: number } = {},
    ) => {
      const hintId = o.hint ? `${id}-hint` : undefined;
      const attrs = html`id="${id}" name="${id}"${o.required ? html` aria-required="true"` : ''}${invalid(id)}${describedBy(id, hintId)}${
        o.lang ? html` lang="${o.lang}"` : ''
      } maxlength="${o.maxlength ?? 1000}"`;
      return html`<label for="${id}">${label}</label>
        ${o.hint ? html`<p class="hint" id="${hintId}">${o.hint}</p>` : ''}${errorText(id)}
        ${o.multiline ? html`<textarea ${attrs} rows="3">${value}</textarea>` : html`<input type="text" ${attrs} value="${value}">`}`;
    };
    const perLanguage = (
      prefix: string,
      label: string,
      t: Texts,
      o: { multiline?: boolean; optional?: boolean } = {},
    ) =>
      LANGUAGES.map((l) =>
        input(
          `${prefix}-${l}`,
          tr.t(
            !o.optional && REQUIRED_LANGUAGES.includes(l)
              ? 'web-poll-in-language-required'
              : 'web-poll-in-language',
            { field: label, language: tr.t(`language-${l}`) },
          ),
          t[l],
          {
            required: !o.optional && REQUIRED_LANGUAGES.includes(l),
            lang: l,
            ...(o.multiline && { multiline: true }),
          },
        ),
      );
    const indicators = indicatorCodes();

    const questionFields = form.questions.map((q, qi) => {
      const at = `questions-${qi}`;
      const legendId = `${at}-legend`;
      return html`<fieldset id="${at}" aria-labelledby="${legendId}"${describedBy(at)}>
        <legend id="${legendId}">${tr.t('web-poll-question-n', { n: qi + 1 })}</legend>${errorText(at)}
        <input type="hidden" name="${at}-option_count" value="${q.options.length}">
        ${input(`${at}-id`, tr.t('web-poll-question-code'), q.id, { hint: tr.t('web-poll-question-code-hint'), maxlength: 36 })}
        <label for="${at}-type">${tr.t('web-poll-question-type')}</label>${errorText(`${at}-type`)}
        <select id="${at}-type" name="${at}-type"${invalid(`${at}-type`)}${describedBy(`${at}-type`)}>${QUESTION_TYPES.map(
          (t) =>
            html`<option value="${t}"${t === q.type ? html` selected` : ''}>${tr.t(TYPE_LABELS[t])}</option>`,
        )}</select>
        ${
          admin
            ? html`<label for="${at}-indicator">${tr.t('web-poll-indicator')}</label>
              <p class="hint" id="${at}-indicator-hint">${tr.t('web-poll-indicator-hint')}</p>${errorText(`${at}-indicator`)}
              <select id="${at}-indicator" name="${at}-indicator"${invalid(`${at}-indicator`)}${describedBy(`${at}-indicator`, `${at}-indicator-hint`)}>
                <option value="">${tr.t('web-poll-no-indicator')}</option>
                ${indicators.map((code) => html`<option value="${code}"${code === q.indicator ? html` selected` : ''}>${code}</option>`)}
              </select>`
            : ''
        }
        ${perLanguage(`${at}-text`, tr.t('web-poll-question-text'), q.text, { multiline: true })}
        <fieldset id="${at}-options" aria-labelledby="${at}-options-legend"${describedBy(`${at}-options`)}>
          <legend id="${at}-options-legend">${tr.t('web-poll-options')}</legend>
          <p class="hint">${tr.t('web-poll-options-hint')}</p>${errorText(`${at}-options`)}
          ${q.options.map(
            (o, oi) => html`<div class="option">
              ${input(`${at}-options-${oi}-code`, tr.t('web-poll-option-code', { n: oi + 1 }), o.code, { maxlength: 20 })}
              ${perLanguage(`${at}-options-${oi}-label`, tr.t('web-poll-option-label', { n: oi + 1 }), o.label, { optional: true })}</div>`,
          )}
          ${
            q.options.length < MAX_OPTIONS
              ? html`<button type="submit" class="secondary" name="do" value="add-option-${qi}">${tr.t('web-poll-add-option', { n: qi + 1 })}</button>`
              : ''
          }
        </fieldset>
        ${perLanguage(`${at}-followUp-text`, tr.t('web-poll-follow-up'), q.followUp, { multiline: true, optional: true })}
      </fieldset>`;
    });

    const previewLang = extra.lang ?? 'nl';
    return desk.render(c, extra.status ?? 200, {
      title: problems.length > 0 ? tr.t('web-poll-problems-title', { title }) : title,
      section: 'polls',
      session,
      body: html`<p><a href="/desk/polls">${tr.t('web-polls-title')}</a></p>
        <h1>${title}</h1>
        ${
          problems.length > 0
            ? html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
              <h2 id="error-summary-title">${tr.t('web-poll-problems', { count: problems.length })}</h2>
              <ul>${problems.map((p) => html`<li><a href="#${p.anchor}">${p.label}: ${p.text}</a></li>`)}</ul></div>`
            : ''
        }
        ${message(extra.notice)}${message(extra.problem, 'problem')}
        ${extra.preview ? preview(desk, tr, extra.preview.poll, extra.preview.lang) : ''}
        <h2 id="form-title">${tr.t('web-poll-form-title')}</h2>
        <p>${tr.t('web-poll-form-intro')}</p>
        <form method="post" action="${action}" novalidate aria-labelledby="form-title">${csrfField(session.csrfToken)}
          <button type="submit" name="do" value="preview" class="default-action" tabindex="-1" aria-hidden="true">${tr.t('web-poll-preview')}</button>
          <input type="hidden" name="question_count" value="${form.questions.length}">
          ${
            form.base
              ? html`<p>${tr.t('web-poll-code')}: <strong>${form.base}</strong></p>`
              : input('id', tr.t('web-poll-code'), form.id, {
                  required: true,
                  hint: tr.t('web-poll-code-hint'),
                  maxlength: 40,
                })
          }
          ${perLanguage('title', tr.t('web-poll-title-field'), form.title)}
          ${perLanguage('intro', tr.t('web-poll-intro-field'), form.intro, { multiline: true, optional: true })}
          <div id="questions">${errorText('questions')}${questionFields}</div>
          ${
            form.questions.length < MAX_QUESTIONS
              ? html`<button type="submit" class="secondary" name="do" value="add-question">${tr.t('web-poll-add-question')}</button>`
              : ''
          }
          <fieldset><legend>${tr.t('web-poll-check-legend')}</legend>
            <label for="preview_lang">${tr.t('web-poll-preview-language')}</label>
            <select id="preview_lang" name="preview_lang">${LANGUAGES.map(
              (l) =>
                html`<option value="${l}"${l === previewLang ? html` selected` : ''}>${tr.t(`language-${l}`)}</option>`,
            )}</select>
            <button type="submit" class="secondary" name="do" value="preview">${tr.t('web-poll-preview')}</button>
            <p class="hint" id="test-hint">${tr.t('web-poll-test-hint')}</p>
            <button type="submit" class="secondary" name="do" value="test" aria-describedby="test-hint">${tr.t('web-poll-test')}</button>
          </fieldset>
          <button type="submit" name="do" value="save">${tr.t('web-poll-save')}</button>
        </form>`,
    });
  };

  /** The problems `checkPoll` found, each at its field (or the nearest group of fields) in the form. */
  const problemsOf = (tr: Tr, form: PollForm, def: Definition, issues: PollIssue[]): Problem[] => {
    const values = new Map<string, string>();
    const labels = new Map<string, string>();
    const put = (id: string, value: string, label: string) => {
      values.set(id, value);
      labels.set(id, label);
    };
    const lang = (l: Language) => tr.t(`language-${l}`);
    if (!form.base) put('id', form.id, tr.t('web-poll-code'));
    for (const l of LANGUAGES) {
      put(`title-${l}`, form.title[l], `${tr.t('web-poll-title-field')} (${lang(l)})`);
      put(`intro-${l}`, form.intro[l], `${tr.t('web-poll-intro-field')} (${lang(l)})`);
    }
    labels.set('questions', tr.t('web-poll-questions'));
    form.questions.forEach((q, qi) => {
      const at = `questions-${qi}`;
      const n = tr.t('web-poll-question-n', { n: qi + 1 });
      labels.set(at, n);
      labels.set(`${at}-options`, `${n}, ${tr.t('web-poll-options')}`);
      put(`${at}-id`, q.id, `${n}, ${tr.t('web-poll-question-code')}`);
      put(`${at}-type`, q.type, `${n}, ${tr.t('web-poll-question-type')}`);
      put(`${at}-indicator`, q.indicator, `${n}, ${tr.t('web-poll-indicator')}`);
      for (const l of LANGUAGES) {
        put(`${at}-text-${l}`, q.text[l], `${n}, ${tr.t('web-poll-question-text')} (${lang(l)})`);
        put(`${at}-followUp-text-${l}`, q.followUp[l], `${n}, ${tr.t('web-poll-follow-up')} (${lang(l)})`);
      }
      q.options.forEach((o, oi) => {
        put(`${at}-options-${oi}-code`, o.code, `${n}, ${tr.t('web-poll-option-code', { n: oi + 1 })}`);
        for (const l of LANGUAGES)
          put(
            `${at}-options-${oi}-label-${l}`,
            o.label[l],
            `${n}, ${tr.t('web-poll-option-label', { n: oi + 1 })} (${lang(l)})`,
          );
      });
    });
    return issues.map((issue) => {
      const path = formPath(issue, def);
      // The field itself, else the nearest group that holds it (a question, its answers, all questions).
      let anchor = '';
      for (let n = path.length; n > 0; n--) {
        const id = fieldId(path.slice(0, n));
        if (labels.has(id)) {
          anchor = id;
          break;
        }
      }
      if (anchor === '' || (anchor === 'id' && form.base)) anchor = 'questions';
      // The schema's own messages are in English and technical: said plainly here. checkPoll's
      // messages (in Dutch, as on the command line) are shown as they are.
      const schemaSaid = /^(Invalid|Too |Expected)/.test(issue.message);
      const needsOptions = / needs options$/.test(issue.message);
      if (needsOptions && /^questions-\d+$/.test(anchor)) anchor = `${anchor}-options`;
      const value = values.get(anchor);
      let text = issue.message;
      if (value !== undefined && value.trim() === '') text = tr.t('web-poll-field-empty');
      else if (needsOptions || (schemaSaid && anchor.endsWith('-options')))
        text = tr.t('web-poll-need-options');
      else if (/ repeats$/.test(issue.message)) text = tr.t('web-poll-code-repeats');
      else if (schemaSaid && anchor === 'questions') text = tr.t('web-poll-need-question');
      else if (schemaSaid && /-(id|code)$|^id$/.test(anchor)) text = tr.t('web-poll-code-format');
      else if (schemaSaid) text = tr.t('web-poll-field-invalid');
      return { anchor, label: labels.get(anchor) ?? anchor, text };
    });
  };

  app.get('/desk/polls/new', async (c) => {
    const session = await desk.staff(c, POLL_ROLES);
    if (session instanceof Response) return session;
    return formPage(c, session, blankForm());
  });

  app.get('/desk/polls/:id/edit', async (c) => {
    const session = await desk.staff(c, POLL_ROLES);
    if (session instanceof Response) return session;
    const id = PollIdSchema.safeParse(c.req.param('id'));
    const poll = id.success ? desk.polls().get(id.data) : undefined;
    if (!poll) return notFound(c, session);
    if (session.role !== 'admin' && indicatorsOf(poll).length > 0) return refuseIndicator(c, session);
    return formPage(c, session, formOf(poll));
  });

  /** A posted form: add a slot, preview, test send or save. */
  const posted = async (c: Context, base: string | undefined) => {
    const got = await desk.form(c, POLL_ROLES);
    if (got instanceof Response) return got;
    const { session, fields } = got;
    const tr = desk.tr(c);
    const previous = base === undefined ? undefined : desk.polls().get(base);
    if (base !== undefined && !previous) return notFound(c, session);
    const form = readForm(fields, base);
    if (!form)
      return formPage(c, session, base && previous ? formOf(previous) : blankForm(), {
        status: 400,
        problem: tr.t('web-bad-input', { problem: tr.t('web-poll-too-long') }),
      });
    // Indicator polls feed the monitor's series: the form has no indicator field for the wijkteam, and
    // one posted all the same, or a new version of a poll that has one, is refused.
    if (session.role !== 'admin' && (hasIndicator(form) || (previous && indicatorsOf(previous).length > 0)))
      return refuseIndicator(c, session);
    const action: FormAction = FormActionSchema.catch('preview').parse(fields.do ?? 'preview');
    const lang = LanguageSchema.catch('nl').parse(fields.preview_lang);
    if (action === 'add-question' || action.startsWith('add-option-'))
      return formPage(c, session, withSlotAdded(form, action), { lang });

    const def = definitionOf(form, previous);
    const check = checkPoll(def.definition, { indicators: indicatorCodes() });
    const issues: PollIssue[] = check.ok ? [] : [...check.issues];
    if (!base && desk.polls().has(form.id.trim()))
      issues.unshift({ path: ['id'], field: 'id', message: tr.t('web-poll-code-taken') });
    if (issues.length > 0 || !check.ok)
      return formPage(c, session, form, { status: 400, problems: problemsOf(tr, form, def, issues), lang });
    const poll = check.poll;

    if (action === 'preview') return formPage(c, session, form, { preview: { poll, lang }, lang });
    if (action === 'test') {
      const sent = await testSend(desk, session, poll);
      return formPage(c, session, form, {
        notice: sent ? tr.t('web-poll-test-sent') : tr.t('web-poll-test-not-sent'),
        preview: { poll, lang },
        lang,
      });
    }
    const now = desk.now();
    const taken = Symbol('taken');
    const stored = await desk.db
      .transaction()
      .execute(async (tx) => {
        const s = await storePollVersion(tx, poll, {
          source: 'desk',
          actor: staffActor(session.staffId),
          now,
          compareWith: 'latest',
        });
        // Someone else stored this code a moment ago (in another process): a new poll never becomes
        // a version of theirs.
        if (!base && !(s.created && s.version === 1)) throw taken;
        if (s.created)
          await recordAudit(
            tx,
            staffActor(session.staffId),
            'poll.version',
            { poll: s.poll, version: s.version, indicators: indicatorsOf(poll), via: 'web' },
            now,
          );
        return s;
      })
      .catch((error: unknown) => {
        if (error === taken) return undefined;
        throw error;
      });
    if (!stored) {
      const problem = { path: ['id'], field: 'id', message: tr.t('web-poll-code-taken') };
      return formPage(c, session, form, {
        status: 400,
        problems: problemsOf(tr, form, def, [problem]),
        lang,
      });
    }
    // The waves page (and every list) should show the new version at once.
    await desk.syncPolls?.();
    return c.redirect(`/desk/polls/${stored.poll}?done=${stored.created ? 'saved' : 'unchanged'}`, 303);
  };

  app.post('/desk/polls/new', (c) => posted(c, undefined));
  app.post('/desk/polls/:id/edit', async (c) => {
    const id = PollIdSchema.safeParse(c.req.param('id'));
    return posted(c, id.success ? id.data : '');
  });

  /** One poll: its facts, versions, the preview of its latest version, a test send and what to do next. */
  const pollPage = async (c: Context, session: StaffSession, poll: Poll, notice?: string) => {
    const tr = desk.tr(c);
    const lang = LanguageSchema.catch('nl').parse(c.req.query('lang'));
    const [summary] = (
      await listPolls(desk.db, new Map([[poll.id, poll]]), { now: desk.now(), timeZone: tz })
    ).filter((p) => p.id === poll.id);
    const versions = await desk.db
      .selectFrom('poll_versions')
      .select(['version', 'source', 'created_at'])
      .where('poll', '=', poll.id)
      .orderBy('version', 'desc')
      .execute();
    const indicators = indicatorsOf(poll);
    const mayChange = session.role === 'admin' || indicators.length === 0;
    const title = titleOf(tr, poll);
    return desk.render(c, 200, {
      title,
      section: 'polls',
      session,
      body: html`<p><a href="/desk/polls">${tr.t('web-polls-title')}</a></p>
        <h1>${title}</h1>
        ${message(notice)}
        <dl class="facts">
          <dt>${tr.t('web-poll-code')}</dt><dd id="poll-code">${poll.id}</dd>
          <dt>${tr.t('web-poll-version')}</dt><dd id="poll-version">${poll.version ?? 1}</dd>
          <dt>${tr.t('web-poll-indicator-poll')}</dt><dd>${indicators.length > 0 ? `${tr.t('web-yes')} (${indicators.join(', ')})` : tr.t('web-no')}</dd>
          <dt>${tr.t('web-poll-next-wave')}</dt><dd>${summary?.nextWave ? when(tr, summary.nextWave, tz) : '—'}</dd>
          <dt>${tr.t('web-poll-versions')}</dt><dd><ul class="plain">${versions.map(
            (v) =>
              html`<li>${tr.t('web-poll-version-line', { version: v.version, source: v.source, when: when(tr, v.created_at, tz) })}</li>`,
          )}</ul></dd>
        </dl>
        <p>${
          mayChange
            ? html`<a class="button" href="/desk/polls/${poll.id}/edit">${tr.t('web-poll-write-version')}</a>`
            : tr.t('web-poll-admin-only')
        } <a class="button" href="/desk/waves">${tr.t('web-poll-launch')}</a></p>
        <form method="post" action="/desk/polls/${poll.id}/test">${csrfField(session.csrfToken)}
          <p class="hint" id="test-hint">${tr.t('web-poll-test-hint')}</p>
          <button type="submit" class="secondary" aria-describedby="test-hint">${tr.t('web-poll-test')}</button></form>
        <p>${tr.t('web-poll-preview-in')} ${LANGUAGES.map(
          (l) =>
            html`<a href="/desk/polls/${poll.id}?lang=${l}"${l === lang ? html` aria-current="page"` : ''} lang="${l}">${tr.t(`language-${l}`)}</a> `,
        )}</p>
        ${preview(desk, tr, poll, lang)}`,
    });
  };

  app.get('/desk/polls/:id', async (c) => {
    const session = await desk.staff(c, POLL_ROLES);
    if (session instanceof Response) return session;
    const id = PollIdSchema.safeParse(c.req.param('id'));
    const poll = id.success ? desk.polls().get(id.data) : undefined;
    if (!poll) return notFound(c, session);
    const tr = desk.tr(c);
    const notices: Record<string, string> = {
      saved: tr.t('web-poll-saved', { version: poll.version ?? 1 }),
      unchanged: tr.t('web-poll-unchanged', { version: poll.version ?? 1 }),
    };
    const done = c.req.query('done');
    return pollPage(c, session, poll, done ? notices[done] : undefined);
  });

  app.post('/desk/polls/:id/test', async (c) => {
    const got = await desk.form(c, POLL_ROLES);
    if (got instanceof Response) return got;
    const id = PollIdSchema.safeParse(c.req.param('id'));
    const poll = id.success ? desk.polls().get(id.data) : undefined;
    if (!poll) return notFound(c, got.session);
    const { version: _, ...definition } = poll;
    const sent = await testSend(desk, got.session, definition);
    const tr = desk.tr(c);
    return pollPage(c, got.session, poll, sent ? tr.t('web-poll-test-sent') : tr.t('web-poll-test-not-sent'));
  });
}
