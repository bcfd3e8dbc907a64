// Shared by the charts: colours and text metrics, number formatting, nice ticks, scales, frames, legends and axes.
import type { Axis } from './types.ts';

const FONT = 11;
/** Average advance of the system sans-serif, for sizing text without measuring it. */
export const CHAR = FONT * 0.6;
const GRID = '#e5e7eb';
export const AXIS = '#9ca3af';
export const INK = '#1f2937';
export const MUTED = '#6b7280';

/** Escapes text for HTML/SVG element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A coordinate with one decimal and no trailing zeros. */
export const c = (v: number) => String(Math.round(v * 10) / 10);

/** A short human number: 3 significant digits, exponent form outside [1e-3, 1e5). */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(3)));
}

/** The 1, 2 or 5 × 10^k step closest to `raw`. */
export function niceStep(raw: number): number {
  const exp = Math.floor(Math.log10(raw));
  const f = raw / 10 ** exp;
  const nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  return nice * 10 ** exp;
}

/** Decimals that print every multiple of `step` exactly. */
const decimalsFor = (step: number) => Math.max(0, -Math.floor(Math.log10(step) + 1e-9));

/**
 * Round, evenly spaced ticks (step 1, 2 or 5 × 10^k) whose first is ≤ `min` and last ≥ `max`,
 * about `target` intervals apart. A zero-width range is widened around its value.
 */
export function niceTicks(min: number, max: number, target = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError(`niceTicks needs a finite range, got [${min}, ${max}]`);
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (hi - lo <= Math.abs(hi) * 1e-12) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep((hi - lo) / Math.max(1, target));
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const decimals = decimalsFor(step);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toFixed(Math.min(100, decimals))) || 0);
  return ticks;
}

/**
 * Ticks of a log axis from the decade at or below `min` to the decade at or above `max`: powers
 * of ten, plus 2× and 5× within them when the range spans at most two decades, and only every
 * few decades when it spans more than eight. The first and last ticks are the axis ends.
 */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) {
    throw new RangeError(`logTicks needs a positive finite range, got [${min}, ${max}]`);
  }
  const lo = Math.floor(Math.log10(Math.min(min, max)) + 1e-9);
  let hi = Math.ceil(Math.log10(Math.max(min, max)) - 1e-9);
  if (hi === lo) hi = lo + 1;
  const stride = Math.ceil((hi - lo) / 8);
  hi = lo + Math.ceil((hi - lo) / stride) * stride;
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e += stride) {
    ticks.push(Number(`1e${e}`));
    if (hi - lo <= 2 && e < hi) ticks.push(Number(`2e${e}`), Number(`5e${e}`));
  }
  return ticks;
}

function tickLabel(v: number, ticks: readonly number[], log: boolean): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (log || a >= 1e5 || a < 1e-4) {
    if (a >= 1e-4 && a < 1e5) return String(v);
    return v.toExponential().replace(/\.?0+e/, 'e').replace('e+', 'e');
  }
  const step = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) : a;
  return v.toFixed(decimalsFor(step));
}

interface Scale {
  (v: number): number;
  ticks: number[];
  log: boolean;
}

/** Width in px of the widest tick label of `scale`. */
const tickLabelWidth = (scale: Pick<Scale, 'ticks' | 'log'>) => Math.max(...scale.ticks.map((v) => tickLabel(v, scale.ticks, scale.log).length)) * CHAR;
/** Margin that fits a vertical axis: its tick labels, the gap and the rotated axis label. */
export const axisMargin = (scale: Pick<Scale, 'ticks' | 'log'>) => Math.ceil(tickLabelWidth(scale)) + 34;

/** Whether `v` can be placed on the axis. */
export const fits = (v: number, log: boolean | undefined) => Number.isFinite(v) && (!log || v > 0);

/** A scale over the drawable `values` (plus `axis.include`), mapped onto [from, to]. */
export function makeScale(values: readonly number[], axis: Axis, from: number, to: number): Scale {
  const log = axis.log === true;
  const usable = [...values, ...(axis.include ?? [])].filter((v) => fits(v, log));
  let lo = Math.min(...usable);
  let hi = Math.max(...usable);
  if (usable.length === 0) [lo, hi] = log ? [1, 10] : [0, 1];
  const ticks = log ? logTicks(lo, hi) : niceTicks(lo, hi);
  const t = (v: number) => (log ? Math.log10(v) : v);
  const a = t(ticks[0]!);
  const b = t(ticks[ticks.length - 1]!);
  const scale = ((v: number) => from + ((t(v) - a) / (b - a || 1)) * (to - from)) as Scale;
  scale.ticks = ticks;
  scale.log = log;
  return scale;
}

