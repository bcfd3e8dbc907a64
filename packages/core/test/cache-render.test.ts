// The render cache on the real rasterizer (Dawn; SwiftShader without a GPU): tiers, smart
// refresh, persistence, corruption and scene changes. Images are tiny: WebGPU is emulated here.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRasterizer, type Rasterizer, type Scene } from '@rvs/raster-wgpu';
import { randomSplats, ringCameras, writePly } from '@rvs/testing';
import { createRasterViewRenderer, createRenderCache, type RasterViewRenderer, type ViewBatch, type ViewRenderer } from '../src/cache/index.ts';
import { createNodeStore } from '../src/cache/store-node.ts';

const W = 32;
const H = 24;
const C = 8;
const VIEW = W * H * 4;

/** Counts renderer calls and rendered views. */
function counting(inner: ViewRenderer) {
  const calls: number[] = [];
  const renderer: ViewRenderer = {
    get sceneHash() {
      return inner.sceneHash;
    },
    get settingsKey() {
      return inner.settingsKey;
    },
    device: inner.device,
    render(viewmats, Ks, width, height) {
      calls.push(viewmats.length / 16);
      return inner.render(viewmats, Ks, width, height);
    },
  };
  return { renderer, calls, views: () => calls.reduce((a, b) => a + b, 0) };
}

