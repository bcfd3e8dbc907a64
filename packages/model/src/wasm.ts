// Loads the model WASM (Burn) once per JS realm and binds it to one GPUDevice: Burn's wgpu
// runtime starts on the device `navigator.gpu` hands out, which we point at the rasterizer's.
import { hasF16SubgroupMatrices, withAdoptedDevice } from '@rvs/raster-wgpu';
import initWasm, * as wasm from '../wasm/rvs_model.js';

export type ModelWasm = typeof wasm;

const isNode = typeof process !== 'undefined' && !!process.versions?.node;
let ready: Promise<ModelWasm> | undefined;
let boundDevice: GPUDevice | undefined;

async function wasmBytes(): Promise<ArrayBuffer | URL> {
  const url = new URL('../wasm/rvs_model_bg.wasm', import.meta.url);
  if (!isNode) return url;
  const fsModule = 'node:fs/promises'; // hidden from bundlers
  const { readFile } = (await import(/* @vite-ignore */ fsModule)) as typeof import('node:fs/promises');
  const bytes = await readFile(url);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function loadWasm(): Promise<ModelWasm> {
  ready ??= (async () => {
    await initWasm({ module_or_path: await wasmBytes() });
    return wasm;
  })();
  return ready;
}

/** Whether `device` runs on a CPU (SwiftShader, llvmpipe/lavapipe, WARP), per its adapter info. */
function isSoftwareAdapter(device: GPUDevice): boolean {
  const info = device.adapterInfo as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  if (info.isFallbackAdapter === true) return true;
  return /\b(swiftshader|llvmpipe|lavapipe|warp)\b/i.test(`${info.vendor} ${info.architecture} ${info.device} ${info.description}`);
}

/**
 * Runs `create` with the model WASM bound to `device`. The first call binds it; Burn keeps one
 * runtime per WASM instance, so a later call with another device is refused.
 */
export async function withModelWasm<T>(device: GPUDevice, create: (w: ModelWasm) => Promise<T>): Promise<T> {
  if (boundDevice && boundDevice !== device) {
    throw new Error('the model WASM is already bound to another GPUDevice: give every model the rasterizer\'s device (one per JS realm)');
  }
  const w = await loadWasm();
  if (boundDevice) return create(w);
  w.setSubgroupMatrices(hasF16SubgroupMatrices(device));
  w.setSoftwareAdapter(isSoftwareAdapter(device));
  const result = await withAdoptedDevice(device, () => create(w));
  boundDevice = device;
  return result;
}
