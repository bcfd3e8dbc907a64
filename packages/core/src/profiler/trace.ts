// Chrome trace-event JSON (opens in Perfetto and chrome://tracing): spans as complete ("X")
// events in µs, GPU passes on their own track, memory samples as counters.
import type { JsonValue, ProfileData, Profiler, SpanRecord } from './spans.ts';
import { profileData } from './report.ts';

interface TraceEventBase {
  name: string;
  cat: string;
  /** Microseconds since the profiler's origin. */
  ts: number;
  pid: number;
  tid: number;
  args: Record<string, JsonValue>;
}

/** A span: `ts` to `ts + dur`, both µs. */
export interface CompleteEvent extends TraceEventBase {
  ph: 'X';
  dur: number;
}
/** A memory sample, drawn as a counter track. */
export interface CounterEvent extends TraceEventBase {
  ph: 'C';
}
/** Names and orders the tracks. */
export interface MetadataEvent extends TraceEventBase {
  ph: 'M';
}
export type TraceEvent = CompleteEvent | CounterEvent | MetadataEvent;

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
}

export interface TraceOptions {
  /** Process name shown in the viewer. Default "rvs". */
  processName?: string;
  /** Process id, to merge traces of several workers into one file. Default 1. */
  pid?: number;
}

/** Thread ids: CPU lanes count up from here, GPU lanes from GPU_TID. */
const CPU_TID = 1;
const GPU_TID = 100;

/** ms → µs, rounded to whole ns; rounding start and end the same way keeps children inside parents. */
const micros = (ms: number) => Math.round(ms * 1e6) / 1e3;

/**
 * Converts recorded spans to a Chrome trace. Spans that overlap without nesting (concurrent
 * async work) go on extra "CPU (overlap n)" tracks, since a track must nest strictly.
 */
export function toChromeTrace(source: Profiler | ProfileData, options: TraceOptions = {}): ChromeTrace {
  const data = profileData(source);
  const pid = options.pid ?? 1;
  const events: TraceEvent[] = [
    { name: 'process_name', cat: '__metadata', ph: 'M', ts: 0, pid, tid: 0, args: { name: options.processName ?? 'rvs' } },
  ];
  const tracks: Array<['cpu' | 'gpu', number, string]> = [
    ['cpu', CPU_TID, 'CPU'],
    ['gpu', GPU_TID, 'GPU'],
  ];
  for (const [track, baseTid, label] of tracks) {
    const spans = data.spans.filter((s) => s.track === track);
    const lanes = assignLanes(spans, data.origin);
    const used = new Set<number>();
    for (const { span, lane, ts, end } of lanes) {
      const tid = baseTid + lane;
      used.add(lane);
      const segments = span.path.split('/');
      const name = track === 'gpu' ? span.path.slice('gpu:'.length) : (segments[segments.length - 1] ?? span.path);
      events.push({ name, cat: track, ph: 'X', ts, dur: Math.max(0, end - ts), pid, tid, args: { path: span.path, duration_ms: span.duration } });
    }
    for (const lane of [...used].sort((a, b) => a - b)) {
      const tid = baseTid + lane;
      events.push(
        { name: 'thread_name', cat: '__metadata', ph: 'M', ts: 0, pid, tid, args: { name: lane === 0 ? label : `${label} (overlap ${lane})` } },
        { name: 'thread_sort_index', cat: '__metadata', ph: 'M', ts: 0, pid, tid, args: { sort_index: tid } },
      );
    }
  }
  for (const m of data.memory) {
    const args: Record<string, JsonValue> = {};
    if (m.js_heap_bytes !== null) args.js_heap_bytes = m.js_heap_bytes;
    if (m.wasm_bytes !== null) args.wasm_bytes = m.wasm_bytes;
    if (m.gpu_bytes !== null) args.gpu_bytes = m.gpu_bytes;
    events.push({ name: 'memory', cat: 'memory', ph: 'C', ts: micros(m.t_ms), pid, tid: CPU_TID, args });
  }
  return { traceEvents: events, displayTimeUnit: 'ms' };
}

interface Placed {
  span: SpanRecord;
  lane: number;
  ts: number;
  end: number;
}

/** Puts each span on the first lane where it nests inside (or follows) what is open there. */
function assignLanes(spans: readonly SpanRecord[], origin: number): Placed[] {
  const placed = spans
    .map((span) => ({ span, lane: 0, ts: micros(span.start - origin), end: micros(span.start - origin + span.duration) }))
    // Parents before the children that start with them.
    .sort((a, b) => a.ts - b.ts || b.end - a.end);
  // Per lane, the end times of the spans still open there, innermost last.
  const open: number[][] = [];
  for (const p of placed) {
    let lane = 0;
    for (; ; lane++) {
      const stack = (open[lane] ??= []);
      while (stack.length > 0 && stack[stack.length - 1]! <= p.ts) stack.pop();
      const top = stack[stack.length - 1];
      if (top === undefined || top >= p.end) {
        stack.push(p.end);
        break;
      }
    }
    p.lane = lane;
  }
  return placed;
}
