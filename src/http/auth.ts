import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Kysely } from 'kysely';
import { revokeSession, type SessionHolder, startSession, verifySession } from '../auth/sessions.js';
import { type TokenHolder, verifyToken } from '../auth/tokens.js';
import type { Database } from '../db/schema.js';

/**
 * The cookie that carries a browser's session id (never a token). In production it is
 * `__Host-straatpraat_session`: browsers then insist on Secure, Path=/ and no Domain, so no other
 * site or subdomain can set or read it. Over plain http (development, tests) a browser refuses
 * `__Host-` cookies, so there it is `straatpraat_session` without Secure.
 */
export interface SessionCookie {
  name: string;
  secure: boolean;
}

export function sessionCookie(nodeEnv: string): SessionCookie {
  return nodeEnv === 'production'
    ? { name: '__Host-straatpraat_session', secure: true }
    : { name: 'straatpraat_session', secure: false };
}

/** The bearer token of a request, if it has one. */
export function bearerToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/**
 * Who is asking: the holder of the `Authorization: Bearer` token, or else of the session cookie.
 * Never a token in the address: a URL ends up in histories, proxy logs and Referer headers.
 */
export async function presentedHolder(
  c: Context,
  db: Kysely<Database>,
  cookie: SessionCookie,
): Promise<TokenHolder | SessionHolder | undefined> {
  const token = bearerToken(c);
  if (token !== undefined) return verifyToken(db, token);
  const session = getCookie(c, cookie.name);
  return session ? verifySession(db, session) : undefined;
}

/** Signs a browser in: a new server-side session, its id in an HttpOnly, SameSite=Strict cookie. */
export async function beginSession(
  c: Context,
  db: Kysely<Database>,
  cookie: SessionCookie,
  holder: TokenHolder,
): Promise<number> {
  const session = await startSession(db, holder);
  setCookie(c, cookie.name, session.secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
    secure: cookie.secure,
    maxAge: Math.max(1, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000)),
  });
  return session.id;
}

/** Signs a browser out: ends its session on the server and clears the cookie; who it was, if signed in. */
export async function endSession(
  c: Context,
  db: Kysely<Database>,
  cookie: SessionCookie,
): Promise<SessionHolder | undefined> {
  const secret = getCookie(c, cookie.name);
  const holder = secret ? await verifySession(db, secret) : undefined;
  if (holder) await revokeSession(db, holder.sessionId);
  deleteCookie(c, cookie.name, { path: '/', secure: cookie.secure, httpOnly: true, sameSite: 'Strict' });
  return holder;
}
