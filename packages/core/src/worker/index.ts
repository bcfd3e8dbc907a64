// Public worker helpers of @rvs/core (subpath `@rvs/core/worker`).
export { exposeWorkerApi, transferred, wrapWorker } from './endpoint.ts';
export type { AnyWorker } from './endpoint.ts';
