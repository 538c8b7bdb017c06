import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { exportResponsesJsonl } from '../../src/export/jsonl.js';
import { exportResponsesXlsx } from '../../src/export/xlsx.js';

/**
 * Runs one responses export in a process of its own and prints how much its peak resident memory
 * grew (`process.resourceUsage().maxRSS`, the kernel's high-water mark: no sampling to miss a peak).
 * A small export first loads and compiles everything, so only the export itself is measured.
 * Usage: node --import tsx test/helpers/export-peak.ts xlsx|jsonl <file>  (DATABASE_URL set)
 */
const [format, path] = process.argv.slice(2);
const url = process.env.DATABASE_URL;
if ((format !== 'xlsx' && format !== 'jsonl') || !path || !url) {
  process.stderr.write('usage: export-peak.ts xlsx|jsonl <file> (with DATABASE_URL)\n');
  process.exit(2);
}
const exportTo = format === 'xlsx' ? exportResponsesXlsx : exportResponsesJsonl;

async function toFile(file: string, write: (out: Writable) => Promise<void>): Promise<void> {
  const out = createWriteStream(file);
  await write(out);
  out.end();
  await finished(out);
}

await toFile(`${path}.warm-up`, (out) => exportTo(url, out, { to: '2026-01-02' }));
const before = process.memoryUsage.rss();
const peakBefore = process.resourceUsage().maxRSS * 1024;
const started = performance.now();
await toFile(path, (out) => exportTo(url, out));
const seconds = (performance.now() - started) / 1000;
const peak = process.resourceUsage().maxRSS * 1024;
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
process.stdout.write(
  `${JSON.stringify({ growthMb: mb(peak - before), seconds, peakBeforeMb: mb(peakBefore), beforeMb: mb(before), peakMb: mb(peak) })}\n`,
);
