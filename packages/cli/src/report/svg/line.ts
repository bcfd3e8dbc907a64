// Line charts (loss, errors, learning rate): decimated to the pixel grid, with an optional moving average.
import { escapeXml, c, formatNumber, axisMargin, fits, makeScale, frame, type LegendItem, legend, yAxis, xAxis } from './scale.ts';
import type { Point, Axis, Chart, LineSeries, LineChartOptions } from './types.ts';

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
