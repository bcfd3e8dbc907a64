import { describe, expect, it } from 'vitest';
import {
  composePoses,
  invertPose,
  lookAt,
  makePose,
  mat4ToPose,
  poseFrom7Scenes,
  poseFromCambridge,
  poseFromColmap,
  poseFromOpenGL,
  poseFromViewmat,
  poseToCambridge,
  poseToColmap,
  poseToMat4,
  poseToOpenGL,
  transformPoint,
  viewmatFromPose,
  viewmatsFromPoses,
  type Pose,
} from '../src/pose/index.ts';

const S = Math.SQRT1_2;
const I3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const RZ90 = [0, -1, 0, 1, 0, 0, 0, 0, 1];
const RZ90T = [0, 1, 0, -1, 0, 0, 0, 0, 1];

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-12): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThan(tol);
}

/** Camera coordinates of a world point under a camera-to-world pose: Rᵀ(x − t). */
function toCamera(p: Pose, x: number[]): number[] {
  const d = x.map((v, k) => v - (p.t[k] as number));
  return [0, 1, 2].map((c) => [0, 1, 2].reduce((s, r) => s + (p.R[3 * r + c] as number) * (d[r] as number), 0));
}

describe('SE(3)', () => {
  const A = makePose(RZ90, [1, 2, 3]);

  it('applies, inverts and composes by hand-computed values', () => {
    expectClose(transformPoint(A, [1, 0, 0]), [1, 3, 3]);
    const inv = invertPose(A);
    expectClose(inv.R, RZ90T);
    expectClose(inv.t, [-2, 1, -3]);
    const id = composePoses(A, inv);
    expectClose(id.R, I3);
    expectClose(id.t, [0, 0, 0]);
    // compose(a, b)(x) = a(b(x))
    const B = makePose(I3, [5, 0, 0]);
    expectClose(transformPoint(composePoses(A, B), [0, 0, 0]), [1, 7, 3]);
  });

  it('converts to and from row-major 4x4', () => {
    expectClose(poseToMat4(A), [0, -1, 0, 1, 1, 0, 0, 2, 0, 0, 1, 3, 0, 0, 0, 1]);
    const back = mat4ToPose(poseToMat4(A));
    expectClose(back.R, A.R);
    expectClose(back.t, A.t);
  });

  it('makes the world-to-camera viewmat the rasterizer takes', () => {
    // Camera 5 units behind the origin looking down +z: the origin is 5 units in front of it.
    const cam = makePose(I3, [0, 0, -5]);
    const v = viewmatFromPose(cam);
    expect(v).toBeInstanceOf(Float32Array);
    expectClose(v, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 5, 0, 0, 0, 1]);
    const back = poseFromViewmat(viewmatFromPose(A));
    expectClose(back.R, A.R, 1e-6);
    expectClose(back.t, A.t, 1e-6);
    const batch = viewmatsFromPoses([cam, A]);
    expect(batch.length).toBe(32);
    expectClose(batch.subarray(16), viewmatFromPose(A));
  });

  it('rejects NaN, non-rotations and bad bottom rows, naming the value', () => {
    expect(() => makePose(I3, [0, NaN, 0])).toThrow(/pose\.t: element 1 is NaN/);
    expect(() => makePose([1, 0, 0, 0, 1.1, 0, 0, 0, 1], [0, 0, 0])).toThrow(/pose\.R: not a rotation matrix.*0\.21/);
    expect(() => makePose([1, 0, 0, 0, 1, 0, 0, 0, -1], [0, 0, 0])).toThrow(/determinant is -1/);
    expect(() => mat4ToPose([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1])).toThrow(/bottom row is \[0, 0, 1, 1\]/);
    expect(() => poseFromViewmat(new Float32Array(12))).toThrow(/expected 16 numbers, got 12/);
  });
});

describe('dataset conventions → camera-to-world OpenCV', () => {
  it('flips y and z of an OpenGL camera', () => {
    // OpenGL identity camera at the origin looks down world −z with y up.
    const p = poseFromOpenGL([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    expectClose(p.R, [1, 0, 0, 0, -1, 0, 0, 0, -1]);
    expectClose(toCamera(p, [0, 0, -2]), [0, 0, 2]); // in front: positive depth
    expectClose(toCamera(p, [0, 1, -2]), [0, -1, 2]); // world up is image up (negative y)
    const gl = [0, 0, 1, 4, 0, 1, 0, 5, -1, 0, 0, 6, 0, 0, 0, 1];
    expectClose(poseToOpenGL(poseFromOpenGL(gl)), gl);
  });

  it('inverts COLMAP world-to-camera poses', () => {
    const p = poseFromColmap([1, 0, 0, 0], [1, 2, 3]);
    expectClose(p.R, I3);
    expectClose(p.t, [-1, -2, -3]);
    const q = poseFromColmap([S, 0, 0, S], [1, 0, 0]);
    expectClose(q.R, RZ90T);
    expectClose(q.t, [0, 1, 0]);
    const back = poseToColmap(q);
    expectClose(back.qvec, [S, 0, 0, S]);
    expectClose(back.tvec, [1, 0, 0]);
    expect(() => poseFromColmap([0, 0, 0, 0], [0, 0, 0], 'images.txt line 5')).toThrow(/images\.txt line 5 qvec: zero-length/);
  });

  it('reads Cambridge centre + world-to-camera quaternion', () => {
    const p = poseFromCambridge([10, 20, 30], [S, 0, 0, S]);
    expectClose(p.R, RZ90T);
    expectClose(p.t, [10, 20, 30]);
    const back = poseToCambridge(p);
    expectClose(back.quaternion, [S, 0, 0, S]);
    expectClose(back.position, [10, 20, 30]);
  });

  it('keeps 7-Scenes camera-to-world, snapping 7-digit rotations', () => {
    const c = Math.cos(0.1);
    const s = Math.sin(0.1);
    const printed = [c, -s, 0, 0.5, s, c, 0, -0.25, 0, 0, 1, 2, 0, 0, 0, 1].map((v) => +v.toPrecision(7));
    const p = poseFrom7Scenes(printed);
    expectClose(p.R, [c, -s, 0, s, c, 0, 0, 0, 1], 1e-6);
    expectClose(p.t, [0.5, -0.25, 2]);
    // Exactly orthonormal after snapping.
    const rtr0 = (p.R[0] as number) ** 2 + (p.R[3] as number) ** 2 + (p.R[6] as number) ** 2;
    expect(Math.abs(rtr0 - 1)).toBeLessThan(1e-14);
    expect(() => poseFrom7Scenes([1, 0, 0, 0, 0, 1.1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toThrow(/7-Scenes pose\.R: not a rotation/);
  });

  it('builds look-at cameras with y pointing away from up', () => {
    const p = lookAt([0, 0, -5], [0, 0, 0], [0, -1, 0]);
    expectClose(p.R, I3);
    const q = lookAt([3, 0, 0], [0, 0, 0], [0, 0, 1]);
    expectClose(toCamera(q, [0, 0, 0]), [0, 0, 3]);
    expectClose(toCamera(q, [0, 0, 1]), [0, -1, 3]);
    expect(() => lookAt([0, 0, 0], [0, 1, 0], [0, 1, 0])).toThrow(/parallel to up/);
  });
});
