// One Comlink API for Node `worker_threads` and browser Workers: the caller passes
// whichever worker it has, the worker script calls `exposeWorkerApi` the same way in both.

// The ESM build by path: Node would otherwise load comlink's UMD file, whose exports it
// cannot all see.
import * as Comlink from 'comlink/dist/esm/comlink.mjs';

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

/** Either kind of worker; both are `postMessage`-based. */
export type AnyWorker = Worker | import('node:worker_threads').Worker;

/** Node's `on`/`off` message ports as a Comlink endpoint: comlink's `node-adapter.mjs`, inlined
 *  so that bundles (bench/dist) need no `comlink` package at run time; it imports nothing. */
interface NodePort {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  on(event: 'message', listener: (data: unknown) => void): unknown;
  off(event: 'message', listener: (data: unknown) => void): unknown;
  start?: () => void;
}

function nodeEndpoint(port: NodePort): Comlink.Endpoint {
  const listeners = new WeakMap<object, (data: unknown) => void>();
  return {
    postMessage: port.postMessage.bind(port) as Comlink.Endpoint['postMessage'],
    addEventListener: (_type: string, handler: EventListenerOrEventListenerObject) => {
      const l = (data: unknown) => {
        const event = { data } as MessageEvent;
        if ('handleEvent' in handler) handler.handleEvent(event);
        else handler(event);
      };
      port.on('message', l);
      listeners.set(handler, l);
    },
    removeEventListener: (_type: string, handler: EventListenerOrEventListenerObject) => {
      const l = listeners.get(handler);
      if (!l) return;
      port.off('message', l);
      listeners.delete(handler);
    },
    ...(port.start ? { start: port.start.bind(port) } : {}),
  };
}

async function endpointFor(target: AnyWorker | import('node:worker_threads').MessagePort): Promise<Comlink.Endpoint> {
  if ('addEventListener' in target && typeof (target as Worker).addEventListener === 'function' && !isNode) {
    return target as Worker;
  }
  return nodeEndpoint(target as unknown as NodePort);
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
