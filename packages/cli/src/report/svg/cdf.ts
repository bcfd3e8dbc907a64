// Empirical CDFs of per-image errors, with threshold markers and their shares.
import { INK, escapeXml, c, fits, makeScale, frame, type LegendItem, legend, yAxis, xAxis } from './scale.ts';
import type { Chart, Threshold, CdfChartOptions } from './types.ts';

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
