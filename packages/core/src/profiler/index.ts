// Public profiler API of @rvs/core. Internal modules import each other directly, never this barrel.
export { createProfiler, noopProfiler } from './spans.ts';
export type { JsonValue, MemorySample, MemorySampleOptions, ProfileData, Profiler, ProfilerOptions, SpanHandle, SpanRecord } from './spans.ts';
export { createGpuTimer } from './gpu-timer.ts';
export type { GpuPassTiming, GpuTimer, GpuTimerOptions } from './gpu-timer.ts';
export { buildReport, formatMs, reportBreakdownSvg } from './report.ts';
export type { BreakdownSvgOptions, ProfileReport } from './report.ts';
export { toChromeTrace } from './trace.ts';
export type { ChromeTrace, CompleteEvent, CounterEvent, MetadataEvent, TraceEvent, TraceOptions } from './trace.ts';
export { compareReports, comparisonSvg, formatComparisonTable } from './compare.ts';
export type { CompareOptions, ReportComparison, SectionComparison, Verdict } from './compare.ts';
export { summarize, welchTTest } from './stats.ts';
export type { SectionStats, WelchResult } from './stats.ts';
