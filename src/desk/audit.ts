import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

/** Who did something: `cli` for the command line, `staff:<id>` for a staff member in a chat. */
export type AuditActor = string;

/** Where a staff member did something, when not on the command line: in a chat or on the web desk. */
export type AuditVia = 'chat' | 'web';

/** The actor name of a staff member. */
export function staffActor(staffId: number): AuditActor {
  return `staff:${staffId}`;
}

/**
 * Records a staff action (who, what, when) — in the caller's transaction when given one, so the action
 * and its record commit together. Details never hold a resident's address or name.
 */
export async function recordAudit(
  db: Kysely<Database>,
  actor: AuditActor,
  action: string,
  details: Record<string, unknown>,
  now: Date,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ actor, action, details: JSON.stringify(details), created_at: now })
    .execute();
}

/** One audit entry as `straatpraat audit` shows it. */
export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  /** The staff member's name when the actor is one (and still listed). */
  actorName: string | null;
  action: string;
  details: Record<string, unknown>;
}

/** The audit log from `since` on, oldest first. */
export async function listAudit(db: Kysely<Database>, since?: Date, limit = 10_000): Promise<AuditEntry[]> {
  let query = db
    .selectFrom('audit_log as a')
    .leftJoin('staff as s', (join) => join.on(sql<boolean>`a.actor = 'staff:' || s.id::text`))
    .select(['a.id', 'a.created_at', 'a.actor', 'a.action', 'a.details', 's.name'])
    .orderBy('a.created_at')
    .orderBy('a.id')
    .limit(limit);
  if (since) query = query.where('a.created_at', '>=', since);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: String(r.id),
    at: new Date(r.created_at).toISOString(),
    actor: r.actor,
    actorName: r.name ?? null,
    action: r.action,
    details: (r.details ?? {}) as Record<string, unknown>,
  }));
}
