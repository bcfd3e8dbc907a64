// pnpm bench:train --scene <ply> --views <views.json> [--batch 24] [--input 427x240] [--preset full] [--steps 10] [--micro-batch B] [--kernels DIR] [--cpu-profile FILE] [--tasks-max N] [--checkpointing on|off] [--fused on|off] [--subgroup-matrices on|off] [--capture on|off]
// Images/s of a training step of the pose regressor (forward + backward + Adam) at batch B on
// views rendered at the model's input size, timed to the loss read-back (the step is done on
// the GPU). Also a step including its render (RVS: fresh views every step) and inference.
import { fitNormalizer, normalizePose, createPoseModel, verifyFusedKernels, type AutotuneLevel, type InferencePrecision, type ModelPreset } from '@rvs/model';
import { poseFromViewmat } from '@rvs/core';
import { hasF16SubgroupMatrices } from '@rvs/raster-wgpu';
import { benchArgs, loadViews, median, writeResult } from './lib/args.ts';
import { openBenchScene } from './lib/setup.ts';
import { installKernelProfiler, kernelTimes, reportKernelProfile, type KernelProfile } from './lib/kernel-profile.ts';
import { cpuProfiler } from './lib/cpu-profile.ts';

const args = benchArgs({ batch: { type: 'string', default: '24' }, input: { type: 'string', default: '427x240' }, preset: { type: 'string', default: 'full' }, steps: { type: 'string', default: '10' }, 'micro-batch': { type: 'string' }, kernels: { type: 'string' }, 'cpu-profile': { type: 'string' }, autotune: { type: 'string', default: 'minimal' }, 'tasks-max': { type: 'string' }, checkpointing: { type: 'string', default: 'on' }, fused: { type: 'string', default: 'on' }, 'subgroup-matrices': { type: 'string', default: 'on' }, capture: { type: 'string', default: 'on' } });
const B = Number(args.batch);
const steps = Number(args.steps);
// Gradient checkpointing (element-wise activations recomputed in the backward pass) is on by
// default: with it the full model's batch 24 runs in one pass in 56 GB, and one pass of 24 is
// ~1.5× faster than 2 × 12 (each pass costs the same CPU time). Without it (`--checkpointing
// off`) batch 24 on Burn's composed attention (`--fused off`) needs more than 80 GB, so
// micro-batches default to 12 then (with the fused kernels `--micro-batch 24` fits).
if (args.checkpointing !== 'on' && args.checkpointing !== 'off') throw new Error(`--checkpointing must be on or off, got "${args.checkpointing}"`);
const checkpointing = args.checkpointing === 'on';
// rvs's WGSL kernels (`fusedKernels`, the default) or Burn's composed operations; with them
// on, the kernels are first checked against the composed ones on this device.
if (args.fused !== 'on' && args.fused !== 'off') throw new Error(`--fused must be on or off, got "${args.fused}"`);
const fused = args.fused === 'on';
// --subgroup-matrices: the transformers' linear layers on the matrix units (tensor cores)
// where the device has WebGPU subgroup matrices (`subgroupMatrices`, the default).
if (args['subgroup-matrices'] !== 'on' && args['subgroup-matrices'] !== 'off') throw new Error(`--subgroup-matrices must be on or off, got "${args['subgroup-matrices']}"`);
// --capture: replay a recorded step (`captureSteps`, the default; one micro-batch per step) or
// record every step's launches anew.
if (args.capture !== 'on' && args.capture !== 'off') throw new Error(`--capture must be on or off, got "${args.capture}"`);
const captureSteps = args.capture === 'on';
const micro = Number(args['micro-batch'] ?? (checkpointing ? B : Math.min(B, 12)));
if (!Number.isInteger(micro) || micro < 1 || micro > B) throw new Error(`--micro-batch must be an integer in 1..${B}, got "${args['micro-batch']}"`);
const { r, scene, device } = await openBenchScene(args.scene, args.tile);
const subgroupMatrices = args['subgroup-matrices'] === 'on' && hasF16SubgroupMatrices(r.device);
const views = await loadViews(args.views, args.input);
const { width, height } = views;
const count = views.Ks.length / 9;
const pick = Array.from({ length: B }, (_, i) => i % count);
const viewmats = new Float32Array(pick.flatMap((i) => Array.from(views.viewmats.subarray(i * 16, i * 16 + 16))));
const Ks = new Float32Array(pick.flatMap((i) => Array.from(views.Ks.subarray(i * 9, i * 9 + 9))));
const poses = pick.map((i) => poseFromViewmat(views.viewmats.subarray(i * 16, i * 16 + 16)));
const normalizer = fitNormalizer(poses);
const targets = poses.map((p) => normalizePose(p, normalizer));

