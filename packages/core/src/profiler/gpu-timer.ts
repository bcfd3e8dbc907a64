// GPU pass timings from WebGPU timestamp queries, recorded as `gpu:<name>` spans in a profiler.
// Devices without the `timestamp-query` feature get a timer that hands out no timestamp writes
// and says why in the report's `device` section.
import type { Profiler } from './spans.ts';

export interface GpuTimerOptions {
  /** Passes that can be timed between two `resolve` calls (two timestamps each). Default 64. */
  maxPasses?: number;
}

/** One timed pass, as read back from the GPU. */
export interface GpuPassTiming {
  name: string;
  /** Milliseconds between the pass's begin and end timestamps. */
  duration: number;
}

export interface GpuTimer {
  /** True when passes are timed: the device has `timestamp-query` and the profiler is enabled. */
  readonly available: boolean;
  /** Why timing is unavailable; undefined when it is available. */
  readonly reason: string | undefined;
  /** Timestamp writes for a pass named `name`, or undefined when timing is unavailable. */
  timestampWrites(name: string): GPUComputePassTimestampWrites | undefined;
  /** A compute pass descriptor for `name`, with timestamp writes when available. */
  computePass(name: string): GPUComputePassDescriptor;
  /** A render pass descriptor: `descriptor` plus timestamp writes for `name` when available. */
  renderPass(name: string, descriptor: GPURenderPassDescriptor): GPURenderPassDescriptor;
  /** Encodes the copy of this batch's timestamps into `encoder`; call once the timed passes are encoded. */
  resolve(encoder: GPUCommandEncoder): void;
  /** After the resolving encoder is submitted: reads the timestamps back and records the spans. */
  collect(): Promise<GpuPassTiming[]>;
  /** Frees the query set and buffers; pending batches are dropped. */
  destroy(): void;
}

interface Batch {
  names: string[];
  readback: GPUBuffer;
  /** CPU clock at resolve: where the batch's spans sit on the trace's GPU track. */
  cpuStart: number;
}

const TIMESTAMP_BYTES = 8;

/**
 * Creates a GPU timer for `device` that records into `profiler`.
 *
 * Per batch: take descriptors for the passes, encode them, `resolve(encoder)`, submit, then
 * `await collect()`. Several batches may be resolved before one collect.
 *
 * Implementations may quantize timestamps (Dawn rounds them to tens of µs unless started
 * with `disable-dawn-features=timestamp_quantization`), so very short passes can read 0 ms.
 */
export function createGpuTimer(device: GPUDevice, profiler: Profiler, options: GpuTimerOptions = {}): GpuTimer {
  const reason = !profiler.enabled
    ? 'profiler disabled'
    : !device.features.has('timestamp-query')
      ? "the device lacks the 'timestamp-query' feature (the adapter does not offer it, or requestDevice did not list it in requiredFeatures)"
      : undefined;
  profiler.describeDevice({ gpu_timing: reason === undefined ? { available: true } : { available: false, reason }, ...adapterDescription(device) });
  if (reason !== undefined) return unavailableTimer(reason);

  const maxPasses = options.maxPasses ?? 64;
  if (!Number.isInteger(maxPasses) || maxPasses < 1) throw new RangeError(`createGpuTimer: maxPasses must be a positive integer, got ${maxPasses}`);
  const byteLength = maxPasses * 2 * TIMESTAMP_BYTES;
  const querySet = device.createQuerySet({ label: 'rvs-profiler-timestamps', type: 'timestamp', count: maxPasses * 2 });
  const resolveBuffer = device.createBuffer({ label: 'rvs-profiler-resolve', size: byteLength, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  // Readback buffers are reused once collected, so a steady frame loop allocates a handful at most.
  const freeReadbacks: GPUBuffer[] = [];
  const allBuffers: GPUBuffer[] = [resolveBuffer];
  let pending: string[] = [];
  let inFlight: Batch[] = [];
  let destroyed = false;

  const timestampWrites = (name: string): GPUComputePassTimestampWrites => {
    if (destroyed) throw new Error('GpuTimer: used after destroy()');
    if (pending.length >= maxPasses) throw new RangeError(`GpuTimer: more than ${maxPasses} timed passes before resolve(); raise maxPasses`);
    const slot = pending.length * 2;
    pending.push(name);
    return { querySet, beginningOfPassWriteIndex: slot, endOfPassWriteIndex: slot + 1 };
  };

  return {
    available: true,
    reason: undefined,
    timestampWrites,
    computePass: (name) => ({ label: name, timestampWrites: timestampWrites(name) }),
    renderPass: (name, descriptor) => ({ ...descriptor, timestampWrites: timestampWrites(name) }),
    resolve(encoder) {
      if (pending.length === 0 || destroyed) return;
      const count = pending.length * 2;
      let readback = freeReadbacks.pop();
      if (!readback) {
        readback = device.createBuffer({ label: 'rvs-profiler-readback', size: byteLength, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
        allBuffers.push(readback);
      }
      // The query set and resolve buffer are reused at once: queue order puts this copy before
      // any later pass overwrites them.
      encoder.resolveQuerySet(querySet, 0, count, resolveBuffer, 0);
      encoder.copyBufferToBuffer(resolveBuffer, 0, readback, 0, count * TIMESTAMP_BYTES);
      inFlight.push({ names: pending, readback, cpuStart: profiler.now() });
      pending = [];
    },
    async collect() {
      const batches = inFlight;
      inFlight = [];
      const timings: GpuPassTiming[] = [];
      for (const batch of batches) {
        try {
          await batch.readback.mapAsync(GPUMapMode.READ, 0, batch.names.length * 2 * TIMESTAMP_BYTES);
        } catch (e) {
          // destroy() during the wait aborts the mapping; that batch is dropped, as documented.
          if (destroyed) return timings;
          throw e;
        }
        if (destroyed) return timings;
        const stamps = new BigUint64Array(batch.readback.getMappedRange(0, batch.names.length * 2 * TIMESTAMP_BYTES).slice(0));
        batch.readback.unmap();
        freeReadbacks.push(batch.readback);
        const first = stamps[0] ?? 0n;
        batch.names.forEach((name, i) => {
          const begin = stamps[2 * i] ?? 0n;
          const end = stamps[2 * i + 1] ?? 0n;
          // Timestamps may be reordered or reset across power states (spec allows it): skip those.
          if (end < begin) return;
          const duration = Number(end - begin) / 1e6;
          timings.push({ name, duration });
          profiler.recordGpuSpan(name, batch.cpuStart + Number(begin - first) / 1e6, duration);
        });
      }
      return timings;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      querySet.destroy();
      for (const buffer of allBuffers) buffer.destroy();
    },
  };
}

function unavailableTimer(reason: string): GpuTimer {
  return {
    available: false,
    reason,
    timestampWrites: () => undefined,
    computePass: (name) => ({ label: name }),
    renderPass: (_name, descriptor) => descriptor,
    resolve: () => {},
    collect: async () => [],
    destroy: () => {},
  };
}

/** The adapter's description, where this WebGPU implementation exposes `device.adapterInfo`. */
function adapterDescription(device: GPUDevice): { adapter?: { vendor: string; architecture: string; device: string; description: string } } {
  const info = (device as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  if (!info) return {};
  return { adapter: { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description } };
}
