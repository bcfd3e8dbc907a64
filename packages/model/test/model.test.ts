// The model on the rasterizer's device: renders reach it by a GPU copy, it learns, it
// round-trips checkpoints, and it refuses bad input. Runs on SwiftShader where there is no GPU.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pose } from '@rvs/core';
import { createPoseModel, type PoseModel } from '@rvs/model';
import { createRasterizer, type Rasterizer, type RenderResult, type Scene } from '@rvs/raster-wgpu';
import { TINY_MODEL as TINY, renderTinyViews, type TinyViews } from '@rvs/testing';

let r: Rasterizer;
let scene: Scene;
let views: RenderResult;
let poses: Pose[];
let rgba: TinyViews['rgba'];
let W: number;
let H: number;

beforeAll(async () => {
  ({ r, scene, views, poses, rgba, width: W, height: H } = await renderTinyViews());
}, 120_000);

afterAll(() => r?.destroy());

function maxPoseDiff(a: Pose[], b: Pose[]): number {
  let d = 0;
  a.forEach((p, i) => {
    for (let k = 0; k < 9; k++) d = Math.max(d, Math.abs((p.R[k] as number) - (b[i]!.R[k] as number)));
    for (let k = 0; k < 3; k++) d = Math.max(d, Math.abs((p.t[k] as number) - (b[i]!.t[k] as number)));
  });
  return d;
}

