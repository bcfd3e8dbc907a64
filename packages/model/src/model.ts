// A pose regressor on the rasterizer's GPUDevice. Inputs are GPU buffers the rasterizer filled
// (an ImageBatch, or rendered RGBA at the model's input size); they reach Burn's tensors by a
// GPU buffer copy.
import type { Pose } from '@rvs/core';
import { makePose } from '@rvs/core';
import { watchDeviceLoss, type ImageBatch } from '@rvs/raster-wgpu';
import { resolveTrainerConfig, type TrainerConfig, type TrainerConfigInput } from './config.ts';
import { withModelWasm } from './wasm.ts';
import type { InputSlot, PoseTrainer } from '../wasm/rvs_model.js';

/** Images already on the device, `count` of them starting at image `first`. */
export type ModelInput =
  /** An ImageBatch (normalised NCHW), e.g. decoded photos resized on the GPU. */
  | { kind: 'batch'; batch: ImageBatch; first?: number; count?: number }
  /** Rendered views [C, H, W, 4] f32 in [0, 1] at the model's input size (a RenderResult's or
   *  the render cache's `rgbaBuffer`); `indices` picks and orders the views (default all C). */
  | { kind: 'rgba'; buffer: GPUBuffer; views: number; width: number; height: number; indices?: readonly number[] };

export interface MicroBatch {
  /** The images, or a function producing them just before they are copied (inputs that share
   *  one staging buffer, such as decoded photos, must be produced one at a time). */
  input: ModelInput | (() => Promise<ModelInput>);
  /** Target camera-to-world poses, one per image, in the model's (normalised) units. */
  poses: readonly Pose[];
}

export interface StepLoss {
  loss: number;
  /** Mean translation error (model units) and mean ‖ΔR‖_F of the batch, before the update. */
  translation: number;
  rotation: number;
}

export interface PoseModelOptions extends TrainerConfigInput {
  /** The rasterizer's device: renders and batches on it reach the model without a CPU copy. */
  device: GPUDevice;
  /** How hard Burn/cubecl searches each kernel shape's fastest variant at its first use:
   *  `minimal` (default: one timing per candidate) to `full`. Fixed by the first model of a
   *  JS realm; a later model asking for another level is refused. */
  autotune?: AutotuneLevel;
  /** Kernel launches recorded per GPU submit (cubecl's default 32); fewer submits cost less
   *  CPU time. Fixed by the first model of a JS realm, like `autotune`. */
  tasksMax?: number;
  /** Replay recorded training steps (default true, with `fusedKernels`): a step of one
   *  micro-batch launches the same ~3,500 kernels on the same buffers every time, so after two
   *  ordinary steps one is recorded (pipelines and bind groups built once) and later steps
   *  replay it, without Burn, cubecl and the WebGPU binding recording each launch again (on an
   *  H100 host that CPU work took as long as the GPU's). Any other call (several micro-batches,
   *  `predict`, `load`, …) drops the recording; the next steps record again. */
  captureSteps?: boolean;
}

export type InferencePrecision = 'f32' | 'f16';

export type AutotuneLevel = 'minimal' | 'balanced' | 'extensive' | 'full';

export interface PoseModel {
  readonly config: TrainerConfig;
  readonly parameterCount: number;
  /** Training steps run from a recorded step (`captureSteps`) so far. */
  readonly replayedSteps: number;
  /** Forward + backward over each micro-batch (gradients summed, weighted by size), then one
   *  Adam step: N micro-batches are one batch of their total size. */
  trainStep(microBatches: readonly MicroBatch[], lr: number): Promise<StepLoss>;
  /** Inference-mode poses (model units), one per input image. */
  predict(input: ModelInput): Promise<Pose[]>;
  /** Structured pruning for inference: `predict` then uses a copy of the current weights that
   *  keeps `keep` (0 < keep ≤ 1) of every encoder layer's attention heads and feed-forward units,
   *  the least important (weight norms) removed, until the weights change (a step or `load`).
   *  Resolves to that model's parameter count (batch norms folded). Training is unaffected. */
  prune(keep: number): Promise<{ parameters: number }>;
  /** Precision of the inference model's convolution and linear weights from now on: `'f32'`
   *  (default) or `'f16'` (rounded to nearest, half their memory; biases, position embeddings
   *  and all arithmetic stay f32). The kernels read f16 weights with WGSL's core
   *  `unpack2x16float`, so it works on every adapter, `shader-f16` or not. A pruned model is
   *  halved as it is; back to `'f32'` drops the pruning (prune again). */
  setInferenceWeights(precision: InferencePrecision): void;
  /** Bytes the inference model's parameters take on the GPU (f16 weights count 2 each). */
  inferenceWeightBytes(): number;
  /** Checkpoint (safetensors): weights, Adam state, config and `metadata`. */
  save(metadata?: Record<string, string>): Promise<Uint8Array>;
  /** Restores a checkpoint of the same model config; returns its metadata. Refuses (and keeps
   *  the current weights) on a broken or foreign file. */
  load(bytes: Uint8Array): Record<string, string>;
  /** ImageNet EfficientNet-B0 weights from torchvision (`state_dict` as safetensors). */
  loadTorchvision(bytes: Uint8Array): number;
  destroy(): void;
}

