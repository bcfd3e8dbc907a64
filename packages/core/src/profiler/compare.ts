// Before/after comparison of two reports: speed-up per section and a verdict that only calls a
// change when it stands out of the run-to-run noise (Welch's t-test on mean, std and count).
import { formatMs, sortSections, type ProfileReport } from './report.ts';
import { welchTTest, type SectionStats } from './stats.ts';
import { barChartSvg } from './svg.ts';

/** "insufficient data": the section is missing from a report or has fewer than 2 samples. */
export type Verdict = 'faster' | 'slower' | 'no change' | 'insufficient data';

export interface SectionComparison {
  section: string;
  before: SectionStats | null;
  after: SectionStats | null;
  /** before.mean / after.mean: above 1 is faster. Null when a side is missing or only after is 0. */
  speedup: number | null;
  /** Two-sided Welch p-value; null when not tested (too few samples). */
  p: number | null;
  verdict: Verdict;
}

export interface ReportComparison {
  sections: SectionComparison[];
  alpha: number;
  minRelativeChange: number;
}

export interface CompareOptions {
  /** Significance level of the two-sided Welch test. Default 0.05. */
  alpha?: number;
  /**
   * Smallest relative change of the mean (|after − before| / before) reported as faster or
   * slower, so that large sample counts don't flag meaningless differences. Default 0.01.
   */
  minRelativeChange?: number;
}

type Summaries = Pick<ProfileReport, 'summary'>;

/** Compares every section present in either report; `before` is the baseline. */
export function compareReports(before: Summaries, after: Summaries, options: CompareOptions = {}): ReportComparison {
  const alpha = options.alpha ?? 0.05;
  const minRelativeChange = options.minRelativeChange ?? 0.01;
  const names = sortSections([...new Set([...Object.keys(before.summary), ...Object.keys(after.summary)])]);
  const sections = names.map((section): SectionComparison => {
    const b = before.summary[section] ?? null;
    const a = after.summary[section] ?? null;
    const speedup = b && a ? ratio(b.mean, a.mean) : null;
    const test = b && a ? welchTTest(b, a) : undefined;
    if (!b || !a || !test) return { section, before: b, after: a, speedup, p: null, verdict: 'insufficient data' };
    const relative = b.mean === 0 ? (a.mean === 0 ? 0 : Infinity) : Math.abs(a.mean - b.mean) / b.mean;
    const changed = test.p < alpha && relative >= minRelativeChange;
    const verdict: Verdict = !changed ? 'no change' : a.mean < b.mean ? 'faster' : 'slower';
    return { section, before: b, after: a, speedup, p: test.p, verdict };
  });
  return { sections, alpha, minRelativeChange };
}

function ratio(beforeMean: number, afterMean: number): number | null {
  if (afterMean === 0) return beforeMean === 0 ? 1 : null;
  return beforeMean / afterMean;
}

/** A plain-text table for terminals: means ± std (count), speed-up, p-value and verdict. */
export function formatComparisonTable(comparison: ReportComparison): string {
  const header = ['section', 'before', 'after', 'speed-up', 'p', 'verdict'];
  const cell = (s: SectionStats | null) => (s ? `${formatMs(s.mean)} ± ${formatMs(s.std).replace(' ms', '')} (n=${s.count})` : '—');
  const rows = comparison.sections.map((c) => [
    c.section,
    cell(c.before),
    cell(c.after),
    c.speedup === null ? '—' : `${c.speedup.toFixed(3)}×`,
    c.p === null ? '—' : c.p < 1e-4 ? '<1e-4' : c.p.toFixed(4),
    c.verdict,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Text columns left-aligned, numeric ones right-aligned.
  const line = (r: string[]) => r.map((v, i) => (i === 0 || i === 5 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const note = `speed-up = before mean / after mean; Welch t-test, alpha ${comparison.alpha}, min change ${(comparison.minRelativeChange * 100).toFixed(1)} %`;
  return [line(header), rule, ...rows.map(line), '', note].join('\n');
}

const VERDICT_COLOR: Record<Verdict, string> = {
  faster: '#2e9e44',
  slower: '#d23c3c',
  'no change': '#9a9a9a',
  'insufficient data': '#cfcfcf',
};

/** An SVG of the speed-up per section on a log₂ scale around 1×, coloured by verdict. */
export function comparisonSvg(comparison: ReportComparison, title = 'Speed-up per section (before / after)'): string {
  const rows = comparison.sections.map((c) => ({
    label: c.section,
    value: c.speedup !== null && c.speedup > 0 ? Math.log2(c.speedup) : 0,
    text: `${c.speedup === null ? '—' : `${c.speedup.toFixed(2)}×`} ${c.verdict}`,
    color: VERDICT_COLOR[c.verdict],
  }));
  return barChartSvg({ title, rows, caption: 'log₂ scale: right of the line is faster; green faster, red slower, grey no change / too few samples' });
}
