// Each dataset's own pose convention → ours (camera-to-world, OpenCV axes; see types.ts).
import { mul3, transpose3 } from './mat3.ts';
import { matToQuat, quatToMat } from './quaternion.ts';
import { invertPose, mat4ToPose, poseToMat4 } from './se3.ts';
import type { Mat4, NumArray, Pose, Quat } from './types.ts';
import { assertFinite, assertLength } from './validate.ts';

/** Dataset files print rotations to ~7 digits: accept that much noise, then snap to a rotation. */
export const DATASET_ROTATION_TOLERANCE = 1e-3;

// diag(1, -1, -1): OpenGL camera axes (x right, y up, z back) ↔ OpenCV (x right, y down, z forward).
const FLIP_YZ = Float64Array.of(1, 0, 0, 0, -1, 0, 0, 0, -1);

/**
 * OpenGL / nerfstudio / Blender camera-to-world 4x4 (row-major; camera x right, y up, z back)
 * → ours. The world frame is kept; only the camera's y and z axes flip: R_cv = R_gl · diag(1,−1,−1).
 * @throws naming the problem if the matrix is not a rigid transform.
 */
export function poseFromOpenGL(c2w: NumArray, what = 'OpenGL camera-to-world'): Pose {
  const p = mat4ToPose(c2w, what, DATASET_ROTATION_TOLERANCE);
  return { R: mul3(p.R, FLIP_YZ), t: p.t };
}

/** Ours → OpenGL camera-to-world row-major 4x4 (inverse of {@link poseFromOpenGL}). */
export function poseToOpenGL(p: Pose): Mat4 {
  return poseToMat4({ R: mul3(p.R, FLIP_YZ), t: p.t });
}

/**
 * COLMAP image pose → ours. COLMAP stores world-to-camera: `x_cam = R(q)·x_world + tvec` with
 * `qvec = [w, x, y, z]`, camera axes already OpenCV. So R = R(q)ᵀ and t = −R(q)ᵀ·tvec.
 * @throws naming the problem if qvec is zero or a value is NaN/Infinity.
 */
export function poseFromColmap(qvec: NumArray, tvec: NumArray, what = 'COLMAP pose'): Pose {
  assertLength(tvec, 3, `${what} tvec`);
  assertFinite(tvec, `${what} tvec`);
  return invertPose({ R: quatToMat(qvec, `${what} qvec`), t: Float64Array.from(tvec) });
}

/** Ours → COLMAP `{ qvec: [w, x, y, z], tvec }` (world-to-camera). */
export function poseToColmap(p: Pose): { qvec: Quat; tvec: Float64Array } {
  const w2c = invertPose(p);
  return { qvec: matToQuat(w2c.R), tvec: w2c.t };
}

/**
 * Cambridge Landmarks line (`X Y Z W P Q R` of dataset_*.txt) → ours. The position is the
 * camera centre in world coordinates; the quaternion `[W, P, Q, R]` is the world-to-camera
 * rotation (VisualSFM's convention; camera axes OpenCV). So R = R(q)ᵀ and t = position.
 * @throws naming the problem if the quaternion is zero or a value is NaN/Infinity.
 */
export function poseFromCambridge(position: NumArray, qwxyz: NumArray, what = 'Cambridge pose'): Pose {
  assertLength(position, 3, `${what} position`);
  assertFinite(position, `${what} position`);
  return { R: transpose3(quatToMat(qwxyz, `${what} quaternion`)), t: Float64Array.from(position) };
}

/** Ours → Cambridge `{ position, quaternion: [W, P, Q, R] }`. */
export function poseToCambridge(p: Pose): { position: Float64Array; quaternion: Quat } {
  return { position: Float64Array.from(p.t), quaternion: matToQuat(transpose3(p.R)) };
}

/**
 * 7-Scenes `frame-XXXXXX.pose.txt` (row-major 4x4 camera-to-world, camera axes OpenCV as the
 * Kinect's) → ours: the same transform, checked and snapped to an exact rotation.
 * @throws naming the problem if the matrix is not a rigid transform.
 */
export function poseFrom7Scenes(m: NumArray, what = '7-Scenes pose'): Pose {
  return mat4ToPose(m, what, DATASET_ROTATION_TOLERANCE);
}
