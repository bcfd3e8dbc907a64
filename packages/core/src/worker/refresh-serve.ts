// The worker side of background refresh: a render cache on the worker's own device, behind
// Comlink. The worker script supplies the renderer (core does not import the rasterizer):
//
//   import { createRasterizer } from '@rvs/raster-wgpu';
//   import { createRasterViewRenderer, serveRefreshWorker } from '@rvs/core';
//   await serveRefreshWorker(async (init) => {
//     const r = await createRasterizer();
//     return { renderer: createRasterViewRenderer(r, await r.loadScene(init.scene), init.settings) };
//   });
import { createRenderCache } from '../cache/render-cache.ts';
import type { RenderCache } from '../cache/types.ts';
import { exposeWorkerApi } from './endpoint.ts';
import type { RefreshWorkerApi, RefreshWorkerInit, RefreshWorkerSetup } from './refresh-api.ts';
import { withTransfer } from './transfer.ts';

/** Ends this worker: `process.exit` in a Node worker thread, `close()` in a browser worker. */
function exit(code: number): void {
  const proc = (globalThis as { process?: { exit(code: number): never; versions?: { node?: string } } }).process;
  if (proc?.versions?.node) proc.exit(code);
  (globalThis as { close?: () => void }).close?.();
}

/** Called once in a refresh worker script: serves {@link RefreshWorkerApi} to the thread that started it. */
export async function serveRefreshWorker(setup: (init: RefreshWorkerInit) => Promise<RefreshWorkerSetup>): Promise<void> {
  let cache: RenderCache | undefined;
  const controllers = new Map<number, AbortController>();
  let crashCode: number | undefined;
  const api: RefreshWorkerApi = {
    async init(init) {
      if (cache) throw new Error('refresh worker: init was called twice');
      const { renderer, store } = await setup(init);
      cache = createRenderCache(renderer, { ...init.cache, ...(store ? { store } : {}) });
    },
    async refresh(id, views) {
      if (!cache) throw new Error('refresh worker: call init first');
      const controller = new AbortController();
      controllers.set(id, controller);
      try {
        const out = await cache.refresh(views, { signal: controller.signal });
        try {
          const rgba = await out.readRgba();
          const owned = rgba.byteOffset === 0 && rgba.byteLength === rgba.buffer.byteLength ? rgba : rgba.slice();
          const reply = { count: out.count, width: out.width, height: out.height, rgba: owned, keys: [...out.keys], sources: [...out.sources], stats: cache.stats() };
          return withTransfer(reply, [owned]);
        } finally {
          out.destroy();
        }
      } finally {
        controllers.delete(id);
        if (crashCode !== undefined && controllers.size === 0) exit(crashCode);
      }
    },
    cancel(id) {
      controllers.get(id)?.abort();
    },
    crash(code = 1) {
      if (controllers.size === 0) return exit(code);
      crashCode = code;
      for (const c of controllers.values()) c.abort(new Error('refresh worker: crash injected'));
    },
  };
  await exposeWorkerApi(api);
}
