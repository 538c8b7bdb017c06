import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createToken, revokeToken } from '../../src/auth/tokens.js';
import { ExportPool } from '../../src/export/pool.js';
import { sessionCookie } from '../../src/http/auth.js';
import { mountResults } from '../../src/http/results.js';
import { startTestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import type { TestSetup } from '../helpers/env.js';
import { form, type RawResponse, rawRequest } from '../helpers/http.js';

let app: App;
let setup: TestSetup;
let stop: () => Promise<void>;
let base: string;
const COOKIE = 'straatpraat_session';

beforeAll(async () => {
  ({ app, setup, stop } = await startTestApp({}, 'ingress'));
  base = `http://127.0.0.1:${app.httpPort}`;
}, 60_000);

afterAll(async () => {
  await stop?.();
});

/** Signs in with the form as a browser on this site would (same-origin Origin header). */
async function signIn(
  token: string,
  headers: Record<string, string> = { origin: base },
): Promise<RawResponse> {
  const f = form({ token });
  return rawRequest(`${base}/results/login`, {
    method: 'POST',
    headers: { ...f.headers, ...headers },
    body: f.body,
  });
}

const results = (cookie: string) => rawRequest(`${base}/results`, { headers: { cookie } });

function sessionOf(res: RawResponse): string {
  const cookie = res.cookies.find((c) => c.startsWith(`${COOKIE}=`));
  expect(cookie, `no ${COOKIE} cookie in ${JSON.stringify(res.headers['set-cookie'])}`).toBeDefined();
  return cookie!;
}

describe('signing in to the results page', () => {
  it('gives the browser a random session id, not the token, in an HttpOnly SameSite=Strict cookie', async () => {
    const { token } = await createToken(app.db, 'wijkteam', 'session test');
    const res = await signIn(token);
    expect(res.status).toBe(303);
    const cookie = sessionOf(res);
    const value = cookie.slice(COOKIE.length + 1);
    expect(value).not.toContain(token);
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const header = (res.headers['set-cookie'] as string[]).find((c) => c.startsWith(`${COOKIE}=`))!;
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; SameSite=Strict/);
    expect(header).toMatch(/; Path=\//);
    const maxAge = Number(header.match(/Max-Age=(\d+)/)?.[1]);
    expect(maxAge).toBeGreaterThan(8 * 3600 - 60);
    expect(maxAge).toBeLessThanOrEqual(8 * 3600);
    // No cookie carries the token, under any name.
    expect((res.headers['set-cookie'] as string[]).some((c) => c.includes(token))).toBe(false);
    expect((await results(cookie)).status).toBe(200);
    // Only the hash of the session id is stored, with its role and an end 8 hours on.
    const rows = await sql<{ row: string }>`select http_sessions::text as row from http_sessions`.execute(
      app.db,
    );
    expect(rows.rows.some((r) => r.row.includes(value))).toBe(false);
    const stored = await app.db
      .selectFrom('http_sessions')
      .selectAll()
      .where('session_hash', '=', createHash('sha256').update(value).digest('hex'))
      .executeTakeFirstOrThrow();
    expect(stored.role).toBe('wijkteam');
    const hours = (stored.expires_at.getTime() - stored.created_at.getTime()) / 3_600_000;
    expect(hours).toBeCloseTo(8, 2);
  });

  it('does not take a token as the cookie, under the old name or the new one', async () => {
    const { token } = await createToken(app.db, 'admin', 'cookie-as-token');
    for (const cookie of [`straatpraat_token=${token}`, `${COOKIE}=${token}`]) {
      expect((await results(cookie)).status, cookie.split('=')[0]).toBe(401);
      const queues = await rawRequest(`${base}/admin/queues`, { headers: { cookie } });
      expect(queues.status, cookie.split('=')[0]).toBe(401);
    }
  });

  it('ends the session on the server when signing out: a copied cookie no longer works', async () => {
    const { token } = await createToken(app.db, 'wijkteam', 'sign-out test');
    const cookie = sessionOf(await signIn(token));
    expect((await results(cookie)).status).toBe(200);
    const out = await rawRequest(`${base}/results/logout`, {
      method: 'POST',
      headers: { cookie, origin: base },
    });
    expect(out.status).toBe(303);
    // The attacker who copied the cookie before sign-out replays it.
    expect((await results(cookie)).status).toBe(401);
    const ended = await app.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['session.start', 'session.end'])
      .execute();
    expect(ended.map((a) => a.action)).toContain('session.end');
  });

  it('ends after 8 hours, and with its token (revoked or expired)', async () => {
    const { id, token } = await createToken(app.db, 'analyst', 'lifetime test');
    const old = sessionOf(await signIn(token));
    await app.db
      .updateTable('http_sessions')
      .set({ expires_at: sql`now() - interval '1 second'` })
      .where('token_id', '=', id)
      .execute();
    expect((await results(old)).status).toBe(401);

    const second = sessionOf(await signIn(token));
    expect((await results(second)).status).toBe(200);
    await app.db
      .updateTable('api_tokens')
      .set({ expires_at: sql`now() - interval '1 second'` })
      .where('id', '=', id)
      .execute();
    expect((await results(second)).status).toBe(401);

    const other = await createToken(app.db, 'analyst', 'revoked with its sessions');
    const third = sessionOf(await signIn(other.token));
    await revokeToken(app.db, other.id);
    expect((await results(third)).status).toBe(401);
  });

  it('can be listed and ended by an admin on the command line', async () => {
    const { id, token } = await createToken(app.db, 'wijkteam', 'cli-ended');
    const cookie = sessionOf(await signIn(token));
    const list = await runCli(['token', 'sessions'], setup.vars);
    expect(list.code).toBe(0);
    const line = list.stdout.split('\n').find((l) => l.includes(`token ${id}\t`));
    expect(line).toMatch(/^\d+\ttoken \d+\twijkteam\tcli-ended\tsince \S+\tuntil \S+$/);
    expect(line).not.toContain(cookie.slice(COOKIE.length + 1));
    const sessionId = line!.split('\t')[0]!;
    const end = await runCli(['token', 'end-session', sessionId], setup.vars);
    expect(end.code).toBe(0);
    expect(end.stdout).toBe(`session ${sessionId} ended\n`);
    expect((await results(cookie)).status).toBe(401);
    expect((await runCli(['token', 'end-session', sessionId], setup.vars)).code).toBe(1);
  }, 60_000);

  it('uses a __Host- cookie marked Secure in production', async () => {
    const { token } = await createToken(app.db, 'wijkteam', 'production cookie');
    const http = new Hono();
    const exports = new ExportPool({ databaseUrl: app.env.DATABASE_URL, size: 1 });
    mountResults(http, { db: app.db, exports, minCell: 10 }, sessionCookie('production'));
    const f = form({ token });
    const res = await http.request('/results/login', { method: 'POST', headers: f.headers, body: f.body });
    expect(res.status).toBe(303);
    const header = res.headers.get('set-cookie')!;
    expect(header).toMatch(/^__Host-straatpraat_session=[A-Za-z0-9_-]{43}; /);
    expect(header).toMatch(/; Secure/);
    expect(header).toMatch(/; Path=\//);
    expect(header).not.toMatch(/Domain=/i);
    await exports.close();
  });
});

describe('posts from other sites', () => {
  it('cannot sign a browser in (login CSRF): no Origin, a foreign Origin or a null Origin is refused', async () => {
    const { token } = await createToken(app.db, 'wijkteam', 'csrf test');
    const attempts: Record<string, string>[] = [
      {},
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { referer: 'https://evil.example/page' },
      { origin: `http://127.0.0.1:${app.httpPort! + 1}` },
    ];
    for (const headers of attempts) {
      const res = await signIn(token, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.cookies, JSON.stringify(headers)).toEqual([]);
    }
    // From the site itself: by Origin, or by Referer when a browser leaves Origin out.
    expect((await signIn(token, { origin: base })).status).toBe(303);
    expect((await signIn(token, { referer: `${base}/results` })).status).toBe(303);
  });

  it('cannot sign a browser out', async () => {
    const { token } = await createToken(app.db, 'wijkteam', 'logout csrf');
    const cookie = sessionOf(await signIn(token));
    const res = await rawRequest(`${base}/results/logout`, {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect((await results(cookie)).status).toBe(200);
  });

  it('do not stop API clients that send a bearer token and no Origin', async () => {
    const { token } = await createToken(app.db, 'admin', 'api client');
    const res = await rawRequest(`${base}/results/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(303);
  });
});

describe('a token in the address', () => {
  it('is not accepted anywhere: no page, no cookie, no redirect', async () => {
    const { token } = await createToken(app.db, 'admin', 'query token');
    for (const path of [
      `/results?token=${token}`,
      `/admin/queues?token=${token}`,
      `/admin/queues/api/queues?token=${token}`,
      `/api/aggregates.json?token=${token}`,
    ]) {
      const res = await rawRequest(`${base}${path}`);
      expect(res.status, path).toBe(401);
      expect(res.cookies, path).toEqual([]);
      expect(res.body, path).not.toContain('<svg');
    }
  });
});

describe('token expiry', () => {
  it('gives new tokens 90 days by default and refuses an expired token like an unknown one', async () => {
    const created = await createToken(app.db, 'analyst', 'expiring');
    const days = (created.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    const bearer = { authorization: `Bearer ${created.token}` };
    expect((await rawRequest(`${base}/api/aggregates.json`, { headers: bearer })).status).toBe(200);
    await app.db
      .updateTable('api_tokens')
      .set({ expires_at: sql`now() - interval '1 second'` })
      .where('id', '=', created.id)
      .execute();
    const unknown = await rawRequest(`${base}/api/aggregates.json`, {
      headers: { authorization: 'Bearer sp_wrongwrongwrongwrongwrongwrongwrongwrongwro' },
    });
    const expired = await rawRequest(`${base}/api/aggregates.json`, { headers: bearer });
    expect(expired.status).toBe(401);
    expect(expired.body).toBe(unknown.body);
    expect((await rawRequest(`${base}/results`, { headers: bearer })).status).toBe(401);
    expect((await signIn(created.token)).status).toBe(401);
  });

  it('is set with token create --expires and shown by token list', async () => {
    const created = await runCli(
      ['token', 'create', '--role', 'wijkteam', '--name', 'thirty days', '--expires', '30d'],
      setup.vars,
    );
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/works until \d{4}-\d\d-\d\dT/);
    const row = await app.db
      .selectFrom('api_tokens')
      .select(['id', 'created_at', 'expires_at'])
      .where('name', '=', 'thirty days')
      .executeTakeFirstOrThrow();
    expect((row.expires_at.getTime() - row.created_at.getTime()) / 86_400_000).toBeCloseTo(30, 3);
    const list = await runCli(['token', 'list'], setup.vars);
    expect(list.stdout).toContain(
      `${row.id}\twijkteam\tthirty days\tactive\texpires ${row.expires_at.toISOString()}\t`,
    );
    const refused = await runCli(['token', 'create', '--role', 'admin', '--expires', 'never'], setup.vars);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/expected a lifetime such as 30d/);
    const tooLong = await runCli(['token', 'create', '--role', 'admin', '--expires', '400d'], setup.vars);
    expect(tooLong.code).not.toBe(0);
  }, 60_000);
});
