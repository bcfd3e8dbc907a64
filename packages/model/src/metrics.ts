// The standard APR metrics: median translation and rotation error, and the share of test
// images within 5 cm / 5° and 2 cm / 2° (both bounds at once).
import { poseError, type Pose } from '@rvs/core';

export interface PoseErrors {
  /** Per image, in scene units. */
  translation: number[];
  /** Per image, degrees. */
  rotationDeg: number[];
}

export interface EvalSummary {
  count: number;
  /** Scene units. */
  medianTranslation: number;
  medianRotationDeg: number;
  /** Fractions in [0, 1]. */
  within5cm5deg: number;
  within2cm2deg: number;
}

export function poseErrors(estimates: readonly Pose[], references: readonly Pose[]): PoseErrors {
  if (estimates.length !== references.length) throw new RangeError(`poseErrors: ${estimates.length} estimates for ${references.length} references`);
  const out: PoseErrors = { translation: [], rotationDeg: [] };
  estimates.forEach((e, i) => {
    const err = poseError(e, references[i] as Pose);
    out.translation.push(err.translation);
    out.rotationDeg.push(err.rotationDeg);
  });
  return out;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** `metersPerUnit` converts scene units to metres for the 5 cm / 2 cm thresholds (default 1). */
export function summarizeErrors(errors: PoseErrors, metersPerUnit = 1): EvalSummary {
  const n = errors.translation.length;
  const within = (cm: number, deg: number) =>
    n === 0 ? Number.NaN : errors.translation.filter((t, i) => t * metersPerUnit <= cm / 100 && (errors.rotationDeg[i] as number) <= deg).length / n;
  return {
    count: n,
    medianTranslation: median(errors.translation),
    medianRotationDeg: median(errors.rotationDeg),
    within5cm5deg: within(5, 5),
    within2cm2deg: within(2, 2),
  };
}
