// Scene units vary (metres, COLMAP's arbitrary scale): the network regresses translations
// centred on the training cameras and divided by their RMS spread, and predictions are mapped
// back. Stored in checkpoints so a resumed or evaluated model uses the same mapping.
import type { Pose } from '@rvs/core';

export interface TranslationNormalizer {
  readonly center: readonly [number, number, number];
  readonly scale: number;
}

export function fitNormalizer(poses: readonly Pose[]): TranslationNormalizer {
  if (poses.length === 0) throw new RangeError('fitNormalizer: no training poses');
  const center: [number, number, number] = [0, 0, 0];
  for (const p of poses) for (let i = 0; i < 3; i++) center[i] = (center[i] as number) + (p.t[i] as number) / poses.length;
  let sq = 0;
  for (const p of poses) for (let i = 0; i < 3; i++) sq += ((p.t[i] as number) - (center[i] as number)) ** 2 / poses.length;
  // One camera (or all at one spot) leaves no spread to learn from: keep unit scale.
  const scale = Math.sqrt(sq) > 1e-9 ? Math.sqrt(sq) : 1;
  return { center, scale };
}

export function normalizePose(p: Pose, n: TranslationNormalizer): Pose {
  return { R: p.R, t: Float64Array.from([0, 1, 2], (i) => ((p.t[i] as number) - (n.center[i] as number)) / n.scale) };
}

export function denormalizePose(p: Pose, n: TranslationNormalizer): Pose {
  return { R: p.R, t: Float64Array.from([0, 1, 2], (i) => (p.t[i] as number) * n.scale + (n.center[i] as number)) };
}
