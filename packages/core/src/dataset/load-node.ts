// Node loaders: read a dataset's files from disk and hand their contents to the pure parsers,
// then check that every listed image exists. Browser code uses the parsers directly.
import { access, readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { cambridgeDataset, type CambridgeOptions } from './cambridge.ts';
import { parseColmapCamerasBinary, parseColmapImagesBinary, parseColmapPoints3DBinary } from './colmap-binary.ts';
import { parseColmapCamerasText, parseColmapImagesText, parseColmapPoints3DText } from './colmap-text.ts';
import type { ColmapModel } from './colmap-types.ts';
import { colmapDataset, type ColmapOptions } from './colmap.ts';
import { nerfstudioDataset, type NerfstudioOptions } from './nerfstudio.ts';
import { parse7ScenesSplit, sevenScenesDataset, sevenScenesSequenceDir, type SevenScenesFrameText, type SevenScenesOptions } from './seven-scenes.ts';
import type { PoseDataset } from './types.ts';

/** Options every Node loader takes. */
export interface NodeLoadOptions {
  /** What to do when listed images are not on disk: throw (listing the first few) or drop those frames. Default `'error'`. */
  missingImages?: 'error' | 'drop';
}

/** A loaded dataset; `missingImages` lists dropped frames' names when `missingImages: 'drop'`. */
export type LoadedDataset = PoseDataset & { readonly missingImages: readonly string[] };

const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);

/** Reads a whole file as bytes (e.g. an image to decode). */
export async function readImageBytes(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}

/** Cambridge Landmarks scene directory (holding dataset_train.txt, dataset_test.txt and the seqN directories). */
export async function loadCambridge(dir: string, options: CambridgeOptions & NodeLoadOptions = {}): Promise<LoadedDataset> {
  const root = resolve(dir);
  const [train, test] = await Promise.all(['dataset_train.txt', 'dataset_test.txt'].map((f) => readText(join(root, f), 'Cambridge')));
  return checkImages(cambridgeDataset({ train: train as string, test: test as string }, { name: basename(root), ...options, root }), options);
}

/** 7-Scenes scene directory (TrainSplit.txt, TestSplit.txt, seq-XX/frame-XXXXXX.{color.png,pose.txt}). */
export async function load7Scenes(dir: string, options: SevenScenesOptions & NodeLoadOptions = {}): Promise<LoadedDataset> {
  const root = resolve(dir);
  const [trainSplit, testSplit] = (await Promise.all(['TrainSplit.txt', 'TestSplit.txt'].map((f) => readText(join(root, f), '7-Scenes')))) as [string, string];
  const sequences = [...new Set([...parse7ScenesSplit(trainSplit, 'TrainSplit.txt'), ...parse7ScenesSplit(testSplit, 'TestSplit.txt')])];
  const perSeq = await Promise.all(
    sequences.map(async (sequence) => {
      const seqDir = join(root, sevenScenesSequenceDir(sequence));
      const names = await readdir(seqDir).catch(() => {
        throw new Error(`7-Scenes ${basename(root)}: the split files list sequence ${sequence}, but ${seqDir} is missing`);
      });
      const stems = names.filter((n) => n.endsWith('.pose.txt')).map((n) => n.slice(0, -'.pose.txt'.length));
      return mapLimit(stems, 64, async (frame): Promise<SevenScenesFrameText> => ({
        sequence,
        frame,
        poseText: await readFile(join(seqDir, `${frame}.pose.txt`), 'utf8'),
      }));
    }),
  );
  return checkImages(sevenScenesDataset({ trainSplit, testSplit, frames: perSeq.flat() }, { name: basename(root), ...options, root }), options);
}

/** Options of {@link loadColmap}. */
export interface ColmapLoadOptions extends ColmapOptions, NodeLoadOptions {
  /** Images directory. Default: the first of `<dir>/images`, `<dir>/../images`, `<dir>/../../images` that exists. */
  imagesDir?: string;
  /** Also read points3D (can be large). Default false. */
  points?: boolean;
}

