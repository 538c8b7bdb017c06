import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createToken } from '../../src/auth/tokens.js';
import { EXPORT_APPLICATION_NAME } from '../../src/export/responses.js';
import { startTestApp } from '../helpers/app.js';
import { eventually } from '../helpers/env.js';

let app: App;
let stop: () => Promise<void>;
let base: string;
let token: string;

/** Export connections open on this test's database (not counting PostgreSQL's parallel workers). */
async function exportConnections(): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity
    where datname = current_database() and application_name = ${EXPORT_APPLICATION_NAME}
      and backend_type = 'client backend'`.execute(app.db);
  return rows[0]!.n;
}

beforeAll(async () => {
  ({ app, stop } = await startTestApp({}, 'ingress'));
  base = `http://127.0.0.1:${app.httpPort}`;
  token = (await createToken(app.db, 'analyst')).token;
  await sql`
    insert into answers (respondent, wave_key, poll, question, indicator, answer_code, answer_number, text, area,
      channel, answered_on)
    select 'p-' || i, '', 'thuis', 'thuis', 'thuis_in_buurt', '4', 4, repeat('tekst ', 20), 'nazareth', 'telegram',
      date '2026-01-01' + i % 60
    from generate_series(1, 150000) i`.execute(app.db);
}, 60_000);

afterAll(async () => {
  await stop?.();
});

describe('a streamed export', () => {
  it.each(['csv', 'jsonl', 'xlsx'])(
    'as %s stops reading the database when the client hangs up half-way',
    async (format) => {
      const controller = new AbortController();
      const res = await fetch(`${base}/api/exports/responses.${format}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: controller.signal,
      });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      let received = 0;
      while (received < 256 * 1024) {
        const { value, done } = await reader.read();
        if (done) throw new Error('the export ended before the client hung up: seed more rows');
        received += value.byteLength;
      }
      // Still being produced: the client reads slower than the database could deliver.
      expect(await exportConnections()).toBe(1);
      controller.abort();
      await eventually(
        async () => (await exportConnections()) === 0,
        10_000,
        'the export connection to close',
      );
      // The app still serves exports afterwards.
      const again = await fetch(`${base}/api/exports/codebook.csv`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(again.status).toBe(200);
    },
    30_000,
  );
});
