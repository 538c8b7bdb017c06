import { describe, expect, it, vi } from 'vitest';

// Records when a heavy library is read in; the libraries themselves stay real.
const loaded = vi.hoisted(() => new Set<string>());
vi.mock('vega-lite', async (original) => {
  loaded.add('vega-lite');
  return original();
});
vi.mock('vega', async (original) => {
  loaded.add('vega');
  return original();
});
vi.mock('exceljs', async (original) => {
  loaded.add('exceljs');
  return original();
});
vi.mock('sharp', async (original) => {
  loaded.add('sharp');
  return original();
});

describe('heavy libraries', () => {
  it('are not read in when the application loads, only when a chart, a workbook or an image is made', async () => {
    await import('../../src/app.js');
    expect([...loaded]).toEqual([]);

    const { renderSvg } = await import('../../src/http/results-chart.js');
    const svg = await renderSvg({
      data: { values: [{ x: 'a', y: 1 }] },
      mark: 'bar',
      encoding: { x: { field: 'x', type: 'nominal' }, y: { field: 'y', type: 'quantitative' } },
    });
    expect(svg).toContain('<svg');
    expect(loaded).toEqual(new Set(['vega', 'vega-lite']));

    const { imageTypeOf } = await import('../../src/media/images.js');
    expect(await imageTypeOf(Buffer.from('not an image'))).toBeUndefined();
    expect(loaded).toEqual(new Set(['vega', 'vega-lite', 'sharp']));
  });
});
