// The demo page: WebGPU start, scene choice, one batched render of a grid of cameras, RVS views
// from the refresh worker, and live training with a loss curve. Progress goes to
// `window.__rvsDemo` (state.ts) for the end-to-end test.
import type { PoseFrame } from '@rvs/core';
import type { TrainEvent } from '@rvs/model';
import { createRasterizer, demoScene, type Rasterizer, type Scene } from '@rvs/raster-wgpu';
import { frameViews, gridFrames, sceneDataset, type SceneKind } from './cameras.ts';
import { drawGrid, NON_BLANK_VARIANCE, viewVariances } from './grid.ts';
import { createLossChart } from './loss-chart.ts';
import { startRvsRefresh, type RvsRefresh } from './rvs.ts';
import { sceneExtent, scenePoints } from './scene-points.ts';
import { createState } from './state.ts';
import { DEFAULT_TRAIN, INPUT, trainLive, type TrainSettings } from './train.ts';

/** Cameras in the batched render and views per RVS set. */
const GRID_VIEWS = 12;
const VIEW = { width: 160, height: 120 } as const;

const state = createState();

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`demo page: element #${id} is missing`);
  return e as T;
}

const ui = {
  status: $('status'),
  error: $('error'),
  demoButton: $<HTMLButtonElement>('demo-scene'),
  fileInput: $<HTMLInputElement>('scene-file'),
  sceneInfo: $('scene-info'),
  renderStats: $('render-stats'),
  renderGrid: $('render-grid'),
  rvsNext: $<HTMLButtonElement>('rvs-next'),
  rvsStats: $('rvs-stats'),
  rvsGrid: $('rvs-grid'),
  trainForm: $<HTMLFormElement>('train-form'),
  trainStart: $<HTMLButtonElement>('train-start'),
  trainStop: $<HTMLButtonElement>('train-stop'),
  trainStats: $('train-stats'),
  trainLog: $('train-log'),
  evals: $<HTMLTableElement>('evals'),
};
const chart = createLossChart($('loss-chart'));

