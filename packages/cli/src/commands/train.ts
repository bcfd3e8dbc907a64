import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createProfiler } from '@rvs/core';
import { createNodeStore } from '@rvs/core/node';
import { createPoseModel, MODEL_PRESETS, trainPoseRegressor, type ModelPreset, type TrainEvent } from '@rvs/model';
import { createRasterizer } from '@rvs/raster-wgpu';
import { UsageError, type Command } from '../command.ts';
import { createProgress, type Progress } from '../progress.ts';
import { resolveTrainData } from '../train-setup.ts';
import { buildReportData } from '../train-report.ts';
import { writeTrainReport } from '../report/page.ts';

function num(args: Record<string, unknown>, name: string, fallback: number, check: (v: number) => boolean, what: string): number {
  const raw = args[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!check(v)) throw new UsageError(`--${name} must be ${what}, got "${String(raw)}"`);
  return v;
}
const int = (v: number) => Number.isInteger(v) && v >= 1;
const positive = (v: number) => Number.isFinite(v) && v > 0;

function parseSize(raw: unknown, fallback: [number, number]): [number, number] {
  if (raw === undefined) return fallback;
  const m = /^(\d+)x(\d+)$/.exec(String(raw));
  if (!m || Number(m[1]) < 16 || Number(m[2]) < 16) throw new UsageError(`--input must be WIDTHxHEIGHT with both ≥ 16, e.g. 427x240, got "${String(raw)}"`);
  return [Number(m[1]), Number(m[2])];
}

