// Microsoft 7-Scenes: seq-XX/frame-XXXXXX.color.png with a .pose.txt (4x4 camera-to-world) next
// to each, and TrainSplit.txt / TestSplit.txt naming sequences as `sequence1`, `sequence2`, ….
import { poseFrom7Scenes } from '../pose/conventions.ts';
import type { Pose } from '../pose/types.ts';
import { fields, joinPath, lines, parseNumber, where } from './text.ts';
import { intrinsicsMatrix, type Intrinsics, type PoseDataset, type PoseFrame } from './types.ts';

/** 7-Scenes' stated Kinect colour intrinsics: f = 585 px, centre (320, 240), 640x480. */
export const SEVEN_SCENES_INTRINSICS: Intrinsics = { fx: 585, fy: 585, cx: 320, cy: 240, width: 640, height: 480 };

/** Directory of sequence `n`: `seq-01` for 1. */
export function sevenScenesSequenceDir(n: number): string {
  return `seq-${String(n).padStart(2, '0')}`;
}

/**
 * Sequence numbers of a TrainSplit.txt / TestSplit.txt (`sequence1` lines; `seq-01` and bare
 * numbers also accepted). Blank lines are skipped.
 * @throws naming the file and line of an entry that is none of these.
 */
export function parse7ScenesSplit(text: string, file = 'TrainSplit.txt'): number[] {
  const out: number[] = [];
  for (const line of lines(text)) {
    const t = line.text.trim();
    if (t === '') continue;
    const m = /^(?:sequence|seq-?)?(\d+)$/i.exec(t);
    if (!m) throw new Error(`${where(file, line.number)}: expected "sequenceN", got "${t}"`);
    out.push(Number(m[1]));
  }
  return out;
}

/**
 * Pose of a `frame-XXXXXX.pose.txt`: 16 numbers, a row-major 4x4 camera-to-world matrix.
 * @throws naming the file (and line) on a wrong count, a non-number or a non-rigid matrix.
 */
export function parse7ScenesPose(text: string, file: string): Pose {
  const values: number[] = [];
  for (const line of lines(text)) {
    fields(line.text).forEach((tok, k) => values.push(parseNumber(tok, where(file, line.number), `value ${k + 1}`)));
  }
  if (values.length !== 16) throw new Error(`${file}: expected 16 numbers (a 4x4 matrix), got ${values.length}`);
  return poseFrom7Scenes(values, file);
}

/** A frame's files as read from disk. */
export interface SevenScenesFrameText {
  /** Sequence number (1 for seq-01). */
  readonly sequence: number;
  /** Frame stem, e.g. `frame-000000`. */
  readonly frame: string;
  /** Contents of `<frame>.pose.txt`. */
  readonly poseText: string;
}

/** Options of {@link sevenScenesDataset}. */
export interface SevenScenesOptions {
  /** Scene name. Default `'7scenes'`. */
  name?: string;
  /** Directory image names are resolved against. Default ''. */
  root?: string;
  /** Default {@link SEVEN_SCENES_INTRINSICS}. */
  intrinsics?: Intrinsics;
}

/**
 * A dataset from the split lists' and pose files' contents. Frames are sorted by sequence then
 * frame name; a frame whose sequence is in neither split stays in `frames` but in no split.
 * @throws naming the file of the first malformed split line or pose.
 */
export function sevenScenesDataset(
  input: { trainSplit: string; testSplit: string; frames: readonly SevenScenesFrameText[] },
  options: SevenScenesOptions = {},
): PoseDataset {
  const trainSeqs = new Set(parse7ScenesSplit(input.trainSplit, 'TrainSplit.txt'));
  const testSeqs = new Set(parse7ScenesSplit(input.testSplit, 'TestSplit.txt'));
  const k = options.intrinsics ?? SEVEN_SCENES_INTRINSICS;
  const K = intrinsicsMatrix(k.fx, k.fy, k.cx, k.cy);
  const root = options.root ?? '';
  const sorted = [...input.frames].sort((a, b) => a.sequence - b.sequence || (a.frame < b.frame ? -1 : a.frame > b.frame ? 1 : 0));
  const train: number[] = [];
  const test: number[] = [];
  const frames = sorted.map((f, i): PoseFrame => {
    const dir = sevenScenesSequenceDir(f.sequence);
    if (trainSeqs.has(f.sequence)) train.push(i);
    else if (testSeqs.has(f.sequence)) test.push(i);
    const name = `${dir}/${f.frame}.color.png`;
    return {
      name,
      imagePath: joinPath(root, name),
      pose: parse7ScenesPose(f.poseText, `${dir}/${f.frame}.pose.txt`),
      K: K.slice(),
      width: k.width,
      height: k.height,
    };
  });
  return { name: options.name ?? '7scenes', root, frames, train, test };
}
