import { describe, expect, it } from 'vitest';
import {
  createPoseSampler,
  createRng,
  estimateUp,
  eulerToMat,
  makePose,
  rotationErrorDeg,
  type Pose,
} from '../src/pose/index.ts';

const I3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-12): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThan(tol);
}

function ring(n: number): Pose[] {
  // Cameras on a circle in the xz plane (y down = world up is −y), yawed a little each.
  return Array.from({ length: n }, (_, i) => makePose(eulerToMat([0, 0.3 * i, 0]), [Math.cos(i), 0, Math.sin(i)]));
}

function rtMul(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  // a · bᵀ
  const out: number[] = [];
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out.push([0, 1, 2].reduce((s, k) => s + (a[3 * r + k] as number) * (b[3 * c + k] as number), 0));
  return out;
}

describe('createRng', () => {
  it('is reproducible, seed-dependent and uniform', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 10_000 }, () => a.next());
    expect(Array.from({ length: 10_000 }, () => b.next())).toEqual(xs);
    expect(createRng(43).next()).not.toBe(xs[0]);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
  });
});

describe('createPoseSampler', () => {
  it('gives the same poses for the same seed and different ones otherwise', async () => {
    const train = ring(8);
    const a = await createPoseSampler(train, { seed: 7, margin: 10 }).sample();
    const b = await createPoseSampler(train, { seed: 7, margin: 10 }).sample();
    const c = await createPoseSampler(train, { seed: 8, margin: 10 }).sample();
    expect(a.poses.map((p) => Array.from(p.t))).toEqual(b.poses.map((p) => Array.from(p.t)));
    expect(a.poses.map((p) => Array.from(p.R))).toEqual(b.poses.map((p) => Array.from(p.R)));
    expect(c.poses[0]?.t).not.toEqual(a.poses[0]?.t);
    // The stream continues: a second batch differs from the first.
    const s = createPoseSampler(train, { seed: 7, margin: 10 });
    await s.sample();
    expect((await s.sample()).poses[0]?.t).not.toEqual(a.poses[0]?.t);
  });

  it('perturbs each training pose within ±rotDeg per angle and ±trans per axis', async () => {
    const train = ring(5);
    const { poses, sources, accepted, failed } = await createPoseSampler(train, { rotDeg: 10, trans: 0.3, margin: 100, count: 500, seed: 1 }).sample();
    expect(failed).toBe(0);
    expect(accepted.every(Boolean)).toBe(true);
    let maxOffset = 0;
    let maxAngle = 0;
    poses.forEach((p, i) => {
      expect(sources[i]).toBe(i % 5);
      const src = train[i % 5] as Pose;
      for (let k = 0; k < 3; k++) {
        const d = Math.abs((p.t[k] as number) - (src.t[k] as number));
        expect(d).toBeLessThanOrEqual(0.3);
        maxOffset = Math.max(maxOffset, d);
      }
      const angle = rotationErrorDeg(p.R, src.R);
      expect(angle).toBeLessThanOrEqual(30); // three angles of at most 10° each
      maxAngle = Math.max(maxAngle, angle);
    });
    expect(maxOffset).toBeGreaterThan(0.27); // the range is actually used
    expect(maxAngle).toBeGreaterThan(10);
  });

  it('clamps positions to the grown box of the training cameras', async () => {
    // Cameras at x = 0 and x = 1 on the x axis: the box is flat in y and z.
    const train = [makePose(I3, [0, 0, 0]), makePose(I3, [1, 0, 0])];
    const { poses } = await createPoseSampler(train, { trans: 2, count: 100, seed: 3 }).sample();
    for (const p of poses) {
      expect(p.t[1]).toBe(0);
      expect(p.t[2]).toBe(0);
      expect(p.t[0]).toBeGreaterThanOrEqual(0);
      expect(p.t[0]).toBeLessThanOrEqual(1);
    }
    const grown = createPoseSampler(train, { margin: 0.5 });
    expect(Array.from(grown.bounds.min)).toEqual([-0.5, -0.5, -0.5]);
    expect(Array.from(grown.bounds.max)).toEqual([1.5, 0.5, 0.5]);
  });

  it('stays in the ground plane and only yaws about up', async () => {
    const train = ring(6);
    const sampler = createPoseSampler(train, { groundPlane: true, rotDeg: 20, trans: 0.5, margin: 10, count: 60, seed: 5 });
    expectClose(sampler.up, [0, -1, 0]);
    const { poses, sources } = await sampler.sample();
    poses.forEach((p, i) => {
      const src = train[sources[i] as number] as Pose;
      expect(Math.abs((p.t[1] as number) - (src.t[1] as number))).toBeLessThan(1e-12);
      // ΔR = R'·Rᵀ leaves the up axis fixed.
      const d = rtMul(p.R, src.R);
      expect(Math.abs((d[4] as number) - 1)).toBeLessThan(1e-12);
      expect(rotationErrorDeg(p.R, src.R)).toBeLessThanOrEqual(20 + 1e-9);
    });
  });

  it('estimates up from the cameras', () => {
    expectClose(estimateUp([makePose(I3, [0, 0, 0])]), [0, -1, 0]);
    // Rx(90°): the camera's y (down) axis is world +z, so up is −z.
    const tilted = makePose(eulerToMat([Math.PI / 2, 0, 0]), [0, 0, 0]);
    expectClose(estimateUp([tilted]), [0, 0, -1]);
  });

  it('retries rejected candidates and falls back to the source pose', async () => {
    const train = ring(4);
    const seen: number[] = [];
    let round = 0;
    const firstRoundFails = await createPoseSampler(train, {
      seed: 2,
      margin: 5,
      validate: async (c) => {
        seen.push(c.length);
        round++;
        return c.map(() => round > 1);
      },
    }).sample();
    expect(seen).toEqual([4, 4]);
    expect(firstRoundFails.failed).toBe(0);
    expect(firstRoundFails.candidates).toBe(8);

    // Accept only candidates left of x = 0: the others are retried until maxAttempts.
    const calls: number[] = [];
    const picky = await createPoseSampler(train, {
      seed: 2,
      margin: 5,
      trans: 1,
      maxAttempts: 3,
      validate: async (c) => {
        calls.push(c.length);
        return c.map((p) => (p.t[0] as number) < 0);
      },
    }).sample();
    expect(calls[0]).toBe(4);
    expect(calls.length).toBeLessThanOrEqual(3);
    picky.poses.forEach((p, i) => {
      if (picky.accepted[i]) expect(p.t[0]).toBeLessThan(0);
      else expect(Array.from(p.t)).toEqual(Array.from((train[picky.sources[i] as number] as Pose).t));
    });
    expect(picky.failed).toBe(picky.accepted.filter((a) => !a).length);

    const never = await createPoseSampler(train, { maxAttempts: 3, validate: async (c) => c.map(() => false) }).sample();
    expect(never.failed).toBe(4);
    expect(never.candidates).toBe(12);
    never.poses.forEach((p, i) => expect(Array.from(p.R)).toEqual(Array.from((train[i] as Pose).R)));
  });

  it('samples the box with the nearest camera rotation, and the sphere looking at its centre', async () => {
    const train = ring(8);
    const box = createPoseSampler(train, { mode: 'box', rotDeg: 0, margin: 0.2, count: 50, seed: 4 });
    const b = await box.sample();
    b.poses.forEach((p, i) => {
      for (let k = 0; k < 3; k++) {
        expect(p.t[k]).toBeGreaterThanOrEqual(box.bounds.min[k] as number);
        expect(p.t[k]).toBeLessThanOrEqual(box.bounds.max[k] as number);
      }
      const src = train[b.sources[i] as number] as Pose;
      const dSrc = Math.hypot(...[0, 1, 2].map((k) => (p.t[k] as number) - (src.t[k] as number)));
      for (const q of train) expect(dSrc).toBeLessThanOrEqual(Math.hypot(...[0, 1, 2].map((k) => (p.t[k] as number) - (q.t[k] as number))) + 1e-12);
      expectClose(p.R, src.R);
    });

    const sphere = await createPoseSampler(train, { mode: 'sphere', rotDeg: 0, sphere: { center: [1, 2, 3], radius: 4 }, count: 50, seed: 4 }).sample();
    for (const p of sphere.poses) {
      const d = [0, 1, 2].map((k) => [1, 2, 3][k]! - (p.t[k] as number));
      expect(Math.hypot(...d)).toBeCloseTo(4, 12);
      // Camera z axis (third column) points at the centre.
      for (let k = 0; k < 3; k++) expect(p.R[3 * k + 2]).toBeCloseTo((d[k] as number) / 4, 12);
    }
  });

  it('rejects bad options by name', () => {
    expect(() => createPoseSampler([], {})).toThrow(/no training poses/);
    expect(() => createPoseSampler(ring(2), { rotDeg: -1 })).toThrow(/rotDeg must be a finite number ≥ 0, got -1/);
    expect(() => createPoseSampler(ring(2), { maxAttempts: 0 })).toThrow(/maxAttempts must be an integer ≥ 1, got 0/);
    expect(() => createPoseSampler(ring(2), { up: [0, 0, 0] })).toThrow(/up is the zero vector/);
  });

  it('reports a check that answers the wrong number of verdicts', async () => {
    const s = createPoseSampler(ring(3), { validate: async () => [true] });
    await expect(s.sample()).rejects.toThrow(/validate returned 1 verdicts for 3 candidates/);
  });
});
