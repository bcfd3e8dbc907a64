// COLMAP sparse model, text format (cameras.txt, images.txt, points3D.txt), as COLMAP writes it:
// '#' comments, then one record per line; images.txt has two lines per image.
import { assertFinite } from '../pose/validate.ts';
import { modelByName, type ColmapCamera } from './colmap-camera.ts';
import type { ColmapImage, ColmapPoints } from './colmap-types.ts';
import { fields, lines, parseInteger, parseNumber, parseNumbers, where } from './text.ts';

const isData = (t: string): boolean => t.trim() !== '' && !t.trimStart().startsWith('#');

/**
 * Parses cameras.txt: `CAMERA_ID MODEL WIDTH HEIGHT PARAMS[]`.
 * @throws naming the line on an unknown model, a wrong parameter count, a non-number or a duplicate id.
 */
export function parseColmapCamerasText(text: string, file = 'cameras.txt'): Map<number, ColmapCamera> {
  const cameras = new Map<number, ColmapCamera>();
  for (const line of lines(text)) {
    if (!isData(line.text)) continue;
    const f = fields(line.text);
    const at = where(file, line.number);
    if (f.length < 4) throw new Error(`${at}: expected CAMERA_ID MODEL WIDTH HEIGHT PARAMS[], got ${f.length} fields`);
    const model = modelByName(f[1] as string);
    if (!model) throw new Error(`${at}: unknown camera model "${f[1]}"`);
    if (f.length !== 4 + model.params.length) {
      throw new Error(`${at}: ${model.name} takes ${model.params.length} parameters (${model.params.join(', ')}), got ${f.length - 4}`);
    }
    const id = parseInteger(f[0], at, 'CAMERA_ID');
    if (cameras.has(id)) throw new Error(`${at}: camera ${id} is defined twice`);
    cameras.set(id, {
      id,
      model: model.name,
      width: parseInteger(f[2], at, 'WIDTH'),
      height: parseInteger(f[3], at, 'HEIGHT'),
      params: Float64Array.from(parseNumbers(f, 4, model.params, at)),
    });
  }
  return cameras;
}

/**
 * Parses images.txt: per image a line `IMAGE_ID QW QX QY QZ TX TY TZ CAMERA_ID NAME` and a line
 * of 2D points (skipped; it may be empty).
 * @throws naming the line on a wrong field count or a non-number.
 */
export function parseColmapImagesText(text: string, file = 'images.txt'): ColmapImage[] {
  const all = lines(text);
  const images: ColmapImage[] = [];
  for (let i = 0; i < all.length; i++) {
    const line = all[i] as (typeof all)[number];
    if (!isData(line.text)) continue;
    const f = fields(line.text);
    const at = where(file, line.number);
    if (f.length < 10) throw new Error(`${at}: expected 10 fields (IMAGE_ID QW QX QY QZ TX TY TZ CAMERA_ID NAME), got ${f.length}`);
    images.push({
      id: parseInteger(f[0], at, 'IMAGE_ID'),
      qvec: Float64Array.from(parseNumbers(f, 1, ['QW', 'QX', 'QY', 'QZ'], at)),
      tvec: Float64Array.from(parseNumbers(f, 5, ['TX', 'TY', 'TZ'], at)),
      cameraId: parseInteger(f[8], at, 'CAMERA_ID'),
      // Names rarely contain spaces, but COLMAP allows them: the name is the rest of the line.
      name: f.slice(9).join(' '),
      line: line.number,
    });
    i++; // the POINTS2D line that always follows
  }
  return images;
}

/**
 * Parses points3D.txt: `POINT3D_ID X Y Z R G B ERROR TRACK[]`.
 * @throws naming the line on too few fields or a non-number.
 */
export function parseColmapPoints3DText(text: string, file = 'points3D.txt'): ColmapPoints {
  const xyz: number[] = [];
  const rgb: number[] = [];
  const error: number[] = [];
  for (const line of lines(text)) {
    if (!isData(line.text)) continue;
    const f = fields(line.text);
    const at = where(file, line.number);
    if (f.length < 8) throw new Error(`${at}: expected at least 8 fields (POINT3D_ID X Y Z R G B ERROR), got ${f.length}`);
    parseInteger(f[0], at, 'POINT3D_ID');
    xyz.push(...parseNumbers(f, 1, ['X', 'Y', 'Z'], at));
    for (const [k, name] of (['R', 'G', 'B'] as const).entries()) {
      const c = parseInteger(f[4 + k], at, name);
      if (c > 255) throw new Error(`${at}: ${name} is ${c}, expected 0..255`);
      rgb.push(c);
    }
    error.push(parseNumber(f[7], at, 'ERROR'));
  }
  const out = { xyz: Float64Array.from(xyz), rgb: Uint8Array.from(rgb), error: Float64Array.from(error) };
  assertFinite(out.xyz, `${file}: xyz`);
  return out;
}
