import type { Writable } from 'node:stream';
import { z } from 'zod';
import type { Poll } from '../../flows/polls/schema.js';
import { aggregatesCsv, computeAggregates } from './aggregates.js';
import { codebookCsv, codebookMarkdown, codebookSps } from './codebook.js';
import type { Delimiter } from './csv.js';
import { exportIdeasCsv } from './ideas.js';
import { exportResponsesJsonl } from './jsonl.js';
import type { ExportPool } from './pool.js';
import {
  DATE_RANGE_MESSAGE,
  exportResponsesCsv,
  RESPONSE_FILTER_FIELDS,
  type ResponseFilters,
} from './responses.js';
import { exportResponsesXlsx } from './xlsx.js';

/** What can be exported, and in which formats (the first is the default). */
export const DATASETS = {
  responses: ['csv', 'xlsx', 'jsonl'],
  codebook: ['csv', 'md', 'sps'],
  aggregates: ['json', 'csv'],
  ideas: ['csv'],
} as const satisfies Record<string, readonly string[]>;
export type Dataset = keyof typeof DATASETS;
export const DATASET_NAMES = Object.keys(DATASETS) as Dataset[];

export const FORMATS = ['csv', 'xlsx', 'jsonl', 'json', 'md', 'sps'] as const;
export type Format = (typeof FORMATS)[number];

/** Content type per format, for HTTP. */
export const CONTENT_TYPES: Record<Format, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jsonl: 'application/jsonl; charset=utf-8',
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  sps: 'text/plain; charset=utf-8',
};

/** One line for a refused export request: type errors say what was expected, rule errors say why. */
export function describeIssue(issue: z.core.$ZodIssue, name: (field: string) => string): string {
  if (issue.code === 'unrecognized_keys') return `unknown ${issue.keys.map(name).join(', ')}`;
  const field = name(String(issue.path[0] ?? 'dataset'));
  return issue.code === 'custom' ? `${field}: ${issue.message}` : `${field}: expected ${issue.message}`;
}

/** One export as asked for on the command line or over HTTP. */
export const ExportRequestSchema = z
  .object({
    dataset: z.enum(DATASET_NAMES as [Dataset, ...Dataset[]]),
    format: z.enum(FORMATS),
    ...RESPONSE_FILTER_FIELDS,
    delimiter: z.enum([',', ';']).default(','),
    bom: z.boolean().default(false),
    panelIds: z.boolean().default(false),
  })
  .superRefine((r, ctx) => {
    const formats: readonly string[] = DATASETS[r.dataset];
    if (!formats.includes(r.format))
      ctx.addIssue({
        code: 'custom',
        path: ['format'],
        message: `use ${formats.join(' or ')} for ${r.dataset}`,
      });
    if (r.from && r.to && r.from > r.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: DATE_RANGE_MESSAGE });
    if (r.dataset === 'ideas' && (r.poll || r.wave))
      ctx.addIssue({
        code: 'custom',
        path: [r.poll ? 'poll' : 'wave'],
        message: 'ideas have no poll or wave',
      });
    const filter = (['poll', 'wave', 'area', 'from', 'to'] as const).find((k) => r[k]);
    if (r.dataset === 'codebook' && filter)
      ctx.addIssue({ code: 'custom', path: [filter], message: 'the codebook takes no filters' });
    if (r.panelIds && r.dataset !== 'responses')
      ctx.addIssue({ code: 'custom', path: ['panelIds'], message: 'panel ids exist only in responses' });
  });
export type ExportRequest = z.infer<typeof ExportRequestSchema>;

/** What an export needs from the installation. */
export interface ExportContext {
  /** Connections under the monitor reader role: they read the monitor schema and nothing else. */
  pool: ExportPool;
  /** SUPPRESSION_MIN_CELL. */
  minCell: number;
  polls: () => ReadonlyMap<string, Poll>;
  /** Every version of every poll (the codebook lists them); the latest of each when missing. */
  pollVersions?: () => readonly Poll[];
}

/** What the audit log keeps of an export: what was asked for, never any of its rows. */
export function auditDetails(request: ExportRequest): Record<string, unknown> {
  const { dataset, format, panelIds, poll, wave, area, from, to } = request;
  return { dataset, format, panelIds, filters: { poll, wave, area, from, to } };
}

/** The file name an export is offered under (HTTP Content-Disposition, examples). */
export function exportFileName(request: Pick<ExportRequest, 'dataset' | 'format'>): string {
  return `straatpraat-${request.dataset}.${request.format}`;
}

/**
 * Writes one export to `out` without ending it. Responses and ideas stream from PostgreSQL; the
 * codebook and the aggregates are small (one row per code or cell) and are written in one go.
 */
export async function writeExport(
  request: ExportRequest,
  ctx: ExportContext,
  out: Writable,
  /** Aggregates over closed waves and past onboarding months only (tokens without answer rows). */
  { settledOnly = false }: { settledOnly?: boolean } = {},
): Promise<void> {
  const filters: ResponseFilters = {
    ...(request.poll && { poll: request.poll }),
    ...(request.wave && { wave: request.wave }),
    ...(request.area && { area: request.area }),
    ...(request.from && { from: request.from }),
    ...(request.to && { to: request.to }),
  };
  const delimiter: Delimiter = request.delimiter;
  const csv = { delimiter, bom: request.bom };
  switch (request.dataset) {
    case 'responses': {
      const options = { ...csv, panelIds: request.panelIds };
      if (request.format === 'xlsx') return exportResponsesXlsx(ctx.pool, out, filters, options);
      if (request.format === 'jsonl') return exportResponsesJsonl(ctx.pool, out, filters, options);
      return exportResponsesCsv(ctx.pool, out, filters, options);
    }
    case 'ideas':
      return exportIdeasCsv(ctx.pool, out, filters, csv);
    case 'codebook': {
      const polls = ctx.pollVersions?.() ?? [...ctx.polls().values()];
      const text =
        request.format === 'md'
          ? codebookMarkdown(polls)
          : request.format === 'sps'
            ? codebookSps(polls, { delimiter })
            : codebookCsv(polls, csv);
      return writeAll(out, text);
    }
    case 'aggregates': {
      const aggregates = await computeAggregates(ctx.pool.db, filters, {
        minCell: ctx.minCell,
        polls: ctx.polls(),
        settledOnly,
      });
      const text =
        request.format === 'csv'
          ? aggregatesCsv(aggregates, csv)
          : `${JSON.stringify(aggregates, null, 2)}\n`;
      return writeAll(out, text);
    }
  }
}

function writeAll(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => out.write(text, (error) => (error ? reject(error) : resolve())));
}
