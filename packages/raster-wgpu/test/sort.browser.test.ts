import { describe, expect, it } from 'vitest';
import { cpuSort, firstMismatch, makePairs, withChromiumPage } from '@rvs/testing';

const fixtures = new URL('../../testing/src/fixtures/', import.meta.url).pathname;

describe('GPU radix sort in headless Chromium (WebGPU)', () => {
  it('sorts in the page and in a module Worker over Comlink', async () => {
    const n = 20_000;
    const bits = 24;
    const { keys, values } = makePairs(n, bits, 3);
    const want = cpuSort(keys, values, bits);
    await withChromiumPage(
      { page: `${fixtures}sort-page.ts`, 'sort.worker': `${fixtures}sort.worker.ts` },
      async ({ page, errors }) => {
        const run = (where: 'rvsPage' | 'rvsWorker') =>
          page.evaluate(
            async ([where, k, v, b]) => {
              const api = (globalThis as Record<string, any>)[where];
              const out = await api.sort(Uint32Array.from(k), Uint32Array.from(v), b);
              return { adapter: String(await api.adapter()), keys: Array.from(out.keys as Uint32Array), values: Array.from(out.values as Uint32Array) };
            },
            [where, Array.from(keys), Array.from(values), bits] as const,
          );
        for (const where of ['rvsPage', 'rvsWorker'] as const) {
          const got = await run(where);
          expect(got.adapter.length, `${where} adapter`).toBeGreaterThan(0);
          expect(firstMismatch(got.keys, want.keys)).toBeUndefined();
          expect(firstMismatch(got.values, want.values)).toBeUndefined();
        }
        expect(errors, errors.join('\n')).toEqual([]);
      },
    );
  });
});
