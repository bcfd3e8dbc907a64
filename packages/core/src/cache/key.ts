// Cache keys: FNV-1a 64 over the quantised camera, the image size and the render context
// (scene content hash + settings), so equal keys mean the same image.
import { fnv1a64, fnv1a64String } from './hash.ts';
import type { ViewBatch } from './types.ts';

/** Quanta of {@link viewKeys}. */
export interface KeyQuanta {
  /** Step viewmat entries are rounded to. */
  poseQuantum: number;
  /** Step intrinsics (pixels) are rounded to. */
  intrinsicsQuantum: number;
}

/** Render settings the rasterizer adapter turns into a `settingsKey`. */
export interface RenderSettings {
  /** Default `classic`. */
  mode?: 'classic' | 'antialiased';
  /** SH degree to evaluate; default the scene's. */
  shDegree?: number;
  /** Background RGB in [0, 1]; default black. */
  background?: readonly [number, number, number];
}

const KEY_VERSION = 1;
const VIEW_DOUBLES = 16 + 9;

/** Canonical string of fully resolved settings, e.g. `mode=classic;sh=3;bg=0,0,0`. */
export function renderSettingsKey(settings: { mode: string; shDegree: number; background: readonly number[] }): string {
  const bg = settings.background.map((c) => Math.fround(c)).join(',');
  return `mode=${settings.mode};sh=${settings.shDegree};bg=${bg}`;
}

/** Hash of the render context: entries keyed under one context are never served for another. */
export function contextKey(sceneHash: string, settingsKey: string): string {
  return fnv1a64String(`rvs-cache-v${KEY_VERSION}\0${sceneHash}\0${settingsKey}`);
}

/** Number of views in `views`, checking the array lengths. */
export function viewCount(views: ViewBatch): number {
  const { viewmats, Ks, width, height } = views;
  if (viewmats.length % 16 !== 0) throw new RangeError(`viewmats must hold C·16 numbers, got ${viewmats.length}`);
  const count = viewmats.length / 16;
  if (Ks.length !== 9 && Ks.length !== count * 9) throw new RangeError(`Ks must hold 9 or C·9 = ${count * 9} numbers, got ${Ks.length}`);
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  }
  return count;
}

/** `Ks` with C·9 numbers (a shared [3, 3] repeated). */
export function expandKs(Ks: Float32Array, count: number): Float32Array {
  if (Ks.length === count * 9) return Ks;
  const out = new Float32Array(count * 9);
  for (let c = 0; c < count; c++) out.set(Ks.subarray(0, 9), c * 9);
  return out;
}

/** `Math.round(v / q)` as a double without negative zero; throws on NaN/∞. */
function quantise(v: number, q: number, what: string): number {
  if (!Number.isFinite(v)) throw new RangeError(`cache key: ${what} has a non-finite entry (${v})`);
  return Math.round(v / q) + 0;
}

/**
 * One key (16 hex digits) per view. Two views share a key when every viewmat entry rounds to
 * the same multiple of `poseQuantum` and every intrinsic to the same multiple of
 * `intrinsicsQuantum` (so any entry moving by a full quantum or more changes the key), and the
 * size and context are equal.
 */
export function viewKeys(views: ViewBatch, context: string, quanta: KeyQuanta): string[] {
  const count = viewCount(views);
  const { poseQuantum: pq, intrinsicsQuantum: kq } = quanta;
  if (!(pq > 0) || !(kq > 0)) throw new RangeError(`cache key quanta must be > 0, got ${pq} and ${kq}`);
  const Ks = expandKs(views.Ks, count);
  const head = new TextEncoder().encode(context);
  const bytes = new Uint8Array(head.length + 8 + VIEW_DOUBLES * 8);
  bytes.set(head);
  const dv = new DataView(bytes.buffer);
  dv.setUint32(head.length, views.width, true);
  dv.setUint32(head.length + 4, views.height, true);
  const base = head.length + 8;
  const keys: string[] = [];
  for (let c = 0; c < count; c++) {
    for (let i = 0; i < 16; i++) dv.setFloat64(base + i * 8, quantise(views.viewmats[c * 16 + i]!, pq, `viewmat ${c}`), true);
    for (let i = 0; i < 9; i++) dv.setFloat64(base + (16 + i) * 8, quantise(Ks[c * 9 + i]!, kq, `K ${c}`), true);
    keys.push(fnv1a64(bytes));
  }
  return keys;
}
