import { describe, expect, it } from 'vitest';
import { compareReports, comparisonSvg, formatComparisonTable, summarize, type SectionStats } from '../src/profiler/index.ts';

/** Stats for a made-up section; std and count are what matter for the test. */
const stats = (mean: number, std: number, count: number): SectionStats => ({ mean, std, count, total: mean * count, min: mean - std, max: mean + std, median: mean });

const before = {
  summary: {
    render: stats(10, 0.5, 20),
    sort: stats(4, 0.2, 20),
    upload: stats(2, 1.5, 10),
    warmup: stats(50, 0, 1),
    gone: stats(1, 0.1, 5),
  },
};
const after = {
  summary: {
    render: stats(5, 0.4, 20), // clearly faster: 2×, tiny spread
    sort: stats(6, 0.3, 20), // clearly slower
    upload: stats(2.3, 1.6, 10), // within noise
    warmup: stats(25, 0, 1), // one sample: no verdict possible
    added: stats(1, 0.1, 5),
  },
};

describe('compareReports', () => {
  const cmp = compareReports(before, after);
  const get = (section: string) => cmp.sections.find((s) => s.section === section)!;

  it('calls clear speed-ups and slow-downs, and noise no change', () => {
    expect(get('render')).toMatchObject({ verdict: 'faster', speedup: 2 });
    expect(get('render').p).toBeLessThan(1e-6);
    expect(get('sort').verdict).toBe('slower');
    expect(get('sort').speedup).toBeCloseTo(4 / 6, 12);
    expect(get('upload').verdict).toBe('no change');
    expect(get('upload').p).toBeGreaterThan(0.05);
  });

  it('refuses a verdict with fewer than two samples or a missing side', () => {
    expect(get('warmup')).toMatchObject({ verdict: 'insufficient data', speedup: 2, p: null });
    expect(get('gone')).toMatchObject({ verdict: 'insufficient data', after: null, speedup: null });
    expect(get('added')).toMatchObject({ verdict: 'insufficient data', before: null });
  });

  it('ignores significant but negligible changes', () => {
    const a = { summary: { x: stats(100, 0.01, 1000) } };
    const b = { summary: { x: stats(99.5, 0.01, 1000) } };
    expect(compareReports(a, b).sections[0]?.verdict).toBe('no change');
    expect(compareReports(a, b, { minRelativeChange: 0 }).sections[0]?.verdict).toBe('faster');
  });

  it('works on reports built from real samples', () => {
    const slow = { summary: { step: summarize([10.2, 9.8, 10.1, 9.9, 10.0]) } };
    const fast = { summary: { step: summarize([8.1, 7.9, 8.0, 8.2, 7.8]) } };
    expect(compareReports(slow, fast).sections[0]).toMatchObject({ verdict: 'faster', speedup: 1.25 });
    expect(compareReports(fast, slow).sections[0]?.verdict).toBe('slower');
    expect(compareReports(slow, slow).sections[0]).toMatchObject({ verdict: 'no change', speedup: 1, p: 1 });
  });

  it('prints a terminal table with one row per section', () => {
    const table = formatComparisonTable(cmp);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^section\s+before\s+after\s+speed-up\s+p\s+verdict$/);
    const render = lines.find((l) => l.startsWith('render '));
    expect(render).toMatch(/10 ms ± 0\.5 \(n=20\)\s+5 ms ± 0\.4 \(n=20\)\s+2\.000×\s+<1e-4\s+faster/);
    expect(lines.find((l) => l.startsWith('added '))).toMatch(/—.*insufficient data/);
    expect(table).toContain('Welch');
  });

  it('draws the ratios as a self-contained SVG coloured by verdict', () => {
    const svg = comparisonSvg(cmp);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(svg).toContain('2.00× faster');
    expect(svg.match(/fill="#2e9e44"/g)).toHaveLength(1);
    expect(svg.match(/fill="#d23c3c"/g)).toHaveLength(1);
  });
});
