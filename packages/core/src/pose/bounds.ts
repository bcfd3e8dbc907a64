// Scene extent and "up" from the training cameras: where sampled cameras may go.
import { at, column3, cross3, norm3, scale3, vec3 } from './mat3.ts';
import type { NumArray, Pose, Vec3 } from './types.ts';

/** Axis-aligned box in world coordinates. */
export interface Box3 {
  readonly min: Vec3;
  readonly max: Vec3;
}

/**
 * Axis-aligned box of the camera centres grown by `margin` on every side (RAP's `get_bbox`
 * with `d_max`).
 * @throws if `poses` is empty.
 */
export function cameraBounds(poses: readonly Pose[], margin = 0): Box3 {
  if (poses.length === 0) throw new Error('cameraBounds: no poses to bound');
  const min = vec3(Infinity, Infinity, Infinity);
  const max = vec3(-Infinity, -Infinity, -Infinity);
  for (const p of poses) {
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(at(min, k), at(p.t, k));
      max[k] = Math.max(at(max, k), at(p.t, k));
    }
  }
  return { min: min.map((v) => v - margin), max: max.map((v) => v + margin) };
}

/** `p` with each coordinate clamped into the box. */
export function clampToBox(p: NumArray, box: Box3): Vec3 {
  return vec3(
    Math.min(at(box.max, 0), Math.max(at(box.min, 0), at(p, 0))),
    Math.min(at(box.max, 1), Math.max(at(box.min, 1), at(p, 1))),
    Math.min(at(box.max, 2), Math.max(at(box.min, 2), at(p, 2))),
  );
}

/** Centre of the box. */
export function boxCenter(box: Box3): Vec3 {
  return vec3(...([0, 1, 2].map((k) => 0.5 * (at(box.min, k) + at(box.max, k))) as [number, number, number]));
}

/**
 * World "up" estimated from the cameras: the normalised mean of their −y axes (OpenCV y points
 * down in the image). People hold cameras roughly level, so this finds the vertical whatever
 * the world frame (COLMAP's is arbitrary). Falls back to −y (up in an OpenCV-style world) when
 * the cameras disagree so much that the mean vanishes.
 */
export function estimateUp(poses: readonly Pose[]): Vec3 {
  const sum = vec3(0, 0, 0);
  for (const p of poses) {
    const down = column3(p.R, 1);
    for (let k = 0; k < 3; k++) sum[k] = at(sum, k) - at(down, k);
  }
  const n = norm3(sum);
  return n > 1e-6 * Math.max(1, poses.length) ? scale3(sum, 1 / n) : vec3(0, -1, 0);
}

/** Two orthonormal vectors spanning the plane orthogonal to the unit vector `up` (the ground plane). */
export function planeBasis(up: NumArray): [Vec3, Vec3] {
  // Start from the world axis least aligned with up, so the cross product is well conditioned.
  const ax = [Math.abs(at(up, 0)), Math.abs(at(up, 1)), Math.abs(at(up, 2))];
  const k = ax.indexOf(Math.min(...ax));
  const seed = vec3(k === 0 ? 1 : 0, k === 1 ? 1 : 0, k === 2 ? 1 : 0);
  const e1 = cross3(up, seed);
  const u = scale3(e1, 1 / norm3(e1));
  return [u, cross3(up, u)];
}
