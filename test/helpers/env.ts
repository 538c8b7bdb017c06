import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Env, parseEnv } from '../../src/config/env.js';

export const PG_BASE = process.env.TEST_DATABASE_BASE ?? 'postgres://postgres@127.0.0.1:5432';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh, isolated installation for one test file: its own database, queue prefix and data folder. */
export interface TestSetup {
  env: Env;
  /** The same settings as environment variables, for child processes. */
  vars: Record<string, string>;
  /** Drops the database and removes the queue keys. */
  cleanup(): Promise<void>;
}

export function testSetup(overrides: Record<string, string> = {}): TestSetup {
  const id = randomBytes(5).toString('hex');
  const database = `straatpraat_test_${id}`;
  const vars: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: `${PG_BASE}/${database}`,
    REDIS_URL,
    QUEUE_PREFIX: `sptest-${id}`,
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    PSEUDONYM_KEY: 'test-key-0123456789abcdef0123456789abcdef',
    DATA_KEY: 'test-data-key-0123456789abcdef0123456789',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'straatpraat-test-')),
    QUEUE_LOCK_MS: '2000',
    INBOUND_PARTITIONS: '8',
    WORKER_CONCURRENCY: '8',
    ...overrides,
  };
  return {
    env: parseEnv(vars),
    vars,
    async cleanup() {
      const admin = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
      await admin.connect();
      try {
        await admin.query(`drop database if exists ${pg.escapeIdentifier(database)} with (force)`);
      } finally {
        await admin.end();
      }
      const { Redis } = await import('ioredis');
      const redis = new Redis(REDIS_URL);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${vars.QUEUE_PREFIX}:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}

/** Waits until `check` returns a truthy value, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T> | T,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
