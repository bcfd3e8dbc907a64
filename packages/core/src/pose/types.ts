/**
 * The one pose convention of rvs.
 *
 * - A {@link Pose} is **camera-to-world**: a point `x_cam` in camera coordinates sits at
 *   `x_world = R · x_cam + t` in the world, so `t` is the camera centre and the columns of
 *   `R` are the camera's axes written in world coordinates.
 * - Camera axes are **OpenCV**: x right, y down, z forward (the viewing direction).
 * - Matrices are **row-major**: `R[3 * row + col]`, `M[4 * row + col]`.
 * - The rasterizer takes the inverse, world-to-camera, as a row-major 4x4 `Float32Array`
 *   ("viewmat"); see `viewmatFromPose`.
 * - Quaternions are `[w, x, y, z]` (scalar first), Euler angles are intrinsic XYZ in
 *   radians (see `eulerToMat`).
 *
 * Datasets that use other conventions are converted on load (`pose/conventions.ts`).
 */

/** 3x3 matrix, row-major, 9 numbers. */
export type Mat3 = Float64Array;
/** 4x4 matrix, row-major, 16 numbers. */
export type Mat4 = Float64Array;
/** 3-vector. */
export type Vec3 = Float64Array;
/** Unit quaternion `[w, x, y, z]`. */
export type Quat = Float64Array;

/** A camera-to-world rigid transform with OpenCV camera axes (see the module comment). */
export interface Pose {
  /** Rotation, row-major 3x3; its columns are the camera's x, y, z axes in world coordinates. */
  readonly R: Mat3;
  /** Camera centre in world coordinates. */
  readonly t: Vec3;
}

/** Anything indexable as numbers: plain arrays, typed arrays. Inputs accept it; outputs are Float64Array. */
export type NumArray = ArrayLike<number>;
