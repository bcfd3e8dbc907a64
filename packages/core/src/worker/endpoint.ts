// One Comlink API for Node `worker_threads` and browser Workers: the caller passes
// whichever worker it has, the worker script calls `exposeWorkerApi` the same way in both.

// The ESM build by path: Node would otherwise load comlink's UMD file, whose exports it
// cannot all see.
import * as Comlink from 'comlink/dist/esm/comlink.mjs';

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

/** Either kind of worker; both are `postMessage`-based. */
export type AnyWorker = Worker | import('node:worker_threads').Worker;

// Kept out of bundlers' sight: browser builds never load Node's adapter.
const NODE_ADAPTER = 'comlink/dist/esm/node-adapter.mjs';

async function endpointFor(target: AnyWorker | import('node:worker_threads').MessagePort): Promise<Comlink.Endpoint> {
  if ('addEventListener' in target && typeof (target as Worker).addEventListener === 'function' && !isNode) {
    return target as Worker;
  }
  const { default: nodeEndpoint } = (await import(/* @vite-ignore */ NODE_ADAPTER)) as {
    default: (nep: unknown) => Comlink.Endpoint;
  };
  return nodeEndpoint(target);
}

/** Wraps a worker so its exposed API can be called as async functions. */
export async function wrapWorker<T>(worker: AnyWorker): Promise<Comlink.Remote<T>> {
  return Comlink.wrap<T>(await endpointFor(worker));
}

/** Called inside the worker script: serves `api` to the thread that started it. */
export async function exposeWorkerApi(api: object): Promise<void> {
  if (isNode) {
    const wt = 'node:worker_threads';
    const { parentPort } = (await import(/* @vite-ignore */ wt)) as typeof import('node:worker_threads');
    if (!parentPort) throw new Error('exposeWorkerApi must run inside a worker thread');
    Comlink.expose(api, await endpointFor(parentPort));
    return;
  }
  Comlink.expose(api, globalThis as unknown as Comlink.Endpoint);
}

/** Marks a typed array's buffer as moved (not copied) when it crosses to the other thread. */
export function transferred<T extends ArrayBufferView>(view: T): T {
  return Comlink.transfer(view, [view.buffer as ArrayBuffer]);
}