/** Opening tag, background and title shared by all charts. */
export function frame(width: number, height: number, title: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-size="${FONT}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="20" font-size="${FONT + 3}" font-weight="600" fill="${INK}">${escapeXml(title)}</text>`,
  ];
}

export interface LegendItem {
  name: string;
  color: string;
  kind: 'line' | 'dashed' | 'box';
}

/** Legend items in rows under the title; returns the markup and the y below it. */
export function legend(items: readonly LegendItem[], left: number, right: number, y: number): { parts: string[]; bottom: number } {
  const parts: string[] = [];
  let x = left;
  let row = y;
  for (const item of items) {
    const w = 24 + item.name.length * CHAR + 14;
    if (x + w > right && x > left) {
      x = left;
      row += 16;
    }
    const swatch =
      item.kind === 'box'
        ? `<rect x="${c(x)}" y="${row - 8}" width="16" height="10" fill="${escapeXml(item.color)}" stroke="${AXIS}" stroke-width="0.5"/>`
        : `<line x1="${c(x)}" y1="${row - 3}" x2="${c(x + 16)}" y2="${row - 3}" stroke="${escapeXml(item.color)}" stroke-width="2"${item.kind === 'dashed' ? ' stroke-dasharray="4 3"' : ''}/>`;
    parts.push(`<g class="legend">${swatch}<text x="${c(x + 22)}" y="${row}" fill="${INK}">${escapeXml(item.name)}</text></g>`);
    x += w;
  }
  return { parts, bottom: items.length ? row + 10 : y - 8 };
}

/** Gridlines, ticks and labels of a vertical axis at `x` (`side` -1: left, 1: right). */
export function yAxis(scale: Scale, axis: Axis, x: number, side: -1 | 1, grid: readonly [number, number] | undefined, mid: number): string[] {
  const parts = [`<line x1="${c(x)}" y1="${c(scale(scale.ticks[0]!))}" x2="${c(x)}" y2="${c(scale(scale.ticks.at(-1)!))}" stroke="${AXIS}"/>`];
  for (const v of scale.ticks) {
    const y = scale(v);
    const line = grid ? `<line x1="${c(grid[0] - x)}" x2="${c(grid[1] - x)}" stroke="${GRID}"/>` : '';
    parts.push(
      `<g class="${side < 0 ? 'y-tick' : 'y2-tick'}" transform="translate(${c(x)} ${c(y)})">${line}<line x2="${side * 4}" stroke="${AXIS}"/>` +
        `<text x="${side * 7}" dy="0.32em" text-anchor="${side < 0 ? 'end' : 'start'}" fill="${MUTED}">${escapeXml(tickLabel(v, scale.ticks, scale.log))}</text></g>`,
    );
  }
  const lx = x + side * (tickLabelWidth(scale) + 18);
  parts.push(`<text transform="translate(${c(lx)} ${c(mid)}) rotate(${side * 90})" text-anchor="middle" fill="${INK}">${escapeXml(axis.label)}</text>`);
  return parts;
}

/** Gridlines, ticks and labels of the x axis at `y`. */
export function xAxis(scale: Scale, axis: Axis, y: number, top: number, mid: number): string[] {
  const parts = [`<line x1="${c(scale(scale.ticks[0]!))}" y1="${c(y)}" x2="${c(scale(scale.ticks.at(-1)!))}" y2="${c(y)}" stroke="${AXIS}"/>`];
  for (const v of scale.ticks) {
    parts.push(
      `<g class="x-tick" transform="translate(${c(scale(v))} ${c(y)})"><line y2="${c(top - y)}" stroke="${GRID}"/><line y2="4" stroke="${AXIS}"/>` +
        `<text y="16" text-anchor="middle" fill="${MUTED}">${escapeXml(tickLabel(v, scale.ticks, scale.log))}</text></g>`,
    );
  }
  parts.push(`<text x="${c(mid)}" y="${c(y + 34)}" text-anchor="middle" fill="${INK}">${escapeXml(axis.label)}</text>`);
  return parts;
}
