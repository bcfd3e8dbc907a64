// A fixed-size pool of Comlink workers. The caller supplies the factory, so Node (a
// worker_threads Worker, e.g. started through a TypeScript bootstrap) and browsers (a module
// Worker) share the same pool, and tests can start workers however they need.
import type { Remote } from 'comlink';
import { wrapWorker, type AnyWorker } from './endpoint.ts';

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /** Number of workers, at least 1. */
  size: number;
  /** Starts worker `index` (0-based); called again for a slot whose worker crashed. */
  create: (index: number) => AnyWorker;
}

/** Workers serving API `T`, each running one task at a time. */
export interface WorkerPool<T> {
  readonly size: number;
  /**
   * Runs `task` with the next free worker's API; tasks beyond `size` wait in FIFO order. If the
   * worker dies during the task, the task rejects naming the worker, and the slot is restarted.
   */
  run<R>(task: (api: Remote<T>) => Promise<R>): Promise<R>;
  /** Terminates every worker; waiting and later tasks reject. */
  destroy(): Promise<void>;
}

interface Slot<T> {
  worker: AnyWorker;
  api: Promise<Remote<T>>;
  /** Rejects when the worker errors or exits. */
  dead: Promise<never>;
}

/**
 * Creates a pool of `size` workers from `create`. Each worker starts on its slot's first task,
 * so an unused pool costs nothing.
 * @throws if `size` is not an integer ≥ 1.
 */
export function createWorkerPool<T>(options: WorkerPoolOptions): WorkerPool<T> {
  const { size, create } = options;
  if (!(Number.isInteger(size) && size >= 1)) throw new Error(`createWorkerPool: size must be an integer ≥ 1, got ${size}`);
  let destroyed = false;
  const slots: (Slot<T> | undefined)[] = new Array(size).fill(undefined);
  const free: number[] = Array.from({ length: size }, (_, i) => i);
  const waiting: { resolve: (slot: number) => void; reject: (e: Error) => void }[] = [];

  const start = (index: number): Slot<T> => {
    const worker = create(index);
    const dead = new Promise<never>((_, reject) => onDeath(worker, (why) => reject(new Error(`worker ${index} ${why}`))));
    dead.catch(() => {
      if (slots[index]?.worker === worker) slots[index] = undefined; // restart on next use
    });
    return { worker, api: wrapWorker<T>(worker), dead };
  };

  const acquire = (): Promise<number> => {
    if (destroyed) return Promise.reject(new Error('worker pool was destroyed'));
    const i = free.shift();
    if (i !== undefined) return Promise.resolve(i);
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };

  const release = (i: number): void => {
    const next = waiting.shift();
    if (next) next.resolve(i);
    else free.push(i);
  };

  return {
    size,
    async run(task) {
      const i = await acquire();
      try {
        const slot = (slots[i] ??= start(i));
        return await Promise.race([slot.dead, slot.api.then(task)]);
      } finally {
        release(i);
      }
    },
    async destroy() {
      destroyed = true;
      for (const w of waiting.splice(0)) w.reject(new Error('worker pool was destroyed'));
      await Promise.all(slots.map((s) => s && Promise.resolve(s.worker.terminate())));
      slots.fill(undefined);
    },
  };
}

/** Calls `die` once when the worker reports an error or (Node) exits. */
function onDeath(worker: AnyWorker, die: (why: string) => void): void {
  if ('on' in worker && typeof worker.on === 'function') {
    worker.on('error', (e: Error) => die(`failed: ${e.message}`));
    worker.on('exit', (code: number) => die(`exited with code ${code}`));
  } else {
    (worker as Worker).addEventListener('error', (e) => die(`failed: ${e.message}`));
  }
}
