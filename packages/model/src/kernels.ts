// The model WASM's self-check of its hand-written WGSL kernels on a device.
import { withModelWasm } from './wasm.ts';

export interface KernelCheck {
  /** What was compared, e.g. "attention, batch 2, 37 tokens, 2 heads of 16: qkv gradient". */
  name: string;
  /** Largest |fused − composed| over the elements. */
  maxDifference: number;
  /** Largest |composed|, the scale `maxDifference` is small against. */
  maxMagnitude: number;
  /** The largest `maxDifference / max(1, maxMagnitude)` expected: 2e-5 for the f32 kernels
   *  (summation order only), 4e-3 for f16 products on subgroup matrices. */
  tolerance: number;
}

/**
 * Runs the fused kernels (attention forward and backward, depthwise weight gradient, row and
 * column sums, Adam, and where the device has subgroup matrices the linear layers on them)
 * and Burn's composed operations on the same random inputs on `device` (the rasterizer's; the
 * model WASM binds to it) and reports how far apart they are. `fusedKernels: true` models use the former.
 */
export async function verifyFusedKernels(device: GPUDevice): Promise<KernelCheck[]> {
  const json = await withModelWasm(device, (w) => w.verifyFusedKernels());
  return JSON.parse(json) as KernelCheck[];
}
