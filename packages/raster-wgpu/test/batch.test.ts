import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomSplats, resizeNormalizeReference, ringCameras, rng, writePly } from '@rvs/testing';
import { createRasterizer, type ImageBatch, type Rasterizer, type RenderResult, type Scene } from '../src/index.ts';

type Rgb = readonly [number, number, number];
const IMAGENET = { mean: [0.485, 0.456, 0.406] as Rgb, std: [0.229, 0.224, 0.225] as Rgb };
const IDENTITY = { mean: [0, 0, 0] as Rgb, std: [1, 1, 1] as Rgb };
/** F.interpolate(rgb, (outH, outW), mode='bilinear', align_corners=False), then (x - mean) / std; NCHW. */
const torchReference = (rgba: Float32Array, inW: number, inH: number, outW: number, outH: number, norm = IMAGENET) =>
  resizeNormalizeReference(rgba, inW, inH, outW, outH, norm.mean, norm.std);

const toFloat = (rgba8: Uint8Array) => Float32Array.from(rgba8, (b) => b / 255);

function randomRgba8(count: number, w: number, h: number, seed: number): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from({ length: count * w * h * 4 }, () => Math.floor(r() * 256));
}

function maxAbsDiff(got: Float32Array, want: Float32Array): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  return worst;
}

