// RVS views refreshed in a worker, one set ahead (RAP's queue of one): `take()` hands over the
// prepared set and starts rendering the next, so a caller that comes back later does not wait.
import {
  createBackgroundRefresher, createPoseSampler, viewmatsFromPoses, type BackgroundRefresher, type PoseFrame, type ViewSource,
} from '@rvs/core';

export interface RvsSet {
  /** C·H·W·4 floats, rows top-down. */
  rgba: Float32Array;
  count: number;
  width: number;
  height: number;
  /** The frame each view perturbs. */
  sources: number[];
  /** Where each image came from (`render`: rendered now; else a cache tier of the worker). */
  from: ViewSource[];
  /** Wall time of the set's refresh in the worker, start to ready (ms). */
  ms: number;
  /** How long `take()` waited for it (ms). */
  stallMs: number;
}

export interface RvsRefresh {
  /** Takes the prepared set (waiting if it is still rendering) and prepares the next. */
  take(): Promise<RvsSet>;
  destroy(): Promise<void>;
}

export interface RvsOptions {
  /** The scene file; the worker loads it on its own device. */
  scene: Uint8Array;
  /** Training frames whose poses are perturbed (±5°, ±0.2 units, kept inside their box). */
  frames: readonly PoseFrame[];
  /** Views per set. */
  count: number;
  seed: number;
}

/** Starts the refresh worker and prepares the first set. */
export function startRvsRefresh(o: RvsOptions): RvsRefresh {
  const { frames } = o;
  const sampler = createPoseSampler(frames.map((f) => f.pose), { count: o.count, seed: o.seed });
  const { width, height } = frames[0] as PoseFrame;
  const refresher: BackgroundRefresher = createBackgroundRefresher({
    worker: {
      createWorker: () => new Worker(new URL('./refresh.worker.ts', import.meta.url), { type: 'module', name: 'rvs-refresh' }),
      init: { scene: o.scene, cache: { batchSize: o.count } },
      // Browsers report nothing when a worker dies: a refresh this late counts as a crash.
      // Generous, for CPU WebGPU (SwiftShader).
      timeoutMs: 300_000,
    },
  });
  let sources: number[] = [];
  const prepare = async () => {
    const sampled = await sampler.sample();
    sources = sampled.sources;
    const Ks = Float32Array.from(sampled.sources.flatMap((s) => Array.from((frames[s] as PoseFrame).K)));
    refresher.prepareNext({ viewmats: viewmatsFromPoses(sampled.poses), Ks, width, height });
  };
  let preparing = prepare();
  return {
    async take() {
      await preparing;
      const taken = sources;
      const views = await refresher.takeNext();
      try {
        const rgba = await views.readRgba();
        const stats = refresher.stats();
        return { rgba, count: views.count, width, height, sources: taken, from: [...views.sources], ms: stats.lastRefreshMs, stallMs: stats.lastStallMs };
      } finally {
        views.destroy();
        preparing = prepare();
      }
    },
    async destroy() {
      await preparing.catch(() => {});
      await refresher.destroy();
    },
  };
}
