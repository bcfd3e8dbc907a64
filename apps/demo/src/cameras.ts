// The demo's cameras: the embedded room's dataset (three walks through it), or, for a dropped
// scene, rings of cameras around the middle of its Gaussians looking at it. Both are pose
// datasets, so the grid, RVS sampling and training treat them alike.
import { demoDataset, lookAt, splitFrames, viewmatsFromPoses, type PoseDataset, type PoseFrame, type ViewBatch } from '@rvs/core';
import type { SceneExtent } from './scene-points.ts';

/** What the scene is, for choosing its cameras. */
export type SceneKind = { kind: 'demo' } | { kind: 'file'; extent: SceneExtent };

export interface DatasetSize {
  /** Image size the intrinsics refer to. */
  width: number;
  height: number;
  /** Training views per trajectory (demo) or ring (dropped scene); three of them. */
  trainPerTrajectory: number;
  test: number;
}

/** World up of the demo room and of most COLMAP-derived 3DGS scenes (OpenCV: y down). */
const UP = [0, -1, 0];
/** Ring heights (world y offsets, in units of the ring radius; negative is up). */
const RING_HEIGHTS = [-0.35, -0.1, 0.15];

function frame(index: number, eye: number[], target: number[], width: number, height: number): PoseFrame {
  const f = 0.8 * width;
  return {
    name: `ring/${String(index).padStart(5, '0')}`,
    imagePath: `render:${index}`,
    pose: lookAt(eye, target, UP, 'ring camera'),
    K: Float64Array.from([f, 0, width / 2, 0, f, height / 2, 0, 0, 1]),
    width,
    height,
  };
}

/**
 * Three rings of cameras around a dropped scene, 3 median radii from its middle and looking
 * at it (train), and test views between them (half a step round, halfway up, a little closer).
 */
export function ringDataset(extent: SceneExtent, size: DatasetSize): PoseDataset {
  const { center, radius } = extent;
  const R = 3 * radius;
  const at = (angle: number, height: number, distance: number) => [
    center[0] + distance * Math.sin(angle), center[1] + height * R, center[2] + distance * Math.cos(angle),
  ];
  const frames: PoseFrame[] = [];
  const train: number[] = [];
  const test: number[] = [];
  RING_HEIGHTS.forEach((h, ring) => {
    for (let i = 0; i < size.trainPerTrajectory; i++) {
      const angle = ((i + ring / RING_HEIGHTS.length) / size.trainPerTrajectory) * 2 * Math.PI;
      train.push(frames.length);
      frames.push(frame(frames.length, at(angle, h, R), center, size.width, size.height));
    }
  });
  for (let i = 0; i < size.test; i++) {
    const angle = ((i + 0.5) / size.test) * 2 * Math.PI;
    const h = 0.5 * ((RING_HEIGHTS[i % 2] as number) + (RING_HEIGHTS[(i % 2) + 1] as number));
    test.push(frames.length);
    frames.push(frame(frames.length, at(angle, h, 0.9 * R), center, size.width, size.height));
  }
  return { name: 'dropped scene rings', root: '', frames, train, test };
}

/** The scene's pose dataset at `size`. */
export function sceneDataset(scene: SceneKind, size: DatasetSize): PoseDataset {
  return scene.kind === 'demo' ? demoDataset(size) : ringDataset(scene.extent, size);
}

/** `count` training frames spread evenly over the dataset's training split. */
export function gridFrames(dataset: PoseDataset, count: number): PoseFrame[] {
  const frames = splitFrames(dataset, 'train');
  if (frames.length === 0) throw new Error('the scene\'s dataset has no training cameras');
  return Array.from({ length: Math.min(count, frames.length) }, (_, i) => frames[Math.floor((i * frames.length) / count)] as PoseFrame);
}

/** The frames' cameras as one render batch (all frames share one image size). */
export function frameViews(frames: readonly PoseFrame[]): ViewBatch {
  const first = frames[0];
  if (!first) throw new Error('frameViews: no frames');
  return {
    viewmats: viewmatsFromPoses(frames.map((f) => f.pose)),
    Ks: Float32Array.from(frames.flatMap((f) => Array.from(f.K))),
    width: first.width,
    height: first.height,
  };
}
