// Summary statistics for profiler sections and the significance test behind `compareReports`.

/** Statistics of one report section. Times are in milliseconds. */
export interface SectionStats {
  mean: number;
  /** Sample standard deviation (n − 1 denominator, so Welch's test can use it); 0 when count < 2. */
  std: number;
  total: number;
  count: number;
  min: number;
  max: number;
  median: number;
}

/** Summarises `values`; an empty list gives zeros, so a report never holds NaN (JSON has no NaN). */
export function summarize(values: readonly number[]): SectionStats {
  const count = values.length;
  if (count === 0) return { mean: 0, std: 0, total: 0, count: 0, min: 0, max: 0, median: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  let total = 0;
  for (const v of sorted) total += v;
  const mean = total / count;
  let squares = 0;
  for (const v of sorted) squares += (v - mean) ** 2;
  const std = count > 1 ? Math.sqrt(squares / (count - 1)) : 0;
  const mid = count >> 1;
  const median = count % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { mean, std, total, count, min: sorted[0]!, max: sorted[count - 1]!, median };
}

/** Result of Welch's unequal-variance t-test. */
export interface WelchResult {
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value. */
  p: number;
}

/**
 * Welch's t-test on two samples given only as mean/std/count (what a report keeps).
 * Needs count ≥ 2 on both sides; returns undefined otherwise. With no spread at all the
 * means either match (p = 1) or differ for certain (p = 0).
 */
export function welchTTest(a: Pick<SectionStats, 'mean' | 'std' | 'count'>, b: Pick<SectionStats, 'mean' | 'std' | 'count'>): WelchResult | undefined {
  if (a.count < 2 || b.count < 2) return undefined;
  const va = (a.std * a.std) / a.count;
  const vb = (b.std * b.std) / b.count;
  const se2 = va + vb;
  const diff = a.mean - b.mean;
  if (se2 === 0) return { t: diff === 0 ? 0 : Math.sign(diff) * Infinity, df: a.count + b.count - 2, p: diff === 0 ? 1 : 0 };
  const t = diff / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.count - 1) + (vb * vb) / (b.count - 1));
  return { t, df, p: studentTwoSidedP(t, df) };
}

/** P(|T| ≥ |t|) for Student's t with `df` degrees of freedom: I_{df/(df+t²)}(df/2, 1/2). */
export function studentTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  return regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

/** Regularized incomplete beta I_x(a, b) by Lentz's continued fraction (Numerical Recipes §6.4). */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast only below the mean; use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) above it.
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const clamp = (v: number) => (Math.abs(v) < tiny ? tiny : v);
  let c = 1;
  let d = 1 / clamp(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    // Even step, then odd step of the continued fraction.
    const even = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 / clamp(1 + even * d);
    c = clamp(1 + even / c);
    h *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 / clamp(1 + odd * d);
    c = clamp(1 + odd / c);
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

const LANCZOS = [676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** ln Γ(z) for z > 0 (Lanczos, g = 7; ~15 significant digits). */
function logGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
  const zz = z - 1;
  let sum = 0.99999999999980993;
  LANCZOS.forEach((coef, i) => {
    sum += coef / (zz + i + 1);
  });
  const t = zz + LANCZOS.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (zz + 0.5) * Math.log(t) - t + Math.log(sum);
}
