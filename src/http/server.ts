import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Redis } from 'ioredis';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Metrics } from '../metrics.js';
import { type ApiDeps, mountApi } from './api.js';
import { mountResults } from './results.js';

export interface HttpDeps {
  db: Kysely<Database>;
  redis: Redis;
  metrics: Metrics;
  /** Where PostgreSQL and Redis are, for the readiness answer. */
  where: { postgres: string; redis: string };
  /** Exports, aggregates and the results page (`/api/*`, `/results`); not served when left out. */
  api?: Omit<ApiDeps, 'db'>;
}

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref()),
  ]);

/** The HTTP routes every process serves: health, readiness and metrics. Later issues mount more. */
export function createHttpApp(deps: HttpDeps): Hono {
  const app = new Hono();
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
    const body = {
      status: down.length === 0 ? 'ready' : 'not ready',
      postgres,
      redis,
      ...(down.length > 0 ? { reason: `${down.join(' and ')} not answering` } : {}),
    };
    return c.json(body, down.length === 0 ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    const text = await deps.metrics.registry.metrics();
    return c.text(text, 200, { 'content-type': deps.metrics.registry.contentType });
  });
  if (deps.api) {
    mountApi(app, { db: deps.db, ...deps.api });
    mountResults(app, { db: deps.db, ...deps.api });
  }
  return app;
}

/** Starts listening; resolves with the server and the port it got (port 0 picks a free one). */
export async function listen(
  app: Hono,
  port: number,
  hostname: string,
): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) =>
      resolve({ server, port: info.port }),
    );
    server.once('error', reject);
  });
}
