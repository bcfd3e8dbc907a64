import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGpu, type RvsGpu } from '@rvs/raster-wgpu';
import { buildReport, createGpuTimer, createProfiler, noopProfiler, toChromeTrace } from '../src/profiler/index.ts';

// Enough work per invocation that the pass outlasts timestamp quantization on SwiftShader.
const FILL_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x >= arrayLength(&out)) { return; }
  var x = f32(id.x) * 0.001;
  for (var i = 0u; i < 2000u; i++) { x = fract(x * 1.0001 + 0.37); }
  out[id.x] = x + 1.0;
}`;

const N = 16_384;

describe('GPU timer on a real WebGPU device (Dawn)', () => {
  let gpu: RvsGpu;
  let pipeline: GPUComputePipeline;
  let bindGroup: GPUBindGroup;
  let output: GPUBuffer;
  beforeAll(async () => {
    gpu = await createGpu();
    const { device } = gpu;
    output = device.createBuffer({ size: N * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: FILL_WGSL }), entryPoint: 'main' } });
    bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: output } }] });
  });
  afterAll(() => {
    output?.destroy();
    gpu?.destroy();
  });

  const encodeFill = (encoder: GPUCommandEncoder, descriptor: GPUComputePassDescriptor) => {
    const pass = encoder.beginComputePass(descriptor);
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(N / 64);
    pass.end();
  };

  it('records GPU spans in ms for named compute passes', async () => {
    const { device } = gpu;
    expect(device.features.has('timestamp-query')).toBe(true);
    const profiler = createProfiler();
    const timer = createGpuTimer(device, profiler);
    expect(timer.available).toBe(true);
    expect(timer.reason).toBeUndefined();

    let wall = 0;
    for (let frame = 0; frame < 2; frame++) {
      const encoder = device.createCommandEncoder();
      encodeFill(encoder, timer.computePass('fill'));
      encodeFill(encoder, timer.computePass('fill-again'));
      timer.resolve(encoder);
      const t0 = performance.now();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      wall += performance.now() - t0;
      const timings = await timer.collect();
      expect(timings.map((t) => t.name)).toEqual(['fill', 'fill-again']);
    }

    const report = buildReport(profiler);
    for (const section of ['gpu:fill', 'gpu:fill-again']) {
      const stats = report.summary[section];
      expect(stats?.count).toBe(2);
      expect(stats?.min).toBeGreaterThan(0);
      expect(Number.isFinite(stats?.max)).toBe(true);
    }
    // Nanoseconds became milliseconds: the passes cannot have taken longer than the wall time.
    const gpuTotal = (report.summary['gpu:fill']?.total ?? 0) + (report.summary['gpu:fill-again']?.total ?? 0);
    expect(gpuTotal).toBeLessThan(wall + 1);
    expect(report.device.gpu_timing).toEqual({ available: true });
    expect(report.device.adapter).toMatchObject({ vendor: expect.any(String) });
    const gpuEvents = toChromeTrace(profiler).traceEvents.filter((e) => e.cat === 'gpu');
    expect(gpuEvents).toHaveLength(4);

    // The kernel really ran (outputs are x + 1 with x in [0, 1)).
    const readback = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(output, 0, readback, 0, 16);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    for (const v of new Float32Array(readback.getMappedRange())) expect(v).toBeGreaterThanOrEqual(1);
    readback.destroy();
    timer.destroy();
  });

  it('refuses more passes than it has queries for', () => {
    const timer = createGpuTimer(gpu.device, createProfiler(), { maxPasses: 1 });
    timer.timestampWrites('a');
    expect(() => timer.timestampWrites('b')).toThrow(/more than 1 timed passes/);
    timer.destroy();
  });

  it('hands out no timestamp writes when the profiler is disabled', () => {
    const timer = createGpuTimer(gpu.device, noopProfiler);
    expect(timer.available).toBe(false);
    expect(timer.computePass('x')).toEqual({ label: 'x' });
  });
});

describe('GPU timer fallback', () => {
  it('records that GPU timing is unavailable, and why, without timestamp-query', async () => {
    // Only `features` is read on this path, so a device-shaped stand-in is enough.
    const device = { features: new Set<string>() } as unknown as GPUDevice;
    const profiler = createProfiler();
    const timer = createGpuTimer(device, profiler);
    expect(timer.available).toBe(false);
    expect(timer.reason).toMatch(/timestamp-query/);
    expect(timer.timestampWrites('pass')).toBeUndefined();
    expect(timer.computePass('pass')).toEqual({ label: 'pass' });
    const descriptor: GPURenderPassDescriptor = { colorAttachments: [] };
    expect(timer.renderPass('pass', descriptor)).toBe(descriptor);
    expect(await timer.collect()).toEqual([]);
    const report = buildReport(profiler);
    expect(report.device.gpu_timing).toEqual({ available: false, reason: expect.stringContaining("'timestamp-query'") });
    expect(Object.keys(report.summary)).toEqual([]);
  });
});
