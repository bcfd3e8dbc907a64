// Model and optimiser settings, as the Rust side reads them (camelCase JSON).

/** Network shape; see `MODEL_PRESETS`. */
export interface ModelConfig {
  /** EfficientNet channel multiplier (1 = B0). */
  widthMult: number;
  /** EfficientNet blocks-per-stage multiplier (1 = B0). */
  depthMult: number;
  dModel: number;
  dFf: number;
  heads: number;
  layers: number;
  headHidden: number;
  /** Largest feature-map side the learned position embeddings cover (input/8 for rotation). */
  maxPositions: number;
}

export interface AdamConfig {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** AdamW (decoupled weight decay). */
  decoupled: boolean;
}

export interface TrainerConfig {
  model: ModelConfig;
  adam: AdamConfig;
  /** RAP's loss weights (log-variances); default −3 and −6.5. */
  sx: number;
  sq: number;
  learnLossWeights: boolean;
  /** Use running batch-norm statistics and fixed γ/β (fine-tuning from ImageNet weights). */
  freezeBatchNorm: boolean;
  /** Recompute element-wise activations in the backward pass instead of keeping them: less GPU
   *  memory per image (the full model's batch 24 in one pass fits an 80 GB card), same gradients. */
  gradientCheckpointing: boolean;
  /** On WebGPU, run attention, Adam, the depthwise and 1×1 convolutions' weight gradients and
   *  long row and column sums as rvs's hand-written WGSL kernels (default) instead of Burn's composed
   *  operations: same results (`verifyFusedKernels`), no [tokens, tokens] attention matrices in
   *  memory, far fewer kernel launches per step. */
  fusedKernels: boolean;
  /** With `fusedKernels`, run the transformers' linear layers and, for heads of 64, the
   *  attention's backward pass on the GPU's matrix units (tensor cores: f16 products, f32 sums)
   *  where the device has WebGPU subgroup matrices (`hasF16SubgroupMatrices`; default true,
   *  ignored elsewhere). */
  subgroupMatrices: boolean;
  seed: number;
}

export type ModelPreset = 'full' | 'edge';

/** `full`: RAP's network (EfficientNet-B0 to 112 channels, 2 × 6-layer d=256 transformers).
 *  `edge`: half width, a third of the blocks, 2-layer d=64 transformers, for live training. */
export const MODEL_PRESETS: Readonly<Record<ModelPreset, ModelConfig>> = {
  full: { widthMult: 1, depthMult: 1, dModel: 256, dFf: 256, heads: 4, layers: 6, headHidden: 1024, maxPositions: 64 },
  edge: { widthMult: 0.5, depthMult: 0.34, dModel: 64, dFf: 128, heads: 4, layers: 2, headHidden: 256, maxPositions: 64 },
};

export const DEFAULT_ADAM: AdamConfig = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, decoupled: false };

export interface TrainerConfigInput {
  preset?: ModelPreset;
  model?: Partial<ModelConfig>;
  adam?: Partial<AdamConfig>;
  sx?: number;
  sq?: number;
  learnLossWeights?: boolean;
  freezeBatchNorm?: boolean;
  gradientCheckpointing?: boolean;
  fusedKernels?: boolean;
  subgroupMatrices?: boolean;
  seed?: number;
}

export function resolveTrainerConfig(input: TrainerConfigInput = {}): TrainerConfig {
  const preset = input.preset ?? 'full';
  const base = MODEL_PRESETS[preset];
  if (!base) throw new RangeError(`model preset must be 'full' or 'edge', got '${String(preset)}'`);
  const config: TrainerConfig = {
    model: { ...base, ...input.model },
    adam: { ...DEFAULT_ADAM, ...input.adam },
    sx: input.sx ?? -3,
    sq: input.sq ?? -6.5,
    learnLossWeights: input.learnLossWeights ?? false,
    freezeBatchNorm: input.freezeBatchNorm ?? false,
    gradientCheckpointing: input.gradientCheckpointing ?? false,
    fusedKernels: input.fusedKernels ?? true,
    subgroupMatrices: input.subgroupMatrices ?? true,
    seed: input.seed ?? 0,
  };
  for (const [name, v] of Object.entries({ sx: config.sx, sq: config.sq, seed: config.seed })) {
    if (!Number.isFinite(v)) throw new RangeError(`trainer config: ${name} must be a finite number, got ${v}`);
  }
  if (!Number.isInteger(config.seed) || config.seed < 0) throw new RangeError(`trainer config: seed must be a non-negative integer, got ${config.seed}`);
  return config;
}
