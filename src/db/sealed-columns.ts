import { type Kysely, sql } from 'kysely';
import { WHATSAPP_AUTH_COLUMN, WHATSAPP_SENT_COLUMN } from '../../adapters/whatsapp/tables.js';
import { StartupError } from '../domain/errors.js';
import { isSealed, type Sealer } from '../privacy/sealed.js';
import type { Database } from './schema.js';

// The name each sealed column's values are bound to (associated data): a value copied into another
// column does not open there.
export const LOG_BODY = 'message_log.body';
export const HELP_TEXT = 'help_messages.text';
export const HELP_SUBJECT = 'help_requests.subject';
export const WHATSAPP_AUTH = WHATSAPP_AUTH_COLUMN;
export const WHATSAPP_SENT = WHATSAPP_SENT_COLUMN;
export const AGE_GROUP = 'residents.age_group';
export const IDEA_MEDIA_BYTES = 'idea_media.bytes';
export const IDEA_MEDIA_REF = 'idea_media.ref';
export const OUTBOUND_BODY = 'outbound_messages.sealed_body';

/** Every sealed column, with the key that finds its row. */
export const SEALED_COLUMNS = [
  { table: 'message_log', key: ['id'], column: 'body' },
  { table: 'help_messages', key: ['id'], column: 'text' },
  { table: 'help_requests', key: ['id'], column: 'subject' },
  { table: 'whatsapp_auth', key: ['type', 'id'], column: 'value' },
  { table: 'whatsapp_sent', key: ['id'], column: 'message' },
  { table: 'residents', key: ['id'], column: 'age_group' },
  { table: 'idea_media', key: ['id'], column: 'bytes' },
  { table: 'idea_media', key: ['id'], column: 'ref' },
  // Written sealed since the column exists: never plain, so the start's scan for plain values skips it.
  { table: 'outbound_messages', key: ['id'], column: 'sealed_body', bornSealed: true },
] as const;

const BATCH = 500;

/**
 * Makes sure the data key opens what is stored: one sealed value of each column is opened. A wrong
 * key stops the start with one line, instead of every message failing later.
 */
export async function checkDataKey(db: Kysely<Database>, sealer: Sealer): Promise<void> {
  for (const { table, column } of SEALED_COLUMNS) {
    const { rows } = await sql<{ value: Buffer }>`
      select ${sql.ref(column)} as value from ${sql.table(table)}
      where length(${sql.ref(column)}) > 0 and get_byte(${sql.ref(column)}, 0) = 1 limit 1`.execute(db);
    if (!rows[0]) continue;
    try {
      sealer.openBytes(rows[0].value, `${table}.${column}`);
    } catch {
      throw new StartupError(
        `Configuration error: DATA_KEY does not open what is stored in ${table}.${column}; use the key the database was sealed with (see "The data key" in docs/operations.md).`,
      );
    }
  }
}

/**
 * Seals every value of a sealed column still in plain text: rows from before sealing existed
 * (migration 0008 marked them), or written by an older process during a rolling update. Runs at
 * start; a few hundred rows per statement. Returns how many values it sealed.
 */
