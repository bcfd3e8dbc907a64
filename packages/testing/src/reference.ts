// The CPU reference renderer (crates/rvs-splat, native binary built by scripts/setup.sh),
// run on temp files: the oracle the GPU rasterizer is checked against.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CameraSet } from './scenes.ts';

const run = promisify(execFile);
const BINARY = process.env.RVS_REFERENCE_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/rvs/target'), 'release/rvs-reference');

export interface ReferenceSettings {
  width: number;
  height: number;
  shDegree?: number;
  background?: [number, number, number];
  mode?: 'classic' | 'antialiased';
}

export interface ReferenceImages {
  /** [C, H, W, 4] like the rasterizer's readRgba. */
  rgba: Float32Array;
  depth: Float32Array;
}

export async function referenceRender(scene: Uint8Array, cams: CameraSet, s: ReferenceSettings): Promise<ReferenceImages> {
  const dir = await mkdtemp(join(tmpdir(), 'rvs-ref-'));
  try {
    const c = cams.Ks.length / 9;
    const chunk = (a: Float32Array, n: number) => Array.from({ length: c }, (_, i) => Array.from(a.subarray(i * n, i * n + n)));
    await writeFile(join(dir, 'scene.ply'), scene);
    await writeFile(join(dir, 'cams.json'), JSON.stringify({ viewmats: chunk(cams.viewmats, 16), Ks: chunk(cams.Ks, 9) }));
    const args = ['--scene', join(dir, 'scene.ply'), '--cameras', join(dir, 'cams.json'), '--width', `${s.width}`, '--height', `${s.height}`, '--out', join(dir, 'out.bin')];
    if (s.shDegree !== undefined) args.push('--sh-degree', `${s.shDegree}`);
    if (s.background) args.push('--background', s.background.join(','));
    if (s.mode) args.push('--mode', s.mode);
    await run(BINARY, args).catch((e: unknown) => {
      throw new Error(`the CPU reference renderer failed (${BINARY}; run scripts/setup.sh to build it): ${String(e)}`);
    });
    const raw = await readFile(join(dir, 'out.bin'));
    const all = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    const px = s.width * s.height;
    const rgba = new Float32Array(c * px * 4);
    const depth = new Float32Array(c * px);
    for (let cam = 0; cam < c; cam++) {
      const base = cam * px * 5;
      for (let p = 0; p < px; p++) {
        for (let ch = 0; ch < 3; ch++) rgba[(cam * px + p) * 4 + ch] = all[base + p * 3 + ch]!;
        rgba[(cam * px + p) * 4 + 3] = all[base + px * 3 + p]!;
        depth[cam * px + p] = all[base + px * 4 + p]!;
      }
    }
    return { rgba, depth };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** PSNR in dB of `got` against `want` (peak 1); Infinity when identical. */
export function psnr(got: Float32Array, want: Float32Array): number {
  if (got.length !== want.length) throw new Error(`psnr: lengths differ (${got.length} vs ${want.length})`);
  let se = 0;
  for (let i = 0; i < got.length; i++) se += (got[i]! - want[i]!) ** 2;
  return se === 0 ? Infinity : -10 * Math.log10(se / got.length);
}
