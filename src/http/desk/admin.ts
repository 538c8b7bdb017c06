import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { STAFF_ROLES } from '../../../flows/desk/types.js';
import { revokeSession } from '../../auth/sessions.js';
import type { StaffSession } from '../../auth/staff-sessions.js';
import { listSignIns } from '../../auth/staff-sessions.js';
import { API_ROLES, createToken, listTokens, revokeToken } from '../../auth/tokens.js';
import { staffActor } from '../../desk/audit.js';
import { addStaff, listStaff, removeStaff, StaffRequestError, staffById } from '../../desk/staff.js';
import { CHANNELS, type ChannelName, ChannelNameSchema } from '../../domain/messages.js';
import type { Desk } from './index.js';
import { csrfField, type Html, message, type Tr, when } from './page.js';

const ADMIN = ['admin'] as const;

const IdSchema = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number);
const StaffFormSchema = z.object({
  channel: ChannelNameSchema,
  user: z.string().trim().min(1).max(200),
  role: z.enum(STAFF_ROLES),
  name: z.string().trim().max(60).optional(),
});
const TokenFormSchema = z.object({
  name: z.string().trim().max(100).optional(),
  role: z.enum(API_ROLES),
  days: z.coerce.number().int().min(1).max(366).default(90),
});

const roleText = (tr: Tr, role: string) =>
  (STAFF_ROLES as readonly string[]).includes(role) ? tr.t(`web-role-${role}`) : role;
const channelText = (tr: Tr, channel: string) =>
  channel === 'whatsapp-cloud'
    ? tr.t('web-channel-whatsapp-cloud')
    : (CHANNELS as readonly string[]).includes(channel)
      ? tr.t(`channel-${channel}`)
      : channel;

const roleOptions = (tr: Tr, roles: readonly string[]) =>
  roles.map((r) => html`<option value="${r}">${roleText(tr, r)}</option>`);

