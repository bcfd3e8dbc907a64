// Image checks for sampled views, so the caller can reject renders that show mostly empty
// space (low alpha coverage) or mush (low sharpness) before training on them.
import type { Pose } from './types.ts';
import type { ValidityCheck } from './sampler.ts';

/** A float RGBA image, row-major, 4 channels per pixel (a render's colour and alpha). */
export interface RgbaImage {
  /** `[height, width, 4]` flattened: pixel (x, y) channel c at `4 * (y * width + x) + c`. */
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

function checkImage(img: RgbaImage, what: string, minSide: number): void {
  if (!(Number.isInteger(img.width) && Number.isInteger(img.height) && img.width >= minSide && img.height >= minSide)) {
    throw new Error(`${what}: image is ${img.width}x${img.height}, needs integer sides of at least ${minSide}`);
  }
  if (img.data.length !== img.width * img.height * 4) {
    throw new Error(`${what}: data has ${img.data.length} floats, expected ${img.width}x${img.height}x4 = ${img.width * img.height * 4}`);
  }
}

/**
 * Fraction of pixels whose alpha exceeds `alphaThreshold` (default 0.5): how much of the view
 * the scene covers. 1 for a fully covered render, 0 for empty space.
 */
export function coverageFraction(img: RgbaImage, alphaThreshold = 0.5): number {
  checkImage(img, 'coverageFraction', 1);
  let covered = 0;
  for (let i = 3; i < img.data.length; i += 4) if ((img.data[i] as number) > alphaThreshold) covered++;
  return covered / (img.width * img.height);
}

/** Options of {@link coverageCheck}. */
export interface CoverageOptions {
  /** A pixel counts as covered when its alpha exceeds this. Default 0.5. */
  alphaThreshold?: number;
  /** Smallest covered fraction that passes. Default 0.9. */
  minCoverage?: number;
}

/** Coverage of a render and whether it passes `minCoverage`. */
export function coverageCheck(img: RgbaImage, options: CoverageOptions = {}): { coverage: number; ok: boolean } {
  const coverage = coverageFraction(img, options.alphaThreshold ?? 0.5);
  return { coverage, ok: coverage >= (options.minCoverage ?? 0.9) };
}

/**
 * Sharpness as the variance of the Laplacian of luminance (the classic blur measure): higher is
 * sharper, 0 for a flat or linear-gradient image. Luminance is 0.299 R + 0.587 G + 0.114 B
 * (Rec. 601, as OpenCV's grey); the 4-neighbour Laplacian is taken at interior pixels only.
 * @throws if the image is smaller than 3x3 or its data length does not match.
 */
export function sharpnessScore(img: RgbaImage): number {
  checkImage(img, 'sharpnessScore', 3);
  const { width: w, height: h, data } = img;
  const lum = new Float64Array(w * h);
  for (let i = 0; i < w * h; i++) {
    lum[i] = 0.299 * (data[4 * i] as number) + 0.587 * (data[4 * i + 1] as number) + 0.114 * (data[4 * i + 2] as number);
  }
  let sum = 0;
  let sumSq = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const lap = (lum[i - 1] as number) + (lum[i + 1] as number) + (lum[i - w] as number) + (lum[i + w] as number) - 4 * (lum[i] as number);
      sum += lap;
      sumSq += lap * lap;
    }
  }
  const n = (w - 2) * (h - 2);
  const mean = sum / n;
  return Math.max(0, sumSq / n - mean * mean);
}

/** Options of {@link makeRenderValidity}. */
export interface RenderValidityOptions extends CoverageOptions {
  /** Renders the candidates, one RGBA image each, in order. */
  render: (poses: readonly Pose[]) => Promise<readonly RgbaImage[]>;
  /** Smallest {@link sharpnessScore} that passes. Default 0 (sharpness not checked). */
  minSharpness?: number;
}

/** A sampler {@link ValidityCheck} that renders the candidates and applies coverage and sharpness thresholds. */
export function makeRenderValidity(options: RenderValidityOptions): ValidityCheck {
  const minSharpness = options.minSharpness ?? 0;
  return async (candidates) => {
    const images = await options.render(candidates);
    if (images.length !== candidates.length) {
      throw new Error(`makeRenderValidity: render returned ${images.length} images for ${candidates.length} poses`);
    }
    return images.map((img) => coverageCheck(img, options).ok && (minSharpness <= 0 || sharpnessScore(img) >= minSharpness));
  };
}