export async function sealLegacyRows(db: Kysely<Database>, sealer: Sealer): Promise<number> {
  let sealed = await sealLegacyReplies(db, sealer);
  for (const { table, key, column } of SEALED_COLUMNS.filter((c) => !('bornSealed' in c))) {
    const keys = sql.join(key.map((k) => sql.ref(k)));
    for (;;) {
      const { rows } = await sql<Record<string, unknown>>`
        select ${keys}, ${sql.ref(column)} as value from ${sql.table(table)}
        where length(${sql.ref(column)}) > 0 and get_byte(${sql.ref(column)}, 0) <> 1
        limit ${BATCH}`.execute(db);
      if (rows.length === 0) break;
      for (const row of rows) {
        const value = row.value as Buffer;
        if (isSealed(value)) continue;
        const name = `${table}.${column}`;
        const where = sql.join(
          key.map((k) => sql`${sql.ref(k)} = ${row[k]}`),
          sql` and `,
        );
        await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${sealer.seal(sealer.openBytes(value, name), name)}
          where ${where}`.execute(db);
        sealed += 1;
      }
    }
  }
  return sealed;
}

/**
 * Moves the message of every outbound row that is not a broadcast's and still has it in plain `body`
 * (written before migration 0029, or by an older process during a rolling update) into
 * `sealed_body`. A few hundred rows per statement; a row is only changed while its `body` is still
 * set, so a second run (or one next to another process) finds nothing to do. Returns how many.
 */
export async function sealLegacyReplies(db: Kysely<Database>, sealer: Sealer): Promise<number> {
  let sealed = 0;
  for (;;) {
    const { rows } = await sql<{ id: string; body: unknown }>`
      select id, body from outbound_messages
      where body is not null and broadcast_id is null
      limit ${BATCH}`.execute(db);
    if (rows.length === 0) break;
    const { numAffectedRows } = await sql`
      update outbound_messages o set sealed_body = v.sealed, body = null
      from unnest(${rows.map((r) => r.id)}::uuid[],
        ${rows.map((r) => sealer.seal(JSON.stringify(r.body), OUTBOUND_BODY))}::bytea[]) as v(id, sealed)
      where o.id = v.id and o.body is not null and o.broadcast_id is null`.execute(db);
    sealed += Number(numAffectedRows ?? 0);
  }
  return sealed;
}

/** What a re-seal pass did per column. */
export interface ResealCount {
  column: string;
  /** Values sealed with an earlier key, now sealed with the current one. */
  resealed: number;
  /** Values no configured key opens (left as they are). */
  unreadable: number;
}

/**
 * After a data-key rotation: seals every value of every sealed column that the current key does not
 * open (an earlier key's, or still plain text) with the current key. Walks each table by its key,
 * a few hundred rows at a time; a row is only updated while it still holds the value read, so
 * several runs (or a run during traffic) are safe and a second run finds nothing to do.
 */
export async function resealRows(
  db: Kysely<Database>,
  sealer: Sealer,
  progress?: (count: ResealCount) => void,
): Promise<ResealCount[]> {
  const counts: ResealCount[] = [];
  for (const { table, key, column } of SEALED_COLUMNS) {
    const name = `${table}.${column}`;
    const count: ResealCount = { column: name, resealed: 0, unreadable: 0 };
    const keys = sql.join(key.map((k) => sql.ref(k)));
    let after: unknown[] | undefined;
    for (;;) {
      const from = after ? sql`and (${keys}) > (${sql.join(after.map((v) => sql`${v}`))})` : sql``;
      const { rows } = await sql<Record<string, unknown>>`
        select ${keys}, ${sql.ref(column)} as value from ${sql.table(table)}
        where length(${sql.ref(column)}) > 0 ${from}
        order by ${keys} limit ${BATCH}`.execute(db);
      if (rows.length === 0) break;
      for (const row of rows) {
        const value = row.value as Buffer;
        if (sealer.opensWithCurrentKey(value, name)) continue;
        let plain: Buffer;
        try {
          plain = sealer.openBytes(value, name);
        } catch {
          count.unreadable += 1;
          continue;
        }
        const where = sql.join(
          key.map((k) => sql`${sql.ref(k)} = ${row[k]}`),
          sql` and `,
        );
        const { numAffectedRows } = await sql`update ${sql.table(table)}
          set ${sql.ref(column)} = ${sealer.seal(plain, name)}
          where ${where} and ${sql.ref(column)} = ${value}`.execute(db);
        if (Number(numAffectedRows ?? 0) > 0) count.resealed += 1;
      }
      const last = rows[rows.length - 1] as Record<string, unknown>;
      after = key.map((k) => last[k]);
    }
    counts.push(count);
    progress?.(count);
  }
  return counts;
}
