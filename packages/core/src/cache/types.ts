// The render cache's contracts. `@rvs/core` never imports the rasterizer: the cache renders
// through the small `ViewRenderer` interface (see `createRasterViewRenderer` for the adapter
// that wraps `@rvs/raster-wgpu`, structurally typed).
import type { Profiler } from '../profiler/spans.ts';

/** A batch of C views to render or look up. */
export interface ViewBatch {
  /** [C, 4, 4] world→camera, row-major, OpenCV axes (see `viewmatsFromPoses`). */
  viewmats: Float32Array;
  /** [C, 3, 3] row-major pinhole intrinsics, or one [3, 3] shared by every view. */
  Ks: Float32Array;
  width: number;
  height: number;
}

/** C views a renderer produced; `rgbaBuffer` lives on the renderer's `device`. */
export interface RenderedBatch {
  /** [C, H, W, 4] f32 on the renderer's device (absent for host-only renderers). Valid until `destroy()`. */
  readonly rgbaBuffer?: GPUBuffer;
  /** C·H·W·4 floats: RGB composited over the background, then alpha; rows top-down. */
  readRgba(): Promise<Float32Array>;
  destroy(): void;
}

/** What the cache renders through: one scene with fixed settings. */
export interface ViewRenderer {
  /** Content hash of the scene being rendered; a change invalidates the cache. */
  readonly sceneHash: string;
  /** Canonical string of the render settings (mode, SH degree, background); a change invalidates the cache. */
  readonly settingsKey: string;
  /** Device that `RenderedBatch.rgbaBuffer` lives on; enables the GPU tier and GPU output. */
  readonly device?: GPUDevice | undefined;
  /** Renders C views; `Ks` always has C·9 numbers here. */
  render(viewmats: Float32Array, Ks: Float32Array, width: number, height: number): Promise<RenderedBatch>;
}

/** Where a view of a refresh came from. */
export type ViewSource = 'gpu' | 'host' | 'disk' | 'render';

/** The C images of one refresh, in request order. */
export interface CachedViews {
  readonly count: number;
  readonly width: number;
  readonly height: number;
  /** Cache key of each view (16 hex digits). */
  readonly keys: readonly string[];
  readonly sources: readonly ViewSource[];
  /**
   * [C, H, W, 4] f32 on the renderer's device, owned by this object (valid until `destroy()`);
   * undefined when the images came from a host-only renderer or a worker.
   */
  readonly gpuBuffer: GPUBuffer | undefined;
  /** C·H·W·4 floats, rows top-down (read back from `gpuBuffer` when there is one; memoised). */
  readRgba(): Promise<Float32Array>;
  /** Frees `gpuBuffer`. */
  destroy(): void;
}

/**
 * Persistent key → bytes storage (a directory in Node, OPFS in browsers). `write` must be
 * atomic: a reader sees the old entry, the new one or none, never a mix. Names are
 * `[0-9a-z.-]` only.
 */
export interface CacheStore {
  /** The entry's bytes, or undefined when there is none. */
  read(name: string): Promise<Uint8Array | undefined>;
  write(name: string, bytes: Uint8Array): Promise<void>;
  /** Removes the entry; no error when it is missing. */
  delete(name: string): Promise<void>;
  /** Names of all entries. */
  list(): Promise<string[]>;
}

/** How the host and disk tiers keep pixels. */
export type HostFormat = 'rgba8' | 'f32';

/** Options of {@link createRenderCache}. */
export interface RenderCacheOptions {
  /** Viewmat entries are rounded to multiples of this before hashing. Default 1e-4. */
  poseQuantum?: number;
  /** Intrinsics (pixels) are rounded to multiples of this before hashing. Default 1e-3. */
  intrinsicsQuantum?: number;
  /** GPU tier budget in bytes (f32 images on the renderer's device; LRU). 0 disables it. Default 2 GiB (capped by the device's maxBufferSize). */
  gpuBytes?: number;
  /**
   * When rendered views are also copied to the host tier: `'when-needed'` (default) only
   * without a GPU tier or with a `store` (each copy costs a read-back and a conversion);
   * `'always'` keeps host copies as a second tier behind the GPU one.
   */
  hostWrites?: 'when-needed' | 'always';
  /** Host tier budget in bytes (LRU). 0 disables it. Default 512 MiB. */
  hostBytes?: number;
  /**
   * Pixel format of the host and disk tiers. `rgba8` (default) takes a quarter of the bytes of
   * `f32`; its hits differ from a fresh render by at most 0.5/255 per channel, below the 8-bit
   * photos an APR trains against. `f32` serves bit-exact renders.
   */
  hostFormat?: HostFormat;
  /** Persistent tier (see `createNodeStore`, `createOpfsStore`). Default none. */
  store?: CacheStore;
  /** Misses are rendered this many views per renderer call. Default 16. */
  batchSize?: number;
  /** Spans `cache-refresh/{lookup,render}` and `cache/*` counters go here. Default none. */
  profiler?: Profiler;
}

/** Counters of one tier. */
export interface TierStats {
  hits: number;
  misses: number;
  /** Bytes held now (disk: bytes written by this cache). */
  bytes: number;
  /** Entries held now (disk: entries written by this cache). */
  entries: number;
  evictions: number;
}

/** Counters of the disk tier. */
export interface DiskTierStats extends TierStats {
  /** Entries found torn, corrupted or not matching their key; never served, re-rendered. */
  corrupt: number;
  writeErrors: number;
}

/** Everything a render cache counted since it was created. */
export interface CacheStats {
  gpu: TierStats;
  host: TierStats;
  disk: DiskTierStats;
  /** Views rendered, renderer calls and time spent in them. */
  rendered: number;
  renderCalls: number;
  renderMs: number;
  refreshes: number;
  /** Total and last `refresh` wall time. */
  refreshMs: number;
  lastRefreshMs: number;
  /** Times a scene or settings change dropped the memory tiers. */
  invalidations: number;
}

/** Options of one {@link RenderCache.refresh}. */
export interface RefreshOptions {
  /** Aborts before the next render batch; views rendered so far stay cached. */
  signal?: AbortSignal;
}

/** A three-tier (GPU, host, store) cache of rendered views for one renderer. */
export interface RenderCache {
  readonly renderer: ViewRenderer;
  /**
   * Returns the images of `views`: hits come from the GPU, host or store tier (in that order;
   * hits move up), misses are rendered in batches of `batchSize`. A scene or settings change
   * since the last call drops the memory tiers first; store entries of other scenes never match.
   */
  refresh(views: ViewBatch, options?: RefreshOptions): Promise<CachedViews>;
  /** The cache keys `refresh(views)` would use now. */
  keys(views: ViewBatch): string[];
  /** A copy of the counters. */
  stats(): CacheStats;
  /** Resolves when every store write started so far has finished. */
  flush(): Promise<void>;
  /** Drops the GPU and host tiers (the store keeps its entries). */
  clear(): void;
  /** Drops the memory tiers after pending writes finish. */
  destroy(): Promise<void>;
}
