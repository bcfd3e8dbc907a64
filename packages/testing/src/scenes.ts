// Small scenes and cameras that tests build themselves (INRIA 3DGS PLY bytes).

export interface SplatSpec {
  mean: [number, number, number];
  /** SH coefficients [K][3]; K = 1, 4, 9 or 16. */
  sh: number[][];
  opacityLogit: number;
  logScale: [number, number, number];
  /** w x y z */
  quat: [number, number, number, number];
}

/** Binary little-endian PLY in the INRIA layout (f_rest channel-major). */
export function writePly(splats: SplatSpec[]): Uint8Array {
  const k = splats[0]?.sh.length ?? 1;
  const rest = 3 * (k - 1);
  const props = ['x', 'y', 'z', 'nx', 'ny', 'nz', 'f_dc_0', 'f_dc_1', 'f_dc_2', ...Array.from({ length: rest }, (_, i) => `f_rest_${i}`), 'opacity', 'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3'];
  const header = `ply\nformat binary_little_endian 1.0\nelement vertex ${splats.length}\n${props.map((p) => `property float ${p}\n`).join('')}end_header\n`;
  const head = new TextEncoder().encode(header);
  const body = new Float32Array(splats.length * props.length);
  splats.forEach((s, i) => {
    if (s.sh.length !== k) throw new Error('all splats need the same number of SH coefficients');
    const row = [...s.mean, 0, 0, 0, ...s.sh[0]!];
    for (let c = 0; c < 3; c++) for (let j = 1; j < k; j++) row.push(s.sh[j]![c]!);
    row.push(s.opacityLogit, ...s.logScale, ...s.quat);
    body.set(row, i * props.length);
  });
  const out = new Uint8Array(head.length + body.byteLength);
  out.set(head);
  out.set(new Uint8Array(body.buffer), head.length);
  return out;
}

/** Seeded PRNG in [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` random splats in a 2-unit cube around the origin, with SH degree `degree`. */
export function randomSplats(n: number, degree: number, seed = 1): SplatSpec[] {
  const r = rng(seed);
  const u = (lo: number, hi: number) => lo + (hi - lo) * r();
  const k = (degree + 1) ** 2;
  return Array.from({ length: n }, () => ({
    mean: [u(-1, 1), u(-1, 1), u(-1, 1)],
    sh: Array.from({ length: k }, (_, j) => [0, 1, 2].map(() => (j === 0 ? u(-1.5, 1.5) : u(-0.3, 0.3)))),
    opacityLogit: u(-2, 4),
    logScale: [Math.log(u(0.02, 0.15)), Math.log(u(0.02, 0.15)), Math.log(u(0.02, 0.15))],
    quat: [u(-1, 1), u(-1, 1), u(-1, 1), u(-1, 1)],
  }));
}

/** World→camera row-major 4×4 for a camera at `eye` looking at `target`; OpenCV axes, world y down. */
export function lookAt(eye: number[], target: number[], up = [0, -1, 0]): number[] {
  const sub = (a: number[], b: number[]) => a.map((v, i) => v - b[i]!);
  const norm = (a: number[]) => {
    const l = Math.hypot(...a);
    return a.map((v) => v / l);
  };
  const cross = (a: number[], b: number[]) => [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
  const z = norm(sub(target, eye));
  const x = norm(cross(z, up));
  const y = cross(z, x);
  const t = [x, y, z].map((row) => -(row[0]! * eye[0]! + row[1]! * eye[1]! + row[2]! * eye[2]!));
  return [...x, t[0]!, ...y, t[1]!, ...z, t[2]!, 0, 0, 0, 1];
}

export interface CameraSet {
  viewmats: Float32Array;
  Ks: Float32Array;
}

/** `count` cameras on a ring of `radius` around the origin, all looking at it. */
export function ringCameras(count: number, width: number, height: number, radius = 3.5, focal = width * 0.9): CameraSet {
  const views: number[] = [];
  const ks: number[] = [];
  for (let i = 0; i < count; i++) {
    const a = (i / count) * Math.PI * 2 + 0.3;
    views.push(...lookAt([radius * Math.sin(a), -0.4 * Math.cos(3 * a), radius * Math.cos(a)], [0, 0, 0]));
    ks.push(focal, 0, width / 2 + 0.3 * i, 0, focal * 1.02, height / 2 - 0.2 * i, 0, 0, 1);
  }
  return { viewmats: new Float32Array(views), Ks: new Float32Array(ks) };
}
