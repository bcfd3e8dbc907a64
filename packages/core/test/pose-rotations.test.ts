import { describe, expect, it } from 'vitest';
import {
  createRng,
  eulerToMat,
  matToEuler,
  matToQuat,
  matToRot6d,
  quatToMat,
  rot6dToMat,
  rotationErrorDeg,
  translationError,
} from '../src/pose/index.ts';

const S = Math.SQRT1_2;
const RZ90 = [0, -1, 0, 1, 0, 0, 0, 0, 1];

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-12): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThan(tol);
}

function mul(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += (a[3 * r + k] as number) * (b[3 * k + c] as number);
      out.push(s);
    }
  }
  return out;
}

function randomRotation(rng: ReturnType<typeof createRng>): Float64Array {
  return quatToMat([rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)]);
}

describe('quaternions [w, x, y, z]', () => {
  it('maps hand-computed quaternions to their matrices', () => {
    expectClose(quatToMat([S, 0, 0, S]), RZ90);
    expectClose(quatToMat([0, 1, 0, 0]), [1, 0, 0, 0, -1, 0, 0, 0, -1]);
    // Not normalised: scale is ignored.
    expectClose(quatToMat([2, 0, 0, 0]), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('inverts 180° rotations, where the trace is −1', () => {
    expectClose(matToQuat([1, 0, 0, 0, -1, 0, 0, 0, -1]), [0, 1, 0, 0]);
    expectClose(matToQuat([-1, 0, 0, 0, 1, 0, 0, 0, -1]), [0, 0, 1, 0]);
    expectClose(matToQuat([-1, 0, 0, 0, -1, 0, 0, 0, 1]), [0, 0, 0, 1]);
    expectClose(matToQuat(RZ90), [S, 0, 0, S]);
  });

  it('round-trips random rotations with w ≥ 0', () => {
    const rng = createRng(3);
    for (let i = 0; i < 200; i++) {
      const R = randomRotation(rng);
      const q = matToQuat(R);
      expect(q[0]).toBeGreaterThanOrEqual(0);
      expectClose(quatToMat(q), R, 1e-12);
    }
  });

  it('rejects zero, NaN and non-rotations, naming the value', () => {
    expect(() => quatToMat([0, 0, 0, 0])).toThrow(/zero-length quaternion/);
    expect(() => quatToMat([1, NaN, 0, 0])).toThrow(/element 1 is NaN/);
    expect(() => matToQuat([1, 0, 0, 0, 1, 0, 0, 0.2, 1])).toThrow(/not a rotation matrix, max \|RᵀR − I\| = 0\.2/);
    expect(() => matToQuat([1, 0, 0, 0, 1, 0, 0, 0, -1])).toThrow(/determinant is -1/);
    expect(() => matToQuat([1, 0, 0, 0, Infinity, 0, 0, 0, 1])).toThrow(/element 4 is Infinity/);
  });
});

describe('Euler angles, intrinsic XYZ', () => {
  it('matches hand-computed products Rx·Ry·Rz', () => {
    const h = Math.PI / 2;
    expectClose(eulerToMat([h, 0, 0]), [1, 0, 0, 0, 0, -1, 0, 1, 0]);
    expectClose(eulerToMat([0, 0, h]), RZ90);
    // Rx(90°)·Ry(90°), multiplied out by hand.
    expectClose(eulerToMat([h, h, 0]), [0, 0, 1, 1, 0, 0, 0, 1, 0]);
    // The product order: Rx first, Rz last.
    const [a, b, c] = [0.3, -0.4, 1.1];
    expectClose(eulerToMat([a, b, c]), mul(mul(eulerToMat([a, 0, 0]), eulerToMat([0, b, 0])), eulerToMat([0, 0, c])));
  });

  it('round-trips angles and handles gimbal lock', () => {
    expectClose(matToEuler(eulerToMat([0.3, -0.4, 1.1])), [0.3, -0.4, 1.1]);
    expectClose(matToEuler(eulerToMat([-2.5, 1.2, 3])), [-2.5, 1.2, 3]);
    const locked = eulerToMat([0.3, Math.PI / 2, 0.2]);
    const back = matToEuler(locked);
    expect(back[2]).toBe(0);
    expectClose(eulerToMat(back), locked, 1e-9);
  });
});

describe('6D rotation (first two columns)', () => {
  it('orthonormalises by Gram–Schmidt', () => {
    expectClose(rot6dToMat([2, 0, 0, 1, 3, 0]), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    // Columns [0,1,0] and [-1,0,0] → Rz(90°).
    expectClose(rot6dToMat([0, 1, 0, -1, 0, 0]), RZ90);
    expectClose(matToRot6d(RZ90), [0, 1, 0, -1, 0, 0]);
  });

  it('round-trips and rejects degenerate input', () => {
    const rng = createRng(9);
    const R = randomRotation(rng);
    expectClose(rot6dToMat(matToRot6d(R)), R, 1e-12);
    expect(() => rot6dToMat([1, 0, 0, 2, 0, 0])).toThrow(/parallel to the first/);
    expect(() => rot6dToMat([0, 0, 0, 1, 0, 0])).toThrow(/first column .* zero length/);
  });
});

describe('pose errors', () => {
  it('measures the geodesic angle in degrees', () => {
    const I = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    expect(rotationErrorDeg(quatToMat([Math.cos(0.5 * (Math.PI / 18)), 0, 0, Math.sin(0.5 * (Math.PI / 18))]), I)).toBeCloseTo(10, 9);
    expect(rotationErrorDeg(RZ90, I)).toBeCloseTo(90, 9);
    expect(rotationErrorDeg([1, 0, 0, 0, -1, 0, 0, 0, -1], I)).toBeCloseTo(180, 9);
    expect(rotationErrorDeg(RZ90, RZ90)).toBe(0);
    // Float32 rounding of the same rotation must not give NaN.
    expect(rotationErrorDeg(Float32Array.from(RZ90), RZ90)).toBeLessThan(1e-3);
  });

  it('measures the Euclidean distance and rejects NaN', () => {
    expect(translationError([0, 0, 0], [3, 4, 0])).toBe(5);
    expect(() => translationError([0, NaN, 0], [0, 0, 0])).toThrow(/first position: element 1 is NaN/);
  });
});
