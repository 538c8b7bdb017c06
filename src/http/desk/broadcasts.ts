import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { streamSSE } from 'hono/streaming';
import { sql } from 'kysely';
import { z } from 'zod';
import { THEMES } from '../../../flows/asks.js';
import { flashMessage } from '../../../flows/broadcast.js';
import type { NewsTopic } from '../../../flows/types.js';
import type { StaffSession } from '../../auth/staff-sessions.js';
import { type Audience, eligible } from '../../broadcast/audience.js';
import { BroadcastRequestError, countEligible } from '../../broadcast/broadcasts.js';
import { cancelFlash, editFlash } from '../../broadcast/corrections.js';
import { sendFlash } from '../../broadcast/flashes.js';
import { type FlashReport, flashReport } from '../../broadcast/reports.js';
import { staffActor } from '../../desk/audit.js';
import { LANGUAGES, languageInfo } from '../../domain/language.js';
import { CHANNELS } from '../../domain/messages.js';
import { AREAS, AUDIENCE_AGE_GROUPS } from '../../domain/resident.js';
import { parseDateTime, wallTimeOf } from '../../domain/time.js';
import { uploadRoute } from '../protect.js';
import {
  COMPOSE_BODY_LIMIT,
  composeImage,
  dropComposeImage,
  type ImageProblem,
  keepComposeImage,
} from './flash-images.js';
import { broadcastDepsOf, type Desk } from './index.js';
import {
  emptyTexts,
  type LanguageTexts,
  langAttributes,
  localizedOf,
  readTexts,
  shownTexts,
  textAreas,
  textsOf,
} from './language-texts.js';
import { csrfField, type Html, languageName, message, type Tr, when } from './page.js';
import { currentSession } from './session.js';

/** Broadcasts are for the wijkteam and admins, as the chat desk's FLASH. */
export const BROADCAST_ROLES = ['wijkteam', 'admin'] as const;

const FlashIdSchema = z.uuid();

/**
 * The compose form as posted. Checkboxes have a name each (`area-nazareth`), so every field is one
 * string: a list of areas needs no repeated field.
 */
const ComposeSchema = z.object({
  wave: z.union([z.literal(''), z.uuid()]).default(''),
  idea_theme: z.union([z.literal(''), z.enum(THEMES)]).default(''),
  rsvp: z.literal('on').optional(),
  when: z.enum(['now', 'later']).default('now'),
  at: z.string().trim().max(40).default(''),
  /** A picture chosen before (kept between the preview and the confirmation). */
  image_id: z.union([z.literal(''), z.uuid()]).default(''),
  image_remove: z.literal('on').optional(),
});

/** What the compose form holds, read back from its fields. */
export interface Compose {
  /** A text per resident language (`text_nl`, `text_ar`, …); Dutch is required to send. */
  text: LanguageTexts;
  audience: Audience;
  rsvp: boolean;
  when: 'now' | 'later';
  /** The datetime-local value (wall clock in TIME_ZONE). */
  at: string;
  /** The picture chosen for it, kept until it is sent ('' for none). */
  imageId: string;
}

function checked<T extends string>(
  fields: Record<string, string>,
  prefix: string,
  values: readonly T[],
): T[] {
  return values.filter((v) => fields[`${prefix}-${v}`] === 'on');
}

/** Reads the compose fields; a field that is not as the form makes it is a problem (its name). */
export function readCompose(
  fields: Record<string, string>,
  topicCodes: readonly string[] = [],
): Compose | { problem: string } {
  const parsed = ComposeSchema.safeParse(fields);
  if (!parsed.success) return { problem: parsed.error.issues[0]?.path.join('.') || 'input' };
  const texts = readTexts(fields);
  if (!texts.ok) return { problem: texts.problem };
  const f = parsed.data;
  const areas = checked(fields, 'area', AREAS);
  const languages = checked(fields, 'lang', LANGUAGES);
  const channels = checked(fields, 'channel', CHANNELS);
  const topics = checked(fields, 'topic', topicCodes);
  const ageGroups = checked(fields, 'age', AUDIENCE_AGE_GROUPS);
  return {
    text: texts.texts,
    audience: {
      ...(areas.length > 0 && { areas }),
      ...(languages.length > 0 && { languages }),
      ...(channels.length > 0 && { channels }),
      ...(topics.length > 0 && { topics }),
      ...(ageGroups.length > 0 && { ageGroups }),
      ...(f.wave && { answeredWave: f.wave }),
      ...(f.idea_theme && { ideaTheme: f.idea_theme }),
    },
    rsvp: f.rsvp === 'on',
    when: f.when,
    at: f.at,
    imageId: f.image_remove === 'on' ? '' : f.image_id,
  };
}

