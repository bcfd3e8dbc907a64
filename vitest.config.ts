import { defineConfig } from 'vitest/config';
import { chooseVulkanDriver } from './packages/raster-wgpu/src/webgpu-node.ts';

// Worker threads cannot change the Vulkan loader's environment, so pick the driver
// (SwiftShader on GPU-less machines) here, before any test process or worker starts.
chooseVulkanDriver();

// WebGPU runs on SwiftShader on machines without a GPU: kernels are slow there, and the
// browser tests start Chromium, so timeouts are generous and files run two at a time.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'bench/test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
    pool: 'forks',
  },
});
