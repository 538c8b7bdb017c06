import type { Kysely } from 'kysely';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from './db/schema.js';
import { outboxBacklog } from './queue/outbox-ops.js';
import type { Queues } from './queue/queues.js';

/**
 * The Prometheus metrics of one process: the jobs and messages below, and prom-client's default
 * process metrics (CPU, memory, event-loop lag, garbage collection, open handles) under the same
 * `straatpraat_` prefix.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly processed = new Counter({
    name: 'straatpraat_jobs_processed_total',
    help: 'Jobs finished successfully, per queue.',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });
  readonly failed = new Counter({
    name: 'straatpraat_jobs_failed_total',
    help: 'Job attempts that failed, per queue.',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'straatpraat_job_duration_seconds',
    help: 'Time spent processing one job, per queue.',
    labelNames: ['queue'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly sent = new Counter({
    name: 'straatpraat_messages_sent_total',
    help: 'Outbound messages delivered to the platform, per channel and kind (reply, bulk).',
    labelNames: ['channel', 'kind'] as const,
    registers: [this.registry],
  });
  readonly sendFailures = new Counter({
    name: 'straatpraat_send_failures_total',
    help: 'Outbound send attempts that failed, per channel and whether they will be retried.',
    labelNames: ['channel', 'retryable'] as const,
    registers: [this.registry],
  });
  readonly whatsappRefusals = new Counter({
    name: 'straatpraat_whatsapp_refusals_total',
    help: 'WhatsApp messages refused after sending (linked number), per code: 463 reach-out time-lock, 479 and others. A rise warns of a coming ban.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly whatsappCloudBulkPaused = new Counter({
    name: 'straatpraat_whatsapp_cloud_bulk_paused_total',
    help: 'Times the WhatsApp Cloud API answered with its spam rate limit (131048) and bulk paused for an hour. Any rise needs a look at the quality rating.',
    registers: [this.registry],
  });
  readonly replyLatency = new Histogram({
    name: 'straatpraat_inbound_to_reply_seconds',
    help: 'Time from a resident message being handled to its reply being delivered, per channel.',
    labelNames: ['channel'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'straatpraat_' });
  }

  /** Adds a queue-depth gauge read from Redis at scrape time. */
  watchQueues(queues: Queues): void {
    new Gauge({
      name: 'straatpraat_queue_depth',
      help: 'Jobs per queue and state (waiting, active, delayed, failed).',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        const counts = await Promise.all(
          queues
            .all()
            .map(
              async (q) =>
                [
                  q.name,
                  await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'),
                ] as const,
            ),
        );
        this.reset();
        for (const [name, c] of counts) {
          this.set({ queue: name, state: 'waiting' }, (c.waiting ?? 0) + (c.prioritized ?? 0));
          this.set({ queue: name, state: 'active' }, c.active ?? 0);
          this.set({ queue: name, state: 'delayed' }, c.delayed ?? 0);
          this.set({ queue: name, state: 'failed' }, c.failed ?? 0);
        }
      },
    });
  }

  /**
   * Adds the outbox's backlog per channel, read from PostgreSQL at scrape time: replies the engine
   * stored and a fan-out's messages wait there instead of in a queue, so the queue depth alone
   * misses them.
   */
  watchOutbox(db: Kysely<Database>): void {
    new Gauge({
      name: 'straatpraat_outbox_depth',
      help: 'Messages in the outbox per channel, kind (reply, or bulk: a broadcast) and state (waiting, claimed by a sender, failed in the last 3 days).',
      labelNames: ['channel', 'kind', 'state'] as const,
      registers: [this.registry],
      async collect() {
        // PostgreSQL away: no outbox series, the rest of the scrape still answers.
        const backlog = await outboxBacklog(db).catch(() => []);
        this.reset();
        for (const b of backlog) {
          for (const [kind, counts] of [
            ['reply', b.replies],
            ['bulk', b.broadcasts],
          ] as const) {
            for (const state of ['waiting', 'claimed', 'failed'] as const)
              this.set({ channel: b.channel, kind, state }, counts[state]);
          }
        }
      },
    });
  }
}
