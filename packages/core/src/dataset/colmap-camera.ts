// COLMAP camera models: parameter layouts (src/colmap/sensor/models.h) and their pinhole part.
import { intrinsicsMatrix, type Distortion } from './types.ts';

/** Parameter names of each COLMAP model, by model id (the id is what cameras.bin stores). */
export const COLMAP_CAMERA_MODELS = [
  { id: 0, name: 'SIMPLE_PINHOLE', params: ['f', 'cx', 'cy'] },
  { id: 1, name: 'PINHOLE', params: ['fx', 'fy', 'cx', 'cy'] },
  { id: 2, name: 'SIMPLE_RADIAL', params: ['f', 'cx', 'cy', 'k'] },
  { id: 3, name: 'RADIAL', params: ['f', 'cx', 'cy', 'k1', 'k2'] },
  { id: 4, name: 'OPENCV', params: ['fx', 'fy', 'cx', 'cy', 'k1', 'k2', 'p1', 'p2'] },
  { id: 5, name: 'OPENCV_FISHEYE', params: ['fx', 'fy', 'cx', 'cy', 'k1', 'k2', 'k3', 'k4'] },
  { id: 6, name: 'FULL_OPENCV', params: ['fx', 'fy', 'cx', 'cy', 'k1', 'k2', 'p1', 'p2', 'k3', 'k4', 'k5', 'k6'] },
  { id: 7, name: 'FOV', params: ['fx', 'fy', 'cx', 'cy', 'omega'] },
  { id: 8, name: 'SIMPLE_RADIAL_FISHEYE', params: ['f', 'cx', 'cy', 'k'] },
  { id: 9, name: 'RADIAL_FISHEYE', params: ['f', 'cx', 'cy', 'k1', 'k2'] },
  { id: 10, name: 'THIN_PRISM_FISHEYE', params: ['fx', 'fy', 'cx', 'cy', 'k1', 'k2', 'p1', 'p2', 'k3', 'k4', 'sx1', 'sy1'] },
] as const;

/** A COLMAP model name such as `PINHOLE` or `OPENCV`. */
export type ColmapModelName = (typeof COLMAP_CAMERA_MODELS)[number]['name'];

/** Layout of one model. */
export type ColmapModelInfo = (typeof COLMAP_CAMERA_MODELS)[number];

/** A camera of cameras.txt / cameras.bin. */
export interface ColmapCamera {
  readonly id: number;
  readonly model: ColmapModelName;
  readonly width: number;
  readonly height: number;
  /** Parameters in the model's order (see {@link COLMAP_CAMERA_MODELS}). */
  readonly params: Float64Array;
}

export function modelByName(name: string): ColmapModelInfo | undefined {
  return COLMAP_CAMERA_MODELS.find((m) => m.name === name);
}

export function modelById(id: number): ColmapModelInfo | undefined {
  return COLMAP_CAMERA_MODELS.find((m) => m.id === id);
}

/**
 * Pinhole K (row-major) and distortion of a camera: f/fx/fy/cx/cy form K; any other parameter
 * is distortion, kept by name. Pinhole models have none.
 */
export function colmapIntrinsics(camera: ColmapCamera): { K: Float64Array; distortion?: Distortion } {
  const info = modelByName(camera.model) as ColmapModelInfo;
  const named: Record<string, number> = {};
  info.params.forEach((p, i) => (named[p] = camera.params[i] as number));
  const fx = named.fx ?? (named.f as number);
  const fy = named.fy ?? (named.f as number);
  const K = intrinsicsMatrix(fx, fy, named.cx as number, named.cy as number);
  const coeffs = Object.fromEntries(Object.entries(named).filter(([k]) => !['f', 'fx', 'fy', 'cx', 'cy'].includes(k)));
  return Object.keys(coeffs).length === 0 ? { K } : { K, distortion: { model: camera.model, coeffs } };
}
