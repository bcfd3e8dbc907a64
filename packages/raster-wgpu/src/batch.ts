import type { RvsGpu as WasmGpu, WasmBatch, WasmRender } from '../wasm/rvs_raster.js';
import type { RenderResult } from './types.ts';

export type BatchDtype = 'f32' | 'f16';

export interface ImageBatchOptions {
  /** Images in the batch (B). */
  size: number;
  /** Width of every image in the batch, e.g. 427. */
  width: number;
  /** Height of every image in the batch, e.g. 240. */
  height: number;
  /** RGB mean subtracted after resizing; default ImageNet's [0.485, 0.456, 0.406]. */
  mean?: readonly [number, number, number];
  /** RGB standard deviation divided by after subtracting the mean; default ImageNet's [0.229, 0.224, 0.225]. */
  std?: readonly [number, number, number];
  /** Element type; default 'f32'. 'f16' needs the device feature 'shader-f16'. */
  dtype?: BatchDtype;
}

/**
 * A model input batch on the GPU: NCHW [size, 3, height, width], filled without a CPU
 * round trip. Each write resizes bilinearly exactly as PyTorch's
 * `F.interpolate(mode='bilinear', align_corners=False, antialias=False)`, then normalises
 * `(x - mean) / std`, into the image slots it is given; other slots keep their contents
 * (a new batch's slots hold leftovers from reused GPU memory until written).
 */
export interface ImageBatch {
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly dtype: BatchDtype;
  /** Bytes of batch data at the start of `buffer`: size·3·height·width·(4 or 2). */
  readonly byteLength: number;
  /** The GPUBuffer holding the batch, for consumers on the same device; it may be larger
   *  than `byteLength`. Valid until `destroy()`. */
  readonly buffer: GPUBuffer;
  /** Writes every view of `result` (RGB; alpha ignored) into images `first..first + result.cameras`. */
  writeRenders(result: RenderResult, first?: number): void;
  /** Writes RGBA8 images (count·height·width·4 bytes, rows top-down, e.g. decoded PNG/JPEG
   *  pixels; converted to byte/255 first) into images `first..first + count`. */
  writeImages(rgba8: Uint8Array | Uint8ClampedArray, width: number, height: number, first?: number): void;
  /** size·3·height·width floats in NCHW order (an f16 batch is widened to f32). */
  readNchw(): Promise<Float32Array>;
  /** Hands the GPU buffer back for reuse; work already submitted finishes first. */
  destroy(): void;
}

/** @internal the WASM handle behind each RenderResult, and the device it lives on. */
export const renderHandles = new WeakMap<RenderResult, { render: WasmRender; gpu: WasmGpu }>();

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

function checkInt(where: string, name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min || v > 0xffffffff) {
    throw new RangeError(`${where}: ${name} must be an integer >= ${min}, got ${v}`);
  }
}

function checkRgb(name: string, v: readonly number[]): Float32Array {
  if (v.length !== 3 || !v.every(Number.isFinite)) {
    throw new RangeError(`createBatch: ${name} must be 3 finite numbers (r, g, b), got [${v.join(', ')}]`);
  }
  return new Float32Array(v);
}

/** @internal used by `Rasterizer.createBatch`. */
export function createBatch(gpu: WasmGpu, options: ImageBatchOptions): ImageBatch {
  const { size, width, height, dtype = 'f32' } = options;
  checkInt('createBatch', 'size', size, 1);
  checkInt('createBatch', 'width', width, 1);
  checkInt('createBatch', 'height', height, 1);
  if (dtype !== 'f32' && dtype !== 'f16') throw new RangeError(`createBatch: dtype must be 'f32' or 'f16', got '${String(dtype)}'`);
  const mean = checkRgb('mean', options.mean ?? IMAGENET_MEAN);
  const std = checkRgb('std', options.std ?? IMAGENET_STD);
  const inner: WasmBatch = gpu.createBatch(size, width, height, mean, std, dtype);
  return {
    size,
    width,
    height,
    dtype,
    byteLength: inner.byteLength,
    get buffer() {
      return inner.buffer as GPUBuffer;
    },
    writeRenders(result, first = 0) {
      const handle = renderHandles.get(result);
      if (!handle) throw new TypeError('writeRenders: the render was not made by a rasterizer of this package');
      if (handle.gpu !== gpu) throw new TypeError('writeRenders: the render was made on another rasterizer\'s device; render and batch must share one');
      checkInt('writeRenders', 'first', first, 0);
      inner.writeRenders(handle.render, first);
    },
    writeImages(rgba8, w, h, first = 0) {
      if (!(rgba8 instanceof Uint8Array || rgba8 instanceof Uint8ClampedArray)) {
        throw new TypeError('writeImages: rgba8 must be a Uint8Array (or Uint8ClampedArray) of count·height·width·4 bytes');
      }
      checkInt('writeImages', 'width', w, 1);
      checkInt('writeImages', 'height', h, 1);
      checkInt('writeImages', 'first', first, 0);
      const bytes = rgba8 instanceof Uint8Array ? rgba8 : new Uint8Array(rgba8.buffer, rgba8.byteOffset, rgba8.byteLength);
      inner.writeImages(bytes, w, h, first);
    },
    readNchw: async () => (await inner.readNchw()) as Float32Array,
    destroy: () => inner.destroy(),
  };
}
