// COLMAP binary readers (crates/rvs-colmap, fuzzed) from the raster WASM, for @rvs/core's
// parseColmap*Binary. No WebGPU needed. Subpath export `@rvs/raster-wgpu/colmap`.
import { loadWasmModule } from './init.ts';

/** cameras.bin as columns, in file order; `params` holds each camera's parameters in turn. */
export interface ColmapCameraColumns {
  readonly ids: Uint32Array;
  /** COLMAP model ids. */
  readonly modelIds: Int32Array;
  readonly widths: Float64Array;
  readonly heights: Float64Array;
  readonly params: Float64Array;
}

/** images.bin as columns, in file order (2D points skipped). */
export interface ColmapImageColumns {
  readonly ids: Uint32Array;
  readonly cameraIds: Uint32Array;
  /** `[N, 4]` world-to-camera quaternions `w, x, y, z`. */
  readonly qvecs: Float64Array;
  /** `[N, 3]` world-to-camera translations. */
  readonly tvecs: Float64Array;
  readonly names: string[];
}

/** points3D.bin: `[N, 3]` positions, `[N, 3]` colours, `[N]` errors (ids and tracks skipped). */
export interface ColmapPointColumns {
  readonly xyz: Float64Array;
  readonly rgb: Uint8Array;
  readonly error: Float64Array;
}

const bytesOf = (data: ArrayBuffer | ArrayBufferView): Uint8Array =>
  ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);

/**
 * Parses cameras.bin. `file` names the file in errors.
 * @throws naming the file, the camera and the byte (truncation, unknown model id, duplicate id, leftover bytes).
 */
export async function readColmapCameras(data: ArrayBuffer | ArrayBufferView, file: string): Promise<ColmapCameraColumns> {
  const w = await loadWasmModule();
  const c = w.parseColmapCameras(bytesOf(data), file);
  try {
    return { ids: c.ids, modelIds: c.modelIds, widths: c.widths, heights: c.heights, params: c.params };
  } finally {
    c.free();
  }
}

/**
 * Parses images.bin. `file` names the file in errors.
 * @throws naming the file, the image and the byte (truncation, unterminated or non-UTF-8 name, leftover bytes).
 */
export async function readColmapImages(data: ArrayBuffer | ArrayBufferView, file: string): Promise<ColmapImageColumns> {
  const w = await loadWasmModule();
  const i = w.parseColmapImages(bytesOf(data), file);
  try {
    return { ids: i.ids, cameraIds: i.cameraIds, qvecs: i.qvecs, tvecs: i.tvecs, names: i.names };
  } finally {
    i.free();
  }
}

/**
 * Parses points3D.bin. `file` names the file in errors.
 * @throws naming the file, the point and the byte (truncation, leftover bytes).
 */
export async function readColmapPoints3D(data: ArrayBuffer | ArrayBufferView, file: string): Promise<ColmapPointColumns> {
  const w = await loadWasmModule();
  const p = w.parseColmapPoints3D(bytesOf(data), file);
  try {
    return { xyz: p.xyz, rgb: p.rgb, error: p.error };
  } finally {
    p.free();
  }
}