// --kernels DIR: one more step with every dispatch timed; the breakdown goes to stderr, the
// result JSON and DIR (with the WGSL of the 20 slowest kernels).
const profiler = args.kernels ? installKernelProfiler(r.device) : undefined;
const tasksMax = args['tasks-max'] === undefined ? undefined : Number(args['tasks-max']);
/** Launches per submit in effect: the flag, else cubecl's default. */
const tasksPerSubmit = tasksMax ?? 32;
const model = await createPoseModel({ device: r.device, preset: args.preset as ModelPreset, autotune: args.autotune as AutotuneLevel, gradientCheckpointing: checkpointing, fusedKernels: fused, subgroupMatrices, captureSteps, ...(tasksMax === undefined ? {} : { tasksMax }) });
/** Largest |fused − composed| / max(1, |composed|) over the kernel checks on this device: the
 *  f32 kernels, and the f16 products on subgroup matrices (when the device has them). */
const checks = fused ? await verifyFusedKernels(r.device) : [];
const worst = (f16: boolean) => Math.max(0, ...checks.filter((c) => (c.tolerance > 1e-4) === f16).map((c) => c.maxDifference / Math.max(1, c.maxMagnitude)));
const kernelCheck = fused ? worst(false) : undefined;
const subgroupMatrixCheck = fused && checks.some((c) => c.tolerance > 1e-4) ? worst(true) : undefined;
for (const c of checks) {
  if (c.maxDifference > c.tolerance * Math.max(1, c.maxMagnitude)) console.error(`warning: kernel check failed on this device: ${c.name}: difference ${c.maxDifference} (largest value ${c.maxMagnitude})`);
}
const rendered = await r.render(scene, { viewmats, Ks, width, height });
const microBatches = (buffer: GPUBuffer) => {
  const out = [];
  for (let m = 0; m < B; m += micro) {
    const indices = Array.from({ length: Math.min(micro, B - m) }, (_, k) => m + k);
    out.push({ input: { kind: 'rgba' as const, buffer, views: B, width, height, indices }, poses: indices.map((k) => targets[k]!) });
  }
  return out;
};
const timedStep = async (withRender: boolean) => {
  const t = performance.now();
  if (withRender) {
    const fresh = await r.render(scene, { viewmats, Ks, width, height });
    await model.trainStep(microBatches(fresh.rgbaBuffer), 1e-4);
    fresh.destroy();
  } else {
    await model.trainStep(microBatches(rendered.rgbaBuffer), 1e-4);
  }
  const ms = performance.now() - t;
  console.error(`  step${withRender ? ' with render' : ''}: ${ms.toFixed(1)} ms`);
  return ms;
};
console.error(`model ready: ${model.parameterCount} parameters`);
const warm: number[] = [];
for (let i = 0; i < 3; i++) warm.push(await timedStep(false)); // autotune and shader compilation
const stepMs: number[] = [];
for (let i = 0; i < steps; i++) stepMs.push(await timedStep(false));
const withRenderMs: number[] = [];
for (let i = 0; i < Math.max(1, steps >> 1); i++) withRenderMs.push(await timedStep(true));
// Inference (folded batch norms) on f32 weights, then on f16 weights (setInferenceWeights):
// time, weight memory, and how far the f16 poses move from the f32 ones.
const inferenceInput = { kind: 'rgba', buffer: rendered.rgbaBuffer, views: B, width, height } as const;
const timePredictions = async (precision: InferencePrecision) => {
  model.setInferenceWeights(precision);
  const poses = await model.predict(inferenceInput); // builds the inference model
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await model.predict(inferenceInput);
    ms.push(performance.now() - t);
  }
  return { ms, poses, weightBytes: model.inferenceWeightBytes() };
};
const f32Inference = await timePredictions('f32');
const f16Inference = await timePredictions('f16');
model.setInferenceWeights('f32');
const predictMs = f32Inference.ms;
const f16PoseShift = f16Inference.poses.reduce((worst, p, i) => {
  const q = f32Inference.poses[i]!;
  return Math.max(worst, ...[0, 1, 2].map((k) => Math.abs(p.t[k]! - q.t[k]!)), ...[...p.R.keys()].map((k) => Math.abs(p.R[k]! - q.R[k]!)));
}, 0);
// --cpu-profile FILE: two more steps under V8's sampling profiler (JS and WASM functions).
if (args['cpu-profile']) {
  const cpu = cpuProfiler();
  await cpu.start();
  for (let i = 0; i < 2; i++) await timedStep(false);
  const top = await cpu.stop(args['cpu-profile']);
  console.error('CPU self time over 2 steps:');
  for (const f of top) console.error(`  ${f.ms.toFixed(1).padStart(8)} ms ${(100 * f.share).toFixed(1).padStart(5)} %  ${f.name.slice(0, 150)}`);
}
let kernels: KernelProfile | undefined;
if (profiler && args.kernels) {
  profiler.start();
  const t = performance.now();
  await model.trainStep(microBatches(rendered.rgbaBuffer), 1e-4);
  const wallMs = performance.now() - t;
  kernels = await profiler.stop();
  await reportKernelProfile(kernels, wallMs, args.kernels);
}
const result = {
  ...(kernels ? { kernelGpuMs: kernels.gpuMs, kernelDispatches: kernels.dispatches, topKernels: kernelTimes(kernels.kernels.slice(0, 20)) } : {}),
  device, preset: args.preset, autotune: args.autotune, tasksMax: tasksPerSubmit, gradientCheckpointing: checkpointing, fusedKernels: fused, kernelCheck, kernelChecks: checks, subgroupMatrices, subgroupMatrixCheck, captureSteps, replayedSteps: model.replayedSteps, dawnFlags: process.env.RVS_DAWN_FLAGS ?? '', parameters: model.parameterCount, batch: B, microBatch: micro, input: `${width}x${height}`, steps,
  warmupMs: warm, stepMs, medianStepMs: median(stepMs), imagesPerSec: (1000 * B) / median(stepMs),
  withRenderMedianMs: median(withRenderMs), withRenderImagesPerSec: (1000 * B) / median(withRenderMs),
  predictMedianMs: median(predictMs), inferenceImagesPerSec: (1000 * B) / median(predictMs), inferenceWeightBytes: f32Inference.weightBytes,
  f16PredictMedianMs: median(f16Inference.ms), f16InferenceImagesPerSec: (1000 * B) / median(f16Inference.ms), f16InferenceWeightBytes: f16Inference.weightBytes,
  /** Largest change of a pose value (rotation entries, translation in model units) from f32 to f16 weights. */
  f16PoseShift,
};
await writeResult(args.out, result);
console.log(`bench:train ${args.preset} autotune ${args.autotune} tasks-max ${tasksPerSubmit}${checkpointing ? ' checkpointing' : ''}${fused ? ` fused kernels (checked: ${kernelCheck?.toExponential(1)})` : ''}${subgroupMatrices ? ` subgroup matrices (checked: ${subgroupMatrixCheck?.toExponential(1)})` : ''}${model.replayedSteps > 0 ? ` replayed ${model.replayedSteps} steps` : ''} micro-batch ${micro}${process.env.RVS_DAWN_FLAGS ? ` [${process.env.RVS_DAWN_FLAGS}]` : ''} (${(model.parameterCount / 1e6).toFixed(2)}M) batch ${B} ${width}x${height} on ${device}: ` +
  `${result.imagesPerSec.toFixed(1)} images/s (step ${result.medianStepMs.toFixed(1)} ms), with render ${result.withRenderImagesPerSec.toFixed(1)}, inference ${result.inferenceImagesPerSec.toFixed(1)} ` +
  `(f16 weights: ${result.f16InferenceImagesPerSec.toFixed(1)}, ${(f16Inference.weightBytes / 2 ** 20).toFixed(1)} instead of ${(f32Inference.weightBytes / 2 ** 20).toFixed(1)} MiB, poses within ${f16PoseShift.toExponential(1)})`);
process.exit(0);
