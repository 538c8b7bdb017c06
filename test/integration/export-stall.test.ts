import { connect, type Socket } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createToken } from '../../src/auth/tokens.js';
import { consoleInbox, consoleMessage, startTestApp } from '../helpers/app.js';
import { eventually } from '../helpers/env.js';
import { FakeResident, joinByTyping } from '../helpers/flow.js';
import { seedJoinedResident } from '../helpers/seed.js';

// Fifty export downloads whose clients never read the body: they must not take the connections the
// engine needs. Residents' answers keep their usual latency, downloads over the limits get 429, and
// a download nobody reads is cut off after EXPORT_STALL_MS, which gives its connection back.

const STALL_MS = 3_000;
const DOWNLOADS = 50;
const TOKENS = 10;

let app: App;
let stop: () => Promise<void>;
let tokens: string[];
const state = joinByTyping(new FakeResident()).state;

/** Export connections open on this test's database: all, or only those busy with an export. */
async function exportConnections(busyOnly = false): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity
    where datname = current_database() and application_name = 'straatpraat-export'
      and backend_type = 'client backend' and (not ${busyOnly} or state <> 'idle')`.execute(app.db);
  return rows[0]!.n;
}

/** A download whose client reads the status line and then nothing more. Resolves with the status. */
function stalledDownload(
  token: string,
): Promise<{ status: number; retryAfter: string | null; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(app.httpPort!, '127.0.0.1', () => {
      socket.write(
        `GET /api/exports/responses.csv HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n\r\n`,
      );
    });
    socket.once('error', reject);
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      const head = chunk.toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
      const retryAfter = /\r\nretry-after: (\S+)/i.exec(head)?.[1] ?? null;
      resolve({ status, retryAfter, socket });
    });
  });
}

/** Answers `n` residents' pending question, one after another; the latency of each reply in ms. */
async function answerLatencies(prefix: string, n: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < n; i++) {
    const address = `${prefix}-${i}`;
    await seedJoinedResident(app.db, address, state);
    const started = performance.now();
    await app.ingress.accept(consoleMessage(address, '3'));
    for (;;) {
      if ((await consoleInbox(app, address)).length > 0) break;
      if (performance.now() - started > 20_000) throw new Error(`no reply for ${address}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    latencies.push(performance.now() - started);
  }
  return latencies;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

beforeAll(async () => {
  ({ app, stop } = await startTestApp({
    EXPORT_POOL_SIZE: '4',
    EXPORT_PER_TOKEN: '2',
    EXPORT_STALL_MS: String(STALL_MS),
  }));
  tokens = await Promise.all(
    Array.from({ length: TOKENS }, async () => (await createToken(app.db, 'analyst')).token),
  );
  // Far more than the socket buffers hold, so a download nobody reads cannot finish by itself.
  await sql`
    insert into answers (respondent, wave_key, poll, question, indicator, answer_code, answer_number, text, area,
      channel, answered_on)
    select 'p-' || i, '', 'thuis', 'thuis', 'thuis_in_buurt', '4', 4, repeat('tekst ', 20), 'nazareth',
      'telegram', date '2026-01-05'
    from generate_series(1, 300000) i`.execute(app.db);
}, 120_000);

afterAll(async () => {
  await stop?.();
});

type Download = Awaited<ReturnType<typeof stalledDownload>>;

describe('fifty export downloads that never read', () => {
  it('leave residents answered at their usual latency; excess downloads get 429; stalled ones are cut off', async () => {
    // Warm up, then the latency without downloads.
    await answerLatencies('warm', 5);
    const before = await answerLatencies('before', 40);
    const downloads = await Promise.all(
      Array.from({ length: DOWNLOADS }, (_, i) => stalledDownload(tokens[i % TOKENS]!)),
    );
    try {
      await whileStalled(before, downloads);
    } finally {
      for (const d of downloads) d.socket.destroy();
    }
  }, 120_000);

  it('refuses a third export of one token while two of its own run', async () => {
    await eventually(
      async () => (await exportConnections(true)) === 0,
      STALL_MS + 10_000,
      'no export running',
    );
    const [first, second, third] = await Promise.all([0, 1, 2].map(() => stalledDownload(tokens[1]!)));
    const statuses = [first!, second!, third!].map((d) => d.status).sort();
    expect(statuses).toEqual([200, 200, 429]);
    // Another token still gets a place.
    const other = await stalledDownload(tokens[2]!);
    expect(other.status).toBe(200);
    for (const d of [first!, second!, third!, other]) d.socket.destroy();
  }, 60_000);
});

async function whileStalled(before: number[], downloads: Download[]): Promise<void> {
  // The running downloads fill the socket buffers first (about a second of work), then wait.
  await new Promise((r) => setTimeout(r, 1_000));
  const during = await answerLatencies('during', 40);
  const connectionsDuring = await exportConnections();

  const ok = downloads.filter((d) => d.status === 200);
  const refused = downloads.filter((d) => d.status === 429);
  const summary = {
    p50Before: Math.round(quantile(before, 0.5)),
    p99Before: Math.round(quantile(before, 0.99)),
    p50During: Math.round(quantile(during, 0.5)),
    p99During: Math.round(quantile(during, 0.99)),
    downloadsRunning: ok.length,
    refused: refused.length,
    connectionsDuring,
  };
  console.info('export stall:', JSON.stringify(summary));

  // The overall limit is the export pool: four run, the rest are told to come back.
  expect(ok.length).toBe(4);
  expect(refused.length).toBe(DOWNLOADS - 4);
  for (const d of refused) expect(Number(d.retryAfter)).toBeGreaterThan(0);
  expect(connectionsDuring).toBeLessThanOrEqual(4);
  // Residents notice nothing: the engine's connections are its own. (Without the export pool and its
  // limits the slowest of these answers took over 6 s on this machine.)
  expect(summary.p50During).toBeLessThan(Math.max(100, 3 * summary.p50Before));
  expect(summary.p99During).toBeLessThan(Math.max(1_000, 5 * summary.p99Before));

  // Nobody reads: after EXPORT_STALL_MS the downloads are cut off and their connections closed.
  await eventually(
    async () => (await exportConnections()) === 0,
    STALL_MS + 10_000,
    'export connections closed',
  );
  // And the places are free again.
  const again = await fetch(`http://127.0.0.1:${app.httpPort}/api/aggregates.json`, {
    headers: { authorization: `Bearer ${tokens[0]}` },
  });
  expect(again.status).toBe(200);
}
