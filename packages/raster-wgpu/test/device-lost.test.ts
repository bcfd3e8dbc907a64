// A lost GPU device gives a clear error at once, never a hang or WebGPU's generic map failure.
import { describe, expect, it, vi } from 'vitest';
import { createRasterizer } from '@rvs/raster-wgpu';
import { randomSplats, writePly } from '@rvs/testing';

const view = { viewmats: new Float32Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 4, 0, 0, 0, 1]), Ks: new Float32Array([50, 0, 20, 0, 50, 15, 0, 0, 1]), width: 40, height: 30 };

describe('device loss', () => {
  it('a render on a lost device rejects naming the loss, and later calls fail at once', async () => {
    const r = await createRasterizer();
    const scene = await r.loadScene(writePly(randomSplats(50, 0)));
    const before = await r.render(scene, view);
    r.device.destroy();
    const t = performance.now();
    await expect(r.render(scene, view)).rejects.toThrow(/render: the GPU device was lost \(destroyed/);
    await expect(before.readRgba()).rejects.toThrow(/readRgba: the GPU device was lost/);
    await expect(r.loadScene(writePly(randomSplats(5, 0)))).rejects.toThrow(/loadScene: the GPU device was lost/);
    expect(performance.now() - t).toBeLessThan(5000);
  }, 60_000);

  it('a WebGPU validation error nobody captured is reported on stderr (Node), not lost', async () => {
    const r = await createRasterizer();
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      // A storage buffer can't be mapped for reading: a validation error, uncaptured.
      r.device.createBuffer({ label: 'invalid-on-purpose', size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.MAP_READ });
      await r.device.queue.onSubmittedWorkDone();
      for (let i = 0; i < 50 && printed.mock.calls.length === 0; i++) await new Promise((done) => setTimeout(done, 20));
      expect(printed.mock.calls.flat().join(' ')).toMatch(/WebGPU error \(rvs device\):[\s\S]*invalid-on-purpose/);
    } finally {
      printed.mockRestore();
      r.destroy();
    }
  }, 60_000);
});
