// SVG plot primitives for the training report: pure functions from data to an SVG string, no
// scripts and no external assets. Points that cannot be drawn (NaN, ±Infinity, ≤ 0 on a log
// axis) are skipped and counted in the result, so the caller can say so next to the chart.

export type { Point, Axis, Chart, LineSeries, Band, LineChartOptions, CdfSeries, Threshold, CdfChartOptions, BarSegment, BarRow, BarChartOptions } from './svg/types.ts';
export { escapeXml, formatNumber, niceStep, niceTicks, logTicks } from './svg/scale.ts';
export { lineChart } from './svg/line.ts';
export { cdfChart, shareAtMost } from './svg/cdf.ts';
export { barChart } from './svg/bar.ts';
