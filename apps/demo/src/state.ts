// What the page has done so far, on `window.__rvsDemo`: the end-to-end test polls it, and it is
// handy in the devtools console.
import type { EvalRecord } from '@rvs/model';

export interface DemoState {
  /** `ready` once WebGPU and the rasterizer are up; `busy` while a scene loads and renders. */
  phase: 'starting' | 'ready' | 'busy' | 'failed';
  /** The WebGPU adapter, as the device reports it. */
  adapter: string;
  scene: { name: string; splats: number; shDegree: number } | undefined;
  /** Scenes loaded and rendered so far. */
  sceneLoads: number;
  /** Views of the last batched render, how many of them are not blank, and each one's RGB variance. */
  rendersDone: number;
  nonBlankRenders: number;
  renderVariances: number[];
  /** Wall time of the last batched render including read-back (ms). */
  renderMs: number;
  /** RVS sets taken from the refresh worker (for the current scene), and the last one's views. */
  rvsRefreshes: number;
  rvsViews: number;
  rvsNonBlank: number;
  rvsRendered: number;
  rvsMs: number;
  rvsStallMs: number;
  training: boolean;
  /** Training runs finished (successfully) so far. */
  trainRuns: number;
  /** Loss of every step of the current (or last) run. */
  losses: number[];
  evals: EvalRecord[];
  /** The last error, also shown on the page. */
  error?: string;
}

declare global {
  interface Window {
    __rvsDemo: DemoState;
  }
}

export function createState(): DemoState {
  const state: DemoState = {
    phase: 'starting', adapter: '', scene: undefined, sceneLoads: 0,
    rendersDone: 0, nonBlankRenders: 0, renderVariances: [], renderMs: 0,
    rvsRefreshes: 0, rvsViews: 0, rvsNonBlank: 0, rvsRendered: 0, rvsMs: 0, rvsStallMs: 0,
    training: false, trainRuns: 0, losses: [], evals: [],
  };
  window.__rvsDemo = state;
  return state;
}
