// Node-only API of @rvs/core (subpath `@rvs/core/node`): dataset loaders that read the disk.
// Kept out of the main barrel so browser bundles never see `node:fs`.
export { load7Scenes, loadCambridge, loadColmap, loadNerfstudio, readImageBytes } from './dataset/load-node.ts';
export type { ColmapLoadOptions, LoadedDataset, NodeLoadOptions } from './dataset/load-node.ts';
// The render cache's persistent tier on disk (one atomically written file per entry).
export { createNodeStore } from './cache/store-node.ts';
