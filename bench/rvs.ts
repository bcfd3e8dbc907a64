// pnpm bench:rvs --scene <ply> --views <views.json> [--tile N] [--size WxH] [--out-size WxH] [--repeat R] [--out f.json]
// Views/s of the GPU training batch: one batched render of every view (default 648×420),
// resized (PyTorch bilinear) to 427×240 and ImageNet-normalised into an NCHW batch buffer,
// timed until device.queue.onSubmittedWorkDone(). Also the render alone and the resize alone.
import { benchArgs, loadViews, median, writeResult } from './lib/args.ts';
import { openBenchScene } from './lib/setup.ts';
import { resizeNormalizeReference } from '@rvs/testing';

const args = benchArgs({ 'out-size': { type: 'string', default: '427x240' } });
const { r, scene, device } = await openBenchScene(args.scene, args.tile);
const { viewmats, Ks, width, height } = await loadViews(args.views, args.size ?? '648x420');
const [outWidth, outHeight] = args['out-size']!.split('x').map(Number) as [number, number];
const C = Ks.length / 9;
const repeat = Number(args.repeat);
const done = () => r.device.queue.onSubmittedWorkDone();
const batch = r.createBatch({ size: C, width: outWidth, height: outHeight });

async function timed(f: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await f();
  await done();
  return performance.now() - t;
}

// Render, then resize + normalise straight from the render's GPU buffer into the batch.
const pipeline = () =>
  timed(async () => {
    const out = await r.render(scene, { viewmats, Ks, width, height });
    batch.writeRenders(out, 0);
    out.destroy();
  });
const renderOnly = () =>
  timed(async () => {
    (await r.render(scene, { viewmats, Ks, width, height })).destroy();
  });

await pipeline(); // warm-up: pipeline compilation, allocator
const p: number[] = [];
const ro: number[] = [];
for (let i = 0; i < repeat; i++) {
  p.push(await pipeline());
  ro.push(await renderOnly());
}
// The resize alone, on one render kept on the GPU.
const kept = await r.render(scene, { viewmats, Ks, width, height });
await done();
const rs: number[] = [];
for (let i = 0; i < Math.max(repeat, 5); i++) rs.push(await timed(async () => batch.writeRenders(kept, 0)));
kept.destroy();

// Correctness on this device: the first views' batch entries vs the PyTorch formula on their pixels.
const checkViews = Math.min(C, 2);
const few = await r.render(scene, { viewmats: viewmats.subarray(0, 16 * checkViews), Ks: Ks.subarray(0, 9 * checkViews), width, height });
batch.writeRenders(few, 0);
const want = resizeNormalizeReference(await few.readRgba(), width, height, outWidth, outHeight);
const got = (await batch.readNchw()).subarray(0, want.length);
few.destroy();
let maxAbsError = 0;
for (let i = 0; i < want.length; i++) maxAbsError = Math.max(maxAbsError, Math.abs(got[i]! - want[i]!));

const viewsPerSec = C / (median(p) / 1000);
const renderViewsPerSec = C / (median(ro) / 1000);
const result = {
  bench: 'rvs',
  device,
  splats: scene.numSplats,
  views: C,
  width,
  height,
  outWidth,
  outHeight,
  shDegree: scene.shDegree,
  tile: Number(args.tile),
  batchBytes: batch.byteLength,
  pipelineMs: p,
  renderMs: ro,
  resizeMs: rs,
  viewsPerSec,
  renderViewsPerSec,
  resizeViewsPerSec: C / (median(rs) / 1000),
  check: { views: checkViews, maxAbsError },
};
await writeResult(args.out, result);
console.log(
  `rvs: ${scene.numSplats} splats, ${C} views ${width}x${height} -> ${outWidth}x${outHeight} NCHW: ${viewsPerSec.toFixed(0)} views/s render+resize+normalise (render alone ${renderViewsPerSec.toFixed(0)}, resize alone ${median(rs).toFixed(2)} ms/batch; max |err| vs PyTorch formula ${maxAbsError.toExponential(1)}) (${result.device})`,
);
batch.destroy();
r.destroy();
process.exit(0);
