// pnpm bench:accuracy --scene <ply> --views <views.json> [--preset edge] [--input 214x120] [--epochs 12] [--batch 8] [--seeds 0,1,2]
// RVS against no RVS, same model, same number of steps: training views are the views file's
// cameras (images rendered from the scene), test views sit off that trajectory
// (lib/pose-dataset.ts). Prints both runs' test errors and the relative change.
import { createPoseModel, trainPoseRegressor, type ModelPreset, type TrainResult } from '@rvs/model';
import { benchArgs, loadViews, writeResult } from './lib/args.ts';
import { offTrajectoryDataset } from './lib/pose-dataset.ts';
import { openBenchScene } from './lib/setup.ts';

const args = benchArgs({
  preset: { type: 'string', default: 'edge' }, input: { type: 'string', default: '214x120' }, epochs: { type: 'string', default: '12' },
  batch: { type: 'string', default: '8' }, lr: { type: 'string', default: '3e-4' }, 'rvs-trans': { type: 'string', default: '0.15' },
  'rvs-rot': { type: 'string', default: '5' }, 'test-trans': { type: 'string', default: '0.1' }, 'test-rot': { type: 'string', default: '4' },
  'rvs-every': { type: 'string', default: '1' }, seed: { type: 'string', default: '0' }, seeds: { type: 'string' },
});
const { r, scene, device } = await openBenchScene(args.scene, args.tile);
const views = await loadViews(args.views);
const [width, height] = args.input!.split('x').map(Number) as [number, number];
const { dataset, spread } = await offTrajectoryDataset(views, args.views, { testTrans: Number(args['test-trans']), testRotDeg: Number(args['test-rot']) });
const common = { rasterizer: r, scene, dataset, images: { kind: 'render' as const }, input: { width, height }, epochs: Number(args.epochs), batchSize: Number(args.batch), lr: Number(args.lr), evalEvery: Number(args.epochs) };
// --seeds 0,1,2: one pair of runs (no RVS, RVS) per seed, same seed for both; --seed N: one pair.
const seeds = (args.seeds ?? args.seed!).split(',').map(Number);
if (seeds.some((x) => !Number.isInteger(x) || x < 0)) throw new Error(`--seeds must be non-negative integers separated by commas, got "${args.seeds}"`);

async function run(label: string, seed: number, rvs: false | { everyEpochs: number; share: number; sampler: { rotDeg: number; trans: number } }) {
  const model = await createPoseModel({ device: r.device, preset: args.preset as ModelPreset, seed });
  const t = performance.now();
  const result: TrainResult = await trainPoseRegressor({
    ...common, seed, model, rvs,
    onEvent: (e) => {
      if (e.type === 'epoch') console.error(`${label} (seed ${seed}): epoch ${e.epoch} loss ${e.meanLoss.toFixed(3)} (${((performance.now() - t) / 1000).toFixed(0)} s)`);
    },
  });
  model.destroy();
  return { label, seconds: (performance.now() - t) / 1000, steps: result.history.steps.length, final: result.final, refreshes: result.history.refreshes.length };
}

const rvsConfig = { everyEpochs: Number(args['rvs-every']), share: 0.5, sampler: { rotDeg: Number(args['rvs-rot']), trans: Number(args['rvs-trans']) * spread } };
const pairs = [];
for (const seed of seeds) {
  const baseline = await run('no RVS', seed, false);
  const withRvs = await run('RVS', seed, rvsConfig);
  const reduction = 1 - withRvs.final!.medianTranslation / baseline.final!.medianTranslation;
  pairs.push({ seed, baseline, withRvs, translationReduction: reduction });
  const row = (x: typeof baseline) => `seed ${seed} | ${x.label.padEnd(7)} | ${x.steps} steps | median ${x.final!.medianTranslation.toFixed(4)} units, ${x.final!.medianRotationDeg.toFixed(2)}° | ${x.seconds.toFixed(0)} s`;
  console.log([row(baseline), row(withRvs), `seed ${seed} | RVS changes the median translation error by ${(-100 * reduction).toFixed(1)} %`].join('\n'));
}
const reductions = pairs.map((p) => p.translationReduction);
const mean = reductions.reduce((a, b) => a + b, 0) / reductions.length;
const sd = Math.sqrt(reductions.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, reductions.length - 1));
const result = { device, preset: args.preset, input: `${width}x${height}`, spread, train: dataset.train.length, test: dataset.test.length, args, seeds, pairs, meanTranslationReduction: mean, sdTranslationReduction: sd };
await writeResult(args.out, result);
console.log(`bench:accuracy ${args.preset} ${width}x${height} on ${device}: RVS changes the median translation error by ${(-100 * mean).toFixed(1)} %` +
  (seeds.length > 1 ? ` on average over ${seeds.length} seeds (sd ${(100 * sd).toFixed(1)} points; ${reductions.map((x) => (-100 * x).toFixed(1)).join(', ')})` : ` (seed ${seeds[0]})`));
process.exit(0);
