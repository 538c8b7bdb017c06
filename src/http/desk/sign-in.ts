import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { CODE_MINUTES, checkCode, identityHash, requestCode } from '../../auth/sign-in-codes.js';
import { recordAudit, staffActor } from '../../desk/audit.js';
import { deliverTo, residentOfStaff } from '../../desk/deliver.js';
import { findStaff, StaffRequestError, staffUserId } from '../../desk/staff.js';
import { CHANNELS, type ChannelName, ChannelNameSchema } from '../../domain/messages.js';
import type { Desk } from './index.js';
import { csrfField, message, type Tr } from './page.js';
import { currentSession, signIn, signInToken, signInTokenMatches } from './session.js';

const IdentitySchema = z.object({
  _csrf: z.string().max(100),
  channel: ChannelNameSchema,
  user: z.string().trim().min(1, 'empty').max(200),
});
const CodeFormSchema = IdentitySchema.extend({ code: z.string().max(40) });

const channelLabel = (tr: Tr, channel: ChannelName) =>
  channel === 'whatsapp-cloud' ? tr.t('web-channel-whatsapp-cloud') : tr.t(`channel-${channel}`);

/** The channel and user fields, as the staff list knows people (`staff add --channel --user`). */
function identityFields(tr: Tr, chosen?: { channel: string; user: string }) {
  return html`<label for="channel">${tr.t('web-sign-in-channel')}</label>
    <select id="channel" name="channel" required>
      ${CHANNELS.map(
        (ch) =>
          html`<option value="${ch}"${chosen?.channel === ch ? html` selected` : ''}>${channelLabel(tr, ch)}</option>`,
      )}
    </select>
    <label for="user">${tr.t('web-sign-in-user')}</label>
    <p class="hint" id="user-hint">${tr.t('web-sign-in-user-hint')}</p>
    <input id="user" name="user" type="text" required maxlength="200" autocomplete="username"
      aria-describedby="user-hint" value="${chosen?.user ?? ''}">`;
}

