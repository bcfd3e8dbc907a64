import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookAt, psnr, randomSplats, referenceRender, ringCameras, writePly, type SplatSpec } from '@rvs/testing';
import { createRasterizer, type Rasterizer, type RenderOptions, type Scene } from '../src/index.ts';

const W = 64;
const H = 48;

describe('batched rasterizer vs the CPU reference (Node, Dawn)', () => {
  let r: Rasterizer;
  let bytes: Uint8Array;
  let scene: Scene;
  const cams = ringCameras(3, W, H);

  beforeAll(async () => {
    r = await createRasterizer();
    bytes = writePly(randomSplats(1500, 3, 11));
    scene = await r.loadScene(bytes);
  });
  afterAll(() => r?.destroy());

  async function renderBoth(extra: Partial<RenderOptions>) {
    const out = await r.render(scene, { ...cams, width: W, height: H, ...extra });
    const [rgba, depth] = [await out.readRgba(), await out.readDepth()];
    out.destroy();
    const ref = await referenceRender(bytes, cams, {
      width: W,
      height: H,
      ...(extra.shDegree !== undefined ? { shDegree: extra.shDegree } : {}),
      ...(extra.background ? { background: [...extra.background] as [number, number, number] } : {}),
      ...(extra.mode ? { mode: extra.mode } : {}),
    });
    return { rgba, depth, ref };
  }

  it('loads the scene it was given', () => {
    expect(scene.numSplats).toBe(1500);
    expect(scene.shDegree).toBe(3);
    expect(scene.contentHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each([
    ['classic, SH 3', {}],
    ['classic, SH 0, grey background', { shDegree: 0, background: [0.2, 0.5, 0.8] as const }],
    ['antialiased, SH 1', { mode: 'antialiased' as const, shDegree: 1 }],
  ])('matches the CPU reference: %s', async (_name, extra) => {
    const { rgba, depth, ref } = await renderBoth(extra);
    expect(psnr(rgba, ref.rgba)).toBeGreaterThanOrEqual(45);
    const covered = rgba.filter((_, i) => i % 4 === 3 && rgba[i]! > 0.5).length;
    expect(covered).toBeGreaterThan(W * H * 0.2); // the views are not blank
    expect(psnr(depth.map((d) => d / 10), ref.depth.map((d) => d / 10))).toBeGreaterThanOrEqual(45);
  });

  it('renders a batch exactly as it renders each camera alone', async () => {
    const batch = await r.render(scene, { ...cams, width: W, height: H });
    const all = await batch.readRgba();
    batch.destroy();
    for (let c = 0; c < 3; c++) {
      const one = await r.render(scene, { viewmats: cams.viewmats.slice(c * 16, c * 16 + 16), Ks: cams.Ks.slice(c * 9, c * 9 + 9), width: W, height: H });
      const alone = await one.readRgba();
      one.destroy();
      expect(psnr(all.subarray(c * W * H * 4, (c + 1) * W * H * 4), alone)).toBe(Infinity);
    }
  });
});

describe('analytic cases', () => {
  let r: Rasterizer;
  beforeAll(async () => {
    r = await createRasterizer();
  });
  afterAll(() => r?.destroy());

  const splat = (mean: [number, number, number], rgb: number[], logit = 6, scale = 0.05): SplatSpec => ({
    mean,
    sh: [rgb.map((c) => (c - 0.5) / 0.28209479177387814)],
    opacityLogit: logit,
    logScale: [Math.log(scale), Math.log(scale), Math.log(scale)],
    quat: [1, 0, 0, 0],
  });
  const identity = new Float32Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  const K = new Float32Array([50, 0, 32, 0, 50, 24, 0, 0, 1]);

  async function render(splats: SplatSpec[], viewmats = identity) {
    const scene = await r.loadScene(writePly(splats));
    const out = await r.render(scene, { viewmats, Ks: K, width: W, height: H });
    const [rgba, depth] = [await out.readRgba(), await out.readDepth()];
    out.destroy();
    scene.destroy();
    return { rgba, depth };
  }
  const at = (img: Float32Array, x: number, y: number, ch: number) => img[(y * W + x) * 4 + ch]!;

  it('puts a Gaussian where the pinhole model says', async () => {
    // (0.36, -0.2, 4) → u = 50·0.36/4 + 32 = 36.5, v = 50·(−0.2)/4 + 24 = 21.5: the centre of pixel (36, 21).
    const { rgba } = await render([splat([0.36, -0.2, 4], [1, 1, 1], 6, 0.04)]);
    let best = { x: -1, y: -1, a: -1 };
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (at(rgba, x, y, 3) > best.a) best = { x, y, a: at(rgba, x, y, 3) };
    expect([best.x, best.y]).toEqual([36, 21]);
    // The peak's alpha is the opacity itself: sigmoid(6), below the 0.999 clamp.
    expect(best.a).toBeCloseTo(1 / (1 + Math.exp(-6)), 4);
  });

  it('blends front to back: the nearer Gaussian wins, depth is the near one', async () => {
    const { rgba, depth } = await render([splat([0, 0, 6], [0, 0, 1], 8, 0.5), splat([0, 0, 3], [1, 0, 0], 8, 0.3)]);
    expect(at(rgba, 32, 24, 0)).toBeGreaterThan(0.95);
    expect(at(rgba, 32, 24, 2)).toBeLessThan(0.05);
    expect(depth[24 * W + 32]).toBeCloseTo(3, 1);
  });

  it('ignores Gaussians behind the camera; an empty view is the background with alpha 0', async () => {
    const { rgba } = await render([splat([0, 0, -3], [1, 1, 1], 8, 0.5)]);
    expect(Math.max(...rgba)).toBe(0);
    const scene = await r.loadScene(writePly([splat([0, 0, -3], [1, 1, 1])]));
    const out = await r.render(scene, { viewmats: identity, Ks: K, width: W, height: H, background: [0.25, 0.5, 1] });
    const px = await out.readRgba();
    expect(Array.from(px.subarray(0, 4))).toEqual([0.25, 0.5, 1, 0]);
    out.destroy();
  });

  it('names the problem in bad input', async () => {
    const scene = await r.loadScene(writePly([splat([0, 0, 3], [1, 1, 1])]));
    const bad = (o: Partial<RenderOptions>) => r.render(scene, { viewmats: identity, Ks: K, width: W, height: H, ...o });
    await expect(bad({ Ks: new Float32Array(8) })).rejects.toThrow(/Ks has 8 numbers/);
    await expect(bad({ viewmats: new Float32Array(identity).fill(Number.NaN, 5, 6) })).rejects.toThrow(/camera 0: non-finite/);
    await expect(bad({ viewmats: new Float32Array([2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]) })).rejects.toThrow(/not orthonormal/);
    await expect(bad({ width: 0 })).rejects.toThrow(/width must be a positive integer/);
    await expect(bad({ shDegree: 2 })).rejects.toThrow(/higher than the scene's SH degree 0/);
    await expect(r.loadScene(new TextEncoder().encode('ply\nformat ascii 1.0\nend_header\n'))).rejects.toThrow(/vertex|property/i);
    await expect(r.loadScene(new Uint8Array(33))).rejects.toThrow(/32/);
  });
});

it('camera helper sanity: lookAt maps the target onto the optical axis', () => {
  const m = lookAt([1, -2, 3], [0, 0, 0]);
  const z = m[8]! * 0 + m[9]! * 0 + m[10]! * 0 + m[11]!;
  expect(z).toBeCloseTo(Math.hypot(1, 2, 3), 5);
});
