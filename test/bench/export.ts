import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import { exportResponsesCsv } from '../../src/export/responses.js';
import { testSetup } from '../helpers/env.js';
import { median, type ScenarioResult } from './report.js';

const ROUNDS = 3;
/**
 * Respondents in the seeded answers: more than the 5,470 residents of Nazareth and Pottenberg together.
 * Each is a 64-character hex string, as the stored HMAC-SHA256 pseudonyms are.
 */
const RESPONDENTS = 10_000;

/** A sink that counts bytes and throws them away. */
function nullSink(): Writable & { bytes: number } {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      sink.bytes += chunk.length;
      done();
    },
  }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

/** Runs `work` while sampling this process's resident memory; returns seconds and the peak growth. */
async function measured(work: () => Promise<void>): Promise<{ seconds: number; peakMb: number }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { seconds, peakMb: (peak - base) / 2 ** 20 };
}

/** The responses CSV export of many answers beside a raw `COPY … TO STDOUT` of the same rows. */
export async function exportScenario(options: { answers: number }): Promise<ScenarioResult> {
  const setup = testSetup({ LOG_LEVEL: 'silent' });
  await prepareStorage(setup.env);
  const db = createDb(setup.env.DATABASE_URL, 2);
  try {
    await sql`
      insert into answers (respondent, wave_id, wave_key, poll, question, indicator, answer_code, answer_number, area, age_group, language, channel, answered_on)
      select encode(sha256(((g % ${RESPONDENTS})::text)::bytea), 'hex'),
        md5('wave' || (g / ${RESPONDENTS}))::uuid, md5('wave' || (g / ${RESPONDENTS}))::uuid::text, 'veerkracht-kort', (array['thuis','hulp','vertrouwen'])[1 + g % 3],
        (array['thuis_in_buurt','toegang_hulp','vertrouwen_instituties'])[1 + g % 3],
        (1 + g % 5)::text, 1 + g % 5, (array['nazareth','pottenberg'])[1 + g % 2], '27-40', 'nl', 'whatsapp',
        date '2026-01-01' + (g % 300)
      from generate_series(1, ${options.answers}) g`.execute(db);
    await sql`analyze answers`.execute(db);

    const rawCopy = async (sink: Writable) => {
      const client = new pg.Client({ connectionString: setup.env.DATABASE_URL });
      await client.connect();
      try {
        await pipeline(
          client.query(
            copyTo(
              'copy (select * from answers order by answered_on, id) to stdout with (format csv, header true)',
            ),
          ),
          sink,
        );
      } finally {
        await client.end();
      }
    };
    // Three rounds, alternating, and the median of each: one noisy neighbour cannot decide the ratio.
    const rawRuns: { seconds: number; peakMb: number }[] = [];
    const ourRuns: { seconds: number; peakMb: number }[] = [];
    let bytes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      rawRuns.push(await measured(() => rawCopy(nullSink())));
      const ours = nullSink();
      ourRuns.push(await measured(() => exportResponsesCsv(setup.env.DATABASE_URL, ours)));
      bytes = ours.bytes;
    }
    const rawRun = { seconds: median(rawRuns.map((r) => r.seconds)) };
    const ourRun = {
      seconds: median(ourRuns.map((r) => r.seconds)),
      peakMb: Math.max(...ourRuns.map((r) => r.peakMb)),
    };
    return {
      scenario: 'export',
      rows: [
        {
          measure: `raw COPY of ${options.answers} answers (median of ${ROUNDS})`,
          value: rawRun.seconds,
          unit: 's',
        },
        { measure: `responses CSV export (median of ${ROUNDS})`, value: ourRun.seconds, unit: 's' },
        {
          measure: 'speed export / raw COPY',
          value: rawRun.seconds / ourRun.seconds,
          unit: '',
          target: '≥ 0.7',
        },
        { measure: 'peak memory growth during export', value: ourRun.peakMb, unit: 'MB', target: '< 200' },
        { measure: 'CSV size', value: bytes / 2 ** 20, unit: 'MB' },
      ],
    };
  } finally {
    await db.destroy();
    await setup.cleanup();
  }
}
