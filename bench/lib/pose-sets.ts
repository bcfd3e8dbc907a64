// Pose sets for the cache bench: N views made from a views file (cycled, translation jittered
// past the first pass), and copies with a fraction of the views moved.
import { createRng } from '@rvs/core';

export interface PoseSet {
  viewmats: Float32Array;
  Ks: Float32Array;
  width: number;
  height: number;
}

/** `count` views cycling through `base`; views past the first cycle are moved by up to ±`jitter`. */
export function expandViews(base: PoseSet, count: number, jitter = 0.1, seed = 1): PoseSet {
  const V = base.Ks.length / 9;
  const r = createRng(seed);
  const viewmats = new Float32Array(count * 16);
  const Ks = new Float32Array(count * 9);
  for (let c = 0; c < count; c++) {
    const v = c % V;
    viewmats.set(base.viewmats.subarray(v * 16, v * 16 + 16), c * 16);
    Ks.set(base.Ks.subarray(v * 9, v * 9 + 9), c * 9);
    if (c >= V) for (const row of [0, 1, 2]) viewmats[c * 16 + row * 4 + 3]! += r.uniform(-jitter, jitter);
  }
  return { viewmats, Ks, width: base.width, height: base.height };
}

/** A copy of `set` with `round(fraction·C)` views (spread evenly) moved by a small translation. */
export function moveFraction(set: PoseSet, fraction: number, seed: number): { set: PoseSet; moved: number } {
  const C = set.Ks.length / 9;
  const moved = Math.max(1, Math.round(fraction * C));
  const r = createRng(seed);
  const viewmats = set.viewmats.slice();
  for (let k = 0; k < moved; k++) {
    const c = Math.floor((k * C) / moved);
    for (const row of [0, 1, 2]) viewmats[c * 16 + row * 4 + 3]! += r.uniform(0.01, 0.03);
  }
  return { set: { ...set, viewmats }, moved };
}
