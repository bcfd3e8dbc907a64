import { describe, expect, it } from 'vitest';
import { createRasterizer, demoScene } from '@rvs/raster-wgpu';
import { assertRotation, demoDataset, viewmatsFromPoses } from '../src/index.ts';

describe('demo pose-regression dataset', () => {
  it('is deterministic per seed and splits train trajectories from test views', () => {
    const a = demoDataset({ seed: 3, trainPerTrajectory: 10, test: 6 });
    const b = demoDataset({ seed: 3, trainPerTrajectory: 10, test: 6 });
    const c = demoDataset({ seed: 4, trainPerTrajectory: 10, test: 6 });
    expect(a.train).toHaveLength(30);
    expect(a.test).toHaveLength(6);
    expect(a.frames.map((f) => Array.from(f.pose.t))).toEqual(b.frames.map((f) => Array.from(f.pose.t)));
    expect(a.frames[a.test[0]!]!.pose.t).not.toEqual(c.frames[c.test[0]!]!.pose.t);
    for (const f of a.frames) {
      assertRotation(f.pose.R, f.name);
      const [x, y, z] = f.pose.t;
      expect(Math.abs(x!)).toBeLessThan(4);
      expect(Math.abs(z!)).toBeLessThan(4);
      expect(y!).toBeLessThan(1.5); // above the floor (y down)
    }
  });

  it('puts test views off the training trajectories', () => {
    const d = demoDataset({ trainPerTrajectory: 40, test: 30 });
    for (const i of d.test) {
      const t = d.frames[i]!.pose.t;
      const nearest = Math.min(...d.train.map((j) => Math.hypot(...[0, 1, 2].map((k) => t[k]! - d.frames[j]!.pose.t[k]!))));
      expect(nearest).toBeGreaterThanOrEqual(0.25);
    }
  });

  it('rejects impossible sizes', () => {
    expect(() => demoDataset({ test: 0 })).toThrow(/test must be a positive integer, got 0/);
  });

  it('renders views that show the room (real rasterizer, SwiftShader here)', async () => {
    const d = demoDataset({ width: 40, height: 30, trainPerTrajectory: 1, test: 1 });
    const r = await createRasterizer();
    const scene = await r.loadScene(await demoScene(0));
    const idx = [...d.train, ...d.test];
    const out = await r.render(scene, {
      viewmats: viewmatsFromPoses(idx.map((i) => d.frames[i]!.pose)),
      Ks: Float32Array.from(idx.flatMap((i) => Array.from(d.frames[i]!.K))),
      width: 40,
      height: 30,
    });
    const rgba = await out.readRgba();
    for (let v = 0; v < idx.length; v++) {
      let covered = 0;
      for (let p = 0; p < 40 * 30; p++) if (rgba[(v * 1200 + p) * 4 + 3]! > 0.5) covered++;
      expect(covered / 1200, `view ${idx[v]}`).toBeGreaterThan(0.5);
    }
    out.destroy();
    r.destroy();
  });
});
