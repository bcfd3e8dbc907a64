import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseColmapCamerasBinary, parseColmapImagesBinary, parseColmapPoints3DBinary } from '../src/dataset/colmap-binary.ts';
import { parseColmapCamerasText, parseColmapImagesText, parseColmapPoints3DText } from '../src/dataset/colmap-text.ts';
import { COLMAP_CAMERA_MODELS } from '../src/dataset/colmap-camera.ts';
import { colmapDataset } from '../src/dataset/colmap.ts';
import { loadColmap } from '../src/dataset/load-node.ts';

const S = Math.SQRT1_2;
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-12): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThan(tol);
}

const CAMERAS_TXT = `# Camera list with one line of data per camera:
#   CAMERA_ID, MODEL, WIDTH, HEIGHT, PARAMS[]
# Number of cameras: 2
1 PINHOLE 640 480 500 510 320 240
2 OPENCV 800 600 600 601 400 300 0.1 -0.05 0.001 0.002
`;
const IMAGES_TXT = `# Image list with two lines of data per image:
#   IMAGE_ID, QW, QX, QY, QZ, TX, TY, TZ, CAMERA_ID, NAME
#   POINTS2D[] as (X, Y, POINT3D_ID)
# Number of images: 3, mean observations per image: 1
1 1 0 0 0 1 2 3 1 b.jpg
100.0 200.0 -1
2 ${S} 0 0 ${S} 1 0 0 2 a.jpg

3 1 0 0 0 0 0 0 1 c.jpg
1 2 3
`;
const POINTS_TXT = `# 3D point list
1 0.5 1.5 2.5 255 128 0 0.25 1 0 2 1
7 -1 -2 -3 1 2 3 1.5
`;

/** Hand-rolled little-endian writer, independent of the reader under test. */
class Writer {
  private bytes: number[] = [];
  private put(n: number, set: (v: DataView) => void): this {
    const v = new DataView(new ArrayBuffer(n));
    set(v);
    this.bytes.push(...new Uint8Array(v.buffer));
    return this;
  }
  u8 = (x: number): this => this.put(1, (v) => v.setUint8(0, x));
  i32 = (x: number): this => this.put(4, (v) => v.setInt32(0, x, true));
  u32 = (x: number): this => this.put(4, (v) => v.setUint32(0, x, true));
  u64 = (x: number): this => this.put(8, (v) => v.setBigUint64(0, BigInt(x), true));
  f64 = (...xs: number[]): this => {
    xs.forEach((x) => this.put(8, (v) => v.setFloat64(0, x, true)));
    return this;
  };
  str = (s: string): this => {
    this.bytes.push(...new TextEncoder().encode(s), 0);
    return this;
  };
  done = (): Uint8Array => Uint8Array.from(this.bytes);
}

function camerasBin(): Uint8Array {
  return new Writer()
    .u64(4)
    .u32(1).i32(0).u64(640).u64(480).f64(500, 320, 240) // SIMPLE_PINHOLE
    .u32(2).i32(2).u64(800).u64(600).f64(600, 400, 300, 0.01) // SIMPLE_RADIAL
    .u32(3).i32(3).u64(800).u64(600).f64(610, 401, 299, 0.02, -0.003) // RADIAL
    .u32(4).i32(4).u64(800).u64(600).f64(600, 601, 400, 300, 0.1, -0.05, 0.001, 0.002) // OPENCV
    .done();
}

function imagesBin(): Uint8Array {
  return new Writer()
    .u64(2)
    .u32(1).f64(1, 0, 0, 0).f64(1, 2, 3).u32(1).str('b.jpg').u64(2).f64(1, 2).u64(5).f64(3, 4).u64(6)
    .u32(2).f64(S, 0, 0, S).f64(1, 0, 0).u32(4).str('sub/a.jpg').u64(0)
    .done();
}

function pointsBin(): Uint8Array {
  return new Writer()
    .u64(2)
    .u64(1).f64(0.5, 1.5, 2.5).u8(255).u8(128).u8(0).f64(0.25).u64(2).i32(1).i32(0).i32(2).i32(1)
    .u64(7).f64(-1, -2, -3).u8(1).u8(2).u8(3).f64(1.5).u64(0)
    .done();
}

