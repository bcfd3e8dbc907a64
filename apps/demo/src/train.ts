// Live training of the edge pose regressor on the page's device: images rendered from the scene
// at the dataset's poses, RVS batches mixed in, events forwarded to the page as they come.
import { createPoseModel, trainPoseRegressor, type PoseModel, type TrainEvent, type TrainResult } from '@rvs/model';
import type { Rasterizer, Scene } from '@rvs/raster-wgpu';
import { sceneDataset, type SceneKind } from './cameras.ts';

export interface TrainSettings {
  epochs: number;
  batchSize: number;
  /** Training views per trajectory (three trajectories). */
  trainPerTrajectory: number;
  /** Test views, evaluated after every epoch. */
  test: number;
  lr: number;
  /** Mix RVS batches (re-sampled every epoch) into training. */
  rvs: boolean;
}

/** Small enough for CPU WebGPU (SwiftShader: ~15–30 s per step); raise them on a GPU. */
export const DEFAULT_TRAIN: TrainSettings = { epochs: 2, batchSize: 4, trainPerTrajectory: 4, test: 6, lr: 1e-3, rvs: true };

/** Model input size; the dataset's intrinsics are scaled to it. */
export const INPUT = { width: 64, height: 48 } as const;

let model: PoseModel | undefined;

/** Trains a fresh edge model (the previous one is freed); `signal` stops it between steps. */
export async function trainLive(
  rasterizer: Rasterizer, scene: Scene, kind: SceneKind, settings: TrainSettings, onEvent: (e: TrainEvent) => void, signal: AbortSignal,
): Promise<TrainResult> {
  model?.destroy();
  model = undefined;
  model = await createPoseModel({ device: rasterizer.device, preset: 'edge' });
  return trainPoseRegressor({
    model,
    rasterizer,
    scene,
    dataset: sceneDataset(kind, { width: 160, height: 120, trainPerTrajectory: settings.trainPerTrajectory, test: settings.test }),
    images: { kind: 'render' },
    input: INPUT,
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    lr: settings.lr,
    rvs: settings.rvs ? { everyEpochs: 1 } : false,
    signal,
    onEvent,
  });
}
