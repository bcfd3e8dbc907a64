// The persistent entry format, shared by every store (Node directory, OPFS): a 48-byte header
// with magic, version, key, context, size, pixel format, payload length and two CRC-32s, then
// the pixels. A torn, truncated or bit-flipped entry fails `decodeEntry` and is re-rendered.
import { crc32 } from './hash.ts';
import type { HostFormat } from './types.ts';

/** Pixels of one view on the host: RGBA8 or f32, H·W·4 values. */
export type HostPixels = Uint8Array | Float32Array;

const MAGIC = 0x43535652; // 'RVSC' little-endian
const VERSION = 1;
export const HEADER_BYTES = 48;
const FORMAT_CODE: Record<HostFormat, number> = { rgba8: 0, f32: 1 };

/** The file name of the entry for `key` (16 hex digits). */
export function entryName(key: string): string {
  return `${key}.rvsc`;
}

/** What an entry must match to be served. */
export interface EntryExpectation {
  key: string;
  context: string;
  width: number;
  height: number;
}

function writeHex64(dv: DataView, at: number, hex: string): void {
  if (!/^[0-9a-f]{16}$/.test(hex)) throw new RangeError(`expected 16 hex digits, got '${hex}'`);
  dv.setUint32(at, parseInt(hex.slice(8), 16), true);
  dv.setUint32(at + 4, parseInt(hex.slice(0, 8), 16), true);
}

function readHex64(dv: DataView, at: number): string {
  const lo = dv.getUint32(at, true).toString(16).padStart(8, '0');
  return dv.getUint32(at + 4, true).toString(16).padStart(8, '0') + lo;
}

/** Header + pixels, ready for `CacheStore.write`. */
export function encodeEntry(e: EntryExpectation, pixels: HostPixels): Uint8Array {
  const payload = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint16(4, VERSION, true);
  dv.setUint16(6, pixels instanceof Float32Array ? FORMAT_CODE.f32 : FORMAT_CODE.rgba8, true);
  writeHex64(dv, 8, e.key);
  writeHex64(dv, 16, e.context);
  dv.setUint32(24, e.width, true);
  dv.setUint32(28, e.height, true);
  dv.setUint32(32, payload.length, true);
  dv.setUint32(36, crc32(payload), true);
  dv.setUint32(44, crc32(out.subarray(0, 44)), true); // bytes 40–43 are reserved (0)
  out.set(payload, HEADER_BYTES);
  return out;
}

/** The entry's pixels, or why it cannot be served. */
export type DecodedEntry = { ok: true; pixels: HostPixels } | { ok: false; reason: string };

/** Checks every header field and both checksums; never returns pixels of a damaged entry. */
export function decodeEntry(bytes: Uint8Array, want: EntryExpectation): DecodedEntry {
  const fail = (reason: string): DecodedEntry => ({ ok: false, reason });
  if (bytes.length < HEADER_BYTES) return fail(`truncated header (${bytes.length} bytes)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) return fail('bad magic');
  if (dv.getUint32(44, true) !== crc32(bytes.subarray(0, 44))) return fail('header checksum mismatch');
  if (dv.getUint16(4, true) !== VERSION) return fail(`version ${dv.getUint16(4, true)}`);
  const format = dv.getUint16(6, true);
  if (format !== FORMAT_CODE.f32 && format !== FORMAT_CODE.rgba8) return fail(`unknown pixel format ${format}`);
  if (readHex64(dv, 8) !== want.key) return fail('key mismatch');
  if (readHex64(dv, 16) !== want.context) return fail('context (scene or settings) mismatch');
  if (dv.getUint32(24, true) !== want.width || dv.getUint32(28, true) !== want.height) return fail('size mismatch');
  const length = dv.getUint32(32, true);
  const values = want.width * want.height * 4;
  if (length !== values * (format === FORMAT_CODE.f32 ? 4 : 1)) return fail('payload length does not match the size');
  if (bytes.length !== HEADER_BYTES + length) return fail(`truncated payload (${bytes.length - HEADER_BYTES} of ${length} bytes)`);
  const payload = bytes.slice(HEADER_BYTES); // a copy: aligned, and owns its buffer
  if (crc32(payload) !== dv.getUint32(36, true)) return fail('payload checksum mismatch');
  return { ok: true, pixels: format === FORMAT_CODE.f32 ? new Float32Array(payload.buffer) : payload };
}

/** `rgba` (f32) in the host format: RGBA8 rounds clamp(v, 0, 1)·255. Always a fresh array. */
export function toHostPixels(rgba: Float32Array, format: HostFormat): HostPixels {
  if (format === 'f32') return rgba.slice();
  const out = new Uint8Array(rgba.length);
  for (let i = 0; i < rgba.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, rgba[i]!)) * 255);
  return out;
}

/** Host pixels as f32 (RGBA8 divided by 255), written into `out` at `offset`. */
export function hostPixelsToF32(pixels: HostPixels, out: Float32Array, offset = 0): void {
  if (pixels instanceof Float32Array) {
    out.set(pixels, offset);
    return;
  }
  for (let i = 0; i < pixels.length; i++) out[offset + i] = pixels[i]! / 255;
}

/** An entry's header as stored, and whether its checksums hold (for `rvs-cli cache inspect`). */
export interface EntryInfo {
  key: string;
  context: string;
  width: number;
  height: number;
  format: 'f32' | 'rgba8' | 'unknown';
  bytes: number;
  /** Undefined when intact; otherwise why the cache would re-render it. */
  damage?: string;
}

export function inspectEntry(bytes: Uint8Array): EntryInfo {
  if (bytes.length < HEADER_BYTES) return { key: '', context: '', width: 0, height: 0, format: 'unknown', bytes: bytes.length, damage: `truncated header (${bytes.length} bytes)` };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const code = dv.getUint16(6, true);
  const info: EntryInfo = {
    key: readHex64(dv, 8),
    context: readHex64(dv, 16),
    width: dv.getUint32(24, true),
    height: dv.getUint32(28, true),
    format: code === FORMAT_CODE.f32 ? 'f32' : code === FORMAT_CODE.rgba8 ? 'rgba8' : 'unknown',
    bytes: bytes.length,
  };
  // The full check is decodeEntry's, against the entry's own header.
  const decoded = decodeEntry(bytes, info);
  return decoded.ok ? info : { ...info, damage: decoded.reason };
}
