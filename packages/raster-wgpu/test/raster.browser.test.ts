import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { wrapWorker } from '@rvs/core/worker';
import { psnr, randomSplats, referenceRender, ringCameras, withChromiumPage, writePly } from '@rvs/testing';
import type { RasterApi } from '../../testing/src/fixtures/raster-api.ts';

const fixtures = new URL('../../testing/src/fixtures/', import.meta.url);
const W = 48;
const H = 32;

describe('the same rasterizer API in a browser page, a browser Worker and a Node worker', () => {
  const ply = writePly(randomSplats(600, 2, 5));
  const cams = ringCameras(2, W, H);

  it('renders what the CPU reference renders, everywhere', async () => {
    const ref = await referenceRender(ply, cams, { width: W, height: H });
    await withChromiumPage(
      { page: new URL('raster-page.ts', fixtures).pathname, 'raster.worker': new URL('raster.worker.ts', fixtures).pathname },
      async ({ page, errors }) => {
        for (const where of ['rvsPage', 'rvsWorker'] as const) {
          const rgba = await page.evaluate(
            async ([where, p, v, k, w, h]) => {
              const api = (globalThis as Record<string, any>)[where];
              const out = (await api.render(Uint8Array.from(p), Float32Array.from(v), Float32Array.from(k), w, h)) as Float32Array;
              return Array.from(out);
            },
            [where, Array.from(ply), Array.from(cams.viewmats), Array.from(cams.Ks), W, H] as const,
          );
          expect(psnr(Float32Array.from(rgba), ref.rgba), where).toBeGreaterThanOrEqual(45);
        }
        expect(errors, errors.join('\n')).toEqual([]);
      },
    );
    const worker = new Worker(new URL('ts-worker.mjs', fixtures), { workerData: { rvsEntry: new URL('raster.worker.ts', fixtures).href } });
    try {
      const api = await wrapWorker<RasterApi>(worker);
      const rgba = await api.render(ply, cams.viewmats, cams.Ks, W, H);
      expect(psnr(rgba, ref.rgba), 'node worker').toBeGreaterThanOrEqual(45);
    } finally {
      await worker.terminate();
    }
  });
});
