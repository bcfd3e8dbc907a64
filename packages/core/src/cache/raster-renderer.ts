// A `ViewRenderer` over `@rvs/raster-wgpu`'s rasterizer, typed structurally so that
// `@rvs/core` does not depend on it: `createRasterViewRenderer(await createRasterizer(), scene)`.
import { renderSettingsKey, type RenderSettings } from './key.ts';
import type { RenderedBatch, ViewRenderer } from './types.ts';

/** The parts of a loaded scene the adapter reads (`@rvs/raster-wgpu`'s `Scene` fits). */
export interface SceneLike {
  /** Content hash, stable across runs. */
  readonly contentHash: string;
  /** SH degree stored in the scene. */
  readonly shDegree: number;
}

/** Render options the adapter passes (a subset of `@rvs/raster-wgpu`'s `RenderOptions`). */
export interface RasterRenderOptions {
  viewmats: Float32Array;
  Ks: Float32Array;
  width: number;
  height: number;
  shDegree?: number;
  background?: readonly [number, number, number];
  mode?: 'classic' | 'antialiased';
}

/** The parts of a rasterizer the adapter uses (`@rvs/raster-wgpu`'s `Rasterizer` fits). */
export interface RasterizerLike<S extends SceneLike> {
  readonly device: GPUDevice;
  render(scene: S, options: RasterRenderOptions): Promise<RenderedBatch>;
}

/** A `ViewRenderer` whose scene and settings can change (each change invalidates caches). */
export interface RasterViewRenderer<S extends SceneLike> extends ViewRenderer {
  readonly device: GPUDevice;
  readonly scene: S;
  readonly settings: Readonly<RenderSettings>;
  /** Renders `scene` from now on (the caller keeps ownership of both scenes). */
  setScene(scene: S): void;
  setSettings(settings: RenderSettings): void;
}

/**
 * Renders `scene` with `settings` (defaults: `classic`, the scene's SH degree, black
 * background) through `rasterizer`.
 */
export function createRasterViewRenderer<S extends SceneLike>(rasterizer: RasterizerLike<S>, scene: S, settings: RenderSettings = {}): RasterViewRenderer<S> {
  let current = scene;
  let chosen: RenderSettings = { ...settings };
  const resolved = () => ({
    mode: chosen.mode ?? 'classic',
    shDegree: chosen.shDegree ?? current.shDegree,
    background: chosen.background ?? ([0, 0, 0] as const),
  });
  return {
    device: rasterizer.device,
    get scene() {
      return current;
    },
    get settings() {
      return chosen;
    },
    get sceneHash() {
      return current.contentHash;
    },
    get settingsKey() {
      return renderSettingsKey(resolved());
    },
    setScene(next) {
      current = next;
    },
    setSettings(next) {
      chosen = { ...next };
    },
    render(viewmats, Ks, width, height) {
      return rasterizer.render(current, { viewmats, Ks, width, height, ...resolved() });
    },
  };
}
