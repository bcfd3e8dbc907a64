// The model tests' shared set-up: a tiny edge model and four 32×32 views rendered from a
// random scene on the rasterizer's device (SwiftShader where there is no GPU).
import { lookAt, viewmatsFromPoses, type Pose } from '@rvs/core';
import { createRasterizer, type Rasterizer, type RenderResult, type Scene } from '@rvs/raster-wgpu';
import { randomSplats, writePly } from './scenes.ts';

/** `createPoseModel` options of a model small enough for a software adapter. */
export const TINY_MODEL = { preset: 'edge' as const, model: { widthMult: 0.25, dModel: 16, dFf: 16, heads: 2, layers: 1, headHidden: 16, maxPositions: 8 } };

export interface TinyViews {
  r: Rasterizer;
  scene: Scene;
  views: RenderResult;
  /** Camera-to-world poses of the four views. */
  poses: Pose[];
  width: number;
  height: number;
  /** The rendered views as a model input (RGBA on the GPU). */
  rgba(): { kind: 'rgba'; buffer: GPUBuffer; views: number; width: number; height: number };
}

/** A rasterizer, a 400-splat scene and four views of it around the origin. */
export async function renderTinyViews(): Promise<TinyViews> {
  const [width, height] = [32, 32];
  const r = await createRasterizer();
  const scene = await r.loadScene(writePly(randomSplats(400, 3)));
  const poses = [0, 1, 2, 3].map((i) => lookAt([Math.sin(i) * 3, 0.3 * i, Math.cos(i) * 3], [0, 0, 0], [0, -1, 0]));
  const Ks = new Float32Array(poses.flatMap(() => [30, 0, width / 2, 0, 30, height / 2, 0, 0, 1]));
  const views = await r.render(scene, { viewmats: viewmatsFromPoses(poses), Ks, width, height });
  const rgba = () => ({ kind: 'rgba' as const, buffer: views.rgbaBuffer, views: poses.length, width, height });
  return { r, scene, views, poses, width, height, rgba };
}
