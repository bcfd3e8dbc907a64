// COLMAP sparse model, binary format (cameras.bin, images.bin, points3D.bin), little-endian as
// COLMAP's WriteBinaryLittleEndian writes it. The parsing is crates/rvs-colmap (Rust, fuzzed with
// cargo-fuzz), run from @rvs/raster-wgpu's WASM; this file turns its columns into records.
import { readColmapCameras, readColmapImages, readColmapPoints3D } from '@rvs/raster-wgpu/colmap';
import { modelById, type ColmapCamera } from './colmap-camera.ts';
import type { ColmapImage, ColmapPoints } from './colmap-types.ts';

/**
 * Parses cameras.bin: u64 count, then per camera u32 id, i32 model id, u64 width, u64 height,
 * f64 × (the model's parameter count).
 * @throws naming the file and byte on truncation, an unknown model id, a duplicate id, a count
 * that cannot fit or leftover bytes.
 */
export async function parseColmapCamerasBinary(data: ArrayBuffer | ArrayBufferView, file = 'cameras.bin'): Promise<Map<number, ColmapCamera>> {
  const c = await readColmapCameras(data, file);
  const cameras = new Map<number, ColmapCamera>();
  let at = 0;
  c.ids.forEach((id, i) => {
    const modelId = c.modelIds[i] as number;
    const model = modelById(modelId);
    // The Rust table (crates/rvs-colmap/src/models.rs) and COLMAP_CAMERA_MODELS must agree; tests check it.
    if (!model) throw new Error(`${file}: camera ${id} has model id ${modelId}, which rvs-colmap accepts but COLMAP_CAMERA_MODELS lacks`);
    const params = c.params.slice(at, at + model.params.length);
    at += model.params.length;
    cameras.set(id, { id, model: model.name, width: c.widths[i] as number, height: c.heights[i] as number, params });
  });
  return cameras;
}

/**
 * Parses images.bin: u64 count, then per image u32 id, f64 × 4 qvec, f64 × 3 tvec, u32 camera
 * id, NUL-terminated UTF-8 name, u64 point count and that many (f64 x, f64 y, i64 point3D id),
 * skipped.
 * @throws naming the file and byte on truncation, an unterminated or non-UTF-8 name, a count
 * that cannot fit or leftover bytes.
 */
export async function parseColmapImagesBinary(data: ArrayBuffer | ArrayBufferView, file = 'images.bin'): Promise<ColmapImage[]> {
  const c = await readColmapImages(data, file);
  return Array.from(c.ids, (id, i) => ({
    id,
    qvec: c.qvecs.slice(4 * i, 4 * i + 4),
    tvec: c.tvecs.slice(3 * i, 3 * i + 3),
    cameraId: c.cameraIds[i] as number,
    name: c.names[i] as string,
  }));
}

/**
 * Parses points3D.bin: u64 count, then per point u64 id, f64 × 3 xyz, u8 × 3 rgb, f64 error,
 * u64 track length and that many (i32 image id, i32 point2D index), skipped.
 * @throws naming the file and byte on truncation, a count that cannot fit or leftover bytes.
 */
export async function parseColmapPoints3DBinary(data: ArrayBuffer | ArrayBufferView, file = 'points3D.bin'): Promise<ColmapPoints> {
  return readColmapPoints3D(data, file);
}
