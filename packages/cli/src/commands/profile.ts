import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildReport, createProfiler, reportBreakdownSvg, toChromeTrace } from '@rvs/core';
import { createRasterizer } from '@rvs/raster-wgpu';
import { UsageError, type Command } from '../command.ts';
import { loadViewsFile } from '../views.ts';

export const profile: Command = {
  name: 'profile',
  summary: 'Profile a standard workload (load, batched renders, training batch, read-back) and write reports',
  usage: 'rvs-cli profile --scene scene.ply --views views.json [--size WxH] [--repeat 5] [--out .rvs/profile]',
  needsGpu: true,
  options: {
    scene: { type: 'string', description: '.ply or .splat scene' },
    views: { type: 'string', description: 'views.json: {width, height, views: [{K, viewmat}]}' },
    size: { type: 'string', description: 'render size WxH (default: the views file\'s)' },
    repeat: { type: 'string', description: 'batched renders to time (default 5)' },
    out: { type: 'string', description: 'output folder (default .rvs/profile)' },
  } as Command['options'],
  async run(args, out) {
    if (typeof args.scene !== 'string' || typeof args.views !== 'string') throw new UsageError('profile needs --scene <file> and --views <views.json>');
    const repeat = Number(args.repeat ?? 5);
    if (!Number.isInteger(repeat) || repeat < 1) throw new UsageError(`--repeat must be a positive integer, got ${String(args.repeat)}`);
    const dir = typeof args.out === 'string' ? args.out : '.rvs/profile';
    const p = createProfiler();
    const r = await p.spanAsync('init', () => createRasterizer());
    const info = r.device.adapterInfo;
    p.describeDevice({ vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description });
    const views = await loadViewsFile(args.views, typeof args.size === 'string' ? args.size : undefined);
    const bytes = await p.spanAsync('load/read', () => readFile(args.scene as string));
    const scene = await p.spanAsync('load/upload', () => r.loadScene(new Uint8Array(bytes)));
    p.sampleMemory('after load', { gpuBytes: scene.gpuBytes });
    // The training hand-off: every view resized to 240×427 and normalised into one NCHW batch.
    const cameras = views.Ks.length / 9;
    const batch = r.createBatch({ size: cameras, width: 427, height: 240 });
    for (let i = 0; i < repeat; i++) {
      out.progress(`profile: batched render ${i + 1}/${repeat} (${views.Ks.length / 9} views)`);
      const t = p.now();
      const result = await p.spanAsync('render', () => r.render(scene, { ...views, profile: true }));
      let gpuStart = t;
      for (const s of result.stageTimes) {
        p.recordGpuSpan(s.label, gpuStart, s.ms);
        gpuStart += s.ms;
      }
      await p.spanAsync('batch', async () => {
        batch.writeRenders(result, 0);
        await r.device.queue.onSubmittedWorkDone();
      });
      await p.spanAsync('readback', () => result.readRgba());
      p.count('views', result.cameras);
      p.count('intersections', result.intersections);
      result.destroy();
    }
    p.sampleMemory('end', { gpuBytes: scene.gpuBytes + batch.byteLength });
    batch.destroy();
    r.destroy();
    const report = buildReport(p);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'profile.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(dir, 'trace.json'), JSON.stringify(toChromeTrace(p)));
    await writeFile(join(dir, 'breakdown.svg'), reportBreakdownSvg(report));
    out.result({ dir, summary: report.summary }, () =>
      [
        `wrote ${dir}/profile.json, trace.json (open in https://ui.perfetto.dev), breakdown.svg`,
        ...Object.entries(report.summary).map(([k, s]) => `  ${k.padEnd(32)} mean ${s.mean.toFixed(2)} ms × ${s.count}`),
      ].join('\n'),
    );
  },
};
