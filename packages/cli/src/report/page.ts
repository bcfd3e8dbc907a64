// The HTML training report: one self-contained page (inline SVG charts, PNG data URIs, a small
// CSS block; no scripts, no external assets), written atomically to <outDir>/report.html.
import { resolve } from 'node:path';
import { createNodeStore } from '@rvs/core/node';
import { median } from '@rvs/model';
import { barChart, cdfChart, formatNumber, lineChart, shareAtMost, type Band, type BarRow, type Chart, type Threshold } from './svg.ts';
import { empty, esc } from './html.ts';
import { samplesSection } from './images.ts';
import type { TrainReportData } from './types.ts';

const COLOR = {
  loss: '#2563eb',
  lr: '#9ca3af',
  translation: '#2563eb',
  rotation: '#dc2626',
  rendered: '#f59e0b',
  cacheHits: '#10b981',
  time: '#7c3aed',
  span: '#2563eb',
  child: '#93c5fd',
};
const SOURCE_COLOR: Record<TrainReportData['steps'][number]['source'], string> = { real: '#dbeafe', rvs: '#fef3c7', mixed: '#ede9fe' };
/** Centimetres per unit, for the 5 cm / 2 cm thresholds. */
const CM_PER_UNIT: Record<string, number> = { m: 100, cm: 1, mm: 0.1 };
/** Refresh rows beyond this are grouped, so the chart stays readable. */
const MAX_REFRESH_ROWS = 40;
/** Per-step series longer than this are drawn faintly under a moving average. */
const SMOOTH_ABOVE = 100;

/** A chart, or a "no data" note when nothing could be drawn; skipped values are always counted. */
function figure(chart: Chart, noData: string): string {
  const notes: string[] = [];
  if (chart.nonFinite > 0) notes.push(`${chart.nonFinite} NaN/Infinity value${chart.nonFinite === 1 ? '' : 's'} skipped (not drawn).`);
  if (chart.offScale > 0) notes.push(`${chart.offScale} value${chart.offScale === 1 ? '' : 's'} outside the scale (≤ 0 on a log axis, or negative) not drawn.`);
  const note = notes.length ? `<p class="note">${esc(notes.join(' '))}</p>` : '';
  if (chart.svg === '') return `<div class="figure">${empty(noData)}${note}</div>`;
  return `<figure>${chart.svg}${note}</figure>`;
}


/** Log scale when every finite value is positive and the largest is `ratio` times the smallest or more. */
function autoLog(values: readonly number[], ratio = 100): boolean {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0 || finite.some((v) => v <= 0)) return false;
  return Math.max(...finite) / Math.min(...finite) >= ratio;
}

const percent = (share: number) => (Number.isFinite(share) ? `${(share * 100).toFixed(1)} %` : 'n/a');

