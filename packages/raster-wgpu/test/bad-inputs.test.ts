// Bad inputs and the errors they give, one table row each: a scene file or render call that
// is wrong in exactly one way, and a regex the message must match. Messages name the
// problem (property, splat, camera, matrix entry, byte counts) so users can fix the input.
// Real WebGPU (Dawn; SwiftShader without a GPU), never skipped. The README's
// "Bad inputs and their errors" section lists these rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomSplats, ringCameras, writePly, type SplatSpec } from '@rvs/testing';
import { createGpu, createRasterizer, type Rasterizer, type RenderOptions, type RvsGpu, type Scene } from '../src/index.ts';

interface Row {
  name: string;
  run: () => Promise<unknown>;
  expected: RegExp;
}

const W = 64;
const H = 48;
const N = 4; // splats in the test scenes
const enc = (s: string) => new TextEncoder().encode(s);

/** 4 splats of SH degree `degree`, with `edit` applied first. */
function ply(degree = 0, edit: (s: SplatSpec[]) => void = () => {}): Uint8Array {
  const splats = randomSplats(N, degree, 5);
  edit(splats);
  return writePly(splats);
}

/** `bytes` (a PLY written by writePly) with the first `from` in its header replaced by `to`. */
function editHeader(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const end = new TextDecoder('latin1').decode(bytes.subarray(0, 4096)).indexOf('end_header\n') + 'end_header\n'.length;
  const header = new TextDecoder().decode(bytes.subarray(0, end));
  if (!header.includes(from)) throw new Error(`test bug: header has no "${from}"`);
  const head = enc(header.replace(from, to));
  const out = new Uint8Array(head.length + bytes.length - end);
  out.set(head);
  out.set(bytes.subarray(end), head.length);
  return out;
}

/** Bytes of a PLY per splat row: x y z nx ny nz, f_dc ×3, f_rest ×3(K−1), opacity, scale ×3, rot ×4; 4 bytes each. */
const rowBytes = (degree: number) => 4 * (17 + 3 * ((degree + 1) ** 2 - 1));

/** A camera ring with one entry of camera `camera`'s viewmat (or K) replaced. */
function cams(count: number, edit: { viewmat?: [number, number]; k?: [number, number] } = {}) {
  const c = ringCameras(count, W, H);
  if (edit.viewmat) c.viewmats[edit.viewmat[0]] = edit.viewmat[1];
  if (edit.k) c.Ks[edit.k[0]] = edit.k[1];
  return c;
}

