// pnpm bench:raster --scene <ply> --views <views.json> [--tile N] [--size WxH] [--repeat R] [--out f.json]
// Views/s of one batched render of every view vs one render per view, on this machine's WebGPU.
import { benchArgs, loadViews, median, writeResult } from './lib/args.ts';
import { openBenchScene } from './lib/setup.ts';

const args = benchArgs();
const { r, scene, device } = await openBenchScene(args.scene, args.tile);
const { viewmats, Ks, width, height } = await loadViews(args.views, args.size);
const C = Ks.length / 9;
const repeat = Number(args.repeat);
const done = () => r.device.queue.onSubmittedWorkDone();

async function batched(): Promise<{ ms: number; chunks: number; isects: number }> {
  const t = performance.now();
  const out = await r.render(scene, { viewmats, Ks, width, height });
  await done();
  const ms = performance.now() - t;
  const res = { ms, chunks: out.chunks, isects: out.intersections };
  out.destroy();
  return res;
}

async function sequential(): Promise<number> {
  const t = performance.now();
  for (let c = 0; c < C; c++) {
    const out = await r.render(scene, { viewmats: viewmats.subarray(c * 16, c * 16 + 16), Ks: Ks.subarray(c * 9, c * 9 + 9), width, height });
    await done();
    out.destroy();
  }
  return performance.now() - t;
}

await batched(); // warm-up: pipeline compilation, allocator
// One profiled render: GPU time per pipeline stage (timestamp queries, where the device has them).
const profiled = await r.render(scene, { viewmats, Ks, width, height, profile: true });
const stages = profiled.stageTimes;
profiled.destroy();
const b = [];
for (let i = 0; i < repeat; i++) b.push(await batched());
await sequential();
const s = [];
for (let i = 0; i < Math.max(1, Math.ceil(repeat / 2)); i++) s.push(await sequential());
const batchedViewsPerSec = C / (median(b.map((x) => x.ms)) / 1000);
const sequentialViewsPerSec = C / (median(s) / 1000);
const result = {
  bench: 'raster',
  device,
  splats: scene.numSplats,
  views: C,
  width,
  height,
  shDegree: scene.shDegree,
  tile: Number(args.tile),
  chunks: b[0]!.chunks,
  intersections: b[0]!.isects,
  batchedMs: b.map((x) => x.ms),
  sequentialMs: s,
  batchedViewsPerSec,
  sequentialViewsPerSec,
  batchedOverSequential: batchedViewsPerSec / sequentialViewsPerSec,
  gpuStages: stages,
};
await writeResult(args.out, result);
console.log(
  `raster: ${scene.numSplats} splats, ${C} views ${width}x${height}: batched ${batchedViewsPerSec.toFixed(0)} views/s, sequential ${sequentialViewsPerSec.toFixed(0)} views/s, ratio ${result.batchedOverSequential.toFixed(2)}x (${result.device})`,
);
if (stages.length) console.log(`  gpu stages (ms): ${stages.map((t) => `${t.label} ${t.ms.toFixed(2)}`).join(', ')}`);
r.destroy();
process.exit(0);
