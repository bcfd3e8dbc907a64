// The cache's counters: mutable inside the cache, copied out by `stats()`.
import type { ByteLru } from './lru.ts';
import type { CacheStats, DiskTierStats, TierStats } from './types.ts';

/** Mutable counters; the memory tiers' bytes, entries and evictions are read from their LRUs. */
export type StatsState = CacheStats;

const tier = (): TierStats => ({ hits: 0, misses: 0, bytes: 0, entries: 0, evictions: 0 });

export function createStats(): StatsState {
  const disk: DiskTierStats = { ...tier(), corrupt: 0, writeErrors: 0 };
  return { gpu: tier(), host: tier(), disk, rendered: 0, renderCalls: 0, renderMs: 0, refreshes: 0, refreshMs: 0, lastRefreshMs: 0, invalidations: 0 };
}

export function snapshotStats(s: StatsState, gpu: ByteLru<unknown>, host: ByteLru<unknown>): CacheStats {
  return {
    ...s,
    gpu: { ...s.gpu, bytes: gpu.bytes, entries: gpu.size, evictions: gpu.evictions },
    host: { ...s.host, bytes: host.bytes, entries: host.size, evictions: host.evictions },
    disk: { ...s.disk },
  };
}
