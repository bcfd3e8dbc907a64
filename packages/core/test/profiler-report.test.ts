import { describe, expect, it } from 'vitest';
import { buildReport, createProfiler, reportBreakdownSvg, toChromeTrace, type CompleteEvent } from '../src/profiler/index.ts';

/** A profile with nested CPU spans, an overlapping async pair, GPU spans and a memory sample. */
function sampleProfile() {
  let t = 500;
  const advance = (ms: number) => void (t += ms);
  const p = createProfiler({ clock: () => t });
  for (let step = 0; step < 3; step++) {
    p.span('train', () =>
      p.span('step', () => {
        p.span('render', () => advance(2 + step));
        p.span('backward', () => advance(1.25));
      }),
    );
  }
  // Two async spans that overlap without nesting: begin a, begin b, end a, end b.
  const a = p.begin('fetch-a');
  advance(1);
  const b = p.begin('fetch-b');
  advance(1);
  a.end();
  advance(1);
  b.end();
  p.recordGpuSpan('project', t, 0.5);
  p.recordGpuSpan('blend', t + 0.5, 0.75);
  p.count('views', 12);
  p.sampleMemory('end', { gpuBytes: 4096 });
  return p;
}

const STAT_KEYS = ['count', 'max', 'mean', 'median', 'min', 'std', 'total'];

describe('profile report', () => {
  it('has the required keys with the right types', () => {
    const report = JSON.parse(JSON.stringify(buildReport(sampleProfile()))) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual(['counters', 'device', 'memory_stats', 'summary']);
    const summary = report.summary as Record<string, Record<string, unknown>>;
    expect(Object.keys(summary)).toEqual(['fetch-a', 'fetch-a/fetch-b', 'train', 'train/step', 'train/step/backward', 'train/step/render', 'gpu:blend', 'gpu:project']);
    for (const stats of Object.values(summary)) {
      expect(Object.keys(stats).sort()).toEqual(STAT_KEYS);
      for (const key of STAT_KEYS) expect(Number.isFinite(stats[key])).toBe(true);
    }
    expect(summary['train/step/render']).toEqual({ mean: 3, std: 1, total: 9, count: 3, min: 2, max: 4, median: 3 });
    expect(summary['gpu:blend']).toMatchObject({ count: 1, total: 0.75 });
    const memory = report.memory_stats as Array<Record<string, unknown>>;
    expect(memory).toHaveLength(1);
    expect(Object.keys(memory[0]!).sort()).toEqual(['gpu_bytes', 'js_heap_bytes', 'js_heap_source', 'label', 't_ms', 'wasm_bytes']);
    expect(memory[0]).toMatchObject({ label: 'end', gpu_bytes: 4096, wasm_bytes: null });
    const device = report.device as Record<string, unknown>;
    expect(device.runtime).toBe('node');
    // No GPU timer was made: the report must say timing is unavailable, and why.
    expect(device.gpu_timing).toEqual({ available: false, reason: expect.stringContaining('no GPU timer') });
    expect(report.counters).toEqual({ views: 12 });
  });

  it('draws a self-contained SVG breakdown', () => {
    const svg = reportBreakdownSvg(buildReport(sampleProfile()));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).not.toMatch(/href=|<script|NaN/);
    expect(svg.match(/<rect [^>]*fill="#3d7ee8"/g)).toHaveLength(6);
    expect(svg.match(/<rect [^>]*fill="#e8853d"/g)).toHaveLength(2);
    expect(svg).toContain('train/step/render');
    expect(reportBreakdownSvg({ summary: { 'a<&>': { mean: 1, std: 0, total: 1, count: 1, min: 1, max: 1, median: 1 } } })).toContain('a&lt;&amp;&gt;');
  });
});

describe('Chrome trace', () => {
  it('emits complete events in µs, nested consistently, GPU on its own track', () => {
    const p = sampleProfile();
    const data = p.snapshot();
    const trace = JSON.parse(JSON.stringify(toChromeTrace(p))) as ReturnType<typeof toChromeTrace>;
    expect(trace.displayTimeUnit).toBe('ms');
    expect(new Set(trace.traceEvents.map((e) => e.ph))).toEqual(new Set(['X', 'M', 'C']));
    const spans = trace.traceEvents.filter((e): e is CompleteEvent => e.ph === 'X');
    expect(spans).toHaveLength(data.spans.length);
    for (const e of spans) {
      expect(Object.keys(e).sort()).toEqual(['args', 'cat', 'dur', 'name', 'ph', 'pid', 'tid', 'ts']);
      expect(e.ts).toBeGreaterThanOrEqual(0);
      expect(e.dur).toBeGreaterThanOrEqual(0);
    }
    // µs from the origin: steps last 3.25, 4.25 and 5.25 ms, so renders start at 0, 3.25 and 7.5 ms.
    const renders = spans.filter((e) => e.args.path === 'train/step/render').sort((x, y) => x.ts - y.ts);
    expect(renders.map((e) => e.dur)).toEqual([2000, 3000, 4000]);
    expect(renders.map((e) => e.ts)).toEqual([0, 3250, 7500]);
    expect(renders[0]?.name).toBe('render');

    // Each CPU child lies inside its parent on the same track.
    const byPath = (path: string) => spans.filter((e) => e.args.path === path);
    for (const child of byPath('train/step/render')) {
      const parent = byPath('train/step').find((s) => s.ts <= child.ts && child.ts + child.dur <= s.ts + s.dur);
      expect(parent?.tid).toBe(child.tid);
    }
    // On every track, events either nest or are disjoint.
    const tracks = new Map<number, CompleteEvent[]>();
    for (const e of spans) tracks.set(e.tid, [...(tracks.get(e.tid) ?? []), e]);
    for (const events of tracks.values()) {
      for (const x of events) {
        for (const y of events) {
          const disjoint = x.ts + x.dur <= y.ts || y.ts + y.dur <= x.ts;
          const nested = (x.ts <= y.ts && y.ts + y.dur <= x.ts + x.dur) || (y.ts <= x.ts && x.ts + x.dur <= y.ts + y.dur);
          expect(disjoint || nested).toBe(true);
        }
      }
    }
    // The overlapping async pair is split across two CPU tracks; GPU passes share their own.
    expect(byPath('fetch-a')[0]?.tid).not.toBe(byPath('fetch-a/fetch-b')[0]?.tid);
    const gpu = spans.filter((e) => e.cat === 'gpu');
    expect(gpu.map((e) => e.name).sort()).toEqual(['blend', 'project']);
    expect(new Set(gpu.map((e) => e.tid)).size).toBe(1);
    expect(spans.filter((e) => e.cat === 'cpu').every((e) => e.tid !== gpu[0]?.tid)).toBe(true);
    const names = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args.name);
    expect(names).toEqual(expect.arrayContaining(['CPU', 'CPU (overlap 1)', 'GPU']));
    const counter = trace.traceEvents.find((e) => e.ph === 'C');
    expect(counter?.args.gpu_bytes).toBe(4096);
  });
});