/** The sign-in pages: ask for a code, enter it, get a session. */
export function mountSignIn(app: Hono, desk: Desk): void {
  const askPage = (c: Context, status: 200 | 400 | 403, problem?: string, notice?: string) => {
    const tr = desk.tr(c);
    return desk.render(c, status, {
      title: tr.t('web-sign-in-title'),
      section: 'sign-in',
      body: html`<h1>${tr.t('web-sign-in-title')}</h1>
        ${message(notice)}${message(problem, 'problem')}
        <p>${tr.t('web-sign-in-intro')}</p>
        <form method="post" action="/desk/sign-in">
          ${csrfField(signInToken(c, desk.cookies))}
          ${identityFields(tr)}
          <button type="submit">${tr.t('web-sign-in-send')}</button>
        </form>`,
    });
  };

  const codePage = (
    c: Context,
    status: 200 | 400 | 429,
    identity: { channel: string; user: string },
    problem?: string,
  ) => {
    const tr = desk.tr(c);
    return desk.render(c, status, {
      title: tr.t('web-code-title'),
      section: 'sign-in',
      body: html`<h1>${tr.t('web-code-title')}</h1>
        ${message(problem, 'problem')}
        ${problem ? '' : message(tr.t('web-code-sent'))}
        <p>${tr.t('web-code-valid', { minutes: CODE_MINUTES })}</p>
        <form method="post" action="/desk/sign-in/code">
          ${csrfField(signInToken(c, desk.cookies))}
          <input type="hidden" name="channel" value="${identity.channel}">
          <input type="hidden" name="user" value="${identity.user}">
          <label for="code">${tr.t('web-code-label')}</label>
          <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
            pattern="[0-9 ]{6,7}" maxlength="7" required>
          <button type="submit">${tr.t('web-code-submit')}</button>
        </form>
        <p><a href="/desk/sign-in">${tr.t('web-code-again')}</a></p>`,
    });
  };

  const lockedPage = (c: Context, identity: { channel: string; user: string }, until: Date) => {
    const tr = desk.tr(c);
    const time = new Intl.DateTimeFormat(tr.lang === 'en' ? 'en-GB' : 'nl-NL', {
      timeStyle: 'short',
      timeZone: desk.config.timeZone,
    }).format(until);
    return codePage(c, 429, identity, tr.t('web-code-locked', { time }));
  };

  app.get('/desk/sign-in', async (c) => {
    if (await currentSession(c, desk.db, desk.cookies)) return c.redirect('/desk', 303);
    const tr = desk.tr(c);
    return askPage(c, 200, undefined, c.req.query('signed-out') ? tr.t('web-signed-out') : undefined);
  });

  /** The identity as the staff list stores it, or the problem with what was typed. */
  const normalise = (channel: ChannelName, user: string): { userId: string } | { problem: string } => {
    try {
      return { userId: staffUserId(channel, user) };
    } catch (error) {
      if (error instanceof StaffRequestError) return { problem: error.message };
      throw error;
    }
  };

  app.post('/desk/sign-in', async (c) => {
    const tr = desk.tr(c);
    const form = IdentitySchema.safeParse(await c.req.parseBody());
    if (!signInTokenMatches(c, desk.cookies, form.data?._csrf))
      return askPage(c, 403, tr.t('web-csrf-refused'));
    if (!form.success)
      return askPage(c, 400, tr.t('web-bad-input', { problem: form.error.issues[0]!.message }));
    const { channel, user } = form.data;
    const normal = normalise(channel, user);
    if ('problem' in normal) return askPage(c, 400, tr.t('web-bad-input', { problem: normal.problem }));
    const now = desk.now();
    const staff = await findStaff(desk.db, channel, normal.userId);
    const identity = identityHash(channel, normal.userId);
    const result = await requestCode(desk.db, identity, staff?.id, now);
    if (result.kind === 'locked') return lockedPage(c, { channel, user }, result.until);
    if (result.kind === 'send') {
      const job = await desk.db.transaction().execute(async (tx) => {
        const residentId = await residentOfStaff(tx, result.staffId);
        if (!residentId) return undefined;
        const own = await tx
          .selectFrom('residents')
          .select('language')
          .where('id', '=', residentId)
          .executeTakeFirst();
        const text = desk.texts.t(own?.language === 'en' ? 'en' : 'nl', 'web-code-message', {
          code: result.code,
          minutes: CODE_MINUTES,
        });
        const queued = await deliverTo(
          tx,
          residentId,
          { kind: 'text', text },
          { inboundId: null, seq: 0, now },
        );
        await recordAudit(
          tx,
          staffActor(result.staffId),
          'desk.code_sent',
          { delivered: !!queued, via: 'web' },
          now,
        );
        return queued;
      });
      if (job) await desk.outbox.enqueue([job]);
    }
    // The same page whether or not a code went out: who is staff is not told.
    return codePage(c, 200, { channel, user });
  });

  app.post('/desk/sign-in/code', async (c) => {
    const tr = desk.tr(c);
    const form = CodeFormSchema.safeParse(await c.req.parseBody());
    if (!signInTokenMatches(c, desk.cookies, form.data?._csrf))
      return askPage(c, 403, tr.t('web-csrf-refused'));
    if (!form.success)
      return askPage(c, 400, tr.t('web-bad-input', { problem: form.error.issues[0]!.message }));
    const { channel, user } = form.data;
    const normal = normalise(channel, user);
    if ('problem' in normal) return askPage(c, 400, tr.t('web-bad-input', { problem: normal.problem }));
    const now = desk.now();
    const code = form.data.code.replace(/\s+/g, '');
    const result = await checkCode(desk.db, identityHash(channel, normal.userId), code, now);
    if (result.kind === 'locked') return lockedPage(c, { channel, user }, result.until);
    if (result.kind === 'wrong')
      return codePage(c, 400, { channel, user }, tr.t('web-code-wrong', { tries: result.triesLeft }));
    const sessionId = await signIn(c, desk.db, desk.cookies, result.staffId);
    await recordAudit(desk.db, staffActor(result.staffId), 'session.start', { sessionId, via: 'web' }, now);
    return c.redirect('/desk', 303);
  });
}
