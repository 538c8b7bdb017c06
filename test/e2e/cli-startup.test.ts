import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV_NAMES } from '../../src/config/env.js';
import { ROOT, runShippedCli } from '../helpers/cli.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

// These run bin/straatpraat.js through tsx, as a user does; the other files run the test bundle of
// the same sources (test/helpers/cli-bundle.ts).

const setups: TestSetup[] = [];
afterAll(async () => {
  for (const s of setups) await s.cleanup();
});

function fresh(overrides: Record<string, string> = {}): TestSetup {
  const s = testSetup(overrides);
  setups.push(s);
  return s;
}

describe('starting up', () => {
  it('says in one line that PostgreSQL is unreachable, and where, within 10 s', async () => {
    const { vars } = fresh();
    const result = await runShippedCli(['start'], {
      ...vars,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x',
    });
    expect(result.code).toBe(2);
    expect(result.ms).toBeLessThan(10_000);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^PostgreSQL is not reachable at 127\.0\.0\.1:1.*docker compose up -d postgres/);
  });

  it('says in one line that Redis is unreachable, and where, within 10 s', async () => {
    const { vars } = fresh();
    const result = await runShippedCli(['start'], { ...vars, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(result.code).toBe(2);
    expect(result.ms).toBeLessThan(10_000);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Redis is not reachable at 127\.0\.0\.1:1 .*docker compose up -d redis/);
  });

  it.each([
    ['HTTP_PORT', 'abc', /HTTP_PORT is invalid: expected a whole number/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL is invalid: expected a postgres:\/\/ or postgresql:\/\/ URL/],
    ['WHATSAPP_ENABLED', 'maybe', /WHATSAPP_ENABLED is invalid: expected true or false/],
    ['TELEGRAM_BOT_TOKEN', 'nonsense', /TELEGRAM_BOT_TOKEN is invalid: expected a token from BotFather/],
  ])('stops with one line naming %s when it is %s', async (name, value, pattern) => {
    const { vars } = fresh();
    const result = await runShippedCli(['start'], { ...vars, [name]: value });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(pattern);
  });

  it('says in one line that the Telegram Bot API is unreachable, and where', async () => {
    const { vars } = fresh();
    const result = await runShippedCli(['start'], {
      ...vars,
      TELEGRAM_BOT_TOKEN: `123456:${'A'.repeat(35)}`,
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
    });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^The Telegram Bot API is not reachable at http:\/\/127\.0\.0\.1:9 /);
  });

  it('refuses to start in production without a pseudonym key', async () => {
    const { vars } = fresh();
    const { PSEUDONYM_KEY: _, ...rest } = vars;
    const result = await runShippedCli(['start'], { ...rest, NODE_ENV: 'production' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(
      /^Configuration error: PSEUDONYM_KEY or PSEUDONYM_KEY_FILE is required in production/,
    );
  });

  it('migrates a database that does not exist yet', async () => {
    const { vars } = fresh();
    const result = await runShippedCli(['migrate'], vars);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/database is up to date/);
  });

  it('lists every setting in .env.example', () => {
    const example = readFileSync(`${ROOT}/.env.example`, 'utf8');
    const listed = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(new Set(listed)).toEqual(new Set(ENV_NAMES));
  });
});

describe('the console simulator', () => {
  it('prints the bot’s replies to piped input and exits 0', async () => {
    const { vars } = fresh();
    const result = await runShippedCli(['chat'], vars, 'hallo\nHULP\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Straatpraat ›/);
    expect(result.stdout).toMatch(/Straatpraat/);
    expect(result.stdout.match(/Straatpraat ›/g)!.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps the same resident between runs, and --as makes someone else', async () => {
    const { vars } = fresh({ ONBOARDING_POLL: 'false' });
    await runShippedCli(['chat'], vars, 'hallo\n');
    const again = await runShippedCli(['chat'], vars, 'hallo\n');
    expect(again.code).toBe(0);
    const other = await runShippedCli(['chat', '--as', 'bewoner-b'], vars, 'hallo\n');
    expect(other.code).toBe(0);
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: vars.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query("select count(*)::int as n from residents where channel = 'console'");
    await client.end();
    expect(rows[0].n).toBe(2);
  });

  it('rejects an --as name that cannot be an identity', async () => {
    const { vars } = fresh();
    const result = await runShippedCli(['chat', '--as', 'a b/c'], vars, 'hallo\n');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--as "a b\/c" is not a valid name/);
  });
});
