import type { StaffRole } from '../../flows/desk/types.js';
import type { App } from '../../src/app.js';
import { CONSENT_VERSION } from '../../src/app.js';
import { addStaff } from '../../src/desk/staff.js';
import { consoleInbox, consoleMessage, startTestApp } from './app.js';
import { eventually } from './env.js';

/**
 * Talks to the in-process app as console users: `send` queues lines like the chat simulator does and
 * returns what came back to that user once every line is handled and its replies are delivered.
 */
export class ConsoleUsers {
  readonly #app: App;
  /** Everything each user was shown through `send`, for privacy scans. */
  readonly shown = new Map<string, string[]>();

  constructor(app: App) {
    this.#app = app;
  }

  /** Sends lines as `address`, in order; returns the new messages in that user's inbox. */
  async send(address: string, ...lines: string[]): Promise<string[]> {
    const before = (await consoleInbox(this.#app, address)).length;
    const jobs = [];
    for (const line of lines) jobs.push(await this.#app.ingress.accept(consoleMessage(address, line)));
    for (const { partition, jobId } of jobs) {
      await eventually(
        async () => {
          const job = await this.#app.queues.inbound(partition).getJob(jobId);
          // A finished inbound job is removed at once; a failed one stays for a while.
          if (!job) return true;
          const state = await job.getState();
          if (state === 'failed') throw new Error(`inbound job failed: ${job.failedReason}`);
          return state === 'completed' || state === 'unknown';
        },
        20_000,
        `"${lines.join(' / ')}" from ${address} to be handled`,
      );
    }
    await this.delivered(address);
    const inbox = await consoleInbox(this.#app, address);
    const fresh = inbox.slice(before);
    this.shown.set(address, [...(this.shown.get(address) ?? []), ...fresh]);
    return fresh;
  }

  /** Waits until nothing is waiting to be sent to `address`. */
  async delivered(address: string): Promise<void> {
    await eventually(
      async () => {
        const row = await this.#app.db
          .selectFrom('outbound_messages as o')
          .innerJoin('residents as r', 'r.id', 'o.resident_id')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('r.channel', '=', 'console')
          .where('r.address', '=', address)
          .where('o.status', '=', 'queued')
          .executeTakeFirstOrThrow();
        return Number(row.n) === 0;
      },
      20_000,
      `messages to ${address} to be delivered`,
    );
  }

  /** A user's whole inbox. */
  inbox(address: string): Promise<string[]> {
    return consoleInbox(this.#app, address);
  }
}

/** Adds residents who have joined (consent given), straight into the identity store. */
/**
 * The whole app for the chat desk's tests, with these staff members on the console channel: quiet
 * hours off, no onboarding poll, the scheduler every 500 ms.
 */
export async function startDeskApp(
  staff: { user: string; name: string; role?: StaffRole }[],
): ReturnType<typeof startTestApp> {
  const started = await startTestApp({
    QUIET_HOURS_START: '00:00',
    QUIET_HOURS_END: '00:00',
    ONBOARDING_POLL: 'false',
    SCHEDULER_TICK_MS: '500',
  });
  const now = new Date();
  for (const { user, name, role = 'wijkteam' } of staff)
    await addStaff(started.app.db, { channel: 'console', user, role, name }, 'cli', now);
  return started;
}

export async function seedResidents(
  app: App,
  residents: {
    address: string;
    area: string;
    /** Dutch when missing. */
    language?: string;
    status?: 'active' | 'stopped';
    newsOptOut?: boolean;
  }[],
): Promise<void> {
  await app.db
    .insertInto('residents')
    .values(
      residents.map((r) => ({
        channel: 'console',
        address: r.address,
        language: r.language ?? 'nl',
        area: r.area,
        consent_version: CONSENT_VERSION,
        consent_at: new Date(),
        status: r.status ?? 'active',
        stopped_at: r.status === 'stopped' ? new Date() : null,
        news_opt_out: r.newsOptOut ?? false,
      })),
    )
    .execute();
}
