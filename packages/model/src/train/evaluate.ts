// Predicting the test split and scoring it against the ground truth.
import type { Pose } from '@rvs/core';
import { poseErrors, summarizeErrors, type EvalSummary, type PoseErrors } from '../metrics.ts';
import type { PoseModel } from '../model.ts';
import { denormalizePose, type TranslationNormalizer } from '../normalize.ts';
import type { ImageSet } from './views.ts';

export async function evaluate(
  model: PoseModel,
  images: ImageSet,
  truth: readonly Pose[],
  normalizer: TranslationNormalizer,
  batchSize: number,
  metersPerUnit: number,
): Promise<{ summary: EvalSummary; errors: PoseErrors; predictions: Pose[] }> {
  const predictions: Pose[] = [];
  for (let start = 0; start < images.count; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, images.count - start) }, (_, i) => start + i);
    const poses = await model.predict(await images.input(indices));
    for (const p of poses) predictions.push(denormalizePose(p, normalizer));
  }
  const errors = poseErrors(predictions, truth);
  return { summary: summarizeErrors(errors, metersPerUnit), errors, predictions };
}