function showError(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  state.error = message;
  ui.error.textContent = message;
  ui.error.hidden = false;
  console.error(e);
}
window.addEventListener('error', (e) => showError(e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => showError(e.reason));

const fmt = (ms: number) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`);

// ---- scene: load, batched render, RVS worker --------------------------------------------

let rasterizer: Rasterizer;
let current: { scene: Scene; kind: SceneKind } | undefined;
let rvs: RvsRefresh | undefined;

function setBusy(busy: boolean): void {
  state.phase = busy ? 'busy' : 'ready';
  ui.demoButton.disabled = busy || state.training;
  ui.fileInput.disabled = busy || state.training;
  ui.trainStart.disabled = busy || state.training || !current;
}

async function renderGrid(scene: Scene, frames: readonly PoseFrame[]): Promise<void> {
  const views = frameViews(frames);
  const count = views.viewmats.length / 16;
  const t0 = performance.now();
  const out = await rasterizer.render(scene, views); // every camera in one call
  const rgba = await out.readRgba();
  const chunks = out.chunks;
  out.destroy();
  state.renderMs = performance.now() - t0;
  drawGrid(ui.renderGrid, rgba, count, views.width, views.height);
  state.renderVariances = viewVariances(rgba, count, views.width, views.height);
  state.nonBlankRenders = state.renderVariances.filter((v) => v > NON_BLANK_VARIANCE).length;
  state.rendersDone = count;
  ui.renderStats.textContent =
    `${count} cameras × ${views.width}×${views.height} in one render call (${chunks} chunk${chunks > 1 ? 's' : ''}): ` +
    `${fmt(state.renderMs)} with read-back; ${state.nonBlankRenders}/${count} non-blank`;
}

async function takeRvs(): Promise<void> {
  const refresh = rvs;
  if (!refresh) return;
  ui.rvsNext.disabled = true;
  ui.rvsStats.textContent = 'rendering RVS views in the worker…';
  try {
    const set = await refresh.take();
    if (refresh !== rvs) return; // the scene changed meanwhile
    drawGrid(ui.rvsGrid, set.rgba, set.count, set.width, set.height, set.sources.map((s) => `perturbs view ${s}`));
    const variances = viewVariances(set.rgba, set.count, set.width, set.height);
    Object.assign(state, {
      rvsRefreshes: state.rvsRefreshes + 1, rvsViews: set.count, rvsNonBlank: variances.filter((v) => v > NON_BLANK_VARIANCE).length,
      rvsRendered: set.from.filter((f) => f === 'render').length, rvsMs: set.ms, rvsStallMs: set.stallMs,
    });
    ui.rvsStats.textContent =
      `set ${state.rvsRefreshes}: views ${set.count} · rendered ${state.rvsRendered} · ${fmt(set.ms)} in the worker · ` +
      `stall ${fmt(set.stallMs)} · non-blank ${state.rvsNonBlank}/${set.count} (the next set is rendering now)`;
  } catch (e) {
    if (refresh === rvs) showError(e);
  } finally {
    if (refresh === rvs) ui.rvsNext.disabled = false;
  }
}

/** Loads a scene (`demo`: the embedded room), renders its grid and restarts the RVS worker on it. */
async function loadScene(name: string, source: 'demo' | 'file', bytes: () => Promise<Uint8Array>): Promise<void> {
  setBusy(true);
  ui.error.hidden = true;
  delete state.error;
  try {
    ui.sceneInfo.textContent = `loading ${name}…`;
    const data = await bytes();
    const scene = await rasterizer.loadScene(data); // validates the file
    let kind: SceneKind;
    try {
      kind = source === 'demo' ? { kind: 'demo' } : { kind: 'file', extent: sceneExtent(scenePoints(data)) };
    } catch (e) {
      scene.destroy();
      throw e;
    }
    current?.scene.destroy();
    current = { scene, kind };
    state.scene = { name, splats: scene.numSplats, shDegree: scene.shDegree };
    ui.sceneInfo.textContent =
      `${source === 'demo' ? 'embedded demo room' : name}: ${scene.numSplats.toLocaleString('en')} Gaussians, SH degree ${scene.shDegree}` +
      (kind.kind === 'file' ? `; cameras on rings around (${kind.extent.center.map((v) => v.toFixed(2)).join(', ')})` : '');
    // The grid's cameras: spread over the dataset's training poses; RVS perturbs these.
    const frames = gridFrames(sceneDataset(kind, { ...VIEW, trainPerTrajectory: 40, test: 6 }), GRID_VIEWS);
    await renderGrid(scene, frames);
    state.sceneLoads++;
    // A new worker for the new scene; the old one stops.
    const old = rvs;
    Object.assign(state, { rvsRefreshes: 0, rvsViews: 0, rvsNonBlank: 0, rvsRendered: 0 });
    rvs = startRvsRefresh({ scene: data, frames, count: GRID_VIEWS, seed: state.sceneLoads });
    void old?.destroy();
    void takeRvs();
  } catch (e) {
    ui.sceneInfo.textContent = `could not load ${name}`;
    showError(e);
  } finally {
    setBusy(false);
  }
}

ui.demoButton.addEventListener('click', () => void loadScene('demo', 'demo', () => demoScene(0)));
const loadFile = (file: File) => void loadScene(file.name, 'file', async () => new Uint8Array(await file.arrayBuffer()));
ui.fileInput.addEventListener('change', () => {
  const file = ui.fileInput.files?.[0];
  if (file) loadFile(file);
});
document.addEventListener('dragover', (e) => {
  e.preventDefault();
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', (e) => {
  e.preventDefault();
  document.body.classList.remove('dragging');
  const file = e.dataTransfer?.files[0];
  if (file && state.phase === 'ready' && !state.training) loadFile(file);
});
ui.rvsNext.addEventListener('click', () => void takeRvs());

// ---- training ---------------------------------------------------------------------------

const field = (name: keyof TrainSettings) => ui.trainForm.elements.namedItem(name) as HTMLInputElement;
for (const [name, value] of Object.entries(DEFAULT_TRAIN) as [keyof TrainSettings, number | boolean][]) {
  if (typeof value === 'boolean') field(name).checked = value;
  else field(name).value = String(value);
}

function readSettings(): TrainSettings {
  const int = (name: keyof TrainSettings) => {
    const v = Number(field(name).value);
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got "${field(name).value}"`);
    return v;
  };
  const lr = Number(field('lr').value);
  if (!(lr > 0)) throw new RangeError(`learning rate must be positive, got "${field('lr').value}"`);
  return {
    epochs: int('epochs'), batchSize: int('batchSize'), trainPerTrajectory: int('trainPerTrajectory'), test: int('test'), lr, rvs: field('rvs').checked,
  };
}

