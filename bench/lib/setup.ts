// What every GPU bench does first: Dawn with exact timestamps (plus RVS_DAWN_FLAGS), a
// rasterizer, and the scene from --scene repeated --tile × --tile times.
import { readFile } from 'node:fs/promises';
import { createRasterizer, type Rasterizer, type Scene } from '@rvs/raster-wgpu';
import { envDawnFlags, installNodeWebGpu } from '@rvs/raster-wgpu/node';
import { tilePly } from './ply-tile.ts';

export const BENCH_DAWN_FLAGS = ['disable-dawn-features=timestamp_quantization', ...envDawnFlags()];

export interface BenchGpu {
  r: Rasterizer;
  scene: Scene;
  /** The adapter, for the result JSON and the summary line. */
  device: string;
}

export async function openBenchScene(scenePath: string, tile: string): Promise<BenchGpu> {
  await installNodeWebGpu({ dawnFlags: BENCH_DAWN_FLAGS });
  const r = await createRasterizer();
  const info = r.device.adapterInfo;
  const scene = await r.loadScene(tilePly(new Uint8Array(await readFile(scenePath)), Number(tile)));
  return { r, scene, device: `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.trim() };
}