function inputShape(input: ModelInput): { count: number; width: number; height: number; layout: 'nchw' | 'rgba' } {
  if (input.kind === 'batch') {
    const first = input.first ?? 0;
    const count = input.count ?? input.batch.size - first;
    if (!Number.isInteger(first) || first < 0 || !Number.isInteger(count) || count < 1 || first + count > input.batch.size) {
      throw new RangeError(`model input: images ${first}..${first + count} do not fit a batch of ${input.batch.size}`);
    }
    if (input.batch.dtype !== 'f32') throw new RangeError('model input: the batch must be f32');
    return { count, width: input.batch.width, height: input.batch.height, layout: 'nchw' };
  }
  const count = input.indices ? input.indices.length : input.views;
  if (count < 1) throw new RangeError('model input: no views');
  for (const i of input.indices ?? []) {
    if (!Number.isInteger(i) || i < 0 || i >= input.views) throw new RangeError(`model input: view index ${i} outside 0..${input.views - 1}`);
  }
  return { count, width: input.width, height: input.height, layout: 'rgba' };
}

/** Copies the input's images to `target` at `offset` (one GPU copy per contiguous run). */
function copyInput(device: GPUDevice, input: ModelInput, target: GPUBuffer, offset: number): void {
  const { count, width, height } = inputShape(input);
  const encoder = device.createCommandEncoder({ label: 'rvs-model-input' });
  if (input.kind === 'batch') {
    const imageBytes = 3 * width * height * 4;
    encoder.copyBufferToBuffer(input.batch.buffer, (input.first ?? 0) * imageBytes, target, offset, count * imageBytes);
  } else {
    const viewBytes = width * height * 16;
    const indices = input.indices ?? Array.from({ length: input.views }, (_, i) => i);
    for (let i = 0; i < indices.length; ) {
      let run = 1;
      while (i + run < indices.length && indices[i + run] === (indices[i] as number) + run) run++;
      encoder.copyBufferToBuffer(input.buffer, (indices[i] as number) * viewBytes, target, offset + i * viewBytes, run * viewBytes);
      i += run;
    }
  }
  device.queue.submit([encoder.finish()]);
}

/** Copies the input's images into a fresh slot. */
function fill(device: GPUDevice, trainer: PoseTrainer, input: ModelInput): InputSlot {
  const { count, width, height, layout } = inputShape(input);
  const slot = trainer.inputSlot(count, height, width, layout);
  copyInput(device, input, slot.buffer as GPUBuffer, slot.offset);
  return slot;
}

interface GpuRange {
  buffer: GPUBuffer;
  offset: number;
  bytes: number;
}

/** Poses as B×12 row-major 3×4 values for the GPU; a non-finite value is refused here, for both
 *  training paths (the captured one writes them to the GPU directly). */
function flatPoses(poses: readonly Pose[]): Float32Array {
  const out = new Float32Array(poses.length * 12);
  poses.forEach((p, i) => {
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) out[i * 12 + r * 4 + c] = p.R[3 * r + c] as number;
      out[i * 12 + r * 4 + 3] = p.t[r] as number;
    }
  });
  const bad = out.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new RangeError(`trainStep: pose value ${bad} (image ${Math.floor(bad / 12)}) is ${out[bad]}`);
  return out;
}

function posesFromFlat(values: Float32Array): Pose[] {
  const poses: Pose[] = [];
  for (let i = 0; i + 12 <= values.length; i += 12) {
    const R = [0, 1, 2, 4, 5, 6, 8, 9, 10].map((k) => values[i + k] as number);
    poses.push(makePose(R, [values[i + 3], values[i + 7], values[i + 11]] as number[], 'predicted pose', 1e-3));
  }
  return poses;
}

