import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runShippedCli } from '../helpers/cli.js';
import { PG_BASE, REDIS_URL } from '../helpers/env.js';
import { startPasswordGate } from '../helpers/pg-password-gate.js';

// The compose setup: an ordinary role with a password that owns its database, as
// deploy/postgres-init creates it. The CLI gets DATABASE_URL from a `.env` only.
const id = randomBytes(4).toString('hex');
const role = `sp_newcomer_${id}`;
const database = `straatpraat_newcomer_${id}`;
const password = randomBytes(12).toString('hex');
const upstream = new URL(PG_BASE);
let gate: Awaited<ReturnType<typeof startPasswordGate>>;

async function asSuperuser(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

beforeAll(async () => {
  await asSuperuser(`create role ${role} login password '${password}'`);
  await asSuperuser(
    `do $$ begin create role straatpraat_monitor_reader nologin; exception when duplicate_object then null; end $$`,
  );
  await asSuperuser(`grant straatpraat_monitor_reader to ${role}`);
  await asSuperuser(`create database ${database} owner ${role}`);
  gate = await startPasswordGate(
    { host: upstream.hostname, port: Number(upstream.port || 5432) },
    `${PG_BASE}/postgres`,
  );
});

afterAll(async () => {
  await gate?.close();
  await asSuperuser(`drop database if exists ${database} with (force)`);
  await asSuperuser(`drop role if exists ${role}`);
});

// The CLI runs through the shipped entry, bin/straatpraat.js, which reads the `.env`.

/** A working directory holding only a `.env` with these lines (and a private data folder). */
function folderWithEnv(lines: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'straatpraat-newcomer-'));
  const all = { REDIS_URL, DATA_DIR: join(dir, 'data'), ...lines };
  writeFileSync(
    join(dir, '.env'),
    Object.entries(all)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  );
  return dir;
}

const gateUrl = (pw: string) => `postgres://${role}:${pw}@127.0.0.1:${gate.port}/${database}`;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the newcomer path: a password-protected role, settings in .env', () => {
  it('migrates with DATABASE_URL read from .env in the working directory', async () => {
    const cwd = folderWithEnv({ DATABASE_URL: gateUrl(password) });
    const result = await runShippedCli(['migrate'], {}, '', 30_000, cwd);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const owned = new pg.Client({ connectionString: `${PG_BASE}/${database}` });
    await owned.connect();
    try {
      const { rows } = await owned.query<{ owner: string; n: number }>(
        `select tableowner as owner, count(*)::int as n from pg_tables
          where tablename = 'kysely_migration' group by tableowner`,
      );
      expect(rows).toEqual([{ owner: role, n: 1 }]);
    } finally {
      await owned.end();
    }
  });

  it('says in one line that the password was refused, naming user and host, and exits 2', async () => {
    const wrong = 'not-the-password';
    const cwd = folderWithEnv({ DATABASE_URL: gateUrl(wrong) });
    const result = await runShippedCli(['migrate'], {}, '', 30_000, cwd);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^PostgreSQL at 127\\.0\\.0\\.1:${gate.port}/${database} refused user ${role} .*password`),
    );
    expect(lines[0]).not.toMatch(/not reachable/);
    expect(result.stderr).not.toContain(wrong);
  });

  it('says the URL lacks a password when the server asks for one', async () => {
    const cwd = folderWithEnv({ DATABASE_URL: `postgres://${role}@127.0.0.1:${gate.port}/${database}` });
    const result = await runShippedCli(['migrate'], {}, '', 30_000, cwd);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`(wants a password for user ${role}|refused user ${role})`));
    expect(lines[0]).not.toMatch(/not reachable/);
  });

  it('says PostgreSQL is not reachable on a port nobody listens on; the real environment wins over .env', async () => {
    const port = await freePort();
    const cwd = folderWithEnv({ DATABASE_URL: gateUrl(password) });
    const result = await runShippedCli(
      ['migrate'],
      { DATABASE_URL: `postgres://${role}:${password}@127.0.0.1:${port}/${database}` },
      '',
      30_000,
      cwd,
    );
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^PostgreSQL is not reachable at 127\\.0\\.0\\.1:${port}/`));
    expect(result.stderr).not.toContain(password);
  });
});
