// The main-thread side of worker refresh: starts the worker, sends it the init message, runs
// refreshes on it, and restarts it when it dies (or stops answering) mid-refresh.
import type { Remote } from 'comlink';
import type { CachedViews, CacheStats, ViewBatch } from '../cache/types.ts';
import { hostViews } from '../cache/views.ts';
import { wrapWorker, type AnyWorker } from './endpoint.ts';
import type { RefreshWorkerApi, RefreshWorkerInit } from './refresh-api.ts';

/** Options of a worker-backed refresher. */
export interface WorkerRefreshOptions {
  /** Starts one worker running a `serveRefreshWorker` script; called again after a crash. */
  createWorker: () => AnyWorker;
  /** Sent to every worker started. */
  init: RefreshWorkerInit;
  /** Restarts allowed while serving one request before its `takeNext` rejects. Default 3. */
  maxRestarts?: number;
  /**
   * A refresh not answered within this many ms counts as a crash: the worker is terminated and
   * restarted. Browsers report nothing when a Worker is terminated, so set this there. Leave it
   * unset in Node: Dawn's Node binding aborts the whole process when a worker thread dies with a
   * GPU promise pending. Default none.
   */
  timeoutMs?: number;
}

/** Runs one refresh at a time somewhere; the scheduler in refresh.ts drives it. */
export interface RefreshRunner {
  run(id: number, views: ViewBatch, signal: AbortSignal): Promise<CachedViews>;
  /** Counters of the cache behind the runner (a worker's: as of its last reply). */
  cacheStats(): CacheStats | undefined;
  destroy(): Promise<void>;
}

/** The worker died or stopped answering. */
export class WorkerDiedError extends Error {
  override name = 'WorkerDiedError';
}

interface Slot {
  worker: AnyWorker;
  dead: Promise<never>;
  kill: (e: Error) => void;
  ready: Promise<Remote<RefreshWorkerApi>>;
}

/** Calls `die` once when the worker reports an error or (Node) exits. */
function watchDeath(worker: AnyWorker, die: (why: string) => void): void {
  if ('on' in worker && typeof worker.on === 'function') {
    worker.on('error', (e: Error) => die(`failed: ${e.message}`));
    worker.on('exit', (code: number) => die(`exited with code ${code}`));
  } else {
    (worker as Worker).addEventListener('error', (e) => die(`failed: ${e.message}`));
  }
}

/** A runner on a restartable refresh worker; `onRestart` hears of every replacement worker. */
export function createWorkerRunner(options: WorkerRefreshOptions, onRestart: () => void): RefreshRunner {
  const maxRestarts = options.maxRestarts ?? 3;
  let slot: Slot | undefined;
  let started = 0;
  let lastStats: CacheStats | undefined;

  const start = (): Slot => {
    if (started++ > 0) onRestart();
    const worker = options.createWorker();
    let kill!: (e: Error) => void;
    const dead = new Promise<never>((_, reject) => (kill = reject));
    watchDeath(worker, (why) => kill(new WorkerDiedError(`refresh worker ${why}`)));
    const ready = (async () => {
      const api = await wrapWorker<RefreshWorkerApi>(worker);
      await api.init(options.init);
      return api;
    })();
    const s: Slot = { worker, dead, kill, ready: Promise.race([dead, ready]) };
    ready.catch((e: unknown) => kill(e instanceof Error ? e : new Error(String(e)))); // a failed init retires the worker
    dead.catch(() => {
      if (slot === s) slot = undefined;
      void Promise.resolve(worker.terminate()).catch(() => {});
    });
    return s;
  };

  return {
    async run(id, views, signal) {
      for (let attempt = 0; ; attempt++) {
        signal.throwIfAborted();
        const s = (slot ??= start());
        let timer: ReturnType<typeof setTimeout> | undefined;
        const onAbort = () => void s.ready.then((api) => api.cancel(id)).catch(() => {});
        try {
          const api = await s.ready;
          signal.addEventListener('abort', onAbort, { once: true });
          if (options.timeoutMs !== undefined) {
            timer = setTimeout(() => s.kill(new WorkerDiedError(`refresh worker did not answer within ${options.timeoutMs} ms`)), options.timeoutMs);
          }
          const reply = await Promise.race([s.dead, api.refresh(id, views)]);
          lastStats = reply.stats;
          return hostViews(reply.rgba, { count: reply.count, width: reply.width, height: reply.height, keys: reply.keys, sources: reply.sources });
        } catch (e) {
          if (signal.aborted) throw signal.reason;
          if (!(e instanceof WorkerDiedError) || attempt >= maxRestarts) throw e;
        } finally {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
        }
      }
    },
    cacheStats: () => lastStats,
    async destroy() {
      const s = slot;
      slot = undefined;
      if (s) await Promise.resolve(s.worker.terminate());
    },
  };
}
