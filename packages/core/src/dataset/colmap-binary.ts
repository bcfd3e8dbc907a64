// COLMAP sparse model, binary format (cameras.bin, images.bin, points3D.bin), little-endian as
// COLMAP's WriteBinaryLittleEndian writes it.
import { modelById, type ColmapCamera } from './colmap-camera.ts';
import type { ColmapImage, ColmapPoints } from './colmap-types.ts';
import { BinaryReader } from './binary-reader.ts';

/**
 * Parses cameras.bin: u64 count, then per camera u32 id, i32 model id, u64 width, u64 height,
 * f64 × (the model's parameter count).
 * @throws naming the file and byte on truncation, an unknown model id or a duplicate id.
 */
export function parseColmapCamerasBinary(data: ArrayBuffer | ArrayBufferView, file = 'cameras.bin'): Map<number, ColmapCamera> {
  const r = new BinaryReader(data, file);
  const count = r.u64('camera count');
  r.checkCount(count, 24, 'cameras');
  const cameras = new Map<number, ColmapCamera>();
  for (let i = 0; i < count; i++) {
    const id = r.u32(`camera ${i} id`);
    const at = r.position;
    const modelId = r.i32(`camera ${id} model id`);
    const model = modelById(modelId);
    if (!model) throw new Error(`${file}: camera ${id} has unknown model id ${modelId} at byte ${at}`);
    const width = r.u64(`camera ${id} width`);
    const height = r.u64(`camera ${id} height`);
    const params = r.f64s(model.params.length, `camera ${id} params`);
    if (cameras.has(id)) throw new Error(`${file}: camera ${id} is defined twice`);
    cameras.set(id, { id, model: model.name, width, height, params });
  }
  r.expectEnd(`${count} cameras`);
  return cameras;
}

/**
 * Parses images.bin: u64 count, then per image u32 id, f64 × 4 qvec, f64 × 3 tvec, u32 camera
 * id, NUL-terminated name, u64 point count and that many (f64 x, f64 y, i64 point3D id), skipped.
 * @throws naming the file and byte on truncation or leftover bytes.
 */
export function parseColmapImagesBinary(data: ArrayBuffer | ArrayBufferView, file = 'images.bin'): ColmapImage[] {
  const r = new BinaryReader(data, file);
  const count = r.u64('image count');
  r.checkCount(count, 73, 'images');
  const images: ColmapImage[] = [];
  for (let i = 0; i < count; i++) {
    const id = r.u32(`image ${i} id`);
    const qvec = r.f64s(4, `image ${id} qvec`);
    const tvec = r.f64s(3, `image ${id} tvec`);
    const cameraId = r.u32(`image ${id} camera id`);
    const name = r.cstring(`image ${id} name`);
    r.skip(r.u64(`image ${id} point count`), 24, `2D points of image ${id}`);
    images.push({ id, qvec, tvec, cameraId, name });
  }
  r.expectEnd(`${count} images`);
  return images;
}

/**
 * Parses points3D.bin: u64 count, then per point u64 id, f64 × 3 xyz, u8 × 3 rgb, f64 error,
 * u64 track length and that many (i32 image id, i32 point2D index), skipped.
 * @throws naming the file and byte on truncation or leftover bytes.
 */
export function parseColmapPoints3DBinary(data: ArrayBuffer | ArrayBufferView, file = 'points3D.bin'): ColmapPoints {
  const r = new BinaryReader(data, file);
  const count = r.u64('point count');
  r.checkCount(count, 51, 'points');
  const xyz = new Float64Array(3 * count);
  const rgb = new Uint8Array(3 * count);
  const error = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    r.u64(`point ${i} id`);
    xyz.set(r.f64s(3, `point ${i} xyz`), 3 * i);
    rgb.set([r.u8(`point ${i} red`), r.u8(`point ${i} green`), r.u8(`point ${i} blue`)], 3 * i);
    error[i] = r.f64(`point ${i} error`);
    r.skip(r.u64(`point ${i} track length`), 8, `track entries of point ${i}`);
  }
  r.expectEnd(`${count} points`);
  return { xyz, rgb, error };
}
