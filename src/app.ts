import type { ServerType } from '@hono/node-server';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { converse } from '../flows/conversation.js';
import { withFloodControl } from '../flows/flood.js';
import { loadTexts } from '../flows/i18n/texts.js';
import type { FlowConfig } from '../flows/types.js';
import { BroadcastWorker } from './broadcast/fanout-worker.js';
import { buildChannels, type ChannelSetup, type RouteGuard } from './channels.js';
import { type Env, officeHoursOf } from './config/env.js';
import { loadNewsTopics } from './config/news-topics.js';
import { loadPollCatalog } from './config/polls.js';
import type { Role } from './config/roles.js';
import { loadServicePoints } from './config/service-points.js';
import { createDb, describePostgres } from './db/connect.js';
import type { Database } from './db/schema.js';
import type { InboundMessage } from './domain/messages.js';
import { QuietHours } from './domain/quiet-hours.js';
import { Engine } from './engine/engine.js';
import { ExportPool } from './export/pool.js';
import { tokenGuard } from './http/api.js';
import { sessionCookie } from './http/auth.js';
import { mountQueueDashboard } from './http/queue-dashboard.js';
import { createHttpApp, createMetricsApp, listen, serverLimits } from './http/server.js';
import { type Logger, logStoreErrors } from './log.js';
import { MediaWorker } from './media/idea-media.js';
import { Metrics } from './metrics.js';
import { LivePolls, POLL_REFRESH_MS } from './polls/live.js';
import { loadPseudonymKey, Pseudonymizer } from './privacy/pseudonym.js';
import { InboundWorkers } from './queue/inbound-worker.js';
import { Ingress } from './queue/ingress.js';
import { OutboundWorker } from './queue/outbound-worker.js';
import { Outbox } from './queue/outbox.js';
import { Queues } from './queue/queues.js';
import { createRedis, describeRedis } from './queue/redis.js';
import { retentionOf } from './scheduler/purge.js';
import { Scheduler } from './scheduler/scheduler.js';
import { prepareStorage } from './storage.js';

export { ROLES, type Role } from './config/roles.js';

export interface AppOptions {
  env: Env;
  log: Logger;
  role?: Role;
  /**
   * Serve HTTP (health, readiness, metrics, API, results page): only roles `ingress` and `all` do;
   * a worker or scheduler serves /metrics alone, and only when METRICS_PORT is set.
   */
  http?: boolean;
  /** The time everything in this process goes by (tests set the hour; default: the system clock). */
  clock?: () => Date;
}

/** A running Straatpraat process. */
export interface App {
  readonly env: Env;
  readonly db: Kysely<Database>;
  readonly redis: Redis;
  readonly queues: Queues;
  readonly ingress: Ingress;
  readonly metrics: Metrics;
  readonly httpPort: number | undefined;
  /** Stops taking work, finishes jobs in flight, closes every connection. Safe to call twice. */
  stop(): Promise<void>;
}

export { prepareStorage } from './storage.js';

/**
 * Version of the consent text in the language files; stored with each resident's consent. Raise it
 * when `consent-ask` changes in what it says: every resident who agreed to an earlier version is
 * asked again on their next message (STOP, HULP, GEGEVENS and VERWIJDER work meanwhile); nee ends
 * their taking part.
 */
export const CONSENT_VERSION = '2026-2';

/** The flows' settings from the environment and the service-points file. */
export function flowConfig(env: Env): FlowConfig {
  return {
    privacyUrl: env.PRIVACY_URL,
    youthReferral: {
      ...(env.YOUTH_REFERRAL_NAME && { name: env.YOUTH_REFERRAL_NAME }),
      ...(env.YOUTH_REFERRAL_URL && { url: env.YOUTH_REFERRAL_URL }),
    },
    consentVersion: CONSENT_VERSION,
    onboardingPoll: env.ONBOARDING_POLL,
    servicePoints: loadServicePoints(env),
    newsTopics: loadNewsTopics(env),
    desk: {
      officeHours: officeHoursOf(env),
      timeZone: env.TIME_ZONE,
      quietHours: { start: env.QUIET_HOURS_START, end: env.QUIET_HOURS_END },
      minCell: env.SUPPRESSION_MIN_CELL,
    },
    messageLogDays: env.MESSAGE_LOG_RETENTION_DAYS,
  };
}

