import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, ensureDatabase } from '../../src/db/connect.js';
import { createLogger, logStoreErrors } from '../../src/log.js';
import { createRedis } from '../../src/queue/redis.js';
import { eventually, type TestSetup, testSetup } from '../helpers/env.js';

let setup: TestSetup;
beforeAll(async () => {
  setup = testSetup();
  await ensureDatabase(setup.env.DATABASE_URL);
});
afterAll(() => setup.cleanup());

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const out = new PassThrough();
  out.on('data', (chunk) => {
    for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
  });
  return { log: createLogger('warn', out), lines };
}

describe('connection errors of the stores', () => {
  it('logs a PostgreSQL connection killed while idle in the pool, with its code and no data', async () => {
    const { log, lines } = capturingLogger();
    const db = createDb(setup.env.DATABASE_URL, 2, log);
    try {
      await sql`select 'resident text 06-12345678' as x`.execute(db);
      const admin = new pg.Client({ connectionString: setup.env.DATABASE_URL });
      await admin.connect();
      try {
        await admin.query(
          `select pg_terminate_backend(pid) from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid()`,
        );
      } finally {
        await admin.end();
      }
      const line = (await eventually(
        () => lines.find((l) => l.msg === 'postgres connection error'),
        10_000,
        'a log line',
      ))!;
      expect(line.level).toBe(40);
      expect(String(line.reason)).toMatch(/^57P01: terminating connection/);
      expect(JSON.stringify(lines)).not.toContain('06-12345678');
      // The pool recovers: the next query gets a fresh connection.
      await sql`select 1`.execute(db);
    } finally {
      await db.destroy();
    }
  });

  it('logs a Redis that does not answer once a minute, not once per reconnect attempt', async () => {
    const { log, lines } = capturingLogger();
    const redis = createRedis('redis://127.0.0.1:1', {
      lazyConnect: true,
      retryStrategy: () => 20,
    });
    let attempts = 0;
    redis.on('error', () => attempts++);
    redis.on('error', logStoreErrors(log, 'redis connection'));
    redis.connect().catch(() => {});
    try {
      await eventually(() => attempts >= 5, 10_000, 'five reconnect attempts');
      const logged = lines.filter((l) => l.msg === 'redis connection error');
      expect(logged).toHaveLength(1);
      expect(logged[0]!.reason).toMatch(/ECONNREFUSED/);
    } finally {
      redis.disconnect();
    }
  });
});
