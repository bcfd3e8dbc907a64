// The RVS refresh worker: a render cache on this worker's own WebGPU device, served to the page
// over Comlink (`serveRefreshWorker`). The page starts it by URL (`new Worker(new URL(...))`),
// which Vite bundles as a module worker.
import { createRasterViewRenderer, serveRefreshWorker } from '@rvs/core';
import { createRasterizer } from '@rvs/raster-wgpu';

await serveRefreshWorker(async (init) => {
  const rasterizer = await createRasterizer();
  const scene = await rasterizer.loadScene(init.scene);
  return { renderer: createRasterViewRenderer(rasterizer, scene, init.settings ?? {}) };
});
