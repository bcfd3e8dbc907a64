// Public API of @rvs/model. Internal modules import each other directly, never this barrel.
export { createPoseModel } from './model.ts';
export type { AutotuneLevel, InferencePrecision, MicroBatch, ModelInput, PoseModel, PoseModelOptions, StepLoss } from './model.ts';
export { verifyFusedKernels } from './kernels.ts';
export type { KernelCheck } from './kernels.ts';
export { DEFAULT_ADAM, MODEL_PRESETS, resolveTrainerConfig } from './config.ts';
export type { AdamConfig, ModelConfig, ModelPreset, TrainerConfig, TrainerConfigInput } from './config.ts';
export { trainPoseRegressor } from './train/loop.ts';
export type { EvalRecord, ImageSource, RefreshRecord, RvsOptions, StepRecord, TrainEvent, TrainHistory, TrainOptions, TrainResult } from './train/types.ts';
export { median, poseErrors, summarizeErrors } from './metrics.ts';
export type { EvalSummary, PoseErrors } from './metrics.ts';
export { denormalizePose, fitNormalizer, normalizePose } from './normalize.ts';
export type { TranslationNormalizer } from './normalize.ts';
export { initialPlateau, stepPlateau } from './schedule.ts';
export type { PlateauOptions, PlateauState } from './schedule.ts';
export { checkpointConfig, evaluatePoseRegressor, runStateOf } from './train/evaluate-run.ts';
export { scaledKs } from './train/views.ts';
export type { EvaluateOptions } from './train/evaluate-run.ts';
