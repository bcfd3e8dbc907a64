// Cambridge Landmarks (Kendall et al., PoseNet): dataset_train.txt / dataset_test.txt list
// `seq/frameXXXXX.png X Y Z W P Q R` after 3 header lines.
import { poseFromCambridge } from '../pose/conventions.ts';
import type { Pose } from '../pose/types.ts';
import { fields, joinPath, lines, parseNumbers, where } from './text.ts';
import { intrinsicsMatrix, type Intrinsics, type PoseDataset, type PoseFrame } from './types.ts';

/** Lines before the data: title, column names, blank. */
const HEADER_LINES = 3;

/**
 * Default Cambridge intrinsics: the dataset ships none (they live in the per-scene VisualSFM
 * model), so loaders commonly use fx = fy = 744.375 px, principal point at the centre, for
 * 852x480 images; here rescaled to the shipped 1920x1080.
 */
export const CAMBRIDGE_INTRINSICS: Intrinsics = scaleIntrinsics({ fx: 744.375, fy: 744.375, cx: 426, cy: 240, width: 852, height: 480 }, 1920, 1080);

/** Intrinsics resized to another image size (each axis scales on its own). */
export function scaleIntrinsics(k: Intrinsics, width: number, height: number): Intrinsics {
  const sx = width / k.width;
  const sy = height / k.height;
  return { fx: k.fx * sx, fy: k.fy * sy, cx: k.cx * sx, cy: k.cy * sy, width, height };
}

/** One entry of a dataset_*.txt list. */
export interface CambridgeEntry {
  /** Image path relative to the scene directory, e.g. `seq1/frame00001.png`. */
  readonly name: string;
  readonly pose: Pose;
}

/**
 * Parses a `dataset_train.txt` / `dataset_test.txt`: 3 header lines, then
 * `name X Y Z W P Q R` per line (camera centre, world-to-camera quaternion); blank lines skipped.
 * @throws naming the file and line on a wrong field count, a non-number or a zero quaternion.
 */
export function parseCambridgeList(text: string, file = 'dataset_train.txt'): CambridgeEntry[] {
  const out: CambridgeEntry[] = [];
  for (const line of lines(text).slice(HEADER_LINES)) {
    const f = fields(line.text);
    if (f.length === 0) continue;
    const at = where(file, line.number);
    if (f.length !== 8) throw new Error(`${at}: expected 8 fields (image X Y Z W P Q R), got ${f.length}`);
    const v = parseNumbers(f, 1, ['X', 'Y', 'Z', 'W', 'P', 'Q', 'R'], at);
    out.push({ name: f[0] as string, pose: poseFromCambridge(v.slice(0, 3), v.slice(3), at) });
  }
  return out;
}

/** Options of {@link cambridgeDataset}. */
export interface CambridgeOptions {
  /** Scene name. Default `'cambridge'`. */
  name?: string;
  /** Directory image names are resolved against. Default '' (paths stay relative). */
  root?: string;
  /** Pinhole intrinsics of every image. Default {@link CAMBRIDGE_INTRINSICS}. */
  intrinsics?: Intrinsics;
}

/**
 * A dataset from the two list files' contents: frames are the train list then the test list.
 * @throws naming the file and line of the first malformed entry.
 */
export function cambridgeDataset(lists: { train: string; test: string }, options: CambridgeOptions = {}): PoseDataset {
  const k = options.intrinsics ?? CAMBRIDGE_INTRINSICS;
  const K = intrinsicsMatrix(k.fx, k.fy, k.cx, k.cy);
  const root = options.root ?? '';
  const frame = (e: CambridgeEntry): PoseFrame => ({
    name: e.name,
    imagePath: joinPath(root, e.name),
    pose: e.pose,
    K: K.slice(),
    width: k.width,
    height: k.height,
  });
  const train = parseCambridgeList(lists.train, 'dataset_train.txt').map(frame);
  const test = parseCambridgeList(lists.test, 'dataset_test.txt').map(frame);
  return {
    name: options.name ?? 'cambridge',
    root,
    frames: [...train, ...test],
    train: train.map((_, i) => i),
    test: test.map((_, i) => train.length + i),
  };
}
