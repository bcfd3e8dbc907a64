// pnpm bench:accuracy --scene <ply> --views <views.json> [--preset edge] [--input 214x120] [--epochs 96] [--lr 1e-3 edge, 3e-4 full] [--batch 8] [--seeds 0,1,2] [--jobs N] [--prune 0.5] [--f16] [--subgroup-matrices false]
// RVS against no RVS, same model, same number of steps: training views are the views file's
// cameras (images rendered from the scene), test views sit off that trajectory
// (lib/pose-dataset.ts). Prints both runs' test errors and the relative change.
// --jobs N: the runs (one per seed and arm) go to N child processes sharing the GPU; a run is
// bound by its process's one CPU thread, so on a many-core host this is ~N× faster.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPoseModel, evaluatePoseRegressor, fitNormalizer, trainPoseRegressor, type InferencePrecision, type ModelPreset, type TrainResult } from '@rvs/model';
import { benchArgs, loadViews, writeResult } from './lib/args.ts';
import { offTrajectoryDataset } from './lib/pose-dataset.ts';
import { openBenchScene } from './lib/setup.ts';

const args = benchArgs({
  preset: { type: 'string', default: 'edge' }, input: { type: 'string', default: '214x120' }, epochs: { type: 'string', default: '96' },
  batch: { type: 'string', default: '8' }, lr: { type: 'string' }, 'rvs-trans': { type: 'string', default: '0.15' },
  'rvs-rot': { type: 'string', default: '5' }, 'test-trans': { type: 'string', default: '0.1' }, 'test-rot': { type: 'string', default: '4' },
  'rvs-every': { type: 'string', default: '1' }, 'rvs-share': { type: 'string', default: '0.5' }, seed: { type: 'string', default: '0' }, seeds: { type: 'string' },
  jobs: { type: 'string', default: '1' }, arm: { type: 'string' }, prune: { type: 'string' }, f16: { type: 'boolean' },
  'subgroup-matrices': { type: 'string', default: 'true' },
});
// --seeds 0,1,2: one pair of runs (no RVS, RVS) per seed, same seed for both; --seed N: one pair.
const seeds = (args.seeds ?? args.seed!).split(',').map(Number);
if (seeds.some((x) => !Number.isInteger(x) || x < 0)) throw new Error(`--seeds must be non-negative integers separated by commas, got "${args.seeds ?? args.seed}"`);
const jobs = Number(args.jobs);
if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs must be a positive integer, got "${args.jobs}"`);
// --prune 0.75,0.5: each trained model is also scored pruned to those fractions (model.prune).
const pruneKeeps = args.prune ? args.prune.split(',').map(Number) : [];
if (pruneKeeps.some((k) => !(k > 0 && k <= 1))) throw new Error(`--prune takes fractions in (0, 1] separated by commas, got "${args.prune}"`);
// --f16: each trained model is also scored with f16 inference weights (model.setInferenceWeights),
// whole and at each --prune fraction: the accuracy cost of halving the weights.
const halfWeights = args.f16 !== undefined;
// --subgroup-matrices false: f32 products everywhere, also where the device has matrix units
// (the full model's linear layers and attention backward otherwise take f16 products).
const subgroupMatrices = args['subgroup-matrices'] !== 'false';
// The full model (6-layer transformers, from scratch) diverged on 2 of 3 seeds at 1e-3, with f16
// or f32 products alike; at 3e-4 all three fit (bench/README.md).
const lr = Number(args.lr ?? (args.preset === 'full' ? 3e-4 : 1e-3));
if (!(lr > 0)) throw new Error(`--lr must be a positive number, got "${args.lr}"`);
const ARMS = ['none', 'rvs'] as const;
type Arm = (typeof ARMS)[number];
if (args.arm !== undefined && !ARMS.includes(args.arm as Arm)) throw new Error(`--arm must be none or rvs, got "${args.arm}"`);

interface RunResult {
  label: string;
  seed: number;
  seconds: number;
  steps: number;
  final: NonNullable<TrainResult['final']>;
  /** Mean translation error of the last epoch's real-image steps (train mode, before each
   *  update): how well the training views are fitted, against `final`'s off-trajectory test. */
  trainTranslation: number;
  refreshes: number;
  /** The same model for inference pruned (`--prune`) and/or on f16 weights (`--f16`): kept
   *  fraction, parameters, weight precision and bytes, test medians. */
  pruned: { keep: number; parameters: number; weights: InferencePrecision; weightBytes: number; medianTranslation: number; medianRotationDeg: number }[];
}

const [width, height] = args.input!.split('x').map(Number) as [number, number];
const { r, scene, device } = await openBenchScene(args.scene, args.tile);
const views = await loadViews(args.views);
const { dataset, spread } = await offTrajectoryDataset(views, args.views, { testTrans: Number(args['test-trans']), testRotDeg: Number(args['test-rot']) });
// The translation normaliser trainPoseRegressor fits to the training cameras, for scoring pruned copies.
const normalizer = fitNormalizer(dataset.train.map((i) => dataset.frames[i]!.pose));
const rvsConfig = {
  everyEpochs: Number(args['rvs-every']), share: Number(args['rvs-share']),
  sampler: { rotDeg: Number(args['rvs-rot']), trans: Number(args['rvs-trans']) * spread },
};

async function train(arm: Arm, seed: number): Promise<RunResult> {
  const label = arm === 'rvs' ? 'RVS' : 'no RVS';
  const model = await createPoseModel({ device: r.device, preset: args.preset as ModelPreset, seed, subgroupMatrices });
  const t = performance.now();
  const result = await trainPoseRegressor({
    rasterizer: r, scene, dataset, images: { kind: 'render' }, input: { width, height }, epochs: Number(args.epochs),
    batchSize: Number(args.batch), lr, evalEvery: Number(args.epochs), seed, model, rvs: arm === 'rvs' ? rvsConfig : false,
    onEvent: (e) => {
      if (e.type === 'epoch') console.error(`${label} (seed ${seed}): epoch ${e.epoch} loss ${e.meanLoss.toFixed(3)} (${((performance.now() - t) / 1000).toFixed(0)} s)`);
    },
  });
  if (!result.final) throw new Error(`${label} (seed ${seed}): training ended without a test evaluation`);
  const pruned: RunResult['pruned'] = [];
  // f16 first: going back to f32 drops a pruned model, f32 → f16 would halve it.
  for (const weights of halfWeights ? ['f16', 'f32'] as const : ['f32'] as const) {
    model.setInferenceWeights(weights);
    // The whole f32 model is `final`.
    for (const keep of weights === 'f16' ? [1, ...pruneKeeps] : pruneKeeps) {
      const parameters = keep < 1 ? (await model.prune(keep)).parameters : model.parameterCount;
      const { summary } = await evaluatePoseRegressor({
        model, rasterizer: r, scene, dataset, images: { kind: 'render' }, input: { width, height }, normalizer, batchSize: Number(args.batch),
      });
      pruned.push({ keep, parameters, weights, weightBytes: model.inferenceWeightBytes(), medianTranslation: summary.medianTranslation, medianRotationDeg: summary.medianRotationDeg });
    }
  }
  model.destroy();
  const lastReal = result.history.steps.filter((s) => s.epoch === result.epochs - 1 && s.source === 'real');
  const trainTranslation = lastReal.reduce((a, s) => a + s.translationError, 0) / lastReal.length;
  return { label, seed, seconds: (performance.now() - t) / 1000, steps: result.history.steps.length, final: result.final, trainTranslation, refreshes: result.history.refreshes.length, pruned };
}

/** Runs `tasks` in up to `jobs` child processes of this bench (each with `--arm`), in order. */
async function trainInChildren(tasks: { arm: Arm; seed: number }[]): Promise<RunResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'rvs-accuracy-'));
  // This run's flags minus the ones (and their values) each child gets its own of.
  const perChild = ['--jobs', '--seeds', '--seed', '--out'];
  const own = process.argv.slice(2).filter((flag, i, a) => !perChild.includes(flag) && !perChild.includes(a[i - 1]!));
  const results: RunResult[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const k = next++;
      const { arm, seed } = tasks[k]!;
      const out = join(dir, `${k}.json`);
      const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...own, '--arm', arm, '--seed', String(seed), '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
      const code = await new Promise<number | null>((done) => child.on('exit', done));
      if (code !== 0) throw new Error(`bench:accuracy: the ${arm} run of seed ${seed} exited with ${code}`);
      results[k] = JSON.parse(await readFile(out, 'utf8')) as RunResult;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

if (args.arm) {
  await writeResult(args.out, await train(args.arm as Arm, seeds[0]!));
  process.exit(0);
}
const tasks = seeds.flatMap((seed) => ARMS.map((arm) => ({ arm, seed })));
const runs = jobs > 1 ? await trainInChildren(tasks) : await (async () => {
  const done: RunResult[] = [];
  for (const t of tasks) done.push(await train(t.arm, t.seed));
  return done;
})();
const pairs = seeds.map((seed, i) => {
  const [baseline, withRvs] = [runs[2 * i]!, runs[2 * i + 1]!];
  const reduction = 1 - withRvs.final.medianTranslation / baseline.final.medianTranslation;
  const row = (x: RunResult) => `seed ${seed} | ${x.label.padEnd(7)} | ${x.steps} steps | test median ${x.final.medianTranslation.toFixed(4)} units, ${x.final.medianRotationDeg.toFixed(2)}° | train mean ${x.trainTranslation.toFixed(4)} | ${x.seconds.toFixed(0)} s`;
  const variant = (p: RunResult['pruned'][number]) => `${p.keep < 1 ? `pruned to ${p.keep}` : 'whole'}, ${p.weights} weights (${(p.parameters / 1e6).toFixed(2)}M, ${(p.weightBytes / 2 ** 20).toFixed(1)} MiB)`;
  const prunedRows = [baseline, withRvs].flatMap((x) => x.pruned.map((p) => `seed ${seed} | ${x.label.padEnd(7)} | ${variant(p)} | test median ${p.medianTranslation.toFixed(4)} units, ${p.medianRotationDeg.toFixed(2)}°`));
  console.log([row(baseline), row(withRvs), ...prunedRows, `seed ${seed} | RVS changes the median translation error by ${(-100 * reduction).toFixed(1)} %`].join('\n'));
  return { seed, baseline, withRvs, translationReduction: reduction };
});
const reductions = pairs.map((p) => p.translationReduction);
const mean = reductions.reduce((a, b) => a + b, 0) / reductions.length;
const sd = Math.sqrt(reductions.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, reductions.length - 1));
const result = { device, preset: args.preset, input: `${width}x${height}`, lr, subgroupMatrices, spread, train: dataset.train.length, test: dataset.test.length, args, seeds, pairs, meanTranslationReduction: mean, sdTranslationReduction: sd };
await writeResult(args.out, result);
console.log(`bench:accuracy ${args.preset} ${width}x${height} on ${device}: RVS changes the median translation error by ${(-100 * mean).toFixed(1)} %` +
  (seeds.length > 1 ? ` on average over ${seeds.length} seeds (sd ${(100 * sd).toFixed(1)} points; ${reductions.map((x) => (-100 * x).toFixed(1)).join(', ')})` : ` (seed ${seeds[0]})`));
process.exit(0);
