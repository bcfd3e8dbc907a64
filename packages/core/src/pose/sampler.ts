// Random view synthesis (RVS) pose sampling as RAP does it: perturb the training cameras (or
// sample the scene box / a sphere around it), keep positions inside the cameras' box, and retry
// candidates that the caller's render-based check rejects.
import { cameraBounds, clampToBox, estimateUp, planeBasis, type Box3 } from './bounds.ts';
import { at, norm3, scale3, sub3, vec3 } from './mat3.ts';
import { defaultSphere, onSphereLookingAt, perturbPose, perturbRotation, uniformInBox, type PerturbRange } from './perturb.ts';
import { createRng } from './prng.ts';
import type { NumArray, Pose, Vec3 } from './types.ts';
import { assertFinite, assertLength } from './validate.ts';

/**
 * Decides which candidate poses are usable, typically by rendering them and checking coverage
 * and sharpness (see `makeRenderValidity`). Gets all pending candidates of one round at once so
 * it can render them as one batch; returns one boolean per candidate, in order.
 */
export type ValidityCheck = (candidates: readonly Pose[]) => Promise<readonly boolean[]>;

/** Where candidates come from. */
export type SampleMode =
  /** Each training pose perturbed (RAP's RVS). */
  | 'perturb'
  /** Position uniform in the grown camera box; rotation of the nearest training camera, perturbed. */
  | 'box'
  /** On a sphere around the scene, looking at its centre, rotation perturbed. Not clamped to the box. */
  | 'sphere';

/** Options of {@link createPoseSampler}. */
export interface PoseSamplerOptions {
  /** Where candidates come from. Default `'perturb'`. */
  mode?: SampleMode;
  /** Rotation range: each Euler angle (world-frame XYZ), or the yaw in ground-plane mode, uniform in ±rotDeg degrees. Default 5. */
  rotDeg?: number;
  /** Translation range: each offset uniform in ±trans scene units. Default 0.2. */
  trans?: number;
  /** Move only within the ground plane (orthogonal to `up`) and rotate only about `up` (RAP's `xz_plane_only`). Default false. */
  groundPlane?: boolean;
  /** World up vector, or `'auto'` to estimate it from the training cameras (mean of their −y axes; −y if they disagree). Default `'auto'`. */
  up?: NumArray | 'auto';
  /** The training cameras' box is grown by this much on each side; 'perturb' and 'box' positions are clamped into it (RAP's `d_max`). Default 0. */
  margin?: number;
  /** Poses per `sample()` call. Default: one per training pose. In 'perturb' mode pose i perturbs training pose i mod N. */
  count?: number;
  /** Sphere mode: centre (default: centre of the grown box) and radius (default: half its diagonal). */
  sphere?: { center?: NumArray; radius?: number };
  /** PRNG seed: the same seed, options and check results give the same poses. Default 0. */
  seed?: number;
  /** Render-based check of candidates; without it every candidate is accepted. */
  validate?: ValidityCheck;
  /** Candidates tried per pose before giving up (then the source training pose is used, as RAP does). Default 10. */
  maxAttempts?: number;
}

/** One batch of sampled poses. */
export interface SampledPoses {
  /** The sampled camera-to-world poses. */
  readonly poses: Pose[];
  /** Training pose each was derived from (the nearest one in 'box' and 'sphere' modes). */
  readonly sources: number[];
  /** False where all `maxAttempts` candidates failed the check and the source pose stands in. */
  readonly accepted: boolean[];
  /** How many poses failed every attempt. */
  readonly failed: number;
  /** Candidates generated in total (each one the check had to judge). */
  readonly candidates: number;
}

/** A seeded sampler over fixed training poses; each `sample()` continues the same random stream. */
export interface PoseSampler {
  /** The grown box of the training camera centres. */
  readonly bounds: Box3;
  /** The unit world up vector in use. */
  readonly up: Vec3;
  /** Draws a new batch of poses. */
  sample(): Promise<SampledPoses>;
}

/**
 * Creates an RVS pose sampler over the training poses (camera-to-world, OpenCV axes).
 * @throws if `training` is empty or an option is out of range (the message names it).
 */
