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

/** Features rvs uses where the adapter has them: GPU timings, f16 batches, and subgroup
 *  matrices (the model's linear layers on tensor cores; subgroups come with them). wgpu's web
 *  backend requests none of the latter, so the device is requested here. */
const OPTIONAL_FEATURES = ['timestamp-query', 'shader-f16', 'subgroups', 'chromium-experimental-subgroup-matrix'];

/** The high-performance adapter's device with all its limits (defaults are small: 128 MiB
 *  bindings) and the optional features it has. */
async function requestDevice(): Promise<GPUDevice> {
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('WebGPU: no adapter (navigator.gpu.requestAdapter returned null); is a GPU or SwiftShader available?');
  const requiredLimits: Record<string, number> = {};
  for (const name in adapter.limits) {
    const value = (adapter.limits as unknown as Record<string, unknown>)[name];
    if (typeof value === 'number') requiredLimits[name] = value;
  }
  const requiredFeatures = OPTIONAL_FEATURES.filter((f) => adapter.features.has(f)) as GPUFeatureName[];
  const device = await adapter.requestDevice({ label: 'rvs', requiredFeatures, requiredLimits });
  reportUncapturedErrors(device);
  subgroupMatrixConfigs.set(device, [...((adapter.info as InfoWithMatrices).subgroupMatrixConfigs ?? [])]);
  return device;
}

/** Browsers print WebGPU validation errors nobody captured to the console; Dawn in Node does
 *  not, and a pipeline or dispatch that failed validation would go unnoticed (its outputs keep
 *  whatever their buffers held). In Node they go to stderr. */
function reportUncapturedErrors(device: GPUDevice): void {
  if (typeof process === 'undefined' || !process.versions?.node) return;
  device.addEventListener('uncapturederror', (event) => {
    console.error(`WebGPU error (rvs device): ${(event as GPUUncapturedErrorEvent).error.message}`);
  });
}

interface SubgroupMatrixConfig {
  M: number;
  N: number;
  K: number;
  componentType: string;
  resultComponentType: string;
}

type InfoWithMatrices = GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number; subgroupMatrixConfigs?: Iterable<SubgroupMatrixConfig> };

/** The adapter's subgroup matrix configurations of the devices requested here: Dawn's Node
 *  binding (webgpu 0.6.2) leaves them out of `device.adapterInfo`. */
const subgroupMatrixConfigs = new WeakMap<GPUDevice, SubgroupMatrixConfig[]>();

/**
 * Whether `device` runs WebGPU subgroup matrices (Dawn's experimental feature: tensor cores
 * and the like) the way rvs's kernels use them: f16 16×16×16 with f32 results, in subgroups
 * of exactly 32 invocations (NVIDIA). Dawn offers the feature only with `allow_unsafe_apis`
 * (Node: on by default; Chrome: `--enable-unsafe-webgpu`).
 */
export function hasF16SubgroupMatrices(device: GPUDevice): boolean {
  const needed = ['chromium-experimental-subgroup-matrix', 'shader-f16', 'subgroups'];
  if (!needed.every((f) => device.features.has(f))) return false;
  const info = device.adapterInfo as InfoWithMatrices;
  if (info.subgroupMinSize !== 32 || info.subgroupMaxSize !== 32) return false;
  const configs = subgroupMatrixConfigs.get(device) ?? [...(info.subgroupMatrixConfigs ?? [])];
  return configs.some((c) => c.M === 16 && c.N === 16 && c.K === 16 && c.componentType === 'f16' && c.resultComponentType === 'f32');
}

export async function createGpu(options: GpuOptions = {}): Promise<RvsGpu> {
  const wasm = await loadWasm();
  const create = () => wasm.RvsGpu.create();
  const device = options.device ?? (await requestDevice());
  const inner = await withAdoptedDevice(device, create);
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
