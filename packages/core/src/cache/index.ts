// Render cache: keys, tiers, persistent stores, the rasterizer adapter. Node's directory store
// is exported from `@rvs/core/node`. Internal modules import files directly, never this barrel.
export { createRenderCache } from './render-cache.ts';
export { contextKey, renderSettingsKey, viewKeys } from './key.ts';
export type { KeyQuanta, RenderSettings } from './key.ts';
export { createOpfsStore } from './store-opfs.ts';
export { createRasterViewRenderer } from './raster-renderer.ts';
export type { RasterizerLike, RasterRenderOptions, RasterViewRenderer, SceneLike } from './raster-renderer.ts';
export type {
  CachedViews,
  CacheStats,
  CacheStore,
  DiskTierStats,
  HostFormat,
  RefreshOptions,
  RenderCache,
  RenderCacheOptions,
  RenderedBatch,
  TierStats,
  ViewBatch,
  ViewRenderer,
  ViewSource,
} from './types.ts';
export { inspectEntry } from './entry.ts';
export type { EntryInfo } from './entry.ts';
