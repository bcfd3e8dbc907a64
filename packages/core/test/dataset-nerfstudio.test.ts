import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNerfstudio } from '../src/dataset/load-node.ts';
import { nerfstudioDataset } from '../src/dataset/nerfstudio.ts';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-12): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThan(tol);
}

const TRANSFORMS = {
  camera_model: 'OPENCV',
  fl_x: 500,
  fl_y: 505,
  cx: 320,
  cy: 240,
  w: 640,
  h: 480,
  k1: 0.01,
  k2: 0,
  p1: 0,
  p2: 0,
  frames: [
    { file_path: 'images/frame_00001.png', transform_matrix: [[1, 0, 0, 1], [0, 1, 0, 2], [0, 0, 1, 3], [0, 0, 0, 1]] },
    { file_path: './images/frame_00002.png', fl_x: 700, transform_matrix: [[0, 0, 1, 0], [0, 1, 0, 0], [-1, 0, 0, 0], [0, 0, 0, 1]] },
    { file_path: 'images/frame_00003.png', transform_matrix: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]] },
  ],
  train_filenames: ['images/frame_00001.png'],
  test_filenames: ['images/frame_00002.png'],
};

describe('nerfstudio transforms.json', () => {
  it('converts OpenGL camera-to-world and merges top-level and per-frame intrinsics', () => {
    const ds = nerfstudioDataset(JSON.stringify(TRANSFORMS), { name: 'poster' });
    expect(ds.frames.map((f) => f.name)).toEqual(['images/frame_00001.png', 'images/frame_00002.png', 'images/frame_00003.png']);
    const [a, b] = ds.frames;
    expectClose(a!.pose.R, [1, 0, 0, 0, -1, 0, 0, 0, -1]);
    expectClose(a!.pose.t, [1, 2, 3]);
    // [[0,0,1],[0,1,0],[-1,0,0]] · diag(1,−1,−1)
    expectClose(b!.pose.R, [0, 0, -1, 0, -1, 0, -1, 0, 0]);
    expectClose(a!.K, [500, 0, 320, 0, 505, 240, 0, 0, 1]);
    expectClose(b!.K, [700, 0, 320, 0, 505, 240, 0, 0, 1]);
    expect(a!.distortion).toEqual({ model: 'OPENCV', coeffs: { k1: 0.01, k2: 0, k3: 0, k4: 0, p1: 0, p2: 0 } });
    // The file's lists give the split; frame 3 is in neither.
    expect(ds.train).toEqual([0]);
    expect(ds.test).toEqual([1]);
  });

  it('falls back to camera_angle_x and an every-n-th split', () => {
    const blender = {
      camera_angle_x: 2 * Math.atan(0.5),
      w: 2,
      h: 2,
      frames: [0, 1, 2, 3].map((i) => ({ file_path: `r_${i}.png`, transform_matrix: [[1, 0, 0, i], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]] })),
    };
    const ds = nerfstudioDataset(JSON.stringify(blender), { testEvery: 2 });
    expectClose(ds.frames[0]!.K, [2, 0, 1, 0, 2, 1, 0, 0, 1]);
    expect(ds.frames[0]!.distortion).toBeUndefined();
    expect(ds.test).toEqual([0, 2]);
    expect(ds.train).toEqual([1, 3]);
  });

  it('names the file, frame and key of bad input', () => {
    expect(() => nerfstudioDataset('{ frames: [] }')).toThrow(/^transforms\.json: invalid JSON: /);
    const noW = { fl_x: 1, h: 2, frames: [{ file_path: 'a.png', transform_matrix: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]] }] };
    expect(() => nerfstudioDataset(JSON.stringify(noW))).toThrow('transforms.json: frames[0] (a.png): no w in the frame or at the top level');
    const badMatrix = { ...TRANSFORMS, frames: [{ file_path: 'a.png', transform_matrix: [[1, 0, 0], [0, 1, 0]] }], test_filenames: [] };
    expect(() => nerfstudioDataset(JSON.stringify(badMatrix))).toThrow('transforms.json: frames[0] (a.png): transform_matrix must be 4 rows of 4 numbers');
    const nanMatrix = { ...TRANSFORMS, frames: [{ file_path: 'a.png', transform_matrix: [[1, 0, 0, 0], [0, 1, 0, 'x'], [0, 0, 1, 0], [0, 0, 0, 1]] }], test_filenames: [] };
    expect(() => nerfstudioDataset(JSON.stringify(nanMatrix))).toThrow('transforms.json: frames[0] (a.png): transform_matrix: element 7 is NaN, expected a finite number');
    const typo = { ...TRANSFORMS, test_filenames: ['images/frame_0002.png'] };
    expect(() => nerfstudioDataset(JSON.stringify(typo))).toThrow('transforms.json: test_filenames: 1 test names match no image, e.g. images/frame_0002.png');
  });

  it('loads from a directory and resolves file paths against it', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'rvs-ns-')), 'poster');
    dirs.push(join(dir, '..'));
    await mkdir(join(dir, 'images'), { recursive: true });
    await writeFile(join(dir, 'transforms.json'), JSON.stringify(TRANSFORMS));
    for (const n of [1, 2, 3]) await writeFile(join(dir, `images/frame_0000${n}.png`), 'x');
    const ds = await loadNerfstudio(dir);
    expect(ds.name).toBe('poster');
    expect(ds.frames[1]!.imagePath).toBe(join(dir, 'images/frame_00002.png'));
    await expect(loadNerfstudio(join(dir, 'nope.json'))).rejects.toThrow(/nerfstudio: cannot read .*nope\.json \(ENOENT\)/);
  });
});
