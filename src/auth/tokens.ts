import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';

/** Who a token belongs to. */
export const API_ROLES = ['analyst', 'wijkteam', 'admin'] as const;
export const ApiRoleSchema = z.enum(API_ROLES);
export type ApiRole = z.infer<typeof ApiRoleSchema>;

/** What a token can be used for. */
export type Permission =
  | 'responses'
  | 'codebook'
  | 'ideas'
  | 'aggregates'
  | 'results'
  | 'wave_results'
  | 'panel_ids';

/**
 * Roles per permission. Analysts get every export; the wijkteam sees the figures and the ideas
 * but not the answer rows; only an admin may ask for stable panel ids, which let exports be joined.
 */
export const PERMISSIONS: Record<Permission, readonly ApiRole[]> = {
  responses: ['analyst', 'admin'],
  codebook: ['analyst', 'admin'],
  ideas: ['analyst', 'wijkteam', 'admin'],
  aggregates: ['analyst', 'wijkteam', 'admin'],
  results: ['analyst', 'wijkteam', 'admin'],
  /** A wave's answers summed up (closed waves only for the wijkteam). */
  wave_results: ['analyst', 'wijkteam', 'admin'],
  panel_ids: ['admin'],
};

/** Whether a role may do something. */
export function allows(role: ApiRole, permission: Permission): boolean {
  return PERMISSIONS[permission].includes(role);
}

const PREFIX = 'sp_';
// 32 random bytes: a hash of it cannot be brute-forced, so a plain SHA-256 is enough (no salt or KDF).
const TOKEN_SHAPE = /^sp_[A-Za-z0-9_-]{43}$/;

/** A new random token (256 bits), recognisable by its `sp_` prefix in secret scanners. */
export function newToken(): string {
  return `${PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The stored form of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A token as the API knows it after checking it. */
export interface TokenHolder {
  id: number;
  role: ApiRole;
  name: string | null;
}

/** How long a token works unless `token create --expires` says otherwise. */
export const DEFAULT_TOKEN_LIFETIME_MS = 90 * 86_400_000;
/** The longest a token may work: a forgotten token should not stay valid for years. */
export const MAX_TOKEN_LIFETIME_MS = 366 * 86_400_000;

/**
 * Stores a new token's hash and returns the token, which is never stored and cannot be shown again.
 * The token works for `lifetimeMs` (90 days by default), then it is refused like an unknown one.
 */
export async function createToken(
  db: Kysely<Database>,
  role: ApiRole,
  name?: string,
  lifetimeMs: number = DEFAULT_TOKEN_LIFETIME_MS,
): Promise<{ id: number; token: string; expiresAt: Date }> {
  if (!(lifetimeMs > 0 && lifetimeMs <= MAX_TOKEN_LIFETIME_MS))
    throw new RangeError('a token lives from a minute up to 366 days');
  const token = newToken();
  const row = await db
    .insertInto('api_tokens')
    .values({
      role,
      name: name ?? null,
      token_hash: hashToken(token),
      expires_at: sql<Date>`now() + ${`${Math.round(lifetimeMs)} milliseconds`}::interval`,
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, token, expiresAt: row.expires_at };
}

/**
 * Looks a presented token up by its hash; undefined when it is malformed, unknown, revoked or
 * expired. Records the use (at most once a minute per token, so reading a page is not a write storm).
 */
export async function verifyToken(db: Kysely<Database>, token: string): Promise<TokenHolder | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'role', 'name', 'last_used_at'])
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  const role = ApiRoleSchema.safeParse(row?.role);
  if (!row || !role.success) return undefined;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: sql`now()` }).where('id', '=', row.id).execute();
  }
  return { id: row.id, role: role.data, name: row.name };
}

/** Every token without its secret, newest first. */
export async function listTokens(db: Kysely<Database>) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'role', 'created_at', 'last_used_at', 'revoked_at', 'expires_at'])
    .orderBy('id', 'desc')
    .execute();
}

/** Revokes a token and ends its sign-in sessions; false when there is no such active token. */
export async function revokeToken(db: Kysely<Database>, id: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: sql`now()` })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    await trx
      .updateTable('http_sessions')
      .set({ revoked_at: sql`now()` })
      .where('token_id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    return result.numUpdatedRows > 0n;
  });
}
