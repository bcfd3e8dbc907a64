// Datasets for the training benches, built from a views file: its cameras are the training
// trajectory; test cameras sit off it (training cameras moved and turned by a random offset
// larger than nothing, drawn by the RVS sampler with its own seed), so the test measures
// generalisation away from the training views, which is what RVS is meant to improve.
// Images are rendered from the scene for both.
import { createPoseSampler, intrinsicsMatrix, poseFromViewmat, type PoseDataset, type PoseFrame, type ViewsInput } from '@rvs/core';
import { fitNormalizer } from '@rvs/model';

export interface OffTrajectoryOptions {
  /** Test cameras (default 64, at most one per training camera). */
  testCount?: number;
  /** Test offsets: translation ± this fraction of the cameras' RMS spread per axis; rotation ± degrees per Euler angle. */
  testTrans?: number;
  testRotDeg?: number;
  seed?: number;
}

export async function offTrajectoryDataset(views: ViewsInput, source: string, o: OffTrajectoryOptions = {}): Promise<{ dataset: PoseDataset; spread: number }> {
  const { testTrans = 0.1, testRotDeg = 5, seed = 1 } = o;
  const count = views.Ks.length / 9;
  const testCount = Math.min(o.testCount ?? 64, count);
  const frame = (name: string, pose: PoseFrame['pose'], i: number): PoseFrame => {
    const K = views.Ks.subarray(i * 9, i * 9 + 9);
    return { name, imagePath: `render:${name}`, pose, K: intrinsicsMatrix(K[0]!, K[4]!, K[2]!, K[5]!), width: views.width, height: views.height };
  };
  const train = Array.from({ length: count }, (_, i) => frame(`train-${i}`, poseFromViewmat(views.viewmats.subarray(i * 16, i * 16 + 16), `${source} view ${i}`), i));
  const trainPoses = train.map((f) => f.pose);
  const spread = fitNormalizer(trainPoses).scale;
  const sampler = createPoseSampler(trainPoses, { mode: 'perturb', rotDeg: testRotDeg, trans: testTrans * spread, margin: 10 * spread, seed: 1000 + seed });
  const { poses } = await sampler.sample();
  const test = Array.from({ length: testCount }, (_, k) => {
    const i = Math.floor((k * count) / testCount);
    return frame(`test-${k}`, poses[i]!, i);
  });
  return {
    dataset: { name: `${source} (off-trajectory test)`, root: '', frames: [...train, ...test], train: train.map((_, i) => i), test: test.map((_, k) => count + k) },
    spread,
  };
}
