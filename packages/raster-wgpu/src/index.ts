// Public API of @rvs/raster-wgpu. Internal modules import each other directly, never this barrel.
export { createGpu, hasF16SubgroupMatrices } from './gpu.ts';
export type { GpuOptions, RvsGpu, SortOptions, SortedPairs } from './gpu.ts';
export { createRasterizer } from './rasterizer.ts';
export type { RasterMode, Rasterizer, RenderOptions, RenderResult, Scene, StageTime } from './types.ts';
export { demoScene } from './demo.ts';
export { withAdoptedDevice } from './init.ts';
export { watchDeviceLoss } from './lost.ts';
export type { LostWatch } from './lost.ts';
export type { BatchDtype, ImageBatch, ImageBatchOptions } from './batch.ts';
