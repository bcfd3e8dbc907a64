import { createGpu, wasmHandle, type GpuOptions } from './gpu.ts';
import { createBatch, renderHandles } from './batch.ts';
import { watchDeviceLoss } from './lost.ts';
import type { WasmScene } from '../wasm/rvs_raster.js';
import type { Rasterizer, RenderOptions, RenderResult, Scene, StageTime } from './types.ts';

/** The WASM scene behind each Scene, the device it lives on, and whether it was destroyed. */
const scenes = new WeakMap<Scene, { handle: WasmScene; device: GPUDevice; destroyed: boolean }>();

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
  let destroyed = false;
  // Without these checks a destroyed rasterizer fails with "null pointer passed to rust",
  // and a destroyed or foreign-device scene renders as zeros after a WebGPU validation error.
  const lost = watchDeviceLoss(gpu.device);
  const alive = (what: string) => {
    if (destroyed) throw new Error(`${what}: this rasterizer was destroyed`);
    lost.check(what);
  };
  return {
    device: gpu.device,
    async loadScene(bytes) {
      alive('loadScene');
      if (!(bytes instanceof Uint8Array)) throw new TypeError('loadScene: expected the file contents as a Uint8Array');
      const handle = inner.loadScene(bytes);
      const entry = { handle, device: gpu.device, destroyed: false };
      const scene: Scene = {
        numSplats: handle.numSplats,
        shDegree: handle.shDegree,
        contentHash: handle.contentHash,
        gpuBytes: handle.gpuBytes,
        destroy: () => {
          entry.destroyed = true;
          handle.destroy();
        },
      };
      scenes.set(scene, entry);
      return scene;
    },
    async render(scene, o) {
      alive('render');
      const entry = scenes.get(scene);
      if (!entry) throw new TypeError('render: the scene was not loaded by a rasterizer (use loadScene)');
      if (entry.device !== gpu.device) {
        throw new TypeError('render: the scene was loaded by a rasterizer on another GPUDevice; load it with this rasterizer');
      }
      if (entry.destroyed) throw new Error('render: this scene was destroyed; load it again');
      checkOptions(o);
      const out = await inner
        .render(entry.handle, o.viewmats, o.Ks, o.width, o.height, o.shDegree, new Float32Array(o.background ?? [0, 0, 0]), o.mode ?? 'classic', o.profile ?? false)
        .catch((e: unknown) => lost.explain('render', e));
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
        readRgba: async () => (await out.readRgba().catch((e: unknown) => lost.explain('readRgba', e))) as Float32Array,
        readDepth: async () => (await out.readDepth().catch((e: unknown) => lost.explain('readDepth', e))) as Float32Array,
        destroy: () => out.destroy(),
      };
      renderHandles.set(result, { render: out, gpu: inner });
      return result;
    },
    createBatch: (batchOptions) => {
      alive('createBatch');
      return createBatch(inner, batchOptions);
    },
    destroy: () => {
      destroyed = true;
      gpu.destroy();
    },
  };
}