export { loadPollCatalog } from './config/polls.js';

/** The public link of a flash's picture, served by the HTTP server (`/media/flash/{id}`). */
export function flashImageUrl(env: Env, id: string): string {
  const base = env.PUBLIC_URL ?? `http://${env.HTTP_HOST}:${env.HTTP_PORT}`;
  return `${base.replace(/\/+$/, '')}/media/flash/${id}`;
}

/** What the broadcast worker and the scheduler share. */
function workerDeps(env: Env, connection: Redis, db: Kysely<Database>, outbox: Outbox, log: Logger) {
  return { connection, prefix: env.QUEUE_PREFIX, db, outbox, log, lockMs: env.QUEUE_LOCK_MS };
}

export async function startApp(opts: AppOptions): Promise<App> {
  const { env, log } = opts;
  const role = opts.role ?? 'all';
  // Checked before any connection, so a missing key is the one line an operator sees.
  const working = role === 'all' || role === 'worker';
  const pseudonymKey = working ? loadPseudonymKey(env, log) : undefined;
  const context = working
    ? { config: flowConfig(env), texts: loadTexts(), polls: loadPollCatalog() }
    : undefined;
  await prepareStorage(env);

  const db = createDb(env.DATABASE_URL, Math.max(4, env.WORKER_CONCURRENCY + 2), log);
  const redis = createRedis(env.REDIS_URL, { cluster: env.REDIS_CLUSTER });
  redis.on('error', logStoreErrors(log, 'redis connection'));
  const queues = new Queues(redis, env.QUEUE_PREFIX, env.INBOUND_PARTITIONS, (error) =>
    log.debug({ reason: error.message }, 'queue connection error'),
  );
  await queues.init();
  const metrics = new Metrics();
  metrics.watchQueues(queues);
  metrics.watchOutbox(db);
  const ingress = new Ingress(queues);
  const clock = opts.clock ?? (() => new Date());
  const quietHours = new QuietHours(env.QUIET_HOURS_START, env.QUIET_HOURS_END, env.TIME_ZONE);
  const outbox = new Outbox(queues, { quietHours, clock });
  const closers: (() => Promise<unknown>)[] = [];
  // A start that fails half-way (e.g. a channel refusing) closes what it had opened, so a caller
  // that goes on (tests, a supervisor) is not left with workers and connections running.
  try {
    // The polls come from the database (the shipped files were seeded by prepareStorage).
    const livePolls = await LivePolls.load(db);
    const channels = buildChannels({ env, redis, db, log, metrics, queues });
    const senderFor = (connection: Redis, { adapter, send }: ChannelSetup) =>
      new OutboundWorker({
        connection,
        prefix: env.QUEUE_PREFIX,
        adapter,
        db,
        log,
        metrics,
        lockMs: env.QUEUE_LOCK_MS,
        concurrency: send.concurrency,
        ...(send.limiter && { limiter: send.limiter }),
        ...(send.perAddressIntervalMs !== undefined && { perAddressIntervalMs: send.perAddressIntervalMs }),
        ...(send.sendSpacingMs !== undefined && { sendSpacingMs: send.sendSpacingMs }),
        ...(send.sendsPerSecond !== undefined && { sendsPerSecond: send.sendsPerSecond }),
        ...(send.bulkIntervalMs !== undefined && { bulkIntervalMs: send.bulkIntervalMs }),
        ...(send.bulkJitterMs !== undefined && { bulkJitterMs: send.bulkJitterMs }),
        ...(send.gate && { gate: send.gate }),
        imageUrl: (id: string) => flashImageUrl(env, id),
        quietHours,
        clock,
      });

    if (pseudonymKey && context) {
      const pseudonyms = new Pseudonymizer(pseudonymKey);
      const engine = new Engine({
        db,
        pseudonyms,
        flow: withFloodControl(converse),
        context,
        livePolls,
        timeZone: env.TIME_ZONE,
        quietHours,
        clock,
        broadcastQueue: queues.broadcast,
        mediaQueue: queues.media,
      });
      const workerRedis = createRedis(env.REDIS_URL, { cluster: env.REDIS_CLUSTER });
      workerRedis.on('error', logStoreErrors(log, 'redis worker connection'));
      const inbound = new InboundWorkers({
        connection: workerRedis,
        prefix: env.QUEUE_PREFIX,
        partitions: env.INBOUND_PARTITIONS,
        concurrency: env.WORKER_CONCURRENCY,
        batchSize: env.INBOUND_BATCH_SIZE,
        lockMs: env.QUEUE_LOCK_MS,
        engine,
        outbox,
        log,
        metrics,
      });
      // Gated channels (WhatsApp) get their sender where the adapter runs, below.
      const senders = channels.filter((c) => !c.send.gate).map((c) => senderFor(workerRedis, c));
      await Promise.all([inbound.ready(), ...senders.map((s) => s.ready())]);
      closers.push(async () => {
        await Promise.all([inbound.close(), ...senders.map((s) => s.close())]);
        workerRedis.disconnect();
      });
      const broadcasts = new BroadcastWorker({ ...workerDeps(env, workerRedis, db, outbox, log), clock });
      await broadcasts.ready();
      closers.push(() => broadcasts.close());
      // Photos and voice messages kept with ideas: fetched through each channel's adapter (no
      // connection needed), outside the engine's transactions.
      const media = new MediaWorker({
        connection: workerRedis,
        prefix: env.QUEUE_PREFIX,
        db,
        adapters: channels.map((c) => c.adapter),
        log,
        lockMs: env.QUEUE_LOCK_MS,
      });
      await media.ready();
      closers.push(() => media.close());
    }

    if (role === 'all' || role === 'scheduler') {
      const schedulerRedis = createRedis(env.REDIS_URL, { cluster: env.REDIS_CLUSTER });
      schedulerRedis.on('error', logStoreErrors(log, 'redis scheduler connection'));
      const scheduler = await Scheduler.start({
        ...workerDeps(env, schedulerRedis, db, outbox, log),
        queues,
        tickMs: env.SCHEDULER_TICK_MS,
        timeZone: env.TIME_ZONE,
        desk: { officeHours: officeHoursOf(env), timeZone: env.TIME_ZONE },
        retention: retentionOf(env),
        clock,
      });
      closers.push(async () => {
        await scheduler.close();
        schedulerRedis.disconnect();
      });
    }

    if (role === 'all' || role === 'ingress') {
      const sink = async (message: InboundMessage) => {
        await ingress.accept(message);
      };
      const receiving = channels.filter((c) => c.receives);
      // A gated channel sends through the connection its adapter holds in this process, so its
      // outbound worker lives here and runs only while the gate is open.
      const gated = channels.filter((c) => c.send.gate);
      const gatedRedis =
        gated.length > 0 ? createRedis(env.REDIS_URL, { cluster: env.REDIS_CLUSTER }) : undefined;
      gatedRedis?.on('error', logStoreErrors(log, 'redis sender connection'));
      const gatedSenders = gatedRedis ? gated.map((c) => senderFor(gatedRedis, c)) : [];
      await Promise.all(gatedSenders.map((s) => s.ready()));
      await Promise.all(receiving.map((c) => c.adapter.start(sink)));
      // Stopped first on shutdown: no new work comes in while jobs in flight finish. Gated senders
      // close before their adapters, so a message in flight still has its connection.
      closers.push(async () => {
        await Promise.all(gatedSenders.map((s) => s.close()));
        await Promise.all(receiving.map((c) => c.adapter.stop()));
        gatedRedis?.disconnect();
      });
    }

    let server: ServerType | undefined;
    let httpPort: number | undefined;
    // Ends long-lived answers (the web desk's live updates) when the process stops.
    const httpClosing = new AbortController();
    const limits = serverLimits(env);
    if ((opts.http ?? true) && (role === 'all' || role === 'ingress')) {
      const sessions = sessionCookie(env.NODE_ENV);
      // Staff-only pages take the API's tokens or a sign-in session: 401 without, 403 for another role.
      const guard: RouteGuard = tokenGuard(db, sessions);
      // Exports and the results page get connections of their own, under the monitor reader role.
      const exports = new ExportPool({
        databaseUrl: env.EXPORT_DATABASE_URL ?? env.DATABASE_URL,
        size: env.EXPORT_POOL_SIZE,
        statementTimeoutMs: env.EXPORT_TIMEOUT_MS,
        timeZone: env.TIME_ZONE,
        idleTimeoutMs: env.EXPORT_STALL_MS,
        log,
      });
      closers.push(() => exports.close());
      // The codebook and results name the polls: kept up to date like the engine's.
      const refresh = setInterval(() => void livePolls.sync(db).catch(() => {}), POLL_REFRESH_MS * 5);
      refresh.unref();
      closers.push(async () => clearInterval(refresh));
      const deskFlows = context?.config ?? flowConfig(env);
      const app = createHttpApp({
        db,
        redis,
        metrics,
        where: { postgres: describePostgres(env.DATABASE_URL), redis: describeRedis(env.REDIS_URL) },
        api: {
          exports,
          exportLimits: { perToken: env.EXPORT_PER_TOKEN, overall: env.EXPORT_POOL_SIZE },
          exportStallMs: env.EXPORT_STALL_MS,
          minCell: env.SUPPRESSION_MIN_CELL,
          log,
          polls: () => livePolls.current(),
          pollVersions: () => livePolls.catalog.all(),
        },
        sessions,
        channels: channels.filter((c) => c.receives).map((c) => c.adapter),
        desk: {
          closing: httpClosing.signal,
          db,
          outbox,
          texts: context?.texts ?? loadTexts(),
          polls: () => livePolls.current(),
          syncPolls: () => livePolls.sync(db, true),
          config: deskFlows.desk ?? {
            officeHours: officeHoursOf(env),
            timeZone: env.TIME_ZONE,
          },
          secureCookies: sessions.secure,
          newsTopics: deskFlows.newsTopics ?? [],
          clock,
          broadcast: { queue: queues.broadcast, quietHours },
          results: { exports, minCell: env.SUPPRESSION_MIN_CELL },
        },
      });
      for (const channel of channels) channel.routes?.(app, guard);
      mountQueueDashboard(app, { queues, db, requireAdmin: guard.requireRole('admin') });
      ({ server, port: httpPort } = await listen(app, env.HTTP_PORT, env.HTTP_HOST, limits));
    } else if ((opts.http ?? true) && env.METRICS_PORT !== undefined) {
      ({ server, port: httpPort } = await listen(
        createMetricsApp(metrics),
        env.METRICS_PORT,
        env.HTTP_HOST,
        limits,
      ));
    }
    log.info({ role, httpPort }, 'straatpraat started');

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        log.info('stopping: finishing jobs in flight');
        httpClosing.abort();
        if (server) {
          const s = server;
          await new Promise<void>((resolve) => s.close(() => resolve()));
        }
        for (const close of [...closers].reverse()) await close();
        // The shared connection goes first: closed queues have no error listener left, and a Redis
        // that is down would otherwise keep reporting to them while they close.
        redis.disconnect();
        await queues.close();
        await db.destroy();
        log.info('stopped');
      })();
      return stopping;
    };
    return { env, db, redis, queues, ingress, metrics, httpPort, stop };
  } catch (error) {
    for (const close of [...closers].reverse()) await close().catch(() => {});
    redis.disconnect();
    await queues.close().catch(() => {});
    await db.destroy().catch(() => {});
    throw error;
  }
}
