// Pose errors as reported in the absolute pose regression literature (median of these per scene).
import { at, sub3, norm3 } from './mat3.ts';
import { matToQuat } from './quaternion.ts';
import type { NumArray, Pose } from './types.ts';
import { assertFinite, assertLength } from './validate.ts';

/**
 * Geodesic angle between two rotations in degrees, `2·acos|⟨q, q̂⟩|` with the dot product
 * clamped to [0, 1] so rounding never yields NaN. Sign-invariant (q and −q are the same rotation).
 * @param tolerance allowed max |RᵀR − I| of the inputs (default 1e-4: network outputs are float32).
 */
export function rotationErrorDeg(Ra: NumArray, Rb: NumArray, tolerance = 1e-4): number {
  const qa = matToQuat(Ra, 'rotationErrorDeg: first rotation', tolerance);
  const qb = matToQuat(Rb, 'rotationErrorDeg: second rotation', tolerance);
  const dot = Math.abs(at(qa, 0) * at(qb, 0) + at(qa, 1) * at(qb, 1) + at(qa, 2) * at(qb, 2) + at(qa, 3) * at(qb, 3));
  return (2 * Math.acos(Math.min(1, dot)) * 180) / Math.PI;
}

/** Euclidean distance between two positions, in scene units. */
export function translationError(ta: NumArray, tb: NumArray): number {
  assertLength(ta, 3, 'translationError: first position');
  assertLength(tb, 3, 'translationError: second position');
  assertFinite(ta, 'translationError: first position');
  assertFinite(tb, 'translationError: second position');
  return norm3(sub3(ta, tb));
}

/** Both errors between an estimated and a reference camera-to-world pose. */
export function poseError(estimate: Pose, reference: Pose): { rotationDeg: number; translation: number } {
  return {
    rotationDeg: rotationErrorDeg(estimate.R, reference.R),
    translation: translationError(estimate.t, reference.t),
  };
}
