import { type Kysely, sql } from 'kysely';
import type { WhatsAppTables } from './tables.js';

/**
 * Erases everything kept about one WhatsApp address: its polls, its contact row and the Signal keys
 * of its users (the database function `whatsapp_forget`, migration 0009). Returns the keys removed,
 * by type, so a key cache can drop them too.
 */
export async function forgetAddress(
  db: Kysely<WhatsAppTables>,
  address: string,
): Promise<Map<string, string[]>> {
  const { rows } = await sql<{ key_type: string; key_id: string }>`
    select key_type, key_id from whatsapp_forget(${address})`.execute(db);
  const removed = new Map<string, string[]>();
  for (const { key_type, key_id } of rows) removed.set(key_type, [...(removed.get(key_type) ?? []), key_id]);
  return removed;
}
