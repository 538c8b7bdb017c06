import { type Kysely, sql } from 'kysely';
import { flaggedNotice, newRequestsNotice } from '../../flows/desk/help-requests.js';
import type { DeskConfig, HelpRequestView } from '../../flows/desk/types.js';
import type { Texts } from '../../flows/i18n/texts.js';
import type { Database } from '../db/schema.js';
import { HELP_SUBJECT, HELP_TEXT } from '../db/sealed-columns.js';
import { type Language, LanguageSchema } from '../domain/language.js';
import { isOfficeOpen, oneWorkingDayAfter } from '../domain/office-hours.js';
import { AreaSchema } from '../domain/resident.js';
import { MAX_FREE_TEXT, scrub } from '../privacy/scrub.js';
import { seal, unseal, unsealNullable } from '../privacy/sealed.js';
import type { OutboundJob } from '../queue/payloads.js';
import { deliverTo, residentOfStaff } from './deliver.js';

// Help requests are identity store: they hang off the resident (erased with them), are
// read only by the wijkteam through the desk, and closed ones are erased after 30 days. The subject is
// scrubbed because every staff member sees it in the inbox; what the resident writes afterwards is
// kept as written, because it is meant for the person who helps them. Subject and conversation are
// sealed with the data key (src/privacy/sealed.ts): a copy of the database does not show them.

type Db = Kysely<Database>;
const DAY_MS = 86_400_000;

interface ViewRow {
  id: string;
  status: string;
  area: string | null;
  subject: Buffer | null;
  created_at: Date;
  due_at: Date;
  flagged_at: Date | null;
  taken_by: number | null;
  staff_name: string | null;
  language: string | null;
  resident_status: string;
}

function viewOf(r: ViewRow): HelpRequestView {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  const area = AreaSchema.safeParse(r.area);
  const language = LanguageSchema.safeParse(r.language);
  return {
    id: String(r.id),
    status: r.status === 'taken' || r.status === 'closed' ? r.status : 'open',
    area: area.success ? area.data : null,
    subject: unsealNullable(r.subject, HELP_SUBJECT),
    createdAt: iso(r.created_at)!,
    dueAt: iso(r.due_at)!,
    flaggedAt: iso(r.flagged_at),
    takenBy: r.taken_by === null ? null : { id: r.taken_by, name: r.staff_name },
    language: language.success ? language.data : ('nl' as Language),
    reachable: r.resident_status === 'active',
  };
}

function views(db: Db) {
  return db
    .selectFrom('help_requests as h')
    .innerJoin('residents as r', 'r.id', 'h.resident_id')
    .leftJoin('staff as s', 's.id', 'h.taken_by')
    .select([
      'h.id',
      'h.status',
      'h.area',
      'h.subject',
      'h.created_at',
      'h.due_at',
      'h.flagged_at',
      'h.taken_by',
      's.name as staff_name',
      'r.language',
      'r.status as resident_status',
    ]);
}

const isRowId = (id: string) => /^\d{1,18}$/.test(id);

/** Requests that are not closed: flagged first, then oldest first. */
export async function openHelpRequests(db: Db, limit = 50): Promise<HelpRequestView[]> {
  const rows = await views(db)
    .where('h.status', '<>', 'closed')
    .orderBy(sql`h.flagged_at is null`)
    .orderBy('h.created_at')
    .limit(limit)
    .execute();
  return rows.map(viewOf);
}

