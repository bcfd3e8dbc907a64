// Dataset readers (pure parsers over strings and ArrayBuffers, so they run in browsers too),
// image decoding and prefetch. The Node file loaders live in load-node.ts (`@rvs/core/node`).
export type { Distortion, Intrinsics, PoseDataset, PoseFrame } from './types.ts';
export { intrinsicsMatrix, splitFrames } from './types.ts';
export { splitByNames, splitEveryNth } from './split.ts';
export { CAMBRIDGE_INTRINSICS, cambridgeDataset, parseCambridgeList, scaleIntrinsics } from './cambridge.ts';
export type { CambridgeEntry, CambridgeOptions } from './cambridge.ts';
export { parse7ScenesPose, parse7ScenesSplit, SEVEN_SCENES_INTRINSICS, sevenScenesDataset, sevenScenesSequenceDir } from './seven-scenes.ts';
export type { SevenScenesFrameText, SevenScenesOptions } from './seven-scenes.ts';
export { COLMAP_CAMERA_MODELS, colmapIntrinsics } from './colmap-camera.ts';
export type { ColmapCamera, ColmapModelName } from './colmap-camera.ts';
export type { ColmapImage, ColmapModel, ColmapPoints } from './colmap-types.ts';
export { parseColmapCamerasText, parseColmapImagesText, parseColmapPoints3DText } from './colmap-text.ts';
export { parseColmapCamerasBinary, parseColmapImagesBinary, parseColmapPoints3DBinary } from './colmap-binary.ts';
export { colmapDataset } from './colmap.ts';
export type { ColmapOptions } from './colmap.ts';
export { nerfstudioDataset } from './nerfstudio.ts';
export type { NerfstudioOptions } from './nerfstudio.ts';
export { decodeImage, decodeImageSync, sniffImageFormat, toFloatRgba } from './decode.ts';
export type { DecodedImage, ImageFormat } from './decode.ts';
export { createDecodePool, createInlineDecoder, DECODE_WORKER_URL, startBrowserDecodeWorker } from './decode-pool.ts';
export type { DecodePoolOptions, ImageDecoder } from './decode-pool.ts';
export type { DecodeWorkerApi } from './decode-api.ts';
export { prefetch, prefetchImages } from './prefetch.ts';
export type { PrefetchImagesOptions, PrefetchOptions } from './prefetch.ts';
export { demoDataset } from './demo.ts';
export type { DemoDatasetOptions } from './demo.ts';
export { parseViewsJson } from './views-json.ts';
export type { ViewsInput } from './views-json.ts';
