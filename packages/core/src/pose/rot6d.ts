// The continuous 6D rotation representation (Zhou et al., CVPR 2019): the first two columns of R.
import { at, column3, cross3, dot3, fromColumns, norm3, scale3, sub3, vec3 } from './mat3.ts';
import type { Mat3, NumArray } from './types.ts';
import { assertFinite, assertLength } from './validate.ts';

/**
 * Rotation from a 6D vector `[a1x, a1y, a1z, a2x, a2y, a2z]` (two 3-vectors meant as the first two
 * columns of R) by Gram–Schmidt: b1 = a1/|a1|, b2 = normalised a2 minus its b1 part, b3 = b1 × b2.
 * Any two non-parallel vectors give a rotation, which is what a network output needs.
 * @throws if the input is not 6 finite numbers or a1, a2 are zero or parallel.
 */
export function rot6dToMat(v: NumArray, what = '6D rotation'): Mat3 {
  assertLength(v, 6, what);
  assertFinite(v, what);
  const a1 = vec3(at(v, 0), at(v, 1), at(v, 2));
  const a2 = vec3(at(v, 3), at(v, 4), at(v, 5));
  const n1 = norm3(a1);
  if (!(n1 > 1e-12)) throw new Error(`${what}: first column [${Array.from(a1).join(', ')}] has zero length`);
  const b1 = scale3(a1, 1 / n1);
  const u2 = sub3(a2, scale3(b1, dot3(b1, a2)));
  const n2 = norm3(u2);
  if (!(n2 > 1e-9 * Math.max(1, norm3(a2)))) {
    throw new Error(`${what}: second column [${Array.from(a2).join(', ')}] is zero or parallel to the first`);
  }
  const b2 = scale3(u2, 1 / n2);
  return fromColumns(b1, b2, cross3(b1, b2));
}

/** The 6D representation of `R`: its first column, then its second column. */
export function matToRot6d(R: NumArray): Float64Array {
  return Float64Array.of(...column3(R, 0), ...column3(R, 1));
}