function log(line: string): void {
  const li = document.createElement('li');
  li.textContent = line;
  ui.trainLog.append(li);
  li.scrollIntoView({ block: 'nearest' });
}

function onTrainEvent(e: TrainEvent): void {
  switch (e.type) {
    case 'start':
      ui.trainStats.textContent = `${e.epochs} epoch(s) × ${e.stepsPerEpoch} step(s), input ${INPUT.width}×${INPUT.height}`;
      break;
    case 'step':
      state.losses.push(e.loss);
      chart.update(state.losses);
      log(`step ${e.step} (epoch ${e.epoch + 1}, ${e.source}): loss ${e.loss.toFixed(4)}, ` +
        `${e.translationError.toFixed(3)} units, ${e.rotationError.toFixed(2)}°, ${fmt(e.ms)}`);
      break;
    case 'refresh':
      log(`RVS refresh for epoch ${e.record.epoch + 1}: views ${e.record.views} · rendered ${e.record.rendered} · ` +
        `${fmt(e.record.ms)} · stall ${fmt(e.record.stallMs)}`);
      break;
    case 'eval': {
      const r = e.record;
      state.evals.push(r);
      const row = document.createElement('tr');
      for (const cell of [String(r.epoch), `${r.medianTranslation.toFixed(3)} units`, `${r.medianRotationDeg.toFixed(2)}°`,
        `${(100 * r.within5cm5deg).toFixed(0)} %`, `${(100 * r.within2cm2deg).toFixed(0)} %`]) {
        const td = document.createElement('td');
        td.textContent = cell;
        row.append(td);
      }
      ui.evals.tBodies[0]?.append(row);
      ui.evals.hidden = false;
      break;
    }
    case 'epoch':
      log(`epoch ${e.epoch}: mean loss ${e.meanLoss.toFixed(4)}, lr ${e.lr.toExponential(1)}`);
      break;
    case 'checkpoint':
      break;
  }
}

let stopTraining: AbortController | undefined;

ui.trainForm.addEventListener('submit', (e) => {
  e.preventDefault();
  void (async () => {
    if (!current || state.training) return;
    let settings: TrainSettings;
    try {
      settings = readSettings();
    } catch (err) {
      showError(err);
      return;
    }
    ui.error.hidden = true;
    delete state.error;
    state.training = true;
    state.losses = [];
    state.evals = [];
    chart.update([]);
    ui.trainLog.replaceChildren();
    ui.evals.tBodies[0]?.replaceChildren();
    ui.evals.hidden = true;
    ui.trainStats.textContent = 'starting the model (loading its WASM, rendering the training views)…';
    setBusy(false);
    ui.trainStop.disabled = false;
    stopTraining = new AbortController();
    const t0 = performance.now();
    try {
      const result = await trainLive(rasterizer, current.scene, current.kind, settings, onTrainEvent, stopTraining.signal);
      state.trainRuns++;
      const final = result.final;
      ui.trainStats.textContent = `done: ${result.epochs} epoch(s), ${state.losses.length} steps in ${fmt(performance.now() - t0)}` +
        (final ? `; test median ${final.medianTranslation.toFixed(3)} units, ${final.medianRotationDeg.toFixed(2)}°` : '');
    } catch (err) {
      if (stopTraining.signal.aborted) ui.trainStats.textContent = `stopped after ${state.losses.length} steps`;
      else showError(err);
    } finally {
      state.training = false;
      ui.trainStop.disabled = true;
      setBusy(false);
    }
  })();
});
ui.trainStop.addEventListener('click', () => stopTraining?.abort(new Error('stopped')));

// ---- start ------------------------------------------------------------------------------

async function start(): Promise<void> {
  try {
    rasterizer = await createRasterizer();
  } catch (e) {
    state.phase = 'failed';
    ui.status.textContent = 'WebGPU did not start.';
    showError(e);
    return;
  }
  const info = rasterizer.device.adapterInfo;
  state.adapter = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'unknown adapter';
  ui.status.textContent = `WebGPU on ${state.adapter}.`;
  setBusy(false);
  if (new URLSearchParams(location.search).get('autoload') !== '0') await loadScene('demo', 'demo', () => demoScene(0));
}

void start();
