import type { Server } from 'node:http';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Redis } from 'ioredis';
import { type Kysely, sql } from 'kysely';
import type { ChannelAdapter } from '../../adapters/channel.js';
import type { Database } from '../db/schema.js';
import { flashImage } from '../media/flash-images.js';
import type { Metrics } from '../metrics.js';
import { type ApiDeps, mountApi } from './api.js';
import type { SessionCookie } from './auth.js';
import { type DeskDeps, mountDesk } from './desk/index.js';
import { deskCookies } from './desk/session.js';
import { protect } from './protect.js';
import { mountResults } from './results.js';

export interface HttpDeps {
  db: Kysely<Database>;
  redis: Redis;
  metrics: Metrics;
  /** Where PostgreSQL and Redis are, for the readiness answer. */
  where: { postgres: string; redis: string };
  /** Exports, aggregates and the results page (`/api/*`, `/results`); not served when left out. */
  api?: Omit<ApiDeps, 'db'>;
  /** The cookie of browser sign-ins (`sessionCookie(env.NODE_ENV)`). */
  sessions: SessionCookie;
  /** Channels whose `health` goes into the readiness answer (e.g. Telegram's webhook state). */
  channels?: readonly Pick<ChannelAdapter, 'name' | 'health'>[];
  /** The web desk (`/desk`); not served when left out. */
  desk?: DeskDeps;
}

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref()),
  ]);

/** Prometheus metrics, the one route a worker or scheduler serves (on `METRICS_PORT`, when set). */
export function createMetricsApp(metrics: Metrics): Hono {
  const app = new Hono();
  protect(app);
  mountMetrics(app, metrics);
  return app;
}

function mountMetrics(app: Hono, metrics: Metrics): void {
  app.get('/metrics', async (c) => {
    const text = await metrics.registry.metrics();
    return c.text(text, 200, { 'content-type': metrics.registry.contentType });
  });
}

/**
 * The HTTP routes of a receiving process (roles `ingress` and `all`): health, readiness, metrics,
 * the API, the results page and the web desk; channels and the queue dashboard mount more. Every route is behind
 * `protect` (body limits, same-origin posts).
 */
export function createHttpApp(deps: HttpDeps): Hono {
  const app = new Hono();
  protect(app);
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const [postgres, redis] = await Promise.all([
      withTimeout(sql`select 1`.execute(deps.db), 2_000).then(
        () => 'ok',
        () => 'unreachable',
      ),
      withTimeout(deps.redis.ping(), 2_000).then(
        () => 'ok',
        () => 'unreachable',
      ),
    ]);
    const down = [
      ...(postgres === 'ok' ? [] : [`PostgreSQL at ${deps.where.postgres}`]),
      ...(redis === 'ok' ? [] : [`Redis at ${deps.where.redis}`]),
    ];
    // Reported, not judged: a webhook's delivery error is for the operator, and taking this
    // process out of a load balancer would not cure it.
    const reports = await Promise.all(
      (deps.channels ?? []).map(async (channel) =>
        channel.health
          ? ([
              channel.name,
              await withTimeout(channel.health(), 2_500).catch(() => ({ problem: 'no answer' })),
            ] as const)
          : undefined,
      ),
    );
    const channels = Object.fromEntries(reports.filter((r) => r !== undefined));
    const body = {
      status: down.length === 0 ? 'ready' : 'not ready',
      postgres,
      redis,
      ...(Object.keys(channels).length > 0 ? { channels } : {}),
      ...(down.length > 0 ? { reason: `${down.join(' and ')} not answering` } : {}),
    };
    return c.json(body, down.length === 0 ? 200 : 503);
  });
  mountMetrics(app, deps.metrics);
  // A flash's picture, public like the flash itself: channels that cannot send pictures link here.
  app.get('/media/flash/:id', async (c) => {
    const image = await flashImage(deps.db, c.req.param('id'));
    if (!image) return c.json({ error: 'no such picture' }, 404);
    return c.body(new Uint8Array(image.bytes), 200, {
      'content-type': image.mimeType,
      'cache-control': 'public, max-age=86400, immutable',
      'x-content-type-options': 'nosniff',
    });
  });
  if (deps.api) {
    mountApi(app, { db: deps.db, ...deps.api });
    // A desk sign-in opens the results page too (the desk links to it).
    const desk = deps.desk && deskCookies(deps.desk.secureCookies).session;
    mountResults(app, { db: deps.db, ...deps.api }, deps.sessions, desk);
  }
  if (deps.desk) mountDesk(app, deps.desk);
  return app;
}

/** How long a client may take and how many may connect at once (HTTP_* settings). */
export interface ServerLimits {
  /** Time to receive a whole request, headers and body (not the answer: downloads may take longer). */
  requestTimeoutMs: number;
  /** Time to receive the request headers. */
  headersTimeoutMs: number;
  /** How long an idle kept-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Connections at once; more are closed as they come. */
  maxConnections: number;
}

/** The limits of the HTTP server from the environment. */
export function serverLimits(env: {
  HTTP_REQUEST_TIMEOUT_MS: number;
  HTTP_HEADERS_TIMEOUT_MS: number;
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number;
  HTTP_MAX_CONNECTIONS: number;
}): ServerLimits {
  return {
    requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
    headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
    keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: env.HTTP_MAX_CONNECTIONS,
  };
}

/** Starts listening; resolves with the server and the port it got (port 0 picks a free one). */
export async function listen(
  app: Hono,
  port: number,
  hostname: string,
  limits: ServerLimits,
): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: app.fetch,
        port,
        hostname,
        serverOptions: {
          requestTimeout: limits.requestTimeoutMs,
          headersTimeout: limits.headersTimeoutMs,
          keepAliveTimeout: limits.keepAliveTimeoutMs,
          // How often Node looks for connections past their timeouts (its default is 30 s).
          connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
        },
      },
      (info) => resolve({ server, port: info.port }),
    );
    (server as Server).maxConnections = limits.maxConnections;
    server.once('error', reject);
  });
}