/** COLMAP sparse model directory (e.g. `scene/sparse/0`), binary (`*.bin`) preferred over text (`*.txt`). */
export async function loadColmap(dir: string, options: ColmapLoadOptions = {}): Promise<LoadedDataset & { readonly model: ColmapModel }> {
  const modelDir = resolve(dir);
  const binary = (await exists(join(modelDir, 'cameras.bin'))) && (await exists(join(modelDir, 'images.bin')));
  const text = !binary && (await exists(join(modelDir, 'cameras.txt'))) && (await exists(join(modelDir, 'images.txt')));
  if (!binary && !text) throw new Error(`COLMAP: ${modelDir} has neither cameras.bin + images.bin nor cameras.txt + images.txt`);
  let model: ColmapModel;
  if (binary) {
    const read = (f: string): Promise<Buffer> => readFile(join(modelDir, f));
    const pointsFile = join(modelDir, 'points3D.bin');
    model = {
      cameras: await parseColmapCamerasBinary(await read('cameras.bin')),
      images: await parseColmapImagesBinary(await read('images.bin')),
      ...(options.points && (await exists(pointsFile)) ? { points: await parseColmapPoints3DBinary(await readFile(pointsFile)) } : {}),
    };
  } else {
    const read = (f: string): Promise<string> => readFile(join(modelDir, f), 'utf8');
    const pointsFile = join(modelDir, 'points3D.txt');
    model = {
      cameras: parseColmapCamerasText(await read('cameras.txt')),
      images: parseColmapImagesText(await read('images.txt')),
      ...(options.points && (await exists(pointsFile)) ? { points: parseColmapPoints3DText(await readFile(pointsFile, 'utf8')) } : {}),
    };
  }
  const imagesDir = options.imagesDir ?? (await findImagesDir(modelDir));
  // scene/sparse/0 is named after scene; any other model directory after itself.
  const name = options.name ?? (basename(dirname(modelDir)) === 'sparse' ? basename(dirname(dirname(modelDir))) : basename(modelDir));
  const ds = await checkImages(colmapDataset(model, { ...options, name, root: resolve(imagesDir) }), options);
  return { ...ds, model };
}

/** nerfstudio `transforms.json`, given the file or the directory holding it. */
export async function loadNerfstudio(path: string, options: NerfstudioOptions & NodeLoadOptions = {}): Promise<LoadedDataset> {
  const file = path.endsWith('.json') ? resolve(path) : join(resolve(path), 'transforms.json');
  const root = dirname(file);
  const text = await readText(file, 'nerfstudio');
  return checkImages(nerfstudioDataset(text, { name: basename(root), ...options, root }, basename(file)), options);
}

async function findImagesDir(modelDir: string): Promise<string> {
  const candidates = [join(modelDir, 'images'), resolve(modelDir, '..', 'images'), resolve(modelDir, '..', '..', 'images')];
  for (const c of candidates) if (await exists(c)) return c;
  throw new Error(`COLMAP: no images directory found at ${candidates.join(', ')}; pass imagesDir`);
}

async function readText(file: string, what: string): Promise<string> {
  return readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new Error(`${what}: cannot read ${file} (${e.code ?? e.message})`);
  });
}

/** Checks every frame's image exists; throws listing the first few missing, or drops them. */
async function checkImages(ds: PoseDataset, options: NodeLoadOptions): Promise<LoadedDataset> {
  const present = await mapLimit(ds.frames, 64, (f) => exists(f.imagePath));
  const missing = ds.frames.filter((_, i) => !present[i]).map((f) => f.name);
  if (missing.length === 0) return { ...ds, missingImages: [] };
  if ((options.missingImages ?? 'error') === 'error') {
    const more = missing.length > 5 ? ` (and ${missing.length - 5} more)` : '';
    throw new Error(`${ds.name}: ${missing.length} of ${ds.frames.length} images are missing under ${ds.root}: ${missing.slice(0, 5).join(', ')}${more}`);
  }
  // Drop them and renumber the splits.
  const newIndex = new Map<number, number>();
  ds.frames.forEach((_, i) => {
    if (present[i]) newIndex.set(i, newIndex.size);
  });
  const frames = ds.frames.filter((_, i) => present[i]);
  const remap = (list: readonly number[]): number[] => list.filter((i) => newIndex.has(i)).map((i) => newIndex.get(i) as number);
  return { ...ds, frames, train: remap(ds.train), test: remap(ds.test), missingImages: missing };
}

/** `fn` over `items` with at most `limit` calls in flight; results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
