// Shared bench plumbing: flags, the views file, result output.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';

export interface ViewsFile {
  width: number;
  height: number;
  views: { K: number[][]; viewmat: number[][] }[];
}

export function benchArgs(extra: Record<string, { type: 'string' | 'boolean'; default?: string }> = {}) {
  const { values } = parseArgs({
    options: {
      scene: { type: 'string' },
      views: { type: 'string' },
      tile: { type: 'string', default: '1' },
      size: { type: 'string' },
      repeat: { type: 'string', default: '5' },
      out: { type: 'string' },
      ...extra,
    },
  });
  if (!values.scene || !values.views) throw new Error('usage: --scene <ply> --views <views.json> [--tile N] [--size WxH] [--repeat R] [--out result.json]');
  return values as Record<string, string | undefined> & { scene: string; views: string; tile: string; repeat: string };
}

export async function loadViews(path: string, size?: string): Promise<{ viewmats: Float32Array; Ks: Float32Array; width: number; height: number }> {
  const v = JSON.parse(await readFile(path, 'utf8')) as ViewsFile;
  let [width, height] = [v.width, v.height];
  if (size) [width, height] = size.split('x').map(Number) as [number, number];
  const sx = width / v.width;
  const sy = height / v.height;
  const viewmats = new Float32Array(v.views.flatMap((x) => x.viewmat.flat()));
  // Scaling the image scales the intrinsics' first two rows.
  const Ks = new Float32Array(v.views.flatMap((x) => [x.K[0]![0]! * sx, 0, x.K[0]![2]! * sx, 0, x.K[1]![1]! * sy, x.K[1]![2]! * sy, 0, 0, 1]));
  return { viewmats, Ks, width, height };
}

export async function writeResult(path: string | undefined, result: object): Promise<void> {
  if (!path) return;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
