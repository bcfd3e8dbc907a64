// PyTorch's F.interpolate(mode='bilinear', align_corners=False, antialias=False) followed by
// (x - mean) / std, on the CPU in f32 coordinates like PyTorch's CPU kernel: the check for
// the GPU batch, used by packages/raster-wgpu/test/batch.test.ts and bench/rvs.ts.
const f = Math.fround;

function taps(d: number, inSize: number, scale: number) {
  const real = Math.max(f(f(scale * f(d + 0.5)) - 0.5), 0);
  const i0 = Math.min(Math.floor(real), inSize - 1);
  const w1 = Math.min(Math.max(f(real - i0), 0), 1);
  return { i0, i1: i0 < inSize - 1 ? i0 + 1 : i0, w0: f(1 - w1), w1 };
}

/** rgba [N, inH, inW, 4] → NCHW [N, 3, outH, outW]. */
export function resizeNormalizeReference(
  rgba: Float32Array, inW: number, inH: number, outW: number, outH: number,
  mean: readonly number[] = [0.485, 0.456, 0.406], std: readonly number[] = [0.229, 0.224, 0.225],
): Float32Array {
  const count = rgba.length / (inW * inH * 4);
  const tx = Array.from({ length: outW }, (_, x) => taps(x, inW, f(inW / outW)));
  const ty = Array.from({ length: outH }, (_, y) => taps(y, inH, f(inH / outH)));
  const out = new Float32Array(count * 3 * outH * outW);
  let o = 0;
  for (let n = 0; n < count; n++) {
    for (let c = 0; c < 3; c++) {
      const p = (x: number, y: number) => rgba[((n * inH + y) * inW + x) * 4 + c]!;
      for (const a of ty) {
        for (const b of tx) {
          const top = p(b.i0, a.i0) * b.w0 + p(b.i1, a.i0) * b.w1;
          const bottom = p(b.i0, a.i1) * b.w0 + p(b.i1, a.i1) * b.w1;
          out[o++] = (top * a.w0 + bottom * a.w1 - mean[c]!) / std[c]!;
        }
      }
    }
  }
  return out;
}
