// The benchmark views file (../shared/scenes/garden/views.json layout): render inputs for a
// fixed set of cameras. `{width, height, views: [{K: 3×3, viewmat: 4×4 world→camera}]}`.

export interface ViewsInput {
  width: number;
  height: number;
  /** C·16 row-major world→camera matrices. */
  viewmats: Float32Array;
  /** C·9 row-major intrinsics, scaled to `width`×`height`. */
  Ks: Float32Array;
}

/**
 * Parses a views file; `size` ("WxH") renders at another resolution, which scales the
 * intrinsics' first two rows. Errors name `source` and what is wrong.
 */
export function parseViewsJson(text: string, source: string, size?: string): ViewsInput {
  let v: { width: number; height: number; views: { K: number[][]; viewmat: number[][] }[] };
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`"${source}" is not JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(v.views) || v.views.length === 0) throw new Error(`"${source}" has no "views" list`);
  let [width, height] = [v.width, v.height];
  if (size) {
    const m = /^(\d+)x(\d+)$/.exec(size);
    if (!m) throw new Error(`size must look like 648x420, got "${size}"`);
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
