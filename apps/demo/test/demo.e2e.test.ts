// End to end: the demo app built with Vite, served by Vite's preview server on localhost and
// driven in headless Chromium (WebGPU on SwiftShader without a GPU). A dropped PLY and the demo
// scene render non-blank batched grids, the refresh worker delivers RVS views, and a short live
// training run lowers the loss. A missing WebGPU fails the test; nothing is skipped.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomSplats, withChromiumAt, writePly } from '@rvs/testing';
import type { DemoState } from '../src/state.ts';

const APP = fileURLToPath(new URL('..', import.meta.url));
/** SwiftShader is slow: ~30 s per training step of the edge model on two CPU cores. */
const MINUTE = 60_000;

let outDir: string;
let server: PreviewServer;
let base: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'rvs-demo-'));
  await build({ root: APP, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  server = await preview({ root: APP, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false } });
  const address = server.httpServer.address() as AddressInfo;
  base = `http://localhost:${address.port}`;
}, 2 * MINUTE);

afterAll(async () => {
  await server?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const demoState = (page: Page) => page.evaluate(() => structuredClone(window.__rvsDemo));

/** Waits until `done(state)` holds in the page, failing early (with the page's message) on an error. */
async function waitFor(page: Page, done: string, timeout: number): Promise<DemoState> {
  await page.waitForFunction(`(() => { const s = window.__rvsDemo; return !!s && (s.error !== undefined || s.phase === 'failed' || (${done})); })()`, undefined, {
    timeout,
    polling: 250,
  });
  const state = await demoState(page);
  expect(state.error, `the demo page reported: ${state.error}`).toBeUndefined();
  return state;
}

describe('demo app (Vite build, headless Chromium, WebGPU)', () => {
  it('renders batched grids, refreshes RVS views in a worker and trains with a falling loss', async () => {
    await withChromiumAt(`${base}/?autoload=0`, async ({ page, errors }) => {
      const started = await waitFor(page, "s.phase === 'ready'", MINUTE);
      expect(started.phase, 'WebGPU must start (navigator.gpu and an adapter)').toBe('ready');
      console.log(`demo: WebGPU adapter ${started.adapter}`);

      // A dropped scene: cameras on rings around its middle.
      const ply = writePly(randomSplats(2000, 1, 11));
      await page.setInputFiles('#scene-file', { name: 'random.ply', mimeType: 'application/octet-stream', buffer: Buffer.from(ply) });
      let s = await waitFor(page, "s.sceneLoads === 1 && s.phase === 'ready'", 2 * MINUTE);
      expect(s.scene).toEqual({ name: 'random.ply', splats: 2000, shDegree: 1 });
      expect(s.rendersDone).toBe(12);
      expect(s.nonBlankRenders, `RGB variances ${s.renderVariances.join(', ')}`).toBe(12);
      s = await waitFor(page, 's.rvsRefreshes >= 1', 3 * MINUTE);
      expect([s.rvsViews, s.rvsRendered, s.rvsNonBlank]).toEqual([12, 12, 12]);
      console.log(`demo: dropped PLY grid ${s.renderMs.toFixed(0)} ms; RVS set ${s.rvsMs.toFixed(0)} ms in the worker`);

      // The embedded demo room; a second RVS set was prepared while the first was shown.
      await page.click('#demo-scene');
      s = await waitFor(page, "s.sceneLoads === 2 && s.phase === 'ready'", 2 * MINUTE);
      expect(s.scene?.name).toBe('demo');
      expect(s.nonBlankRenders, `RGB variances ${s.renderVariances.join(', ')}`).toBe(12);
      s = await waitFor(page, 's.rvsRefreshes >= 1', 3 * MINUTE);
      expect([s.rvsViews, s.rvsRendered, s.rvsNonBlank]).toEqual([12, 12, 12]);
      await page.click('#rvs-next');
      s = await waitFor(page, 's.rvsRefreshes >= 2', 3 * MINUTE);
      expect([s.rvsViews, s.rvsRendered, s.rvsNonBlank]).toEqual([12, 12, 12]);
      console.log(`demo: room grid ${s.renderMs.toFixed(0)} ms; RVS set ${s.rvsMs.toFixed(0)} ms, stall ${s.rvsStallMs.toFixed(0)} ms`);

      // Live training on one fixed batch (3 training views, batch 3, real images only), so that
      // the loss of its 3 steps can only fall by learning; an evaluation after each epoch.
      await page.fill('input[name=epochs]', '3');
      await page.fill('input[name=batchSize]', '3');
      await page.fill('input[name=trainPerTrajectory]', '1');
      await page.fill('input[name=test]', '3');
      await page.uncheck('input[name=rvs]');
      await page.click('#train-start');
      const t0 = performance.now();
      s = await waitFor(page, 's.trainRuns === 1 && !s.training', 8 * MINUTE);
      console.log(`demo: training ${((performance.now() - t0) / 1000).toFixed(0)} s, losses ${s.losses.map((l) => l.toFixed(2)).join(' → ')}`);
      expect(s.losses.length).toBe(3);
      expect(s.losses.every(Number.isFinite)).toBe(true);
      expect(s.losses.at(-1)!).toBeLessThan(s.losses[0]!);
      expect(s.evals.map((e) => [e.epoch, e.count])).toEqual([[1, 3], [2, 3], [3, 3]]);
      expect(await page.locator('#loss-chart polyline').getAttribute('points')).toMatch(/^[\d.]+,[\d.]+( [\d.]+,[\d.]+){2}$/);
      expect(errors, errors.join('\n')).toEqual([]);
    });
  }, 20 * MINUTE);
});
