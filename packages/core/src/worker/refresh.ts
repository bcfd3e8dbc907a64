// Background refresh one set ahead, as RAP keeps a queue of one: `prepareNext` starts rendering
// the next set while the trainer trains on the current one, `takeNext` hands it over (waiting
// if it is not ready, and recording that wait as the trainer's stall). Either in-process on the
// training device, or in a worker with its own device.
import { viewCount } from '../cache/key.ts';
import type { CachedViews, CacheStats, RenderCache, ViewBatch } from '../cache/types.ts';
import { noopProfiler, type Profiler } from '../profiler/spans.ts';
import { createWorkerRunner, type RefreshRunner, type WorkerRefreshOptions } from './refresh-remote.ts';

/** In-process mode: renders through `cache` on the caller's thread and device, interleaved with training. */
export interface InProcessRefresherOptions {
  cache: RenderCache;
  /** Span `refresh-stall` and counters `refresh/stall-ms`, `refresh/takes` go here. Default none. */
  profiler?: Profiler;
}

/** Worker mode: renders in a worker with its own device; images come back as moved buffers. */
export interface WorkerRefresherOptions {
  worker: WorkerRefreshOptions;
  /** Span `refresh-stall` and counters `refresh/stall-ms`, `refresh/takes` go here. Default none. */
  profiler?: Profiler;
}

export type BackgroundRefresherOptions = InProcessRefresherOptions | WorkerRefresherOptions;

/** Counters of a background refresher. */
export interface RefreshStats {
  prepared: number;
  taken: number;
  /** Requests replaced by a newer `prepareNext` before they were taken. */
  superseded: number;
  /** Workers started to replace a crashed one. */
  restarts: number;
  /** Time `takeNext` waited, in ms: total, last and longest. */
  stallMs: number;
  lastStallMs: number;
  maxStallMs: number;
  /** Wall time of the last finished refresh, start to ready. */
  lastRefreshMs: number;
}

/** One set in preparation, at most one rendering at a time. */
export interface BackgroundRefresher {
  readonly mode: 'in-process' | 'worker';
  /**
   * Starts preparing `views` (copied; the caller may reuse its arrays) and returns the request id.
   * Supersedes an untaken earlier request: it is cancelled before its next render batch, or its
   * images are freed. Rendering starts once the previous one has stopped (back-pressure).
   * @throws synchronously on malformed views.
   */
  prepareNext(views: ViewBatch): number;
  /** The last prepared set, waiting for it if needed; rejects when nothing was prepared. The caller owns (and destroys) the views. */
  takeNext(): Promise<CachedViews>;
  /** Whether a prepared set awaits `takeNext`. */
  readonly pending: boolean;
  /** Whether that set is rendered, so `takeNext` would not wait. */
  readonly ready: boolean;
  stats(): RefreshStats;
  /** The cache's counters (a worker's as of its last reply). */
  cacheStats(): CacheStats | undefined;
  /** Cancels what is pending and stops the worker; an in-process cache stays the caller's. */
  destroy(): Promise<void>;
}

interface Request {
  id: number;
  controller: AbortController;
  promise: Promise<CachedViews>;
  settled: boolean;
}

/** Creates a background refresher in the mode its options name (`cache` or `worker`). */
export function createBackgroundRefresher(options: BackgroundRefresherOptions): BackgroundRefresher {
  const profiler = options.profiler ?? noopProfiler;
  const stats: RefreshStats = { prepared: 0, taken: 0, superseded: 0, restarts: 0, stallMs: 0, lastStallMs: 0, maxStallMs: 0, lastRefreshMs: 0 };
  const inProcess = 'cache' in options;
  const runner: RefreshRunner = inProcess
    ? { run: (_id, views, signal) => options.cache.refresh(views, { signal }), cacheStats: () => options.cache.stats(), destroy: async () => {} }
    : createWorkerRunner(options.worker, () => void stats.restarts++);
  let next: Request | undefined;
  let running: Promise<void> = Promise.resolve();
  let ids = 0;
  let destroyed = false;

  const supersede = (r: Request): void => {
    r.controller.abort();
    void r.promise.then((v) => v.destroy(), () => {});
  };

  return {
    mode: inProcess ? 'in-process' : 'worker',
    prepareNext(views) {
      if (destroyed) throw new Error('prepareNext: this refresher was destroyed');
      const copy: ViewBatch = { viewmats: views.viewmats.slice(), Ks: views.Ks.slice(), width: views.width, height: views.height };
      viewCount(copy);
      if (next) {
        stats.superseded++;
        supersede(next);
      }
      const id = ++ids;
      const controller = new AbortController();
      const promise = running.then(async () => {
        controller.signal.throwIfAborted();
        const t0 = profiler.now();
        const views = await runner.run(id, copy, controller.signal);
        stats.lastRefreshMs = profiler.now() - t0;
        return views;
      });
      promise.catch(() => {}); // takeNext reports the error
      running = promise.then(
        () => {},
        () => {},
      );
      const request: Request = { id, controller, promise, settled: false };
      void running.then(() => (request.settled = true));
      next = request;
      stats.prepared++;
      return id;
    },
    async takeNext() {
      const request = next;
      if (!request) throw new Error('takeNext: nothing prepared; call prepareNext(views) first');
      next = undefined;
      stats.taken++;
      const span = profiler.begin('refresh-stall');
      const t0 = profiler.now();
      try {
        return await request.promise;
      } finally {
        const ms = profiler.now() - t0;
        span.end();
        stats.stallMs += ms;
        stats.lastStallMs = ms;
        stats.maxStallMs = Math.max(stats.maxStallMs, ms);
        profiler.count('refresh/stall-ms', ms);
        profiler.count('refresh/takes');
      }
    },
    get pending() {
      return next !== undefined;
    },
    get ready() {
      return next?.settled ?? false;
    },
    stats: () => ({ ...stats }),
    cacheStats: () => runner.cacheStats(),
    async destroy() {
      destroyed = true;
      if (next) supersede(next);
      next = undefined;
      await running;
      await runner.destroy();
    },
  };
}
