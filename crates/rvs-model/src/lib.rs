//! RAP-style absolute pose regressor on Burn: EfficientNet-B0 features, two transformer pose
//! branches, RAP's loss, Adam(W), safetensors checkpoints. On wasm32 it runs on WebGPU and
//! adopts the rasterizer's device (see `wasm.rs`); natively the tests run it on NdArray.

pub mod backbone;
#[cfg(target_arch = "wasm32")]
mod captured;
pub mod branch;
pub mod config;
pub mod encoder;
pub mod fold;
#[cfg(target_arch = "wasm32")]
pub mod kernels;
pub mod layers;
pub mod loss;
pub mod model;
pub mod optim;
pub mod params;
pub mod preprocess;
pub mod prune;
pub mod rotation;
pub mod safetensors;
pub mod trainer;

#[cfg(target_arch = "wasm32")]
mod wasm;
