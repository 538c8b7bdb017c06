import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Kysely } from 'kysely';
import { revokeSession } from '../../auth/sessions.js';
import { type StaffSession, startStaffSession, verifyStaffSession } from '../../auth/staff-sessions.js';
import type { Database } from '../../db/schema.js';

/**
 * The desk's cookies. The session cookie is its own (not the results page's), HttpOnly and
 * SameSite=Strict; in production both carry the `__Host-` prefix (Secure, Path=/, no Domain). The
 * sign-in cookie holds a random value that the sign-in forms send back (double submit), so even the
 * forms before a session have a CSRF token.
 */
export interface DeskCookies {
  session: string;
  signIn: string;
  secure: boolean;
}

export function deskCookies(secure: boolean): DeskCookies {
  return secure
    ? { session: '__Host-straatpraat_desk', signIn: '__Host-straatpraat_desk_signin', secure }
    : { session: 'straatpraat_desk', signIn: 'straatpraat_desk_signin', secure };
}

const sameToken = (a: string | undefined, b: string | undefined): boolean => {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The staff session of this browser, if it has a running one. */
export async function currentSession(
  c: Context,
  db: Kysely<Database>,
  cookies: DeskCookies,
): Promise<StaffSession | undefined> {
  const secret = getCookie(c, cookies.session);
  return secret ? verifyStaffSession(db, secret) : undefined;
}

/** Whether a posted form carries this session's synchroniser token. */
export function csrfMatches(session: StaffSession, posted: unknown): boolean {
  return typeof posted === 'string' && sameToken(session.csrfToken, posted);
}

/** The sign-in forms' token: the one in this browser's sign-in cookie, or a new one (cookie set). */
export function signInToken(c: Context, cookies: DeskCookies): string {
  const existing = getCookie(c, cookies.signIn);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  setCookie(c, cookies.signIn, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
    secure: cookies.secure,
    maxAge: 3600,
  });
  return token;
}

/** Whether a sign-in form came back with this browser's sign-in token. */
export function signInTokenMatches(c: Context, cookies: DeskCookies, posted: unknown): boolean {
  return typeof posted === 'string' && sameToken(getCookie(c, cookies.signIn), posted);
}

/** Starts a staff session and gives the browser its cookie. */
export async function signIn(
  c: Context,
  db: Kysely<Database>,
  cookies: DeskCookies,
  staffId: number,
): Promise<number> {
  const session = await startStaffSession(db, staffId);
  setCookie(c, cookies.session, session.secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
    secure: cookies.secure,
    maxAge: Math.max(1, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000)),
  });
  deleteCookie(c, cookies.signIn, { path: '/', secure: cookies.secure, httpOnly: true, sameSite: 'Strict' });
  return session.id;
}

/** Ends this browser's session on the server and clears its cookie. */
export async function signOut(
  c: Context,
  db: Kysely<Database>,
  cookies: DeskCookies,
  session: StaffSession,
): Promise<void> {
  await revokeSession(db, session.sessionId);
  deleteCookie(c, cookies.session, { path: '/', secure: cookies.secure, httpOnly: true, sameSite: 'Strict' });
}