export const train: Command = {
  name: 'train',
  summary: 'Train a pose regressor with random view synthesis (the embedded demo by default)',
  usage: 'rvs-cli train [--scene s.ply --views v.json | --data dir --format colmap [--scene s.ply]] [--preset edge|full] [--epochs N] [--out dir] [--resume]',
  needsGpu: true,
  options: {
    scene: { type: 'string', description: '3DGS scene (.ply/.splat): RVS renders, and the images with --views' },
    views: { type: 'string', description: 'views.json of training/test cameras (every 8th is a test view); images rendered from --scene' },
    data: { type: 'string', description: 'dataset folder of photos (see --format); RVS needs --scene too' },
    format: { type: 'string', description: 'colmap | cambridge | 7scenes | nerfstudio (default colmap)' },
    preset: { type: 'string', description: 'edge | full (default: edge for the demo, full otherwise)' },
    input: { type: 'string', description: 'model input WxH (default 64x48 for the demo, 427x240 otherwise)' },
    epochs: { type: 'string', description: 'epochs (default 4 for the demo, 30 otherwise)' },
    batch: { type: 'string', description: 'images per step (default 8)' },
    'micro-batch': { type: 'string', description: 'images per forward/backward; gradients are accumulated (default = --batch)' },
    'gradient-checkpointing': { type: 'boolean', description: 'recompute element-wise activations in the backward pass: less GPU memory (full model, batch 24 in one pass on 80 GB)' },
    lr: { type: 'string', description: 'learning rate (default 1e-3 for the demo, 1e-4 otherwise)' },
    'no-rvs': { type: 'boolean', description: 'train on real images only (the baseline)' },
    'rvs-every': { type: 'string', description: 'new RVS poses every K epochs (default 2)' },
    'rvs-share': { type: 'string', description: 'share of steps on RVS images, in (0, 1] (default 0.5)' },
    'rot-deg': { type: 'string', description: 'RVS rotation range ±degrees (default 5)' },
    trans: { type: 'string', description: 'RVS translation range ± scene units (default 0.2)' },
    'meters-per-unit': { type: 'string', description: 'scene units → metres for the 5 cm/2 cm shares (default 1)' },
    'early-stop': { type: 'string', description: 'stop after N evaluations without improvement' },
    pretrained: { type: 'string', description: 'torchvision EfficientNet-B0 weights (.safetensors) for the backbone (full preset)' },
    seed: { type: 'string', description: 'random seed (default 0)' },
    out: { type: 'string', description: 'output folder: checkpoints/, report.html, history.json (default .rvs/train)' },
    resume: { type: 'boolean', description: 'continue from the newest checkpoint in --out' },
  } as Command['options'],
  async run(args, out) {
    const data = await resolveTrainData({
      scene: args.scene as string | undefined, views: args.views as string | undefined,
      data: args.data as string | undefined, format: args.format as string | undefined,
    });
    const preset = (args.preset ?? (data.demo ? 'edge' : 'full')) as ModelPreset;
    if (!(preset in MODEL_PRESETS)) throw new UsageError(`--preset must be edge or full, got "${String(args.preset)}"`);
    const [width, height] = parseSize(args.input, data.demo ? [64, 48] : [427, 240]);
    const epochs = num(args, 'epochs', data.demo ? 4 : 30, int, 'a positive integer');
    const batchSize = num(args, 'batch', 8, int, 'a positive integer');
    const microBatch = num(args, 'micro-batch', batchSize, (v) => int(v) && v <= batchSize, `a positive integer ≤ --batch (${batchSize})`);
    const lr = num(args, 'lr', data.demo ? 1e-3 : 1e-4, positive, 'a positive number');
    const seed = num(args, 'seed', 0, (v) => Number.isInteger(v) && v >= 0, 'a non-negative integer');
    const earlyStop = args['early-stop'] === undefined ? undefined : num(args, 'early-stop', 0, int, 'a positive integer');
    const noRvs = args['no-rvs'] === true || !data.sceneBytes;
    if (args['no-rvs'] !== true && !data.sceneBytes) out.progress('no --scene: training on real images only (RVS renders need the scene)');
    const rvs = noRvs ? false as const : {
      everyEpochs: num(args, 'rvs-every', 2, int, 'a positive integer'),
      share: num(args, 'rvs-share', 0.5, (v) => v > 0 && v <= 1, 'in (0, 1]'),
      sampler: { rotDeg: num(args, 'rot-deg', 5, (v) => v >= 0 && Number.isFinite(v), 'a number ≥ 0'), trans: num(args, 'trans', 0.2, (v) => v >= 0 && Number.isFinite(v), 'a number ≥ 0') },
    };
    const dir = typeof args.out === 'string' ? args.out : '.rvs/train';
    await mkdir(dir, { recursive: true });

    const profiler = createProfiler();
    const rasterizer = await createRasterizer();
    const scene = data.sceneBytes ? await rasterizer.loadScene(data.sceneBytes) : undefined;
    const model = await createPoseModel({ device: rasterizer.device, preset, seed, gradientCheckpointing: Boolean(args['gradient-checkpointing']) });
    if (typeof args.pretrained === 'string') {
      const bytes = await readFile(args.pretrained).catch(() => {
        throw new UsageError(`cannot read --pretrained "${String(args.pretrained)}"`);
      });
      try {
        out.progress(`loaded ${model.loadTorchvision(new Uint8Array(bytes))} backbone tensors from ${String(args.pretrained)}`);
      } catch (e) {
        throw new UsageError(`--pretrained ${String(args.pretrained)}: ${(e as Error).message}`);
      }
    }
    out.progress(`training on ${data.label}: ${data.dataset.train.length} train / ${data.dataset.test.length} test images at ${width}×${height}, ` +
      `${preset} model (${(model.parameterCount / 1e6).toFixed(2)}M parameters), ${rvs ? `RVS every ${rvs.everyEpochs} epochs` : 'no RVS'}`);

    let bar: Progress | undefined;
    let stepsPerEpoch = 0;
    const onEvent = (e: TrainEvent) => {
      if (e.type === 'start') {
        stepsPerEpoch = e.stepsPerEpoch;
        if (e.resumedFromEpoch > 0) out.progress(`resumed after epoch ${e.resumedFromEpoch}`);
        bar = createProgress(`epoch ${e.resumedFromEpoch + 1}/${epochs}`, e.stepsPerEpoch, !out.json);
      }
      if (e.type === 'step') {
        bar ??= createProgress(`epoch ${e.epoch + 1}/${epochs}`, e.stepsPerEpoch, !out.json);
        bar.tick();
      }
      if (e.type === 'epoch') {
        bar?.done();
        out.progress(`  epoch ${e.epoch}: mean loss ${e.meanLoss.toFixed(3)}, lr ${e.lr.toExponential(1)}`);
        bar = e.epoch < epochs ? createProgress(`epoch ${e.epoch + 1}/${epochs}`, stepsPerEpoch, !out.json) : undefined;
      }
      if (e.type === 'eval') {
        const r = e.record;
        out.progress(`  eval after epoch ${r.epoch}: median ${r.medianTranslation.toFixed(3)} units / ${r.medianRotationDeg.toFixed(2)}°, ` +
          `${(100 * r.within5cm5deg).toFixed(1)} % within 5 cm/5°`);
      }
      if (e.type === 'refresh') out.progress(`  RVS refresh: ${e.record.views} views (${e.record.rendered} rendered) in ${e.record.ms.toFixed(0)} ms, training waited ${e.record.stallMs.toFixed(0)} ms`);
    };
    const controller = new AbortController();
    const stop = () => controller.abort(new Error('interrupted: the last finished epoch\'s checkpoint is kept; resume with --resume'));
    process.once('SIGINT', stop);
    let result;
    try {
      result = await trainPoseRegressor({
        model, rasterizer, scene, dataset: data.dataset, images: data.images, input: { width, height },
        epochs, batchSize, microBatch, lr, rvs, seed, earlyStopPatience: earlyStop,
        metersPerUnit: num(args, 'meters-per-unit', 1, positive, 'a positive number'),
        checkpoints: createNodeStore(join(dir, 'checkpoints')), resume: args.resume === true,
        profiler, signal: controller.signal, onEvent,
      });
    } finally {
      process.off('SIGINT', stop);
    }
    await writeFile(join(dir, 'history.json'), JSON.stringify(result.history));
    await writeFile(join(dir, 'profile.json'), JSON.stringify(profiler.snapshot()));
    const reportData = await buildReportData({ result, data, rasterizer, scene, width, height, profile: profiler.snapshot(),
      config: { preset, input: `${width}x${height}`, epochs, batchSize, microBatch, lr, rvs: rvs ? JSON.stringify(rvs) : 'off', seed, parameters: model.parameterCount } });
    const report = await writeTrainReport(reportData, dir);
    model.destroy();
    rasterizer.destroy();
    const f = result.final;
    out.result({ out: dir, report, epochs: result.epochs, final: f, best: result.best, stoppedEarly: result.stoppedEarly }, () =>
      [
        `trained ${result.epochs} epochs${result.stoppedEarly ? ' (stopped early)' : ''}; checkpoints in ${join(dir, 'checkpoints')}`,
        f ? `test: median ${f.medianTranslation.toFixed(3)} units, ${f.medianRotationDeg.toFixed(2)}°; ${(100 * f.within5cm5deg).toFixed(1)} % within 5 cm/5°, ${(100 * f.within2cm2deg).toFixed(1)} % within 2 cm/2°` : 'no test split',
        `report: ${report}`,
      ].join('\n'));
  },
};
