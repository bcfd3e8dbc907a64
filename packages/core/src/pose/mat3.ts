// Small 3x3 / 3-vector helpers on row-major Float64Arrays. Internal: the public API is in se3.ts
// and friends; these stay unexported from the package so their shapes can change freely.
import type { Mat3, NumArray, Vec3 } from './types.ts';

export function mat3(values: NumArray): Mat3 {
  return Float64Array.from({ length: 9 }, (_, i) => values[i] ?? 0);
}

export function vec3(x: number, y: number, z: number): Vec3 {
  return Float64Array.of(x, y, z);
}

export function identity3(): Mat3 {
  return Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
}

/** Element read that satisfies `noUncheckedIndexedAccess`; callers pass in-range indices. */
export function at(a: NumArray, i: number): number {
  return a[i] as number;
}

export function mul3(a: NumArray, b: NumArray): Mat3 {
  const out = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      out[3 * r + c] = at(a, 3 * r) * at(b, c) + at(a, 3 * r + 1) * at(b, 3 + c) + at(a, 3 * r + 2) * at(b, 6 + c);
    }
  }
  return out;
}

export function transpose3(a: NumArray): Mat3 {
  return Float64Array.of(at(a, 0), at(a, 3), at(a, 6), at(a, 1), at(a, 4), at(a, 7), at(a, 2), at(a, 5), at(a, 8));
}

export function mulVec3(a: NumArray, v: NumArray): Vec3 {
  const x = at(v, 0);
  const y = at(v, 1);
  const z = at(v, 2);
  return vec3(
    at(a, 0) * x + at(a, 1) * y + at(a, 2) * z,
    at(a, 3) * x + at(a, 4) * y + at(a, 5) * z,
    at(a, 6) * x + at(a, 7) * y + at(a, 8) * z,
  );
}

export function det3(a: NumArray): number {
  return (
    at(a, 0) * (at(a, 4) * at(a, 8) - at(a, 5) * at(a, 7)) -
    at(a, 1) * (at(a, 3) * at(a, 8) - at(a, 5) * at(a, 6)) +
    at(a, 2) * (at(a, 3) * at(a, 7) - at(a, 4) * at(a, 6))
  );
}

/** Inverse by the adjugate; the caller guarantees a non-singular matrix. */
export function inverse3(a: NumArray): Mat3 {
  const d = det3(a);
  const [a0, a1, a2, a3, a4, a5, a6, a7, a8] = Array.from({ length: 9 }, (_, i) => at(a, i)) as [
    number, number, number, number, number, number, number, number, number,
  ];
  return Float64Array.of(
    (a4 * a8 - a5 * a7) / d, (a2 * a7 - a1 * a8) / d, (a1 * a5 - a2 * a4) / d,
    (a5 * a6 - a3 * a8) / d, (a0 * a8 - a2 * a6) / d, (a2 * a3 - a0 * a5) / d,
    (a3 * a7 - a4 * a6) / d, (a1 * a6 - a0 * a7) / d, (a0 * a4 - a1 * a3) / d,
  );
}

export function dot3(a: NumArray, b: NumArray): number {
  return at(a, 0) * at(b, 0) + at(a, 1) * at(b, 1) + at(a, 2) * at(b, 2);
}

export function cross3(a: NumArray, b: NumArray): Vec3 {
  return vec3(
    at(a, 1) * at(b, 2) - at(a, 2) * at(b, 1),
    at(a, 2) * at(b, 0) - at(a, 0) * at(b, 2),
    at(a, 0) * at(b, 1) - at(a, 1) * at(b, 0),
  );
}

export function norm3(a: NumArray): number {
  return Math.hypot(at(a, 0), at(a, 1), at(a, 2));
}

export function scale3(a: NumArray, s: number): Vec3 {
  return vec3(at(a, 0) * s, at(a, 1) * s, at(a, 2) * s);
}

export function add3(a: NumArray, b: NumArray): Vec3 {
  return vec3(at(a, 0) + at(b, 0), at(a, 1) + at(b, 1), at(a, 2) + at(b, 2));
}

export function sub3(a: NumArray, b: NumArray): Vec3 {
  return vec3(at(a, 0) - at(b, 0), at(a, 1) - at(b, 1), at(a, 2) - at(b, 2));
}

/** Matrix whose columns are `x`, `y`, `z`. */
export function fromColumns(x: NumArray, y: NumArray, z: NumArray): Mat3 {
  return Float64Array.of(at(x, 0), at(y, 0), at(z, 0), at(x, 1), at(y, 1), at(z, 1), at(x, 2), at(y, 2), at(z, 2));
}

/** Column `c` of a row-major 3x3. */
export function column3(a: NumArray, c: number): Vec3 {
  return vec3(at(a, c), at(a, 3 + c), at(a, 6 + c));
}

/** Rotation by `angle` radians about the unit `axis` (Rodrigues). */
export function axisAngleToMat(axis: NumArray, angle: number): Mat3 {
  const [x, y, z] = [at(axis, 0), at(axis, 1), at(axis, 2)];
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const k = 1 - c;
  return Float64Array.of(
    c + x * x * k, x * y * k - z * s, x * z * k + y * s,
    y * x * k + z * s, c + y * y * k, y * z * k - x * s,
    z * x * k - y * s, z * y * k + x * s, c + z * z * k,
  );
}
