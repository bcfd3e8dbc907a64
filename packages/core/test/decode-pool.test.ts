import { Worker } from 'node:worker_threads';
import { encode as encodePng } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { createDecodePool, createInlineDecoder, DECODE_WORKER_URL } from '../src/dataset/decode-pool.ts';
import { createWorkerPool } from '../src/worker/pool.ts';
import type { PoolTestApi } from './fixtures/pool.worker.ts';

// Worker threads cannot load TypeScript by themselves: start them through the tsx bootstrap.
const BOOTSTRAP = new URL('../../testing/src/fixtures/ts-worker.mjs', import.meta.url);
const startTs = (entry: URL) => () => new Worker(BOOTSTRAP, { workerData: { rvsEntry: entry.href } });

function png(seed: number): Uint8Array {
  const data = Uint8Array.from({ length: 8 * 4 * 3 }, (_, i) => (i * 7 + seed * 31) % 256);
  return encodePng({ width: 8, height: 4, channels: 3, depth: 8, data });
}

describe('createDecodePool', () => {
  const pool = createDecodePool({ size: 2, createWorker: startTs(DECODE_WORKER_URL) });
  afterAll(() => pool.destroy());

  it('decodes in workers exactly as on the main thread, moving the bytes', async () => {
    const inline = createInlineDecoder();
    const files = Array.from({ length: 6 }, (_, i) => png(i));
    const want = await Promise.all(files.map((f) => inline.decode(f.slice())));
    const sent = files.map((f) => f.slice());
    const got = await Promise.all(sent.map((f, i) => pool.decode(f, `img${i}.png`)));
    got.forEach((img, i) => {
      expect([img.width, img.height]).toEqual([8, 4]);
      expect(img.data).toBeInstanceOf(Uint8Array);
      expect(Array.from(img.data)).toEqual(Array.from(want[i]!.data));
    });
    // Transferred, not copied: the caller's buffers are detached.
    expect(sent.every((f) => f.byteLength === 0)).toBe(true);
  });

  it('rejects with the image name when a worker cannot decode', async () => {
    await expect(pool.decode(new Uint8Array([1, 2, 3, 4]), 'bad.png')).rejects.toThrow('bad.png: not a PNG or JPEG');
  });
});

describe('createWorkerPool', () => {
  const pool = createWorkerPool<PoolTestApi>({ size: 2, create: startTs(new URL('./fixtures/pool.worker.ts', import.meta.url)) });
  afterAll(() => pool.destroy());

  it('runs at most `size` tasks at once and queues the rest', async () => {
    let running = 0;
    let peak = 0;
    const threads = await Promise.all(
      Array.from({ length: 6 }, () =>
        pool.run(async (api) => {
          running++;
          peak = Math.max(peak, running);
          try {
            return await api.hold(30);
          } finally {
            running--;
          }
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(new Set(threads).size).toBe(2);
  });

  it('rejects a task whose worker dies and restarts the slot', async () => {
    await expect(pool.run((api) => api.crash(3) as unknown as Promise<void>)).rejects.toThrow(/worker [01] exited with code 3/);
    const echoes = await Promise.all([1, 2, 3].map((x) => pool.run((api) => api.echo(x))));
    expect(echoes).toEqual([1, 2, 3]);
  });

  it('validates its size', () => {
    expect(() => createWorkerPool({ size: 0, create: () => { throw new Error('unused'); } })).toThrow('createWorkerPool: size must be an integer ≥ 1, got 0');
  });
});
