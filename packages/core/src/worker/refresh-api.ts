// What a refresh worker serves over Comlink (see `serveRefreshWorker`) and what it is started with.
import type { RenderSettings } from '../cache/key.ts';
import type { CacheStats, CacheStore, RenderCacheOptions, ViewBatch, ViewRenderer, ViewSource } from '../cache/types.ts';

/** Cache options that can cross to a worker (no store or profiler objects). */
export type RefreshWorkerCacheOptions = Omit<RenderCacheOptions, 'store' | 'profiler'>;

/** Sent to each refresh worker as it starts (again after a crash); structured-cloned, not moved. */
export interface RefreshWorkerInit {
  /** The scene file (`.ply` or `.splat`) the worker loads on its own device. */
  scene: Uint8Array;
  /** Render settings; defaults as in `createRasterViewRenderer`. */
  settings?: RenderSettings;
  /** The worker's render cache options. */
  cache?: RefreshWorkerCacheOptions;
  /** Where the worker's setup puts a persistent store (a directory in Node, an OPFS directory in browsers); none when absent. */
  storeName?: string;
}

/** One refreshed set, as it comes back from a worker: `rgba` is moved, not copied. */
export interface RefreshReply {
  count: number;
  width: number;
  height: number;
  /** C·H·W·4 floats. */
  rgba: Float32Array;
  keys: string[];
  sources: ViewSource[];
  /** The worker cache's counters after this refresh. */
  stats: CacheStats;
}

/** The API a refresh worker exposes. */
export interface RefreshWorkerApi {
  init(init: RefreshWorkerInit): Promise<void>;
  /** Refreshes `views`; `id` names the request for `cancel`. */
  refresh(id: number, views: ViewBatch): Promise<RefreshReply>;
  /** Aborts request `id` before its next render batch (it then rejects). */
  cancel(id: number): void;
  /**
   * Fault injection for tests: the worker exits (Node) or closes itself (browsers) with `code`,
   * at once when idle, else when the running refresh reaches its next batch boundary. (Dawn's
   * Node binding aborts the whole process when a thread dies with a GPU promise pending.)
   */
  crash(code?: number): void;
}

/** What the worker script's setup function builds from the init message. */
export interface RefreshWorkerSetup {
  renderer: ViewRenderer;
  store?: CacheStore;
}
