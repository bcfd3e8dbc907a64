import { createGpu, wasmHandle, type GpuOptions } from './gpu.ts';
import { createBatch, renderHandles } from './batch.ts';
import type { WasmScene } from '../wasm/rvs_raster.js';
import type { Rasterizer, RenderOptions, RenderResult, Scene, StageTime } from './types.ts';

const scenes = new WeakMap<Scene, WasmScene>();

function checkOptions(o: RenderOptions): void {
  if (!(o.viewmats instanceof Float32Array) || !(o.Ks instanceof Float32Array)) {
    throw new TypeError('render: viewmats and Ks must be Float32Arrays (C·16 and C·9 numbers)');
  }
  for (const [name, v] of [['width', o.width], ['height', o.height]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`render: ${name} must be a positive integer, got ${v}`);
  }
  if (o.shDegree !== undefined && (!Number.isInteger(o.shDegree) || o.shDegree < 0 || o.shDegree > 3)) {
    throw new RangeError(`render: shDegree must be 0–3, got ${o.shDegree}`);
  }
}

/** A batched 3DGS rasterizer on WebGPU; pass `{ device }` to share the caller's device. */
export async function createRasterizer(options: GpuOptions = {}): Promise<Rasterizer> {
  const gpu = await createGpu(options);
  const inner = wasmHandle.get(gpu)!;
  return {
    device: gpu.device,
    async loadScene(bytes) {
      if (!(bytes instanceof Uint8Array)) throw new TypeError('loadScene: expected the file contents as a Uint8Array');
      const handle = inner.loadScene(bytes);
      const scene: Scene = {
        numSplats: handle.numSplats,
        shDegree: handle.shDegree,
        contentHash: handle.contentHash,
        gpuBytes: handle.gpuBytes,
        destroy: () => handle.destroy(),
      };
      scenes.set(scene, handle);
      return scene;
    },
    async render(scene, o) {
      const handle = scenes.get(scene);
      if (!handle) throw new TypeError('render: the scene was not loaded by this rasterizer');
      checkOptions(o);
      const out = await inner.render(
        handle,
        o.viewmats,
        o.Ks,
        o.width,
        o.height,
        o.shDegree,
        new Float32Array(o.background ?? [0, 0, 0]),
        o.mode ?? 'classic',
        o.profile ?? false,
      );
      const result: RenderResult = {
        cameras: out.cameras,
        width: out.width,
        height: out.height,
        chunks: out.chunks,
        intersections: out.intersections,
        stageTimes: out.stageTimes as StageTime[],
        get rgbaBuffer() {
          return out.rgbaBuffer as GPUBuffer;
        },
        get depthBuffer() {
          return out.depthBuffer as GPUBuffer;
        },
        readRgba: async () => (await out.readRgba()) as Float32Array,
        readDepth: async () => (await out.readDepth()) as Float32Array,
        destroy: () => out.destroy(),
      };
      renderHandles.set(result, { render: out, gpu: inner });
      return result;
    },
    createBatch: (batchOptions) => createBatch(inner, batchOptions),
    destroy: () => gpu.destroy(),
  };
}
