import { describe, expect, it } from 'vitest';
import { coverageCheck, coverageFraction, makeRenderValidity, makePose, sharpnessScore, type RgbaImage } from '../src/pose/index.ts';

function grey(width: number, height: number, values: number[], alpha = 1): RgbaImage {
  const data = new Float32Array(width * height * 4);
  values.forEach((v, i) => data.set([v, v, v, alpha], 4 * i));
  return { data, width, height };
}

describe('coverage', () => {
  it('counts pixels whose alpha exceeds the threshold', () => {
    const img: RgbaImage = { width: 2, height: 2, data: Float32Array.from([0, 0, 0, 1, 0, 0, 0, 0.6, 0, 0, 0, 0.4, 0, 0, 0, 0]) };
    expect(coverageFraction(img)).toBe(0.5);
    expect(coverageFraction(img, 0.3)).toBe(0.75);
    expect(coverageCheck(img, { minCoverage: 0.5 })).toEqual({ coverage: 0.5, ok: true });
    expect(coverageCheck(img)).toEqual({ coverage: 0.5, ok: false });
    expect(() => coverageFraction({ width: 2, height: 2, data: new Float32Array(12) })).toThrow(/12 floats, expected 2x2x4 = 16/);
  });
});

describe('sharpnessScore', () => {
  it('is zero for flat and linear images', () => {
    expect(sharpnessScore(grey(4, 4, new Array(16).fill(0.7)))).toBe(0);
    expect(sharpnessScore(grey(4, 3, [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]))).toBeCloseTo(0, 12);
  });

  it('matches a hand-computed Laplacian variance', () => {
    // 4x3 with one bright pixel at (1,1): interior Laplacians are −4 at (1,1) and +1 at (2,1),
    // mean −1.5, variance ((−2.5)² + 2.5²)/2 = 6.25.
    const img = grey(4, 3, [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(sharpnessScore(img)).toBeCloseTo(6.25, 6);
    // Pure red weighs 0.299 in luminance.
    const red = grey(4, 3, new Array(12).fill(0));
    red.data[4 * 5] = 1;
    expect(sharpnessScore(red)).toBeCloseTo(6.25 * 0.299 ** 2, 6);
    expect(() => sharpnessScore(grey(2, 2, [0, 0, 0, 0]))).toThrow(/2x2, needs integer sides of at least 3/);
  });
});

describe('makeRenderValidity', () => {
  it('renders candidates and applies coverage and sharpness thresholds', async () => {
    const I = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    const poses = [makePose(I, [0, 0, 0]), makePose(I, [1, 0, 0]), makePose(I, [2, 0, 0])];
    const sharp = grey(4, 3, [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    const flat = grey(4, 3, new Array(12).fill(0.5));
    const empty = grey(4, 3, new Array(12).fill(0.5), 0);
    const images = [sharp, flat, empty];
    const check = makeRenderValidity({ render: async (c) => c.map((p) => images[p.t[0] as number] as RgbaImage), minSharpness: 1 });
    expect(await check(poses)).toEqual([true, false, false]);
    const coverageOnly = makeRenderValidity({ render: async (c) => c.map((p) => images[p.t[0] as number] as RgbaImage) });
    expect(await coverageOnly(poses)).toEqual([true, true, false]);
  });
});
