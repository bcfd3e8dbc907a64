// Test helpers (private package). Tests import from here.
export { CHROMIUM_ARGS, withChromiumAt, withChromiumPage } from './chromium.ts';
export type { BrowserRun } from './chromium.ts';
export { cpuSort, firstMismatch, makePairs } from './sort-check.ts';
export { psnr, referenceRender } from './reference.ts';
export type { ReferenceImages, ReferenceSettings } from './reference.ts';
export { lookAt, randomSplats, ringCameras, rng, writePly } from './scenes.ts';
export type { CameraSet, SplatSpec } from './scenes.ts';
export { resizeNormalizeReference } from './resize-reference.ts';
export { TINY_MODEL, renderTinyViews } from './model-views.ts';
export type { TinyViews } from './model-views.ts';
