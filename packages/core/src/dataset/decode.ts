// PNG and JPEG → RGBA8. Pure-JS decoders (fast-png, jpeg-js) run anywhere, including Node
// worker threads; browsers use their native decoder through createImageBitmap when present.
import { convertIndexedToRgb, decode as decodePng, type DecodedPng } from 'fast-png';
import jpeg from 'jpeg-js';

/** A decoded image: RGBA, 8 bits per channel, row-major, not premultiplied. */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  /** `[height, width, 4]` flattened; owns its whole buffer so it can be transferred. */
  readonly data: Uint8Array<ArrayBuffer>;
}

/** Container formats the decoders understand. */
export type ImageFormat = 'png' | 'jpeg';

/**
 * Format from the first bytes (PNG signature `89 50 4E 47`, JPEG SOI `FF D8 FF`).
 * @throws naming `name` and the first bytes when it is neither.
 */
export function sniffImageFormat(bytes: Uint8Array, name = 'image'): ImageFormat {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new Error(`${name}: not a PNG or JPEG (${bytes.length} bytes, starting ${head || 'with nothing'})`);
}

/**
 * Decodes PNG (any bit depth, grey, grey+alpha, RGB, RGBA, palette) or JPEG to RGBA8 with the
 * pure-JS decoders, synchronously. 16-bit channels keep their high byte.
 * @throws naming `name` when the data is not a PNG or JPEG, or is corrupt.
 */
export function decodeImageSync(bytes: Uint8Array, name = 'image'): DecodedImage {
  const format = sniffImageFormat(bytes, name);
  try {
    if (format === 'jpeg') {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
      return { width: img.width, height: img.height, data: new Uint8Array(img.data) };
    }
    return pngToRgba(decodePng(bytes));
  } catch (e) {
    throw new Error(`${name}: cannot decode ${format.toUpperCase()}: ${(e as Error).message}`);
  }
}

/**
 * Decodes with the browser's native decoder (createImageBitmap + OffscreenCanvas) where both
 * exist, else with {@link decodeImageSync}. Colour-space conversion and premultiplication are
 * turned off so opaque pixels match the file exactly; semi-transparent ones may round through
 * the canvas's premultiplied storage.
 */
export async function decodeImage(bytes: Uint8Array, name = 'image'): Promise<DecodedImage> {
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') return decodeImageSync(bytes, name);
  sniffImageFormat(bytes, name);
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error(`${name}: OffscreenCanvas has no 2D context`);
    ctx.drawImage(bitmap, 0, 0);
    const pixels = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    return { width: bitmap.width, height: bitmap.height, data: new Uint8Array(pixels.buffer as ArrayBuffer) };
  } finally {
    bitmap.close();
  }
}

/** RGBA8 → float RGBA in [0, 1] (the layout `coverageCheck` and `sharpnessScore` take). */
export function toFloatRgba(img: DecodedImage): { data: Float32Array; width: number; height: number } {
  const data = new Float32Array(img.data.length);
  for (let i = 0; i < data.length; i++) data[i] = (img.data[i] as number) / 255;
  return { data, width: img.width, height: img.height };
}

function pngToRgba(png: DecodedPng): DecodedImage {
  const { width, height } = png;
  const n = width * height;
  const out = new Uint8Array(n * 4);
  if (png.palette) {
    const rgb = convertIndexedToRgb(png);
    const ch = rgb.length / n; // 3, or 4 with a tRNS chunk
    for (let i = 0; i < n; i++) {
      out.set(rgb.subarray(i * ch, i * ch + 3), 4 * i);
      out[4 * i + 3] = ch === 4 ? (rgb[i * ch + 3] as number) : 255;
    }
    return { width, height, data: out };
  }
  const ch = png.channels;
  const sample = sampler(png);
  for (let i = 0; i < n; i++) {
    const grey = ch <= 2;
    const r = sample(i * ch);
    out[4 * i] = r;
    out[4 * i + 1] = grey ? r : sample(i * ch + 1);
    out[4 * i + 2] = grey ? r : sample(i * ch + 2);
    out[4 * i + 3] = ch === 2 ? sample(i * ch + 1) : ch === 4 ? sample(i * ch + 3) : 255;
  }
  return { width, height, data: out };
}

/** Reads sample k as 8 bits, whatever the PNG's depth (sub-byte grey rows are padded to bytes). */
function sampler(png: DecodedPng): (k: number) => number {
  const { data, depth, width } = png;
  if (depth === 16) return (k) => (data[k] as number) >> 8;
  if (depth === 8) return (k) => data[k] as number;
  // 1, 2 or 4-bit grey: one channel, rows start on byte boundaries.
  const perByte = 8 / depth;
  const rowBytes = Math.ceil(width / perByte);
  const max = (1 << depth) - 1;
  return (k) => {
    const y = Math.floor(k / width);
    const x = k - y * width;
    const byte = data[y * rowBytes + Math.floor(x / perByte)] as number;
    const shift = 8 - depth * ((x % perByte) + 1);
    return Math.round((((byte >> shift) & max) * 255) / max);
  };
}
