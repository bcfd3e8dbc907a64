import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { writeTrainReport } from '../src/report/page.ts';
import { barChart, cdfChart, lineChart, logTicks, niceTicks } from '../src/report/svg.ts';
import type { ReportImage, TrainReportData } from '../src/report/types.ts';

/** A w×h gradient whose pixels depend on `seed`, so every image is different. */
function image(width: number, height: number, seed: number): ReportImage {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([(i * 7 + seed) & 255, (i * 3) & 255, seed & 255, 255], i * 4);
  return { width, height, rgba };
}

// Made-up final errors with known shares: translation in metres, rotation in degrees.
const translation = [0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.07, 0.1, 0.2, 0.5, 0.012, 0.018, 0.025, 0.045, 0.3, 0.011];
const rotationDeg = [1, 1.5, 3, 1.9, 4, 6, 2, 8, 10, 20, 0.5, 4.5, 2.1, 5.5, 1, 3];

function reportData(overrides: Partial<TrainReportData> = {}): TrainReportData {
  const steps = Array.from({ length: 48 }, (_, i) => ({
    step: i * 10,
    epoch: Math.floor(i / 12),
    loss: 2 * Math.exp(-i / 10) + 0.05,
    translationError: 0.5 * Math.exp(-i / 15) + 0.02,
    rotationError: 12 * Math.exp(-i / 15) + 1,
    lr: 1e-3 * (1 - i / 48),
    source: (i < 12 ? 'real' : i < 36 ? 'rvs' : 'mixed') as 'real' | 'rvs' | 'mixed',
  }));
  return {
    title: 'Run <script>alert("x")</script> & co',
    createdAt: '2025-01-02T03:04:05Z',
    config: { scene: 'room.ply', batch: 32, optimizer: { name: 'adam', betas: [0.9, 0.999] }, note: '<b>bold</b>' },
    steps,
    evals: [0, 1, 2, 3].map((epoch) => ({ epoch, medianTranslation: 0.3 / (epoch + 1), medianRotationDeg: 8 / (epoch + 1), within5cm5deg: 0.1 * epoch, within2cm2deg: 0.05 * epoch })),
    finalErrors: { translation, rotationDeg },
    refreshes: [0, 1, 2, 3].map((epoch) => ({ epoch, views: 64, rendered: 64 - epoch * 16, cacheHits: epoch * 16, ms: 900 - epoch * 200 })),
    profile: [
      { name: 'render', totalMs: 420, children: [{ name: 'project', totalMs: 100 }, { name: 'blend', totalMs: 250 }] },
      { name: 'train step', totalMs: 1300 },
    ],
    samples: Array.from({ length: 6 }, (_, i) => ({ label: `test view ${i}`, real: image(24 + i, 16, i), rendered: image(24 + i, 16, 100 + i) })),
    ...overrides,
  };
}

async function writeReport(data: TrainReportData): Promise<{ html: string; path: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'rvs-report-'));
  const path = await writeTrainReport(data, join(dir, 'out'));
  return { html: await readFile(path, 'utf8'), path, dir: join(dir, 'out') };
}

/** The `<svg …>…</svg>` elements whose title contains `title`. */
const svgs = (html: string, title: string) => [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]).filter((s) => s.includes(`<title>${title}`));
const pointsOf = (polyline: string) =>
  /points="([^"]*)"/
    .exec(polyline)![1]!
    .split(' ')
    .map((p) => p.split(',').map(Number) as [number, number]);
/** HTML with the tags removed, for reading the printed text. */
const text = (html: string) => html.replace(/<[^>]*>/g, '');

