// nerfstudio / instant-ngp `transforms.json`: intrinsics at the top level or per frame,
// `frames[].file_path` and `transform_matrix` (OpenGL camera-to-world, 4x4 rows).
import { poseFromOpenGL } from '../pose/conventions.ts';
import { splitByNames, splitEveryNth } from './split.ts';
import { joinPath } from './text.ts';
import { intrinsicsMatrix, type PoseDataset, type PoseFrame } from './types.ts';

type Json = Record<string, unknown>;

const DISTORTION_KEYS = ['k1', 'k2', 'k3', 'k4', 'p1', 'p2'] as const;

/** Options of {@link nerfstudioDataset}. */
export interface NerfstudioOptions {
  /** Scene name. Default `'nerfstudio'`. */
  name?: string;
  /** Directory `file_path`s are relative to (the one holding transforms.json). Default ''. */
  root?: string;
  /** Without `test_filenames` in the file: every n-th frame, in file order, goes to test. Default 8; 0 = all train. */
  testEvery?: number;
}

/**
 * Parses a transforms.json. Per-frame `fl_x, fl_y, cx, cy, w, h` override the top level; a
 * missing `fl_x` may come from `camera_angle_x` (Blender). Distortion `k1..k4, p1, p2` is kept
 * under `camera_model` (default `OPENCV`) when any is non-zero. `train_filenames` /
 * `test_filenames`, when present, give the split. Poses are converted from OpenGL camera axes
 * (`poseFromOpenGL`); the world frame is kept as written (including any `applied_transform`).
 * @throws naming `file` and the frame on invalid JSON, a missing intrinsic or a bad matrix.
 */
export function nerfstudioDataset(text: string, options: NerfstudioOptions = {}, file = 'transforms.json'): PoseDataset {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: invalid JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc) || !Array.isArray(doc.frames)) throw new Error(`${file}: expected an object with a "frames" array`);
  const root = options.root ?? '';
  const frames = doc.frames.map((raw: unknown, i): PoseFrame => {
    if (!isObject(raw)) throw new Error(`${file}: frames[${i}] is not an object`);
    const filePath = raw.file_path;
    if (typeof filePath !== 'string') throw new Error(`${file}: frames[${i}].file_path is missing or not a string`);
    const at = `${file}: frames[${i}] (${filePath})`;
    const get = (key: string): number | undefined => {
      const v = raw[key] ?? doc[key as keyof typeof doc];
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${at}: ${key} is ${JSON.stringify(v)}, expected a finite number`);
      return v;
    };
    const need = (key: string): number => {
      const v = get(key);
      if (v === undefined) throw new Error(`${at}: no ${key} in the frame or at the top level`);
      return v;
    };
    const w = need('w');
    const h = need('h');
    const angle = get('camera_angle_x');
    const flx = get('fl_x') ?? (angle !== undefined ? (0.5 * w) / Math.tan(0.5 * angle) : need('fl_x'));
    const fly = get('fl_y') ?? flx;
    const K = intrinsicsMatrix(flx, fly, get('cx') ?? w / 2, get('cy') ?? h / 2);
    const coeffs = Object.fromEntries(DISTORTION_KEYS.map((k) => [k, get(k) ?? 0]));
    const model = raw.camera_model ?? doc.camera_model ?? 'OPENCV';
    const m = raw.transform_matrix;
    if (!Array.isArray(m) || m.length !== 4 || !m.every((row) => Array.isArray(row) && row.length === 4)) {
      throw new Error(`${at}: transform_matrix must be 4 rows of 4 numbers`);
    }
    const frame: PoseFrame = {
      name: normalise(filePath),
      imagePath: joinPath(root, normalise(filePath)),
      pose: poseFromOpenGL((m as unknown[][]).flat().map((v) => (typeof v === 'number' ? v : NaN)), `${at}: transform_matrix`),
      K,
      width: w,
      height: h,
    };
    return Object.values(coeffs).some((c) => c !== 0) ? { ...frame, distortion: { model: String(model), coeffs } } : frame;
  });
  const names = frames.map((f) => f.name);
  const testList = doc.test_filenames;
  const split = Array.isArray(testList)
    ? splitByNames(names, testList.map((n) => normalise(String(n))), `${file}: test_filenames`)
    : splitEveryNth(frames.length, options.testEvery ?? 8);
  const trainList = doc.train_filenames;
  if (Array.isArray(trainList) && Array.isArray(testList)) {
    // Frames listed in neither (e.g. val_filenames) belong to no split.
    const wanted = new Set(trainList.map((n) => normalise(String(n))));
    split.train = split.train.filter((i) => wanted.has(names[i] as string));
  }
  return { name: options.name ?? 'nerfstudio', root, frames, ...split };
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `./images/a.png` and `images/a.png` name the same file. */
function normalise(path: string): string {
  return path.replace(/^\.\//, '');
}
