import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { ApiRoleSchema, hashToken, type TokenHolder } from './tokens.js';

/** The longest a sign-in lasts; it ends sooner when its token does. */
export const SESSION_HOURS = 8;

// 32 random bytes, base64url: as hard to guess as a token, so its SHA-256 alone is stored.
const SESSION_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A signed-in browser: the token it signed in with, and the session's number. */
export interface SessionHolder extends TokenHolder {
  sessionId: number;
}

/**
 * Starts a session for a token that was just checked and returns the browser's secret session id,
 * which is never stored (only its hash). The session ends after 8 hours, or when the token expires
 * if that is sooner. Sessions that ended more than a day ago are cleared on the way.
 */
export async function startSession(
  db: Kysely<Database>,
  holder: TokenHolder,
): Promise<{ id: number; secret: string; expiresAt: Date }> {
  const secret = randomBytes(32).toString('base64url');
  const row = await db
    .insertInto('http_sessions')
    .columns(['session_hash', 'token_id', 'role', 'expires_at'])
    .expression((eb) =>
      eb
        .selectFrom('api_tokens')
        .select([
          sql.val(hashToken(secret)).as('session_hash'),
          'id',
          'role',
          sql<Date>`least(now() + ${`${SESSION_HOURS} hours`}::interval, expires_at)`.as('expires_at'),
        ])
        .where('id', '=', holder.id),
    )
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
  await db
    .deleteFrom('http_sessions')
    .where(sql<boolean>`coalesce(revoked_at, expires_at) < now() - interval '1 day'`)
    .execute();
  return { id: row.id, secret, expiresAt: row.expires_at };
}

/** The holder of a session id; undefined when it is malformed, unknown, ended, or its token no longer works. */
export async function verifySession(
  db: Kysely<Database>,
  secret: string,
): Promise<SessionHolder | undefined> {
  if (!SESSION_SHAPE.test(secret)) return undefined;
  const row = await db
    .selectFrom('http_sessions as s')
    .innerJoin('api_tokens as t', 't.id', 's.token_id')
    .select(['s.id as sessionId', 's.role', 't.id', 't.name'])
    .where('s.session_hash', '=', hashToken(secret))
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('t.revoked_at', 'is', null)
    .where('t.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  const role = ApiRoleSchema.safeParse(row?.role);
  if (!row || !role.success) return undefined;
  return { id: row.id, role: role.data, name: row.name, sessionId: row.sessionId };
}

/** Ends a session by its number; false when there is no such session still running. */
export async function revokeSession(db: Kysely<Database>, id: number): Promise<boolean> {
  const result = await db
    .updateTable('http_sessions')
    .set({ revoked_at: sql`now()` })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Sessions still running (not ended, not expired), newest first, with the token they belong to. */
export async function listSessions(db: Kysely<Database>) {
  return db
    .selectFrom('http_sessions as s')
    .innerJoin('api_tokens as t', 't.id', 's.token_id')
    .select(['s.id', 's.token_id', 's.role', 't.name', 's.created_at', 's.expires_at'])
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('t.revoked_at', 'is', null)
    .orderBy('s.id', 'desc')
    .execute();
}
