// Public API of @rvs/core. Internal modules import each other directly, never this barrel.
export { exposeWorkerApi, transferred, wrapWorker } from './worker/index.ts';
export type { AnyWorker } from './worker/index.ts';
