// Horizontal stacked bars (profiler breakdown).
import { CHAR, AXIS, INK, MUTED, escapeXml, c, formatNumber, makeScale, frame, type LegendItem, legend, xAxis } from './scale.ts';
import type { Chart, BarRow, BarChartOptions } from './types.ts';

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
