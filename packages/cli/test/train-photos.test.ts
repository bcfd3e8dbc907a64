// rvs-cli train on real-data formats: a COLMAP text model with PNG photos (rendered here from a
// small scene, then read back as files), with and without RVS.
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { invertPose, lookAt, matToQuat, viewmatsFromPoses } from '@rvs/core';
import { createRasterizer } from '@rvs/raster-wgpu';
import { randomSplats, writePly } from '@rvs/testing';
import { cli } from './run-cli.ts';


let dir: string;
const W = 48;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rvs-photos-'));
  const ply = writePly(randomSplats(300, 1));
  await writeFile(join(dir, 'scene.ply'), ply);
  // 9 cameras: COLMAP's every-8th hold-out (images 0 and 8) makes 7 train and 2 test images.
  const poses = Array.from({ length: 9 }, (_, i) => lookAt([3 * Math.sin(0.25 * i), 0.2, 3 * Math.cos(0.25 * i)], [0, 0, 0], [0, -1, 0]));
  const r = await createRasterizer();
  const scene = await r.loadScene(ply);
  const out = await r.render(scene, { viewmats: viewmatsFromPoses(poses), Ks: new Float32Array(poses.flatMap(() => [40, 0, 24, 0, 40, 24, 0, 0, 1])), width: W, height: W });
  const rgba = await out.readRgba();
  r.destroy();
  await mkdir(join(dir, 'sparse', '0'), { recursive: true });
  await mkdir(join(dir, 'images'), { recursive: true });
  const lines: string[] = [];
  for (const [i, pose] of poses.entries()) {
    const px = new Uint8Array(W * W * 4);
    for (let k = 0; k < px.length; k++) px[k] = k % 4 === 3 ? 255 : Math.round(Math.min(1, Math.max(0, rgba[i * W * W * 4 + k]!)) * 255);
    const name = `img_${i}.png`;
    await writeFile(join(dir, 'images', name), encode({ width: W, height: W, data: px, channels: 4 }));
    const w2c = invertPose(pose); // COLMAP stores world→camera
    const q = matToQuat(w2c.R);
    lines.push(`${i + 1} ${q[0]} ${q[1]} ${q[2]} ${q[3]} ${w2c.t[0]} ${w2c.t[1]} ${w2c.t[2]} 1 ${name}`, '');
  }
  await writeFile(join(dir, 'sparse', '0', 'cameras.txt'), `1 PINHOLE ${W} ${W} 40 40 24 24\n`);
  await writeFile(join(dir, 'sparse', '0', 'images.txt'), `${lines.join('\n')}\n`);
}, 120_000);

describe('rvs-cli train on photos', () => {
  it('trains on a COLMAP dataset with RVS from its scene, and without a scene on photos alone', async () => {
    const common = ['--data', join(dir, 'sparse', '0'), '--format', 'colmap', '--preset', 'edge', '--input', '32x32', '--batch', '4', '--epochs', '1', '--json'];
    const withRvs = await cli('train', ...common, '--scene', join(dir, 'scene.ply'), '--rvs-every', '1', '--out', join(dir, 'run-rvs'));
    expect(withRvs.code, withRvs.stderr).toBe(0);
    const a = JSON.parse(withRvs.stdout) as { epochs: number; final: { count: number; medianTranslation: number } };
    expect(a.final.count).toBe(2);
    expect(Number.isFinite(a.final.medianTranslation)).toBe(true);
    const photosOnly = await cli('train', ...common, '--out', join(dir, 'run-photos'));
    expect(photosOnly.code, photosOnly.stderr).toBe(0);
    const history = JSON.parse(await readFile(join(dir, 'run-photos', 'history.json'), 'utf8')) as { steps: { source: string }[]; refreshes: unknown[] };
    expect(history.refreshes).toHaveLength(0); // no scene, so no RVS
    expect(history.steps.map((s) => s.source)).toEqual(['real', 'real']); // 7 photos in batches of 4
    const missing = await cli('train', '--data', join(dir, 'nowhere'), '--format', 'colmap');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot load colmap dataset/);
  }, 400_000);
});