export function createPoseSampler(training: readonly Pose[], options: PoseSamplerOptions = {}): PoseSampler {
  if (training.length === 0) throw new Error('createPoseSampler: no training poses to sample around');
  const mode = options.mode ?? 'perturb';
  const rotDeg = nonNegative(options.rotDeg ?? 5, 'rotDeg');
  const trans = nonNegative(options.trans ?? 0.2, 'trans');
  const margin = nonNegative(options.margin ?? 0, 'margin');
  const count = integerAtLeast(options.count ?? training.length, 0, 'count');
  const maxAttempts = integerAtLeast(options.maxAttempts ?? 10, 1, 'maxAttempts');
  const up = resolveUp(options.up ?? 'auto', training);
  const range: PerturbRange = { rotDeg, trans, groundPlane: options.groundPlane ?? false, up, plane: planeBasis(up) };
  const bounds = cameraBounds(training, margin);
  const sphere = { ...defaultSphere(bounds) };
  if (options.sphere?.center !== undefined) sphere.center = checkedVec(options.sphere.center, 'sphere.center');
  if (options.sphere?.radius !== undefined) sphere.radius = nonNegative(options.sphere.radius, 'sphere.radius');
  const rng = createRng(options.seed ?? 0);

  const candidate = (i: number): { pose: Pose; source: number } => {
    if (mode === 'perturb') {
      const source = i % training.length;
      const p = perturbPose(training[source] as Pose, range, rng);
      return { pose: { R: p.R, t: clampToBox(p.t, bounds) }, source };
    }
    if (mode === 'box') {
      const t = uniformInBox(bounds, rng);
      const source = nearest(training, t);
      return { pose: { R: perturbRotation((training[source] as Pose).R, range, rng), t }, source };
    }
    const pose = onSphereLookingAt(sphere.center, sphere.radius, range, rng);
    return { pose, source: nearest(training, pose.t) };
  };

  return {
    bounds,
    up,
    async sample() {
      const poses: Pose[] = new Array(count);
      const sources: number[] = new Array(count).fill(0);
      const accepted: boolean[] = new Array(count).fill(false);
      let pending = Array.from({ length: count }, (_, i) => i);
      let generated = 0;
      for (let attempt = 0; attempt < maxAttempts && pending.length > 0; attempt++) {
        const batch = pending.map((i) => candidate(i));
        generated += batch.length;
        const verdicts = options.validate ? await options.validate(batch.map((c) => c.pose)) : batch.map(() => true);
        if (verdicts.length !== batch.length) {
          throw new Error(`createPoseSampler: validate returned ${verdicts.length} verdicts for ${batch.length} candidates`);
        }
        const still: number[] = [];
        pending.forEach((i, k) => {
          const c = batch[k] as { pose: Pose; source: number };
          sources[i] = c.source;
          if (verdicts[k]) {
            poses[i] = c.pose;
            accepted[i] = true;
          } else still.push(i);
        });
        pending = still;
      }
      for (const i of pending) poses[i] = copyPose(training[at(sources, i)] as Pose);
      return { poses, sources, accepted, failed: pending.length, candidates: generated };
    },
  };
}

function nearest(training: readonly Pose[], t: NumArray): number {
  let best = 0;
  let bestD = Infinity;
  training.forEach((p, i) => {
    const d = norm3(sub3(p.t, t));
    if (d < bestD) [best, bestD] = [i, d];
  });
  return best;
}

function copyPose(p: Pose): Pose {
  return { R: Float64Array.from(p.R), t: Float64Array.from(p.t) };
}

function resolveUp(up: NumArray | 'auto', training: readonly Pose[]): Vec3 {
  if (up === 'auto') return estimateUp(training);
  const v = checkedVec(up, 'up');
  const n = norm3(v);
  if (!(n > 1e-12)) throw new Error('createPoseSampler: up is the zero vector');
  return scale3(v, 1 / n);
}

function checkedVec(v: NumArray, name: string): Vec3 {
  assertLength(v, 3, `createPoseSampler: ${name}`);
  assertFinite(v, `createPoseSampler: ${name}`);
  return vec3(at(v, 0), at(v, 1), at(v, 2));
}

function nonNegative(v: number, name: string): number {
  if (!(Number.isFinite(v) && v >= 0)) throw new Error(`createPoseSampler: ${name} must be a finite number ≥ 0, got ${v}`);
  return v;
}

function integerAtLeast(v: number, min: number, name: string): number {
  if (!(Number.isInteger(v) && v >= min)) throw new Error(`createPoseSampler: ${name} must be an integer ≥ ${min}, got ${v}`);
  return v;
}
