import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import { exportResponsesCsv } from '../../src/export/responses.js';
import { ROOT } from '../helpers/cli.js';
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

const run = promisify(execFile);

/**
 * One XLSX or JSON Lines export to a file in a process of its own (test/helpers/export-peak.ts, as the
 * CLI runs one): its peak resident memory growth from the kernel's high-water mark, and its time.
 */
async function exportAlone(
  databaseUrl: string,
  format: 'xlsx' | 'jsonl',
  dir: string,
): Promise<{ growthMb: number; seconds: number; mb: number }> {
  const path = join(dir, `responses.${format}`);
  const helper = fileURLToPath(new URL('../helpers/export-peak.ts', import.meta.url));
  const { stdout } = await run(process.execPath, ['--import', 'tsx', helper, format, path], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl },
    timeout: 30 * 60_000,
  });
  const { growthMb, seconds } = JSON.parse(stdout) as { growthMb: number; seconds: number };
  return { growthMb, seconds, mb: statSync(path).size / 2 ** 20 };
}

/**
 * The responses CSV export of many answers beside a raw `COPY … TO STDOUT` of the same rows, and the
 * XLSX and JSON Lines exports of the same answers with their peak memory growth.
 */
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
              'copy (select * from monitor.answers order by answered_on, id) to stdout with (format csv, header true)',
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
    const dir = mkdtempSync(join(tmpdir(), 'straatpraat-bench-export-'));
    let xlsx: Awaited<ReturnType<typeof exportAlone>>;
    let jsonl: Awaited<ReturnType<typeof exportAlone>>;
    try {
      xlsx = await exportAlone(setup.env.DATABASE_URL, 'xlsx', dir);
      jsonl = await exportAlone(setup.env.DATABASE_URL, 'jsonl', dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
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
          target: '≥ 0.9',
        },
        {
          measure: 'peak memory growth during the CSV export',
          value: ourRun.peakMb,
          unit: 'MB',
          target: '< 150',
        },
        { measure: 'CSV size', value: bytes / 2 ** 20, unit: 'MB' },
        { measure: 'responses XLSX export (a process of its own)', value: xlsx.seconds, unit: 's' },
        {
          measure: 'peak memory growth during the XLSX export',
          value: xlsx.growthMb,
          unit: 'MB',
          target: '< 150',
        },
        { measure: 'XLSX size', value: xlsx.mb, unit: 'MB' },
        { measure: 'responses JSON Lines export (a process of its own)', value: jsonl.seconds, unit: 's' },
        {
          measure: 'peak memory growth during the JSON Lines export',
          value: jsonl.growthMb,
          unit: 'MB',
          target: '< 150',
        },
        { measure: 'JSON Lines size', value: jsonl.mb, unit: 'MB' },
      ],
    };
  } finally {
    await db.destroy();
    await setup.cleanup();
  }
}
