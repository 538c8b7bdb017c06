import { sql } from 'kysely';
import { loadTexts } from '../../flows/i18n/texts.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { type App, CONSENT_VERSION, type Role, startApp } from '../../src/app.js';
import type { BroadcastDeps } from '../../src/broadcast/broadcasts.js';
import { QuietHours } from '../../src/domain/quiet-hours.js';
import { createLogger } from '../../src/log.js';
import { type TestSetup, testSetup } from './env.js';

/**
 * A clock that runs at real speed from a chosen moment, and can be moved: `set` jumps to another
 * moment. BullMQ delays are real milliseconds, so only the hour of day is faked, never the speed.
 */
export class TestClock {
  #offset: number;
  constructor(iso: string) {
    this.#offset = Date.parse(iso) - Date.now();
  }
  readonly now = (): Date => new Date(Date.now() + this.#offset);
  /** Jumps to `iso`; time runs on from there. */
  set(iso: string): void {
    this.#offset = Date.parse(iso) - Date.now();
  }
  /** Real time (ms since the epoch) at which this clock shows `iso`. */
  realTimeOf(iso: string): number {
    return Date.parse(iso) - this.#offset;
  }
}

/** A whole installation in this process with a test clock, for one test file. */
export async function startClockedApp(
  clock: TestClock,
  overrides: Record<string, string> = {},
  role: Role = 'all',
): Promise<{ app: App; setup: TestSetup; deps: BroadcastDeps; stop(): Promise<void> }> {
  const setup = testSetup(overrides);
  const app = await startApp({
    env: setup.env,
    log: createLogger('silent'),
    role,
    clock: clock.now,
    http: false,
  });
  const deps: BroadcastDeps = {
    db: app.db,
    queue: app.queues.broadcast,
    texts: loadTexts(),
    polls: loadPolls(),
    timeZone: setup.env.TIME_ZONE,
    quietHours: new QuietHours(setup.env.QUIET_HOURS_START, setup.env.QUIET_HOURS_END, setup.env.TIME_ZONE),
    clock: clock.now,
  };
  return {
    app,
    setup,
    deps,
    async stop() {
      await app.stop();
      await setup.cleanup();
    },
  };
}

/** A console resident who has joined (consent given), straight into the identity store. */
export interface SeededResident {
  address: string;
  area?: string;
  language?: string;
  status?: 'active' | 'stopped';
  newsOptOut?: boolean;
}

/** Inserts joined console residents; returns their ids by address. */
export async function seedResidents(app: App, residents: SeededResident[]): Promise<Map<string, string>> {
  const rows = await app.db
    .insertInto('residents')
    .values(
      residents.map((r) => ({
        channel: 'console',
        address: r.address,
        language: r.language ?? 'nl',
        area: r.area ?? 'nazareth',
        consent_version: CONSENT_VERSION,
        consent_at: new Date('2026-01-01T10:00:00Z'),
        status: r.status ?? 'active',
        stopped_at: r.status === 'stopped' ? new Date() : null,
        news_opt_out: r.newsOptOut ?? false,
      })),
    )
    .returning(['id', 'address'])
    .execute();
  return new Map(rows.map((r) => [r.address, r.id]));
}

/** Outbound rows of one broadcast per resident address. */
export async function recipientsOf(app: App, broadcastId: string): Promise<string[]> {
  const { rows } = await sql<{ address: string }>`
    select r.address from outbound_messages o join residents r on r.id = o.resident_id
    where o.broadcast_id = ${broadcastId} order by r.address`.execute(app.db);
  return rows.map((r) => r.address);
}
