// The hand-written WGSL kernels (fused attention forward/backward, one-pass Adam) against
// Burn's composed operations on the same inputs, on the rasterizer's device (SwiftShader
// where there is no GPU), and a training step that takes each path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoseModel, verifyFusedKernels } from '@rvs/model';
import { createRasterizer, type Rasterizer } from '@rvs/raster-wgpu';

let r: Rasterizer;

beforeAll(async () => {
  r = await createRasterizer();
}, 120_000);

afterAll(() => r?.destroy());

describe('fused WGSL kernels', () => {
  it('match Burn\'s composed attention, depthwise convolution, row and column sums (outputs and gradients) and Adam', async () => {
    const checks = await verifyFusedKernels(r.device);
    const names = checks.map((c) => c.name);
    expect(names.filter((n) => n.startsWith('attention'))).toHaveLength(12);
    expect(names.filter((n) => n.startsWith('Adam'))).toHaveLength(9);
    expect(names.filter((n) => n.startsWith('depthwise'))).toHaveLength(9);
    expect(names.filter((n) => n.startsWith('rows'))).toHaveLength(15);
    expect(names.filter((n) => n.startsWith('bias'))).toHaveLength(9);
    for (const c of checks) {
      // Inputs are N(0, 1); a wrong row, head or tile gives differences of the values' own size.
      expect(c.maxMagnitude, c.name).toBeGreaterThan(0.05);
      expect(c.maxDifference, c.name).toBeLessThan(2e-5 * Math.max(1, c.maxMagnitude));
    }
  });
});
