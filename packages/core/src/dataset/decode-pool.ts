// Image decoding off the main thread: a pool of decode workers behind one `decode` call.
import { createWorkerPool } from '../worker/pool.ts';
import type { AnyWorker } from '../worker/endpoint.ts';
import { ownBuffer, withTransfer } from '../worker/transfer.ts';
import type { DecodeWorkerApi } from './decode-api.ts';
import { decodeImage, type DecodedImage } from './decode.ts';

/** Decodes PNG/JPEG bytes to RGBA8. */
export interface ImageDecoder {
  /**
   * Decodes one image. `bytes` may be transferred to a worker: do not use it afterwards.
   * @param name shown in errors (a path, say).
   */
  decode(bytes: Uint8Array, name?: string): Promise<DecodedImage>;
  /** Stops the workers, if any. */
  destroy(): Promise<void>;
}

/**
 * The decode worker script. In browsers start it as `new Worker(DECODE_WORKER_URL, { type:
 * 'module' })`; in Node through a TypeScript-capable bootstrap (as the tests do with
 * `packages/testing/src/fixtures/ts-worker.mjs`).
 */
export const DECODE_WORKER_URL: URL = new URL('./decode.worker.ts', import.meta.url);

/**
 * Starts a decode worker in a browser. Written as `new Worker(new URL(…), { type: 'module' })`
 * so bundlers (Vite, webpack) see the worker and compile it; pass it as `createWorker`.
 */
export function startBrowserDecodeWorker(): Worker {
  return new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module' });
}

/** Options of {@link createDecodePool}. */
export interface DecodePoolOptions {
  /** Starts one decode worker running {@link DECODE_WORKER_URL}. */
  createWorker: (index: number) => AnyWorker;
  /** Number of workers. Default: hardware threads − 1, at least 1. */
  size?: number;
}

/** A decoder backed by a pool of decode workers; decodes run in parallel, one per worker. */
export function createDecodePool(options: DecodePoolOptions): ImageDecoder {
  const threads = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2;
  const pool = createWorkerPool<DecodeWorkerApi>({ size: options.size ?? Math.max(1, threads - 1), create: options.createWorker });
  return {
    decode(bytes, name) {
      const owned = ownBuffer(bytes);
      return pool.run((api) => api.decode(withTransfer(owned, [owned]), name));
    },
    destroy: () => pool.destroy(),
  };
}

/** A decoder on the calling thread (small datasets, tests, or where workers are unavailable). */
export function createInlineDecoder(): ImageDecoder {
  return { decode: (bytes, name) => decodeImage(bytes, name), destroy: async () => {} };
}
