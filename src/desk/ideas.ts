import { type Kysely, sql } from 'kysely';
import type { IdeaStatus, IdeaView } from '../../flows/desk/types.js';
import type { Database } from '../db/schema.js';
import { type Language, LanguageSchema } from '../domain/language.js';
import type { Area } from '../domain/resident.js';

// Ideas as the wijkteam handles them: listed by number, area, theme, date and text, and
// answered through the bot. The link to the resident stays inside these queries.

type Db = Kysely<Database>;

/** Statuses of ideas still being worked on; `/ideas` without a status lists these. */
const OPEN_IDEA_STATUSES: IdeaStatus[] = ['nieuw', 'bekeken', 'gepland'];

const isRowId = (id: string) => /^\d{1,18}$/.test(id);

function ideas(db: Db) {
  return db
    .selectFrom('ideas as i')
    .leftJoin('residents as r', 'r.id', 'i.resident_id')
    .select((eb) => [
      'i.id',
      'i.text',
      'i.theme',
      'i.area',
      'i.status',
      'i.created_at',
      'i.language',
      'r.status as resident_status',
      eb
        .selectFrom('idea_replies as x')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('x.idea_id', '=', 'i.id')
        .as('replies'),
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof ideas>['executeTakeFirstOrThrow']>>;

function viewOf(r: Row): IdeaView {
  const language = LanguageSchema.safeParse(r.language);
  return {
    id: String(r.id),
    text: r.text,
    theme: r.theme,
    area: r.area,
    status: r.status,
    createdAt: new Date(r.created_at).toISOString(),
    language: language.success ? language.data : ('nl' as Language),
    reachable: r.resident_status === 'active',
    replies: Number(r.replies ?? 0),
  };
}

/**
 * A page of the newest ideas with a status (or still open ones), in an area or all, newest first,
 * after `after` when given; `more` says whether another page follows.
 */
export async function listIdeas(
  db: Db,
  filter: { status?: IdeaStatus; area?: Area; after?: { id: string; createdAt: string } } = {},
  limit = 20,
): Promise<{ ideas: IdeaView[]; more: boolean }> {
  let query = ideas(db).where('i.status', 'in', filter.status ? [filter.status] : OPEN_IDEA_STATUSES);
  if (filter.area) query = query.where('i.area', '=', filter.area);
  const after = filter.after;
  if (after && isRowId(after.id)) {
    const at = new Date(after.createdAt);
    // The stored time of the last idea shown, to the microsecond; the cursor's own (milliseconds) when
    // that idea was erased meanwhile.
    query = query.where(
      sql<boolean>`(i.created_at, i.id) < (coalesce((select x.created_at from ideas x where x.id = ${after.id}::bigint), ${at}::timestamptz), ${after.id}::bigint)`,
    );
  }
  const rows = await query
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(limit + 1)
    .execute();
  return { ideas: rows.slice(0, limit).map(viewOf), more: rows.length > limit };
}

/** What `straatpraat ideas list` filters on; every filter given must match. */
export interface IdeaFilter {
  /** One status; without it, the ideas still being worked on (nieuw, bekeken, gepland). */
  status?: IdeaStatus;
  area?: string;
  /** Words in the idea's (scrubbed) text, case-insensitive. */
  search?: string;
  limit?: number;
}

/** Ideas matching a filter, newest first. */
export async function findIdeas(db: Db, filter: IdeaFilter): Promise<IdeaView[]> {
  let query = ideas(db)
    .where('i.status', 'in', filter.status ? [filter.status] : OPEN_IDEA_STATUSES)
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(filter.limit ?? 100);
  if (filter.area) query = query.where('i.area', '=', filter.area);
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where('i.text', 'ilike', pattern);
  }
  return (await query.execute()).map(viewOf);
}

/** What the web desk's idea list filters on; every part optional. */
export interface IdeaFilter {
  status?: IdeaStatus;
  area?: string;
  theme?: string;
  /** Words in the idea's text (case does not matter). */
  search?: string;
}

/** One page of ideas matching a filter, newest first, and how many match in all. */
export async function searchIdeas(
  db: Db,
  filter: IdeaFilter,
  page: { offset: number; limit: number },
): Promise<{ ideas: IdeaView[]; total: number }> {
  let query = ideas(db);
  let count = db.selectFrom('ideas as i').select((eb) => eb.fn.countAll<number>().as('n'));
  const words = (filter.search ?? '')
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, 8);
  for (const [column, value] of [
    ['i.status', filter.status],
    ['i.area', filter.area],
    ['i.theme', filter.theme],
  ] as const) {
    if (value === undefined) continue;
    query = query.where(column, '=', value);
    count = count.where(column, '=', value);
  }
  for (const word of words) {
    const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where('i.text', 'ilike', pattern);
    count = count.where('i.text', 'ilike', pattern);
  }
  const [rows, total] = await Promise.all([
    query
      .orderBy('i.created_at', 'desc')
      .orderBy('i.id', 'desc')
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
    count.executeTakeFirstOrThrow(),
  ]);
  return { ideas: rows.map(viewOf), total: Number(total.n) };
}

/** One idea by number; undefined when there is none. */
export async function ideaView(db: Db, id: string): Promise<IdeaView | undefined> {
  if (!isRowId(id)) return undefined;
  const row = await ideas(db).where('i.id', '=', id).executeTakeFirst();
  return row ? viewOf(row) : undefined;
}

/** Sets an idea's status; returns its author (for the message), null when erased, undefined when missing. */
export async function setIdeaStatus(
  db: Db,
  id: string,
  status: IdeaStatus,
  now: Date,
): Promise<{ residentId: string | null } | undefined> {
  if (!isRowId(id)) return undefined;
  const row = await db
    .updateTable('ideas')
    .set({ status, updated_at: now })
    .where('id', '=', id)
    .returning('resident_id')
    .executeTakeFirst();
  return row ? { residentId: row.resident_id } : undefined;
}

/** Stores a staff reply to an idea; returns its author as setIdeaStatus does. */
export async function addIdeaReply(
  db: Db,
  id: string,
  staffId: number,
  text: string,
  now: Date,
): Promise<{ residentId: string | null } | undefined> {
  if (!isRowId(id)) return undefined;
  const idea = await db.selectFrom('ideas').select('resident_id').where('id', '=', id).executeTakeFirst();
  if (!idea) return undefined;
  await db
    .insertInto('idea_replies')
    .values({ idea_id: id, staff_id: staffId, text: text.slice(0, 2000), created_at: now })
    .execute();
  await db.updateTable('ideas').set({ updated_at: now }).where('id', '=', id).execute();
  return { residentId: idea.resident_id };
}