function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (Math.abs(ms) < 1000) return `${formatNumber(ms)} ms`;
  if (Math.abs(ms) < 120_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** Median of the finite values (NaN when there are none). */
const finiteMedian = (values: readonly number[]) => median(values.filter(Number.isFinite));

/** Consecutive steps with the same image source, as shaded bands. */
function sourceBands(steps: TrainReportData['steps']): Band[] {
  const sorted = steps.filter((s) => Number.isFinite(s.step)).sort((a, b) => a.step - b.step);
  const bands: Band[] = [];
  sorted.forEach((s, i) => {
    const last = bands.at(-1);
    const to = sorted[i + 1]?.step ?? s.step;
    if (last && last.name === `source: ${s.source}`) last.to = to;
    else bands.push({ from: s.step, to, name: `source: ${s.source}`, color: SOURCE_COLOR[s.source] ?? '#f3f4f6' });
  });
  return bands;
}

function trainingSection(data: TrainReportData, unit: string): string {
  const { steps } = data;
  if (steps.length === 0) return empty('no training steps were recorded.');
  const sources = [...new Set(steps.map((s) => s.source))];
  const smooth = steps.length > SMOOTH_ABOVE;
  const losses = steps.map((s) => s.loss);
  const loss = lineChart({
    title: 'Training loss',
    x: { label: 'step' },
    y: { label: autoLog(losses) ? 'loss (log)' : 'loss', log: autoLog(losses) },
    y2: { label: 'learning rate' },
    series: [
      { name: 'loss', color: COLOR.loss, smooth, points: steps.map((s) => ({ x: s.step, y: s.loss })) },
      { name: 'learning rate', color: COLOR.lr, dashed: true, right: true, points: steps.map((s) => ({ x: s.step, y: s.lr })) },
    ],
    bands: sources.length > 1 ? sourceBands(steps) : [],
  });
  const t = steps.map((s) => s.translationError);
  const r = steps.map((s) => s.rotationError);
  const errors = lineChart({
    title: 'Training error per batch',
    x: { label: 'step' },
    y: { label: `translation error (${unit})${autoLog(t) ? ', log' : ''}`, log: autoLog(t), include: autoLog(t) ? [] : [0] },
    y2: { label: `rotation error (°)${autoLog(r) ? ', log' : ''}`, log: autoLog(r), include: autoLog(r) ? [] : [0] },
    series: [
      { name: `translation (${unit})`, color: COLOR.translation, smooth, points: steps.map((s) => ({ x: s.step, y: s.translationError })) },
      { name: 'rotation (°)', color: COLOR.rotation, right: true, smooth, points: steps.map((s) => ({ x: s.step, y: s.rotationError })) },
    ],
  });
  const notes = [
    ...(sources.length === 1 ? [`Every step trained on ${sources[0]} images.`] : []),
    ...(smooth ? ['Faint lines are per step; solid lines are their exponential moving average.'] : []),
  ];
  const caption = notes.length ? `<p class="note">${esc(notes.join(' '))}</p>` : '';
  return `<div class="charts">${figure(loss, 'no finite loss values.')}${figure(errors, 'no finite training errors.')}</div>${caption}`;
}

function evaluationSection(data: TrainReportData, unit: string): string {
  const { evals } = data;
  if (evals.length === 0) return empty('no evaluations were recorded.');
  const chart = lineChart({
    title: 'Median test error per evaluation',
    x: { label: 'epoch' },
    y: { label: `median translation error (${unit})`, include: [0] },
    y2: { label: 'median rotation error (°)', include: [0] },
    series: [
      { name: `translation (${unit})`, color: COLOR.translation, markers: true, points: evals.map((e) => ({ x: e.epoch, y: e.medianTranslation })) },
      { name: 'rotation (°)', color: COLOR.rotation, markers: true, right: true, points: evals.map((e) => ({ x: e.epoch, y: e.medianRotationDeg })) },
    ],
  });
  const num = (v: number) => (Number.isFinite(v) ? formatNumber(v) : 'n/a');
  const rows = evals.map(
    (e) =>
      `<tr><td class="num">${esc(num(e.epoch))}</td><td class="num">${esc(num(e.medianTranslation))} ${esc(unit)}</td><td class="num">${esc(num(e.medianRotationDeg))}°</td>` +
      `<td class="num">${esc(percent(e.within5cm5deg))}</td><td class="num">${esc(percent(e.within2cm2deg))}</td></tr>`,
  );
  return (
    `<div class="charts">${figure(chart, 'no finite evaluation medians.')}</div>` +
    `<table><thead><tr><th>epoch</th><th>median translation</th><th>median rotation</th><th>≤ 5 cm, 5°</th><th>≤ 2 cm, 2°</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

interface ShareLine {
  label: string;
  share: number;
  of: number;
}

/** Shares of test images under each threshold, over finite errors (pairs for the joint ones). */
function finalShares(data: TrainReportData, unit: string): ShareLine[] {
  const cm = CM_PER_UNIT[unit];
  const { translation, rotationDeg } = data.finalErrors;
  const lines: ShareLine[] = [];
  const finiteT = translation.filter(Number.isFinite).length;
  const finiteR = rotationDeg.filter(Number.isFinite).length;
  for (const limit of [5, 2]) {
    if (cm !== undefined && finiteT) lines.push({ label: `≤ ${limit} cm`, share: shareAtMost(translation, limit / cm), of: finiteT });
    if (finiteR) lines.push({ label: `≤ ${limit}°`, share: shareAtMost(rotationDeg, limit), of: finiteR });
    if (cm !== undefined && translation.length === rotationDeg.length) {
      const pairs = translation.map((t, i) => [t, rotationDeg[i]!] as const).filter(([t, r]) => Number.isFinite(t) && Number.isFinite(r));
      if (pairs.length) lines.push({ label: `≤ ${limit} cm and ≤ ${limit}°`, share: pairs.filter(([t, r]) => t <= limit / cm && r <= limit).length / pairs.length, of: pairs.length });
    }
  }
  return lines;
}

function errorsSection(data: TrainReportData, unit: string): string {
  const { translation, rotationDeg } = data.finalErrors;
  const cm = CM_PER_UNIT[unit];
  const tThresholds: Threshold[] = cm === undefined ? [] : [{ at: 5 / cm, label: '5 cm' }, { at: 2 / cm, label: '2 cm' }];
  // Heavy tails (three decades or more) would squash the thresholds into the left edge.
  const logT = autoLog(translation, 1000);
  const logR = autoLog(rotationDeg, 1000);
  const tChart = cdfChart({
    title: 'Final translation error (CDF)',
    x: { label: `translation error (${unit})${logT ? ', log' : ''}`, log: logT },
    series: [{ name: 'translation', color: COLOR.translation, values: translation }],
    thresholds: tThresholds,
  });
  const rChart = cdfChart({
    title: 'Final rotation error (CDF)',
    x: { label: `rotation error (°)${logR ? ', log' : ''}`, log: logR },
    series: [{ name: 'rotation', color: COLOR.rotation, values: rotationDeg }],
    thresholds: [{ at: 5, label: '5°' }, { at: 2, label: '2°' }],
  });
  const shares = finalShares(data, unit);
  const list = shares.length
    ? `<ul class="shares">${shares.map((s) => `<li>${esc(s.label)}: <strong>${esc(percent(s.share))}</strong> of ${s.of} test image${s.of === 1 ? '' : 's'}</li>`).join('')}</ul>`
    : '';
  const unitNote = cm === undefined && translation.length ? `<p class="note">Translation unit “${esc(unit)}” is not m, cm or mm, so the 5 cm / 2 cm thresholds are not marked.</p>` : '';
  const medians = [finiteMedian(translation), finiteMedian(rotationDeg)];
  const medianNote = medians.some(Number.isFinite)
    ? `<p class="note">Median: ${esc(Number.isFinite(medians[0]!) ? `${formatNumber(medians[0]!)} ${unit}` : 'n/a')}, ${esc(Number.isFinite(medians[1]!) ? `${formatNumber(medians[1]!)}°` : 'n/a')}. Shares count finite errors only.</p>`
    : '';
  return (
    `<div class="charts">${figure(tChart, 'no final translation errors.')}${figure(rChart, 'no final rotation errors.')}</div>` +
    list +
    medianNote +
    unitNote
  );
}

function refreshSection(data: TrainReportData): string {
  const { refreshes } = data;
  if (refreshes.length === 0) return empty('no RVS refreshes were recorded.');
  const group = Math.ceil(refreshes.length / MAX_REFRESH_ROWS);
  const rows: BarRow[] = [];
  for (let i = 0; i < refreshes.length; i += group) {
    const part = refreshes.slice(i, i + group);
    const sum = (f: (r: (typeof part)[number]) => number) => part.reduce((a, r) => a + f(r), 0);
    const epochs = [...new Set(part.map((r) => r.epoch))];
    const label = part.length === 1 ? `#${i + 1} · epoch ${epochs[0]}` : `#${i + 1}–${i + part.length} · epoch ${epochs[0]}–${epochs.at(-1)}`;
    const rendered = sum((r) => r.rendered);
    const hits = sum((r) => r.cacheHits);
    rows.push({
      label,
      segments: [
        { name: 'rendered', value: rendered, color: COLOR.rendered },
        { name: 'cache hits', value: hits, color: COLOR.cacheHits },
      ],
      text: `${formatNumber(rendered)} + ${formatNumber(hits)} of ${formatNumber(sum((r) => r.views))} · ${formatMs(sum((r) => r.ms))}`,
    });
  }
  const bars = barChart({
    title: group > 1 ? `Views per refresh (groups of ${group}): rendered vs cache hits` : 'Views per refresh: rendered vs cache hits',
    rows,
    xLabel: 'views',
  });
  const ms = refreshes.map((r) => r.ms);
  const seconds = Math.max(0, ...ms.filter(Number.isFinite)) >= 2000;
  const time = lineChart({
    title: 'Time per refresh',
    x: { label: 'refresh #' },
    y: { label: seconds ? 'wall time (s)' : 'wall time (ms)', include: [0] },
    series: [{ name: 'wall time', color: COLOR.time, markers: refreshes.length <= 60, points: refreshes.map((r, i) => ({ x: i + 1, y: seconds ? r.ms / 1000 : r.ms })) }],
  });
  const total = (f: (r: (typeof refreshes)[number]) => number) => refreshes.map(f).filter(Number.isFinite).reduce((a, v) => a + v, 0);
  const rendered = total((r) => r.rendered);
  const hits = total((r) => r.cacheHits);
  const summary =
    `<p>${refreshes.length} refresh${refreshes.length === 1 ? '' : 'es'}: ${esc(formatNumber(total((r) => r.views)))} views, ` +
    `${esc(formatNumber(rendered))} rendered, ${esc(formatNumber(hits))} from the cache (hit rate ${esc(percent(hits / (rendered + hits)))}), ` +
    `${esc(formatMs(total((r) => r.ms)))} in all, ${esc(formatMs(finiteMedian(ms)))} median per refresh.</p>`;
  return `${summary}<div class="charts">${figure(bars, 'no finite view counts.')}${figure(time, 'no finite refresh times.')}</div>`;
}

function profileSection(data: TrainReportData): string {
  const spans = data.profile ?? [];
  if (spans.length === 0) return empty('no profiler spans were recorded.');
  const byTime = <T extends { totalMs: number }>(list: readonly T[]) =>
    [...list].sort((a, b) => (Number.isFinite(b.totalMs) ? b.totalMs : -1) - (Number.isFinite(a.totalMs) ? a.totalMs : -1));
  const whole = spans.map((s) => s.totalMs).filter((v) => Number.isFinite(v) && v > 0).reduce((a, v) => a + v, 0);
  const longest = Math.max(0, ...spans.map((s) => s.totalMs).filter(Number.isFinite));
  const [scale, axisUnit] = longest >= 10_000 ? [1 / 1000, 's'] : [1, 'ms'];
  const rows: BarRow[] = [];
  for (const span of byTime(spans)) {
    rows.push({
      label: span.name,
      segments: [{ name: 'span', value: span.totalMs * scale, color: COLOR.span }],
      text: `${formatMs(span.totalMs)} · ${percent(span.totalMs / whole)}`,
    });
    for (const child of byTime(span.children ?? [])) {
      rows.push({
        label: child.name,
        indent: 1,
        segments: [{ name: 'nested span', value: child.totalMs * scale, color: COLOR.child }],
        text: `${formatMs(child.totalMs)} · ${percent(child.totalMs / span.totalMs)} of ${span.name}`,
      });
    }
  }
  return `<div class="charts">${figure(barChart({ title: 'Where the time went (span totals)', rows, xLabel: axisUnit }), 'no finite span totals.')}</div>`;
}

/** `{a: {b: 1}}` → `[['a.b', 1]]`; arrays and other values are leaves. */
function flatten(value: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(value).flatMap(([k, v]): [string, unknown][] =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 ? flatten(v as Record<string, unknown>, `${prefix}${k}.`) : [[`${prefix}${k}`, v]],
  );
}

function configSection(data: TrainReportData): string {
  const entries = flatten(data.config);
  if (entries.length === 0) return empty('no configuration was recorded.');
  const show = (v: unknown) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v === undefined) return String(v);
    try {
      return JSON.stringify(v) ?? String(v);
    } catch {
      return String(v);
    }
  };
  return `<table class="config"><tbody>${entries.map(([k, v]) => `<tr><th>${esc(k)}</th><td><code>${esc(show(v))}</code></td></tr>`).join('')}</tbody></table>`;
}

