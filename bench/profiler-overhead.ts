// Overhead of the disabled profiler on a training-step-like workload (no test asserts timings:
// shared CI cores are too noisy). Run: npx tsx bench/profiler-overhead.ts
import { createProfiler, type Profiler } from '@rvs/core';

const STAGES_PER_STEP = 12;
const STEPS = 400;
const ROUNDS = 15;
const data = new Float32Array(4096).map((_, i) => Math.sin(i));

/** ~20–40 µs of float work, a deliberately small stand-in for one traced stage (real ones are ms). */
function stage(seed: number): number {
  let acc = seed;
  for (let r = 0; r < 4; r++) for (let i = 0; i < data.length; i++) acc = acc * 0.999 + (data[i] ?? 0) * 1.0001;
  return acc;
}

function plainStep(seed: number): number {
  let acc = seed;
  for (let s = 0; s < STAGES_PER_STEP; s++) acc = stage(acc);
  return acc;
}

function tracedStep(p: Profiler, seed: number): number {
  return p.span('step', () => {
    let acc = seed;
    for (let s = 0; s < STAGES_PER_STEP; s++) acc = p.span('stage', () => stage(acc));
    p.count('views', 16);
    return acc;
  });
}

function time(run: () => number): number {
  const t0 = performance.now();
  let sink = 0;
  for (let i = 0; i < STEPS; i++) sink += run();
  if (sink === 42.4242) console.log(sink); // keep the work observable
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
const off = createProfiler({ enabled: false });
const on = createProfiler();
const plain: number[] = [];
const disabled: number[] = [];
const enabled: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  // Interleaved, so drift and frequency changes hit every variant alike.
  plain.push(time(() => plainStep(round)));
  disabled.push(time(() => tracedStep(off, round)));
  enabled.push(time(() => tracedStep(on, round)));
  on.reset();
}

// The per-call cost in isolation: an empty span, disabled.
const calls = 5_000_000;
let t0 = performance.now();
let sink = 0;
for (let i = 0; i < calls; i++) sink += off.span('x', () => i);
const perCallNs = ((performance.now() - t0) / calls) * 1e6;
t0 = performance.now();
for (let i = 0; i < calls; i++) sink += ((f: () => number) => f())(() => i);
const bareNs = ((performance.now() - t0) / calls) * 1e6;
if (sink === 0.5) console.log(sink);

const base = median(plain);
const pct = (ms: number) => `${(((ms - base) / base) * 100).toFixed(2)} %`;
console.log(`workload: ${STEPS} steps × (1 + ${STAGES_PER_STEP}) spans + 1 counter, median of ${ROUNDS} rounds`);
console.log(`plain     ${base.toFixed(1)} ms (${((base / STEPS / STAGES_PER_STEP) * 1000).toFixed(1)} µs per span)`);
console.log(`disabled  ${median(disabled).toFixed(1)} ms  overhead ${pct(median(disabled))}`);
console.log(`enabled   ${median(enabled).toFixed(1)} ms  overhead ${pct(median(enabled))}`);
console.log(`empty disabled span: ${perCallNs.toFixed(1)} ns per call (bare closure call ${bareNs.toFixed(1)} ns)`);
