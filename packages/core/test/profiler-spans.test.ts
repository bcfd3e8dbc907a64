import { describe, expect, it } from 'vitest';
import { buildReport, createProfiler, noopProfiler, toChromeTrace } from '../src/profiler/index.ts';

/** A clock the test moves by hand, so durations are exact. */
function manualClock() {
  let t = 1000;
  return { clock: () => t, advance: (ms: number) => void (t += ms) };
}

describe('profiler spans', () => {
  it('nests sync spans into paths and times them', () => {
    const { clock, advance } = manualClock();
    const p = createProfiler({ clock });
    const out = p.span('train', () => {
      for (let i = 0; i < 2; i++) {
        p.span('step', () => {
          advance(1);
          p.span('render', () => advance(3));
          p.span('loss', () => advance(2));
        });
      }
      return 42;
    });
    expect(out).toBe(42);
    const summary = buildReport(p).summary;
    expect(Object.keys(summary)).toEqual(['train', 'train/step', 'train/step/loss', 'train/step/render']);
    expect(summary['train/step/render']).toMatchObject({ count: 2, total: 6, mean: 3 });
    expect(summary['train/step']).toMatchObject({ count: 2, total: 12, mean: 6 });
    expect(summary.train).toMatchObject({ count: 1, total: 12 });
  });

  it('times async spans until their promise settles, nesting awaited children', async () => {
    const p = createProfiler();
    const value = await p.spanAsync('load', async () => {
      await p.spanAsync('fetch', () => new Promise<void>((r) => setTimeout(r, 20)));
      return p.span('parse', () => 'ok');
    });
    expect(value).toBe('ok');
    const spans = p.snapshot().spans;
    expect(spans.map((s) => s.path)).toEqual(['load/fetch', 'load/parse', 'load']);
    const load = spans.find((s) => s.path === 'load')!;
    const fetch = spans.find((s) => s.path === 'load/fetch')!;
    // Timer granularity varies; 20 ms with slack for coarse clocks.
    expect(fetch.duration).toBeGreaterThanOrEqual(15);
    expect(load.duration).toBeGreaterThanOrEqual(fetch.duration);
    expect(load.start).toBeLessThanOrEqual(fetch.start);
  });

  it('closes spans whose function throws or rejects', async () => {
    const p = createProfiler();
    expect(() => p.span('bad', () => { throw new Error('boom'); })).toThrow('boom');
    await expect(p.spanAsync('worse', () => Promise.reject(new Error('late')))).rejects.toThrow('late');
    p.span('after', () => {});
    expect(p.snapshot().spans.map((s) => s.path)).toEqual(['bad', 'worse', 'after']);
  });

  it('supports begin/end handles, ending out of order and only once', () => {
    const { clock, advance } = manualClock();
    const p = createProfiler({ clock });
    const outer = p.begin('outer');
    advance(1);
    const inner = p.begin('inner');
    advance(2);
    expect(outer.end()).toBe(3);
    advance(4);
    expect(inner.end()).toBe(6);
    expect(inner.end()).toBe(6);
    p.span('next', () => advance(1));
    expect(p.snapshot().spans.map((s) => [s.path, s.duration])).toEqual([
      ['outer', 3],
      ['outer/inner', 6],
      ['next', 1],
    ]);
  });

  it('sums counters and samples memory', () => {
    const p = createProfiler();
    p.count('views', 16);
    p.count('views', 8);
    p.count('steps');
    const memory = new WebAssembly.Memory({ initial: 2 });
    p.registerWasmMemory(memory);
    p.sampleMemory('after-load', { gpuBytes: 1 << 20 });
    memory.grow(1);
    p.sampleMemory('after-grow');
    const report = buildReport(p);
    expect(report.counters).toEqual({ views: 24, steps: 1 });
    const [first, second] = report.memory_stats;
    expect(first).toMatchObject({ label: 'after-load', wasm_bytes: 2 * 65536, gpu_bytes: 1 << 20, js_heap_source: 'process.memoryUsage' });
    expect(first?.js_heap_bytes).toBeGreaterThan(0);
    expect(second).toMatchObject({ label: 'after-grow', wasm_bytes: 3 * 65536, gpu_bytes: null });
  });

  it('reset drops what was recorded', () => {
    const p = createProfiler();
    p.span('a', () => {});
    p.count('c');
    p.reset();
    expect(p.snapshot()).toMatchObject({ spans: [], counters: {}, memory: [] });
  });
});

describe('disabled profiler', () => {
  it('is the shared no-op object and records nothing', async () => {
    const p = createProfiler({ enabled: false });
    expect(p).toBe(noopProfiler);
    expect(p.enabled).toBe(false);
    expect(p.span('a', () => 7)).toBe(7);
    expect(await p.spanAsync('b', async () => 8)).toBe(8);
    expect(p.begin('c').end()).toBe(0);
    p.count('views', 3);
    p.sampleMemory('m', { gpuBytes: 5 });
    p.registerWasmMemory(new WebAssembly.Memory({ initial: 1 }));
    p.recordGpuSpan('pass', 0, 1);
    p.describeDevice({ x: 1 });
    expect(p.snapshot()).toEqual({ origin: 0, spans: [], counters: {}, memory: [], device: {} });
    const report = buildReport(p);
    expect(report.summary).toEqual({});
    expect(report.memory_stats).toEqual([]);
    expect(report.counters).toEqual({});
    expect(toChromeTrace(p).traceEvents.filter((e) => e.ph !== 'M')).toEqual([]);
  });
});
