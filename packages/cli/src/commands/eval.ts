import { readFile, writeFile } from 'node:fs/promises';
import { checkpointConfig, createPoseModel, evaluatePoseRegressor, runStateOf, type InferencePrecision, type ModelConfig } from '@rvs/model';
import { createRasterizer } from '@rvs/raster-wgpu';
import { UsageError, type Command } from '../command.ts';
import { resolveTrainData } from '../train-setup.ts';

export const evaluate: Command = {
  name: 'eval',
  summary: 'Evaluate a checkpoint (folded inference model) on a dataset split',
  usage: 'rvs-cli eval --checkpoint run/checkpoints/best.safetensors [--scene s.ply --views v.json | --data dir --format colmap [--scene s.ply]] [--split test] [--prune 0.5] [--weights f16] [--out errors.json]',
  needsGpu: true,
  options: {
    checkpoint: { type: 'string', description: 'a checkpoint written by `rvs-cli train` (.safetensors)' },
    scene: { type: 'string', description: 'scene: images are rendered from it with --views (and the demo when nothing is given)' },
    views: { type: 'string', description: 'views.json (every 8th view is a test view, as in train)' },
    data: { type: 'string', description: 'dataset folder of photos (see --format)' },
    format: { type: 'string', description: 'colmap | cambridge | 7scenes | nerfstudio (default colmap)' },
    split: { type: 'string', description: 'test | train (default test)' },
    batch: { type: 'string', description: 'images per forward pass (default 16)' },
    'meters-per-unit': { type: 'string', description: 'scene units → metres for the 5 cm/2 cm shares (default 1)' },
    prune: { type: 'string', description: 'keep this fraction (0–1] of every encoder layer\'s heads and feed-forward units (structured pruning; default 1)' },
    weights: { type: 'string', description: 'f32 | f16: precision of the inference weights (f16: half their memory, any WebGPU adapter; default f32)' },
    out: { type: 'string', description: 'write per-image errors and the summary as JSON here' },
  } as Command['options'],
  async run(args, out) {
    if (typeof args.checkpoint !== 'string') throw new UsageError('eval needs --checkpoint <file.safetensors> (e.g. .rvs/train/checkpoints/best.safetensors)');
    const bytes = new Uint8Array(await readFile(args.checkpoint).catch(() => {
      throw new UsageError(`cannot read checkpoint "${String(args.checkpoint)}"`);
    }));
    let config;
    try {
      config = checkpointConfig(bytes);
    } catch (e) {
      throw new UsageError(`${String(args.checkpoint)}: ${(e as Error).message}`);
    }
    const split = (args.split ?? 'test') as 'test' | 'train';
    if (split !== 'test' && split !== 'train') throw new UsageError(`--split must be test or train, got "${String(args.split)}"`);
    const batchSize = Number(args.batch ?? 16);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`--batch must be a positive integer, got "${String(args.batch)}"`);
    const keep = Number(args.prune ?? 1);
    if (!(keep > 0 && keep <= 1)) throw new UsageError(`--prune must be a fraction in (0, 1], got "${String(args.prune)}"`);
    const weights = (args.weights ?? 'f32') as InferencePrecision;
    if (weights !== 'f32' && weights !== 'f16') throw new UsageError(`--weights must be f32 or f16, got "${String(args.weights)}"`);
    const metersPerUnit = Number(args['meters-per-unit'] ?? 1);
    if (!(metersPerUnit > 0)) throw new UsageError(`--meters-per-unit must be a positive number, got "${String(args['meters-per-unit'])}"`);
    const data = await resolveTrainData({
      scene: args.scene as string | undefined, views: args.views as string | undefined,
      data: args.data as string | undefined, format: args.format as string | undefined,
    });
    const rasterizer = await createRasterizer();
    const scene = data.sceneBytes ? await rasterizer.loadScene(data.sceneBytes) : undefined;
    const model = await createPoseModel({ device: rasterizer.device, model: config.model as unknown as ModelConfig });
    let run;
    try {
      run = runStateOf(model.load(bytes));
    } catch (e) {
      throw new UsageError(`${String(args.checkpoint)}: ${(e as Error).message}`);
    }
    model.setInferenceWeights(weights);
    const parameters = keep < 1 ? (await model.prune(keep)).parameters : model.parameterCount;
    const weightBytes = model.inferenceWeightBytes();
    out.progress(`evaluating ${args.checkpoint} (epoch ${run.epoch}, ${run.input.width}×${run.input.height}${keep < 1 ? `, pruned to ${keep} of heads and units: ${parameters} parameters` : ''}, ${weights} weights: ${(weightBytes / 2 ** 20).toFixed(1)} MiB) on the ${split} split of ${data.label}`);
    const { summary, errors, frames } = await evaluatePoseRegressor({
      model, rasterizer, scene, dataset: data.dataset, images: data.images, split, input: run.input, normalizer: run.normalizer, batchSize, metersPerUnit,
    });
    if (typeof args.out === 'string') {
      await writeFile(args.out, JSON.stringify({ summary, images: frames.map((f, i) => ({ name: f.name, translation: errors.translation[i], rotationDeg: errors.rotationDeg[i] })) }, null, 2));
    }
    model.destroy();
    rasterizer.destroy();
    out.result({ checkpoint: args.checkpoint, split, prune: keep, parameters, weights, weightBytes, ...summary }, () =>
      `${summary.count} ${split} images${keep < 1 ? ` (pruned to ${keep}, ${(parameters / 1e6).toFixed(2)}M parameters)` : ''}${weights === 'f16' ? ' on f16 weights' : ''}: median ${summary.medianTranslation.toFixed(4)} units, ${summary.medianRotationDeg.toFixed(2)}°; ` +
      `${(100 * summary.within5cm5deg).toFixed(1)} % within 5 cm/5°, ${(100 * summary.within2cm2deg).toFixed(1)} % within 2 cm/2°`);
  },
};
