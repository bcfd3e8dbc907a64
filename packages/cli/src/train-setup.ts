// What `rvs-cli train` / `eval` train on: the embedded demo, a scene with a views file (images
// rendered from the scene), or a real dataset of photos (RVS needs its scene too).
import {
  decodeImage, demoDataset, intrinsicsMatrix, poseFromViewmat, splitEveryNth, type PoseDataset, type PoseFrame,
} from '@rvs/core';
import { load7Scenes, loadCambridge, loadColmap, loadNerfstudio, readImageBytes } from '@rvs/core/node';
import { demoScene } from '@rvs/raster-wgpu';
import type { ImageSource } from '@rvs/model';
import { UsageError } from './command.ts';
import { loadViewsFile, readSceneFile } from './views.ts';

export type DataFormat = 'colmap' | 'cambridge' | '7scenes' | 'nerfstudio';

export interface TrainData {
  /** What it is, for logs and the report. */
  label: string;
  dataset: PoseDataset;
  images: ImageSource;
  /** Scene bytes (.ply/.splat); undefined when photos come without a scene (no RVS then). */
  sceneBytes: Uint8Array | undefined;
  /** Whether this is the embedded demo (small defaults). */
  demo: boolean;
}

/** A views.json as a dataset: images are renders of the scene; every 8th view is a test view. */
async function viewsDataset(path: string): Promise<PoseDataset> {
  const views = await loadViewsFile(path);
  const count = views.Ks.length / 9;
  const frames: PoseFrame[] = Array.from({ length: count }, (_, i) => {
    const K = views.Ks.subarray(i * 9, i * 9 + 9);
    return {
      name: `view-${String(i).padStart(4, '0')}`,
      imagePath: `render:${i}`,
      pose: poseFromViewmat(views.viewmats.subarray(i * 16, i * 16 + 16), `${path} view ${i}`),
      K: intrinsicsMatrix(K[0] as number, K[4] as number, K[2] as number, K[5] as number),
      width: views.width,
      height: views.height,
    };
  });
  return { name: path, root: '', frames, ...splitEveryNth(count, 8) };
}

async function loadPhotos(dir: string, format: DataFormat): Promise<PoseDataset> {
  try {
    switch (format) {
      case 'colmap': return await loadColmap(dir);
      case 'cambridge': return await loadCambridge(dir);
      case '7scenes': return await load7Scenes(dir);
      case 'nerfstudio': return await loadNerfstudio(dir);
    }
  } catch (e) {
    throw new UsageError(`cannot load ${format} dataset "${dir}": ${(e as Error).message}`);
  }
}

const photos: ImageSource = {
  kind: 'files',
  async read(frame) {
    return decodeImage(await readImageBytes(frame.imagePath), frame.name);
  },
};

export async function resolveTrainData(args: { scene?: string | undefined; views?: string | undefined; data?: string | undefined; format?: string | undefined }): Promise<TrainData> {
  if (args.data !== undefined) {
    const format = (args.format ?? 'colmap') as DataFormat;
    if (!['colmap', 'cambridge', '7scenes', 'nerfstudio'].includes(format)) {
      throw new UsageError(`--format must be colmap, cambridge, 7scenes or nerfstudio, got "${format}"`);
    }
    const dataset = await loadPhotos(args.data, format);
    return { label: `${format} ${args.data}`, dataset, images: photos, sceneBytes: args.scene ? await readSceneFile(args.scene) : undefined, demo: false };
  }
  if (args.scene !== undefined) {
    if (args.views === undefined) throw new UsageError('--scene without --data needs --views <views.json>: the cameras to train on (images are rendered from the scene)');
    return { label: `${args.scene} + ${args.views}`, dataset: await viewsDataset(args.views), images: { kind: 'render' }, sceneBytes: await readSceneFile(args.scene), demo: false };
  }
  if (args.views !== undefined) throw new UsageError('--views needs --scene <scene.ply>');
  // Small enough to train visibly within minutes on a software adapter (SwiftShader, 2 cores).
  const dataset = demoDataset({ trainPerTrajectory: 16, test: 12 });
  return { label: 'embedded demo room', dataset, images: { kind: 'render' }, sceneBytes: await demoScene(0), demo: true };
}

