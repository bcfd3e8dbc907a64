import { readFile } from 'node:fs/promises';
import { UsageError } from './command.ts';

/** Reads a views.json ({width, height, views: [{K 3×3, viewmat 4×4}]}) into render inputs. */
export async function loadViewsFile(path: string, size?: string) {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new UsageError(`cannot read views file "${path}"`);
  });
  const v = JSON.parse(text) as { width: number; height: number; views: { K: number[][]; viewmat: number[][] }[] };
  if (!Array.isArray(v.views) || v.views.length === 0) throw new UsageError(`"${path}" has no "views" list`);
  let [width, height] = [v.width, v.height];
  if (size) {
    const m = /^(\d+)x(\d+)$/.exec(size);
    if (!m) throw new UsageError(`--size must look like 648x420, got "${size}"`);
    [width, height] = [Number(m[1]), Number(m[2])];
  }
  const sx = width / v.width;
  const sy = height / v.height;
  return {
    width,
    height,
    viewmats: new Float32Array(v.views.flatMap((x) => x.viewmat.flat())),
    Ks: new Float32Array(v.views.flatMap((x) => [x.K[0]![0]! * sx, 0, x.K[0]![2]! * sx, 0, x.K[1]![1]! * sy, x.K[1]![2]! * sy, 0, 0, 1])),
  };
}
