// Loading ahead of the consumer: a bounded queue so image decoding overlaps training and never
// starves it, without decoding the whole dataset into memory.
import type { ImageDecoder } from './decode-pool.ts';
import type { DecodedImage } from './decode.ts';

/** Options of {@link prefetch}. */
export interface PrefetchOptions {
  /** How many items may be loading or loaded but not yet consumed. Default 8. */
  depth?: number;
}

/**
 * Yields `load(key)` for each key in order, keeping up to `depth` loads running ahead of the
 * consumer: while it works on item i, items i+1 … i+depth load. A failed load throws when the
 * consumer reaches it; breaking out of the loop stops new loads.
 * @throws if `depth` is not an integer ≥ 1.
 */
export async function* prefetch<K, V>(
  keys: Iterable<K>,
  load: (key: K, index: number) => Promise<V>,
  options: PrefetchOptions = {},
): AsyncGenerator<V, void, undefined> {
  const depth = options.depth ?? 8;
  if (!(Number.isInteger(depth) && depth >= 1)) throw new Error(`prefetch: depth must be an integer ≥ 1, got ${depth}`);
  const it = keys[Symbol.iterator]();
  const queue: Promise<V>[] = [];
  let index = 0;
  let done = false;
  const fill = (): void => {
    while (!done && queue.length < depth) {
      const next = it.next();
      if (next.done) {
        done = true;
        return;
      }
      const p = load(next.value, index++);
      p.catch(() => {}); // surfaced when consumed; silenced if the consumer stops first
      queue.push(p);
    }
  };
  try {
    fill();
    for (let head = queue.shift(); head !== undefined; head = queue.shift()) {
      fill();
      yield await head;
    }
  } finally {
    if (!done) it.return?.();
  }
}

/** Options of {@link prefetchImages}. */
export interface PrefetchImagesOptions extends PrefetchOptions {
  /** Reads an image file's bytes (Node: `readImageBytes`; browsers: fetch). */
  read: (path: string) => Promise<Uint8Array>;
  /** Decodes them, e.g. a pool from `createDecodePool`. */
  decoder: ImageDecoder;
}

/** Reads and decodes `paths` in order, `depth` ahead of the consumer. */
export function prefetchImages(paths: Iterable<string>, options: PrefetchImagesOptions): AsyncGenerator<{ path: string; image: DecodedImage }, void, undefined> {
  return prefetch(paths, async (path) => ({ path, image: await options.decoder.decode(await options.read(path), path) }), options);
}
