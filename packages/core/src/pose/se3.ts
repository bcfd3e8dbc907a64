// SE(3) on camera-to-world poses (convention in types.ts) and the rasterizer's view matrices.
import { add3, at, identity3, mul3, mulVec3, scale3, transpose3, vec3 } from './mat3.ts';
import type { Mat4, NumArray, Pose, Vec3 } from './types.ts';
import { ROTATION_TOLERANCE, assertFinite, assertLength, assertRotation, orthonormalize } from './validate.ts';

/**
 * A pose from a rotation (row-major 3x3) and camera centre, copied into fresh Float64Arrays.
 * @param tolerance allowed max |RᵀR − I| (default 1e-5); `R` is then snapped to the nearest rotation.
 * @throws naming the problem if `R` is not a rotation or a value is NaN/Infinity.
 */
export function makePose(R: NumArray, t: NumArray, what = 'pose', tolerance = ROTATION_TOLERANCE): Pose {
  assertRotation(R, `${what}.R`, tolerance);
  assertLength(t, 3, `${what}.t`);
  assertFinite(t, `${what}.t`);
  return { R: tolerance > ROTATION_TOLERANCE ? orthonormalize(R) : Float64Array.from(R), t: Float64Array.from(t) };
}

/** The identity pose: camera at the origin looking down +z. */
export function identityPose(): Pose {
  return { R: identity3(), t: vec3(0, 0, 0) };
}

/**
 * Composition as transforms: `composePoses(a, b)` maps x to `a(b(x))`. With poses named
 * `target_from_source`, `composePoses(world_from_cam, cam_from_other) = world_from_other`.
 */
export function composePoses(a: Pose, b: Pose): Pose {
  return { R: mul3(a.R, b.R), t: add3(mulVec3(a.R, b.t), a.t) };
}

/** Inverse transform: (R, t) → (Rᵀ, −Rᵀt). The inverse of camera-to-world is world-to-camera. */
export function invertPose(p: Pose): Pose {
  const Rt = transpose3(p.R);
  return { R: Rt, t: scale3(mulVec3(Rt, p.t), -1) };
}

/** Applies the pose to a point: `R·x + t` (camera → world for a camera-to-world pose). */
export function transformPoint(p: Pose, x: NumArray): Vec3 {
  return add3(mulVec3(p.R, x), p.t);
}

/** Row-major 4x4 `[R t; 0 0 0 1]`. */
export function poseToMat4(p: Pose): Mat4 {
  const R = p.R;
  const t = p.t;
  return Float64Array.of(
    at(R, 0), at(R, 1), at(R, 2), at(t, 0),
    at(R, 3), at(R, 4), at(R, 5), at(t, 1),
    at(R, 6), at(R, 7), at(R, 8), at(t, 2),
    0, 0, 0, 1,
  );
}

/**
 * Pose of a row-major 4x4 rigid transform `[R t; 0 0 0 1]`.
 * @param tolerance allowed max |RᵀR − I| (default 1e-5); also bounds the bottom row's deviation.
 * @throws naming the problem if the bottom row is not `0 0 0 1`, R is not a rotation, or a value is NaN/Infinity.
 */
export function mat4ToPose(m: NumArray, what = '4x4 pose', tolerance = ROTATION_TOLERANCE): Pose {
  assertLength(m, 16, what);
  assertFinite(m, what);
  const bottom = [at(m, 12), at(m, 13), at(m, 14), at(m, 15)];
  if (bottom.some((v, i) => Math.abs(v - (i === 3 ? 1 : 0)) > Math.max(tolerance, 1e-6))) {
    throw new Error(`${what}: bottom row is [${bottom.join(', ')}], expected [0, 0, 0, 1]`);
  }
  const R = [at(m, 0), at(m, 1), at(m, 2), at(m, 4), at(m, 5), at(m, 6), at(m, 8), at(m, 9), at(m, 10)];
  return makePose(R, [at(m, 3), at(m, 7), at(m, 11)], what, tolerance);
}

/**
 * World-to-camera view matrix of a camera-to-world pose: row-major 4x4 `Float32Array`, OpenCV
 * axes, as the rasterizer's `viewmats` takes it.
 */
export function viewmatFromPose(p: Pose): Float32Array {
  return Float32Array.from(poseToMat4(invertPose(p)));
}

/**
 * Camera-to-world pose of a row-major world-to-camera view matrix (inverse of
 * {@link viewmatFromPose}). Float32 rounding is tolerated (1e-4) and snapped away.
 * @throws naming the problem if the matrix is not a rigid transform.
 */
export function poseFromViewmat(viewmat: NumArray, what = 'viewmat'): Pose {
  return invertPose(mat4ToPose(viewmat, what, 1e-4));
}

/** Packs `C` poses into the rasterizer's batched `viewmats`: a `Float32Array` of C×16, row-major. */
export function viewmatsFromPoses(poses: readonly Pose[]): Float32Array {
  const out = new Float32Array(poses.length * 16);
  poses.forEach((p, i) => out.set(viewmatFromPose(p), i * 16));
  return out;
}
