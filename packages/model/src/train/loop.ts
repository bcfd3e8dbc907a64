// The RVS training loop (RAP's recipe): each epoch mixes batches of real images with batches
// rendered at randomly perturbed poses; the RVS poses are re-sampled every K epochs, rendered one
// set ahead in the background through the render cache; evaluation, ReduceLROnPlateau, early
// stopping and an atomic checkpoint per epoch.
import {
  createBackgroundRefresher, createPoseSampler, createRasterViewRenderer, createRenderCache, createRng, noopProfiler, splitFrames,
  viewmatsFromPoses, type BackgroundRefresher, type Pose, type PoseFrame, type Rng,
} from '@rvs/core';
import type { ImageBatch } from '@rvs/raster-wgpu';
import type { MicroBatch } from '../model.ts';
import { fitNormalizer, normalizePose } from '../normalize.ts';
import { initialPlateau, stepPlateau } from '../schedule.ts';
import { resumeLatest, saveCheckpoint, type LoopState } from './checkpointing.ts';
import { evaluate } from './evaluate.ts';
import type { RvsOptions, StepRecord, TrainOptions, TrainResult } from './types.ts';
import { frameImages, renderedSet, scaledKs, type ImageSet } from './views.ts';

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`train: ${name} must be a positive integer, got ${v}`);
  return v;
}

/** Seeds derived from the run seed, so a resumed run draws exactly what the original would. */
function derivedRng(seed: number, stream: number, index: number): Rng {
  return createRng((Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0);
}

function shuffled(n: number, rng: Rng): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j] as number, a[i] as number];
  }
  return a;
}

/** ‖R₁ − R₂‖_F = 2√2·sin(θ/2) for a relative rotation of θ. */
function frobeniusToDegrees(f: number): number {
  return (2 * Math.asin(Math.min(1, f / (2 * Math.SQRT2))) * 180) / Math.PI;
}

interface RvsPlan extends Required<Omit<RvsOptions, 'sampler'>> {
  sampler: NonNullable<RvsOptions['sampler']>;
}

