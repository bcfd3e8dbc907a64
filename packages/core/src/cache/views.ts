// `CachedViews` over a GPU buffer (read back on demand) or over host pixels.
import type { CachedViews, ViewSource } from './types.ts';

/** What every `CachedViews` carries besides its pixels. */
export interface ViewsMeta {
  count: number;
  width: number;
  height: number;
  keys: readonly string[];
  sources: readonly ViewSource[];
}

// WebGPU's flag values, spelled out: `GPUBufferUsage` is a global that Node only has once
// Dawn is installed, and this module must load without it.
const MAP_READ = 0x0001;
const COPY_SRC = 0x0004;
const COPY_DST = 0x0008;
const STORAGE = 0x0080;
const MAP_MODE_READ = 0x0001;

/** Usage of buffers the cache copies views into and out of (STORAGE | COPY_SRC | COPY_DST). */
export const VIEW_BUFFER_USAGE = STORAGE | COPY_SRC | COPY_DST;

/** Copies `bytes` of `buffer` to the host (one staging buffer, one map). */
export async function readBufferF32(device: GPUDevice, buffer: GPUBuffer, bytes: number): Promise<Float32Array> {
  if (bytes === 0) return new Float32Array(0);
  const staging = device.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(MAP_MODE_READ);
    const out = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    return out;
  } finally {
    staging.destroy();
  }
}

/** Views held in `buffer` on `device`; the object owns the buffer. */
export function gpuViews(device: GPUDevice, buffer: GPUBuffer, meta: ViewsMeta, release: (b: GPUBuffer) => void = (b) => b.destroy()): CachedViews {
  let read: Promise<Float32Array> | undefined;
  let destroyed = false;
  return {
    ...meta,
    gpuBuffer: buffer,
    readRgba() {
      if (destroyed) return Promise.reject(new Error('readRgba: these views were destroyed'));
      return (read ??= readBufferF32(device, buffer, meta.count * meta.width * meta.height * 16));
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      release(buffer);
    },
  };
}

/** Views held on the host (no GPU copy). */
export function hostViews(rgba: Float32Array, meta: ViewsMeta): CachedViews {
  const want = meta.count * meta.width * meta.height * 4;
  if (rgba.length !== want) throw new RangeError(`expected ${want} floats for ${meta.count} views, got ${rgba.length}`);
  return { ...meta, gpuBuffer: undefined, readRgba: () => Promise.resolve(rgba), destroy: () => {} };
}
