// Host-side latencies of the WebGPU implementation (not our kernels): how long an empty
// queue takes to report done, a 4-byte readback, and creating + first use of big buffers.
import { installNodeWebGpu } from '@rvs/raster-wgpu/node';
import { median } from './lib/args.ts';

const gpu = await installNodeWebGpu();
const adapter = (await gpu.requestAdapter({ powerPreference: 'high-performance' }))!;
const device = await adapter.requestDevice({ requiredLimits: { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize, maxBufferSize: adapter.limits.maxBufferSize } });
const time = async (n: number, f: () => Promise<void>) => {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    xs.push(performance.now() - t);
  }
  return median(xs);
};
const small = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
const result: Record<string, number> = {};
result.emptyDoneMs = await time(20, () => device.queue.onSubmittedWorkDone());
result.readback4BytesMs = await time(20, async () => {
  const s = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const e = device.createCommandEncoder();
  e.copyBufferToBuffer(small, 0, s, 0, 16);
  device.queue.submit([e.finish()]);
  await s.mapAsync(GPUMapMode.READ);
  s.destroy();
});
for (const mb of [64, 512]) {
  result[`createUseDestroy${mb}MBms`] = await time(5, async () => {
    const b = device.createBuffer({ size: mb << 20, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    const e = device.createCommandEncoder();
    e.clearBuffer(b, 0, 256);
    device.queue.submit([e.finish()]);
    await device.queue.onSubmittedWorkDone();
    b.destroy();
  });
}
result.createBindGroups100Ms = await time(5, async () => {
  for (let i = 0; i < 100; i++) device.createBuffer({ size: 64, usage: GPUBufferUsage.UNIFORM, mappedAtCreation: true }).unmap();
});
console.log(`latency: ${Object.entries(result).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}`);
process.exit(0);
