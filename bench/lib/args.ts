// Shared bench plumbing: flags, the views file, result output.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { parseViewsJson, type ViewsInput } from '@rvs/core';

export { median } from '@rvs/model';

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

/** The views file as render inputs (see `parseViewsJson` in @rvs/core). */
export async function loadViews(path: string, size?: string): Promise<ViewsInput> {
  return parseViewsJson(await readFile(path, 'utf8'), path, size);
}

export async function writeResult(path: string | undefined, result: object): Promise<void> {
  if (!path) return;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
}
