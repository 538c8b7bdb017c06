import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { type TestSetup, testSetup } from '../helpers/env.js';
import { TestRedisServer } from '../helpers/redis-server.js';

const redisServer = new TestRedisServer();
let setup: TestSetup;
let app: App;
let base: string;

beforeAll(async () => {
  await redisServer.start();
  setup = testSetup({ REDIS_URL: redisServer.url });
  app = await startApp({ env: setup.env, log: createLogger('silent'), role: 'ingress' });
  base = `http://127.0.0.1:${app.httpPort}`;
});

afterAll(async () => {
  await redisServer.kill();
  await app.stop();
  await setup.cleanup().catch(() => {});
});

describe('the HTTP endpoints', () => {
  it('answers /healthz', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves Prometheus metrics with queue depth, processed, failed and processing time', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^straatpraat_queue_depth\{queue="inbound-0",state="waiting"\} 0$/m);
    expect(text).toMatch(/^# TYPE straatpraat_jobs_processed_total counter$/m);
    expect(text).toMatch(/^# TYPE straatpraat_jobs_failed_total counter$/m);
    expect(text).toMatch(/^# TYPE straatpraat_job_duration_seconds histogram$/m);
  });

  it('is ready while PostgreSQL and Redis answer, and names Redis with 503 when it does not', async () => {
    const ok = await fetch(`${base}/readyz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ready', postgres: 'ok', redis: 'ok' });

    await redisServer.kill();
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { reason: string; postgres: string; redis: string };
    expect(body.postgres).toBe('ok');
    expect(body.redis).toBe('unreachable');
    expect(body.reason).toBe(`Redis at 127.0.0.1:${redisServer.port} not answering`);
  });
});
