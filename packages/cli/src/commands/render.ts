import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { lookAt, viewmatsFromPoses } from '@rvs/core';
import { createRasterizer, demoScene } from '@rvs/raster-wgpu';
import { UsageError, type Command } from '../command.ts';
import { viewToRgba8 } from '../pixels.ts';
import { createProgress } from '../progress.ts';
import { loadViewsFile, readSceneFile } from '../views.ts';

/** A ring of cameras inside the demo room (y-down world, floor at +1.5), looking across it. */
function demoViews(count: number, width: number, height: number) {
  const poses = Array.from({ length: count }, (_, i) => {
    const a = (i / count) * 2 * Math.PI;
    const eye = [2.2 * Math.sin(a), 0.4, 2.2 * Math.cos(a)];
    const target = [-1.5 * Math.sin(a + 0.6), 0.6, -1.5 * Math.cos(a + 0.6)];
    return lookAt(eye, target, [0, -1, 0]);
  });
  const f = 0.8 * width;
  return {
    width,
    height,
    viewmats: viewmatsFromPoses(poses),
    Ks: new Float32Array(poses.flatMap(() => [f, 0, width / 2, 0, f, height / 2, 0, 0, 1])),
  };
}

export const render: Command = {
  name: 'render',
  summary: 'Render views of a scene to PNG files (the embedded demo scene by default)',
  usage: 'rvs-cli render [--scene scene.ply --views views.json] [--count 8] [--size 320x240] [--batch 32] [--out .rvs/render]',
  needsGpu: true,
  options: {
    scene: { type: 'string', description: '.ply or .splat (default: the embedded demo room)' },
    views: { type: 'string', description: 'views.json {width, height, views: [{K, viewmat}]} (required with --scene)' },
    count: { type: 'string', description: 'demo views to render (default 8)' },
    size: { type: 'string', description: 'WxH (default 320x240, or the views file\'s size)' },
    batch: { type: 'string', description: 'cameras per batched render (default 32)' },
    out: { type: 'string', description: 'output folder (default .rvs/render)' },
  } as Command['options'],
  async run(args, out) {
    const dir = typeof args.out === 'string' ? args.out : '.rvs/render';
    const batch = Number(args.batch ?? 32);
    if (!Number.isInteger(batch) || batch < 1) throw new UsageError(`--batch must be a positive integer, got ${String(args.batch)}`);
    let bytes: Uint8Array;
    let views;
    if (typeof args.scene === 'string') {
      if (typeof args.views !== 'string') throw new UsageError('--scene needs --views <views.json> to know where the cameras are');
      bytes = await readSceneFile(args.scene);
      views = await loadViewsFile(args.views, typeof args.size === 'string' ? args.size : undefined);
    } else {
      const count = Number(args.count ?? 8);
      if (!Number.isInteger(count) || count < 1) throw new UsageError(`--count must be a positive integer, got ${String(args.count)}`);
      const m = /^(\d+)x(\d+)$/.exec(typeof args.size === 'string' ? args.size : '320x240');
      if (!m) throw new UsageError(`--size must look like 320x240, got "${String(args.size)}"`);
      bytes = await demoScene(0);
      views = demoViews(count, Number(m[1]), Number(m[2]));
    }
    const r = await createRasterizer();
    const scene = await r.loadScene(bytes);
    const total = views.Ks.length / 9;
    const { width, height } = views;
    await mkdir(dir, { recursive: true });
    const bar = createProgress('render', total, !out.json);
    const files: string[] = [];
    for (let first = 0; first < total; first += batch) {
      const n = Math.min(batch, total - first);
      const result = await r.render(scene, {
        viewmats: views.viewmats.subarray(first * 16, (first + n) * 16),
        Ks: views.Ks.subarray(first * 9, (first + n) * 9),
        width,
        height,
      });
      const rgba = await result.readRgba();
      result.destroy();
      for (let c = 0; c < n; c++) {
        const px = viewToRgba8(rgba, width, height, c);
        const file = join(dir, `view-${String(first + c).padStart(4, '0')}.png`);
        await writeFile(file, encode({ width, height, data: px, channels: 4 }));
        files.push(file);
      }
      bar.tick(n);
    }
    bar.done();
    r.destroy();
    out.result({ dir, files, splats: scene.numSplats, width, height }, () => `wrote ${files.length} views (${width}×${height}, ${scene.numSplats} splats) to ${dir}/`);
  },
};
