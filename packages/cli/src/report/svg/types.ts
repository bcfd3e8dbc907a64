// Inputs and outputs of the report's SVG charts.

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
