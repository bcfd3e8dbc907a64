// A self-contained horizontal bar chart as an SVG string, shared by the report breakdown and
// the comparison chart. No dependencies, so it works in Node, browsers and workers alike.

export interface BarRow {
  label: string;
  /** Bar length in chart units; negative values extend left of the zero line. */
  value: number;
  /** Text printed after the bar, e.g. "12.3 ms". */
  text: string;
  /** CSS colour of the bar. */
  color: string;
}

export interface BarChartOptions {
  title: string;
  rows: readonly BarRow[];
  /** Width of the bar area in px. Default 420. */
  barWidth?: number;
  /** Caption under the title, e.g. the scale or a legend. */
  caption?: string;
}

const ROW = 22;
const FONT = 12;
/** Monospace advance, for sizing the label column without measuring text. */
const CHAR = FONT * 0.62;

/** Escapes text for SVG element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** Renders `rows` as horizontal bars from a shared zero line. */
export function barChartSvg(options: BarChartOptions): string {
  const { title, rows, caption } = options;
  const barWidth = options.barWidth ?? 420;
  const labelWidth = Math.ceil(Math.max(8, ...rows.map((r) => r.label.length)) * CHAR) + 16;
  const textWidth = Math.ceil(Math.max(8, ...rows.map((r) => r.text.length)) * CHAR) + 16;
  const finite = rows.map((r) => (Number.isFinite(r.value) ? r.value : 0));
  const lo = Math.min(0, ...finite);
  const hi = Math.max(0, ...finite);
  const span = hi - lo || 1;
  const x = (v: number) => labelWidth + ((v - lo) / span) * barWidth;
  const top = caption === undefined ? 36 : 54;
  const width = labelWidth + barWidth + textWidth;
  const height = top + rows.length * ROW + 12;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="${FONT}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="8" y="22" font-size="${FONT + 3}" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  if (caption !== undefined) parts.push(`<text x="8" y="42" fill="#555555">${escapeXml(caption)}</text>`);
  rows.forEach((row, i) => {
    const y = top + i * ROW;
    const v = finite[i] ?? 0;
    const x0 = x(Math.min(0, v));
    const w = Math.max(Math.abs(x(v) - x(0)), v === 0 ? 0 : 1);
    parts.push(
      `<g><title>${escapeXml(`${row.label}: ${row.text}`)}</title>`,
      `<text x="${labelWidth - 8}" y="${y + ROW / 2 + FONT / 3}" text-anchor="end">${escapeXml(row.label)}</text>`,
      `<rect x="${x0.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW - 6}" fill="${escapeXml(row.color)}"/>`,
      `<text x="${(Math.max(x(v), x(0)) + 6).toFixed(1)}" y="${y + ROW / 2 + FONT / 3}">${escapeXml(row.text)}</text></g>`,
    );
  });
  const zero = x(0).toFixed(1);
  parts.push(`<line x1="${zero}" y1="${top}" x2="${zero}" y2="${top + rows.length * ROW}" stroke="#333333"/>`, '</svg>');
  return parts.join('\n');
}
