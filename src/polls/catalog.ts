import { type Kysely, sql, type Transaction } from 'kysely';
import { loadPolls } from '../../flows/polls/catalog.js';
import { type Poll, type PollDefinition, PollSchema } from '../../flows/polls/schema.js';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Where a version came from. */
export type PollSource = 'shipped' | 'cli' | 'desk';

/** One stored version of a poll. */
export interface PollVersionInfo {
  poll: string;
  version: number;
  source: PollSource;
  createdBy: string;
  createdAt: Date;
}

/**
 * Every poll with every version, as read from the database at one moment: `current` has the latest
 * version of each poll (what a new wave gets), `version()` any earlier one (what an open wave pinned).
 */
export class PollCatalog {
  readonly current: ReadonlyMap<string, Poll>;
  readonly #versions: ReadonlyMap<string, Poll>;
  readonly #info: readonly PollVersionInfo[];
  /** The largest `poll_versions.id` read: compared with the database's to see whether this is out of date. */
  readonly counter: string;

  constructor(rows: readonly (PollVersionInfo & { definition: PollDefinition })[], counter: string) {
    const versions = new Map<string, Poll>();
    const current = new Map<string, Poll>();
    for (const row of [...rows].sort((a, b) => a.poll.localeCompare(b.poll) || a.version - b.version)) {
      const poll: Poll = { ...row.definition, id: row.poll, version: row.version };
      versions.set(versionKey(row.poll, row.version), poll);
      current.set(row.poll, poll);
    }
    this.current = current;
    this.#versions = versions;
    this.#info = rows.map(({ definition: _, ...info }) => info);
    this.counter = counter;
  }

  /** One version of a poll, if stored. */
  version(poll: string, version: number): Poll | undefined {
    return this.#versions.get(versionKey(poll, version));
  }

  /** Every version of every poll, by code then version. */
  all(): Poll[] {
    return [...this.#versions.values()];
  }

  /** Where each version came from, by code then version. */
  history(poll?: string): PollVersionInfo[] {
    return this.#info
      .filter((v) => poll === undefined || v.poll === poll)
      .sort((a, b) => a.poll.localeCompare(b.poll) || a.version - b.version);
  }
}

const versionKey = (poll: string, version: number) => `${poll}@${version}`;

/** The database's version counter: the largest `poll_versions.id` (0 with none). */
export async function pollCounter(db: Db): Promise<string> {
  const row = await db
    .selectFrom('poll_versions')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return String(row?.max ?? '0');
}

/** Reads every version of every poll. A stored definition that no longer parses stops with its poll and version. */
export async function loadPollCatalog(db: Db): Promise<PollCatalog> {
  const counter = await pollCounter(db);
  const rows = await db
    .selectFrom('poll_versions')
    .select(['poll', 'version', 'definition', 'source', 'created_by', 'created_at'])
    .where('id', '<=', counter)
    .execute();
  return new PollCatalog(
    rows.map((r) => {
      const parsed = PollSchema.safeParse(r.definition);
      if (!parsed.success) {
        throw new Error(
          `poll ${r.poll} version ${r.version} in the database is not valid: ${parsed.error.message}`,
        );
      }
      return {
        poll: r.poll,
        version: r.version,
        source: r.source as PollSource,
        createdBy: r.created_by,
        createdAt: r.created_at,
        definition: parsed.data,
      };
    }),
    counter,
  );
}

/** What storing a definition did. */
export interface StoredVersion {
  poll: string;
  version: number;
  /** False when the definition equals the latest version already stored: nothing was added. */
  created: boolean;
}

/** Serialises writers of poll versions, so version numbers never race. */
async function lockPolls(tx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('straatpraat:poll-versions'))`.execute(tx);
}

/**
 * Stores a definition as the poll's next version, in the caller's transaction; an unchanged definition
 * (equal as JSON to the version it is compared with) adds nothing. `compareWith` 'latest' compares with
 * the poll's latest version, 'shipped' with its latest version seeded from the file (so a restart does
 * not undo a version someone wrote, and a changed file still adds one).
 */
export async function storePollVersion(
  tx: Transaction<Database>,
  definition: PollDefinition,
  opts: { source: PollSource; actor: string; now?: Date; compareWith?: 'latest' | 'shipped' },
): Promise<StoredVersion> {
  await lockPolls(tx);
  const code = definition.id;
  const json = JSON.stringify(definition);
  await tx
    .insertInto('polls')
    .values({ code, created_by: opts.actor, ...(opts.now && { created_at: opts.now }) })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  let compared = tx
    .selectFrom('poll_versions')
    .select(['version', sql<boolean>`definition = ${json}::jsonb`.as('same')])
    .where('poll', '=', code);
  if (opts.compareWith === 'shipped') compared = compared.where('source', '=', 'shipped');
  const last = await compared.orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (last?.same) return { poll: code, version: last.version, created: false };
  const max = await tx
    .selectFrom('poll_versions')
    .select((eb) => eb.fn.max('version').as('max'))
    .where('poll', '=', code)
    .executeTakeFirst();
  const version = Number(max?.max ?? 0) + 1;
  await tx
    .insertInto('poll_versions')
    .values({
      poll: code,
      version,
      definition: json,
      source: opts.source,
      created_by: opts.actor,
      ...(opts.now && { created_at: opts.now }),
    })
    .execute();
  return { poll: code, version, created: true };
}

/**
 * Seeds the shipped polls (`flows/polls/*.json`) into the database: a poll not stored yet gets version
 * 1, a file that changed since it was last seeded gets a new version, an unchanged one adds nothing.
 * Codes and indicators stay as in the files, so the monitor's series go on. Safe to run from several
 * processes at once.
 */
export async function seedShippedPolls(
  db: Kysely<Database>,
  shipped: ReadonlyMap<string, PollDefinition> = loadPolls(),
): Promise<StoredVersion[]> {
  return db.transaction().execute(async (tx) => {
    const out: StoredVersion[] = [];
    for (const poll of [...shipped.values()].sort((a, b) => a.id.localeCompare(b.id))) {
      out.push(
        await storePollVersion(tx, poll, { source: 'shipped', actor: 'shipped', compareWith: 'shipped' }),
      );
    }
    return out;
  });
}
