// Background refresh one set ahead, in-process and in a worker_threads worker, on the real
// rasterizer: right images, stall measured, supersede, worker crash and restart.
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRasterizer, type Rasterizer, type Scene } from '@rvs/raster-wgpu';
import { randomSplats, ringCameras, writePly } from '@rvs/testing';
import { createRasterViewRenderer } from '../src/cache/raster-renderer.ts';
import { createRenderCache } from '../src/cache/render-cache.ts';
import type { ViewBatch, ViewRenderer } from '../src/cache/types.ts';
import { createProfiler } from '../src/profiler/spans.ts';
import { wrapWorker } from '../src/worker/endpoint.ts';
import { createBackgroundRefresher } from '../src/worker/refresh.ts';
import type { RefreshWorkerApi } from '../src/worker/refresh-api.ts';

const W = 32;
const H = 24;
const C = 6;
const BOOTSTRAP = new URL('../../testing/src/fixtures/ts-worker.mjs', import.meta.url);
const ENTRY = new URL('./fixtures/refresh.worker.ts', import.meta.url);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ring cameras rotated by `phase` (a new pose set per phase). */
function poseSet(phase: number): ViewBatch {
  const cams = ringCameras(C + phase, W, H);
  return { viewmats: cams.viewmats.slice(0, C * 16), Ks: cams.Ks.slice(0, C * 9), width: W, height: H };
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

let r: Rasterizer;
let scene: Scene;
const plyBytes = writePly(randomSplats(300, 1, 9));
const direct = async (v: ViewBatch): Promise<Float32Array> => {
  const out = await r.render(scene, { ...v });
  const rgba = await out.readRgba();
  out.destroy();
  return rgba;
};

beforeAll(async () => {
  r = await createRasterizer();
  scene = await r.loadScene(plyBytes);
});
afterAll(() => r?.destroy());

describe('background refresh, in-process on the training device', () => {
  it('hands over the prepared set and records the trainer\'s stall', async () => {
    const profiler = createProfiler();
    const cache = createRenderCache(createRasterViewRenderer(r, scene), { batchSize: 2 });
    const refresher = createBackgroundRefresher({ cache, profiler });
    expect(refresher.mode).toBe('in-process');
    await expect(refresher.takeNext()).rejects.toThrow('nothing prepared');

    // Taken at once: the trainer waits for the whole render.
    refresher.prepareNext(poseSet(0));
    expect(refresher.pending).toBe(true);
    const first = await refresher.takeNext();
    expect(first.gpuBuffer).toBeDefined();
    expect(maxDiff(await first.readRgba(), await direct(poseSet(0)))).toBe(0);
    first.destroy();
    const waited = refresher.stats().lastStallMs;
    expect(waited).toBeGreaterThan(1);

    // Prepared during a (simulated) training step that outlasts the render: no stall.
    refresher.prepareNext(poseSet(1));
    const t0 = performance.now();
    while (!refresher.ready) await sleep(5);
    expect(performance.now() - t0).toBeGreaterThan(1); // it really rendered in the background
    const second = await refresher.takeNext();
    expect(refresher.stats().lastStallMs).toBeLessThan(Math.max(2, waited / 5));
    expect(maxDiff(await second.readRgba(), await direct(poseSet(1)))).toBe(0);
    second.destroy();

    const stats = refresher.stats();
    expect([stats.prepared, stats.taken, stats.superseded]).toEqual([2, 2, 0]);
    expect(stats.stallMs).toBeCloseTo(waited + stats.lastStallMs, 6);
    const snap = profiler.snapshot();
    expect(snap.spans.filter((s) => s.path === 'refresh-stall').length).toBe(2);
    expect(snap.counters['refresh/takes']).toBe(2);
    expect(snap.counters['refresh/stall-ms']).toBeCloseTo(stats.stallMs, 6);
    await refresher.destroy();
    await cache.destroy();
  });

  it('lets a newer prepareNext supersede an older one that never renders', async () => {
    let views = 0;
    const inner = createRasterViewRenderer(r, scene);
    const renderer: ViewRenderer = {
      sceneHash: inner.sceneHash,
      settingsKey: inner.settingsKey,
      device: inner.device,
      render(viewmats, Ks, width, height) {
        views += viewmats.length / 16;
        return inner.render(viewmats, Ks, width, height);
      },
    };
    const cache = createRenderCache(renderer, { batchSize: 2 });
    const refresher = createBackgroundRefresher({ cache });
    refresher.prepareNext(poseSet(2));
    refresher.prepareNext(poseSet(3));
    const got = await refresher.takeNext();
    expect(maxDiff(await got.readRgba(), await direct(poseSet(3)))).toBe(0);
    got.destroy();
    expect(views).toBe(C); // only the newer set was rendered
    expect(refresher.stats().superseded).toBe(1);
    expect(refresher.pending).toBe(false);
    await refresher.destroy();
    await cache.destroy();
  });
});

describe('background refresh in a worker_threads worker with its own device', () => {
  const started: Worker[] = [];
  const refresher = createBackgroundRefresher({
    worker: {
      createWorker: () => {
        const w = new Worker(BOOTSTRAP, { workerData: { rvsEntry: ENTRY.href } });
        started.push(w);
        return w;
      },
      init: { scene: plyBytes, cache: { batchSize: 1, hostFormat: 'f32' } },
    },
  });
  afterAll(() => refresher.destroy());

  it('returns the same images as a direct render, moved back as host buffers', async () => {
    refresher.prepareNext(poseSet(4));
    const got = await refresher.takeNext();
    expect(refresher.mode).toBe('worker');
    expect(got.gpuBuffer).toBeUndefined();
    expect(got.sources).toEqual(new Array(C).fill('render'));
    expect(maxDiff(await got.readRgba(), await direct(poseSet(4)))).toBeLessThanOrEqual(1e-6);
    expect(refresher.stats().lastStallMs).toBeGreaterThan(0);
    expect(refresher.cacheStats()?.rendered).toBe(C);
  });

  it('restarts a worker that crashes mid-refresh and still returns the right images', async () => {
    expect(started.length).toBe(1);
    // A second Comlink proxy on the same worker, for fault injection.
    const faults = await wrapWorker<RefreshWorkerApi>(started[0]!);
    refresher.prepareNext(poseSet(5));
    await sleep(30); // the worker is now rendering the set (one view per batch)
    void faults.crash(7); // exits at the next batch boundary: no GPU promise may be pending
    const got = await refresher.takeNext();
    expect(refresher.stats().restarts).toBe(1);
    expect(started.length).toBe(2);
    expect(maxDiff(await got.readRgba(), await direct(poseSet(5)))).toBeLessThanOrEqual(1e-6);
  });

  it('restarts a worker terminated between refreshes, without stopping the caller', async () => {
    await started[1]!.terminate();
    refresher.prepareNext(poseSet(4));
    const again = await refresher.takeNext();
    expect(maxDiff(await again.readRgba(), await direct(poseSet(4)))).toBeLessThanOrEqual(1e-6);
    expect(refresher.stats().restarts).toBe(2);
    expect(started.length).toBe(3);
  });
});