/** An empty compose form, or one that starts from a draft ("you said, we did"). */
export function blankCompose(from: Partial<Compose> = {}): Compose {
  return {
    audience: {},
    rsvp: false,
    when: 'now',
    at: '',
    imageId: '',
    ...from,
    text: { ...emptyTexts(), ...from.text },
  };
}

/** The compose fields as hidden inputs, to carry them from the preview to the confirm or back. */
function hiddenCompose(c: Compose): Html {
  const a = c.audience;
  return html`${LANGUAGES.map((l) => html`<input type="hidden" name="text_${l}" value="${c.text[l] ?? ''}">`)}
    ${(a.areas ?? []).map((v) => html`<input type="hidden" name="area-${v}" value="on">`)}
    ${(a.languages ?? []).map((v) => html`<input type="hidden" name="lang-${v}" value="on">`)}
    ${(a.channels ?? []).map((v) => html`<input type="hidden" name="channel-${v}" value="on">`)}
    ${(a.topics ?? []).map((v) => html`<input type="hidden" name="topic-${v}" value="on">`)}
    ${(a.ageGroups ?? []).map((v) => html`<input type="hidden" name="age-${v}" value="on">`)}
    <input type="hidden" name="wave" value="${a.answeredWave ?? ''}">
    <input type="hidden" name="idea_theme" value="${a.ideaTheme ?? ''}">
    ${c.rsvp ? html`<input type="hidden" name="rsvp" value="on">` : ''}
    <input type="hidden" name="when" value="${c.when}">
    <input type="hidden" name="at" value="${c.at}">
    <input type="hidden" name="image_id" value="${c.imageId}">`;
}

/** WhatsApp's business API is named apart from WhatsApp, as on the sign-in page. */
export const channelName = (tr: Tr, channel: string) =>
  channel === 'whatsapp-cloud' ? tr.t('web-channel-whatsapp-cloud') : tr.t(`channel-${channel}`);
const areaName = (tr: Tr, area: string) => tr.t(`area-${area}`);
/** An age group as the desk names it ("geen": residents who did not say). */
const ageName = (tr: Tr, group: string) => (group === 'geen' ? tr.t('web-age-geen') : tr.t(`age-${group}`));
/** A news topic's label in the desk's language (Dutch when it has none; the code when unknown). */
const topicName = (tr: Tr, topics: readonly NewsTopic[], code: string) => {
  const label = topics.find((t) => t.code === code)?.label;
  return label ? (label[tr.lang] ?? label.nl) : code;
};

/** A theme of ideas in the desk's language. */
const themeName = (tr: Tr, theme: string) => tr.t(`theme-${theme.replace('_', '-')}`);

/** "Nazareth · Nederlands · alle kanalen · wie meedeed aan ronde …". */
export function audienceText(tr: Tr, a: Audience, topics: readonly NewsTopic[] = []): string {
  return [
    a.areas ? a.areas.map((v) => areaName(tr, v)).join(', ') : tr.t('web-flash-all-areas'),
    a.languages ? a.languages.map((v) => languageInfo(v).name).join(', ') : tr.t('web-flash-all-languages'),
    a.channels ? a.channels.map((v) => channelName(tr, v)).join(', ') : tr.t('web-flash-all-channels'),
    ...(a.topics
      ? [tr.t('web-flash-about-topics', { topics: a.topics.map((v) => topicName(tr, topics, v)).join(', ') })]
      : []),
    ...(a.ageGroups
      ? [tr.t('web-flash-age-groups', { groups: a.ageGroups.map((v) => ageName(tr, v)).join(', ') })]
      : []),
    ...(a.answeredWave ? [tr.t('web-flash-answered-wave', { wave: a.answeredWave.slice(0, 8) })] : []),
    ...(a.ideaTheme ? [tr.t('web-flash-idea-theme-is', { theme: themeName(tr, a.ideaTheme) })] : []),
  ].join(' · ');
}

/** The flash's status in words. */
export function statusText(tr: Tr, status: string, cancelled: boolean): string {
  if (cancelled) return tr.t('web-flash-status-cancelled');
  const ids: Record<string, string> = {
    scheduled: 'web-flash-status-scheduled',
    sending: 'web-flash-status-sending',
    sent: 'web-flash-status-sent',
  };
  return ids[status] ? tr.t(ids[status]) : status;
}

