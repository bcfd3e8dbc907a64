// Per-kernel GPU times of everything submitted on one device, for finding where a step goes.
import { mkdir, writeFile } from 'node:fs/promises';

// WASM code (wgpu's WebGPU backend, Burn/cubecl, our rasterizer) calls the WebGPU API
// structurally on the objects it holds, so wrapping the device's and encoders' methods reaches
// every dispatch: each compute dispatch is re-issued in a pass of its own with timestamp
// writes, and labelled by its pipeline (cubecl names pipelines after the kernel's entry point).
// Splitting passes adds a little overhead per dispatch; the figures are GPU durations, not wall
// time. Bench-only: nothing in the packages depends on this.

export interface KernelTime {
  label: string;
  dispatches: number;
  totalMs: number;
  /** Workgroup counts of the first dispatch, to tell shapes apart. */
  workgroups: string;
  /** Sizes in bytes of the buffers bound to the first dispatch, binding order. */
  buffers: string;
  /** Time per distinct set of bound buffer sizes (≈ per tensor shape), largest first. */
  byBuffers: { buffers: string; dispatches: number; totalMs: number }[];
  /** WGSL of the kernel's module, when it was created after `installKernelProfiler`. */
  source?: string | undefined;
}

export interface KernelProfile {
  /** Sum of all dispatch durations. */
  gpuMs: number;
  dispatches: number;
  kernels: KernelTime[];
}

export interface KernelProfiler {
  /** Time dispatches from now on (until `stop`). */
  start(): void;
  /** Stops timing, waits for the GPU and returns the times, largest first. */
  stop(): Promise<KernelProfile>;
}

interface PendingRead {
  buffer: GPUBuffer;
  labels: string[];
  dims: string[];
  sizes: string[];
}

const QUERIES = 4096; // WebGPU's largest query set

type Bindings = Map<number, unknown[]>;

