// The render cache: GPU tier → host tier → store, then renders of the misses in batches.
// Tiers are inclusive (write-through): every render goes to all of them, and a hit in a lower
// tier is copied up. Views come out as one [C, H, W, 4] buffer on the renderer's device.
import { noopProfiler } from '../profiler/spans.ts';
import { decodeEntry, encodeEntry, entryName, hostPixelsToF32, toHostPixels, type HostPixels } from './entry.ts';
import { contextKey, expandKs, viewCount, viewKeys } from './key.ts';
import { createByteLru } from './lru.ts';
import { createStats, snapshotStats, type StatsState } from './stats.ts';
import type { CachedViews, RenderCache, RenderCacheOptions, ViewBatch, ViewRenderer, ViewSource } from './types.ts';
import { gpuViews, hostViews, VIEW_BUFFER_USAGE } from './views.ts';

const MiB = 1024 * 1024;

/**
 * Creates a render cache over `renderer`; see {@link RenderCacheOptions} for the defaults.
 * @throws if an option is out of range (the message names it).
 */
export function createRenderCache(renderer: ViewRenderer, options: RenderCacheOptions = {}): RenderCache {
  const quanta = { poseQuantum: options.poseQuantum ?? 1e-4, intrinsicsQuantum: options.intrinsicsQuantum ?? 1e-3 };
  const batchSize = options.batchSize ?? 16;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`createRenderCache: batchSize must be an integer ≥ 1, got ${batchSize}`);
  const hostFormat = options.hostFormat ?? 'rgba8';
  if (hostFormat !== 'rgba8' && hostFormat !== 'f32') throw new RangeError(`createRenderCache: hostFormat must be 'rgba8' or 'f32', got '${String(hostFormat)}'`);
  if (!(quanta.poseQuantum > 0 && quanta.intrinsicsQuantum > 0)) throw new RangeError('createRenderCache: poseQuantum and intrinsicsQuantum must be > 0');
  const { store } = options;
  const profiler = options.profiler ?? noopProfiler;
  const device = renderer.device;
  // Evicted GPU entries may still be the source of an encoded copy: destroy them after submit.
  const retired: GPUBuffer[] = [];
  const flushRetired = (): void => {
    for (const b of retired.splice(0)) b.destroy();
  };
  // Default GPU budget: 2 GiB (within the device's buffer limit) — a refresh set of a few
  // hundred training-size views fits, so unchanged views never leave the GPU.
  const defaultGpuBytes = device ? Math.min(2048 * MiB, device.limits.maxBufferSize) : 0;
  const gpu = createByteLru<GPUBuffer>(device ? (options.gpuBytes ?? defaultGpuBytes) : 0, (b) => retired.push(b));
  const host = createByteLru<HostPixels>(options.hostBytes ?? 512 * MiB);
  const hostWrites = options.hostWrites ?? 'when-needed';
  const s: StatsState = createStats();
  const writes = new Set<Promise<void>>();
  let context: string | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let destroyed = false;

  const currentContext = (): string => contextKey(renderer.sceneHash, renderer.settingsKey);

  const dropMemoryTiers = (): void => {
    gpu.clear();
    host.clear();
    flushRetired();
  };

  const writeThrough = (key: string, ctx: string, width: number, height: number, px: HostPixels): void => {
    if (!store) return;
    const bytes = encodeEntry({ key, context: ctx, width, height }, px);
    const p = store.write(entryName(key), bytes).then(
      () => {
        s.disk.entries++;
        s.disk.bytes += bytes.length;
      },
      () => void s.disk.writeErrors++,
    );
    writes.add(p);
    void p.then(() => writes.delete(p));
  };

  // Result buffers handed back by CachedViews.destroy(), reused by later refreshes: creating a
  // buffer of hundreds of MB costs Dawn tens of ms, more than a partial refresh itself.
  const freeOuts: GPUBuffer[] = [];
  const takeOut = (size: number): GPUBuffer => {
    const i = freeOuts.findIndex((b) => b.size >= size && b.size <= size * 1.5);
    if (i >= 0) return freeOuts.splice(i, 1)[0]!;
    return device!.createBuffer({ size, usage: VIEW_BUFFER_USAGE });
  };
  const giveOut = (b: GPUBuffer): void => {
    freeOuts.push(b);
    while (freeOuts.length > 2) freeOuts.shift()!.destroy();
  };

  async function run(views: ViewBatch, signal: AbortSignal | undefined): Promise<CachedViews> {
    const t0 = profiler.now();
    const span = profiler.begin('cache-refresh');
    const ctx = currentContext();
    if (context !== undefined && ctx !== context) {
      dropMemoryTiers();
      s.invalidations++;
    }
    context = ctx;
    const count = viewCount(views);
    const { width, height } = views;
    const Ks = expandKs(views.Ks, count);
    const keys = viewKeys({ viewmats: views.viewmats, Ks, width, height }, ctx, quanta);
    const values = width * height * 4;
    const viewBytes = values * 4;
    const gpuOn = !!device && gpu.budget >= viewBytes;
    const hostOn = host.budget >= (hostFormat === 'f32' ? viewBytes : values);
    const sources: ViewSource[] = new Array<ViewSource>(count).fill('render');
    const out = device ? takeOut(Math.max(16, count * viewBytes)) : undefined;
    const hostOut = out ? undefined : new Float32Array(count * values);
    try {
      const placeF32 = (i: number, rgba: Float32Array): void => {
        if (out) device!.queue.writeBuffer(out, i * viewBytes, rgba.buffer, rgba.byteOffset, rgba.byteLength);
        else hostOut!.set(rgba, i * values);
      };
      const placeHost = (i: number, px: HostPixels): void => {
        if (px instanceof Float32Array) return placeF32(i, px);
        const f = new Float32Array(values);
        hostPixelsToF32(px, f);
        placeF32(i, f);
      };
      const promote = (key: string, px: HostPixels, toHost: boolean): void => {
        if (toHost && hostOn) {
          const hp = px instanceof Float32Array ? (hostFormat === 'f32' ? px : toHostPixels(px, 'rgba8')) : px;
          host.set(key, hp, hp.byteLength);
        }
        if (!gpuOn) return;
        const f = px instanceof Float32Array ? px : new Float32Array(values);
        if (!(px instanceof Float32Array)) hostPixelsToF32(px, f);
        const entry = device!.createBuffer({ size: viewBytes, usage: VIEW_BUFFER_USAGE });
        device!.queue.writeBuffer(entry, 0, f.buffer, f.byteOffset, f.byteLength);
        gpu.set(key, entry, viewBytes);
      };

      // 1. Memory tiers, in request order; a repeated missing key is rendered once.
      const lookup = profiler.begin('lookup');
      const missing = new Map<string, number[]>();
      const hitCopies = device?.createCommandEncoder();
      keys.forEach((key, i) => {
        const again = missing.get(key);
        if (again) return void again.push(i);
        const g = gpuOn ? gpu.get(key) : undefined;
        if (g) {
          hitCopies!.copyBufferToBuffer(g, 0, out!, i * viewBytes, viewBytes);
          sources[i] = 'gpu';
          return void s.gpu.hits++;
        }
        if (gpuOn) s.gpu.misses++;
        const h = hostOn ? host.get(key) : undefined;
        if (h) {
          placeHost(i, h);
          promote(key, h, false);
          sources[i] = 'host';
          return void s.host.hits++;
        }
        if (hostOn) s.host.misses++;
        missing.set(key, [i]);
      });
      if (hitCopies) device!.queue.submit([hitCopies.finish()]);
      flushRetired();

      // 2. The store: entries that fail any check are counted, never served, and re-rendered.
      if (store && missing.size) {
        const found = await Promise.all(
          [...missing.keys()].map(async (key) => {
            const bytes = await store.read(entryName(key)).catch(() => undefined);
            if (!bytes) return undefined;
            const entry = decodeEntry(bytes, { key, context: ctx, width, height });
            if (entry.ok) return entry.pixels;
            s.disk.corrupt++;
            return undefined;
          }),
        );
        [...missing.keys()].forEach((key, j) => {
          const px = found[j];
          if (!px) return void s.disk.misses++;
          for (const i of missing.get(key)!) {
            placeHost(i, px);
            sources[i] = 'disk';
          }
          promote(key, px, true);
          missing.delete(key);
          s.disk.hits++;
        });
        flushRetired();
      }
      lookup.end();

      // 3. Render the misses, `batchSize` views per call.
      const todo = [...missing.keys()];
      for (let b = 0; b < todo.length; b += batchSize) {
        signal?.throwIfAborted();
        const batchKeys = todo.slice(b, b + batchSize);
        const vm = new Float32Array(batchKeys.length * 16);
        const kk = new Float32Array(batchKeys.length * 9);
        batchKeys.forEach((key, j) => {
          const i = missing.get(key)![0]!;
          vm.set(views.viewmats.subarray(i * 16, i * 16 + 16), j * 16);
          kk.set(Ks.subarray(i * 9, i * 9 + 9), j * 9);
        });
        const tr = profiler.now();
        const rendering = profiler.begin('render');
        const batch = await renderer.render(vm, kk, width, height);
        try {
          const src = out && batch.rgbaBuffer;
          if (src) {
            const enc = device!.createCommandEncoder();
            batchKeys.forEach((key, j) => {
              for (const i of missing.get(key)!) enc.copyBufferToBuffer(src, j * viewBytes, out, i * viewBytes, viewBytes);
              if (!gpuOn) return;
              const entry = device!.createBuffer({ size: viewBytes, usage: VIEW_BUFFER_USAGE });
              enc.copyBufferToBuffer(src, j * viewBytes, entry, 0, viewBytes);
              gpu.set(key, entry, viewBytes);
            });
            device!.queue.submit([enc.finish()]);
            flushRetired();
          }
          // Host copies cost a read-back and a conversion per view: with a GPU tier they are
          // made only for persistence; host-only renderers (workers) always keep them.
          if (!src || (hostOn && (!gpuOn || hostWrites === 'always')) || store) {
            const rgba = await batch.readRgba();
            batchKeys.forEach((key, j) => {
              const px = rgba.subarray(j * values, (j + 1) * values);
              if (!src) {
                for (const i of missing.get(key)!) placeF32(i, px);
                promote(key, px, false);
              }
              if (!hostOn && !store) return;
              const hp = toHostPixels(px, hostFormat);
              if (hostOn) host.set(key, hp, hp.byteLength);
              if (store) writeThrough(key, ctx, width, height, hp);
            });
          }
        } finally {
          batch.destroy();
          rendering.end();
          flushRetired();
        }
        s.rendered += batchKeys.length;
        s.renderCalls++;
        s.renderMs += profiler.now() - tr;
      }
      for (const src of ['gpu', 'host', 'disk', 'render'] as const) profiler.count(`cache/${src}`, sources.filter((x) => x === src).length);
      const meta = { count, width, height, keys, sources };
      const result = out ? gpuViews(device!, out, meta, giveOut) : hostViews(hostOut!, meta);
      s.refreshes++;
      s.lastRefreshMs = profiler.now() - t0;
      s.refreshMs += s.lastRefreshMs;
      return result;
    } catch (e) {
      out?.destroy();
      throw e;
    } finally {
      span.end();
    }
  }

  return {
    renderer,
    refresh(views, refreshOptions = {}) {
      if (destroyed) return Promise.reject(new Error('refresh: this render cache was destroyed'));
      const p = chain.then(() => run(views, refreshOptions.signal));
      chain = p.catch(() => {});
      return p;
    },
    keys: (views) => viewKeys(views, currentContext(), quanta),
    stats: () => snapshotStats(s, gpu, host),
    async flush() {
      while (writes.size) await Promise.all([...writes]);
    },
    clear: dropMemoryTiers,
    async destroy() {
      destroyed = true;
      await chain;
      await this.flush();
      dropMemoryTiers();
      for (const b of freeOuts.splice(0)) b.destroy();
    },
  };
}
