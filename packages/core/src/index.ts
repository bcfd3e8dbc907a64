// Public API of @rvs/core. Internal modules import each other directly, never this barrel.
export { createWorkerPool, exposeWorkerApi, ownBuffer, transferred, withTransfer, wrapWorker } from './worker/index.ts';
export type { AnyWorker, WorkerPool, WorkerPoolOptions } from './worker/index.ts';
export {
  buildReport,
  compareReports,
  comparisonSvg,
  createGpuTimer,
  createProfiler,
  formatComparisonTable,
  formatMs,
  noopProfiler,
  reportBreakdownSvg,
  summarize,
  toChromeTrace,
  welchTTest,
} from './profiler/index.ts';
export type {
  BreakdownSvgOptions,
  ChromeTrace,
  CompareOptions,
  CompleteEvent,
  CounterEvent,
  GpuPassTiming,
  GpuTimer,
  GpuTimerOptions,
  JsonValue,
  MemorySample,
  MemorySampleOptions,
  MetadataEvent,
  ProfileData,
  Profiler,
  ProfilerOptions,
  ProfileReport,
  ReportComparison,
  SectionComparison,
  SectionStats,
  SpanHandle,
  SpanRecord,
  TraceEvent,
  TraceOptions,
  Verdict,
  WelchResult,
} from './profiler/index.ts';
export * from './pose/index.ts';
export * from './dataset/index.ts';
export * from './cache/index.ts';
export { createBackgroundRefresher } from './worker/refresh.ts';
export type { BackgroundRefresher, BackgroundRefresherOptions, InProcessRefresherOptions, RefreshStats, WorkerRefresherOptions } from './worker/refresh.ts';
export { WorkerDiedError } from './worker/refresh-remote.ts';
export type { WorkerRefreshOptions } from './worker/refresh-remote.ts';
export { serveRefreshWorker } from './worker/refresh-serve.ts';
export type { RefreshReply, RefreshWorkerApi, RefreshWorkerCacheOptions, RefreshWorkerInit, RefreshWorkerSetup } from './worker/refresh-api.ts';
