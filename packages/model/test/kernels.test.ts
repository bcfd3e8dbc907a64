// The hand-written WGSL kernels (fused attention forward/backward, one-pass Adam) against
// Burn's composed operations on the same inputs, on the rasterizer's device (SwiftShader
// where there is no GPU), and a training step that takes each path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoseModel, verifyFusedKernels } from '@rvs/model';
import { createRasterizer, hasF16SubgroupMatrices, type Rasterizer } from '@rvs/raster-wgpu';

let r: Rasterizer;

beforeAll(async () => {
  r = await createRasterizer();
}, 120_000);

afterAll(() => r?.destroy());

describe('fused WGSL kernels', () => {
  it('match Burn\'s composed attention, depthwise and pointwise convolutions, layer norm, row and column sums (outputs and gradients) and Adam', async () => {
    const checks = await verifyFusedKernels(r.device);
    const names = checks.map((c) => c.name);
    expect(names.filter((n) => n.startsWith('attention'))).toHaveLength(16);
    expect(names.filter((n) => n.startsWith('Adam'))).toHaveLength(9);
    expect(names.filter((n) => n.startsWith('depthwise'))).toHaveLength(9);
    expect(names.filter((n) => n.startsWith('rows'))).toHaveLength(15);
    expect(names.filter((n) => n.startsWith('bias'))).toHaveLength(9);
    expect(names.filter((n) => n.startsWith('pointwise'))).toHaveLength(12);
    expect(names.filter((n) => n.startsWith('layer norm'))).toHaveLength(6);
    // Inference weights halved to f16: the round trip against the CPU's rounding, and the
    // kernels that read them (1×1, depthwise 3×3 and 5×5; the linear layer on matrix units).
    expect(names.filter((n) => n.startsWith('f16 weights: halved'))).toHaveLength(1);
    expect(names.filter((n) => /^f16 weights: (pointwise|depthwise)/.test(n))).toHaveLength(3);
    // Subgroup matrices (tensor cores) only where the device has them: not SwiftShader, so
    // these checks run on GPUs (bench:train runs them first); here they must be absent.
    const subgroupMatrices = hasF16SubgroupMatrices(r.device);
    expect(names.filter((n) => n.startsWith('linear on subgroup matrices'))).toHaveLength(subgroupMatrices ? 9 : 0);
    expect(names.filter((n) => n.startsWith('f16 weights: linear on subgroup matrices'))).toHaveLength(subgroupMatrices ? 1 : 0);
    // Tolerances (f32 in Rust): 2e-5 for the f32 kernels, 4e-3 for f16 products (the linear
    // layers and, for heads of 64, the key and value gradients on subgroup matrices).
    // The f16 round trip must be exact up to subnormals flushed to zero (1e-7 of the largest).
    const f16 = (name: string) => /^(f16 weights: )?linear on subgroup matrices/.test(name) || (subgroupMatrices && /heads of 64.*qkv gradient/.test(name));
    const tolerance = (name: string) => (name.startsWith('f16 weights: halved') ? 1e-7 : f16(name) ? 4e-3 : 2e-5);
    for (const c of checks) expect(Math.fround(c.tolerance), c.name).toBe(Math.fround(tolerance(c.name)));
    for (const c of checks) {
      // Inputs are N(0, 1); a wrong row, head or tile gives differences of the values' own size.
      expect(c.maxMagnitude, c.name).toBeGreaterThan(0.05);
      expect(c.maxDifference, c.name).toBeLessThan(c.tolerance * Math.max(1, c.maxMagnitude));
    }
  });
});
