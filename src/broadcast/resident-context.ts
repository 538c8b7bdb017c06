import { type Kysely, sql } from 'kysely';
import type { FlashContext, WaveContext } from '../../flows/types.js';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database>;

interface ContextRow {
  wave: {
    id: string;
    poll: string;
    status: WaveContext['status'];
    open: boolean;
    invited_at: string;
  } | null;
  flash: {
    id: string;
    kind: FlashContext['kind'];
    rsvp: boolean;
    sent_at: string;
    session_at: string | null;
    rsvped: boolean;
  } | null;
}

/**
 * What the flows need to know about broadcasts to this resident, in one round trip: their latest
 * wave (a held invitation does not count yet) and the latest flash or session announcement that
 * reached them (one still held for the night cannot be answered yet). The query is the database
 * function `broadcast_context` (migration 0005), whose plan PostgreSQL keeps between calls.
 */
export async function broadcastContext(
  db: Db,
  residentId: string,
  now: Date,
): Promise<{ wave?: WaveContext; flash?: FlashContext }> {
  const { rows } = await sql<{ context: ContextRow }>`
    select broadcast_context(${residentId}::uuid, ${now}::timestamptz) as context`.execute(db);
  return broadcastContextOf(rows[0]?.context);
}

/** The SQL expression the engine selects together with the resident's row lock (one round trip). */
export function broadcastContextSql(residentColumn: string, now: Date) {
  return sql<unknown>`broadcast_context(${sql.ref(residentColumn)}, ${now}::timestamptz)`;
}

/** Reads what `broadcast_context(…)` returned. */
export function broadcastContextOf(value: unknown): { wave?: WaveContext; flash?: FlashContext } {
  const row = value as ContextRow | null | undefined;
  const out: { wave?: WaveContext; flash?: FlashContext } = {};
  if (row?.wave) {
    const w = row.wave;
    out.wave = { id: w.id, poll: w.poll, status: w.status, open: w.open, invitedAt: iso(w.invited_at) };
  }
  if (row?.flash) {
    const f = row.flash;
    out.flash = {
      id: f.id,
      kind: f.kind,
      rsvp: f.rsvp,
      sentAt: iso(f.sent_at),
      rsvped: f.rsvped,
      ...(f.session_at && { sessionAt: iso(f.session_at) }),
    };
  }
  return out;
}

/** json_build_object writes timestamps without the `Z`; Date reads them back as UTC only with an offset. */
function iso(value: string): string {
  return new Date(/[zZ]|[+-]\d\d(:?\d\d)?$/.test(value) ? value : `${value}Z`).toISOString();
}
