// SVG plot primitives for the training report: pure functions from data to an SVG string, no
// scripts and no external assets. Points that cannot be drawn (NaN, ±Infinity, ≤ 0 on a log
// axis) are skipped and counted in the result, so the caller can say so next to the chart.

export interface Point {
  x: number;
  y: number;
}

export interface Axis {
  label: string;
  /** Base-10 logarithmic scale; values ≤ 0 cannot be drawn on it. */
  log?: boolean;
  /** Values the axis must reach, e.g. 0 or a threshold. */
  include?: readonly number[];
}

/** A chart and what was left out of it. `svg` is '' when nothing could be drawn. */
export interface Chart {
  svg: string;
  /** Values drawn. */
  drawn: number;
  /** NaN or ±Infinity values skipped. */
  nonFinite: number;
  /** Finite values that do not fit the scale (≤ 0 on a log axis, negative bar lengths). */
  offScale: number;
}

export interface LineSeries {
  name: string;
  points: readonly Point[];
  color: string;
  /** Plot against the right-hand axis (`y2`). */
  right?: boolean;
  dashed?: boolean;
  /** A dot per point, for short series such as per-epoch evaluations. */
  markers?: boolean;
  /**
   * Draw the points faintly and, over them, an exponential moving average (bias-corrected, span
   * 1/40 of the points; in log space on a log axis): for noisy per-step values.
   */
  smooth?: boolean;
}

/** A shaded x range behind the lines, e.g. the steps trained on one image source. */
export interface Band {
  from: number;
  to: number;
  name: string;
  color: string;
}

export interface LineChartOptions {
  title: string;
  x: Axis;
  y: Axis;
  /** The right-hand axis, for series with `right: true`. */
  y2?: Axis;
  series: readonly LineSeries[];
  bands?: readonly Band[];
  /** Default 640 × 300. */
  width?: number;
  height?: number;
}

export interface CdfSeries {
  name: string;
  values: readonly number[];
  color: string;
}

export interface Threshold {
  at: number;
  label: string;
}

export interface CdfChartOptions {
  title: string;
  /** The error axis; on a log axis, values ≤ 0 sit at its left end (they are below every threshold). */
  x: Axis;
  series: readonly CdfSeries[];
  /** Vertical markers, each with the share of values ≤ `at` printed (one series) or dotted (several). */
  thresholds?: readonly Threshold[];
  width?: number;
  height?: number;
}

export interface BarSegment {
  name: string;
  value: number;
  color: string;
}

export interface BarRow {
  label: string;
  /** Stacked left to right from zero. */
  segments: readonly BarSegment[];
  /** Printed after the bar, e.g. "12.3 ms". */
  text?: string;
  /** Label indent level, for children under a parent row. */
  indent?: number;
}

export interface BarChartOptions {
  title: string;
  rows: readonly BarRow[];
  xLabel?: string;
  /** Default 640. */
  width?: number;
}

const FONT = 11;
/** Average advance of the system sans-serif, for sizing text without measuring it. */
const CHAR = FONT * 0.6;
const GRID = '#e5e7eb';
const AXIS = '#9ca3af';
const INK = '#1f2937';
const MUTED = '#6b7280';

/** Escapes text for HTML/SVG element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A coordinate with one decimal and no trailing zeros. */
const c = (v: number) => String(Math.round(v * 10) / 10);

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
const axisMargin = (scale: Pick<Scale, 'ticks' | 'log'>) => Math.ceil(tickLabelWidth(scale)) + 34;

/** Whether `v` can be placed on the axis. */
const fits = (v: number, log: boolean | undefined) => Number.isFinite(v) && (!log || v > 0);

/** A scale over the drawable `values` (plus `axis.include`), mapped onto [from, to]. */
function makeScale(values: readonly number[], axis: Axis, from: number, to: number): Scale {
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
function frame(width: number, height: number, title: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-size="${FONT}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="20" font-size="${FONT + 3}" font-weight="600" fill="${INK}">${escapeXml(title)}</text>`,
  ];
}

interface LegendItem {
  name: string;
  color: string;
  kind: 'line' | 'dashed' | 'box';
}