export async function createPoseModel(options: PoseModelOptions): Promise<PoseModel> {
  const { device, autotune, tasksMax, captureSteps = true, ...configInput } = options;
  if (tasksMax !== undefined && !(Number.isInteger(tasksMax) && tasksMax >= 1)) throw new RangeError(`createPoseModel: tasksMax must be a positive integer, got ${tasksMax}`);
  const config = resolveTrainerConfig(configInput);
  const trainer = await withModelWasm(device, (w) => {
    if (autotune) w.setAutotuneLevel(autotune);
    if (tasksMax !== undefined) w.setTasksMax(tasksMax);
    return w.PoseTrainer.create(JSON.stringify(config));
  });
  let destroyed = false;
  let replayedSteps = 0;
  const lost = watchDeviceLoss(device);
  const alive = (what: string) => {
    if (destroyed) throw new Error(`${what}: this model was destroyed`);
    lost.check(what);
  };
  /** Micro-batch `i`'s input, resolved, with its shape; it must have one pose per image. */
  const resolveInput = async (mb: MicroBatch, i: number) => {
    const input = typeof mb.input === 'function' ? await mb.input() : mb.input;
    const shape = inputShape(input);
    if (mb.poses.length !== shape.count) throw new RangeError(`trainStep: micro-batch ${i} has ${shape.count} images but ${mb.poses.length} poses`);
    return { input, ...shape };
  };
  const trainStep = async (microBatches: readonly MicroBatch[], lr: number): Promise<StepLoss> => {
    alive('trainStep');
    if (microBatches.length === 0) throw new RangeError('trainStep: no micro-batches');
    if (!Number.isFinite(lr) || lr < 0) throw new RangeError(`trainStep: learning rate must be finite and ≥ 0, got ${lr}`);
    if (captureSteps && config.fusedKernels && microBatches.length === 1) return capturedStep(microBatches[0]!, lr);
    const total = microBatches.reduce((n, m) => n + m.poses.length, 0);
    const sums = { loss: 0, translation: 0, rotation: 0 };
    const add = (terms: Float32Array, weight: number) => {
      sums.loss += weight * (terms[0] as number);
      sums.translation += weight * (terms[1] as number);
      sums.rotation += weight * (terms[2] as number);
    };
    // The last micro-batch's loss is read after the optimiser step is recorded: Adam then
    // queues behind its backward pass instead of waiting for the GPU to finish it.
    let last: { terms: Promise<Float32Array>; slot: InputSlot; weight: number } | undefined;
    try {
      for (const [i, mb] of microBatches.entries()) {
        const { input, count } = await resolveInput(mb, i);
        const slot = fill(device, trainer, input);
        const weight = count / total;
        let terms: Promise<Float32Array>;
        try {
          terms = trainer.accumulate(slot, flatPoses(mb.poses), weight) as Promise<Float32Array>;
        } catch (e) {
          slot.free();
          throw e;
        }
        if (i === microBatches.length - 1) {
          last = { terms, slot, weight };
        } else {
          try {
            add(await terms, weight);
          } finally {
            slot.free();
          }
        }
      }
      trainer.apply(lr);
      add(await last!.terms, last!.weight);
    } finally {
      if (last) {
        // Awaited above unless `apply` threw; a late read-back failure then has nobody to tell.
        last.terms.catch(() => undefined);
        last.slot.free();
      }
    }
    if (!Number.isFinite(sums.loss)) throw new Error(`trainStep: the loss became ${sums.loss}; lower the learning rate`);
    return sums;
  };
  /** One micro-batch on the trainer's held inputs: recorded once, then replayed. */
  const capturedStep = async (mb: MicroBatch, lr: number): Promise<StepLoss> => {
    const { input, count, width, height, layout } = await resolveInput(mb, 0);
    const flat = flatPoses(mb.poses);
    const settings = trainer.stepSettings(lr);
    const held = trainer.stepInputs(count, height, width, layout) as { images: GpuRange; poses: GpuRange; settings: GpuRange };
    copyInput(device, input, held.images.buffer, held.images.offset);
    device.queue.writeBuffer(held.poses.buffer, held.poses.offset, flat as Float32Array<ArrayBuffer>);
    device.queue.writeBuffer(held.settings.buffer, held.settings.offset, settings as Float32Array<ArrayBuffer>);
    const terms = (await trainer.capturedStep(lr)) as Float32Array;
    if (trainer.stepRecorded) replayedSteps++;
    const loss = { loss: terms[0] as number, translation: terms[1] as number, rotation: terms[2] as number };
    if (!Number.isFinite(loss.loss)) throw new Error(`trainStep: the loss became ${loss.loss}; lower the learning rate`);
    return loss;
  };
  const predict = async (input: ModelInput): Promise<Pose[]> => {
    alive('predict');
    const slot = fill(device, trainer, input);
    try {
      return posesFromFlat((await trainer.predict(slot)) as Float32Array);
    } finally {
      slot.free();
    }
  };
  return {
    config,
    parameterCount: trainer.parameterCount(),
    get replayedSteps() {
      return replayedSteps;
    },
    trainStep(microBatches, lr) {
      return trainStep(microBatches, lr).catch((e: unknown) => lost.explain('trainStep', e));
    },
    predict(input) {
      return predict(input).catch((e: unknown) => lost.explain('predict', e));
    },
    async prune(keep) {
      alive('prune');
      if (!(keep > 0 && keep <= 1)) throw new RangeError(`prune: keep must be in (0, 1], got ${keep}`);
      return { parameters: (await trainer.prune(keep)) as number };
    },
    setInferenceWeights(precision) {
      alive('setInferenceWeights');
      if (precision !== 'f32' && precision !== 'f16') throw new RangeError(`setInferenceWeights: precision must be 'f32' or 'f16', got '${String(precision)}'`);
      trainer.setInferenceWeights(precision);
    },
    inferenceWeightBytes() {
      alive('inferenceWeightBytes');
      return trainer.inferenceWeightBytes();
    },
    async save(metadata = {}) {
      alive('save');
      return (await trainer.save(JSON.stringify(metadata))) as Uint8Array;
    },
    load(bytes) {
      alive('load');
      return JSON.parse(trainer.load(bytes)) as Record<string, string>;
    },
    loadTorchvision(bytes) {
      alive('loadTorchvision');
      return trainer.loadTorchvision(bytes);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      trainer.free();
    },
  };
}
