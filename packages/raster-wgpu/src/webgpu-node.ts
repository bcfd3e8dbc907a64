// Node has no WebGPU of its own: this wires Google's Dawn (npm `webgpu`) into the globals
// wgpu's WASM backend expects. Browsers and workers never reach this module's body.

import { existsSync, readdirSync } from 'node:fs';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface NodeWebGpuOptions {
  /** Dawn flags, e.g. `disable-dawn-features=timestamp_quantization` for kernel timings.
   *  Default: `RVS_DAWN_FLAGS` (space-separated). */
  dawnFlags?: string[];
  /** Keep Dawn's robustness transform (a bounds clamp on every buffer access). Default false,
   *  or `RVS_DAWN_ROBUSTNESS=1`: in Node every shader is ours or Burn's, which stay in bounds
   *  (cubecl launches checked kernels), and the clamps made a training step 3.6× and inference
   *  10× slower on an H100. Browsers keep robustness unless started with
   *  `--enable-dawn-features=disable_robustness`. */
  robustness?: boolean;
  /** Let Dawn offer its experimental GPU features: subgroup matrices (the matrix units, e.g.
   *  tensor cores, which the model's linear layers use) behind `allow_unsafe_apis`, and
   *  `shader-f16` on NVIDIA (`vulkan_enable_f16_on_nvidia`; Dawn keeps it off there by default
   *  for conformance failures outside what rvs uses, which `verifyFusedKernels` checks).
   *  Default true, or `RVS_DAWN_EXPERIMENTAL=0` to turn off. */
  experimentalFeatures?: boolean;
}

/** Dawn toggles that expose subgroup matrices and NVIDIA's f16 (see `experimentalFeatures`). */
const EXPERIMENTAL_TOGGLES = ['allow_unsafe_apis', 'vulkan_enable_f16_on_nvidia'];

/** `RVS_DAWN_FLAGS`, split on whitespace (none when unset). */
export function envDawnFlags(): string[] {
  return (process.env.RVS_DAWN_FLAGS ?? '').split(/\s+/).filter(Boolean);
}

/**
 * `flags` with `disable_robustness` added to Dawn's enabled features unless `robustness`, and
 * the experimental toggles if `experimental`; every `enable-dawn-features=` /
 * `disable-dawn-features=` entry is merged into one (Dawn keeps only the last of a repeated key).
 */
export function dawnFlagsWith(flags: readonly string[], robustness: boolean, experimental = false): string[] {
  const lists = new Map<string, string[]>();
  const rest: string[] = [];
  for (const flag of flags) {
    const m = /^(enable|disable)-dawn-features=(.*)$/.exec(flag);
    if (!m) {
      rest.push(flag);
      continue;
    }
    const key = `${m[1]}-dawn-features`;
    lists.set(key, [...(lists.get(key) ?? []), ...m[2]!.split(',').filter(Boolean)]);
  }
  const added = [...(experimental ? EXPERIMENTAL_TOGGLES : []), ...(robustness ? [] : ['disable_robustness'])];
  if (added.length > 0) lists.set('enable-dawn-features', [...(lists.get('enable-dawn-features') ?? []), ...added]);
  return [...rest, ...[...lists].map(([key, values]) => `${key}=${[...new Set(values)].join(',')}`)];
}

function hasHardwareGpu(): boolean {
  if (existsSync('/dev/nvidia0')) return true;
  try {
    return readdirSync('/dev/dri').some((f) => f.startsWith('renderD'));
  } catch {
    return false;
  }
}

/**
 * Points the Vulkan loader at SwiftShader when the machine has no GPU and the caller
 * did not choose a driver, so Node runs real WebGPU on the CPU instead of failing.
 */
export function chooseVulkanDriver(): void {
  const env = process.env;
  if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES) return;
  if (!hasHardwareGpu() && existsSync(SWIFTSHADER_ICD)) {
    env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    // SwiftShader complains on every start when this is unset.
    env.XDG_RUNTIME_DIR ??= '/tmp';
  }
}

export async function installNodeWebGpu(options: NodeWebGpuOptions = {}): Promise<GPU> {
  chooseVulkanDriver();
  let dawn: typeof import('webgpu');
  try {
    dawn = await import('webgpu');
  } catch (e) {
    throw new Error(`WebGPU is not available in this Node process: the \`webgpu\` package failed to load (${String(e)}). Run \`pnpm install\`.`);
  }
  Object.assign(globalThis, dawn.globals);
  const given = options.dawnFlags ?? envDawnFlags();
  const robustness = options.robustness ?? process.env.RVS_DAWN_ROBUSTNESS === '1';
  const experimental = options.experimentalFeatures ?? process.env.RVS_DAWN_EXPERIMENTAL !== '0';
  const gpu = dawn.create(dawnFlagsWith(given, robustness, experimental));
  // Dawn's Node binding crashes if this object is garbage-collected while a device lives.
  (globalThis as { __rvsDawnGpu?: GPU }).__rvsDawnGpu = gpu;
  const g = globalThis as { navigator?: object; WorkerGlobalScope?: unknown };
  if (!g.navigator) g.navigator = {};
  Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  // wgpu's WASM backend only looks for navigator.gpu in a Window or a worker scope.
  g.WorkerGlobalScope ??= class WorkerGlobalScope {};
  return gpu;
}
