// What the training loop takes and reports.
import type { CacheStore, DecodedImage, Pose, PoseDataset, PoseFrame, PoseSamplerOptions, Profiler, RenderCache } from '@rvs/core';
import type { Rasterizer, Scene } from '@rvs/raster-wgpu';
import type { EvalSummary, PoseErrors } from '../metrics.ts';
import type { PoseModel } from '../model.ts';
import type { PlateauOptions } from '../schedule.ts';

/** Where the dataset's images come from. */
export type ImageSource =
  /** Rendered from the scene at each frame's pose (the demo, synthetic benchmarks). */
  | { kind: 'render' }
  /** Photos, decoded by `read` (e.g. `readImageBytes` + `decodeImage`). */
  | { kind: 'files'; read(frame: PoseFrame): Promise<DecodedImage> };

export interface RvsOptions {
  /** New RVS poses every this many epochs (RAP's K). Default 2. */
  everyEpochs?: number;
  /** Share of training steps that use RVS images (the rest real ones). Default 0.5. */
  share?: number;
  /** Pose sampling (RAP's defaults: ±5°, ±0.2 units, perturb mode). Seed is derived per refresh. */
  sampler?: Omit<PoseSamplerOptions, 'seed' | 'validate'>;
}

export interface TrainOptions {
  model: PoseModel;
  rasterizer: Rasterizer;
  /** The 3DGS scene: RVS renders, and the images themselves when `images` is `render`
   *  (not needed for photos trained without RVS). */
  scene?: Scene | undefined;
  dataset: PoseDataset;
  images: ImageSource;
  /** Model input size; renders are made at this size, photos resized on the GPU. */
  input: { width: number; height: number };
  epochs?: number;
  batchSize?: number;
  /** Images per forward/backward; gradients of a batch's micro-batches are summed. Default batchSize. */
  microBatch?: number;
  lr?: number;
  plateau?: PlateauOptions;
  /** false: real images only (the baseline RVS is compared against). */
  rvs?: RvsOptions | false;
  /** Evaluate on the test split every this many epochs (and after the last). Default 1. */
  evalEvery?: number;
  /** Stop after this many evaluations without a better median translation error. */
  earlyStopPatience?: number | undefined;
  /** Converts scene units to metres for the 5 cm / 2 cm shares. Default 1. */
  metersPerUnit?: number;
  /** Where checkpoints go (atomic writes); with `resume`, training continues from the newest. */
  checkpoints?: CacheStore;
  resume?: boolean;
  /** Keep this many epoch checkpoints besides `best` (default 2). */
  keepCheckpoints?: number;
  cache?: RenderCache;
  profiler?: Profiler;
  seed?: number;
  signal?: AbortSignal;
  onEvent?: (event: TrainEvent) => void;
}

export interface StepRecord {
  step: number;
  epoch: number;
  loss: number;
  /** The batch's mean translation error (scene units) and rotation error (degrees, from the
   *  mean ‖ΔR‖_F), before the update. */
  translationError: number;
  rotationError: number;
  lr: number;
  source: 'real' | 'rvs';
}

export interface EvalRecord extends EvalSummary {
  epoch: number;
}

export interface RefreshRecord {
  epoch: number;
  views: number;
  rendered: number;
  cacheHits: number;
  ms: number;
  stallMs: number;
}

export interface TrainHistory {
  steps: StepRecord[];
  evals: EvalRecord[];
  refreshes: RefreshRecord[];
}

export type TrainEvent =
  | { type: 'start'; epochs: number; stepsPerEpoch: number; resumedFromEpoch: number }
  | ({ type: 'step'; ms: number; stepsPerEpoch: number } & StepRecord)
  | { type: 'refresh'; record: RefreshRecord }
  | { type: 'eval'; record: EvalRecord }
  | { type: 'checkpoint'; name: string; epoch: number }
  | { type: 'epoch'; epoch: number; meanLoss: number; lr: number };

export interface TrainResult {
  history: TrainHistory;
  /** Completed epochs, including resumed ones. */
  epochs: number;
  stoppedEarly: boolean;
  final: EvalRecord | undefined;
  finalErrors: PoseErrors | undefined;
  /** Test-split poses predicted at the last evaluation, in scene units (test order). */
  finalPredictions: Pose[] | undefined;
  best: EvalRecord | undefined;
}
