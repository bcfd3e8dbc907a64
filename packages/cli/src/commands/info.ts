import { createGpu } from '@rvs/raster-wgpu';
import type { Command } from '../command.ts';

export const info: Command = {
  name: 'info',
  summary: 'Show the WebGPU adapter, limits and features rvs will run on',
  usage: 'rvs-cli info [--json]',
  needsGpu: true,
  options: {},
  async run(_args, out) {
    const gpu = await createGpu();
    const { adapterInfo, limits, features } = gpu.device;
    const report = {
      adapter: {
        vendor: adapterInfo.vendor,
        architecture: adapterInfo.architecture,
        device: adapterInfo.device,
        description: adapterInfo.description,
      },
      features: [...features].sort(),
      limits: {
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
        maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      },
    };
    gpu.destroy();
    out.result(report, () => {
      const a = report.adapter;
      return [
        `adapter   ${[a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' / ')}`,
        `features  ${report.features.join(', ') || '(none)'}`,
        ...Object.entries(report.limits).map(([k, v]) => `limit     ${k} = ${v}`),
      ].join('\n');
    });
  },
};