/** Wraps `device` once; records pipeline labels and WGSL from now on. */
export function installKernelProfiler(device: GPUDevice): KernelProfiler {
  if (!device.features.has('timestamp-query')) throw new Error('kernel profiling needs the timestamp-query feature on the device');
  const pipelineLabel = new WeakMap<object, string>();
  const moduleSource = new WeakMap<object, string>();
  const labelSource = new Map<string, string>();
  const createModule = device.createShaderModule.bind(device);
  device.createShaderModule = (d: GPUShaderModuleDescriptor) => {
    const m = createModule(d);
    moduleSource.set(m, d.code);
    return m;
  };
  const remember = (p: GPUComputePipeline, d: GPUComputePipelineDescriptor) => {
    const label = d.label || d.compute.entryPoint || p.label || 'unlabelled';
    pipelineLabel.set(p, label);
    const src = moduleSource.get(d.compute.module);
    if (src && !labelSource.has(label)) labelSource.set(label, src);
  };
  const bindGroupSizes = new WeakMap<object, string>();
  const createBindGroup = device.createBindGroup.bind(device);
  device.createBindGroup = (d: GPUBindGroupDescriptor) => {
    const g = createBindGroup(d);
    const sizes = [...d.entries].map((e) => {
      const r = e.resource as GPUBufferBinding;
      return r && 'buffer' in r ? String(r.size ?? r.buffer.size - (r.offset ?? 0)) : '?';
    });
    bindGroupSizes.set(g, sizes.join(','));
    return g;
  };
  const createPipeline = device.createComputePipeline.bind(device);
  device.createComputePipeline = (d: GPUComputePipelineDescriptor) => {
    const p = createPipeline(d);
    remember(p, d);
    return p;
  };
  const createPipelineAsync = device.createComputePipelineAsync.bind(device);
  device.createComputePipelineAsync = async (d: GPUComputePipelineDescriptor) => {
    const p = await createPipelineAsync(d);
    remember(p, d);
    return p;
  };

  let active = false;
  const pending: PendingRead[] = [];
  const createEncoder = device.createCommandEncoder.bind(device);
  device.createCommandEncoder = (d?: GPUCommandEncoderDescriptor) => {
    const encoder = createEncoder(d);
    if (!active) return encoder;
    const sets: { set: GPUQuerySet; labels: string[]; dims: string[]; sizes: string[] }[] = [];
    const slot = () => {
      let last = sets[sets.length - 1];
      if (!last || last.labels.length * 2 >= QUERIES) {
        last = { set: device.createQuerySet({ type: 'timestamp', count: QUERIES }), labels: [], dims: [], sizes: [] };
        sets.push(last);
      }
      return last;
    };
    const beginPass = encoder.beginComputePass.bind(encoder);
    encoder.beginComputePass = (() => {
      let pipeline: GPUComputePipeline | undefined;
      const bindings: Bindings = new Map();
      const timed = (dims: string, dispatch: (pass: GPUComputePassEncoder) => void) => {
        const s = slot();
        const k = s.labels.length;
        const pass = beginPass({ timestampWrites: { querySet: s.set, beginningOfPassWriteIndex: 2 * k, endOfPassWriteIndex: 2 * k + 1 } });
        if (pipeline) pass.setPipeline(pipeline);
        for (const [index, args] of bindings) (pass.setBindGroup as (...a: unknown[]) => void)(index, ...args);
        dispatch(pass);
        pass.end();
        s.labels.push(pipeline ? (pipelineLabel.get(pipeline) ?? (pipeline.label || 'unlabelled')) : 'none');
        s.dims.push(dims);
        s.sizes.push([...bindings.values()].map((args) => bindGroupSizes.get(args[0] as object) ?? '?').join(' | '));
      };
      return {
        label: '',
        setPipeline(p: GPUComputePipeline) { pipeline = p; },
        setBindGroup(index: number, ...args: unknown[]) { bindings.set(index, args); },
        dispatchWorkgroups(x: number, y = 1, z = 1) { timed(`${x}×${y}×${z}`, (p) => p.dispatchWorkgroups(x, y, z)); },
        dispatchWorkgroupsIndirect(b: GPUBuffer, o: number) { timed('indirect', (p) => p.dispatchWorkgroupsIndirect(b, o)); },
        pushDebugGroup() {}, popDebugGroup() {}, insertDebugMarker() {},
        end() {},
      } as unknown as GPUComputePassEncoder;
    }) as typeof encoder.beginComputePass;
    const finish = encoder.finish.bind(encoder);
    encoder.finish = (fd?: GPUCommandBufferDescriptor) => {
      for (const s of sets) {
        const n = s.labels.length * 2;
        const resolve = device.createBuffer({ size: n * 8, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
        const read = device.createBuffer({ size: n * 8, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
        encoder.resolveQuerySet(s.set, 0, n, resolve, 0);
        encoder.copyBufferToBuffer(resolve, 0, read, 0, n * 8);
        pending.push({ buffer: read, labels: s.labels, dims: s.dims, sizes: s.sizes });
      }
      return finish(fd);
    };
    return encoder;
  };

  return {
    start() { active = true; },
    async stop() {
      active = false;
      const byLabel = new Map<string, KernelTime>();
      let gpuMs = 0;
      let dispatches = 0;
      for (const p of pending.splice(0)) {
        await p.buffer.mapAsync(GPUMapMode.READ);
        const t = new BigInt64Array(p.buffer.getMappedRange());
        p.labels.forEach((label, i) => {
          const ms = Number(t[2 * i + 1]! - t[2 * i]!) / 1e6;
          gpuMs += ms;
          dispatches++;
          const k = byLabel.get(label) ?? { label, dispatches: 0, totalMs: 0, workgroups: p.dims[i]!, buffers: p.sizes[i]!, byBuffers: [], source: labelSource.get(label) };
          k.dispatches++;
          k.totalMs += ms;
          let shape = k.byBuffers.find((b) => b.buffers === p.sizes[i]);
          if (!shape) k.byBuffers.push((shape = { buffers: p.sizes[i]!, dispatches: 0, totalMs: 0 }));
          shape.dispatches++;
          shape.totalMs += ms;
          byLabel.set(label, k);
        });
        p.buffer.unmap();
        p.buffer.destroy();
      }
      for (const k of byLabel.values()) k.byBuffers.sort((a, b) => b.totalMs - a.totalMs);
      return { gpuMs, dispatches, kernels: [...byLabel.values()].sort((a, b) => b.totalMs - a.totalMs) };
    },
  };
}

/** The kernels without their WGSL, for JSON results. */
export function kernelTimes(kernels: readonly KernelTime[]): Omit<KernelTime, 'source'>[] {
  return kernels.map(({ source: _, ...k }) => k);
}

/**
 * Prints the profile to stderr (time per kernel kind, then the slowest kernels, the six slowest
 * split by bound buffer sizes) and writes `dir`/kernels.json and the WGSL of the 20 slowest.
 */
export async function reportKernelProfile(profile: KernelProfile, wallMs: number, dir: string): Promise<void> {
  console.error(`profiled step: wall ${wallMs.toFixed(0)} ms (split passes), GPU ${profile.gpuMs.toFixed(0)} ms in ${profile.dispatches} dispatches`);
  const byKind = new Map<string, { ms: number; n: number }>();
  for (const k of profile.kernels) {
    // cubecl names a kernel `<kind>_<8 hex digits of its configuration>`.
    const kind = k.label.replace(/_[0-9a-f]{8}$/, '');
    const e = byKind.get(kind) ?? { ms: 0, n: 0 };
    e.ms += k.totalMs;
    e.n += k.dispatches;
    byKind.set(kind, e);
  }
  for (const [kind, e] of [...byKind].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.error(`  ${e.ms.toFixed(1).padStart(9)} ms ${String(e.n).padStart(6)}×  ${kind}`);
  console.error('  slowest kernels:');
  for (const [i, k] of profile.kernels.slice(0, 30).entries()) {
    console.error(`  ${k.totalMs.toFixed(1).padStart(9)} ms ${String(k.dispatches).padStart(6)}×  ${k.label} [${k.workgroups}]`);
    // Bound buffer sizes (bytes) tell the tensors of one kernel apart.
    if (i < 6) for (const b of k.byBuffers.slice(0, 4)) console.error(`             ${b.totalMs.toFixed(1).padStart(7)} ms ${String(b.dispatches).padStart(4)}×  ${b.buffers}`);
  }
  await mkdir(dir, { recursive: true });
  for (const [i, k] of profile.kernels.slice(0, 20).entries()) if (k.source) await writeFile(`${dir}/${String(i).padStart(2, '0')}-${k.label}.wgsl`, k.source);
  await writeFile(`${dir}/kernels.json`, JSON.stringify({ wallMs, ...profile, kernels: kernelTimes(profile.kernels) }, null, 1));
}