/** Legend items in rows under the title; returns the markup and the y below it. */
function legend(items: readonly LegendItem[], left: number, right: number, y: number): { parts: string[]; bottom: number } {
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
function yAxis(scale: Scale, axis: Axis, x: number, side: -1 | 1, grid: readonly [number, number] | undefined, mid: number): string[] {
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
function xAxis(scale: Scale, axis: Axis, y: number, top: number, mid: number): string[] {
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

/**
 * Keeps at most four points per pixel column (first, lowest, highest, last), in x order, so
 * 100k steps draw as a few thousand points that look the same.
 */
function decimate(points: readonly Point[], px: (x: number) => number): Point[] {
  const out: Point[] = [];
  let bucket: Point[] = [];
  const flush = () => {
    if (bucket.length <= 4) out.push(...bucket);
    else {
      let lo = bucket[0]!;
      let hi = bucket[0]!;
      for (const p of bucket) {
        if (p.y < lo.y) lo = p;
        if (p.y > hi.y) hi = p;
      }
      const keep = new Set([bucket[0]!, lo, hi, bucket.at(-1)!]);
      out.push(...bucket.filter((p) => keep.has(p)));
    }
    bucket = [];
  };
  let column = Number.NaN;
  for (const p of points) {
    const col = Math.floor(px(p.x));
    if (col !== column) flush();
    column = col;
    bucket.push(p);
  }
  flush();
  return out;
}

/** Bias-corrected exponential moving average over `points` (in x order), span 1/40 of them. */
function ema(points: readonly Point[], log: boolean): Point[] {
  const beta = 1 - 2 / (Math.max(2, points.length / 40) + 1);
  let m = 0;
  let weight = 0;
  return points.map((p) => {
    m = beta * m + (1 - beta) * (log ? Math.log10(p.y) : p.y);
    weight = beta * weight + (1 - beta);
    return { x: p.x, y: log ? 10 ** (m / weight) : m / weight };
  });
}

/** Line chart with axes, ticks, gridlines, a legend, optional right-hand axis and bands. */
export function lineChart(options: LineChartOptions): Chart {
  const { title, series } = options;
  const width = options.width ?? 640;
  const height = options.height ?? 300;
  const y2 = options.y2 && series.some((s) => s.right) ? options.y2 : undefined;
  const axisOf = (s: LineSeries) => (s.right && y2 ? y2 : options.y);
  let nonFinite = 0;
  let offScale = 0;
  const kept = series.map((s) => {
    const yAxisOf = axisOf(s);
    const points = s.points.filter((p) => {
      if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) nonFinite++;
      else if (!fits(p.x, options.x.log) || !fits(p.y, yAxisOf.log)) offScale++;
      else return true;
      return false;
    });
    return { ...s, points: points.sort((a, b) => a.x - b.x) };
  });
  const drawn = kept.reduce((n, s) => n + s.points.length, 0);
  if (drawn === 0) return { svg: '', drawn, nonFinite, offScale };

  const bands = (options.bands ?? []).filter((b) => fits(b.from, options.x.log) && fits(b.to, options.x.log));
  const items: LegendItem[] = [
    ...series.map((s): LegendItem => ({ name: s.name, color: s.color, kind: s.dashed ? 'dashed' : 'line' })),
    ...[...new Map(bands.map((b) => [b.name, b])).values()].map((b): LegendItem => ({ name: b.name, color: b.color, kind: 'box' })),
  ];
  const yValues = (axis: Axis) => kept.filter((s) => axisOf(s) === axis).flatMap((s) => s.points.map((p) => p.y));
  // Ticks do not depend on the pixel range, so the margins can be sized from their labels first.
  const left = axisMargin(makeScale(yValues(options.y), options.y, 0, 1));
  const right = width - (y2 ? axisMargin(makeScale(yValues(y2), y2, 0, 1)) : 20);
  const { parts: legendParts, bottom: legendBottom } = legend(items, left, right, 40);
  const top = legendBottom + 10;
  const bottom = height - 46;
  const xs = kept.flatMap((s) => s.points.map((p) => p.x));
  const x = makeScale([...xs, ...bands.flatMap((b) => [b.from, b.to])], options.x, left, right);
  const yLeft = makeScale(yValues(options.y), options.y, bottom, top);
  const yRight = y2 ? makeScale(yValues(y2), y2, bottom, top) : undefined;

  const parts = frame(width, height, title);
  parts.push(...legendParts);
  for (const b of bands) {
    const x0 = Math.max(left, Math.min(x(b.from), x(b.to)));
    const x1 = Math.min(right, Math.max(x(b.from), x(b.to)));
    parts.push(`<rect class="band" x="${c(x0)}" y="${c(top)}" width="${c(Math.max(x1 - x0, 1))}" height="${c(bottom - top)}" fill="${escapeXml(b.color)}"><title>${escapeXml(`${b.name}: ${formatNumber(b.from)}–${formatNumber(b.to)}`)}</title></rect>`);
  }
  parts.push(...xAxis(x, options.x, bottom, top, (left + right) / 2));
  parts.push(...yAxis(yLeft, options.y, left, -1, [left, right], (top + bottom) / 2));
  if (yRight && y2) parts.push(...yAxis(yRight, y2, right, 1, undefined, (top + bottom) / 2));
  for (const s of kept) {
    if (s.points.length === 0) continue;
    const y = s.right && yRight ? yRight : yLeft;
    const fit = (list: readonly Point[]) => (list.length > 4 * (right - left) ? decimate(list, x) : list);
    const points = fit(s.points);
    const color = escapeXml(s.color);
    const polyline = (cls: string, list: readonly Point[], extra: string) =>
      `<polyline class="${cls}" data-series="${escapeXml(s.name)}" points="${list.map((p) => `${c(x(p.x))},${c(y(p.y))}`).join(' ')}" fill="none" stroke="${color}" stroke-linejoin="round"${s.dashed ? ' stroke-dasharray="5 3"' : ''}${extra}/>`;
    if (s.smooth) {
      parts.push(polyline('series raw', points, ' stroke-width="1" stroke-opacity="0.25"'), polyline('series smoothed', fit(ema(s.points, y.log)), ' stroke-width="1.8"'));
    } else parts.push(polyline('series', points, ' stroke-width="1.6"'));
    if (s.markers) {
      for (const p of points) {
        parts.push(`<circle cx="${c(x(p.x))}" cy="${c(y(p.y))}" r="2.8" fill="${color}"><title>${escapeXml(`${s.name} at ${formatNumber(p.x)}: ${formatNumber(p.y)}`)}</title></circle>`);
      }
    }
  }
  parts.push('</svg>');
  return { svg: parts.join('\n'), drawn, nonFinite, offScale };
}

/** Share of `values` that are ≤ `at`, among the finite ones (NaN if there are none). */
export function shareAtMost(values: readonly number[], at: number): number {
  const finite = values.filter(Number.isFinite);
  return finite.length ? finite.filter((v) => v <= at).length / finite.length : Number.NaN;
}

/** Empirical CDF (step function, 0 to 1) of each series, with threshold markers and their shares. */
export function cdfChart(options: CdfChartOptions): Chart {
  const { title } = options;
  const width = options.width ?? 640;
  const height = options.height ?? 300;
  const log = options.x.log === true;
  let nonFinite = 0;
  const kept = options.series.map((s) => {
    const values = s.values.filter(Number.isFinite).sort((a, b) => a - b);
    nonFinite += s.values.length - values.length;
    return { ...s, values };
  });
  const drawn = kept.reduce((n, s) => n + s.values.length, 0);
  // On a log axis, zero and negative errors are placed at the left end: still ≤ every threshold.
  const positive = kept.flatMap((s) => s.values.filter((v) => v > 0));
  if (drawn === 0 || (log && positive.length === 0)) return { svg: '', drawn: 0, nonFinite, offScale: log ? drawn : 0 };

  const thresholds = (options.thresholds ?? []).filter((t) => fits(t.at, log));
  const items = kept.length > 1 ? kept.map((s): LegendItem => ({ name: s.name, color: s.color, kind: 'line' })) : [];
  const left = 66;
  const right = width - 20;
  const { parts: legendParts, bottom: legendBottom } = legend(items, left, right, 40);
  // Threshold labels sit above the plot, alternating between two rows so close ones don't collide.
  const top = legendBottom + (thresholds.length > 1 ? 34 : 22);
  const bottom = height - 46;
  const x = makeScale(log ? positive : [0, ...kept.flatMap((s) => s.values)], { ...options.x, include: [...(options.x.include ?? []), ...thresholds.map((t) => t.at)] }, left, right);
  const y = makeScale([0, 1], { label: 'share of test images' }, bottom, top);
  const xMin = x.ticks[0]!;
  const xMax = x.ticks.at(-1)!;
  const at = (v: number) => x(Math.max(v, xMin));

  const parts = frame(width, height, title);
  parts.push(...legendParts);
  parts.push(...xAxis(x, options.x, bottom, top, (left + right) / 2));
  parts.push(...yAxis(y, { label: 'share of test images' }, left, -1, [left, right], (top + bottom) / 2));
  for (const s of kept) {
    if (s.values.length === 0) continue;
    const n = s.values.length;
    const steps: [number, number][] = [[xMin, 0]];
    let below = 0;
    for (let i = 0; i < n; i++) {
      const v = s.values[i]!;
      if (i + 1 < n && s.values[i + 1] === v) continue; // ties: one step up to the last of them
      steps.push([v, below], [v, (i + 1) / n]);
      below = (i + 1) / n;
    }
    steps.push([xMax, 1]);
    const points = steps.map(([v, share]) => `${c(at(v))},${c(y(share))}`);
    parts.push(`<polyline class="cdf" data-series="${escapeXml(s.name)}" points="${points.join(' ')}" fill="none" stroke="${escapeXml(s.color)}" stroke-width="1.8"/>`);
  }
  [...thresholds].sort((a, b) => a.at - b.at).forEach((t, i) => {
    const tx = x(t.at);
    const labelY = top - 10 - (i % 2) * 13;
    const shares = kept.map((s) => ({ s, share: shareAtMost(s.values, t.at) }));
    const printed = kept.length === 1 && Number.isFinite(shares[0]!.share) ? ` · ${(shares[0]!.share * 100).toFixed(1)} %` : '';
    parts.push(
      `<g class="threshold"><line x1="${c(tx)}" y1="${c(labelY + 4)}" x2="${c(tx)}" y2="${c(bottom)}" stroke="${INK}" stroke-dasharray="3 3"/>` +
        `<text x="${c(tx)}" y="${c(labelY)}" text-anchor="middle" fill="${INK}">${escapeXml(`≤ ${t.label}${printed}`)}</text>`,
    );
    for (const { s, share } of shares) {
      if (Number.isFinite(share)) parts.push(`<circle cx="${c(tx)}" cy="${c(y(share))}" r="3" fill="${escapeXml(s.color)}"><title>${escapeXml(`${s.name} ≤ ${t.label}: ${(share * 100).toFixed(1)} %`)}</title></circle>`);
    }
    parts.push('</g>');
  });
  parts.push('</svg>');
  return { svg: parts.join('\n'), drawn, nonFinite, offScale: 0 };
}

/** Horizontal stacked bars from a shared zero, with an x axis, a legend and text after each bar. */
export function barChart(options: BarChartOptions): Chart {
  const { title } = options;
  const width = options.width ?? 640;
  let nonFinite = 0;
  let offScale = 0;
  const rows = options.rows.map((r) => ({
    ...r,
    segments: r.segments.filter((s) => {
      if (!Number.isFinite(s.value)) nonFinite++;
      else if (s.value < 0) offScale++;
      else return true;
      return false;
    }),
  }));
  const drawn = rows.reduce((n, r) => n + r.segments.length, 0);
  if (drawn === 0) return { svg: '', drawn, nonFinite, offScale };

  const ROW = 22;
  const shown = (r: BarRow) => (r.label.length > 40 ? `${r.label.slice(0, 39)}…` : r.label);
  const labelWidth = Math.min(280, Math.max(80, ...rows.map((r) => shown(r).length * CHAR + (r.indent ?? 0) * 14))) + 16;
  const textWidth = Math.max(40, ...rows.map((r) => (r.text ?? '').length * CHAR)) + 14;
  const left = labelWidth;
  const right = Math.max(left + 160, width - textWidth);
  const names = [...new Map(rows.flatMap((r) => r.segments).map((s) => [s.name, s])).values()];
  const items = names.length > 1 ? names.map((s): LegendItem => ({ name: s.name, color: s.color, kind: 'box' })) : [];
  const { parts: legendParts, bottom: legendBottom } = legend(items, 12, width - 12, 40);
  const top = legendBottom + 8;
  const bottom = top + rows.length * ROW;
  const height = bottom + 46;
  const total = (r: (typeof rows)[number]) => r.segments.reduce((a, s) => a + s.value, 0);
  const x = makeScale([0, ...rows.map(total)], { label: options.xLabel ?? '' }, left, right);

  const parts = frame(Math.max(width, right + textWidth), height, title);
  parts.push(...legendParts);
  parts.push(...xAxis(x, { label: options.xLabel ?? '' }, bottom, top, (left + right) / 2));
  rows.forEach((r, i) => {
    const y = top + i * ROW;
    const label = shown(r);
    parts.push(
      `<g class="bar"><title>${escapeXml(`${r.label}: ${r.text ?? r.segments.map((s) => `${s.name} ${formatNumber(s.value)}`).join(', ')}`)}</title>`,
      `<text x="${c(left - 8)}" y="${c(y + ROW / 2)}" dy="0.32em" text-anchor="end" fill="${(r.indent ?? 0) > 0 ? MUTED : INK}">${escapeXml(label)}</text>`,
    );
    let acc = 0;
    for (const s of r.segments) {
      const x0 = x(acc);
      acc += s.value;
      parts.push(`<rect x="${c(x0)}" y="${y + 4}" width="${c(Math.max(x(acc) - x0, s.value > 0 ? 0.5 : 0))}" height="${ROW - 8}" fill="${escapeXml(s.color)}"/>`);
    }
    if (r.text) parts.push(`<text x="${c(x(acc) + 6)}" y="${c(y + ROW / 2)}" dy="0.32em" fill="${INK}">${escapeXml(r.text)}</text>`);
    parts.push('</g>');
  });
  parts.push(`<line x1="${c(left)}" y1="${c(top)}" x2="${c(left)}" y2="${c(bottom)}" stroke="${AXIS}"/>`, '</svg>');
  return { svg: parts.join('\n'), drawn, nonFinite, offScale };
}