function summaryCards(data: TrainReportData, unit: string): string {
  const cards: [string, string][] = [];
  const epochs = new Set(data.steps.map((s) => s.epoch).filter(Number.isFinite)).size;
  cards.push([epochs ? `steps · ${epochs} epoch${epochs === 1 ? '' : 's'}` : 'steps', String(data.steps.length)]);
  const lastLoss = [...data.steps].sort((a, b) => a.step - b.step).map((s) => s.loss).filter(Number.isFinite).at(-1);
  if (lastLoss !== undefined) cards.push(['final loss', formatNumber(lastLoss)]);
  const { translation, rotationDeg } = data.finalErrors;
  const mt = finiteMedian(translation);
  const mr = finiteMedian(rotationDeg);
  if (Number.isFinite(mt)) cards.push(['median translation', `${formatNumber(mt)} ${unit}`]);
  if (Number.isFinite(mr)) cards.push(['median rotation', `${formatNumber(mr)}°`]);
  for (const s of finalShares(data, unit).filter((l) => l.label.includes('and'))) cards.push([s.label.replace(' and ', ', '), percent(s.share)]);
  return `<dl class="cards">${cards.map(([k, v]) => `<div class="card"><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>`;
}

const CSS = `
:root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); }
header, nav, main, footer { max-width: 1360px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { font-size: 24px; margin: 0 0 2px; }
h2 { font-size: 17px; margin: 0 0 12px; }
nav { margin-top: 8px; }
nav a { color: var(--muted); margin-right: 14px; text-decoration: none; }
nav a:hover { color: var(--ink); text-decoration: underline; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 16px 0; }
.meta, .note, footer { color: var(--muted); }
.note { font-size: 12.5px; margin: 6px 0 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 520px), 1fr)); gap: 16px 28px; align-items: start; }
figure { margin: 0; }
svg.chart { display: block; width: 100%; height: auto; }
.empty { color: var(--muted); font-style: italic; margin: 0; padding: 10px 12px; border: 1px dashed var(--line); border-radius: 6px; }
table { border-collapse: collapse; margin-top: 12px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 16px 4px 0; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
td.num { text-align: right; }
table.config th { font-weight: 500; color: var(--muted); }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
.shares { margin: 12px 0 0; padding-left: 18px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; margin: 16px 0 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card dt { color: var(--muted); font-size: 12px; }
.card dd { margin: 0; font-size: 19px; font-weight: 600; font-variant-numeric: tabular-nums; }
.samples { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 16px; }
.sample figcaption { font-weight: 600; margin-bottom: 6px; overflow-wrap: anywhere; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
.view span { display: block; color: var(--muted); font-size: 12px; }
.view img { display: block; width: 100%; height: auto; border-radius: 4px; background: #111; }
.view img.small { image-rendering: pixelated; }
.placeholder { display: flex; align-items: center; }
.placeholder .empty { width: 100%; height: 100%; display: flex; align-items: center; justify-content: center; text-align: center; }
footer { padding-bottom: 28px; font-size: 12px; }
`;

/** The report as one HTML string (see `writeTrainReport`). */
export function renderTrainReport(data: TrainReportData): string {
  const unit = data.units?.translation ?? 'm';
  const sections: [id: string, heading: string, body: string][] = [
    ['training', 'Training', trainingSection(data, unit)],
    ['evaluation', 'Evaluation', evaluationSection(data, unit)],
    ['errors', 'Final test errors', errorsSection(data, unit)],
    ['refresh', 'RVS refreshes', refreshSection(data)],
    ['profile', 'Profile', profileSection(data)],
    ['samples', 'Samples: real vs rendered', samplesSection(data)],
    ['config', 'Configuration', configSection(data)],
  ];
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    `<title>${esc(data.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${esc(data.title)}</h1><p class="meta">Created <time datetime="${esc(data.createdAt)}">${esc(data.createdAt)}</time></p>${summaryCards(data, unit)}</header>`,
    `<nav>${sections.map(([id, heading]) => `<a href="#${id}">${esc(heading)}</a>`).join('')}</nav>`,
    '<main>',
    ...sections.map(([id, heading, body]) => `<section id="${id}"><h2>${esc(heading)}</h2>${body}</section>`),
    '</main>',
    '<footer>Written by rvs-cli. Self-contained: no scripts, no network access needed.</footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * Writes the training report to `<outDir>/report.html` (creating the folder) and returns its
 * absolute path. The write is atomic (the checkpoints' store: temporary file, fsync, rename).
 */
export async function writeTrainReport(data: TrainReportData, outDir: string): Promise<string> {
  await createNodeStore(outDir).write('report.html', new TextEncoder().encode(renderTrainReport(data)));
  return resolve(outDir, 'report.html');
}
