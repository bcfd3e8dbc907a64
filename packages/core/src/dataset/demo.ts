// The embedded demo's pose-regression dataset: camera poses along three walking
// trajectories through the demo room (train) and views off those paths (test). Images are
// not files: they are rendered from the demo scene (`@rvs/raster-wgpu`'s `demoScene`), so
// frame `imagePath`s are `render:<index>`. World axes are the demo scene's: y down, floor at
// y = +1.5, room x, z ∈ [-4, 4].
import { lookAt } from '../pose/look-at.ts';
import { createRng } from '../pose/prng.ts';
import type { Pose } from '../pose/types.ts';
import type { PoseDataset, PoseFrame } from './types.ts';

export interface DemoDatasetOptions {
  /** Default 0; the same seed gives the same poses everywhere. */
  seed?: number;
  /** Image size the intrinsics refer to (default 160×120). */
  width?: number;
  height?: number;
  /** Training views per trajectory (default 40; there are 3 trajectories). */
  trainPerTrajectory?: number;
  /** Test views (default 30). */
  test?: number;
}

const UP: readonly number[] = [0, -1, 0];
const TAU = 2 * Math.PI;
/** Test cameras stay at least this far (m) from every training camera. */
const MIN_TEST_DISTANCE = 0.25;

/** Eye position and a look-at target at parameter s ∈ [0, 1] along each trajectory. */
const TRAJECTORIES: ((s: number) => { eye: number[]; target: number[] })[] = [
  // An arc around the middle of the room, looking across it.
  (s) => {
    const a = -0.4 * Math.PI + s * 1.3 * Math.PI;
    return { eye: [2.4 * Math.sin(a), 0.35, 2.4 * Math.cos(a)], target: [-1.2 * Math.sin(a + 0.5), 0.7, -1.2 * Math.cos(a + 0.5)] };
  },
  // A walk along x near the front, looking at the back wall.
  (s) => ({ eye: [-2.5 + 5 * s, 0.45, -2.2], target: [-1 + 2 * s, 0.6, 3.5] }),
  // A walk along z on the right, looking at the striped left wall.
  (s) => ({ eye: [2.2, 0.3, 2 - 4 * s], target: [-3.5, 0.8, 1 - 2 * s] }),
];

function frame(index: number, pose: Pose, width: number, height: number): PoseFrame {
  const f = 0.8 * width;
  return {
    name: `demo/${String(index).padStart(5, '0')}`,
    imagePath: `render:${index}`,
    pose,
    K: Float64Array.from([f, 0, width / 2, 0, f, height / 2, 0, 0, 1]),
    width,
    height,
  };
}

/** Builds the demo dataset (poses and intrinsics; images come from rendering the demo scene). */
export function demoDataset(options: DemoDatasetOptions = {}): PoseDataset {
  const { seed = 0, width = 160, height = 120, trainPerTrajectory = 40, test = 30 } = options;
  for (const [name, v] of Object.entries({ width, height, trainPerTrajectory, test })) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`demoDataset: ${name} must be a positive integer, got ${v}`);
  }
  const rng = createRng(seed);
  const frames: PoseFrame[] = [];
  const train: number[] = [];
  for (const path of TRAJECTORIES) {
    for (let i = 0; i < trainPerTrajectory; i++) {
      // Evenly along the path, with a little jitter so trajectories are not perfectly regular.
      const s = (i + 0.5 + rng.uniform(-0.2, 0.2)) / trainPerTrajectory;
      const { eye, target } = path(s);
      train.push(frames.length);
      frames.push(frame(frames.length, lookAt(eye, target, UP, 'demo train pose'), width, height));
    }
  }
  const testIdx: number[] = [];
  const trainEyes = train.map((i) => frames[i]!.pose.t);
  const farFromTrain = (p: number[]) => trainEyes.every((t) => Math.hypot(p[0]! - t[0]!, p[1]! - t[1]!, p[2]! - t[2]!) >= MIN_TEST_DISTANCE);
  for (let i = 0; i < test; i++) {
    const path = TRAJECTORIES[i % TRAJECTORIES.length]!;
    // Off the paths: a point on a trajectory moved 35–60 cm horizontally and a little up or
    // down, kept only if it
    // is at least MIN_TEST_DISTANCE from every training camera (paths cross), and turned
    // by up to ±15° around the vertical.
    let offEye: number[] = [];
    let target: number[] = [];
    for (let attempt = 0; attempt < 100; attempt++) {
      const at = path(rng.uniform(0.1, 0.9));
      const away = rng.uniform(0.35, 0.6);
      const heading = rng.uniform(0, TAU);
      offEye = [at.eye[0]! + away * Math.cos(heading), at.eye[1]! + rng.uniform(-0.15, 0.15), at.eye[2]! + away * Math.sin(heading)];
      target = at.target;
      if (farFromTrain(offEye)) break;
    }
    const turn = rng.uniform(-15, 15) * (TAU / 360);
    const [dx, dz] = [target[0]! - offEye[0]!, target[2]! - offEye[2]!];
    const turned = [offEye[0]! + dx * Math.cos(turn) - dz * Math.sin(turn), target[1]!, offEye[2]! + dx * Math.sin(turn) + dz * Math.cos(turn)];
    testIdx.push(frames.length);
    frames.push(frame(frames.length, lookAt(offEye, turned, UP, 'demo test pose'), width, height));
  }
  return { name: 'demo-room', root: '', frames, train, test: testIdx };
}