/** A wall-clock "YYYY-MM-DDTHH:MM" in the time zone, for a datetime-local field. */
function localValue(date: Date, timeZone: string): string {
  const w = wallTimeOf(date, timeZone);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}`;
}

/** The delivery figures as a definition list; the live part of the report page. */
export function reportFigures(tr: Tr, r: FlashReport): Html {
  const row = (label: string, value: number | string) => html`<dt>${label}</dt><dd>${value}</dd>`;
  return html`<dl class="facts" id="figures" data-live>
    ${row(tr.t('web-flash-audience'), r.audience)}
    ${row(tr.t('web-flash-queued'), r.queued)}
    ${row(tr.t('web-flash-sent'), r.sent)}
    ${row(tr.t('web-flash-delivered'), r.delivered)}
    ${row(tr.t('web-flash-read'), r.read)}
    ${row(tr.t('web-flash-failed'), r.failed)}
    ${r.cancelled > 0 ? row(tr.t('web-flash-withdrawn'), r.cancelled) : ''}
    ${r.rsvp ? row(tr.t('web-flash-rsvps'), r.rsvps) : ''}
  </dl>`;
}

/** A mark of a report: when it changes, a live page refreshes. */
const reportMark = (r: FlashReport) =>
  [r.status, r.audience, r.queued, r.sent, r.delivered, r.read, r.failed, r.cancelled, r.rsvps].join(':');

/**
 * Broadcasts: compose a flash with a preview per channel and the exact audience count, confirm it
 * (the same `sendFlash` as the CLI and the chat desk), list flashes, follow a flash's delivery live,
 * cancel it or change its text before it goes.
 */
export function mountBroadcasts(app: Hono, desk: Desk): ComposeForm | undefined {
  const broadcast = desk.broadcast;
  if (!broadcast) return undefined;
  const deps = broadcastDepsOf(desk, broadcast);
  const tz = desk.config.timeZone;
  const newsTopics = desk.newsTopics ?? [];
  const topicCodes = newsTopics.map((t) => t.code);

  /** The waves a flash can be for ("everyone who answered wave W"), newest first. */
  const waves = () =>
    desk.db
      .selectFrom('waves')
      .select(['id', 'poll', 'opens_at', 'status'])
      .orderBy('opens_at', 'desc')
      .limit(50)
      .execute();

  /** A poll's title in the desk's language (its id when the catalogue no longer has it). */
  const pollTitle = (tr: Tr, id: string) => {
    const title = desk.polls().get(id)?.title;
    return title ? ((tr.lang === 'en' ? title.en : undefined) ?? title.nl) : id;
  };

  /** The channels the residents of an audience are on (counted, never listed). */
  const channelsOf = async (audience: Audience) => {
    const { rows } = await sql<{ channel: string }>`
      select distinct r.channel from residents r where ${eligible(audience, true)} order by r.channel`.execute(
      desk.db,
    );
    const on = CHANNELS.filter((ch) => rows.some((r) => r.channel === ch));
    return on.length > 0 ? on : CHANNELS.filter((ch) => ch !== 'console');
  };

  /** The compose form, filled with `form`. */
  const composePage = async (
    c: Context,
    session: StaffSession,
    form: Compose,
    extra: {
      problem?: string;
      notice?: string;
      /** What is wrong with the file chosen, shown next to its field. */
      imageProblem?: string;
      status?: 200 | 400 | 409 | 413;
    } = {},
  ) => {
    const tr = desk.tr(c);
    const a = form.audience;
    const imageProblem = extra.imageProblem;
    const box = (name: string, label: string, on: boolean) =>
      html`<li><input type="checkbox" id="${name}" name="${name}"${on ? html` checked` : ''}> <label for="${name}">${label}</label></li>`;
    const waveList = await waves();
    const title = tr.t('web-flash-compose-title');
    return desk.render(c, extra.status ?? 200, {
      title,
      section: 'broadcasts',
      session,
      body: html`<p><a href="/desk/broadcasts">${tr.t('web-broadcasts-title')}</a></p>
        <h1>${title}</h1>
        ${message(extra.notice)}${message(extra.problem, 'problem')}
        <form method="post" action="/desk/broadcasts/preview" enctype="multipart/form-data">${csrfField(session.csrfToken)}
          ${textAreas(tr, {
            id: (l) => `text_${l}`,
            texts: form.text,
            requireNl: true,
            nlLabel: tr.t('web-flash-text-nl'),
            nlHint: { id: 'text-hint', text: tr.t('web-flash-text-hint') },
          })}
          <label for="image">${tr.t('web-flash-image')}</label>
          <p class="hint" id="image-hint">${tr.t('web-flash-image-hint')}</p>
          ${imageProblem ? html`<p class="problem" id="image-problem">${imageProblem}</p>` : ''}
          ${
            form.imageId
              ? html`<p><img class="flash-image" src="/desk/broadcasts/images/${form.imageId}" alt="${tr.t('web-flash-image-alt')}"></p>
            <input type="hidden" name="image_id" value="${form.imageId}">
            <ul class="choices"><li><input type="checkbox" id="image_remove" name="image_remove"> <label for="image_remove">${tr.t('web-flash-image-remove')}</label></li></ul>`
              : ''
          }
          <input type="file" id="image" name="image" accept="image/jpeg,image/png,image/webp" aria-describedby="image-hint${imageProblem ? ' image-problem' : ''}"${imageProblem ? html` aria-invalid="true"` : ''}>
          <fieldset><legend>${tr.t('web-flash-areas')}</legend><p class="hint">${tr.t('web-flash-none-is-all')}</p>
            <ul class="choices">${AREAS.map((v) => box(`area-${v}`, areaName(tr, v), a.areas?.includes(v) ?? false))}</ul></fieldset>
          <fieldset><legend>${tr.t('web-flash-languages')}</legend><p class="hint">${tr.t('web-flash-none-is-all')}</p>
            <ul class="choices">${LANGUAGES.map((v) => box(`lang-${v}`, languageInfo(v).name, a.languages?.includes(v) ?? false))}</ul></fieldset>
          <fieldset><legend>${tr.t('web-flash-channels')}</legend><p class="hint">${tr.t('web-flash-none-is-all')}</p>
            <ul class="choices">${CHANNELS.map((v) => box(`channel-${v}`, channelName(tr, v), a.channels?.includes(v) ?? false))}</ul></fieldset>
          ${
            newsTopics.length > 0
              ? html`<fieldset><legend>${tr.t('web-flash-topics')}</legend><p class="hint">${tr.t('web-flash-topics-hint')}</p>
            <ul class="choices">${newsTopics.map((t) => box(`topic-${t.code}`, topicName(tr, newsTopics, t.code), a.topics?.includes(t.code) ?? false))}</ul></fieldset>`
              : ''
          }
          <fieldset><legend>${tr.t('web-flash-ages')}</legend><p class="hint">${tr.t('web-flash-ages-hint')}</p>
            <ul class="choices">${AUDIENCE_AGE_GROUPS.map((v) => box(`age-${v}`, ageName(tr, v), a.ageGroups?.includes(v) ?? false))}</ul></fieldset>
          <label for="wave">${tr.t('web-flash-wave')}</label>
          <select id="wave" name="wave"><option value="">${tr.t('web-flash-wave-none')}</option>${waveList.map(
            (w) =>
              html`<option value="${w.id}"${w.id === a.answeredWave ? html` selected` : ''}>${pollTitle(tr, w.poll)} · ${when(tr, w.opens_at, tz)}</option>`,
          )}</select>
          <label for="idea_theme">${tr.t('web-flash-idea-theme')}</label>
          <p class="hint" id="idea-theme-hint">${tr.t('web-flash-idea-theme-hint')}</p>
          <select id="idea_theme" name="idea_theme" aria-describedby="idea-theme-hint"><option value="">${tr.t('web-flash-idea-theme-none')}</option>${THEMES.map(
            (t) =>
              html`<option value="${t}"${t === a.ideaTheme ? html` selected` : ''}>${themeName(tr, t)}</option>`,
          )}</select>
          <fieldset><legend>${tr.t('web-flash-rsvp-legend')}</legend>
            <ul class="choices">${box('rsvp', tr.t('web-flash-rsvp'), form.rsvp)}</ul></fieldset>
          <fieldset><legend>${tr.t('web-flash-when')}</legend>
            <ul class="choices">
              <li><input type="radio" id="when-now" name="when" value="now"${form.when === 'now' ? html` checked` : ''}> <label for="when-now">${tr.t('web-flash-when-now')}</label></li>
              <li><input type="radio" id="when-later" name="when" value="later"${form.when === 'later' ? html` checked` : ''}> <label for="when-later">${tr.t('web-flash-when-later')}</label></li>
            </ul>
            <label for="at">${tr.t('web-flash-at', { zone: tz })}</label>
            <p class="hint" id="at-hint">${tr.t('web-flash-quiet-hint')}</p>
            <input type="datetime-local" id="at" name="at" value="${form.at}" aria-describedby="at-hint">
          </fieldset>
          <button type="submit">${tr.t('web-flash-preview')}</button>
        </form>`,
    });
  };

  /** The preview: the message per language and channel, the count, when it goes, and confirm. */
  const previewPage = async (c: Context, session: StaffSession, form: Compose, sendAt: Date | undefined) => {
    const tr = desk.tr(c);
    const count = await countEligible(desk.db, form.audience, true);
    const text = localizedOf(form.text);
    const languages = form.audience.languages ?? LANGUAGES;
    // The channels chosen, or else those the residents it goes to are on (every one when none yet).
    const channels = form.audience.channels ?? (await channelsOf(form.audience));
    const now = desk.now();
    const at = sendAt && sendAt > now ? sendAt : now;
    const hold = broadcast.quietHours.holdMs(at);
    const goes = new Date(at.getTime() + hold);
    const phones = languages.flatMap((lang) => {
      // A language without a text of its own gets the whole Dutch message: shown so, and said so.
      const own = lang in text;
      const shown = flashMessage({ texts: desk.texts }, own ? lang : 'nl', text, form.rsvp);
      const body = shown.kind === 'text' ? shown.text : '';
      return channels.map(
        (
          ch,
        ) => html`<figure class="phone"><figcaption>${channelName(tr, ch)} · ${languageInfo(lang).name}</figcaption>
          ${form.imageId ? html`<img class="flash-image" src="/desk/broadcasts/images/${form.imageId}" alt="${tr.t('web-flash-image-alt')}">` : ''}
          ${own ? '' : html`<p class="hint">${tr.t('web-flash-fallback-nl', { language: languageName(tr, lang) })}</p>`}
          <p class="message" ${langAttributes(own ? lang : 'nl')}>${body}</p></figure>`,
      );
    });
    const title = tr.t('web-flash-preview-title');
    return desk.render(c, 200, {
      title,
      section: 'broadcasts',
      session,
      body: html`<p><a href="/desk/broadcasts">${tr.t('web-broadcasts-title')}</a></p>
        <h1>${title}</h1>
        <dl class="facts">
          <dt>${tr.t('web-flash-to')}</dt><dd>${audienceText(tr, form.audience, newsTopics)}</dd>
          <dt>${tr.t('web-flash-count')}</dt><dd id="audience-count">${tr.t('web-flash-count-value', { count })}</dd>
          <dt>${tr.t('web-flash-goes')}</dt><dd>${sendAt ? when(tr, goes, tz) : tr.t('web-flash-goes-now')}${hold > 0 ? html` <span class="hint">${tr.t('web-flash-held', { time: when(tr, goes, tz) })}</span>` : ''}</dd>
          <dt>${tr.t('web-flash-rsvp-legend')}</dt><dd>${form.rsvp ? tr.t('web-yes') : tr.t('web-no')}</dd>
        </dl>
        <h2>${tr.t('web-flash-phones')}</h2>
        <div class="phones">${phones}</div>
        <form method="post" action="/desk/broadcasts/send">${csrfField(session.csrfToken)}${hiddenCompose(form)}
          <button type="submit">${tr.t('web-flash-confirm', { count })}</button></form>
        <form method="post" action="/desk/broadcasts/change">${csrfField(session.csrfToken)}${hiddenCompose(form)}
          <button type="submit" class="secondary">${tr.t('web-flash-change')}</button></form>`,
    });
  };

  /** Checks a compose form: the Dutch text, a time in the future for "later". */
  const check = (tr: Tr, form: Compose): { problem: string } | { sendAt: Date | undefined } => {
    if (!form.text.nl) return { problem: tr.t('web-flash-need-nl') };
    if (form.when === 'now') return { sendAt: undefined };
    const at = form.at ? parseDateTime(form.at, tz) : undefined;
    if (!at) return { problem: tr.t('web-flash-need-time') };
    if (at <= desk.now()) return { problem: tr.t('web-flash-time-past') };
    return { sendAt: at };
  };

  app.get('/desk/broadcasts', async (c) => {
    const session = await desk.staff(c, BROADCAST_ROLES);
    if (session instanceof Response) return session;
    const tr = desk.tr(c);
    const rows = await desk.db
      .selectFrom('flashes as f')
      .innerJoin('broadcasts as b', (j) => j.onRef('b.flash_id', '=', 'f.id').on('b.kind', '=', 'flash'))
      .select(['f.id', 'f.texts', 'f.cancelled_at', 'f.rsvp', 'b.status', 'b.send_at'])
      .where('f.kind', '=', 'flash')
      .orderBy('b.send_at', 'desc')
      .limit(50)
      .execute();
    await desk.audit(session, 'flash.list', { count: rows.length });
    const title = tr.t('web-broadcasts-title');
    const done = c.req.query('done');
    return desk.render(c, 200, {
      title,
      section: 'broadcasts',
      session,
      body: html`<h1>${title}</h1>
        ${done === 'cancelled' ? message(tr.t('web-flash-cancelled')) : ''}
        <p><a class="button" href="/desk/broadcasts/new">${tr.t('web-flash-new')}</a>
          <a href="/desk/sessions">${tr.t('web-straatpraat-title')}</a></p>
        ${
          rows.length === 0
            ? html`<p>${tr.t('web-broadcasts-none')}</p>`
            : html`<div class="table-wrap" role="region" tabindex="0" aria-label="${title}"><table class="stack">
              <thead><tr><th scope="col">${tr.t('web-flash-col-when')}</th><th scope="col">${tr.t('web-flash-col-text')}</th>
              <th scope="col">${tr.t('web-col-status')}</th></tr></thead>
              <tbody>${rows.map((r) => {
                const texts = r.texts as { nl?: string };
                const text = texts.nl ?? '';
                return html`<tr>
                  <td data-label="${tr.t('web-flash-col-when')}"><a href="/desk/broadcasts/${r.id}">${when(tr, r.send_at, tz)}</a></td>
                  <td data-label="${tr.t('web-flash-col-text')}">${text.length > 80 ? `${text.slice(0, 80)}…` : text}</td>
                  <td data-label="${tr.t('web-col-status')}">${statusText(tr, r.status, r.cancelled_at !== null)}</td></tr>`;
              })}</tbody></table></div>`
        }`,
    });
  });

  app.get('/desk/broadcasts/new', async (c) => {
    const session = await desk.staff(c, BROADCAST_ROLES);
    if (session instanceof Response) return session;
    return composePage(
      c,
      session,
      blankCompose({ at: localValue(new Date(desk.now().getTime() + 3_600_000), tz) }),
    );
  });

  /** A posted compose form read back, or the answer: refused, or the empty form saying what was off. */
  const postedCompose = async (c: Context) => {
    const form = await desk.form(c, BROADCAST_ROLES);
    if (form instanceof Response) return form;
    const compose = readCompose(form.fields, topicCodes);
    if ('problem' in compose)
      return composePage(c, form.session, blankCompose(), {
        status: 400,
        problem: desk.tr(c).t('web-bad-input', { problem: compose.problem }),
      });
    return { ...form, compose };
  };

  /** The compose form again when its picture is no longer kept (sent already, or after a day). */
  const imageGone = (c: Context, session: StaffSession, compose: Compose) =>
    composePage(
      c,
      session,
      { ...compose, imageId: '' },
      { status: 409, imageProblem: desk.tr(c).t('web-flash-image-gone') },
    );

  app.post('/desk/broadcasts/change', async (c) => {
    const posted = await postedCompose(c);
    if (posted instanceof Response) return posted;
    return composePage(c, posted.session, posted.compose);
  });

  const imageProblemText = (tr: Tr, problem: ImageProblem) =>
    tr.t(problem.kind === 'too-large' ? 'web-flash-image-too-large' : 'web-flash-image-type');

  // The compose form comes with its picture (multipart): a larger limit than other forms. A body past
  // it is not read; the form comes back empty, saying so next to the picture's field.
  uploadRoute(app, '/desk/broadcasts/preview', COMPOSE_BODY_LIMIT, async (c) => {
    const session = await currentSession(c, desk.db, desk.cookies);
    if (!session || !(BROADCAST_ROLES as readonly string[]).includes(session.role)) return undefined;
    return composePage(c, session, blankCompose(), {
      status: 413,
      imageProblem: desk.tr(c).t('web-flash-image-too-large'),
    });
  });

  // A picture chosen in the compose form, for its preview: only to the staff member who chose it.
  app.get('/desk/broadcasts/images/:id', async (c) => {
    const session = await desk.staff(c, BROADCAST_ROLES);
    if (session instanceof Response) return session;
    const id = FlashIdSchema.safeParse(c.req.param('id'));
    const image = id.success ? await composeImage(desk.db, session.staffId, id.data) : undefined;
    if (!image) return c.text('not found', 404);
    return c.body(new Uint8Array(image.bytes), 200, {
      'content-type': image.mimeType,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    });
  });

  app.post('/desk/broadcasts/preview', async (c) => {
    const form = await postedCompose(c);
    if (form instanceof Response) return form;
    const tr = desk.tr(c);
    const compose = form.compose;
    // A new file: checked and stripped as the CLI's --image, kept until the flash is sent.
    const file = form.files.image;
    if (file && file.size > 0) {
      const kept = await keepComposeImage(desk.db, form.session.staffId, file, desk.now());
      if ('kind' in kept)
        return composePage(c, form.session, compose, {
          status: 400,
          imageProblem: imageProblemText(tr, kept),
        });
      compose.imageId = kept.id;
    } else if (compose.imageId && !(await composeImage(desk.db, form.session.staffId, compose.imageId))) {
      return imageGone(c, form.session, compose);
    }
    const checked = check(tr, compose);
    if ('problem' in checked) return composePage(c, form.session, compose, { status: 400, ...checked });
    return previewPage(c, form.session, compose, checked.sendAt);
  });

  app.post('/desk/broadcasts/send', async (c) => {
    const form = await postedCompose(c);
    if (form instanceof Response) return form;
    const tr = desk.tr(c);
    const compose = form.compose;
    const checked = check(tr, compose);
    if ('problem' in checked) return composePage(c, form.session, compose, { status: 400, ...checked });
    const image = compose.imageId
      ? await composeImage(desk.db, form.session.staffId, compose.imageId)
      : undefined;
    if (compose.imageId && !image) return imageGone(c, form.session, compose);
    try {
      // The same path as the CLI's `flash send --image`: a photo with the text as its caption.
      const created = await sendFlash(
        deps,
        {
          text: localizedOf(compose.text),
          audience: compose.audience,
          rsvp: compose.rsvp,
          ...(checked.sendAt && { sendAt: checked.sendAt }),
          ...(image && { image: image.bytes }),
        },
        staffActor(form.session.staffId),
      );
      if (compose.imageId) await dropComposeImage(desk.db, compose.imageId);
      return c.redirect(`/desk/broadcasts/${created.id}?done=created`, 303);
    } catch (error) {
      if (!(error instanceof BroadcastRequestError)) throw error;
      return composePage(c, form.session, compose, { status: 409, problem: tr.t('web-flash-refused') });
    }
  });

  const findReport = async (c: Context) => {
    const id = FlashIdSchema.safeParse(c.req.param('id'));
    if (!id.success) return undefined;
    const row = await desk.db
      .selectFrom('flashes')
      .select(['id', 'kind', 'texts', 'cancelled_at'])
      .where('id', '=', id.data)
      .executeTakeFirst();
    if (row?.kind !== 'flash') return undefined;
    const image = await desk.db
      .selectFrom('flash_images')
      .select('flash_id')
      .where('flash_id', '=', row.id)
      .executeTakeFirst();
    return { row, image: image !== undefined, report: await flashReport(desk.db, row.id) };
  };

  const notFound = (c: Context, session: StaffSession) =>
    desk.notFound(c, session, 'broadcasts', {
      href: '/desk/broadcasts',
      label: desk.tr(c).t('web-broadcasts-title'),
    });

  const reportPage = async (
    c: Context,
    session: StaffSession,
    found: NonNullable<Awaited<ReturnType<typeof findReport>>>,
    extra: { notice?: string; problem?: string; status?: 200 | 400 | 409 } = {},
  ) => {
    const tr = desk.tr(c);
    const { row, report } = found;
    const texts = textsOf(row.texts);
    const cancelled = row.cancelled_at !== null;
    const open = !cancelled && (report.status === 'scheduled' || report.status === 'sending');
    const title = tr.t('web-flash-report-title');
    return desk.render(c, extra.status ?? 200, {
      title,
      section: 'broadcasts',
      session,
      ...(open || report.status === 'sent'
        ? { liveSource: `/desk/broadcasts/${row.id}/events?since=${encodeURIComponent(reportMark(report))}` }
        : {}),
      body: html`<p><a href="/desk/broadcasts">${tr.t('web-broadcasts-title')}</a></p>
        <h1>${title}</h1>
        ${message(extra.notice)}${message(extra.problem, 'problem')}
        <dl class="facts">
          <dt>${tr.t('web-col-status')}</dt><dd id="flash-status" data-live>${statusText(tr, report.status, cancelled)}</dd>
          <dt>${tr.t('web-flash-goes')}</dt><dd>${when(tr, report.sendAt, tz)}</dd>
          <dt>${tr.t('web-flash-to')}</dt><dd>${audienceText(tr, report.audienceFilter, newsTopics)}</dd>
        </dl>
        <h2>${tr.t('web-flash-delivery')}</h2>
        <p class="hint">${tr.t('web-flash-live-hint')}</p>
        ${reportFigures(tr, report)}
        <h2>${tr.t('web-flash-text')}</h2>
        ${found.image ? html`<p><img class="flash-image" src="/media/flash/${row.id}" alt="${tr.t('web-flash-image-alt')}"></p>` : ''}
        ${shownTexts(row.texts)}
        ${
          open && report.status === 'scheduled'
            ? html`<section aria-labelledby="edit-title"><h2 id="edit-title">${tr.t('web-flash-edit')}</h2>
              <form method="post" action="/desk/broadcasts/${row.id}/edit">${csrfField(session.csrfToken)}
                ${textAreas(tr, { id: (l) => `edit-${l}`, texts, requireNl: true, nlLabel: tr.t('web-flash-text-nl') })}
                <button type="submit">${tr.t('web-flash-edit-save')}</button></form></section>`
            : ''
        }
        ${
          open
            ? html`<form method="post" action="/desk/broadcasts/${row.id}/cancel">${csrfField(session.csrfToken)}
              <button type="submit" class="danger">${tr.t('web-flash-cancel')}</button></form>`
            : ''
        }`,
    });
  };

  app.get('/desk/broadcasts/:id', async (c) => {
    const session = await desk.staff(c, BROADCAST_ROLES);
    if (session instanceof Response) return session;
    const found = await findReport(c);
    if (!found) return notFound(c, session);
    if (c.req.header('x-desk-live') !== '1')
      await desk.audit(session, 'flash.report', { flashId: found.row.id });
    const tr = desk.tr(c);
    const done = c.req.query('done');
    const notices: Record<string, string> = {
      created: tr.t('web-flash-created'),
      edited: tr.t('web-flash-edited'),
    };
    return reportPage(c, session, found, done && notices[done] ? { notice: notices[done] } : {});
  });

  app.post('/desk/broadcasts/:id/cancel', async (c) => {
    const form = await desk.form(c, BROADCAST_ROLES);
    if (form instanceof Response) return form;
    const found = await findReport(c);
    if (!found) return notFound(c, form.session);
    try {
      await cancelFlash(deps, found.row.id, staffActor(form.session.staffId));
    } catch (error) {
      if (!(error instanceof BroadcastRequestError)) throw error;
      const again = (await findReport(c))!;
      return reportPage(c, form.session, again, { status: 409, problem: desk.tr(c).t('web-flash-too-late') });
    }
    return c.redirect('/desk/broadcasts?done=cancelled', 303);
  });

  app.post('/desk/broadcasts/:id/edit', async (c) => {
    const form = await desk.form(c, BROADCAST_ROLES);
    if (form instanceof Response) return form;
    const found = await findReport(c);
    if (!found) return notFound(c, form.session);
    const tr = desk.tr(c);
    const text = readTexts(form.fields);
    if (!text.ok)
      return reportPage(c, form.session, found, {
        status: 400,
        problem: tr.t('web-bad-input', { problem: text.problem }),
      });
    if (!text.texts.nl)
      return reportPage(c, form.session, found, { status: 400, problem: tr.t('web-flash-need-nl') });
    try {
      await editFlash(deps, found.row.id, localizedOf(text.texts), staffActor(form.session.staffId));
    } catch (error) {
      if (!(error instanceof BroadcastRequestError)) throw error;
      const again = (await findReport(c))!;
      return reportPage(c, form.session, again, { status: 409, problem: tr.t('web-flash-too-late') });
    }
    return c.redirect(`/desk/broadcasts/${found.row.id}?done=edited`, 303);
  });

  // Server-sent events for a report page: `update` whenever its figures change (checked every
  // `livePollMs`). The page then fetches itself again, as the inbox does.
  app.get('/desk/broadcasts/:id/events', async (c) => {
    const session = await currentSession(c, desk.db, desk.cookies);
    if (!session || !(BROADCAST_ROLES as readonly string[]).includes(session.role))
      return c.text('forbidden', 403);
    if (desk.closing?.aborted) return c.text('stopping', 503, { connection: 'close' });
    const id = FlashIdSchema.safeParse(c.req.param('id'));
    if (!id.success) return c.text('not found', 404);
    let mark =
      z
        .string()
        .regex(/^[a-z0-9:]{1,200}$/)
        .safeParse(c.req.query('since')).data ?? '';
    c.header('cache-control', 'no-store');
    c.header('x-accel-buffering', 'no');
    c.header('connection', 'close');
    const pollMs = desk.livePollMs ?? 2_000;
    return streamSSE(c, async (stream) => {
      let wake: (() => void) | undefined;
      stream.onAbort(() => wake?.());
      const stopping = () => wake?.();
      desk.closing?.addEventListener('abort', stopping, { once: true });
      try {
        await stream.writeSSE({ event: 'ready', data: '' });
        const started = Date.now();
        while (!stream.aborted && !stream.closed && !desk.closing?.aborted) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, pollMs).unref();
          });
          wake = undefined;
          if (stream.aborted || desk.closing?.aborted) break;
          const report = await flashReport(desk.db, id.data).catch(() => undefined);
          if (!report) break;
          const now = reportMark(report);
          if (now !== mark) {
            mark = now;
            await stream.writeSSE({ event: 'update', data: '' });
          } else {
            await stream.write(': keep-alive\n\n');
          }
          // Reports settle: after an hour the page is reloaded by hand.
          if (Date.now() - started > 3_600_000) break;
          const still = await currentSession(c, desk.db, desk.cookies);
          if (!still || still.sessionId !== session.sessionId) break;
        }
      } finally {
        desk.closing?.removeEventListener('abort', stopping);
      }
    });
  });

  return (c, session, form, notice) => composePage(c, session, form, notice ? { notice } : {});
}

/** Renders the compose form filled with a draft (the waves page's "you said, we did"). */
export type ComposeForm = (
  c: Context,
  session: StaffSession,
  form: Compose,
  notice?: string,
) => Promise<Response>;

export { localValue };