describe('COLMAP text model', () => {
  it('parses cameras, images and points into a sorted dataset', () => {
    const cameras = parseColmapCamerasText(CAMERAS_TXT);
    const images = parseColmapImagesText(IMAGES_TXT);
    expect(images.map((i) => i.name)).toEqual(['b.jpg', 'a.jpg', 'c.jpg']);
    const ds = colmapDataset({ cameras, images }, { testEvery: 2, root: '/data/images' });
    expect(ds.frames.map((f) => f.name)).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
    expect(ds.test).toEqual([0, 2]);
    expect(ds.train).toEqual([1]);
    const [a, b] = ds.frames;
    expectClose(a!.pose.R, [0, 1, 0, -1, 0, 0, 0, 0, 1]);
    expectClose(a!.pose.t, [0, 1, 0]);
    expectClose(a!.K, [600, 0, 400, 0, 601, 300, 0, 0, 1]);
    expect(a!.distortion).toEqual({ model: 'OPENCV', coeffs: { k1: 0.1, k2: -0.05, p1: 0.001, p2: 0.002 } });
    expect([a!.width, a!.height]).toEqual([800, 600]);
    expectClose(b!.pose.t, [-1, -2, -3]);
    expectClose(b!.K, [500, 0, 320, 0, 510, 240, 0, 0, 1]);
    expect(b!.distortion).toBeUndefined();
    expect(b!.imagePath).toBe('/data/images/b.jpg');
    const points = parseColmapPoints3DText(POINTS_TXT);
    expect(Array.from(points.xyz)).toEqual([0.5, 1.5, 2.5, -1, -2, -3]);
    expect(Array.from(points.rgb)).toEqual([255, 128, 0, 1, 2, 3]);
    expect(Array.from(points.error)).toEqual([0.25, 1.5]);
  });

  it('names the file and line of malformed records', () => {
    const bad = `${IMAGES_TXT.split('\n').slice(0, 6).join('\n')}\n2 1 0 0 0 1 0 0\n`;
    expect(() => parseColmapImagesText(bad)).toThrow('images.txt line 7: expected 10 fields (IMAGE_ID QW QX QY QZ TX TY TZ CAMERA_ID NAME), got 8');
    expect(() => parseColmapCamerasText('1 PINHOLE 640 480 500 510 320\n')).toThrow('cameras.txt line 1: PINHOLE takes 4 parameters (fx, fy, cx, cy), got 3');
    expect(() => parseColmapCamerasText('# c\n1 FISHY 640 480 1\n')).toThrow('cameras.txt line 2: unknown camera model "FISHY"');
    expect(() => parseColmapCamerasText('1 SIMPLE_PINHOLE 640 480 5 3 x\n')).toThrow('cameras.txt line 1: cy is "x", expected a finite number');
    const missingCamera = parseColmapImagesText('\n1 1 0 0 0 1 2 3 9 b.jpg\n\n');
    expect(() => colmapDataset({ cameras: parseColmapCamerasText(CAMERAS_TXT), images: missingCamera })).toThrow(
      'images.txt line 2: uses camera 9, which the cameras file does not define',
    );
    expect(() => colmapDataset({ cameras: parseColmapCamerasText(CAMERAS_TXT), images: parseColmapImagesText('1 0 0 0 0 1 2 3 1 b.jpg\n\n') })).toThrow(
      /images\.txt line 1 qvec: zero-length quaternion/,
    );
  });
});

