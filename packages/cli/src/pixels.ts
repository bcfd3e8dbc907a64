// Rendered RGBA floats → 8-bit images (PNG files, the report): RGB clamped to [0, 1] and
// rounded, alpha opaque (renders are composited over their background).

/** View `index` of a [C, H, W, 4] float batch as RGBA8. */
export function viewToRgba8(rgba: Float32Array, width: number, height: number, index: number): Uint8Array {
  const n = width * height * 4;
  const src = rgba.subarray(index * n, (index + 1) * n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = i % 4 === 3 ? 255 : Math.round(Math.min(1, Math.max(0, src[i] as number)) * 255);
  return out;
}
