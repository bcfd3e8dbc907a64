// CPU spans, counters and memory samples. A disabled profiler is one shared object whose
// methods do nothing, so instrumented code pays a call and nothing else.

/** A JSON value, for the report's free-form `device` section. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One finished span. Times are milliseconds on the profiler's clock (`performance.now()`). */
export interface SpanRecord {
  /** Section name: the `/`-joined names of the spans open when it began, e.g. `train/step/render`. */
  path: string;
  start: number;
  duration: number;
  /** `gpu` spans come from timestamp queries; their `start` is the CPU time the work was resolved. */
  track: 'cpu' | 'gpu';
}

/** One memory sample. Byte counts are null where that kind of memory could not be read. */
export interface MemorySample {
  label: string;
  /** Milliseconds since the profiler was created. */
  t_ms: number;
  /** JS heap in use: `performance.memory.usedJSHeapSize` (Chromium) or `process.memoryUsage().heapUsed` (Node). */
  js_heap_bytes: number | null;
  js_heap_source: 'performance.memory' | 'process.memoryUsage' | null;
  /** Sum of the registered `WebAssembly.Memory` buffers; null when none is registered. */
  wasm_bytes: number | null;
  /** GPU memory the caller says it allocated (WebGPU cannot report it). */
  gpu_bytes: number | null;
}

/** Everything a profiler recorded, as plain data (structured-cloneable, e.g. out of a worker). */
export interface ProfileData {
  /** Clock reading when the profiler was created; trace timestamps count from here. */
  origin: number;
  spans: SpanRecord[];
  counters: Record<string, number>;
  memory: MemorySample[];
  device: Record<string, JsonValue>;
}

/** Handle of a span opened with `begin`. */
export interface SpanHandle {
  /** Closes the span and returns its duration in ms; later calls do nothing and return the same value. */
  end(): number;
}

export interface MemorySampleOptions {
  /** Bytes of GPU buffers/textures the caller has allocated. */
  gpuBytes?: number;
}

export interface Profiler {
  readonly enabled: boolean;
  /** Times `fn` as a span named `name`, nested under the spans open now; closes it if `fn` throws. */
  span<T>(name: string, fn: () => T): T;
  /** Times an async `fn` until its promise settles. Concurrent async spans nest under whatever was open when each began. */
  spanAsync<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Opens a span; close it with `end()` on the returned handle. */
  begin(name: string): SpanHandle;
  /** Adds `n` (default 1) to counter `name`. */
  count(name: string, n?: number): void;
  /** Records JS heap, registered WASM memory and the caller's GPU bytes under `label`. */
  sampleMemory(label: string, options?: MemorySampleOptions): void;
  /** Adds a WASM memory to `wasm_bytes` in later samples (its size is read at each sample, as it grows). */
  registerWasmMemory(memory: WebAssembly.Memory): void;
  /** Records a GPU span (section `gpu:<name>`); used by the GPU timer. */
  recordGpuSpan(name: string, start: number, duration: number): void;
  /** Merges entries into the report's `device` section. */
  describeDevice(info: Record<string, JsonValue>): void;
  /** The current clock reading in ms. */
  now(): number;
  /** A copy of everything recorded so far. */
  snapshot(): ProfileData;
  /** Drops everything recorded (device info is kept) and restarts the clock origin. */
  reset(): void;
}

export interface ProfilerOptions {
  /** When false, `createProfiler` returns the shared no-op profiler. Default true. */
  enabled?: boolean;
  /** Clock in ms. Default `performance.now()` (Node, browsers and workers all have it). */
  clock?: () => number;
}

const noopHandle: SpanHandle = { end: () => 0 };

/** The shared profiler that records nothing; what `createProfiler({ enabled: false })` returns. */
export const noopProfiler: Profiler = Object.freeze({
  enabled: false,
  span: <T>(_name: string, fn: () => T): T => fn(),
  spanAsync: <T>(_name: string, fn: () => Promise<T>): Promise<T> => fn(),
  begin: () => noopHandle,
  count: () => {},
  sampleMemory: () => {},
  registerWasmMemory: () => {},
  recordGpuSpan: () => {},
  describeDevice: () => {},
  now: () => performance.now(),
  snapshot: () => ({ origin: 0, spans: [], counters: {}, memory: [], device: {} }),
  reset: () => {},
});

