import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { wrapWorker } from '@rvs/core/worker';
import { cpuSort, firstMismatch, makePairs } from '@rvs/testing';
import type { SortApi } from '../../testing/src/fixtures/sort-api.ts';

describe('GPU radix sort in a Node worker_threads worker over Comlink', () => {
  const worker = new Worker(new URL('../../testing/src/fixtures/ts-worker.mjs', import.meta.url), {
    workerData: { rvsEntry: new URL('../../testing/src/fixtures/sort.worker.ts', import.meta.url).href },
  });
  afterAll(() => worker.terminate());

  it('returns the CPU result from the worker', async () => {
    const api = await wrapWorker<SortApi>(worker);
    expect((await api.adapter()).length).toBeGreaterThan(0);
    const { keys, values } = makePairs(30_000, 20, 7);
    const want = cpuSort(keys, values, 20);
    const got = await api.sort(keys, values, 20);
    expect(firstMismatch(got.keys, want.keys)).toBeUndefined();
    expect(firstMismatch(got.values, want.values)).toBeUndefined();
  });
});
