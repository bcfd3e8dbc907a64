// Loads the WASM module once per JS realm and makes sure `navigator.gpu` exists.

import initWasm, * as wasm from '../wasm/rvs_raster.js';

export type Wasm = typeof wasm;

let instantiated: Promise<Wasm> | undefined;
let ready: Promise<Wasm> | undefined;

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

async function wasmBytes(): Promise<ArrayBuffer | URL> {
  const url = new URL('../wasm/rvs_raster_bg.wasm', import.meta.url);
  if (!isNode) return url;
  const fsModule = 'node:fs/promises'; // hidden from bundlers, like webgpu-node below
  const { readFile } = (await import(/* @vite-ignore */ fsModule)) as typeof import('node:fs/promises');
  const bytes = await readFile(url);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function ensureNavigatorGpu(): Promise<void> {
  if ((globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu) return;
  if (!isNode) {
    throw new Error('WebGPU is not available here (navigator.gpu is missing): use a browser with WebGPU enabled, served from https or localhost.');
  }
  // Hidden from bundlers: the browser build must not pull in Node's Dawn binding.
  const nodeModule = './webgpu-node.ts';
  const { installNodeWebGpu } = (await import(/* @vite-ignore */ nodeModule)) as typeof import('./webgpu-node.ts');
  await installNodeWebGpu();
}

/** Instantiates the WASM once, without touching WebGPU (the COLMAP readers need no GPU). */
export function loadWasmModule(): Promise<Wasm> {
  instantiated ??= (async () => {
    await initWasm({ module_or_path: await wasmBytes() });
    return wasm;
  })();
  return instantiated;
}

/** Loads the WASM once and makes sure `navigator.gpu` exists; later calls share it. */
export function loadWasm(): Promise<Wasm> {
  ready ??= (async () => {
    await ensureNavigatorGpu();
    return loadWasmModule();
  })();
  return ready;
}

let adoption: Promise<unknown> = Promise.resolve();

/**
 * Runs `create` while `navigator.gpu` hands out `device`, so wgpu adopts the caller's
 * GPUDevice instead of making its own. Adoptions are serialised; the real
 * `navigator.gpu` is restored afterwards.
 */
export function withAdoptedDevice<T>(device: GPUDevice, create: () => Promise<T>): Promise<T> {
  const run = async (): Promise<T> => {
    const nav = globalThis.navigator as Navigator & { gpu: GPU };
    const own = Object.getOwnPropertyDescriptor(nav, 'gpu');
    const adapter = {
      features: device.features,
      limits: device.limits,
      info: device.adapterInfo,
      isFallbackAdapter: false,
      requestDevice: async () => device,
    };
    const gpu = {
      requestAdapter: async () => adapter,
      getPreferredCanvasFormat: () => nav.gpu.getPreferredCanvasFormat(),
      wgslLanguageFeatures: nav.gpu.wgslLanguageFeatures,
    };
    Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true });
    try {
      return await create();
    } finally {
      if (own) Object.defineProperty(nav, 'gpu', own);
      else delete (nav as { gpu?: GPU }).gpu;
    }
  };
  const result = adoption.then(run, run);
  adoption = result.catch(() => undefined);
  return result;
}
