// Euler angles, intrinsic XYZ: rotate about x, then about the new y, then about the newest z.
// As a product of fixed-axis rotations that is R = Rx(a) · Ry(b) · Rz(c) (scipy's 'XYZ').
import { at } from './mat3.ts';
import type { Mat3, NumArray } from './types.ts';
import { ROTATION_TOLERANCE, assertFinite, assertLength, assertRotation } from './validate.ts';

/**
 * Rotation matrix `Rx(a)·Ry(b)·Rz(c)` of intrinsic XYZ Euler angles `[a, b, c]` in radians.
 * @throws if the angles are not 3 finite numbers.
 */
export function eulerToMat(angles: NumArray, what = 'euler angles'): Mat3 {
  assertLength(angles, 3, what);
  assertFinite(angles, what);
  const [ca, sa] = [Math.cos(at(angles, 0)), Math.sin(at(angles, 0))];
  const [cb, sb] = [Math.cos(at(angles, 1)), Math.sin(at(angles, 1))];
  const [cc, sc] = [Math.cos(at(angles, 2)), Math.sin(at(angles, 2))];
  return Float64Array.of(
    cb * cc, -cb * sc, sb,
    sa * sb * cc + ca * sc, -sa * sb * sc + ca * cc, -sa * cb,
    -ca * sb * cc + sa * sc, ca * sb * sc + sa * cc, ca * cb,
  );
}

/**
 * Intrinsic XYZ Euler angles `[a, b, c]` (radians, b in [-π/2, π/2]) with
 * `eulerToMat([a, b, c]) = R`. At gimbal lock (|b| = π/2) only a ± c is defined; c is set to 0.
 * @throws if `R` is not a finite rotation matrix.
 */
export function matToEuler(R: NumArray, what = 'rotation', tolerance = ROTATION_TOLERANCE): Float64Array {
  assertRotation(R, what, tolerance);
  const r02 = Math.min(1, Math.max(-1, at(R, 2)));
  const b = Math.asin(r02);
  if (Math.abs(r02) < 1 - 1e-12) {
    return Float64Array.of(Math.atan2(-at(R, 5), at(R, 8)), b, Math.atan2(-at(R, 1), at(R, 0)));
  }
  // cos b = 0: rows 1 and 2 reduce to [·, cos a, ·] and [·, sin a, ·] once c = 0.
  return Float64Array.of(Math.atan2(at(R, 7), at(R, 4)), b, 0);
}
