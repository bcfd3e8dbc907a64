// The one dataset shape every reader produces. Poses follow pose/types.ts: camera-to-world,
// OpenCV axes.
import type { Pose } from '../pose/types.ts';

/** Lens distortion kept from the source, for a later undistortion step; rvs renders pinhole. */
export interface Distortion {
  /** Camera model name as the source calls it, e.g. COLMAP's `OPENCV` or nerfstudio's `OPENCV_FISHEYE`. */
  readonly model: string;
  /** Coefficients by name (`k1`, `k2`, `p1`, `p2`, `omega`, …). */
  readonly coeffs: Readonly<Record<string, number>>;
}

/** One image with its pose and pinhole intrinsics. */
export interface PoseFrame {
  /** Image name as the dataset lists it, e.g. `seq1/frame00001.png`. */
  readonly name: string;
  /** Where to read the image: `name` (or the listed file path) under the dataset's root. */
  readonly imagePath: string;
  /** Camera-to-world, OpenCV axes. */
  readonly pose: Pose;
  /** Intrinsics in pixels, row-major 3x3 `[fx, 0, cx, 0, fy, cy, 0, 0, 1]`. */
  readonly K: Float64Array;
  /** Image size in pixels the intrinsics refer to. */
  readonly width: number;
  readonly height: number;
  /** Present when the source camera model has distortion. */
  readonly distortion?: Distortion;
}

/** A posed image collection with its train/test split. */
export interface PoseDataset {
  /** Scene name, e.g. `KingsCollege` or `chess`. */
  readonly name: string;
  /** Directory `imagePath`s were resolved against ('' when paths stay relative). */
  readonly root: string;
  /** All frames, in a stable order (the source's order, or sorted by name). */
  readonly frames: readonly PoseFrame[];
  /** Indices into `frames` of the training images. */
  readonly train: readonly number[];
  /** Indices into `frames` of the test images. */
  readonly test: readonly number[];
}

/** Pinhole intrinsics in pixels with the image size they belong to. */
export interface Intrinsics {
  readonly fx: number;
  readonly fy: number;
  readonly cx: number;
  readonly cy: number;
  readonly width: number;
  readonly height: number;
}

/** Row-major K of pinhole intrinsics. */
export function intrinsicsMatrix(fx: number, fy: number, cx: number, cy: number): Float64Array {
  return Float64Array.of(fx, 0, cx, 0, fy, cy, 0, 0, 1);
}

/** The frames of one split. */
export function splitFrames(ds: PoseDataset, split: 'train' | 'test'): PoseFrame[] {
  return ds[split].map((i) => ds.frames[i] as PoseFrame);
}
