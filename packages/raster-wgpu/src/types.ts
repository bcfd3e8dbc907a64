import type { ImageBatch, ImageBatchOptions } from './batch.ts';

/** gsplat's rasterize modes: `antialiased` scales opacity by the 2D blur's compensation. */
export type RasterMode = 'classic' | 'antialiased';

/** A scene uploaded to the GPU by `loadScene`. */
export interface Scene {
  readonly numSplats: number;
  /** Spherical-harmonics degree stored in the file (0–3). */
  readonly shDegree: number;
  /** Hash of the scene's content (16 hex digits), stable across runs; for cache keys. */
  readonly contentHash: string;
  readonly gpuBytes: number;
  destroy(): void;
}

export interface RenderOptions {
  /** C·16 numbers: world→camera 4×4 matrices, OpenCV axes (x right, y down, z forward), row-major. */
  viewmats: Float32Array;
  /** C·9 numbers: 3×3 pinhole intrinsics, row-major. */
  Ks: Float32Array;
  width: number;
  height: number;
  /** SH degree to evaluate (default: the scene's; must not exceed it). */
  shDegree?: number;
  /** Background RGB in [0, 1] (default black). */
  background?: readonly [number, number, number];
  /** Default `classic`. */
  mode?: RasterMode;
  /** Time each GPU pass with timestamp queries (`RenderResult.stageTimes`); default false. */
  profile?: boolean;
}

/** GPU time of one pipeline stage/pass label, summed over its passes. */
export interface StageTime {
  label: string;
  ms: number;
  passes: number;
}

/** C rendered views, on the GPU until read. */
export interface RenderResult {
  readonly cameras: number;
  readonly width: number;
  readonly height: number;
  /** Sub-batches the cameras were split into to fit the device's buffer limits (1 = one pass). */
  readonly chunks: number;
  /** Tile–splat intersections blended, over all cameras. */
  readonly intersections: number;
  /** Per-stage GPU times when rendered with `profile` (empty without timestamp queries). */
  readonly stageTimes: StageTime[];
  /** rgba [C, H, W, 4] f32 on the GPU, for consumers on the same device (no CPU copy).
   *  Valid until `destroy()`, which hands the buffer back for reuse by later renders. */
  readonly rgbaBuffer: GPUBuffer;
  /** Expected depth [C, H, W] f32 on the GPU. */
  readonly depthBuffer: GPUBuffer;
  /** C·H·W·4 floats: RGB composited over the background, then alpha; rows top-down. */
  readRgba(): Promise<Float32Array>;
  /** C·H·W expected depths (alpha-normalised; 0 where nothing was hit). */
  readDepth(): Promise<Float32Array>;
  destroy(): void;
}

export interface Rasterizer {
  readonly device: GPUDevice;
  /** Parses a `.ply` (INRIA 3DGS layout, SH 0–3) or antimatter15 `.splat` file and uploads it. */
  loadScene(bytes: Uint8Array): Promise<Scene>;
  /** Renders every camera of the batch through one chain of GPU dispatches. */
  render(scene: Scene, options: RenderOptions): Promise<RenderResult>;
  /** A model input batch on this device that renders (and RGBA8 images) are resized and
   *  normalised into on the GPU; see `ImageBatch`. */
  createBatch(options: ImageBatchOptions): ImageBatch;
  destroy(): void;
}
