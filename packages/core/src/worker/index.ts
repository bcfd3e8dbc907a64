// Public worker helpers of @rvs/core (subpath `@rvs/core/worker`).
export { exposeWorkerApi, transferred, wrapWorker } from './endpoint.ts';
export type { AnyWorker } from './endpoint.ts';
export { createWorkerPool } from './pool.ts';
export type { WorkerPool, WorkerPoolOptions } from './pool.ts';
export { ownBuffer, withTransfer } from './transfer.ts';
