import { type Kysely, sql } from 'kysely';
import type { FlashContext, FlowContext, WaveContext } from '../../flows/types.js';
import type { Database } from '../db/schema.js';
import { LANGUAGES, type Language } from '../domain/language.js';

type Db = Kysely<Database>;

interface FlashRow {
  id: string;
  kind: FlashContext['kind'];
  texts: Record<string, string> | null;
  session_at: string | null;
  sent_at: string;
  rsvped: boolean;
}

interface ContextRow {
  wave: {
    id: string;
    poll: string;
    status: WaveContext['status'];
    open: boolean;
    invited_at: string;
  } | null;
  rsvps: FlashRow[] | null;
  session: { id: string; session_at: string } | null;
}

/** What the flows get to know about the resident's broadcasts. */
export type BroadcastContext = Pick<FlowContext, 'wave' | 'rsvps' | 'session'>;

/**
 * What the flows need to know about broadcasts to this resident, in one round trip: their latest
 * wave (a held invitation does not count yet), every flash or session announcement with an RSVP that
 * reached them and is still open (one still held for the night cannot be answered yet), and the next
 * straatpraat session in their area. The query is the database function `broadcast_context`
 * (migration 0013), whose plan PostgreSQL keeps between calls.
 */
export async function broadcastContext(db: Db, residentId: string, now: Date): Promise<BroadcastContext> {
  const { rows } = await sql<{ context: ContextRow }>`
    select broadcast_context(${residentId}::uuid, ${now}::timestamptz) as context`.execute(db);
  return broadcastContextOf(rows[0]?.context);
}

/** The SQL expression the engine selects together with the resident's row lock (one round trip). */
export function broadcastContextSql(residentColumn: string, now: Date) {
  return sql<unknown>`broadcast_context(${sql.ref(residentColumn)}, ${now}::timestamptz)`;
}

/** Reads what `broadcast_context(…)` returned. */
export function broadcastContextOf(value: unknown): BroadcastContext {
  const row = value as ContextRow | null | undefined;
  const out: BroadcastContext = {};
  if (row?.wave) {
    const w = row.wave;
    out.wave = { id: w.id, poll: w.poll, status: w.status, open: w.open, invitedAt: iso(w.invited_at) };
  }
  if (row?.rsvps?.length) {
    out.rsvps = row.rsvps.map((f) => ({
      id: f.id,
      kind: f.kind,
      rsvp: true,
      sentAt: iso(f.sent_at),
      rsvped: f.rsvped,
      ...(f.session_at && { sessionAt: iso(f.session_at) }),
      ...(f.texts && { texts: textsOf(f.texts) }),
    }));
  }
  if (row?.session) out.session = { id: row.session.id, at: iso(row.session.session_at) };
  return out;
}

function textsOf(texts: Record<string, unknown>): Partial<Record<Language, string>> {
  const out: Partial<Record<Language, string>> = {};
  for (const lang of LANGUAGES) {
    const t = texts[lang];
    if (typeof t === 'string' && t.trim()) out[lang] = t;
  }
  return out;
}

/** json_build_object writes timestamps without the `Z`; Date reads them back as UTC only with an offset. */
function iso(value: string): string {
  return new Date(/[zZ]|[+-]\d\d(:?\d\d)?$/.test(value) ? value : `${value}Z`).toISOString();
}
