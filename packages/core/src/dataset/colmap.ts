// A COLMAP sparse model (text or binary) as a PoseDataset.
import { poseFromColmap } from '../pose/conventions.ts';
import { colmapIntrinsics } from './colmap-camera.ts';
import type { ColmapModel } from './colmap-types.ts';
import { splitByNames, splitEveryNth } from './split.ts';
import { joinPath } from './text.ts';
import type { PoseDataset, PoseFrame } from './types.ts';

/** Options of {@link colmapDataset}. */
export interface ColmapOptions {
  /** Scene name. Default `'colmap'`. */
  name?: string;
  /** Images directory that image names are relative to. Default ''. */
  root?: string;
  /** With frames sorted by name, every n-th goes to test (LLFF hold). Default 8; 0 = all train. */
  testEvery?: number;
  /** Image names of the test split; overrides `testEvery`. */
  testNames?: Iterable<string>;
}

/**
 * Frames of a COLMAP model, sorted by image name, with COLMAP's world-to-camera poses inverted
 * to camera-to-world and each camera's model reduced to K plus named distortion.
 * @throws naming the image (and images.txt line) whose camera is missing or whose qvec is zero.
 */
export function colmapDataset(model: ColmapModel, options: ColmapOptions = {}): PoseDataset {
  const root = options.root ?? '';
  const images = [...model.images].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const frames = images.map((img): PoseFrame => {
    const at = img.line !== undefined ? `images.txt line ${img.line}` : `image ${img.id} (${img.name})`;
    const cam = model.cameras.get(img.cameraId);
    if (!cam) throw new Error(`${at}: uses camera ${img.cameraId}, which the cameras file does not define`);
    const { K, distortion } = colmapIntrinsics(cam);
    const frame = { name: img.name, imagePath: joinPath(root, img.name), pose: poseFromColmap(img.qvec, img.tvec, at), K, width: cam.width, height: cam.height };
    return distortion ? { ...frame, distortion } : frame;
  });
  const names = frames.map((f) => f.name);
  const split = options.testNames !== undefined ? splitByNames(names, options.testNames, 'colmapDataset') : splitEveryNth(frames.length, options.testEvery ?? 8);
  return { name: options.name ?? 'colmap', root, frames, ...split };
}
