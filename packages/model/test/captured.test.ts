// Captured training steps (`captureSteps`): after two ordinary steps one step is recorded and
// later ones replay it. A replay must train exactly like ordinary steps: same losses, same
// weights (predictions), across a prediction that drops the recording and a re-recording.
// Runs on SwiftShader where there is no GPU.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookAt, viewmatsFromPoses, type Pose } from '@rvs/core';
import { createPoseModel, type PoseModel } from '@rvs/model';
import { createRasterizer, type Rasterizer, type RenderResult } from '@rvs/raster-wgpu';
import { randomSplats, writePly } from '@rvs/testing';

const W = 32;
const H = 32;
const TINY = { preset: 'edge' as const, model: { widthMult: 0.25, dModel: 16, dFf: 16, heads: 2, layers: 1, headHidden: 16, maxPositions: 8 } };

let r: Rasterizer;
let views: RenderResult;
let poses: Pose[];

beforeAll(async () => {
  r = await createRasterizer();
  const scene = await r.loadScene(writePly(randomSplats(400, 3)));
  poses = [0, 1, 2, 3].map((i) => lookAt([Math.sin(i) * 3, 0.3 * i, Math.cos(i) * 3], [0, 0, 0], [0, -1, 0]));
  const Ks = new Float32Array(poses.flatMap(() => [30, 0, W / 2, 0, 30, H / 2, 0, 0, 1]));
  views = await r.render(scene, { viewmats: viewmatsFromPoses(poses), Ks, width: W, height: H });
}, 120_000);

afterAll(() => r?.destroy());

const rgba = () => ({ kind: 'rgba' as const, buffer: views.rgbaBuffer, views: 4, width: W, height: H });

/** Losses of 6 steps, a prediction, then 3 more steps and a prediction. */
async function run(model: PoseModel): Promise<{ losses: number[]; predictions: number[] }> {
  const losses: number[] = [];
  const predictions: number[] = [];
  const predict = async () => predictions.push(...(await model.predict(rgba())).flatMap((p) => [...p.R, ...p.t]));
  for (let s = 0; s < 6; s++) losses.push((await model.trainStep([{ input: rgba(), poses }], 3e-3)).loss);
  await predict();
  for (let s = 0; s < 3; s++) losses.push((await model.trainStep([{ input: rgba(), poses }], 3e-3)).loss);
  await predict();
  return { losses, predictions };
}

describe('captured training steps', () => {
  it('replay recorded steps exactly like ordinary ones, and record again after a prediction', async () => {
    const ordinary = await createPoseModel({ device: r.device, ...TINY, seed: 11, captureSteps: false });
    const start = await ordinary.save();
    const expected = await run(ordinary);
    expect(ordinary.replayedSteps).toBe(0);
    ordinary.destroy();

    const captured = await createPoseModel({ device: r.device, ...TINY, seed: 12 });
    captured.load(start);
    const got = await run(captured);
    // Steps 3–6 come from the first recording; the prediction drops it, so steps 7 and 8 are
    // ordinary and step 9 is recorded again.
    expect(captured.replayedSteps).toBe(5);
    expect(got.losses[5]!).toBeLessThan(got.losses[0]!);
    got.losses.forEach((loss, i) => expect(Math.abs(loss - expected.losses[i]!), `step ${i + 1}`).toBeLessThan(1e-4 * Math.abs(expected.losses[i]!)));
    const worst = Math.max(...got.predictions.map((v, i) => Math.abs(v - expected.predictions[i]!)));
    expect(worst).toBeLessThan(1e-4);
    captured.destroy();
  }, 300_000);
});
