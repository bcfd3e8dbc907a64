// What the HTML training report shows. The trainer's `step`, `eval` and `refresh` events map onto
// these arrays one to one; NaN/Infinity anywhere are skipped (and counted) rather than drawn.

/** An RGBA8 image, rows top-down: `rgba.length === width * height * 4`. */
export interface ReportImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

export interface TrainReportData {
  title: string;
  /** ISO 8601 date. */
  createdAt: string;
  /** Training settings, shown as a table (nested objects are flattened to `a.b` keys). */
  config: Record<string, unknown>;
  /** One entry per optimizer step; errors are the batch's, in `units.translation` and degrees. */
  steps: {
    step: number;
    epoch: number;
    loss: number;
    translationError: number;
    /** Degrees. */
    rotationError: number;
    lr: number;
    /** Where the batch's images came from: the dataset, RVS renders, or both. */
    source: 'real' | 'rvs' | 'mixed';
  }[];
  /** One entry per evaluation on the test split; `within*` are fractions in [0, 1]. */
  evals: { epoch: number; medianTranslation: number; medianRotationDeg: number; within5cm5deg: number; within2cm2deg: number }[];
  /** Per test image, for the CDFs: translation in `units.translation`, rotation in degrees. Index i is the same image in both. */
  finalErrors: { translation: number[]; rotationDeg: number[] };
  /** One entry per RVS refresh: views requested, of which rendered and served from the cache, and its wall time. */
  refreshes: { epoch: number; views: number; rendered: number; cacheHits: number; ms: number }[];
  /** Profiler span totals, e.g. from `@rvs/core`'s report; children are drawn indented under their parent. */
  profile?: { name: string; totalMs: number; children?: { name: string; totalMs: number }[] }[];
  /** Test views next to their renders at the predicted pose. Images larger than 512 px are shrunk by an integer factor. */
  samples: { label: string; real?: ReportImage; rendered: ReportImage }[];
  /** Units of translations. Default `{ translation: 'm' }`; the 5 cm / 2 cm thresholds need m, cm or mm. */
  units?: { translation: string };
}
