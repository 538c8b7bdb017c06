import type { TopLevelSpec } from 'vega-lite';
import { type AggregateCell, TOTAL } from '../export/aggregates.js';
import type { Indicator } from '../export/indicators.js';

/** Names of areas as residents say them. */
export const AREA_NAMES: Record<string, string> = {
  [TOTAL]: 'Totaal',
  nazareth: 'Nazareth',
  pottenberg: 'Pottenberg',
  elders: 'Elders',
  geen: 'Zeg ik liever niet',
  onbekend: 'Onbekend',
};
const AREA_COLOURS: Record<string, string> = {
  [TOTAL]: '#4d4d4d',
  nazareth: '#1f6fb2',
  pottenberg: '#d4760a',
  elders: '#3d8b3d',
  geen: '#8c6bb1',
  onbekend: '#a0522d',
};
const SUPPRESSED_GREY = '#c8c8c8';

/** How a wave is named on the page: "aanmelding 2026-03" or its start day and poll. */
export function waveLabel(cell: Pick<AggregateCell, 'wave' | 'wave_start' | 'polls'>): string {
  if (cell.wave.startsWith('onboarding-')) return `aanmelding ${cell.wave.slice('onboarding-'.length)}`;
  if (cell.wave.startsWith('month-')) return `maand ${cell.wave.slice('month-'.length)}`;
  return `${cell.wave_start} ${cell.polls}`;
}

/**
 * The chart of one indicator over the waves: a bar per area (and the total) with its 95% interval,
 * suppressed cells as grey bars, each area's baseline as a dashed line and the 2030 target as a
 * solid black line. Only aggregate cells go in, so the chart can never show more than the table.
 */
export function indicatorSpec(indicator: Indicator, cells: readonly AggregateCell[]): TopLevelSpec {
  const share = indicator.measure !== 'mean';
  const top = share ? 1 : 10;
  const shown = cells.filter((c) => c.level === 'total' || c.level === 'area');
  const waves = [...new Map(shown.map((c) => [c.wave, c])).values()]
    .sort((a, b) => a.wave_start.localeCompare(b.wave_start) || a.wave.localeCompare(b.wave))
    .map(waveLabel);
  const areas = Object.keys(AREA_NAMES).filter((a) => shown.some((c) => c.area === a));
  const rows = shown.map((c) => ({
    wave: waveLabel(c),
    area: AREA_NAMES[c.area] ?? c.area,
    value: c.value,
    low: c.ci_low,
    high: c.ci_high,
    top,
    suppressed: c.suppressed,
  }));
  const baselines = [
    ...new Map(
      shown
        .filter((c) => c.level === 'area' && c.baseline !== null)
        .map((c) => [c.area, { area: AREA_NAMES[c.area] ?? c.area, baseline: c.baseline }]),
    ).values(),
  ];
  const target = shown.find((c) => c.target !== null && c.level === 'total')?.target ?? null;
  const areaNames = areas.map((a) => AREA_NAMES[a]!);
  const x = { field: 'wave', type: 'nominal' as const, sort: waves, title: null, axis: { labelAngle: 0 } };
  const xOffset = { field: 'area', type: 'nominal' as const, sort: areaNames };
  const y = (field: string) => ({
    field,
    type: 'quantitative' as const,
    scale: { domain: [0, top] },
    title:
      indicator.measure === 'count_rsvp'
        ? 'aandeel dat komt / share who come'
        : share
          ? 'aandeel positief / share positive'
          : 'gemiddeld cijfer / mean mark',
    axis: share ? { format: '.0%' } : {},
  });
  const colour = {
    field: 'area',
    type: 'nominal' as const,
    title: 'buurt / area',
    scale: { domain: areaNames, range: areas.map((a) => AREA_COLOURS[a]!) },
  };
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `${indicator.label.nl} / ${indicator.label.en}`,
    width: Math.max(320, Math.min(720, 90 * Math.max(1, waves.length) * Math.max(1, areas.length) * 0.5)),
    height: 220,
    config: { font: 'sans-serif', view: { stroke: null } },
    layer: [
      {
        data: { values: rows.filter((r) => r.suppressed) },
        // A dark outline: the light fill alone would not stand out from the page (WCAG 1.4.11, 3:1).
        mark: { type: 'bar', color: SUPPRESSED_GREY, fillOpacity: 0.6, stroke: '#595959', strokeWidth: 1 },
        encoding: { x, xOffset, y: y('top') },
      },
      {
        data: { values: rows.filter((r) => !r.suppressed) },
        layer: [
          { mark: 'bar', encoding: { x, xOffset, y: y('value'), color: colour } },
          {
            mark: { type: 'rule', color: '#111', strokeWidth: 1.5 },
            encoding: { x, xOffset, y: y('low'), y2: { field: 'high' } },
          },
        ],
      },
      ...(baselines.length > 0
        ? [
            {
              data: { values: baselines },
              mark: { type: 'rule' as const, strokeDash: [6, 4], strokeWidth: 2 },
              encoding: { y: y('baseline'), color: colour },
            },
          ]
        : []),
      ...(target !== null
        ? [
            {
              data: {
                values: [
                  { target, label: `doel 2030 / target: ${share ? `${Math.round(target * 100)}%` : target}` },
                ],
              },
              layer: [
                {
                  mark: { type: 'rule' as const, color: '#000', strokeWidth: 2 },
                  encoding: { y: y('target') },
                },
                {
                  mark: {
                    type: 'text' as const,
                    align: 'left' as const,
                    dx: 4,
                    dy: -7,
                    x: 0,
                    fontWeight: 'bold' as const,
                  },
                  encoding: { y: y('target'), text: { field: 'label' } },
                },
              ],
            },
          ]
        : []),
    ],
  };
  return spec;
}

/**
 * Renders a vega-lite spec to an SVG string on the server: no JavaScript reaches the browser. With
 * `labelledBy` (the id of an element that says what the chart shows), the chart is one image with that
 * text as its name (`role="img"`): a screen reader then reads the caption once instead of every bar
 * and tick, and the figures themselves are in the table next to it.
 */
export async function renderSvg(spec: TopLevelSpec, labelledBy?: string): Promise<string> {
  // Loaded on first use: vega and vega-lite take half a second to read in, which no other route
  // (and no process that never draws a chart) should pay for.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    if (labelledBy === undefined) return svg;
    if (!/^[A-Za-z][\w-]*$/.test(labelledBy)) throw new Error(`not an element id: ${labelledBy}`);
    return svg.replace(/^<svg /, `<svg role="img" aria-labelledby="${labelledBy}" `);
  } finally {
    view.finalize();
  }
}
