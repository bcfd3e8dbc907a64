import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CAMBRIDGE_INTRINSICS, cambridgeDataset, parseCambridgeList } from '../src/dataset/cambridge.ts';
import { load7Scenes, loadCambridge } from '../src/dataset/load-node.ts';
import { parse7ScenesPose, parse7ScenesSplit } from '../src/dataset/seven-scenes.ts';
import { splitFrames } from '../src/dataset/types.ts';

const S = Math.SQRT1_2;
const RZ90T = [0, 1, 0, -1, 0, 0, 0, 0, 1];
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'rvs-dataset-'));
  dirs.push(d);
  return d;
}

async function put(path: string, contents: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, contents);
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-9): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThan(tol);
}

const HEADER = 'Visual Landmark Dataset V1\nImageFile, Camera Position [X Y Z W P Q R]\n\n';
const TRAIN = `${HEADER}seq1/frame00001.png 10.0 20.0 30.0 ${S} 0 0 ${S}\nseq1/frame00002.png 1 2 3 1 0 0 0\n`;
const TEST = `${HEADER}seq2/frame00001.png -1 -2 -3 1 0 0 0\r\n\r\n`;

describe('Cambridge Landmarks', () => {
  it('parses dataset_*.txt into camera-to-world poses', () => {
    const entries = parseCambridgeList(TRAIN);
    expect(entries.map((e) => e.name)).toEqual(['seq1/frame00001.png', 'seq1/frame00002.png']);
    expectClose(entries[0]!.pose.R, RZ90T);
    expectClose(entries[0]!.pose.t, [10, 20, 30]);
    const ds = cambridgeDataset({ train: TRAIN, test: TEST }, { name: 'Shop' });
    expect(ds.train).toEqual([0, 1]);
    expect(ds.test).toEqual([2]);
    expect(splitFrames(ds, 'test')[0]?.name).toBe('seq2/frame00001.png');
    expect(ds.frames[0]!.width).toBe(1920);
    expectClose(ds.frames[0]!.K, [CAMBRIDGE_INTRINSICS.fx, 0, 960, 0, CAMBRIDGE_INTRINSICS.fy, 540, 0, 0, 1]);
    expect(CAMBRIDGE_INTRINSICS.fx).toBeCloseTo(1677.46, 2);
  });

  it('names the file and line of malformed entries', () => {
    expect(() => parseCambridgeList(`${HEADER}seq1/a.png 1 2 3 1 0 0\n`)).toThrow('dataset_train.txt line 4: expected 8 fields (image X Y Z W P Q R), got 7');
    expect(() => parseCambridgeList(`${HEADER}\nseq1/a.png 1 abc 3 1 0 0 0\n`, 'dataset_test.txt')).toThrow('dataset_test.txt line 5: Y is "abc", expected a finite number');
    expect(() => parseCambridgeList(`${HEADER}seq1/a.png 1 2 3 0 0 0 0\n`)).toThrow(/dataset_train\.txt line 4 quaternion: zero-length/);
  });

  it('loads a scene directory and reports missing images', async () => {
    const dir = join(await tempDir(), 'ShopFacade');
    await put(join(dir, 'dataset_train.txt'), TRAIN);
    await put(join(dir, 'dataset_test.txt'), TEST);
    await put(join(dir, 'seq1/frame00001.png'), 'x');
    await expect(loadCambridge(dir)).rejects.toThrow(
      `ShopFacade: 2 of 3 images are missing under ${dir}: seq1/frame00002.png, seq2/frame00001.png`,
    );
    const dropped = await loadCambridge(dir, { missingImages: 'drop' });
    expect(dropped.frames.map((f) => f.imagePath)).toEqual([join(dir, 'seq1/frame00001.png')]);
    expect(dropped.train).toEqual([0]);
    expect(dropped.test).toEqual([]);
    expect(dropped.missingImages).toEqual(['seq1/frame00002.png', 'seq2/frame00001.png']);
    await put(join(dir, 'seq1/frame00002.png'), 'x');
    await put(join(dir, 'seq2/frame00001.png'), 'x');
    const full = await loadCambridge(dir);
    expect(full.name).toBe('ShopFacade');
    expect(full.frames).toHaveLength(3);
  });
});

const POSE_A = '1 0 0 0.5\n0 1 0 -0.25\n0 0 1 2\n0 0 0 1\n';
// Rz(90°) camera-to-world, as 7-Scenes prints it (scientific notation, tabs).
const POSE_B = '0.0000000e+000\t-1.0000000e+000\t0.0000000e+000\t1.0e+000\n1.0\t0.0\t0.0\t0.0\n0 0 1 0\n0 0 0 1\n';

describe('7-Scenes', () => {
  it('parses split lists and pose files', () => {
    expect(parse7ScenesSplit('sequence1\nsequence6\n\n')).toEqual([1, 6]);
    expect(parse7ScenesSplit('seq-03\r\n')).toEqual([3]);
    expect(() => parse7ScenesSplit('sequence1\nchess\n', 'TestSplit.txt')).toThrow('TestSplit.txt line 2: expected "sequenceN", got "chess"');
    const b = parse7ScenesPose(POSE_B, 'b.pose.txt');
    expectClose(b.R, [0, -1, 0, 1, 0, 0, 0, 0, 1]);
    expectClose(b.t, [1, 0, 0]);
    expect(() => parse7ScenesPose('1 0 0 0\n0 1 0 0\n0 0 1 0\n', 'x.pose.txt')).toThrow('x.pose.txt: expected 16 numbers (a 4x4 matrix), got 12');
    expect(() => parse7ScenesPose('1 0 0 0\n0 1 0 nan\n0 0 1 0\n0 0 0 1', 'x.pose.txt')).toThrow('x.pose.txt line 2: value 4 is "nan", expected a finite number');
  });

  it('loads sequences, splits them and reports missing colour images', async () => {
    const dir = join(await tempDir(), 'chess');
    await put(join(dir, 'TrainSplit.txt'), 'sequence1\n');
    await put(join(dir, 'TestSplit.txt'), 'sequence2\n');
    await put(join(dir, 'seq-01/frame-000001.pose.txt'), POSE_B);
    await put(join(dir, 'seq-01/frame-000000.pose.txt'), POSE_A);
    await put(join(dir, 'seq-02/frame-000000.pose.txt'), POSE_A);
    await put(join(dir, 'seq-01/frame-000000.color.png'), 'x');
    await put(join(dir, 'seq-01/frame-000001.color.png'), 'x');
    await expect(load7Scenes(dir)).rejects.toThrow(`chess: 1 of 3 images are missing under ${dir}: seq-02/frame-000000.color.png`);
    await put(join(dir, 'seq-02/frame-000000.color.png'), 'x');
    const ds = await load7Scenes(dir);
    expect(ds.frames.map((f) => f.name)).toEqual(['seq-01/frame-000000.color.png', 'seq-01/frame-000001.color.png', 'seq-02/frame-000000.color.png']);
    expect(ds.train).toEqual([0, 1]);
    expect(ds.test).toEqual([2]);
    expectClose(ds.frames[1]!.pose.t, [1, 0, 0]);
    expectClose(ds.frames[0]!.K, [585, 0, 320, 0, 585, 240, 0, 0, 1]);
    expect(ds.frames[2]!.imagePath).toBe(join(dir, 'seq-02/frame-000000.color.png'));

    await put(join(dir, 'TestSplit.txt'), 'sequence3\n');
    await expect(load7Scenes(dir)).rejects.toThrow(/the split files list sequence 3, but .*seq-03 is missing/);
  });
});