describe('training report', () => {
  it('writes report.html atomically with every chart as inline SVG', async () => {
    const { html, path, dir } = await writeReport(reportData());
    expect(path).toBe(join(dir, 'report.html'));
    expect(await readdir(dir)).toEqual(['report.html']); // no temporary file left behind
    // loss, training errors, eval medians, two CDFs, refresh views, refresh time, profile
    expect(html.match(/<svg/g)).toHaveLength(8);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    for (const id of ['training', 'evaluation', 'errors', 'refresh', 'profile', 'samples', 'config']) expect(html).toContain(`<section id="${id}">`);
    expect(html).not.toContain('No data');
  });

  it('draws lines in step order and CDFs that end at 1', async () => {
    const data = reportData();
    data.steps.reverse(); // the report must sort them
    const { html } = await writeReport(data);
    const [loss] = svgs(html, 'Training loss');
    const lines = loss!.match(/<polyline[^>]*>/g)!;
    expect(lines).toHaveLength(2); // loss and learning rate
    for (const line of lines) {
      const xs = pointsOf(line).map(([x]) => x);
      expect(xs).toHaveLength(48);
      for (let i = 1; i < xs.length; i++) expect(xs[i]!).toBeGreaterThan(xs[i - 1]!);
    }
    for (const title of ['Final translation error', 'Final rotation error']) {
      const [cdf] = svgs(html, title);
      // The y tick labelled 1 gives the pixel row of share 1.
      const ticks = [...cdf!.matchAll(/<g class="y-tick" transform="translate\(([\d.]+) ([\d.]+)\)">[\s\S]*?<text[^>]*>([^<]*)<\/text>/g)];
      const one = ticks.find((t) => Number(t[3]) === 1)!;
      const zero = ticks.find((t) => Number(t[3]) === 0)!;
      const points = pointsOf(/<polyline class="cdf"[^>]*>/.exec(cdf!)![0]);
      expect(points[0]![1]).toBe(Number(zero[2]));
      expect(points.at(-1)![1]).toBe(Number(one[2]));
      const ys = points.map(([, y]) => y);
      for (let i = 1; i < ys.length; i++) expect(ys[i]!).toBeLessThanOrEqual(ys[i - 1]!); // never decreasing share (y grows downwards)
    }
  });

  it('prints the shares of test images under 5 cm / 5° and 2 cm / 2°', async () => {
    const { html } = await writeReport(reportData());
    const n = translation.length;
    const pct = (k: number) => `${((k / n) * 100).toFixed(1)} %`;
    let t5 = 0;
    let t2 = 0;
    let r5 = 0;
    let both5 = 0;
    let both2 = 0;
    for (let i = 0; i < n; i++) {
      const t = translation[i]! * 100; // cm
      const r = rotationDeg[i]!;
      if (t <= 5) t5++;
      if (t <= 2) t2++;
      if (r <= 5) r5++;
      if (t <= 5 && r <= 5) both5++;
      if (t <= 2 && r <= 2) both2++;
    }
    expect([t5, t2, r5, both5, both2]).toEqual([11, 6, 11, 9, 3]); // the made-up data is what we think it is
    const page = text(html);
    expect(page).toContain(`≤ 5 cm: ${pct(t5)} of ${n} test images`);
    expect(page).toContain(`≤ 2 cm: ${pct(t2)}`);
    expect(page).toContain(`≤ 5°: ${pct(r5)}`);
    expect(page).toContain(`≤ 5 cm and ≤ 5°: ${pct(both5)}`);
    expect(page).toContain(`≤ 2 cm and ≤ 2°: ${pct(both2)}`);
    // The thresholds are marked on the CDFs with the same shares.
    expect(svgs(html, 'Final translation error')[0]).toContain(`≤ 5 cm · ${pct(t5)}`);
    // Millimetres move the thresholds, not the shares.
    const mm = await writeReport(reportData({ units: { translation: 'mm' }, finalErrors: { translation: translation.map((t) => t * 1000), rotationDeg } }));
    expect(text(mm.html)).toContain(`≤ 5 cm and ≤ 5°: ${pct(both5)}`);
  });

  it('embeds the sample views as PNG data URIs of the right size', async () => {
    const data = reportData();
    const { html } = await writeReport(data);
    const uris = [...html.matchAll(/<img[^>]*src="data:image\/png;base64,([^"]+)"[^>]*>/g)];
    expect(uris).toHaveLength(12);
    uris.forEach((m, i) => {
      const sample = data.samples[i >> 1]!;
      const source = i % 2 === 0 ? sample.real! : sample.rendered;
      const png = decode(Buffer.from(m[1]!, 'base64'));
      expect([png.width, png.height, png.channels]).toEqual([source.width, source.height, 4]);
      expect(Buffer.from(png.data as Uint8Array).equals(Buffer.from(source.rgba))).toBe(true);
      expect(m[0]).toContain(`width="${source.width}" height="${source.height}"`);
    });
  });

  it('shrinks large views by an integer factor', async () => {
    const { html } = await writeReport(reportData({ samples: [{ label: 'big', rendered: image(1200, 300, 1) }] }));
    const [m] = [...html.matchAll(/src="data:image\/png;base64,([^"]+)"/g)];
    const png = decode(Buffer.from(m![1]!, 'base64'));
    expect([png.width, png.height]).toEqual([400, 100]);
  });

  it('escapes all text', async () => {
    const { html } = await writeReport(reportData({ samples: [{ label: '<img src=x onerror=alert(1)>', rendered: image(4, 4, 0) }] }));
    expect(html).not.toContain('<script>');
    expect(html).toContain('<title>Run &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</title>');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html.match(/<img /g)).toHaveLength(1); // only the real one
  });

  it('shows a "no data" note for empty sections instead of a chart', async () => {
    const { html } = await writeReport(
      reportData({
        steps: [],
        evals: [],
        finalErrors: { translation: [], rotationDeg: [] },
        refreshes: [],
        samples: [{ label: 'only rendered', rendered: image(8, 6, 3) }],
        config: {},
      }),
    );
    expect(html.match(/<svg/g)).toHaveLength(1); // the profile is the only data left
    const notes = [...html.matchAll(/<p class="empty">No data: ([^<]*)<\/p>/g)].map((m) => m[1]);
    expect(notes).toEqual([
      'no training steps were recorded.',
      'no evaluations were recorded.',
      'no final translation errors.',
      'no final rotation errors.',
      'no RVS refreshes were recorded.',
      'no real image for this sample.',
      'no configuration was recorded.',
    ]);
    const withoutProfile = reportData({ samples: [] });
    delete withoutProfile.profile;
    const noProfile = await writeReport(withoutProfile);
    expect(text(noProfile.html)).toContain('No data: no profiler spans were recorded.');
    expect(text(noProfile.html)).toContain('No data: no sample views were recorded.');
  });

  it('skips NaN and Infinity, counts them, and never draws them', async () => {
    const data = reportData();
    data.steps[5]!.loss = Number.NaN;
    data.steps[6]!.loss = Number.POSITIVE_INFINITY;
    data.steps[7]!.rotationError = Number.NaN;
    data.finalErrors = { translation: [...translation, Number.NaN, Number.POSITIVE_INFINITY], rotationDeg: [...rotationDeg, 1, Number.NaN] };
    data.refreshes[1]!.ms = Number.NaN;
    const { html } = await writeReport(data);
    expect(html).not.toMatch(/="[^"]*(NaN|Infinity)[^"]*"/); // no coordinate or attribute
    const [loss] = svgs(html, 'Training loss');
    expect(pointsOf(loss!.match(/<polyline[^>]*data-series="loss"[^>]*>/)![0])).toHaveLength(46);
    const notes = [...html.matchAll(/<p class="note">([^<]*)<\/p>/g)].map((m) => m[1]);
    expect(notes).toContain('2 NaN/Infinity values skipped (not drawn).'); // loss chart
    expect(notes).toContain('1 NaN/Infinity value skipped (not drawn).'); // errors chart, rotation CDF, refresh time
    // The shares cover the finite errors only: 16 translations, 17 rotations, 16 finite pairs.
    expect(text(html)).toContain(`≤ 5 cm: ${((11 / 16) * 100).toFixed(1)} % of 16 test images`);
    expect(text(html)).toContain(`≤ 5°: ${((12 / 17) * 100).toFixed(1)} % of 17 test images`);
    expect(text(html)).toContain(`≤ 5 cm and ≤ 5°: ${((9 / 16) * 100).toFixed(1)} % of 16 test images`);
    const allNaN = await writeReport(reportData({ refreshes: [{ epoch: 0, views: 1, rendered: 1, cacheHits: 0, ms: Number.NaN }] }));
    expect(text(allNaN.html)).toContain('No data: no finite refresh times.');
  });
});

