// The README's example, run as written (smaller images), so the docs cannot rot.
import { expect, it } from 'vitest';
import { createRasterizer, demoScene } from '@rvs/raster-wgpu';
import { createPoseSampler, createRasterViewRenderer, createRenderCache, demoDataset, viewmatsFromPoses } from '../src/index.ts';

it('README example: sample RVS poses around the demo dataset and render them through the cache', async () => {
  const data = demoDataset({ width: 32, height: 24, trainPerTrajectory: 1, test: 1 });
  const train = data.train.map((i) => data.frames[i]!);
  const sampler = createPoseSampler(train.map((f) => f.pose), { seed: 1, rotDeg: 10, trans: 0.2 });
  const { poses } = await sampler.sample();

  const r = await createRasterizer();
  const scene = await r.loadScene(await demoScene());
  const cache = createRenderCache(createRasterViewRenderer(r, scene));
  const request = { viewmats: viewmatsFromPoses(poses), Ks: Float32Array.from(train[0]!.K), width: 32, height: 24 };
  const views = await cache.refresh(request);
  expect(views.gpuBuffer?.size).toBeGreaterThanOrEqual(poses.length * 32 * 24 * 16);
  expect(views.sources.every((s) => s === 'render')).toBe(true);
  views.destroy();
  const again = await cache.refresh(request);
  expect(again.sources.every((s) => s === 'gpu')).toBe(true); // nothing re-rendered
  again.destroy();
  await cache.destroy();
  r.destroy();
});