/** A copy of `views` with views `which` moved by `step` along the camera x axis. */
function moved(views: ViewBatch, which: number[], step = 0.05): ViewBatch {
  const viewmats = views.viewmats.slice();
  for (const c of which) viewmats[c * 16 + 3]! += step;
  return { ...views, viewmats };
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('render cache on the real rasterizer', () => {
  let r: Rasterizer;
  let sceneA: Scene;
  let sceneB: Scene;
  let raster: RasterViewRenderer<Scene>;
  let dir: string;
  const views: ViewBatch = { ...ringCameras(C, W, H), width: W, height: H };
  const direct = async (scene: Scene, v: ViewBatch): Promise<Float32Array> => {
    const out = await r.render(scene, { viewmats: v.viewmats, Ks: v.Ks, width: v.width, height: v.height });
    const rgba = await out.readRgba();
    out.destroy();
    return rgba;
  };

  beforeAll(async () => {
    r = await createRasterizer();
    sceneA = await r.loadScene(writePly(randomSplats(300, 1, 5)));
    sceneB = await r.loadScene(writePly(randomSplats(300, 1, 6)));
    raster = createRasterViewRenderer(r, sceneA);
    dir = await mkdtemp(join(tmpdir(), 'rvs-cache-'));
  });
  afterAll(async () => {
    r?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves the rasterizer\'s images and re-renders only the changed poses, in batches', async () => {
    const { renderer, calls, views: rendered } = counting(raster);
    const cache = createRenderCache(renderer, { batchSize: 3 });
    const first = await cache.refresh(views);
    expect(calls).toEqual([3, 3, 2]);
    expect(first.sources).toEqual(new Array(C).fill('render'));
    expect(first.gpuBuffer).toBeDefined();
    const want = await direct(sceneA, views);
    expect(maxDiff(await first.readRgba(), want)).toBe(0); // GPU output is bit-exact
    const covered = want.filter((v, i) => i % 4 === 3 && v > 0.5).length;
    expect(covered).toBeGreaterThan(C * W * H * 0.05); // the views are not blank
    first.destroy();

    const next = moved(views, [1, 6]);
    const second = await cache.refresh(next);
    expect(rendered()).toBe(C + 2);
    expect(second.sources.filter((s) => s === 'render').length).toBe(2);
    expect(second.sources.filter((s) => s === 'gpu').length).toBe(C - 2);
    expect(maxDiff(await second.readRgba(), await direct(sceneA, next))).toBe(0);
    second.destroy();

    const stats = cache.stats();
    expect(stats.gpu).toMatchObject({ hits: C - 2, misses: C + 2, entries: C + 2, bytes: (C + 2) * VIEW * 4, evictions: 0 });
    expect([stats.rendered, stats.renderCalls, stats.refreshes]).toEqual([C + 2, 4, 2]);
    await cache.destroy();
  });

  it('keeps rendered views on the GPU only, by default, when it has a GPU tier and no store', async () => {
    const { renderer } = counting(raster);
    const cache = createRenderCache(renderer);
    (await cache.refresh(views)).destroy();
    const again = await cache.refresh(views);
    expect(again.sources.every((x) => x === 'gpu')).toBe(true);
    again.destroy();
    expect(cache.stats().host.entries).toBe(0);
    cache.destroy();
  });

  it('evicts least recently used views by bytes; host hits (RGBA8) stay within half a level', async () => {
    const { renderer, views: rendered } = counting(raster);
    // GPU tier: room for 3 views. Host tier: room for 5 RGBA8 views.
    const cache = createRenderCache(renderer, { gpuBytes: 3 * VIEW * 4, hostBytes: 5 * VIEW, hostWrites: 'always' });
    (await cache.refresh(views)).destroy();
    let s = cache.stats();
    expect([s.gpu.entries, s.gpu.bytes, s.gpu.evictions]).toEqual([3, 3 * VIEW * 4, C - 3]);
    expect([s.host.entries, s.host.bytes, s.host.evictions]).toEqual([5, 5 * VIEW, C - 5]);
    // Views 5–7 are still on the GPU, 3–7 on the host; 0–2 were evicted from both.
    const pick = (ids: number[]): ViewBatch => ({
      ...views,
      viewmats: Float32Array.from(ids.flatMap((c) => [...views.viewmats.subarray(c * 16, c * 16 + 16)])),
      Ks: Float32Array.from(ids.flatMap((c) => [...views.Ks.subarray(c * 9, c * 9 + 9)])),
    });
    const late = await cache.refresh(pick([5, 6, 7]));
    expect(late.sources).toEqual(['gpu', 'gpu', 'gpu']);
    expect(maxDiff(await late.readRgba(), await direct(sceneA, pick([5, 6, 7])))).toBe(0);
    late.destroy();
    const early = await cache.refresh(pick([0, 1, 2, 3, 4]));
    expect(early.sources).toEqual(['render', 'render', 'render', 'host', 'host']);
    expect(rendered()).toBe(C + 3);
    const got = await early.readRgba();
    const want = await direct(sceneA, pick([0, 1, 2, 3, 4]));
    expect(maxDiff(got.subarray(0, 3 * VIEW), want.subarray(0, 3 * VIEW))).toBe(0);
    const rgba8 = maxDiff(got, want);
    expect(rgba8).toBeGreaterThan(0); // the host tier really holds 8-bit pixels
    expect(rgba8).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
    early.destroy();
    s = cache.stats();
    expect(s.gpu.bytes).toBeLessThanOrEqual(3 * VIEW * 4);
    expect(s.host.bytes).toBeLessThanOrEqual(5 * VIEW);
    await cache.destroy();
  });

  it('persists entries to disk and serves them to a new cache without rendering', async () => {
    const store = createNodeStore(join(dir, 'roundtrip'));
    const a = createRenderCache(counting(raster).renderer, { store, hostFormat: 'f32' });
    (await a.refresh(views)).destroy();
    await a.flush();
    expect(a.stats().disk).toMatchObject({ entries: C, writeErrors: 0 });
    expect((await readdir(join(dir, 'roundtrip'))).filter((f) => f.endsWith('.rvsc')).length).toBe(C);
    await a.destroy();

    const { renderer, calls } = counting(raster);
    const b = createRenderCache(renderer, { store, hostFormat: 'f32' });
    const got = await b.refresh(views);
    expect(calls).toEqual([]);
    expect(got.sources).toEqual(new Array(C).fill('disk'));
    expect(maxDiff(await got.readRgba(), await direct(sceneA, views))).toBe(0); // f32 on disk: exact
    got.destroy();
    expect(b.stats().disk).toMatchObject({ hits: C, misses: 0, corrupt: 0 });
    await b.destroy();
  });

  it('detects a bit-flipped and a truncated entry on disk and re-renders both', async () => {
    const path = join(dir, 'corrupt');
    const store = createNodeStore(path);
    const a = createRenderCache(raster, { store });
    const keys = a.keys(views);
    (await a.refresh(views)).destroy();
    await a.destroy();
    const flipped = join(path, `${keys[2]}.rvsc`);
    const bytes = await readFile(flipped);
    bytes[bytes.length - 17]! ^= 0x10; // one payload bit
    await writeFile(flipped, bytes);
    const truncated = join(path, `${keys[5]}.rvsc`);
    await writeFile(truncated, (await readFile(truncated)).subarray(0, 300));

    const { renderer, calls } = counting(raster);
    const b = createRenderCache(renderer, { store });
    const got = await b.refresh(views);
    expect(calls).toEqual([2]);
    expect(got.sources.map((s, i) => (s === 'render' ? i : -1)).filter((i) => i >= 0)).toEqual([2, 5]);
    expect(b.stats().disk).toMatchObject({ hits: C - 2, corrupt: 2 });
    expect(maxDiff(await got.readRgba(), await direct(sceneA, views))).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
    got.destroy();
    await b.flush(); // the re-rendered entries were rewritten whole
    const c = createRenderCache(raster, { store, gpuBytes: 0 });
    const healed = await c.refresh(views);
    expect(healed.sources).toEqual(new Array(C).fill('disk'));
    healed.destroy();
    await Promise.all([b.destroy(), c.destroy()]);
  });

  it('never serves entries of another scene or other settings, from memory or disk', async () => {
    const store = createNodeStore(join(dir, 'scenes'));
    const own = createRasterViewRenderer(r, sceneA);
    const { renderer, views: rendered } = counting(own);
    const cache = createRenderCache(renderer, { store, hostFormat: 'f32' });
    (await cache.refresh(views)).destroy();
    await cache.flush();

    own.setScene(sceneB); // same poses, another scene: every view is rendered again
    const b = await cache.refresh(views);
    expect(b.sources).toEqual(new Array(C).fill('render'));
    expect(cache.stats().invalidations).toBe(1);
    expect(maxDiff(await b.readRgba(), await direct(sceneB, views))).toBe(0);
    b.destroy();

    own.setSettings({ background: [0.2, 0.4, 0.6] }); // other settings: again
    const bg = await cache.refresh(views);
    expect(bg.sources).toEqual(new Array(C).fill('render'));
    const wantBg = await r.render(sceneB, { ...views, background: [0.2, 0.4, 0.6] });
    expect(maxDiff(await bg.readRgba(), await wantBg.readRgba())).toBe(0);
    wantBg.destroy();
    bg.destroy();
    expect(rendered()).toBe(3 * C);
    await cache.destroy();

    // A fresh cache on scene B's default settings finds its own entries, never scene A's.
    const fresh = createRenderCache(createRasterViewRenderer(r, sceneB), { store, hostFormat: 'f32' });
    const fromDisk = await fresh.refresh(views);
    expect(fromDisk.sources).toEqual(new Array(C).fill('disk'));
    expect(maxDiff(await fromDisk.readRgba(), await direct(sceneB, views))).toBe(0);
    fromDisk.destroy();

    // Scene A's entry planted under scene B's name (a key collision, a bad copy) is refused.
    const keyA = createRenderCache(createRasterViewRenderer(r, sceneA)).keys(views)[0]!;
    const keyB = fresh.keys(views)[0]!;
    await writeFile(join(dir, 'scenes', `${keyB}.rvsc`), await readFile(join(dir, 'scenes', `${keyA}.rvsc`)));
    await fresh.destroy();
    const planted = createRenderCache(createRasterViewRenderer(r, sceneB), { store, hostFormat: 'f32' });
    const refused = await planted.refresh(views);
    expect(refused.sources[0]).toBe('render');
    expect(planted.stats().disk.corrupt).toBe(1);
    expect(maxDiff(await refused.readRgba(), await direct(sceneB, views))).toBe(0);
    refused.destroy();
    await planted.destroy();
  });

  it('works with a host-only renderer and stops at an aborted signal', async () => {
    const hostOnly: ViewRenderer = {
      sceneHash: raster.sceneHash,
      settingsKey: raster.settingsKey,
      async render(viewmats, Ks, width, height) {
        const out = await raster.render(viewmats, Ks, width, height);
        const rgba = await out.readRgba();
        out.destroy();
        return { readRgba: async () => rgba, destroy: () => {} };
      },
    };
    const cache = createRenderCache(hostOnly, { hostFormat: 'f32', batchSize: 4 });
    const got = await cache.refresh(views);
    expect(got.gpuBuffer).toBeUndefined();
    expect(maxDiff(await got.readRgba(), await direct(sceneA, views))).toBe(0);
    const controller = new AbortController();
    controller.abort();
    await expect(cache.refresh(moved(views, [0]), { signal: controller.signal })).rejects.toThrow(/abort/i);
    expect(cache.stats().rendered).toBe(C);
    await cache.destroy();
  });
});