describe('pose model on the rasterizer device', () => {
  let model: PoseModel;
  beforeAll(async () => {
    model = await createPoseModel({ device: r.device, ...TINY, seed: 3 });
  }, 120_000);

  it('learns from rendered views handed over on the GPU', async () => {
    const losses: number[] = [];
    for (let s = 0; s < 4; s++) losses.push((await model.trainStep([{ input: rgba(), poses }], 3e-3)).loss);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    const predicted = await model.predict(rgba());
    expect(predicted).toHaveLength(4);
    for (const p of predicted) {
      const R = p.R;
      const det = R[0]! * (R[4]! * R[8]! - R[5]! * R[7]!) - R[1]! * (R[3]! * R[8]! - R[5]! * R[6]!) + R[2]! * (R[3]! * R[7]! - R[4]! * R[6]!);
      expect(det).toBeCloseTo(1, 3);
    }
  }, 180_000);

  it('sees the same images through an ImageBatch (NCHW) as through rendered RGBA', async () => {
    // Same size: PyTorch bilinear resizing is the identity, so both layouts hold the same pixels.
    const batch = r.createBatch({ size: 4, width: W, height: H });
    batch.writeRenders(views, 0);
    const viaBatch = await model.predict({ kind: 'batch', batch });
    const viaRgba = await model.predict(rgba());
    expect(maxPoseDiff(viaBatch, viaRgba)).toBeLessThan(1e-3);
    // A subset and order of views: the copies pick the right images.
    const picked = await model.predict({ ...rgba(), indices: [2, 0] });
    expect(maxPoseDiff(picked, [viaRgba[2]!, viaRgba[0]!])).toBeLessThan(1e-3);
    batch.destroy();
  }, 120_000);

  it('takes the same steps with gradient checkpointing (activations recomputed in the backward pass)', async () => {
    // ε = 1 keeps Adam's update linear in the gradient, so rounding-level gradient differences
    // stay rounding-level in the weights. Both start from one set of weights.
    const kept = await createPoseModel({ device: r.device, ...TINY, seed: 4, adam: { epsilon: 1 } });
    const recomputed = await createPoseModel({ device: r.device, ...TINY, seed: 4, adam: { epsilon: 1 }, gradientCheckpointing: true });
    expect(recomputed.config.gradientCheckpointing).toBe(true);
    await recomputed.load(await kept.save());
    for (let s = 0; s < 2; s++) {
      const a = await kept.trainStep([{ input: rgba(), poses }], 1e-2);
      const b = await recomputed.trainStep([{ input: rgba(), poses }], 1e-2);
      expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-4 * Math.max(1, Math.abs(a.loss)));
    }
    expect(maxPoseDiff(await kept.predict(rgba()), await recomputed.predict(rgba()))).toBeLessThan(1e-4);
    kept.destroy();
    recomputed.destroy();
  }, 180_000);

  it('round-trips a checkpoint and refuses broken ones without changing weights', async () => {
    const before = await model.predict(rgba());
    const bytes = await model.save({ note: 'test' });
    const other = await createPoseModel({ device: r.device, ...TINY, seed: 9 });
    expect(maxPoseDiff(await other.predict(rgba()), before)).toBeGreaterThan(1e-4);
    expect(other.load(bytes).note).toBe('test');
    expect(maxPoseDiff(await other.predict(rgba()), before)).toBeLessThan(1e-5);
    expect(() => other.load(bytes.subarray(0, bytes.length - 100))).toThrow(/truncated/);
    expect(() => other.load(new Uint8Array(4))).toThrow(/shorter than/);
    expect(maxPoseDiff(await other.predict(rgba()), before)).toBeLessThan(1e-5);
    const edge = await createPoseModel({ device: r.device, preset: 'edge' });
    expect(() => edge.load(bytes)).toThrow(/checkpoint is for model/);
    other.destroy();
    edge.destroy();
  }, 180_000);

  it('prunes heads and feed-forward units for inference until the weights change', async () => {
    const full = await model.predict(rgba());
    const bytes = await model.save();
    const { parameters } = await model.prune(0.5);
    expect(parameters).toBeLessThan(model.parameterCount);
    const pruned = await model.predict(rgba());
    expect(pruned.every((p) => [...p.t, ...p.R].every(Number.isFinite))).toBe(true);
    expect(maxPoseDiff(pruned, full)).toBeGreaterThan(1e-6);
    model.load(bytes); // new weights: the full model again
    expect(maxPoseDiff(await model.predict(rgba()), full)).toBeLessThan(1e-5);
    await expect(model.prune(0)).rejects.toThrow(/keep must be in \(0, 1\]/);
  }, 120_000);

  it('runs inference on f16 weights: half their memory, predictions within f16 rounding', async () => {
    const full = await model.predict(rgba());
    const f32Bytes = model.inferenceWeightBytes();
    model.setInferenceWeights('f16');
    const f16Bytes = model.inferenceWeightBytes();
    // Convolution and linear weights are most of the parameters; biases, embeddings stay f32.
    expect(f16Bytes).toBeLessThan(0.65 * f32Bytes);
    expect(f16Bytes).toBeGreaterThan(0.5 * f32Bytes);
    const half = await model.predict(rgba());
    const difference = maxPoseDiff(half, full);
    expect(difference).toBeGreaterThan(0); // the rounded weights were used
    expect(difference).toBeLessThan(2e-2);
    // Pruned while f16: halved as pruned; back to f32 gives the whole f32 model again.
    await model.prune(0.5);
    expect((await model.predict(rgba())).every((p) => [...p.t, ...p.R].every(Number.isFinite))).toBe(true);
    model.setInferenceWeights('f32');
    expect(model.inferenceWeightBytes()).toBe(f32Bytes);
    expect(maxPoseDiff(await model.predict(rgba()), full)).toBeLessThan(1e-5);
    expect(() => model.setInferenceWeights('bf16' as 'f16')).toThrow(/'f32' or 'f16'/);
  }, 120_000);

  it('names the problem with bad input', async () => {
    await expect(model.trainStep([{ input: rgba(), poses: poses.slice(0, 3) }], 1e-3)).rejects.toThrow(/4 images but 3 poses/);
    const nan = { R: poses[0]!.R, t: Float64Array.of(0, Number.NaN, 0) };
    await expect(model.trainStep([{ input: rgba(), poses: [nan, ...poses.slice(1)] }], 1e-3)).rejects.toThrow(/NaN/);
    await expect(model.trainStep([{ input: rgba(), poses }], Number.NaN)).rejects.toThrow(/learning rate/);
    await expect(model.predict({ ...rgba(), indices: [7] })).rejects.toThrow(/view index 7/);
    await expect(createPoseModel({ device: r.device, preset: 'edge', model: { dModel: 30, heads: 4 } })).rejects.toThrow(/multiple of heads/);
  }, 120_000);

  it('refuses a second GPUDevice: Burn runs on one device per JS realm', async () => {
    const other = await createRasterizer();
    await expect(createPoseModel({ device: other.device, ...TINY })).rejects.toThrow(/already bound to another GPUDevice/);
    other.destroy();
  }, 60_000);

  // Last: it loses the device the other tests share.
  it('a lost device gives a clear error, not a hang', async () => {
    r.device.destroy();
    await expect(model.trainStep([{ input: rgba(), poses }], 1e-3)).rejects.toThrow(/GPU device was lost/);
    await expect(model.predict(rgba())).rejects.toThrow(/predict: the GPU device was lost/);
  }, 60_000);
});
