import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

// One-time sign-in codes for the web desk. A code is 6 digits, works 10 minutes and once; five wrong
// codes in a row lock the identity for 15 minutes (a new code does not reset the count). What
// happens is the same whether or not the identity entered is on the staff list: an outsider learns
// nothing from the answers, and the lock comes after five tries either way.

/** How long a code works. */
export const CODE_MINUTES = 10;
/** Wrong codes in a row before the identity is locked. */
export const MAX_FAILURES = 5;
/** How long a lock lasts. */
export const LOCK_MINUTES = 15;
/**
 * Codes sent to one identity per 15 minutes at most, so a stranger cannot flood a staff member's
 * chat; a new code replaces the one before.
 */
export const MAX_SENDS = 5;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The stored key of a channel identity: its hash, never the identity itself. */
export function identityHash(channel: string, userId: string): string {
  return sha256(`desk-sign-in\u0000${channel}\u0000${userId}`);
}

/** A fresh 6-digit code, leading zeros included. */
export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** What asking for a code led to. */
export type CodeRequest =
  /** A code was made for this staff member: send it to them. */
  | { kind: 'send'; staffId: number; code: string }
  /** Nothing to send (not staff, or five codes went out in the last 15 minutes). */
  | { kind: 'quiet' }
  | { kind: 'locked'; until: Date };

/**
 * Registers a request for a code for an identity. `staffId` is the staff member behind it, or
 * undefined when there is none: the row is kept all the same, so tries and locks work alike.
 */
export async function requestCode(
  db: Kysely<Database>,
  identity: string,
  staffId: number | undefined,
  now: Date,
): Promise<CodeRequest> {
  return db.transaction().execute(async (tx) => {
    await tx
      .deleteFrom('desk_sign_in')
      .where('updated_at', '<', new Date(now.getTime() - 86_400_000))
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .execute();
    await tx
      .insertInto('desk_sign_in')
      .values({ identity_hash: identity, updated_at: now })
      .onConflict((oc) => oc.column('identity_hash').doNothing())
      .execute();
    const row = await tx
      .selectFrom('desk_sign_in')
      .selectAll()
      .where('identity_hash', '=', identity)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.locked_until && row.locked_until > now) return { kind: 'locked', until: row.locked_until };
    const windowOpen =
      row.sends_since !== null && now.getTime() - row.sends_since.getTime() < LOCK_MINUTES * 60_000;
    const sends = windowOpen ? row.sends : 0;
    if (staffId === undefined || sends >= MAX_SENDS) {
      await tx
        .updateTable('desk_sign_in')
        .set({ updated_at: now, ...(staffId === undefined && { staff_id: null }) })
        .where('identity_hash', '=', identity)
        .execute();
      return { kind: 'quiet' };
    }
    const code = newCode();
    await tx
      .updateTable('desk_sign_in')
      .set({
        staff_id: staffId,
        code_hash: sha256(`${identity}:${code}`),
        sent_at: now,
        sends: sends + 1,
        sends_since: windowOpen ? row.sends_since : now,
        expires_at: new Date(now.getTime() + CODE_MINUTES * 60_000),
        updated_at: now,
      })
      .where('identity_hash', '=', identity)
      .execute();
    return { kind: 'send', staffId, code };
  });
}

/** What checking a code led to. */
export type CodeCheck =
  | { kind: 'ok'; staffId: number }
  | { kind: 'wrong'; triesLeft: number }
  | { kind: 'locked'; until: Date };

/**
 * Checks a code for an identity. A right code works once and clears the wrong tries; a wrong,
 * expired or unknown one counts as a try, and the fifth in a row locks the identity for 15 minutes.
 */
export async function checkCode(
  db: Kysely<Database>,
  identity: string,
  code: string,
  now: Date,
): Promise<CodeCheck> {
  return db.transaction().execute(async (tx) => {
    await tx
      .insertInto('desk_sign_in')
      .values({ identity_hash: identity, updated_at: now })
      .onConflict((oc) => oc.column('identity_hash').doNothing())
      .execute();
    const row = await tx
      .selectFrom('desk_sign_in')
      .selectAll()
      .where('identity_hash', '=', identity)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.locked_until && row.locked_until > now) return { kind: 'locked', until: row.locked_until };
    const given = Buffer.from(sha256(`${identity}:${code}`));
    const right =
      row.staff_id !== null &&
      row.code_hash !== null &&
      row.expires_at !== null &&
      row.expires_at > now &&
      /^\d{6}$/.test(code) &&
      timingSafeEqual(given, Buffer.from(row.code_hash));
    if (right) {
      await tx
        .updateTable('desk_sign_in')
        .set({ code_hash: null, expires_at: null, failures: 0, locked_until: null, updated_at: now })
        .where('identity_hash', '=', identity)
        .execute();
      return { kind: 'ok', staffId: row.staff_id! };
    }
    // A lock that ran out starts a fresh count.
    const failures = (row.locked_until ? 0 : row.failures) + 1;
    const locked = failures >= MAX_FAILURES;
    const until = new Date(now.getTime() + LOCK_MINUTES * 60_000);
    await tx
      .updateTable('desk_sign_in')
      .set({
        failures: locked ? 0 : failures,
        locked_until: locked ? until : null,
        // A lock also ends the code that was out: after it, a new one is needed.
        ...(locked && { code_hash: null, expires_at: null }),
        updated_at: now,
      })
      .where('identity_hash', '=', identity)
      .execute();
    return locked ? { kind: 'locked', until } : { kind: 'wrong', triesLeft: MAX_FAILURES - failures };
  });
}
