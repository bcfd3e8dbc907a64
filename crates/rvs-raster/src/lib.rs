//! Batched 3DGS rasterization with gsplat's semantics: every camera of a batch goes
//! through one chain of dispatches (project → depth sort → tile intersections →
//! (camera, tile) sort → tile ranges → blend). See `render.rs`, top to bottom.

mod camera;
mod error;
mod output;
mod pipelines;
mod render;
mod scene_gpu;
mod uniforms;

pub use camera::CameraBatch;
pub use error::RasterError;
pub use output::{RenderOutput, RenderStats};
pub use pipelines::RasterPipelines;
pub use render::{render, RasterMode, RenderSettings};
pub use scene_gpu::GpuScene;