/** The inbox views of the web desk. */
export const INBOX_VIEWS = ['open', 'mine', 'flagged', 'closed'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

/**
 * Requests for one inbox view, oldest first: `open` is everything not closed, `mine` what `staffId`
 * took, `flagged` what nobody took for a working day, `closed` the closed ones (until they are erased).
 */
export async function listHelpRequests(
  db: Db,
  view: InboxView,
  staffId: number,
  limit = 200,
): Promise<HelpRequestView[]> {
  let query = views(db);
  if (view === 'closed') query = query.where('h.status', '=', 'closed');
  else query = query.where('h.status', '<>', 'closed');
  if (view === 'mine') query = query.where('h.taken_by', '=', staffId);
  if (view === 'flagged') query = query.where('h.status', '=', 'open').where('h.flagged_at', 'is not', null);
  const rows = await query.orderBy('h.created_at').orderBy('h.id').limit(limit).execute();
  return rows.map(viewOf);
}

/**
 * How the inbox stands: requests waiting for someone (open, nobody took them), and a mark that
 * changes whenever a request comes in, changes hands or state, or gets a message. The live updates
 * of the web desk compare marks; the mark holds no content.
 */
export async function inboxState(db: Db): Promise<{ waiting: number; mark: string }> {
  const { rows } = await sql<{ waiting: number; requests: string; messages: string }>`
    select
      (select count(*)::int from help_requests where status = 'open') as waiting,
      (select coalesce(max(id), 0) || ':' || count(*) || ':' ||
         coalesce(sum(hashtext(status || coalesce(taken_by::text, '') || coalesce(flagged_at::text, ''))), 0)
         from help_requests) as requests,
      (select coalesce(max(id), 0) || ':' || count(*) from help_messages) as messages`.execute(db);
  const r = rows[0]!;
  return { waiting: r.waiting, mark: `${r.requests}/${r.messages}` };
}

/** One request, with its conversation when asked; undefined when there is none with that number. */
export async function helpRequestView(
  db: Db,
  id: string,
  withMessages = false,
): Promise<HelpRequestView | undefined> {
  if (!isRowId(id)) return undefined;
  const row = await views(db).where('h.id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const view = viewOf(row);
  if (withMessages) {
    const messages = await db
      .selectFrom('help_messages as m')
      .leftJoin('staff as s', 's.id', 'm.staff_id')
      .select(['m.author', 'm.text', 'm.created_at', 's.name'])
      .where('m.request_id', '=', id)
      .orderBy('m.id')
      .execute();
    view.messages = messages.map((m) => ({
      author: m.author === 'staff' ? 'staff' : 'resident',
      staffName: m.name,
      text: unseal(m.text, HELP_TEXT),
      at: new Date(m.created_at).toISOString(),
    }));
  }
  return view;
}

/** The resident's request that is not closed, if any. */
export async function ownOpenHelpRequest(db: Db, residentId: string): Promise<HelpRequestView | null> {
  const row = await views(db)
    .where('h.resident_id', '=', residentId)
    .where('h.status', '<>', 'closed')
    .executeTakeFirst();
  return row ? viewOf(row) : null;
}

/**
 * Opens a request for a resident, due one working day from now. A resident with a request still open
 * gets no second one: the subject is added to the open one as a message instead.
 */
export async function openHelpRequest(
  db: Db,
  input: { residentId: string; subject?: string; area: string | null },
  config: DeskConfig,
  now: Date,
): Promise<{ id: string; created: boolean }> {
  const subject = input.subject ? scrub(input.subject).slice(0, MAX_FREE_TEXT) : null;
  const existing = await db
    .selectFrom('help_requests')
    .select('id')
    .where('resident_id', '=', input.residentId)
    .where('status', '<>', 'closed')
    .executeTakeFirst();
  if (existing) {
    if (input.subject) await addResidentMessage(db, existing.id, input.residentId, input.subject, now);
    return { id: String(existing.id), created: false };
  }
  const row = await db
    .insertInto('help_requests')
    .values({
      resident_id: input.residentId,
      subject: subject ? seal(subject, HELP_SUBJECT) : null,
      area: input.area,
      created_at: now,
      due_at: oneWorkingDayAfter(config.officeHours, now, config.timeZone),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: String(row.id), created: true };
}

/**
 * Adds a resident's message to their own open request. Returns the staff member who took it (to
 * relay it to), null when nobody has, or undefined when the request is not theirs or closed.
 */
export async function addResidentMessage(
  db: Db,
  requestId: string,
  residentId: string,
  text: string,
  now: Date,
): Promise<{ takenBy: number | null } | undefined> {
  if (!isRowId(requestId)) return undefined;
  const request = await db
    .selectFrom('help_requests')
    .select(['taken_by'])
    .where('id', '=', requestId)
    .where('resident_id', '=', residentId)
    .where('status', '<>', 'closed')
    .executeTakeFirst();
  if (!request) return undefined;
  await db
    .insertInto('help_messages')
    .values({
      request_id: requestId,
      author: 'resident',
      text: seal(text.slice(0, MAX_FREE_TEXT), HELP_TEXT),
      created_at: now,
    })
    .execute();
  return { takenBy: request.taken_by };
}

/** A staff member takes a request (or takes it over); false when it is closed or missing. */
export async function takeHelpRequest(
  db: Db,
  requestId: string,
  staffId: number,
  now: Date,
): Promise<boolean> {
  if (!isRowId(requestId)) return false;
  const result = await db
    .updateTable('help_requests')
    .set({ status: 'taken', taken_by: staffId, taken_at: now })
    .where('id', '=', requestId)
    .where('status', '<>', 'closed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Stores a staff member's message on a request, which is theirs from now on (the resident's answers
 * go to whoever wrote last). Returns the resident to deliver it to, or undefined when closed or missing.
 */
export async function addStaffReply(
  db: Db,
  requestId: string,
  staffId: number,
  text: string,
  now: Date,
): Promise<{ residentId: string } | undefined> {
  if (!isRowId(requestId)) return undefined;
  const row = await db
    .updateTable('help_requests')
    .set((eb) => ({
      status: 'taken',
      taken_by: staffId,
      taken_at: eb.fn.coalesce('taken_at', eb.val(now)),
      first_answered_at: eb.fn.coalesce('first_answered_at', eb.val(now)),
    }))
    .where('id', '=', requestId)
    .where('status', '<>', 'closed')
    .returning('resident_id')
    .executeTakeFirst();
  if (!row) return undefined;
  await db
    .insertInto('help_messages')
    .values({
      request_id: requestId,
      author: 'staff',
      staff_id: staffId,
      text: seal(text.slice(0, 2000), HELP_TEXT),
      created_at: now,
    })
    .execute();
  return { residentId: row.resident_id };
}

/** Closes a request; returns its resident, or undefined when it was closed already or is missing. */
export async function closeHelpRequest(
  db: Db,
  requestId: string,
  now: Date,
): Promise<{ residentId: string } | undefined> {
  if (!isRowId(requestId)) return undefined;
  const row = await db
    .updateTable('help_requests')
    .set({ status: 'closed', closed_at: now })
    .where('id', '=', requestId)
    .where('status', '<>', 'closed')
    .returning('resident_id')
    .executeTakeFirst();
  return row ? { residentId: row.resident_id } : undefined;
}

/**
 * Flags requests nobody has taken a working day after they were opened (a person must never stay unanswered
 * in silence). Idempotent; meant for the scheduler's tick. Returns the numbers flagged now.
 */
export async function flagOverdueHelpRequests(db: Db, now: Date): Promise<string[]> {
  const rows = await db
    .updateTable('help_requests')
    .set({ flagged_at: now })
    .where('status', '=', 'open')
    .where('flagged_at', 'is', null)
    .where('due_at', '<=', now)
    .returning('id')
    .execute();
  return rows.map((r) => String(r.id));
}

/**
 * Tells every wijkteam member in the chat which requests were just flagged, one message each, so a
 * request waiting too long does not depend on someone opening the inbox. Returns the jobs to queue
 * after commit; staff who said STOP get nothing.
 */
export async function notifyStaffOfFlagged(
  db: Db,
  texts: Texts,
  ids: readonly string[],
  now: Date,
): Promise<OutboundJob[]> {
  if (ids.length === 0) return [];
  const staff = await db
    .selectFrom('staff')
    .select('id')
    .where('role', '=', 'wijkteam')
    .orderBy('id')
    .execute();
  const jobs: OutboundJob[] = [];
  for (const member of staff) {
    const residentId = await residentOfStaff(db, member.id);
    if (!residentId) continue;
    const resident = await db
      .selectFrom('residents')
      .select('language')
      .where('id', '=', residentId)
      .executeTakeFirst();
    const lang = resident?.language === 'en' ? 'en' : 'nl';
    const text = flaggedNotice({ texts }, lang, ids);
    const job = await deliverTo(db, residentId, { kind: 'text', text }, { inboundId: null, seq: 0, now });
    if (job) jobs.push(job);
  }
  return jobs;
}

/** A message to one staff member about new help requests. */
export interface StaffNotice {
  residentId: string;
  text: string;
}

/**
 * Tells the wijkteam of new help requests, one chat message per staff member listing them: wijkteam
 * members of the request's area (or of every area) and admins. Only in office hours (closed days
 * count as closed); outside them nothing happens and the scheduler's tick tells them when office
 * hours start. Each request is told once (`notified_at`). With `ids`, only those requests (the one
 * just opened); without, every request not yet told (the tick). Returns the messages to deliver.
 */
export async function noticesOfNewHelpRequests(
  db: Db,
  texts: Texts,
  config: DeskConfig,
  now: Date,
  ids?: readonly string[],
): Promise<StaffNotice[]> {
  if (ids?.length === 0 || !isOfficeOpen(config.officeHours, now, config.timeZone)) return [];
  let query = db
    .selectFrom('help_requests')
    .select(['id', 'area'])
    .where('notified_at', 'is', null)
    .where('status', '<>', 'closed')
    .orderBy('id')
    .forUpdate()
    .skipLocked();
  if (ids) query = query.where('id', 'in', [...ids]);
  const requests = await query.execute();
  if (requests.length === 0) return [];
  await db
    .updateTable('help_requests')
    .set({ notified_at: now })
    .where(
      'id',
      'in',
      requests.map((r) => r.id),
    )
    .execute();
  const staff = await db
    .selectFrom('staff')
    .select(['id', 'role', 'area'])
    .where('role', 'in', ['wijkteam', 'admin'])
    .orderBy('id')
    .execute();
  const notices: StaffNotice[] = [];
  for (const member of staff) {
    // A member with an area hears of that area's requests, and of those with no neighbourhood.
    const theirs = requests.filter(
      (r) =>
        member.role === 'admin' ||
        member.area === null ||
        r.area === member.area ||
        (r.area !== 'nazareth' && r.area !== 'pottenberg'),
    );
    if (theirs.length === 0) continue;
    const residentId = await residentOfStaff(db, member.id);
    if (!residentId) continue;
    const resident = await db
      .selectFrom('residents')
      .select('language')
      .where('id', '=', residentId)
      .executeTakeFirst();
    const lang = resident?.language === 'en' ? 'en' : 'nl';
    const items = theirs.map((r) => {
      const area = AreaSchema.safeParse(r.area);
      return { id: String(r.id), area: area.success ? area.data : null };
    });
    notices.push({ residentId, text: newRequestsNotice({ texts }, lang, items) });
  }
  return notices;
}

/** The tick's part: notices of requests that came in while the office was closed, as jobs to queue. */
export async function notifyStaffOfNewHelpRequests(
  db: Db,
  texts: Texts,
  config: DeskConfig,
  now: Date,
): Promise<OutboundJob[]> {
  const jobs: OutboundJob[] = [];
  for (const notice of await noticesOfNewHelpRequests(db, texts, config, now)) {
    const job = await deliverTo(
      db,
      notice.residentId,
      { kind: 'text', text: notice.text },
      { inboundId: null, seq: 0, now },
    );
    if (job) jobs.push(job);
  }
  return jobs;
}

/** Erases requests closed more than `days` ago, conversation and all; returns how many. */
export async function purgeClosedHelpRequests(db: Db, now: Date, days = 30): Promise<number> {
  const result = await db
    .deleteFrom('help_requests')
    .where('status', '=', 'closed')
    .where('closed_at', '<', new Date(now.getTime() - days * DAY_MS))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Counts for the results (context for `toegang_hulp`): no content, no identity. */
export interface HelpCounts {
  days: number;
  opened: number;
  /** Opened in the period and first answered within one working day. */
  answeredWithinDay: number;
  open: number;
  flagged: number;
}

/** Help-request counts over the last `days` days, and what is open now. */
export async function helpCounts(db: Db, now: Date, days = 30): Promise<HelpCounts> {
  const since = new Date(now.getTime() - days * DAY_MS);
  const { rows } = await sql<{ opened: number; answered: number; open: number; flagged: number }>`
    select
      count(*) filter (where created_at >= ${since})::int as opened,
      count(*) filter (where created_at >= ${since} and first_answered_at <= due_at)::int as answered,
      count(*) filter (where status <> 'closed')::int as open,
      count(*) filter (where status = 'open' and flagged_at is not null)::int as flagged
    from help_requests`.execute(db);
  const r = rows[0];
  return {
    days,
    opened: r?.opened ?? 0,
    answeredWithinDay: r?.answered ?? 0,
    open: r?.open ?? 0,
    flagged: r?.flagged ?? 0,
  };
}
