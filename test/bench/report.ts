import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** One line of a benchmark table. */
export interface ResultRow {
  measure: string;
  value: number;
  unit: string;
  target?: string;
}

export interface ScenarioResult {
  scenario: string;
  rows: ResultRow[];
  notes?: string[];
}

/** The middle value (the upper one of the two middles for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The p-th percentile (nearest rank) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Prints a scenario as a Markdown table and writes it as JSON to bench-results/. */
export function report(result: ScenarioResult): string {
  const lines = [
    `### ${result.scenario}`,
    '',
    '| measure | value | unit | target |',
    '|---|---:|---|---|',
    ...result.rows.map((r) => `| ${r.measure} | ${format(r.value)} | ${r.unit} | ${r.target ?? ''} |`),
    ...(result.notes ?? []).map((n) => `\n${n}`),
  ];
  const text = lines.join('\n');
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(
    `bench-results/${result.scenario}.json`,
    `${JSON.stringify(
      {
        ...result,
        date: new Date().toISOString(),
        machine: {
          cpus: cpus().length,
          model: cpus()[0]?.model,
          memoryGiB: Math.round(totalmem() / 2 ** 30),
          node: process.version,
        },
      },
      null,
      2,
    )}\n`,
  );
  return text;
}
