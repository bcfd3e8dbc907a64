// pnpm bench:cache --scene <ply> --views <views.json> [--size WxH] [--count N] [--changed F]
//   [--batch B] [--repeat R] [--step-ms S] [--step sleep|busy] [--refresh-every K] [--refreshes M]
//   [--mode in-process|worker] [--tile N] [--out f.json]
// (i) Smart refresh: a full refresh of N views vs a refresh with a fraction F of them moved.
// (ii) Background refresh: the trainer's stall while a simulated training loop takes a new
//      pose set every K steps and the next one renders behind it. This file is also the
//      refresh worker's script in `--mode worker`.
import { readFile } from 'node:fs/promises';
import { isMainThread, Worker } from 'node:worker_threads';
import { createBackgroundRefresher, createRasterViewRenderer, createRenderCache, serveRefreshWorker, type CachedViews, type ViewBatch } from '@rvs/core';
import { createRasterizer } from '@rvs/raster-wgpu';
import { installNodeWebGpu } from '@rvs/raster-wgpu/node';
import { benchArgs, loadViews, median, writeResult } from './lib/args.ts';
import { tilePly } from './lib/ply-tile.ts';
import { expandViews, moveFraction } from './lib/pose-sets.ts';
import { BENCH_DAWN_FLAGS } from './lib/setup.ts';

const dawnFlags = BENCH_DAWN_FLAGS;

if (!isMainThread) {
  await installNodeWebGpu({ dawnFlags });
  await serveRefreshWorker(async (init) => {
    const r = await createRasterizer();
    return { renderer: createRasterViewRenderer(r, await r.loadScene(init.scene), init.settings ?? {}) };
  });
} else {
  await main();
}

/** This script as a worker: directly when bundled, through the tsx bootstrap when run as .ts. */
function startSelf(): Worker {
  const self = new URL(import.meta.url);
  if (!self.pathname.endsWith('.ts')) return new Worker(self);
  return new Worker(new URL('../packages/testing/src/fixtures/ts-worker.mjs', import.meta.url), { workerData: { rvsEntry: self.href } });
}

async function main(): Promise<void> {
  const s = (d: string) => ({ type: 'string' as const, default: d });
  const args = benchArgs({ count: s('64'), changed: s('0.1'), batch: s('16'), 'step-ms': s('50'), step: s('sleep'), 'refresh-every': s('20'), refreshes: s('3'), mode: s('in-process') });
  const [count, changed, batchSize, repeat] = [Number(args.count), Number(args.changed), Number(args.batch), Number(args.repeat)];
  const [stepMs, refreshEvery, refreshes] = [Number(args['step-ms']), Number(args['refresh-every']), Number(args.refreshes)];
  const mode = args.mode === 'worker' ? 'worker' : 'in-process';
  const stepKind = args.step === 'busy' ? 'busy' : 'sleep';

  await installNodeWebGpu({ dawnFlags });
  const r = await createRasterizer();
  const info = r.device.adapterInfo;
  const plyBytes = tilePly(new Uint8Array(await readFile(args.scene)), Number(args.tile));
  const scene = await r.loadScene(plyBytes);
  const base = await loadViews(args.views, args.size);
  const set = expandViews(base, count);
  const { width, height } = set;
  const renderer = createRasterViewRenderer(r, scene);

  // (i) Full refresh vs a refresh with `changed` of the poses moved.
  const cache = createRenderCache(renderer, { batchSize });
  const timed = async (views: ViewBatch) => {
    const t = performance.now();
    const out = await cache.refresh(views);
    await r.device.queue.onSubmittedWorkDone();
    const ms = performance.now() - t;
    out.destroy();
    return ms;
  };
  await timed(set); // warm-up: pipelines, buffer pools
  const fullMs: number[] = [];
  for (let i = 0; i < repeat; i++) {
    cache.clear();
    fullMs.push(await timed(set));
  }
  const partialMs: number[] = [];
  let moved = 0;
  const before = cache.stats().rendered;
  for (let i = 0; i < repeat; i++) {
    const next = moveFraction(set, changed, 10 + i);
    moved = next.moved;
    partialMs.push(await timed(next.set));
  }
  const renderedPerPartial = (cache.stats().rendered - before) / repeat;
  const fullMedianMs = median(fullMs);
  const partialMedianMs = median(partialMs);
  const cacheStats = cache.stats();
  await cache.destroy();

  // (ii) Background refresh one set ahead while a simulated training loop runs.
  const step = async () => {
    if (stepKind === 'sleep') return new Promise<void>((res) => setTimeout(res, stepMs));
    const end = performance.now() + stepMs;
    while (performance.now() < end); // the training thread is busy
  };
  const rvsSet = (k: number) => moveFraction(expandViews(base, count, 0.1, 100 + k), 1, 200 + k).set;
  const bgCache = mode === 'in-process' ? createRenderCache(createRasterViewRenderer(r, scene), { batchSize }) : undefined;
  const refresher = bgCache
    ? createBackgroundRefresher({ cache: bgCache })
    : createBackgroundRefresher({ worker: { createWorker: startSelf, init: { scene: plyBytes, cache: { batchSize } } } });
  refresher.prepareNext(rvsSet(0));
  let current: CachedViews = await refresher.takeNext(); // start-up (worker start, first set): not counted
  const startStall = refresher.stats().stallMs;
  refresher.prepareNext(rvsSet(1));
  const t0 = performance.now();
  const stalls: number[] = [];
  for (let k = 1; k <= refreshes; k++) {
    for (let i = 0; i < refreshEvery; i++) await step();
    current.destroy();
    current = await refresher.takeNext();
    stalls.push(refresher.stats().lastStallMs);
    if (k < refreshes) refresher.prepareNext(rvsSet(k + 1));
  }
  const loopMs = performance.now() - t0;
  current.destroy();
  const totalStallMs = refresher.stats().stallMs - startStall;
  const stepTimeMs = refreshes * refreshEvery * stepMs;
  const refreshMs = refresher.stats().lastRefreshMs;
  await refresher.destroy();
  await bgCache?.destroy();

  const result = {
    bench: 'cache',
    device: `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.trim(),
    splats: scene.numSplats,
    views: count,
    width,
    height,
    batchSize,
    smartRefresh: {
      changedFraction: changed,
      movedViews: moved,
      renderedPerPartial,
      fullMs,
      partialMs,
      fullMedianMs,
      partialMedianMs,
      partialOverFull: partialMedianMs / fullMedianMs,
      target: 0.15,
      cache: cacheStats,
    },
    background: {
      mode,
      stepKind,
      stepMs,
      refreshEvery,
      refreshes,
      refreshMs,
      stallsMs: stalls,
      totalStallMs,
      loopMs,
      stallOverStepTime: totalStallMs / stepTimeMs,
    },
  };
  await writeResult(args.out, result);
  const ratio = result.smartRefresh.partialOverFull;
  console.log(
    `cache: ${scene.numSplats} splats, ${count} views ${width}x${height}: full refresh ${fullMedianMs.toFixed(1)} ms, ${moved} changed ${partialMedianMs.toFixed(1)} ms ` +
      `(ratio ${ratio.toFixed(3)}x, target <= 0.15x); background ${mode} stall ${(100 * result.background.stallOverStepTime).toFixed(1)}% of step time ` +
      `(${stepKind} step ${stepMs} ms, new set every ${refreshEvery} steps, refresh ${refreshMs.toFixed(0)} ms) (${result.device})`,
  );
  r.destroy();
  process.exit(0);
}
