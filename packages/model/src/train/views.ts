// Getting a set of frames' images onto the GPU as model inputs: renders (through the render
// cache, kept for the run) or decoded photos (resized into an ImageBatch per micro-batch).
import { viewmatsFromPoses, type CachedViews, type Pose, type PoseFrame, type RenderCache } from '@rvs/core';
import type { ImageBatch } from '@rvs/raster-wgpu';
import type { ModelInput } from '../model.ts';
import type { ImageSource } from './types.ts';

/** Intrinsics of each frame scaled to the model's input size. */
export function scaledKs(frames: readonly PoseFrame[], width: number, height: number): Float32Array {
  const Ks = new Float32Array(frames.length * 9);
  frames.forEach((f, i) => {
    const sx = width / f.width;
    const sy = height / f.height;
    const K = f.K;
    Ks.set([(K[0] as number) * sx, 0, (K[2] as number) * sx, 0, (K[4] as number) * sy, (K[5] as number) * sy, 0, 0, 1], i * 9);
  });
  return Ks;
}

/** Renders (or takes from the cache) the views at `poses` with the frames' scaled intrinsics. */
export function renderViews(cache: RenderCache, poses: readonly Pose[], Ks: Float32Array, width: number, height: number): Promise<CachedViews> {
  return cache.refresh({ viewmats: viewmatsFromPoses(poses), Ks, width, height });
}

/** A set of images the loop draws micro-batches from, by index. */
export interface ImageSet {
  readonly count: number;
  /** Model input for the images at `indices` (valid until the next call). */
  input(indices: readonly number[]): Promise<ModelInput>;
  destroy(): void;
}

export function renderedSet(views: CachedViews): ImageSet {
  const buffer = views.gpuBuffer;
  if (!buffer) throw new Error('the render cache returned host images: training needs a renderer on the model\'s device');
  return {
    count: views.count,
    input: async (indices) => ({ kind: 'rgba', buffer, views: views.count, width: views.width, height: views.height, indices }),
    destroy: () => views.destroy(),
  };
}

export function photoSet(frames: readonly PoseFrame[], source: Extract<ImageSource, { kind: 'files' }>, batch: ImageBatch): ImageSet {
  return {
    count: frames.length,
    async input(indices) {
      if (indices.length > batch.size) throw new RangeError(`photoSet: ${indices.length} images for a batch of ${batch.size}`);
      const images = await Promise.all(indices.map((i) => source.read(frames[i] as PoseFrame)));
      images.forEach((img, slot) => batch.writeImages(img.data, img.width, img.height, slot));
      return { kind: 'batch', batch, first: 0, count: indices.length };
    },
    destroy: () => undefined,
  };
}

/** The images of `frames` as model inputs: renders through `cache` (kept on the GPU), or photos
 *  decoded and resized into `photoBatch` per request. */
export async function frameImages(
  frames: readonly PoseFrame[], source: ImageSource, width: number, height: number,
  cache: RenderCache | undefined, photoBatch: ImageBatch | undefined,
): Promise<ImageSet> {
  if (source.kind === 'render') {
    if (!cache) throw new Error('rendered images need the scene to render them from');
    return renderedSet(await renderViews(cache, frames.map((f) => f.pose), scaledKs(frames, width, height), width, height));
  }
  if (!photoBatch) throw new Error('photos need an ImageBatch to be resized into');
  return photoSet(frames, source, photoBatch);
}
