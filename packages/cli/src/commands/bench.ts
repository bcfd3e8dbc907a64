import { lookAt, viewmatsFromPoses } from '@rvs/core';
import { median } from '@rvs/model';
import { createRasterizer, demoScene } from '@rvs/raster-wgpu';
import { UsageError, type Command } from '../command.ts';
import { createProgress } from '../progress.ts';
import { loadViewsFile, readSceneFile } from '../views.ts';

/** 32 cameras on a ring inside the demo room. */
function ringViews(width: number, height: number) {
  const poses = Array.from({ length: 32 }, (_, i) => {
    const a = (i / 32) * 2 * Math.PI;
    return lookAt([2.2 * Math.sin(a), 0.4, 2.2 * Math.cos(a)], [-1.5 * Math.sin(a + 0.6), 0.6, -1.5 * Math.cos(a + 0.6)], [0, -1, 0]);
  });
  const f = 0.8 * width;
  return { width, height, viewmats: viewmatsFromPoses(poses), Ks: new Float32Array(poses.flatMap(() => [f, 0, width / 2, 0, f, height / 2, 0, 0, 1])) };
}

export const bench: Command = {
  name: 'bench',
  summary: 'Rendering throughput: batched vs one view at a time, and the training-batch hand-off',
  usage: 'rvs-cli bench [--scene s.ply --views v.json] [--size WxH] [--repeat 5] [--json]   (full suites: pnpm bench:<raster|rvs|cache|train|accuracy>)',
  needsGpu: true,
  options: {
    scene: { type: 'string', description: '.ply or .splat (default: the embedded demo room, 32 ring views)' },
    views: { type: 'string', description: 'views.json (required with --scene)' },
    size: { type: 'string', description: 'render size WxH (default: the views file\'s, 320x240 for the demo)' },
    repeat: { type: 'string', description: 'timed repetitions (default 5)' },
    'batch-size': { type: 'string', description: 'model input WxH the renders are resized into (default 427x240)' },
  } as Command['options'],
  async run(args, out) {
    const repeat = Number(args.repeat ?? 5);
    if (!Number.isInteger(repeat) || repeat < 1) throw new UsageError(`--repeat must be a positive integer, got "${String(args.repeat)}"`);
    const m = /^(\d+)x(\d+)$/.exec(String(args['batch-size'] ?? '427x240'));
    if (!m) throw new UsageError(`--batch-size must be WxH, got "${String(args['batch-size'])}"`);
    let bytes: Uint8Array;
    let views;
    if (typeof args.scene === 'string') {
      if (typeof args.views !== 'string') throw new UsageError('--scene needs --views <views.json>');
      bytes = await readSceneFile(args.scene);
      views = await loadViewsFile(args.views, typeof args.size === 'string' ? args.size : undefined);
    } else {
      const s = /^(\d+)x(\d+)$/.exec(String(args.size ?? '320x240'));
      if (!s) throw new UsageError(`--size must be WxH, got "${String(args.size)}"`);
      bytes = await demoScene(0);
      views = ringViews(Number(s[1]), Number(s[2]));
    }
    const r = await createRasterizer();
    const scene = await r.loadScene(bytes);
    const { width, height, viewmats, Ks } = views;
    const count = Ks.length / 9;
    const batch = r.createBatch({ size: count, width: Number(m[1]), height: Number(m[2]) });
    const done = () => r.device.queue.onSubmittedWorkDone();
    const timed = async (f: () => Promise<void>) => {
      const t = performance.now();
      await f();
      await done();
      return performance.now() - t;
    };
    const batched = async (handOff: boolean) => {
      const result = await r.render(scene, { viewmats, Ks, width, height });
      if (handOff) batch.writeRenders(result, 0);
      result.destroy();
    };
    const sequential = async () => {
      for (let c = 0; c < count; c++) {
        (await r.render(scene, { viewmats: viewmats.subarray(c * 16, c * 16 + 16), Ks: Ks.subarray(c * 9, c * 9 + 9), width, height })).destroy();
      }
    };
    await timed(() => batched(true)); // warm-up: pipelines, buffer pool
    const bar = createProgress('bench', 3 * repeat, !out.json);
    const times = { batched: [] as number[], handOff: [] as number[], sequential: [] as number[] };
    for (let i = 0; i < repeat; i++) {
      times.batched.push(await timed(() => batched(false)));
      bar.tick();
      times.handOff.push(await timed(() => batched(true)));
      bar.tick();
      times.sequential.push(await timed(sequential));
      bar.tick();
    }
    bar.done();
    const info = r.device.adapterInfo;
    const perSec = (ms: number[]) => (1000 * count) / median(ms);
    const result = {
      device: `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.trim(), splats: scene.numSplats, views: count, width, height,
      batchedViewsPerSec: perSec(times.batched), withHandOffViewsPerSec: perSec(times.handOff), sequentialViewsPerSec: perSec(times.sequential),
      batchedOverSequential: median(times.sequential) / median(times.batched), timesMs: times,
    };
    batch.destroy();
    r.destroy();
    out.result(result, () =>
      `${count} views ${width}×${height}, ${scene.numSplats} splats on ${result.device}: batched ${result.batchedViewsPerSec.toFixed(1)} views/s ` +
      `(${result.batchedOverSequential.toFixed(1)}× one at a time: ${result.sequentialViewsPerSec.toFixed(1)}), ` +
      `with resize + normalise into the training batch ${result.withHandOffViewsPerSec.toFixed(1)} views/s`);
  },
};
