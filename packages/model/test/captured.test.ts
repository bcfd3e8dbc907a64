// Captured training steps (`captureSteps`): after two ordinary steps one step is recorded and
// later ones replay it. A replay must train exactly like ordinary steps: same losses, same
// weights (predictions), across a prediction that drops the recording and a re-recording.
// Runs on SwiftShader where there is no GPU.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoseModel, type PoseModel } from '@rvs/model';
import { TINY_MODEL as TINY, renderTinyViews, type TinyViews } from '@rvs/testing';

let tiny: TinyViews;

beforeAll(async () => {
  tiny = await renderTinyViews();
}, 120_000);

afterAll(() => tiny?.r.destroy());

/** Losses of 6 steps, a prediction, then 3 more steps and a prediction. */
async function run(model: PoseModel): Promise<{ losses: number[]; predictions: number[] }> {
  const losses: number[] = [];
  const predictions: number[] = [];
  const { rgba, poses } = tiny;
  const predict = async () => predictions.push(...(await model.predict(rgba())).flatMap((p) => [...p.R, ...p.t]));
  for (let s = 0; s < 6; s++) losses.push((await model.trainStep([{ input: rgba(), poses }], 3e-3)).loss);
  await predict();
  for (let s = 0; s < 3; s++) losses.push((await model.trainStep([{ input: rgba(), poses }], 3e-3)).loss);
  await predict();
  return { losses, predictions };
}

describe('captured training steps', () => {
  it('replay recorded steps exactly like ordinary ones, and record again after a prediction', async () => {
    const ordinary = await createPoseModel({ device: tiny.r.device, ...TINY, seed: 11, captureSteps: false });
    const start = await ordinary.save();
    const expected = await run(ordinary);
    expect(ordinary.replayedSteps).toBe(0);
    ordinary.destroy();

    const captured = await createPoseModel({ device: tiny.r.device, ...TINY, seed: 12 });
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
