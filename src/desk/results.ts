import { type Kysely, sql } from 'kysely';
import type { DeskResults } from '../../flows/desk/types.js';
import type { Database } from '../db/schema.js';
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
    sql<{ poll: string; status: string; opens_at: Date; invited: number; finished: number }>`
      select w.poll, w.status, w.opens_at,
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
      poll: w.poll,
      status: w.status,
      opensAt: new Date(w.opens_at).toISOString(),
      invited: w.invited,
      finished: w.finished,
    })),
  };
}
