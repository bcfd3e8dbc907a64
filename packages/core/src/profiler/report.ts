// The profiler's JSON report and its SVG breakdown chart.
import type { JsonValue, MemorySample, ProfileData, Profiler } from './spans.ts';
import { summarize, type SectionStats } from './stats.ts';
import { barChartSvg } from './svg.ts';

/**
 * A profile report. `summary`, `memory_stats` and `device` are the fixed schema; times are ms.
 * Sections are span paths (`train/step/render`) and GPU passes (`gpu:<name>`).
 */
export interface ProfileReport {
  summary: Record<string, SectionStats>;
  memory_stats: MemorySample[];
  /** Runtime, adapter and `gpu_timing: { available, reason? }`. */
  device: Record<string, JsonValue>;
  counters: Record<string, number>;
}

/** Accepts a live profiler or a snapshot (e.g. one posted from a worker). */
export function profileData(source: Profiler | ProfileData): ProfileData {
  return 'snapshot' in source ? source.snapshot() : source;
}

/** Builds the report: span durations grouped by section, CPU sections first, each group sorted by name. */
export function buildReport(source: Profiler | ProfileData): ProfileReport {
  const data = profileData(source);
  const durations = new Map<string, number[]>();
  for (const span of data.spans) {
    let list = durations.get(span.path);
    if (!list) durations.set(span.path, (list = []));
    list.push(span.duration);
  }
  const summary: Record<string, SectionStats> = {};
  for (const section of sortSections([...durations.keys()])) summary[section] = summarize(durations.get(section) ?? []);
  const device: Record<string, JsonValue> = { ...data.device };
  // Say so explicitly, so a report without GPU spans is never read as "the GPU took no time".
  device.gpu_timing ??= { available: false, reason: 'no GPU timer was created for this profiler' };
  return { summary, memory_stats: data.memory.map((m) => ({ ...m })), device, counters: { ...data.counters } };
}

/** Sorts section names so children follow their parent and GPU sections come last. */
export function sortSections(sections: readonly string[]): string[] {
  const isGpu = (s: string) => s.startsWith('gpu:');
  return [...sections].sort((a, b) => Number(isGpu(a)) - Number(isGpu(b)) || (a < b ? -1 : a > b ? 1 : 0));
}

export interface BreakdownSvgOptions {
  /** Chart title. Default "Time per section". */
  title?: string;
}

/** An SVG of total time per section (bars), with mean and count in the text; CPU blue, GPU orange. */
export function reportBreakdownSvg(report: Pick<ProfileReport, 'summary'>, options: BreakdownSvgOptions = {}): string {
  const rows = Object.entries(report.summary).map(([section, s]) => ({
    label: section,
    value: s.total,
    text: `${formatMs(s.total)} (${s.count}× ${formatMs(s.mean)})`,
    color: section.startsWith('gpu:') ? '#e8853d' : '#3d7ee8',
  }));
  return barChartSvg({ title: options.title ?? 'Time per section', rows, caption: 'total ms (count × mean); nested sections include their children' });
}

/** Formats milliseconds with about four significant digits, e.g. "12.35 ms", "0.0421 ms". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return `${ms} ms`;
  if (ms === 0) return '0 ms';
  return `${Math.abs(ms) >= 1000 ? ms.toFixed(0) : Number(ms.toPrecision(4)).toString()} ms`;
}