describe('bad inputs give errors that name the problem (Node, real WebGPU)', () => {
  let r: Rasterizer;
  let gpu: RvsGpu;
  let scene: Scene; // SH 0, N splats

  beforeAll(async () => {
    r = await createRasterizer();
    gpu = await createGpu({ device: r.device });
    scene = await r.loadScene(ply());
  });
  afterAll(() => {
    gpu?.destroy();
    r?.destroy();
  });

  const load = (bytes: Uint8Array) => () => r.loadScene(bytes);
  const render = (o: Partial<RenderOptions>) => () => r.render(scene, { ...cams(2), width: W, height: H, ...o });

  const rows: Row[] = [
    // --- scene files ---
    {
      name: 'truncated PLY (last 10 bytes cut)',
      run: () => {
        const good = ply();
        return r.loadScene(good.subarray(0, good.length - 10));
      },
      expected: new RegExp(`PLY body is truncated: ${N} vertices × ${rowBytes(0)} bytes need ${N * rowBytes(0)} bytes after the header but ${N * rowBytes(0) - 10} are present`),
    },
    {
      name: 'PLY header lying about the vertex count (5 declared, 4 present)',
      run: load(editHeader(ply(), `element vertex ${N}\n`, 'element vertex 5\n')),
      expected: new RegExp(`PLY body is truncated: 5 vertices × ${rowBytes(0)} bytes need ${5 * rowBytes(0)} bytes after the header but ${N * rowBytes(0)} are present`),
    },
    {
      name: 'PLY header with an absurd vertex count (4 000 000 declared)',
      run: load(editHeader(ply(), `element vertex ${N}\n`, 'element vertex 4000000\n')),
      expected: new RegExp(`PLY declares 4000000 vertices but only ${N * rowBytes(0)} bytes follow the header; the vertex count is corrupt`),
    },
    {
      name: 'PLY missing end_header (binary body follows the properties)',
      run: load(editHeader(ply(), 'end_header\n', '')),
      expected: /PLY header ends \(file is \d+ bytes\) before any "end_header" line/,
    },
    {
      name: 'big-endian PLY',
      run: load(editHeader(ply(), 'binary_little_endian', 'binary_big_endian')),
      expected: /unsupported PLY format "binary_big_endian 1\.0": only binary_little_endian 1\.0 and ascii 1\.0 are read/,
    },
    {
      name: 'PLY missing opacity',
      run: load(editHeader(ply(), 'property float opacity\n', 'property float alpha\n')),
      expected: /PLY vertex element has no property "opacity"/,
    },
    {
      name: 'PLY with 8 f_rest properties (SH 1 needs 9)',
      run: load(editHeader(ply(1), 'property float f_rest_8\n', 'property float extra\n')),
      expected: /PLY vertex element has 8 f_rest_\* properties; expected 0, 9, 24 or 45 \(SH degree 0, 1, 2 or 3\)/,
    },
    {
      name: 'ASCII PLY with a word where a number belongs',
      run: load(enc(`ply\nformat ascii 1.0\nelement vertex 1\n${['x', 'y', 'z', 'f_dc_0', 'f_dc_1', 'f_dc_2', 'opacity', 'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3'].map((p) => `property float ${p}\n`).join('')}end_header\n0 0 3 0 0 0 high -2 -2 -2 1 0 0 0\n`)),
      expected: /ASCII PLY vertex 0: property "opacity" value "high" is not a number/,
    },
    {
      name: 'NaN in a Gaussian (splat 2, x)',
      run: load(ply(0, (s) => (s[2]!.mean[0] = Number.NaN))),
      expected: /splat 2: property "x" is NaN, not a finite 32-bit float/,
    },
    {
      name: 'Inf in a scale (splat 0, scale_1)',
      run: load(ply(0, (s) => (s[0]!.logScale[1] = Number.POSITIVE_INFINITY))),
      expected: /splat 0: property "scale_1" is inf, not a finite 32-bit float/,
    },
    {
      name: 'log scale too large for f32 (splat 3, 60)',
      run: load(ply(0, (s) => (s[3]!.logScale[0] = 60))),
      expected: /splat 3: log_scale\[0\] is 60; the scale exp\(60\) squared overflows 32-bit floats \(log scales must be at most 40\)/,
    },
    {
      name: 'zero-length quaternion (splat 1)',
      run: load(ply(0, (s) => (s[1]!.quat = [0, 0, 0, 0]))),
      expected: /splat 1: rotation quaternion \(rot_0\.\.rot_3\) is all zeros; it has no direction/,
    },
    {
      name: 'quaternion too small to normalize in f32 (splat 1, length 1e-30)',
      run: load(ply(0, (s) => (s[1]!.quat = [1e-30, 0, 0, 0]))),
      expected: /splat 1: rotation quaternion \[1e-30, 0\.0, 0\.0, 0\.0\] cannot be normalized in 32-bit floats \(its squared length 0 underflows to 0 or overflows\)/,
    },
    {
      name: '.splat of 33 bytes',
      run: load(new Uint8Array(33)),
      expected: /\.splat file is 33 bytes, not a multiple of 32 bytes per splat \(1 bytes left over\); files that do not start with a "ply" line are read as \.splat/,
    },
    {
      name: 'empty file',
      run: load(new Uint8Array(0)),
      expected: /scene file is empty \(0 bytes\); expected a \.ply or \.splat scene/,
    },
    {
      name: 'loadScene given a string',
      run: () => r.loadScene('scene.ply' as unknown as Uint8Array),
      expected: /loadScene: expected the file contents as a Uint8Array/,
    },
    // --- cameras ---
    {
      name: 'NaN in a viewmat (camera 1, row 1, column 2)',
      run: render(cams(2, { viewmat: [16 + 6, Number.NaN] })),
      expected: /camera 1: non-finite value NaN in its viewmat at row 1, column 2/,
    },
    {
      name: 'non-orthonormal rotation (row 0 scaled by 2)',
      run: render({ viewmats: new Float32Array([2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 4, 0, 0, 0, 1]), Ks: cams(1).Ks }),
      expected: /camera 0: viewmat rotation is not orthonormal \(row 0·row 0 = 4\.00000, expected 1\)/,
    },
    {
      name: 'last viewmat row not 0 0 0 1',
      run: render({ viewmats: new Float32Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 4, 0, 0, 1, 1]), Ks: cams(1).Ks }),
      expected: /camera 0: viewmat's last row is \[0, 0, 1, 1\], expected \[0, 0, 0, 1\]/,
    },
    {
      name: 'viewmats not a whole number of 4×4 matrices (15 numbers)',
      run: render({ viewmats: new Float32Array(15), Ks: cams(1).Ks }),
      expected: /viewmats has 15 numbers; it must hold 16 per camera \(4×4 row-major\)/,
    },
    {
      name: 'no cameras',
      run: render({ viewmats: new Float32Array(0), Ks: new Float32Array(0) }),
      expected: /no cameras: viewmats is empty/,
    },
    {
      name: 'Ks of the wrong length (9 numbers for 2 cameras)',
      run: render({ Ks: cams(1).Ks }),
      expected: /Ks has 9 numbers but viewmats holds 2 camera\(s\), which need 18 \(3×3 row-major each\)/,
    },
    {
      name: 'Inf in a K (camera 0, cx)',
      run: render(cams(2, { k: [2, Number.POSITIVE_INFINITY] })),
      expected: /camera 0: non-finite value inf in its K at row 0, column 2/,
    },
    {
      name: 'zero focal length (camera 0, fx)',
      run: render(cams(2, { k: [0, 0] })),
      expected: /camera 0: focal lengths must be positive, got fx=0, fy=/,
    },
    {
      name: 'negative focal length (camera 1, fy)',
      run: render(cams(2, { k: [9 + 4, -50] })),
      expected: /camera 1: focal lengths must be positive, got fx=[\d.]+, fy=-50/,
    },
    {
      name: 'viewmats as a plain array',
      run: render({ viewmats: [1, 0, 0, 0] as unknown as Float32Array }),
      expected: /render: viewmats and Ks must be Float32Arrays \(C·16 and C·9 numbers\)/,
    },
    // --- render settings ---
    {
      name: 'width 0',
      run: render({ width: 0 }),
      expected: /render: width must be a positive integer, got 0/,
    },
    {
      name: 'negative height',
      run: render({ height: -48 }),
      expected: /render: height must be a positive integer, got -48/,
    },
    {
      name: 'fractional width',
      run: render({ width: 64.5 }),
      expected: /render: width must be a positive integer, got 64\.5/,
    },
    {
      name: 'width above the 16384 maximum',
      run: render({ width: 16385 }),
      expected: /image size 16385×48 is out of range \(1\.\.=16384 per side\)/,
    },
    {
      name: "shDegree above the scene's",
      run: render({ shDegree: 2 }),
      expected: /shDegree 2 is higher than the scene's SH degree 0/,
    },
    {
      name: 'shDegree above 3',
      run: render({ shDegree: 4 }),
      expected: /render: shDegree must be 0–3, got 4/,
    },
    {
      name: 'background with 2 numbers',
      run: render({ background: [0.5, 0.5] as unknown as [number, number, number] }),
      expected: /background must have 3 numbers \(r, g, b\), got 2/,
    },
    {
      name: 'NaN in the background',
      run: render({ background: [0, Number.NaN, 0] }),
      expected: /background has a non-finite value NaN/,
    },
    {
      name: 'unknown mode',
      run: render({ mode: 'fancy' as 'classic' }),
      expected: /mode must be "classic" or "antialiased", got "fancy"/,
    },
    {
      name: 'one camera needing more than the device allows (16384×16384)',
      run: render({ ...cams(1), width: 16384, height: 16384 }),
      // 16 bytes per pixel (RGBA f32) × 16384² = 4294967296 bytes for the one camera.
      expected: /RGBA f32 image \(16 bytes per pixel\) needs 4294967296 bytes but the device allows \d+ per buffer; render at a smaller size or with fewer splats/,
    },
    {
      name: 'scene loaded by a rasterizer on another device',
      run: async () => {
        const other = await createRasterizer(); // its own GPUDevice
        try {
          const foreign = await other.loadScene(ply());
          return await r.render(foreign, { ...cams(1), width: W, height: H });
        } finally {
          other.destroy();
        }
      },
      expected: /render: the scene was loaded by a rasterizer on another GPUDevice; load it with this rasterizer/,
    },
    {
      name: 'an object that is not a loaded scene',
      run: () => r.render({ numSplats: N, shDegree: 0, contentHash: '0', gpuBytes: 0, destroy() {} }, { ...cams(1), width: W, height: H }),
      expected: /render: the scene was not loaded by a rasterizer \(use loadScene\)/,
    },
    {
      name: 'a destroyed scene',
      run: async () => {
        const gone = await r.loadScene(ply());
        gone.destroy();
        return r.render(gone, { ...cams(1), width: W, height: H });
      },
      expected: /render: this scene was destroyed; load it again/,
    },
    {
      name: 'a destroyed rasterizer',
      run: async () => {
        const gone = await createRasterizer({ device: r.device });
        gone.destroy();
        return gone.loadScene(ply());
      },
      expected: /loadScene: this rasterizer was destroyed/,
    },
    // --- other calls ---
    {
      name: 'sortPairs with mismatched lengths',
      run: () => gpu.sortPairs(new Uint32Array(3), new Uint32Array(2)),
      expected: /sortPairs: keys has 3 entries but values has 2; they must match/,
    },
    {
      name: 'sortPairs with keyBits 0',
      run: () => gpu.sortPairs(new Uint32Array(3), new Uint32Array(3), { keyBits: 0 }),
      expected: /sortPairs: keyBits must be 1\.\.=32, got 0/,
    },
    {
      name: 'reading a destroyed render',
      run: async () => {
        const out = await r.render(scene, { ...cams(1), width: W, height: H });
        out.destroy();
        return out.readRgba();
      },
      expected: /this render was destroyed; its images are gone/,
    },
  ];

  it('has at least 20 rows, each with its own name', () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(new Set(rows.map((row) => row.name)).size).toBe(rows.length);
  });

  it.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const outcome = await row.run().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    if (outcome.ok) throw new Error(`expected an error matching ${row.expected}, but the call succeeded`);
    expect(outcome.error).toBeInstanceOf(Error);
    expect((outcome.error as Error).message).toMatch(row.expected);
  });

  it('still renders after every bad input', async () => {
    const out = await r.render(scene, { ...cams(2), width: W, height: H });
    const rgba = await out.readRgba();
    out.destroy();
    expect(rgba.length).toBe(2 * W * H * 4);
    expect(rgba.every(Number.isFinite)).toBe(true);
  });
});