/** Staff, API tokens and sign-ins, for admins. */
export function mountAdmin(app: Hono, desk: Desk): void {
  const tz = () => desk.config.timeZone;

  const staffPage = async (
    c: Context,
    session: StaffSession,
    extra: { notice?: string; problem?: string; status?: 200 | 400 } = {},
  ) => {
    const tr = desk.tr(c);
    const staff = await listStaff(desk.db);
    const rows = staff.map(
      (
        m,
      ) => html`<tr><td data-label="${tr.t('web-staff-col-number')}">${m.id}</td><td data-label="${tr.t('web-staff-col-channel')}">${channelText(tr, m.channel)}</td><td data-label="${tr.t('web-staff-col-user')}">${m.userId}</td>
        <td data-label="${tr.t('web-staff-col-role')}">${roleText(tr, m.role)}</td><td data-label="${tr.t('web-staff-col-name')}">${m.name ?? '—'}</td>
        <td data-label="${tr.t('web-col-actions')}"><form class="inline" method="post" action="/desk/admin/staff/${m.id}/remove">${csrfField(session.csrfToken)}
          <button type="submit" class="danger" aria-label="${tr.t('web-staff-remove')} ${m.name ?? `#${m.id}`}">${tr.t('web-staff-remove')}</button></form></td></tr>`,
    );
    const title = tr.t('web-staff-title');
    return desk.render(c, extra.status ?? 200, {
      title,
      section: 'staff',
      session,
      body: html`<h1>${title}</h1>${message(extra.notice)}${message(extra.problem, 'problem')}
        <div class="table-wrap" role="region" tabindex="0" aria-label="${title}"><table class="stack">
          <thead><tr><th scope="col">${tr.t('web-staff-col-number')}</th><th scope="col">${tr.t('web-staff-col-channel')}</th>
          <th scope="col">${tr.t('web-staff-col-user')}</th><th scope="col">${tr.t('web-staff-col-role')}</th>
          <th scope="col">${tr.t('web-staff-col-name')}</th><th scope="col">${tr.t('web-col-actions')}</th></tr></thead>
          <tbody>${rows}</tbody></table></div>
        <h2>${tr.t('web-staff-add')}</h2>
        <form method="post" action="/desk/admin/staff">${csrfField(session.csrfToken)}
          <label for="staff-channel">${tr.t('web-staff-channel')}</label>
          <select id="staff-channel" name="channel" required>
            ${CHANNELS.map((ch: ChannelName) => html`<option value="${ch}">${channelText(tr, ch)}</option>`)}
          </select>
          <label for="staff-user">${tr.t('web-staff-user')}</label>
          <input id="staff-user" name="user" type="text" required maxlength="200" autocomplete="off">
          <label for="staff-role">${tr.t('web-staff-role')}</label>
          <select id="staff-role" name="role" required>${roleOptions(tr, STAFF_ROLES)}</select>
          <label for="staff-name">${tr.t('web-staff-name')}</label>
          <p class="hint" id="staff-name-hint">${tr.t('web-staff-name-hint')}</p>
          <input id="staff-name" name="name" type="text" maxlength="60" autocomplete="off" aria-describedby="staff-name-hint">
          <button type="submit">${tr.t('web-staff-add')}</button>
        </form>`,
    });
  };

  app.get('/desk/admin/staff', async (c) => {
    const session = await desk.staff(c, ADMIN);
    if (session instanceof Response) return session;
    return staffPage(c, session);
  });

  app.post('/desk/admin/staff', async (c) => {
    const p = await desk.form(c, ADMIN);
    if (p instanceof Response) return p;
    const tr = desk.tr(c);
    const form = StaffFormSchema.safeParse(p.fields);
    if (!form.success) {
      const issue = form.error.issues[0]!;
      return staffPage(c, p.session, {
        status: 400,
        problem: tr.t('web-bad-input', { problem: `${issue.path.join('.')}: ${issue.message}` }),
      });
    }
    try {
      const { member, created } = await addStaff(
        desk.db,
        { ...form.data, ...(form.data.name ? { name: form.data.name } : {}) },
        staffActor(p.session.staffId),
        desk.now(),
        'web',
      );
      return staffPage(c, p.session, {
        notice: tr.t(created ? 'web-staff-added' : 'web-staff-updated', { id: member.id }),
      });
    } catch (error) {
      if (!(error instanceof StaffRequestError)) throw error;
      return staffPage(c, p.session, {
        status: 400,
        problem: tr.t('web-bad-input', { problem: error.message }),
      });
    }
  });

  app.post('/desk/admin/staff/:id/remove', async (c) => {
    const p = await desk.form(c, ADMIN);
    if (p instanceof Response) return p;
    const tr = desk.tr(c);
    const id = IdSchema.safeParse(c.req.param('id'));
    const member = id.success ? await staffById(desk.db, id.data) : undefined;
    if (!member) return staffPage(c, p.session, { status: 400, problem: tr.t('web-not-found') });
    await removeStaff(
      desk.db,
      { channel: member.channel as ChannelName, user: member.userId },
      staffActor(p.session.staffId),
      desk.now(),
      'web',
    );
    // Removing oneself ends one's own session with the staff row.
    if (member.id === p.session.staffId) return c.redirect('/desk/sign-in', 303);
    return staffPage(c, p.session, { notice: tr.t('web-staff-removed', { id: member.id }) });
  });

  const tokensPage = async (
    c: Context,
    session: StaffSession,
    extra: { notice?: string; problem?: string; token?: string; status?: 200 | 400 } = {},
  ) => {
    const tr = desk.tr(c);
    const tokens = await listTokens(desk.db);
    const now = desk.now();
    const rows = tokens.map((t) => {
      const active = t.revoked_at === null && new Date(t.expires_at) > now;
      return html`<tr><td data-label="${tr.t('web-staff-col-number')}">${t.id}</td><td data-label="${tr.t('web-tokens-name')}">${t.name ?? '—'}</td><td data-label="${tr.t('web-tokens-role')}">${roleText(tr, t.role)}</td>
        <td data-label="${tr.t('web-tokens-col-created')}">${when(tr, t.created_at, tz())}</td><td data-label="${tr.t('web-tokens-col-expires')}">${when(tr, t.expires_at, tz())}</td>
        <td data-label="${tr.t('web-tokens-col-last-used')}">${t.last_used_at ? when(tr, t.last_used_at, tz()) : tr.t('web-tokens-never')}</td>
        <td data-label="${tr.t('web-tokens-col-state')}">${active ? tr.t('web-tokens-active') : tr.t('web-tokens-inactive')}</td>
        <td data-label="${tr.t('web-col-actions')}">${
          active
            ? html`<form class="inline" method="post" action="/desk/admin/tokens/${t.id}/revoke">${csrfField(session.csrfToken)}
              <button type="submit" class="danger" aria-label="${tr.t('web-tokens-revoke')} ${t.name ?? `#${t.id}`}">${tr.t('web-tokens-revoke')}</button></form>`
            : ''
        }</td></tr>`;
    });
    const title = tr.t('web-tokens-title');
    const created: Html | '' = extra.token
      ? html`<div class="notice" role="status"><p>${tr.t('web-tokens-created')}</p><p class="token">${extra.token}</p></div>`
      : '';
    return desk.render(c, extra.status ?? 200, {
      title,
      section: 'tokens',
      session,
      body: html`<h1>${title}</h1><p>${tr.t('web-tokens-intro')}</p>${created}${message(extra.notice)}${message(extra.problem, 'problem')}
        <div class="table-wrap" role="region" tabindex="0" aria-label="${title}"><table class="stack">
          <thead><tr><th scope="col">${tr.t('web-staff-col-number')}</th><th scope="col">${tr.t('web-tokens-name')}</th>
          <th scope="col">${tr.t('web-tokens-role')}</th><th scope="col">${tr.t('web-tokens-col-created')}</th>
          <th scope="col">${tr.t('web-tokens-col-expires')}</th><th scope="col">${tr.t('web-tokens-col-last-used')}</th>
          <th scope="col">${tr.t('web-tokens-col-state')}</th><th scope="col">${tr.t('web-col-actions')}</th></tr></thead>
          <tbody>${rows}</tbody></table></div>
        <h2>${tr.t('web-tokens-create')}</h2>
        <form method="post" action="/desk/admin/tokens">${csrfField(session.csrfToken)}
          <label for="token-name">${tr.t('web-tokens-name')}</label>
          <input id="token-name" name="name" type="text" maxlength="100" autocomplete="off">
          <label for="token-role">${tr.t('web-tokens-role')}</label>
          <select id="token-role" name="role" required>${roleOptions(tr, API_ROLES)}</select>
          <label for="token-days">${tr.t('web-tokens-days')}</label>
          <input id="token-days" name="days" type="number" min="1" max="366" value="90" required>
          <button type="submit">${tr.t('web-tokens-create')}</button>
        </form>`,
    });
  };

  app.get('/desk/admin/tokens', async (c) => {
    const session = await desk.staff(c, ADMIN);
    if (session instanceof Response) return session;
    return tokensPage(c, session);
  });

  app.post('/desk/admin/tokens', async (c) => {
    const p = await desk.form(c, ADMIN);
    if (p instanceof Response) return p;
    const tr = desk.tr(c);
    const form = TokenFormSchema.safeParse(p.fields);
    if (!form.success) {
      const issue = form.error.issues[0]!;
      return tokensPage(c, p.session, {
        status: 400,
        problem: tr.t('web-bad-input', { problem: `${issue.path.join('.')}: ${issue.message}` }),
      });
    }
    const name = form.data.name || undefined;
    const created = await createToken(desk.db, form.data.role, name, form.data.days * 86_400_000);
    await desk.audit(p.session, 'token.create', {
      tokenId: created.id,
      role: form.data.role,
      name: name ?? null,
      expiresAt: created.expiresAt.toISOString(),
    });
    return tokensPage(c, p.session, { token: created.token });
  });

  app.post('/desk/admin/tokens/:id/revoke', async (c) => {
    const p = await desk.form(c, ADMIN);
    if (p instanceof Response) return p;
    const tr = desk.tr(c);
    const id = IdSchema.safeParse(c.req.param('id'));
    const revoked = id.success && (await revokeToken(desk.db, id.data));
    if (!revoked || !id.success)
      return tokensPage(c, p.session, { status: 400, problem: tr.t('web-not-found') });
    await desk.audit(p.session, 'token.revoke', { tokenId: id.data });
    return tokensPage(c, p.session, { notice: tr.t('web-tokens-revoked', { id: id.data }) });
  });

  const sessionsPage = async (
    c: Context,
    session: StaffSession,
    extra: { notice?: string; problem?: string; status?: 200 | 400 } = {},
  ) => {
    const tr = desk.tr(c);
    const signIns = await listSignIns(desk.db);
    const rows = signIns.map(
      (s) => html`<tr><td data-label="${tr.t('web-staff-col-number')}">${s.id}</td>
        <td data-label="${tr.t('web-sessions-col-who')}">${s.kind === 'staff' ? tr.t('web-sessions-kind-staff', { id: s.holderId }) : tr.t('web-sessions-kind-token', { id: s.holderId })}${s.name ? ` (${s.name})` : ''}</td>
        <td data-label="${tr.t('web-staff-col-role')}">${roleText(tr, s.role)}</td><td data-label="${tr.t('web-sessions-col-since')}">${when(tr, s.createdAt, tz())}</td><td data-label="${tr.t('web-sessions-col-until')}">${when(tr, s.expiresAt, tz())}</td>
        <td data-label="${tr.t('web-col-actions')}">${
          s.id === session.sessionId
            ? tr.t('web-sessions-this')
            : html`<form class="inline" method="post" action="/desk/admin/sessions/${s.id}/revoke">${csrfField(session.csrfToken)}
              <button type="submit" class="danger" aria-label="${tr.t('web-sessions-end')} ${s.id}">${tr.t('web-sessions-end')}</button></form>`
        }</td></tr>`,
    );
    const title = tr.t('web-sessions-title');
    return desk.render(c, extra.status ?? 200, {
      title,
      section: 'sessions',
      session,
      body: html`<h1>${title}</h1><p>${tr.t('web-sessions-intro')}</p>${message(extra.notice)}${message(extra.problem, 'problem')}
        <div class="table-wrap" role="region" tabindex="0" aria-label="${title}"><table class="stack">
          <thead><tr><th scope="col">${tr.t('web-staff-col-number')}</th><th scope="col">${tr.t('web-sessions-col-who')}</th>
          <th scope="col">${tr.t('web-staff-col-role')}</th><th scope="col">${tr.t('web-sessions-col-since')}</th>
          <th scope="col">${tr.t('web-sessions-col-until')}</th><th scope="col">${tr.t('web-col-actions')}</th></tr></thead>
          <tbody>${rows}</tbody></table></div>`,
    });
  };

  app.get('/desk/admin/sessions', async (c) => {
    const session = await desk.staff(c, ADMIN);
    if (session instanceof Response) return session;
    return sessionsPage(c, session);
  });

  app.post('/desk/admin/sessions/:id/revoke', async (c) => {
    const p = await desk.form(c, ADMIN);
    if (p instanceof Response) return p;
    const tr = desk.tr(c);
    const id = IdSchema.safeParse(c.req.param('id'));
    const ended = id.success && (await revokeSession(desk.db, id.data));
    if (!ended || !id.success)
      return sessionsPage(c, p.session, { status: 400, problem: tr.t('web-not-found') });
    await desk.audit(p.session, 'session.end', { sessionId: id.data });
    return sessionsPage(c, p.session, { notice: tr.t('web-sessions-ended', { id: id.data }) });
  });
}