describe('plot primitives', () => {
  it('niceTicks: round, evenly spaced ticks covering the range', () => {
    const ranges: [number, number][] = [[0, 1], [0.013, 0.87], [-3.2, 7.9], [0, 4800], [1e-6, 3.3e-6], [1000.001, 1000.002], [5, 5], [0, 0], [-1, -1e-9], [17, 3]];
    for (const [a, b] of ranges) {
      const ticks = niceTicks(a, b);
      expect(ticks[0]!, `${a}..${b}`).toBeLessThanOrEqual(Math.min(a, b));
      expect(ticks.at(-1)!, `${a}..${b}`).toBeGreaterThanOrEqual(Math.max(a, b));
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks.length).toBeLessThanOrEqual(12);
      const step = Number((ticks[1]! - ticks[0]!).toPrecision(6));
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6), `step ${step}`).toBe(true);
      for (let i = 1; i < ticks.length; i++) expect(Math.abs(ticks[i]! - ticks[i - 1]! - step)).toBeLessThan(step * 1e-6);
      // Every tick is a whole multiple of the step, so its label is short.
      for (const t of ticks) expect(Math.abs(t / step - Math.round(t / step))).toBeLessThan(1e-6);
    }
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.3, 0.7)).toEqual([0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(niceTicks(0, 4800)).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(() => niceTicks(0, Number.NaN)).toThrow(RangeError);
  });

  it('logTicks: decades covering the range', () => {
    expect(logTicks(0.003, 42)).toEqual([0.001, 0.01, 0.1, 1, 10, 100]);
    expect(logTicks(1.5, 30)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logTicks(5, 5)).toEqual([1, 2, 5, 10]);
    const wide = logTicks(1e-12, 1e6);
    expect(wide[0]).toBeLessThanOrEqual(1e-12);
    expect(wide.at(-1)).toBeGreaterThanOrEqual(1e6);
    expect(wide.length).toBeLessThanOrEqual(10);
  });

  it('lineChart, cdfChart and barChart skip what they cannot draw', () => {
    const line = lineChart({ title: 't', x: { label: 'x' }, y: { label: 'y', log: true }, series: [{ name: 's', color: '#000', points: [{ x: 0, y: 1 }, { x: 1, y: 0 }, { x: 2, y: Number.NaN }, { x: 3, y: 10 }] }] });
    expect([line.drawn, line.nonFinite, line.offScale]).toEqual([2, 1, 1]);
    const none = lineChart({ title: 't', x: { label: 'x' }, y: { label: 'y' }, series: [{ name: 's', color: '#000', points: [{ x: 0, y: Number.NaN }] }] });
    expect(none.svg).toBe('');
    const cdf = cdfChart({ title: 'c', x: { label: 'e' }, series: [{ name: 's', color: '#000', values: [3, 1, 2, 2] }], thresholds: [{ at: 2, label: '2' }] });
    expect(cdf.svg).toContain('≤ 2 · 75.0 %');
    const noisy = Array.from({ length: 500 }, (_, i) => ({ x: i, y: 1 + Math.sin(i * 12.9898) * 0.5 }));
    const smoothed = lineChart({ title: 's', x: { label: 'x' }, y: { label: 'y' }, series: [{ name: 'n', color: '#000', smooth: true, points: noisy }] });
    const lines = smoothed.svg.match(/<polyline[^>]*>/g)!;
    expect(lines.map((l) => /class="([^"]*)"/.exec(l)![1])).toEqual(['series raw', 'series smoothed']);
    const spread = (l: string) => {
      const ys = pointsOf(l).slice(250).map(([, y]) => y); // past the first few points, which the average follows closely
      return Math.max(...ys) - Math.min(...ys);
    };
    expect(spread(lines[1]!)).toBeLessThan(spread(lines[0]!) / 2); // the average is much calmer than the raw values
    for (const l of lines) expect(pointsOf(l).every(([x], i, all) => i === 0 || x > all[i - 1]![0])).toBe(true);
    const bars = barChart({ title: 'b', rows: [{ label: 'a', segments: [{ name: 'x', value: 2, color: '#000' }, { name: 'y', value: -1, color: '#111' }] }] });
    expect([bars.drawn, bars.offScale]).toEqual([1, 1]);
  });
});
