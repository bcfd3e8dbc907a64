// Turns a finished training run into the HTML report's data: curves, errors, refreshes, the
// profiler breakdown, and test views next to renders at the poses the model predicted.
import { splitFrames, viewmatsFromPoses, type Pose, type PoseFrame, type ProfileData } from '@rvs/core';
import { scaledKs, type TrainResult } from '@rvs/model';
import { viewToRgba8 } from './pixels.ts';
import type { Rasterizer, Scene } from '@rvs/raster-wgpu';
import type { ReportImage, TrainReportData } from './report/types.ts';
import type { TrainData } from './train-setup.ts';

const SAMPLES = 6;

async function renderAt(rasterizer: Rasterizer, scene: Scene, poses: Pose[], frames: PoseFrame[], width: number, height: number): Promise<ReportImage[]> {
  const result = await rasterizer.render(scene, { viewmats: viewmatsFromPoses(poses), Ks: scaledKs(frames, width, height), width, height });
  const rgba = await result.readRgba();
  result.destroy();
  return poses.map((_, i) => ({ width, height, rgba: viewToRgba8(rgba, width, height, i) }));
}

/** Span totals by top-level name, with their direct children. */
function profileTotals(profile: ProfileData): NonNullable<TrainReportData['profile']> {
  const totals = new Map<string, { totalMs: number; children: Map<string, number> }>();
  for (const s of profile.spans) {
    if (s.track !== 'cpu') continue;
    const [top, child] = s.path.split('/');
    if (!top) continue;
    const entry = totals.get(top) ?? { totalMs: 0, children: new Map() };
    if (child === undefined) entry.totalMs += s.duration;
    else if (s.path.split('/').length === 2) entry.children.set(child, (entry.children.get(child) ?? 0) + s.duration);
    totals.set(top, entry);
  }
  return [...totals].map(([name, e]) => ({ name, totalMs: e.totalMs, children: [...e.children].map(([n, ms]) => ({ name: n, totalMs: ms })) }));
}

export async function buildReportData(o: {
  result: TrainResult; data: TrainData; rasterizer: Rasterizer; scene: Scene | undefined; width: number; height: number;
  profile: ProfileData; config: Record<string, unknown>;
}): Promise<TrainReportData> {
  const { result, data } = o;
  const test = splitFrames(data.dataset, 'test');
  const samples: TrainReportData['samples'] = [];
  if (o.scene && result.finalPredictions && test.length) {
    const pick = Array.from({ length: Math.min(SAMPLES, test.length) }, (_, i) => Math.floor((i * test.length) / Math.min(SAMPLES, test.length)));
    const frames = pick.map((i) => test[i] as PoseFrame);
    const predicted = await renderAt(o.rasterizer, o.scene, pick.map((i) => result.finalPredictions![i] as Pose), frames, o.width, o.height);
    const real = data.images.kind === 'render'
      ? await renderAt(o.rasterizer, o.scene, frames.map((f) => f.pose), frames, o.width, o.height)
      : await Promise.all(frames.map(async (f) => {
        const img = await (data.images as Extract<TrainData['images'], { kind: 'files' }>).read(f);
        return { width: img.width, height: img.height, rgba: img.data };
      }));
    frames.forEach((f, i) => samples.push({ label: f.name, real: real[i] as ReportImage, rendered: predicted[i] as ReportImage }));
  }
  return {
    title: `rvs training: ${data.label}`,
    createdAt: new Date().toISOString(),
    config: o.config,
    steps: result.history.steps,
    evals: result.history.evals,
    finalErrors: result.finalErrors ?? { translation: [], rotationDeg: [] },
    refreshes: result.history.refreshes,
    profile: profileTotals(o.profile),
    samples,
    units: { translation: data.demo ? 'm' : 'units' },
  };
}
