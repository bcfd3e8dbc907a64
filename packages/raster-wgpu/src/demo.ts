import { loadWasm } from './init.ts';

/**
 * The embedded demo scene as PLY bytes: a procedural room of ~50k Gaussians (SH degree 1),
 * deterministic per seed, no download. World axes are y down (floor at y = +1.5), the
 * room spans x, z ∈ [-4, 4].
 */
export async function demoScene(seed = 0): Promise<Uint8Array> {
  const wasm = await loadWasm();
  return wasm.demoScenePly(seed);
}
