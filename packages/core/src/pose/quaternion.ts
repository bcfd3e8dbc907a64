// Unit quaternions [w, x, y, z] (scalar first, Hamilton) ↔ rotation matrices.
import { at } from './mat3.ts';
import type { Mat3, NumArray, Quat } from './types.ts';
import { ROTATION_TOLERANCE, assertFinite, assertLength, assertRotation } from './validate.ts';

/**
 * Rotation matrix of a quaternion `[w, x, y, z]`. The quaternion is normalised first, so any
 * non-zero scale works; `q` and `-q` give the same matrix.
 * @throws if `q` is not 4 finite numbers or has (near) zero length.
 */
export function quatToMat(q: NumArray, what = 'quaternion'): Mat3 {
  assertLength(q, 4, what);
  assertFinite(q, what);
  const n = Math.hypot(at(q, 0), at(q, 1), at(q, 2), at(q, 3));
  if (!(n > 1e-12)) throw new Error(`${what}: zero-length quaternion [${Array.from(q).join(', ')}] has no rotation`);
  const w = at(q, 0) / n;
  const x = at(q, 1) / n;
  const y = at(q, 2) / n;
  const z = at(q, 3) / n;
  return Float64Array.of(
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  );
}

/**
 * Unit quaternion `[w, x, y, z]` of a rotation matrix, with `w ≥ 0`. Uses Shepperd's method:
 * it divides by the largest of the four diagonal combinations, so it stays accurate when the
 * trace is negative (rotations near 180°).
 * @param tolerance allowed max |RᵀR − I| (default 1e-5).
 * @throws if `R` is not a finite rotation matrix.
 */
export function matToQuat(R: NumArray, what = 'rotation', tolerance = ROTATION_TOLERANCE): Quat {
  assertRotation(R, what, tolerance);
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = Array.from({ length: 9 }, (_, i) => at(R, i)) as [
    number, number, number, number, number, number, number, number, number,
  ];
  const trace = m00 + m11 + m22;
  let q: [number, number, number, number];
  if (trace > 0) {
    const s = 2 * Math.sqrt(trace + 1);
    q = [0.25 * s, (m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s];
  } else if (m00 > m11 && m00 > m22) {
    const s = 2 * Math.sqrt(1 + m00 - m11 - m22);
    q = [(m21 - m12) / s, 0.25 * s, (m01 + m10) / s, (m02 + m20) / s];
  } else if (m11 > m22) {
    const s = 2 * Math.sqrt(1 + m11 - m00 - m22);
    q = [(m02 - m20) / s, (m01 + m10) / s, 0.25 * s, (m12 + m21) / s];
  } else {
    const s = 2 * Math.sqrt(1 + m22 - m00 - m11);
    q = [(m10 - m01) / s, (m02 + m20) / s, (m12 + m21) / s, 0.25 * s];
  }
  const sign = q[0] < 0 ? -1 : 1;
  const n = Math.hypot(...q) * sign;
  return Float64Array.from(q, (v) => v / n);
}
