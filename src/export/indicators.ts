import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const LabelSchema = z.object({ nl: z.string().min(1), en: z.string().min(1) });
const share = z.number().min(0).max(10).nullable();

/** One indicator of the programme's monitor with its baseline and 2030 target (data/indicators.json). */
export const IndicatorSchema = z.object({
  code: z.string().regex(/^[a-z0-9_]+$/),
  label: LabelSchema,
  pillar: z.string(),
  measure: z.enum(['share_positive', 'mean', 'count_rsvp']),
  baseline: z
    .object({
      year: z.number().int().nullable(),
      source: z.string(),
      nazareth: share,
      pottenberg: share,
      maastricht: share,
    })
    .nullable(),
  target: z
    .object({
      year: z.number().int(),
      kind: z.enum(['absolute_share', 'relative_increase', 'share_of_residents']),
      value: z.number(),
    })
    .nullable(),
});
export type Indicator = z.infer<typeof IndicatorSchema>;

export const IndicatorsFileSchema = z.object({
  about: z.string().optional(),
  areas: z.array(z.object({ code: z.string(), name: z.string(), city: z.string(), residents: z.number() })),
  indicators: z.array(IndicatorSchema).min(1),
  context_figures: z.record(z.string(), z.unknown()).optional(),
});
export type IndicatorsFile = z.infer<typeof IndicatorsFileSchema>;

// The sources keep the file in data/; a build keeps it in dist/data/ when the build copies it there.
const CANDIDATES = ['../../data/indicators.json', '../../../data/indicators.json'].map((p) =>
  fileURLToPath(new URL(p, import.meta.url)),
);

let cached: IndicatorsFile | undefined;

/** Reads and validates the shipped indicators file once; throws one line naming the problem. */
export function loadIndicators(file?: string): IndicatorsFile {
  if (!file && cached) return cached;
  const path = file ?? CANDIDATES.find((p) => existsSync(p)) ?? CANDIDATES[0]!;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`indicators file ${path} cannot be read as JSON (${(error as Error).message})`);
  }
  const parsed = IndicatorsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`indicators file ${path} is invalid: ${issue.path.join('.')}: ${issue.message}`);
  }
  if (!file) cached = parsed.data;
  return parsed.data;
}

/** Baseline of an indicator for an area (`nazareth`, `pottenberg`), or null when the plan gives none. */
export function baselineFor(indicator: Indicator, area: string): number | null {
  const b = indicator.baseline;
  if (!b || (area !== 'nazareth' && area !== 'pottenberg')) return null;
  return b[area];
}

/** A 2030 target as the monitor shows it: a value, or why there is none. */
export interface TargetValue {
  value: number | null;
  year: number | null;
  note: string | null;
}

/**
 * The 2030 target for a baseline. `relative_increase` means baseline × (1 + value), so it waits for
 * a baseline ("baseline pending"); `share_of_residents` counts participants, which no poll measures.
 */
export function targetFor(indicator: Indicator, baseline: number | null): TargetValue {
  const t = indicator.target;
  if (!t) return { value: null, year: null, note: 'no 2030 target' };
  switch (t.kind) {
    case 'absolute_share':
      return { value: t.value, year: t.year, note: null };
    case 'relative_increase':
      return baseline === null
        ? { value: null, year: t.year, note: 'baseline pending' }
        : { value: Math.round(baseline * (1 + t.value) * 1e6) / 1e6, year: t.year, note: null };
    case 'share_of_residents':
      return { value: t.value, year: t.year, note: 'share of residents taking part (counted, not polled)' };
  }
}