describe('COLMAP binary model', () => {
  it('reads the pinhole, radial and OpenCV models into K and distortion', async () => {
    const cams = await parseColmapCamerasBinary(camerasBin());
    const images = await parseColmapImagesBinary(imagesBin());
    expect(images.map((i) => [i.id, i.cameraId, i.name])).toEqual([[1, 1, 'b.jpg'], [2, 4, 'sub/a.jpg']]);
    const ds = colmapDataset({ cameras: cams, images }, { testEvery: 0 });
    expect(ds.test).toEqual([]);
    expect(ds.frames.map((f) => f.name)).toEqual(['b.jpg', 'sub/a.jpg']);
    expectClose(ds.frames[0]!.K, [500, 0, 320, 0, 500, 240, 0, 0, 1]);
    expectClose(ds.frames[1]!.pose.t, [0, 1, 0]);
    expect(ds.frames[1]!.distortion?.coeffs).toEqual({ k1: 0.1, k2: -0.05, p1: 0.001, p2: 0.002 });
    const radial = colmapDataset({ cameras: cams, images: [{ ...images[0]!, cameraId: 3 }] }).frames[0]!;
    expectClose(radial.K, [610, 0, 401, 0, 610, 299, 0, 0, 1]);
    expect(radial.distortion).toEqual({ model: 'RADIAL', coeffs: { k1: 0.02, k2: -0.003 } });
    const simpleRadial = colmapDataset({ cameras: cams, images: [{ ...images[0]!, cameraId: 2 }] }).frames[0]!;
    expect(simpleRadial.distortion).toEqual({ model: 'SIMPLE_RADIAL', coeffs: { k: 0.01 } });
    const points = await parseColmapPoints3DBinary(pointsBin());
    expect(Array.from(points.xyz)).toEqual([0.5, 1.5, 2.5, -1, -2, -3]);
    expect(Array.from(points.rgb)).toEqual([255, 128, 0, 1, 2, 3]);
    expect(Array.from(points.error)).toEqual([0.25, 1.5]);
  });

  it('agrees with COLMAP_CAMERA_MODELS on every model id and parameter count', async () => {
    const w = new Writer().u64(COLMAP_CAMERA_MODELS.length);
    COLMAP_CAMERA_MODELS.forEach((m) => w.u32(10 + m.id).i32(m.id).u64(4).u64(3).f64(...m.params.map((_, i) => m.id + i / 10)));
    const cams = await parseColmapCamerasBinary(w.done().buffer as ArrayBuffer); // a bare ArrayBuffer works too
    expect([...cams.values()].map((c) => [c.id, c.model, Array.from(c.params)])).toEqual(
      COLMAP_CAMERA_MODELS.map((m) => [10 + m.id, m.name, m.params.map((_, i) => m.id + i / 10)]),
    );
    const next = new Writer().u64(1).u32(1).i32(COLMAP_CAMERA_MODELS.length).u64(4).u64(3).done();
    await expect(parseColmapCamerasBinary(next)).rejects.toThrow(`cameras.bin: camera 1 has unknown model id ${COLMAP_CAMERA_MODELS.length} at byte 12`);
  });

  it('reads a view into a larger buffer, and empty models', async () => {
    const padded = new Uint8Array(imagesBin().length + 16);
    padded.set(imagesBin(), 8);
    const images = await parseColmapImagesBinary(padded.subarray(8, 8 + imagesBin().length));
    expect(images.map((i) => i.name)).toEqual(['b.jpg', 'sub/a.jpg']);
    expect(Array.from(images[1]!.qvec)).toEqual([S, 0, 0, S]);
    expect(Array.from(images[0]!.tvec)).toEqual([1, 2, 3]);
    const empty = new Writer().u64(0).done();
    expect((await parseColmapCamerasBinary(empty)).size).toBe(0);
    expect(await parseColmapImagesBinary(empty)).toEqual([]);
    expect((await parseColmapPoints3DBinary(empty)).xyz.length).toBe(0);
  });

  it('names the file, byte and field of truncated or corrupt data', async () => {
    const cams = camerasBin();
    await expect(parseColmapCamerasBinary(cams.subarray(0, cams.length - 4))).rejects.toThrow(
      `cameras.bin: truncated at byte ${cams.length - 8} reading camera 4 params[7] (needs 8 bytes, 4 left)`,
    );
    const badModel = camerasBin();
    new DataView(badModel.buffer).setInt32(12, 99, true);
    await expect(parseColmapCamerasBinary(badModel)).rejects.toThrow('cameras.bin: camera 1 has unknown model id 99 at byte 12');
    const extra = Uint8Array.from([...imagesBin(), 0, 0, 0]);
    await expect(parseColmapImagesBinary(extra)).rejects.toThrow('images.bin: 3 bytes left over after 2 images');
    const huge = new Writer().u64(1_000_000).done();
    await expect(parseColmapPoints3DBinary(huge)).rejects.toThrow('points3D.bin: header claims 1000000 points, but the 0 bytes left cannot hold them');
  });

  it('refuses bad binary input with errors naming the file, the record and the byte', async () => {
    const dup = camerasBin();
    new DataView(dup.buffer).setUint32(8 + 48 + 56, 2, true); // the third camera takes the second's id
    await expect(parseColmapCamerasBinary(dup, 'sparse/0/cameras.bin')).rejects.toThrow('sparse/0/cameras.bin: camera 2 is defined twice (again at byte 112)');
    const wide = camerasBin();
    new DataView(wide.buffer).setBigUint64(16, 2n ** 53n, true);
    await expect(parseColmapCamerasBinary(wide)).rejects.toThrow('cameras.bin: camera 1 width at byte 16 is 9007199254740992, too large to be real');
    const lying = new Writer().u64(2 ** 53 - 1).u64(0).done();
    await expect(parseColmapCamerasBinary(lying)).rejects.toThrow('cameras.bin: header claims 9007199254740991 cameras, but the 8 bytes left cannot hold them');
    await expect(parseColmapCamerasBinary(new Uint8Array(3))).rejects.toThrow('cameras.bin: truncated at byte 0 reading camera count (needs 8 bytes, 3 left)');

    const image = (name: Uint8Array, points = 0): Writer => {
      const w = new Writer().u64(1).u32(5).f64(1, 0, 0, 0, 0, 0, 0).u32(1);
      name.forEach((b) => w.u8(b));
      return w.u8(0).u64(points);
    };
    await expect(parseColmapImagesBinary(image(Uint8Array.from([0x61, 0xff, 0x62])).done())).rejects.toThrow(
      'images.bin: image 5 name starting at byte 72 is not valid UTF-8 (bad byte 0xff at byte 73)',
    );
    const unterminated = Uint8Array.from([...new Writer().u64(1).u32(5).f64(1, 0, 0, 0, 0, 0, 0).u32(1).done(), ...new TextEncoder().encode('abcdefghi')]);
    await expect(parseColmapImagesBinary(unterminated)).rejects.toThrow('images.bin: unterminated image 5 name starting at byte 72');
    await expect(parseColmapImagesBinary(image(new TextEncoder().encode('a.jpg'), 2).f64(1, 2).done())).rejects.toThrow(
      'images.bin: truncated at byte 86 reading 2 2D points of image 5 (needs 48 bytes, 16 left)',
    );
    expect((await parseColmapImagesBinary(image(new TextEncoder().encode('é/ü.png')).done()))[0]!.name).toBe('é/ü.png');

    const points = pointsBin();
    new DataView(points.buffer).setBigUint64(51, 2n ** 53n - 1n, true); // first point's track length
    await expect(parseColmapPoints3DBinary(points)).rejects.toThrow(
      `points3D.bin: truncated at byte 59 reading 9007199254740991 track entries of point 0 (needs 72057594037927928 bytes, ${points.length - 59} left)`,
    );
    await expect(parseColmapPoints3DBinary(new Uint8Array(0))).rejects.toThrow('points3D.bin: truncated at byte 0 reading point count (needs 8 bytes, 0 left)');
    // Not a panic or a hang: a wrong file type is refused like any other bad input.
    await expect(parseColmapImagesBinary(camerasBin())).rejects.toThrow(/^images\.bin: /);
  });

  it('loads scene/sparse/0 with images beside it, preferring binary', async () => {
    const scene = join(await mkdtemp(join(tmpdir(), 'rvs-colmap-')), 'garden');
    dirs.push(join(scene, '..'));
    const model = join(scene, 'sparse', '0');
    await mkdir(join(scene, 'images', 'sub'), { recursive: true });
    await mkdir(model, { recursive: true });
    await writeFile(join(model, 'cameras.bin'), camerasBin());
    await writeFile(join(model, 'images.bin'), imagesBin());
    await writeFile(join(model, 'points3D.bin'), pointsBin());
    await writeFile(join(model, 'cameras.txt'), 'this text model must be ignored');
    await writeFile(join(scene, 'images', 'b.jpg'), 'x');
    await expect(loadColmap(model)).rejects.toThrow(`garden: 1 of 2 images are missing under ${join(scene, 'images')}: sub/a.jpg`);
    await writeFile(join(scene, 'images', 'sub', 'a.jpg'), 'x');
    const ds = await loadColmap(model, { points: true, testEvery: 2 });
    expect(ds.name).toBe('garden');
    expect(ds.frames.map((f) => f.imagePath)).toEqual([join(scene, 'images', 'b.jpg'), join(scene, 'images', 'sub/a.jpg')]);
    expect(ds.test).toEqual([0]);
    expect(ds.model.points?.xyz.length).toBe(6);
    await expect(loadColmap(scene)).rejects.toThrow(/has neither cameras\.bin \+ images\.bin nor cameras\.txt \+ images\.txt/);
  });
});
