import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { STAFF_ROLES, type StaffRole } from '../../flows/desk/types.js';
import type { Database } from '../db/schema.js';
import { SESSION_HOURS } from './sessions.js';
import { hashToken } from './tokens.js';

// Web desk sign-ins: like the results page's sessions (the browser holds a random id, the table its
// SHA-256), but held by a staff member instead of a token. The role is read from the staff list on
// every request, so a changed role counts at once and a removed staff member's sessions end (the
// rows go with them).

const SESSION_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A signed-in staff member: who, their role now, the session and its CSRF token. */
export interface StaffSession {
  sessionId: number;
  staffId: number;
  role: StaffRole;
  name: string | null;
  csrfToken: string;
  expiresAt: Date;
}

/** Starts an 8-hour session for a staff member; returns the browser's secret (never stored). */
export async function startStaffSession(
  db: Kysely<Database>,
  staffId: number,
): Promise<{ id: number; secret: string; expiresAt: Date }> {
  const secret = randomBytes(32).toString('base64url');
  const row = await db
    .insertInto('http_sessions')
    .columns(['session_hash', 'staff_id', 'csrf_token', 'role', 'expires_at'])
    .expression((eb) =>
      eb
        .selectFrom('staff')
        .select([
          sql.val(hashToken(secret)).as('session_hash'),
          'id',
          sql.val(randomBytes(32).toString('base64url')).as('csrf_token'),
          'role',
          sql<Date>`now() + ${`${SESSION_HOURS} hours`}::interval`.as('expires_at'),
        ])
        .where('id', '=', staffId),
    )
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
  await db
    .deleteFrom('http_sessions')
    .where(sql<boolean>`coalesce(revoked_at, expires_at) < now() - interval '1 day'`)
    .execute();
  return { id: row.id, secret, expiresAt: row.expires_at };
}

/** The staff session of a browser's secret; undefined when malformed, unknown, ended or expired. */
export async function verifyStaffSession(
  db: Kysely<Database>,
  secret: string,
): Promise<StaffSession | undefined> {
  if (!SESSION_SHAPE.test(secret)) return undefined;
  const row = await db
    .selectFrom('http_sessions as s')
    .innerJoin('staff as m', 'm.id', 's.staff_id')
    .select(['s.id', 's.csrf_token', 's.expires_at', 'm.id as staffId', 'm.role', 'm.name'])
    .where('s.session_hash', '=', hashToken(secret))
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!row?.csrf_token || !(STAFF_ROLES as readonly string[]).includes(row.role)) return undefined;
  return {
    sessionId: row.id,
    staffId: row.staffId,
    role: row.role as StaffRole,
    name: row.name,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  };
}

/** A running sign-in as the admin page lists it: a token's or a staff member's, never a secret. */
export interface SignInView {
  id: number;
  kind: 'token' | 'staff';
  /** Token name or staff first name. */
  name: string | null;
  /** The token or staff number. */
  holderId: number;
  role: string;
  createdAt: Date;
  expiresAt: Date;
}

/** Every sign-in still running (results page and web desk), newest first. */
export async function listSignIns(db: Kysely<Database>): Promise<SignInView[]> {
  const rows = await db
    .selectFrom('http_sessions as s')
    .leftJoin('api_tokens as t', 't.id', 's.token_id')
    .leftJoin('staff as m', 'm.id', 's.staff_id')
    .select([
      's.id',
      's.token_id',
      's.staff_id',
      's.role',
      's.created_at',
      's.expires_at',
      't.name',
      'm.name as staffName',
    ])
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where((eb) => eb.or([eb('t.revoked_at', 'is', null), eb('s.staff_id', 'is not', null)]))
    .orderBy('s.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.staff_id !== null ? 'staff' : 'token',
    name: r.staff_id !== null ? r.staffName : r.name,
    holderId: (r.staff_id ?? r.token_id)!,
    role: r.role,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  }));
}
