// Evaluating a trained model (e.g. a checkpoint) on a dataset split: the same image path as
// training (renders or decoded photos at the model's input size), the folded inference model.
import { createRasterViewRenderer, createRenderCache, splitFrames, type PoseDataset, type PoseFrame } from '@rvs/core';
import type { Rasterizer, Scene } from '@rvs/raster-wgpu';
import type { EvalSummary, PoseErrors } from '../metrics.ts';
import type { PoseModel } from '../model.ts';
import type { TranslationNormalizer } from '../normalize.ts';
import type { LoopState } from './checkpointing.ts';
import { evaluate } from './evaluate.ts';
import type { ImageSource } from './types.ts';
import { frameImages } from './views.ts';

export interface EvaluateOptions {
  model: PoseModel;
  rasterizer: Rasterizer;
  /** Needed when `images` is `render`. */
  scene?: Scene | undefined;
  dataset: PoseDataset;
  images: ImageSource;
  split?: 'train' | 'test';
  input: { width: number; height: number };
  normalizer: TranslationNormalizer;
  batchSize?: number;
  metersPerUnit?: number;
}

export async function evaluatePoseRegressor(o: EvaluateOptions): Promise<{ summary: EvalSummary; errors: PoseErrors; frames: PoseFrame[] }> {
  const frames = splitFrames(o.dataset, o.split ?? 'test');
  if (frames.length === 0) throw new RangeError(`evaluate: the ${o.split ?? 'test'} split of ${o.dataset.name} is empty`);
  const { width, height } = o.input;
  const batchSize = o.batchSize ?? 16;
  // Same image path as training: renders through a render cache, or photos resized on the GPU.
  const cache = o.images.kind === 'render' && o.scene ? createRenderCache(createRasterViewRenderer(o.rasterizer, o.scene)) : undefined;
  const batch = o.images.kind === 'files' ? o.rasterizer.createBatch({ size: batchSize, width, height }) : undefined;
  const images = await frameImages(frames, o.images, width, height, cache, batch);
  try {
    const { summary, errors } = await evaluate(o.model, images, frames.map((f) => f.pose), o.normalizer, batchSize, o.metersPerUnit ?? 1);
    return { summary, errors, frames };
  } finally {
    images.destroy();
    batch?.destroy();
    await cache?.destroy();
  }
}

/** What a checkpoint written by `trainPoseRegressor` says about its run (after `model.load`). */
export function runStateOf(metadata: Record<string, string>): Pick<LoopState, 'epoch' | 'normalizer' | 'input'> {
  const state = JSON.parse(metadata.rvsLoop ?? 'null') as Partial<LoopState> | null;
  if (!state?.normalizer || !state.input || state.epoch === undefined) {
    throw new Error('this checkpoint has no training-run state (normaliser, input size): was it written by trainPoseRegressor?');
  }
  return { epoch: state.epoch, normalizer: state.normalizer, input: state.input };
}

/** The trainer config stored in a checkpoint's safetensors header, read without loading it. */
export function checkpointConfig(bytes: Uint8Array): { model: Record<string, number>; [key: string]: unknown } {
  if (bytes.length < 8) throw new Error('not a safetensors file: shorter than its 8-byte header length');
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (8 + headerLength > bytes.length) throw new Error(`not a safetensors file: header length ${headerLength} runs past the end (truncated?)`);
  let header: { __metadata__?: Record<string, string> };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as typeof header;
  } catch {
    throw new Error('not a safetensors file: its header is not JSON');
  }
  const config = header.__metadata__?.config;
  if (!config) throw new Error('not an rvs checkpoint: no trainer config in its metadata');
  return JSON.parse(config) as { model: Record<string, number> };
}
