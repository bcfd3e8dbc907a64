// Pose maths and RVS sampling (convention in types.ts). Internal modules import files directly.
export type { Mat3, Mat4, NumArray, Pose, Quat, Vec3 } from './types.ts';
export { assertRotation, orthonormalize, orthonormalityError, ROTATION_TOLERANCE } from './validate.ts';
export {
  composePoses,
  identityPose,
  invertPose,
  makePose,
  mat4ToPose,
  poseFromViewmat,
  poseToMat4,
  transformPoint,
  viewmatFromPose,
  viewmatsFromPoses,
} from './se3.ts';
export { matToQuat, quatToMat } from './quaternion.ts';
export { eulerToMat, matToEuler } from './euler.ts';
export { matToRot6d, rot6dToMat } from './rot6d.ts';
export { poseError, rotationErrorDeg, translationError } from './metrics.ts';
export {
  DATASET_ROTATION_TOLERANCE,
  poseFrom7Scenes,
  poseFromCambridge,
  poseFromColmap,
  poseFromOpenGL,
  poseToCambridge,
  poseToColmap,
  poseToOpenGL,
} from './conventions.ts';
export { lookAt } from './look-at.ts';
export { boxCenter, cameraBounds, clampToBox, estimateUp, planeBasis } from './bounds.ts';
export type { Box3 } from './bounds.ts';
export { createRng } from './prng.ts';
export type { Rng } from './prng.ts';
export { createPoseSampler } from './sampler.ts';
export type { PoseSampler, PoseSamplerOptions, SampledPoses, SampleMode, ValidityCheck } from './sampler.ts';
export { coverageCheck, coverageFraction, makeRenderValidity, sharpnessScore } from './validity.ts';
export type { CoverageOptions, RenderValidityOptions, RgbaImage } from './validity.ts';
