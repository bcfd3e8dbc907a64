// rvs-cli train end to end on a tiny scene, and crash safety: training killed with SIGKILL at
// random moments always leaves a newest checkpoint that loads, and --resume continues from it.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lookAt, viewmatFromPose } from '@rvs/core';
import { createPoseModel } from '@rvs/model';
import { createRasterizer } from '@rvs/raster-wgpu';
import { randomSplats, writePly } from '@rvs/testing';
import { bin, cli } from './run-cli.ts';


let dir: string;
let common: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rvs-train-'));
  await writeFile(join(dir, 'scene.ply'), writePly(randomSplats(300, 1)));
  // 6 cameras on an arc: every 8th is a test view, so 5 train (one step per epoch) and 1 test.
  const views = Array.from({ length: 6 }, (_, i) => {
    const a = 0.3 * i;
    const viewmat = viewmatFromPose(lookAt([3 * Math.sin(a), 0.2, 3 * Math.cos(a)], [0, 0, 0], [0, -1, 0]));
    return { K: [[40, 0, 24], [0, 40, 24], [0, 0, 1]], viewmat: [0, 1, 2, 3].map((r) => Array.from(viewmat.slice(r * 4, r * 4 + 4))) };
  });
  await writeFile(join(dir, 'views.json'), JSON.stringify({ width: 48, height: 48, views }));
  common = ['--scene', join(dir, 'scene.ply'), '--views', join(dir, 'views.json'), '--preset', 'edge', '--input', '32x32', '--batch', '5', '--lr', '1e-3'];
});

async function epochFiles(out: string): Promise<string[]> {
  return (await readdir(join(out, 'checkpoints')).catch(() => [] as string[])).filter((n) => /^epoch-\d{5}\.safetensors$/.test(n)).sort();
}

describe('rvs-cli train', () => {
  it('trains, evaluates, checkpoints and writes the report', async () => {
    const out = join(dir, 'run');
    const { code, stdout, stderr } = await cli('train', ...common, '--epochs', '2', '--rvs-every', '1', '--out', out, '--json');
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as { epochs: number; final: { count: number; medianTranslation: number } };
    expect(result.epochs).toBe(2);
    expect(result.final.count).toBe(1);
    expect(Number.isFinite(result.final.medianTranslation)).toBe(true);
    expect(await epochFiles(out)).toEqual(['epoch-00001.safetensors', 'epoch-00002.safetensors']);
    const history = JSON.parse(await readFile(join(out, 'history.json'), 'utf8')) as { steps: unknown[]; refreshes: unknown[]; evals: unknown[] };
    expect(history.steps).toHaveLength(2);
    expect(history.refreshes).toHaveLength(2);
    expect(history.evals).toHaveLength(2);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('data:image/png;base64,');
    // eval on the best checkpoint reproduces the run's last evaluation (same folded inference path).
    const evaluated = await cli('eval', '--checkpoint', join(out, 'checkpoints', 'best.safetensors'), '--scene', join(dir, 'scene.ply'), '--views', join(dir, 'views.json'), '--json');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const summary = JSON.parse(evaluated.stdout) as { count: number; medianTranslation: number };
    expect(summary.count).toBe(1);
    const best = (JSON.parse(stdout) as { best: { medianTranslation: number } }).best;
    expect(summary.medianTranslation).toBeCloseTo(best.medianTranslation, 4);
    // The same on f16 inference weights: half the weight memory, nearly the same error.
    const halved = await cli('eval', '--checkpoint', join(out, 'checkpoints', 'best.safetensors'), '--scene', join(dir, 'scene.ply'), '--views', join(dir, 'views.json'), '--weights', 'f16', '--json');
    expect(halved.code, halved.stderr).toBe(0);
    const f16 = JSON.parse(halved.stdout) as { medianTranslation: number; weights: string; weightBytes: number };
    const f32Bytes = (JSON.parse(evaluated.stdout) as { weightBytes: number }).weightBytes;
    expect(f16.weights).toBe('f16');
    expect(f16.weightBytes).toBeLessThan(0.65 * f32Bytes);
    expect(Math.abs(f16.medianTranslation - summary.medianTranslation)).toBeLessThan(0.02 * summary.medianTranslation + 1e-3);
    const badWeights = await cli('eval', '--checkpoint', join(out, 'checkpoints', 'best.safetensors'), '--weights', 'f8');
    expect(badWeights.code).toBe(2);
    expect(badWeights.stderr).toMatch(/--weights must be f32 or f16/);
    const broken = await cli('eval', '--checkpoint', join(out, 'history.json'));
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/not a safetensors file/);
  }, 300_000);

  it('bad arguments are usage errors naming the fix', async () => {
    const r1 = await cli('train', '--views', join(dir, 'views.json'));
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/--views needs --scene/);
    const r2 = await cli('train', ...common, '--batch', '0');
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/--batch must be a positive integer/);
    const r3 = await cli('train', '--scene', join(dir, 'missing.ply'), '--views', join(dir, 'views.json'));
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/cannot read scene/);
  }, 120_000);

  it('SIGKILL at random moments never loses the newest checkpoint; --resume continues', async () => {
    const out = join(dir, 'crash');
    const r = await createRasterizer();
    const model = await createPoseModel({ device: r.device, preset: 'edge' });
    let lastEpoch = 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      const child = spawn('node', ['--import', 'tsx', bin, 'train', ...common, '--no-rvs', '--epochs', '200', '--out', out, ...(attempt ? ['--resume'] : [])], { stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // Wait for a checkpoint newer than what the previous run left, then kill at a random moment
      // (often mid-step, sometimes mid-write).
      const deadline = Date.now() + 240_000;
      while ((await epochFiles(out)).at(-1) === (lastEpoch ? `epoch-${String(lastEpoch).padStart(5, '0')}.safetensors` : undefined)) {
        if (Date.now() > deadline) throw new Error('no new checkpoint within 240 s');
        await new Promise((res) => setTimeout(res, 200));
      }
      await new Promise((res) => setTimeout(res, Math.random() * 4000));
      child.kill('SIGKILL');
      await exited;
      const files = await epochFiles(out);
      const newest = files.at(-1)!;
      const epoch = Number(/(\d{5})/.exec(newest)![1]);
      expect(epoch).toBeGreaterThan(lastEpoch);
      const bytes = new Uint8Array(await readFile(join(out, 'checkpoints', newest)));
      const metadata = model.load(bytes);
      expect((JSON.parse(metadata.rvsLoop!) as { epoch: number }).epoch).toBe(epoch);
      expect((await stat(join(out, 'checkpoints', newest))).size).toBe(bytes.length);
      lastEpoch = epoch;
    }
    const resumed = await cli('train', ...common, '--no-rvs', '--epochs', String(lastEpoch + 1), '--out', out, '--resume');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resumed after epoch ${lastEpoch}`);
    expect((await epochFiles(out)).at(-1)).toBe(`epoch-${String(lastEpoch + 1).padStart(5, '0')}.safetensors`);
    model.destroy();
    r.destroy();
  }, 600_000);
});
