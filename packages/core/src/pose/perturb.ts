// Candidate generators of the RVS sampler: one random pose per call, drawing from a seeded Rng
// in a fixed order so a seed always gives the same poses.
import { boxCenter, type Box3 } from './bounds.ts';
import { eulerToMat } from './euler.ts';
import { lookAt } from './look-at.ts';
import { add3, at, axisAngleToMat, mul3, scale3, vec3 } from './mat3.ts';
import type { Rng } from './prng.ts';
import type { Mat3, Pose, Vec3 } from './types.ts';

const DEG = Math.PI / 180;

/** How far a perturbation may move a camera. */
export interface PerturbRange {
  /** Each rotation angle is uniform in ±rotDeg degrees. */
  readonly rotDeg: number;
  /** Each translation offset is uniform in ±trans scene units. */
  readonly trans: number;
  /** Only yaw about `up` and offsets within the plane orthogonal to `up`. */
  readonly groundPlane: boolean;
  /** Unit world up vector. */
  readonly up: Vec3;
  /** Orthonormal basis of the ground plane (see `planeBasis`). */
  readonly plane: readonly [Vec3, Vec3];
}

/**
 * A random rotation applied in the world frame, `R' = ΔR · R`, as RAP does: ΔR = eulerToMat of
 * three angles uniform in ±rotDeg, or in ground-plane mode a yaw uniform in ±rotDeg about `up`.
 */
export function perturbRotation(R: Mat3, range: PerturbRange, rng: Rng): Mat3 {
  const r = range.rotDeg * DEG;
  const delta = range.groundPlane
    ? axisAngleToMat(range.up, rng.uniform(-r, r))
    : eulerToMat([rng.uniform(-r, r), rng.uniform(-r, r), rng.uniform(-r, r)]);
  return mul3(delta, R);
}

/** A random offset: per world axis uniform in ±trans, or along the two ground-plane axes. */
export function randomOffset(range: PerturbRange, rng: Rng): Vec3 {
  const s = range.trans;
  if (!range.groundPlane) return vec3(rng.uniform(-s, s), rng.uniform(-s, s), rng.uniform(-s, s));
  const [e1, e2] = range.plane;
  return add3(scale3(e1, rng.uniform(-s, s)), scale3(e2, rng.uniform(-s, s)));
}

/**
 * RAP's perturbation of a training pose: rotation by {@link perturbRotation} about the camera
 * centre, then the centre moved by {@link randomOffset}. (RAP's code also rotates the centre
 * about the world origin; we keep the centre, so the translation range means the same in every
 * world frame.)
 */
export function perturbPose(p: Pose, range: PerturbRange, rng: Rng): Pose {
  const R = perturbRotation(p.R, range, rng);
  return { R, t: add3(p.t, randomOffset(range, rng)) };
}

/** A position uniform in the box. */
export function uniformInBox(box: Box3, rng: Rng): Vec3 {
  return vec3(
    rng.uniform(at(box.min, 0), at(box.max, 0)),
    rng.uniform(at(box.min, 1), at(box.max, 1)),
    rng.uniform(at(box.min, 2), at(box.max, 2)),
  );
}

/**
 * A camera on the sphere (or, in ground-plane mode, the horizontal circle) of `radius` around
 * `center`, looking at the centre, then rotated by {@link perturbRotation}. Directions are
 * uniform on the sphere (z = uniform in [−1, 1], azimuth uniform); a direction straight along
 * `up` is redrawn since the camera's roll would be undefined there.
 */
export function onSphereLookingAt(center: Vec3, radius: number, range: PerturbRange, rng: Rng): Pose {
  const [e1, e2] = range.plane;
  for (;;) {
    const phi = rng.uniform(0, 2 * Math.PI);
    const h = range.groundPlane ? 0 : rng.uniform(-1, 1);
    const rho = Math.sqrt(Math.max(0, 1 - h * h));
    const dir = add3(add3(scale3(e1, rho * Math.cos(phi)), scale3(e2, rho * Math.sin(phi))), scale3(range.up, h));
    if (Math.abs(h) > 0.999) continue;
    const base = lookAt(add3(center, scale3(dir, radius)), center, range.up, 'sphere sample');
    return { R: perturbRotation(base.R, range, rng), t: base.t };
  }
}

/** Default sphere: around the box centre, radius half the box diagonal. */
export function defaultSphere(box: Box3): { center: Vec3; radius: number } {
  const c = boxCenter(box);
  const d = Math.hypot(...[0, 1, 2].map((k) => at(box.max, k) - at(box.min, k)));
  return { center: c, radius: 0.5 * d };
}
