import { describe, expect, it } from 'vitest';
import { createInlineDecoder } from '../src/dataset/decode-pool.ts';
import { prefetch, prefetchImages } from '../src/dataset/prefetch.ts';
import { encode as encodePng } from 'fast-png';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('prefetch', () => {
  it('keeps `depth` loads ahead of the consumer, in order', async () => {
    const started: number[] = [];
    const load = async (k: number) => {
      started.push(k);
      await tick();
      return k * 10;
    };
    const seen: number[] = [];
    const aheadAtConsume: number[] = [];
    for await (const v of prefetch([0, 1, 2, 3, 4, 5, 6], load, { depth: 3 })) {
      seen.push(v);
      aheadAtConsume.push(started.length - seen.length);
      await tick();
    }
    expect(seen).toEqual([0, 10, 20, 30, 40, 50, 60]);
    // While item i is consumed, items i+1..i+3 are loading (fewer near the end).
    expect(aheadAtConsume).toEqual([3, 3, 3, 3, 2, 1, 0]);
  });

  it('throws a failed load when the consumer reaches it', async () => {
    const got: number[] = [];
    const run = async () => {
      for await (const v of prefetch([1, 2, 3], async (k) => {
        if (k === 2) throw new Error(`cannot load ${k}`);
        return k;
      }, { depth: 2 })) got.push(v);
    };
    await expect(run()).rejects.toThrow('cannot load 2');
    expect(got).toEqual([1]);
  });

  it('stops starting loads when the consumer breaks', async () => {
    const started: number[] = [];
    function* keys() {
      for (let i = 0; ; i++) yield i;
    }
    for await (const v of prefetch(keys(), async (k) => (started.push(k), k), { depth: 4 })) if (v === 1) break;
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    await expect(prefetch([1], async (k) => k, { depth: 0 }).next()).rejects.toThrow('prefetch: depth must be an integer ≥ 1, got 0');
  });

  it('reads and decodes images ahead', async () => {
    const files: Record<string, Uint8Array> = {
      'a.png': encodePng({ width: 1, height: 1, channels: 3, depth: 8, data: Uint8Array.from([1, 2, 3]) }),
      'b.png': encodePng({ width: 1, height: 1, channels: 3, depth: 8, data: Uint8Array.from([4, 5, 6]) }),
    };
    const out: string[] = [];
    for await (const { path, image } of prefetchImages(['a.png', 'b.png'], { read: async (p) => files[p]!, decoder: createInlineDecoder(), depth: 2 })) {
      out.push(`${path}:${Array.from(image.data).join(',')}`);
    }
    expect(out).toEqual(['a.png:1,2,3,255', 'b.png:4,5,6,255']);
  });
});
