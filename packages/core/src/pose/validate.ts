// Input checks shared by the pose maths and the dataset readers. Errors name what was wrong and
// the offending value, prefixed by `what` (for example "images.txt line 7: qvec").
import { at, det3, inverse3, mul3, transpose3 } from './mat3.ts';
import type { Mat3, NumArray } from './types.ts';

/** Default tolerance on max |RᵀR − I| for rotations handed to the API. Float32 round trips stay well inside. */
export const ROTATION_TOLERANCE = 1e-5;

/** Throws unless `values` has exactly `length` entries. */
export function assertLength(values: NumArray, length: number, what: string): void {
  if (values.length !== length) {
    throw new Error(`${what}: expected ${length} numbers, got ${values.length}`);
  }
}

/** Throws on the first NaN or ±Infinity, naming its index and value. */
export function assertFinite(values: NumArray, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = at(values, i);
    if (!Number.isFinite(v)) throw new Error(`${what}: element ${i} is ${v}, expected a finite number`);
  }
}

/** Largest |(RᵀR − I)ᵢⱼ|: 0 for an exact rotation. */
export function orthonormalityError(R: NumArray): number {
  const rtr = mul3(transpose3(R), R);
  let worst = 0;
  for (let i = 0; i < 9; i++) worst = Math.max(worst, Math.abs(at(rtr, i) - (i % 4 === 0 ? 1 : 0)));
  return worst;
}

/**
 * Throws unless `R` is a finite 3x3 rotation: RᵀR = I within `tolerance` (default
 * {@link ROTATION_TOLERANCE}) and det R = +1 (not a reflection).
 */
export function assertRotation(R: NumArray, what: string, tolerance = ROTATION_TOLERANCE): void {
  assertLength(R, 9, what);
  assertFinite(R, what);
  const err = orthonormalityError(R);
  if (!(err <= tolerance)) {
    throw new Error(
      `${what}: not a rotation matrix, max |RᵀR − I| = ${err.toPrecision(3)} (tolerance ${tolerance}); ` +
        `R = [${Array.from(R, (v) => +v.toPrecision(6)).join(', ')}]`,
    );
  }
  const d = det3(R);
  if (d < 0) throw new Error(`${what}: determinant is ${d.toPrecision(3)}, a reflection rather than a rotation`);
}

/**
 * Nearest rotation to an almost-orthonormal `R` (the orthogonal polar factor), by Newton's
 * iteration R ← (R + R⁻ᵀ)/2. Datasets print rotations to ~7 digits; this removes that noise so
 * later compositions stay exact rotations.
 */
export function orthonormalize(R: NumArray): Mat3 {
  let X = Float64Array.from(R);
  for (let iter = 0; iter < 8; iter++) {
    const invT = transpose3(inverse3(X));
    const next = X.map((v, i) => 0.5 * (v + at(invT, i)));
    let delta = 0;
    for (let i = 0; i < 9; i++) delta = Math.max(delta, Math.abs(at(next, i) - at(X, i)));
    X = next;
    if (delta < 1e-15) break;
  }
  return X;
}
