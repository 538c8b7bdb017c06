import type { Kysely, Transaction } from 'kysely';
import type { Poll } from '../../flows/polls/schema.js';
import type { Database } from '../db/schema.js';
import { loadPollCatalog, type PollCatalog, pollCounter } from './catalog.js';

type Db = Kysely<Database> | Transaction<Database>;

/** How often a running process asks whether a poll or version was added (ms). */
export const POLL_REFRESH_MS = 1_000;

/**
 * The poll catalog of a running process, loaded at start and kept up to date without a query per
 * message: at most once per `POLL_REFRESH_MS` (per batch of messages) it compares the database's
 * version counter with its own and reloads when another process added a poll or version. A wave
 * pins its version, which the catalog looks up once per wave (waves never change version); a wave
 * whose version it does not know yet makes it reload at once, so a poll written in another process
 * and launched a moment later is never missing.
 */
export class LivePolls {
  #catalog: PollCatalog;
  #checkedAt: number;
  readonly #waveVersions = new Map<string, { poll: string; version: number }>();
  readonly #clock: () => number;

  private constructor(catalog: PollCatalog, clock: () => number) {
    this.#catalog = catalog;
    this.#clock = clock;
    this.#checkedAt = clock();
  }

  static async load(db: Db, clock: () => number = Date.now): Promise<LivePolls> {
    return new LivePolls(await loadPollCatalog(db), clock);
  }

  get catalog(): PollCatalog {
    return this.#catalog;
  }

  /** The latest version of every poll. */
  current(): ReadonlyMap<string, Poll> {
    return this.#catalog.current;
  }

  /** Reloads when the database has a newer counter; checks at most once per POLL_REFRESH_MS unless forced. */
  async sync(db: Db, force = false): Promise<void> {
    const now = this.#clock();
    if (!force && now - this.#checkedAt < POLL_REFRESH_MS) return;
    this.#checkedAt = now;
    const counter = await pollCounter(db);
    if (counter !== this.#catalog.counter) this.#catalog = await loadPollCatalog(db);
  }

  /** One version of a poll, if the catalog has it. */
  version(poll: string, version: number): Poll | undefined {
    return this.#catalog.version(poll, version);
  }

  /**
   * The polls a resident answering `waveId` sees: the current ones, with the wave's poll at the version
   * the wave was launched with.
   */
  async forWave(db: Db, waveId: string): Promise<ReadonlyMap<string, Poll>> {
    let pinned = this.#waveVersions.get(waveId);
    if (!pinned) {
      const row = await db
        .selectFrom('waves')
        .select(['poll', 'poll_version'])
        .where('id', '=', waveId)
        .executeTakeFirst();
      if (!row) return this.current();
      pinned = { poll: row.poll, version: row.poll_version };
      this.#waveVersions.set(waveId, pinned);
    }
    const current = this.current().get(pinned.poll);
    if (current?.version === pinned.version) return this.current();
    let poll = this.#catalog.version(pinned.poll, pinned.version);
    if (!poll) {
      await this.sync(db, true);
      poll = this.#catalog.version(pinned.poll, pinned.version);
      if (!poll) return this.current();
      if (this.current().get(pinned.poll)?.version === pinned.version) return this.current();
    }
    return new Map(this.current()).set(pinned.poll, poll);
  }
}
