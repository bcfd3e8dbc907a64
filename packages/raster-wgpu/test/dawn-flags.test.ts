import { describe, expect, it } from 'vitest';
import { dawnFlagsWith } from '../src/webgpu-node.ts';

describe('dawnFlagsWith', () => {
  it('turns robustness off by default, next to flags of other keys', () => {
    expect(dawnFlagsWith(['disable-dawn-features=timestamp_quantization'], false)).toEqual([
      'disable-dawn-features=timestamp_quantization',
      'enable-dawn-features=disable_robustness',
    ]);
  });

  it('merges repeated feature lists into one entry (Dawn keeps only the last)', () => {
    expect(dawnFlagsWith(['enable-dawn-features=allow_unsafe_apis', 'backend=vulkan', 'enable-dawn-features=skip_validation,allow_unsafe_apis'], false)).toEqual([
      'backend=vulkan',
      'enable-dawn-features=allow_unsafe_apis,skip_validation,disable_robustness',
    ]);
  });

  it('adds the experimental toggles (subgroup matrices, f16 on NVIDIA) when asked, once each', () => {
    expect(dawnFlagsWith(['enable-dawn-features=allow_unsafe_apis'], false, true)).toEqual([
      'enable-dawn-features=allow_unsafe_apis,vulkan_enable_f16_on_nvidia,disable_robustness',
    ]);
    expect(dawnFlagsWith([], true, true)).toEqual(['enable-dawn-features=allow_unsafe_apis,vulkan_enable_f16_on_nvidia']);
  });

  it('keeps robustness when asked, and does not repeat a given disable_robustness', () => {
    expect(dawnFlagsWith([], true)).toEqual([]);
    expect(dawnFlagsWith(['enable-dawn-features=disable_robustness'], false)).toEqual(['enable-dawn-features=disable_robustness']);
  });
});
