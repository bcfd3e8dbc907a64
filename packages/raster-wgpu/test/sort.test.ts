import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuSort, firstMismatch, makePairs } from '@rvs/testing';
import { createGpu, type RvsGpu } from '../src/index.ts';

describe('GPU radix sort in Node (Dawn)', () => {
  let gpu: RvsGpu;
  beforeAll(async () => {
    gpu = await createGpu();
  });
  afterAll(() => gpu?.destroy());

  it('runs on a real WebGPU adapter', () => {
    expect(gpu.device.adapterInfo.vendor.length + gpu.device.adapterInfo.architecture.length).toBeGreaterThan(0);
    expect(gpu.maxBindingBytes).toBeGreaterThanOrEqual(128 * 1024 * 1024);
  });

  // Sizes cross the 1024-key block and the multi-level scan (16·blocks > 1024) boundaries.
  it.each([
    [1, 32],
    [1000, 32],
    [5000, 18],
    [70_001, 32],
    [200_000, 11],
  ])('sorts %i pairs by %i key bits, stably', async (n, bits) => {
    const { keys, values } = makePairs(n, bits, n);
    const want = cpuSort(keys, values, bits);
    const got = await gpu.sortPairs(keys, values, { keyBits: bits });
    expect(firstMismatch(got.keys, want.keys)).toBeUndefined();
    expect(firstMismatch(got.values, want.values)).toBeUndefined();
  });

  it('sorts only the low bits it is told to, keeping order within equal low bits', async () => {
    const keys = Uint32Array.from([0x10002, 0x00001, 0x20002, 0x30001]);
    const values = Uint32Array.from([0, 1, 2, 3]);
    const got = await gpu.sortPairs(keys, values, { keyBits: 4 });
    expect(Array.from(got.values)).toEqual([1, 3, 0, 2]);
  });

  it('handles an empty input', async () => {
    const got = await gpu.sortPairs(new Uint32Array(0), new Uint32Array(0));
    expect(got.keys.length).toBe(0);
  });

  it('rejects mismatched inputs with a message naming the problem', async () => {
    await expect(gpu.sortPairs(new Uint32Array(3), new Uint32Array(2))).rejects.toThrow(/keys has 3 entries but values has 2/);
    await expect(gpu.sortPairs(new Uint32Array(3), new Uint32Array(3), { keyBits: 0 })).rejects.toThrow(/keyBits must be 1..=32/);
  });
});