describe('GPU resize + normalise into an NCHW batch (Node, Dawn)', () => {
  let r: Rasterizer;
  let scene: Scene;
  const RW = 64;
  const RH = 48;
  const batches: ImageBatch[] = [];
  const batch = (o: Parameters<Rasterizer['createBatch']>[0]) => {
    const b = r.createBatch(o);
    batches.push(b);
    return b;
  };

  beforeAll(async () => {
    r = await createRasterizer();
    scene = await r.loadScene(writePly(randomSplats(800, 1, 5)));
  });
  afterAll(() => {
    for (const b of batches) b.destroy();
    r?.destroy();
  });

  async function renderViews(count: number): Promise<{ out: RenderResult; rgba: Float32Array }> {
    const out = await r.render(scene, { ...ringCameras(count, RW, RH), width: RW, height: RH, background: [0.1, 0.3, 0.6] });
    return { out, rgba: await out.readRgba() };
  }

  it('matches hand-computed values: 4×4 → 2×2 averages 2×2 blocks, channels as planes', async () => {
    // R = 4y + x, G = 100, B = 255 − R. Scale 2: each output samples source 0.5 or 2.5, the
    // middle of a 2×2 block, so R → (0+1+4+5)/4 = 2.5, 4.5, 10.5, 12.5 (then /255).
    const px = Uint8Array.from({ length: 64 }, (_, i) => [i >> 2, 100, 255 - (i >> 2), 7][i & 3]!);
    const b = batch({ size: 1, width: 2, height: 2, ...IDENTITY });
    b.writeImages(px, 4, 4, 0);
    const got = await b.readNchw();
    const want = [2.5, 4.5, 10.5, 12.5, 100, 100, 100, 100, 252.5, 250.5, 244.5, 242.5].map((v) => v / 255);
    expect(maxAbsDiff(got, new Float32Array(want))).toBeLessThan(1e-6);
  });

  it.each([
    ['non-integer downscale 7×5 → 3×4', 7, 5, 3, 4],
    ['upscale 3×2 → 8×5 (negative source coordinates clamp)', 3, 2, 8, 5],
    ['one pixel wide 1×6 → 4×3', 1, 6, 4, 3],
    ['same size 6×4 → 6×4', 6, 4, 6, 4],
    ['to one pixel 5×5 → 1×1', 5, 5, 1, 1],
  ])('RGBA8 images match PyTorch bilinear + ImageNet normalisation: %s', async (_name, inW, inH, outW, outH) => {
    const px = randomRgba8(3, inW, inH, inW * 31 + outW);
    const b = batch({ size: 3, width: outW, height: outH });
    b.writeImages(px, inW, inH, 0);
    const got = await b.readNchw();
    expect(maxAbsDiff(got, torchReference(toFloat(px), inW, inH, outW, outH))).toBeLessThan(1e-5);
  });

  it('writes renders straight from the GPU (down- and upscaled), matching the reference on their pixels', async () => {
    const { out, rgba } = await renderViews(3);
    for (const [w, h] of [[27, 15], [100, 70]] as const) {
      const b = batch({ size: 3, width: w, height: h });
      b.writeRenders(out);
      expect(maxAbsDiff(await b.readNchw(), torchReference(rgba, RW, RH, w, h))).toBeLessThan(1e-5);
    }
    out.destroy();
  });

  it('mixes photos and renders in one batch at the offsets given, leaving other slots alone', async () => {
    const [W, H] = [20, 12];
    const { out, rgba } = await renderViews(2);
    const photos = randomRgba8(2, 9, 7, 99);
    const b = batch({ size: 5, width: W, height: H, mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3] });
    const norm = { mean: [0.5, 0.4, 0.3] as Rgb, std: [0.2, 0.25, 0.3] as Rgb };
    const img = 3 * W * H;
    // Slot 4 first gets a photo, then renders overwrite 3..4; photos go to 0..1; slot 2 is
    // written last from a single photo.
    b.writeImages(photos.subarray(0, 9 * 7 * 4), 9, 7, 4);
    b.writeRenders(out, 3);
    b.writeImages(photos, 9, 7, 0);
    b.writeImages(photos.subarray(9 * 7 * 4), 9, 7, 2);
    const got = await b.readNchw();
    expect(got.length).toBe(5 * img);
    expect(b.byteLength).toBe(5 * img * 4);
    const photoRef = torchReference(toFloat(photos), 9, 7, W, H, norm);
    const renderRef = torchReference(rgba, RW, RH, W, H, norm);
    expect(maxAbsDiff(got.subarray(0, 2 * img), photoRef)).toBeLessThan(1e-5);
    expect(maxAbsDiff(got.subarray(2 * img, 3 * img), photoRef.subarray(img))).toBeLessThan(1e-5);
    expect(maxAbsDiff(got.subarray(3 * img), renderRef)).toBeLessThan(1e-5);
    out.destroy();
  });

  it('lays the batch out NCHW: image, then R, G, B planes, rows top-down', async () => {
    // Two 1×2 images (top pixel, bottom pixel) → 1×2: a copy, so every value is visible.
    const px = Uint8Array.from([10, 20, 30, 0, 40, 50, 60, 0, 70, 80, 90, 0, 100, 110, 120, 0]);
    const b = batch({ size: 2, width: 1, height: 2, ...IDENTITY });
    b.writeImages(px, 1, 2, 0);
    const want = [10, 40, 20, 50, 30, 60, 70, 100, 80, 110, 90, 120].map((v) => v / 255);
    expect(maxAbsDiff(await b.readNchw(), new Float32Array(want))).toBeLessThan(1e-6);
    expect(b.buffer.size).toBeGreaterThanOrEqual(b.byteLength);
    expect(b.buffer.usage & GPUBufferUsage.STORAGE).toBeTruthy();
  });

  it('writes f16 batches where the device has shader-f16, and says so where it does not', async () => {
    const px = randomRgba8(2, 9, 7, 3);
    if (!r.device.features.has('shader-f16')) {
      expect(() => r.createBatch({ size: 2, width: 5, height: 4, dtype: 'f16' })).toThrow(/shader-f16/);
      return;
    }
    const b = batch({ size: 2, width: 5, height: 4, dtype: 'f16' });
    expect(b.byteLength).toBe(2 * 3 * 5 * 4 * 2);
    b.writeImages(px, 9, 7, 0);
    // Values are at most ~2.7 in magnitude: f16 keeps them to 2^-11 relative.
    expect(maxAbsDiff(await b.readNchw(), torchReference(toFloat(px), 9, 7, 5, 4))).toBeLessThan(2e-3);
  });

  it('names the problem in bad input', async () => {
    const b = batch({ size: 2, width: 8, height: 6 });
    const px = randomRgba8(1, 4, 4, 1);
    expect(() => b.writeImages(px, 4, 4, 2)).toThrow(/1 image\(s\) written from index 2 would end at 3, past the batch of 2; firstIndex must be <= 1/);
    expect(() => b.writeImages(px.subarray(4), 4, 4, 0)).toThrow(/rgba8 has 60 bytes, which is not a whole number of 4×4 RGBA8 images \(64 bytes each\)/);
    expect(() => b.writeImages(px, 4, 4, -1)).toThrow(/first must be an integer >= 0, got -1/);
    expect(() => b.writeImages(px, 0, 4, 0)).toThrow(/width must be an integer >= 1, got 0/);
    expect(() => b.writeImages([1, 2, 3] as unknown as Uint8Array, 1, 1, 0)).toThrow(/rgba8 must be a Uint8Array/);
    expect(() => b.writeRenders({} as RenderResult, 0)).toThrow(/not made by a rasterizer/);
    const { out } = await renderViews(3);
    expect(() => b.writeRenders(out, 0)).toThrow(/3 images do not fit a batch of 2/);
    out.destroy();
    expect(() => b.writeRenders(out, 0)).toThrow(/this render was destroyed/);
    expect(() => r.createBatch({ size: 0, width: 8, height: 6 })).toThrow(/size must be an integer >= 1, got 0/);
    expect(() => r.createBatch({ size: 1, width: 20000, height: 6 })).toThrow(/batch width must be 1..=16384, got 20000/);
    expect(() => r.createBatch({ size: 1, width: 8, height: 6, std: [0.2, 0, 0.2] })).toThrow(/std must be finite and non-zero, got 0/);
    expect(() => r.createBatch({ size: 1, width: 8, height: 6, mean: [0.5, 0.5] as unknown as Rgb })).toThrow(/mean must be 3 finite numbers/);
    expect(() => r.createBatch({ size: 1, width: 8, height: 6, dtype: 'f64' as 'f32' })).toThrow(/dtype must be 'f32' or 'f16'/);
    const gone = r.createBatch({ size: 1, width: 8, height: 6 });
    gone.destroy();
    expect(() => gone.writeImages(px, 4, 4, 0)).toThrow(/writeImages: this batch was destroyed/);
    await expect(gone.readNchw()).rejects.toThrow(/this batch was destroyed/);
  });
});