export async function trainPoseRegressor(o: TrainOptions): Promise<TrainResult> {
  const epochs = positiveInt('epochs', o.epochs ?? 30);
  const batchSize = positiveInt('batchSize', o.batchSize ?? 8);
  const microBatch = positiveInt('microBatch', o.microBatch ?? batchSize);
  if (microBatch > batchSize) throw new RangeError(`train: microBatch (${microBatch}) exceeds batchSize (${batchSize})`);
  const evalEvery = positiveInt('evalEvery', o.evalEvery ?? 1);
  const width = positiveInt('input width', o.input.width);
  const height = positiveInt('input height', o.input.height);
  const metersPerUnit = o.metersPerUnit ?? 1;
  const seed = o.seed ?? 0;
  const profiler = o.profiler ?? noopProfiler;
  const rvs: RvsPlan | undefined = o.rvs === false ? undefined : { everyEpochs: 2, share: 0.5, sampler: {}, ...o.rvs };
  if (rvs && (!(rvs.share > 0 && rvs.share <= 1) || !Number.isInteger(rvs.everyEpochs) || rvs.everyEpochs < 1)) {
    throw new RangeError(`train: rvs.share must be in (0, 1] and rvs.everyEpochs a positive integer, got ${rvs.share} and ${rvs.everyEpochs}`);
  }
  const trainFrames = splitFrames(o.dataset, 'train');
  const testFrames = splitFrames(o.dataset, 'test');
  if (trainFrames.length === 0) throw new RangeError(`train: dataset ${o.dataset.name} has no training frames`);
  const trainPoses = trainFrames.map((f) => f.pose);

  let state: LoopState = {
    epoch: 0, step: 0, plateau: initialPlateau(o.lr ?? 1e-4), normalizer: fitNormalizer(trainPoses),
    history: { steps: [], evals: [], refreshes: [] }, best: undefined, evalsSinceBest: 0, seed, input: { width, height },
  };
  if (o.checkpoints && o.resume) {
    const resumed = await resumeLatest(o.checkpoints, o.model);
    if (resumed) state = resumed.state;
  }
  const resumedFromEpoch = state.epoch;

  // Renders are needed for RVS and for rendered datasets; photos alone need no scene.
  if ((rvs || o.images.kind === 'render') && !o.scene && !o.cache) {
    throw new Error(`train: ${rvs ? 'RVS' : 'a rendered dataset'} needs the scene (pass \`scene\`, or \`rvs: false\` with photos)`);
  }
  const cache = o.cache ?? (o.scene ? createRenderCache(createRasterViewRenderer(o.rasterizer, o.scene), { profiler }) : undefined);
  const needCache = () => {
    if (!cache) throw new Error('train: no scene to render with');
    return cache;
  };
  const photoBatch: ImageBatch | undefined = o.images.kind === 'files' ? o.rasterizer.createBatch({ size: microBatch, width, height }) : undefined;
  const imageSet = (frames: PoseFrame[]): Promise<ImageSet> => frameImages(frames, o.images, width, height, cache, photoBatch);
  const realSet = await profiler.spanAsync('load-real-images', () => imageSet(trainFrames));
  const testSet = testFrames.length ? await profiler.spanAsync('load-test-images', () => imageSet(testFrames)) : undefined;
  const realTargets = trainPoses.map((p) => normalizePose(p, state.normalizer));
  const trainKs = scaledKs(trainFrames, width, height);

  // RVS: set r serves epochs [r·K, (r+1)·K); set r+1 renders while set r trains.
  const refresher: BackgroundRefresher | undefined = rvs ? createBackgroundRefresher({ cache: needCache(), profiler }) : undefined;
  let prepared: { index: number; poses: Pose[] } | undefined;
  let rvsSet: ImageSet | undefined;
  let rvsTargets: Pose[] = [];
  const prepare = async (index: number) => {
    const sampler = createPoseSampler(trainPoses, { ...rvs?.sampler, seed: (derivedRng(seed, 1, index).next() * 2 ** 32) >>> 0 });
    const sampled = await sampler.sample();
    const Ks = new Float32Array(sampled.poses.length * 9);
    sampled.sources.forEach((s, i) => Ks.set(trainKs.subarray(s * 9, s * 9 + 9), i * 9));
    refresher?.prepareNext({ viewmats: viewmatsFromPoses(sampled.poses), Ks, width, height });
    prepared = { index, poses: sampled.poses };
  };
  const takeRvs = async (epoch: number) => {
    if (!rvs || !refresher) return;
    const index = Math.floor(epoch / rvs.everyEpochs);
    if (prepared?.index !== index) await prepare(index);
    const { poses } = prepared as NonNullable<typeof prepared>;
    const stallBefore = refresher.stats().stallMs;
    const views = await refresher.takeNext();
    rvsSet?.destroy();
    rvsSet = renderedSet(views);
    rvsTargets = poses.map((p) => normalizePose(p, state.normalizer));
    const rendered = views.sources.filter((s) => s === 'render').length;
    const stats = refresher.stats();
    // The set rendered in the background while the previous one trained: its own wall time,
    // and how long training actually waited for it.
    const record = { epoch, views: views.count, rendered, cacheHits: views.count - rendered, ms: stats.lastRefreshMs, stallMs: stats.stallMs - stallBefore };
    state.history.refreshes.push(record);
    o.onEvent?.({ type: 'refresh', record });
    if ((index + 1) * rvs.everyEpochs < epochs) await prepare(index + 1);
  };

  const stepsPerEpoch = Math.ceil(trainFrames.length / batchSize);
  o.onEvent?.({ type: 'start', epochs, stepsPerEpoch, resumedFromEpoch });
  let stoppedEarly = false;
  let finalErrors: TrainResult['finalErrors'];
  let finalPredictions: Pose[] | undefined;
  try {
    for (let epoch = state.epoch; epoch < epochs; epoch++) {
      if (rvs && (epoch % rvs.everyEpochs === 0 || !rvsSet)) await takeRvs(epoch);
      const rng = derivedRng(seed, 2, epoch);
      const rvsBatches = rvs ? Math.round(stepsPerEpoch * rvs.share) : 0;
      const sources = shuffled(stepsPerEpoch, rng).map((i) => (i < rvsBatches ? 'rvs' : 'real') as StepRecord['source']);
      const order = { real: shuffled(realSet.count, rng), rvs: rvsSet ? shuffled(rvsSet.count, rng) : [] };
      const cursor = { real: 0, rvs: 0 };
      let lossSum = 0;
      for (const source of sources) {
        o.signal?.throwIfAborted();
        const set = source === 'rvs' ? (rvsSet as ImageSet) : realSet;
        const targets = source === 'rvs' ? rvsTargets : realTargets;
        const indices: number[] = [];
        for (let k = 0; k < batchSize; k++) indices.push(order[source][cursor[source]++ % set.count] as number);
        const micro: MicroBatch[] = [];
        for (let m = 0; m < indices.length; m += microBatch) {
          const part = indices.slice(m, m + microBatch);
          micro.push({ input: () => set.input(part), poses: part.map((i) => targets[i] as Pose) });
        }
        const started = performance.now();
        const loss = await profiler.spanAsync('train-step', () => o.model.trainStep(micro, state.plateau.lr));
        const record: StepRecord = {
          step: state.step++, epoch, loss: loss.loss, translationError: loss.translation * state.normalizer.scale,
          rotationError: frobeniusToDegrees(loss.rotation), lr: state.plateau.lr, source,
        };
        state.history.steps.push(record);
        lossSum += loss.loss;
        o.onEvent?.({ type: 'step', ms: performance.now() - started, stepsPerEpoch, ...record });
      }
      const meanLoss = lossSum / sources.length;
      state.plateau = stepPlateau(state.plateau, meanLoss, o.plateau);
      state.epoch = epoch + 1;
      let isBest = false;
      const last = epoch + 1 === epochs;
      if (testSet && ((epoch + 1) % evalEvery === 0 || last)) {
        const result = await profiler.spanAsync('evaluate', () => evaluate(o.model, testSet, testFrames.map((f) => f.pose), state.normalizer, batchSize, metersPerUnit));
        const record = { epoch: epoch + 1, ...result.summary };
        state.history.evals.push(record);
        finalErrors = result.errors;
        finalPredictions = result.predictions;
        isBest = !state.best || record.medianTranslation < state.best.medianTranslation;
        if (isBest) {
          state.best = record;
          state.evalsSinceBest = 0;
        } else {
          state.evalsSinceBest += 1;
        }
        o.onEvent?.({ type: 'eval', record });
      }
      o.onEvent?.({ type: 'epoch', epoch: epoch + 1, meanLoss, lr: state.plateau.lr });
      if (o.checkpoints) {
        const name = await profiler.spanAsync('checkpoint', () => saveCheckpoint(o.checkpoints!, o.model, state, o.keepCheckpoints ?? 2, isBest));
        o.onEvent?.({ type: 'checkpoint', name, epoch: epoch + 1 });
      }
      if (o.earlyStopPatience !== undefined && state.evalsSinceBest >= o.earlyStopPatience) {
        stoppedEarly = true;
        break;
      }
    }
  } finally {
    await refresher?.destroy();
    rvsSet?.destroy();
    realSet.destroy();
    testSet?.destroy();
    photoBatch?.destroy();
    if (!o.cache) await cache?.destroy();
  }
  return {
    history: state.history, epochs: state.epoch, stoppedEarly, final: state.history.evals.at(-1), finalErrors, finalPredictions, best: state.best,
  };
}
