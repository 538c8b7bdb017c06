import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import { exportResponsesCsv } from '../../src/export/responses.js';
import { testSetup } from '../helpers/env.js';
import type { ScenarioResult } from './report.js';

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
      insert into answers (respondent, poll, question, indicator, answer_code, answer_number, area, age_group, language, channel, answered_on)
      select md5(g::text), 'veerkracht-kort', (array['thuis','hulp','vertrouwen'])[1 + g % 3],
        (array['thuis_in_buurt','toegang_hulp','vertrouwen_instituties'])[1 + g % 3],
        (1 + g % 5)::text, 1 + g % 5, (array['nazareth','pottenberg'])[1 + g % 2], '27-40', 'nl', 'whatsapp',
        date '2026-01-01' + (g % 300)
      from generate_series(1, ${options.answers}) g`.execute(db);
    await sql`analyze answers`.execute(db);

    const raw = nullSink();
    const rawRun = await measured(async () => {
      const client = new pg.Client({ connectionString: setup.env.DATABASE_URL });
      await client.connect();
      try {
        await pipeline(
          client.query(
            copyTo(
              'copy (select * from answers order by answered_on, id) to stdout with (format csv, header true)',
            ),
          ),
          raw,
        );
      } finally {
        await client.end();
      }
    });
    const ours = nullSink();
    const ourRun = await measured(() => exportResponsesCsv(setup.env.DATABASE_URL, ours));
    return {
      scenario: 'export',
      rows: [
        { measure: `raw COPY of ${options.answers} answers`, value: rawRun.seconds, unit: 's' },
        { measure: 'responses CSV export', value: ourRun.seconds, unit: 's' },
        {
          measure: 'speed export / raw COPY',
          value: rawRun.seconds / ourRun.seconds,
          unit: '',
          target: '≥ 0.7',
        },
        { measure: 'peak memory growth during export', value: ourRun.peakMb, unit: 'MB', target: '< 200' },
        { measure: 'CSV size', value: ours.bytes / 2 ** 20, unit: 'MB' },
      ],
    };
  } finally {
    await db.destroy();
    await setup.cleanup();
  }
}
