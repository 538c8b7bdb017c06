import { type Kysely, sql } from 'kysely';
import type { DeskResults } from '../../flows/desk/types.js';
import type { Poll } from '../../flows/polls/schema.js';
import { MONITOR_READER } from '../../migrations/0008_private_store.js';
import type { Database } from '../db/schema.js';
import { type WaveResults, waveResults } from '../export/wave-results.js';
import { helpCounts } from './help-requests.js';
import { joinStats } from './join-links.js';

/** The figures `/results` shows: counts only, nothing that points at a person. */
export async function deskResults(db: Kysely<Database>, now: Date): Promise<DeskResults> {
  const [residents, help, ideas, joins, waves] = await Promise.all([
    db
      .selectFrom('residents')
      .select([sql<string>`coalesce(area, 'geen')`.as('area'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'active')
      .where('consent_at', 'is not', null)
      .groupBy(sql`coalesce(area, 'geen')`)
      .orderBy(sql`coalesce(area, 'geen')`)
      .execute(),
    helpCounts(db, now),
    db
      .selectFrom('ideas')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .orderBy('status')
      .execute(),
    joinStats(db),
    sql<{ id: string; poll: string; status: string; opens_at: Date; invited: number; finished: number }>`
      select w.id, w.poll, w.status, w.opens_at,
             (select count(*)::int from wave_participants p where p.wave_id = w.id and p.status <> 'held') as invited,
             (select count(*)::int from wave_participants p where p.wave_id = w.id and p.status = 'finished') as finished
      from waves w order by w.opens_at desc limit 5`.execute(db),
  ]);
  return {
    residents: residents.map((r) => ({ area: r.area, n: Number(r.n) })),
    help,
    ideas: ideas.map((r) => ({ status: r.status, n: Number(r.n) })),
    joins: joins.map((j) => ({ source: j.code ? `${j.code} (${j.source})` : j.source, n: j.joins })),
    waves: waves.rows.map((w) => ({
      id: w.id,
      poll: w.poll,
      status: w.status,
      opensAt: new Date(w.opens_at).toISOString(),
      invited: w.invited,
      finished: w.finished,
    })),
  };
}

/**
 * The results of the wave `wave` names (an id, or its first characters when only one wave starts with
 * them) for `/results WAVE`; null when there is none. Read inside the message's transaction as the
 * monitor reader role, like an export: the query cannot touch the identity store.
 */
export async function deskWaveResults(
  db: Kysely<Database>,
  wave: string,
  options: {
    includeRunning: boolean;
    minCell: number;
    polls: ReadonlyMap<string, Poll>;
    pollVersion?: (poll: string, version: number) => Poll | undefined;
  },
): Promise<WaveResults | null> {
  await sql`set local role ${sql.id(MONITOR_READER)}`.execute(db);
  try {
    const { rows } = await sql<{ id: string }>`
      select id::text as id from wave_status where id::text like ${`${wave.replace(/[%_\\]/g, '')}%`} limit 2`.execute(
      db,
    );
    if (rows.length !== 1) return null;
    return (await waveResults(db, rows[0]!.id, options)) ?? null;
  } finally {
    await sql`reset role`.execute(db);
  }
}