/** Creates a profiler; see `ProfilerOptions` for defaults. */
export function createProfiler(options: ProfilerOptions = {}): Profiler {
  if (options.enabled === false) return noopProfiler;
  const clock = options.clock ?? (() => performance.now());
  let origin = clock();
  let spans: SpanRecord[] = [];
  let counters: Record<string, number> = {};
  let memory: MemorySample[] = [];
  const device: Record<string, JsonValue> = { runtime: detectRuntime() };
  const wasmMemories = new Set<WebAssembly.Memory>();
  // Paths of the open spans, innermost last. Handles may end out of order (async work),
  // so each removes its own entry rather than popping.
  const open: string[] = [];

  const begin = (name: string): SpanHandle => {
    const parent = open[open.length - 1];
    const path = parent === undefined ? name : `${parent}/${name}`;
    open.push(path);
    const start = clock();
    let duration: number | undefined;
    return {
      end() {
        if (duration !== undefined) return duration;
        duration = clock() - start;
        const at = open.lastIndexOf(path);
        if (at >= 0) open.splice(at, 1);
        spans.push({ path, start, duration, track: 'cpu' });
        return duration;
      },
    };
  };

  return {
    enabled: true,
    span(name, fn) {
      const handle = begin(name);
      try {
        return fn();
      } finally {
        handle.end();
      }
    },
    async spanAsync(name, fn) {
      const handle = begin(name);
      try {
        return await fn();
      } finally {
        handle.end();
      }
    },
    begin,
    count(name, n = 1) {
      counters[name] = (counters[name] ?? 0) + n;
    },
    sampleMemory(label, sampleOptions = {}) {
      const heap = readJsHeap();
      let wasm: number | null = null;
      for (const m of wasmMemories) wasm = (wasm ?? 0) + m.buffer.byteLength;
      memory.push({
        label,
        t_ms: clock() - origin,
        js_heap_bytes: heap?.bytes ?? null,
        js_heap_source: heap?.source ?? null,
        wasm_bytes: wasm,
        gpu_bytes: sampleOptions.gpuBytes ?? null,
      });
    },
    registerWasmMemory(m) {
      wasmMemories.add(m);
    },
    recordGpuSpan(name, start, duration) {
      spans.push({ path: `gpu:${name}`, start, duration, track: 'gpu' });
    },
    describeDevice(info) {
      Object.assign(device, info);
    },
    now: clock,
    snapshot: () => structuredClone({ origin, spans, counters, memory, device }),
    reset() {
      origin = clock();
      spans = [];
      counters = {};
      memory = [];
      open.length = 0;
    },
  };
}

/** Reads the JS heap from whichever API this runtime has, or undefined where none does (Firefox, Safari). */
function readJsHeap(): { bytes: number; source: 'performance.memory' | 'process.memoryUsage' } | undefined {
  // Chromium-only and non-standard, hence the narrow cast.
  const perfMemory = (performance as { memory?: { usedJSHeapSize?: number } }).memory;
  if (typeof perfMemory?.usedJSHeapSize === 'number') return { bytes: perfMemory.usedJSHeapSize, source: 'performance.memory' };
  const proc = (globalThis as { process?: { memoryUsage?: () => { heapUsed: number } } }).process;
  if (typeof proc?.memoryUsage === 'function') return { bytes: proc.memoryUsage().heapUsed, source: 'process.memoryUsage' };
  return undefined;
}

/** Where this profiler runs; recorded at creation because a snapshot may be reported elsewhere. */
function detectRuntime(): 'node' | 'worker' | 'browser' | 'unknown' {
  const g = globalThis as { process?: { versions?: { node?: string } }; WorkerGlobalScope?: abstract new () => unknown; document?: unknown };
  // Node first: the Node WebGPU shim defines a WorkerGlobalScope class too.
  if (typeof g.process?.versions?.node === 'string') return 'node';
  if (typeof g.WorkerGlobalScope === 'function' && globalThis instanceof g.WorkerGlobalScope) return 'worker';
  if (g.document !== undefined) return 'browser';
  return 'unknown';
}
