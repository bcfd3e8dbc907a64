import { loadWasm, withAdoptedDevice } from './init.ts';
import type { RvsGpu as WasmGpu } from '../wasm/rvs_raster.js';

export interface GpuOptions {
  /** Run on this device instead of requesting one (e.g. the page's or the trainer's). */
  device?: GPUDevice;
}

export interface SortOptions {
  /** Only the low `keyBits` bits of each key are sorted (1–32, default 32); fewer bits, fewer passes. */
  keyBits?: number;
}

export interface SortedPairs {
  keys: Uint32Array;
  values: Uint32Array;
}

/** A WebGPU device with the rvs kernels compiled for it. */
export interface RvsGpu {
  readonly device: GPUDevice;
  /** Largest storage binding the kernels may use, in bytes. */
  readonly maxBindingBytes: number;
  /** Stable GPU radix sort of key/value pairs (equal keys keep their order). */
  sortPairs(keys: Uint32Array, values: Uint32Array, options?: SortOptions): Promise<SortedPairs>;
  destroy(): void;
}

/** @internal the WASM handle behind an RvsGpu, for the rasterizer. */
export const wasmHandle = new WeakMap<RvsGpu, WasmGpu>();

export async function createGpu(options: GpuOptions = {}): Promise<RvsGpu> {
  const wasm = await loadWasm();
  const create = () => wasm.RvsGpu.create();
  const inner = options.device ? await withAdoptedDevice(options.device, create) : await create();
  const device = inner.device as GPUDevice;
  let destroyed = false;
  const gpu: RvsGpu = {
    device,
    maxBindingBytes: inner.maxBindingBytes,
    async sortPairs(keys, values, sortOptions = {}) {
      if (destroyed) throw new Error('sortPairs: this RvsGpu was destroyed');
      const [k, v] = (await inner.sortPairs(keys, values, sortOptions.keyBits ?? 32)) as [Uint32Array, Uint32Array];
      return { keys: k, values: v };
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      inner.free();
      // A device we were handed belongs to the caller.
      if (!options.device) device.destroy();
    },
  };
  wasmHandle.set(gpu, inner);
  return gpu;
}
