//! Gaussian splat scenes for rvs, in pure Rust (no GPU, builds for wasm32):
//! loading (`.ply` in the INRIA layout, antimatter15's `.splat`), a procedural demo
//! scene, and a CPU reference renderer with gsplat semantics that GPU tests compare to.
//!
//! Data flow: bytes → [`detect_and_parse`] → [`Splats`] (validated) → GPU upload, or
//! → [`reference::render`] for an oracle image.

pub mod demo;
mod error;
pub mod ply;
pub mod reference;
mod scene;
pub mod sh;
mod splat_format;

pub use demo::demo_scene;
pub use error::SceneError;
pub use ply::{parse_ply, write_ply};
pub use reference::{Camera, Image, RasterMode, RenderSettings, render};
pub use scene::{MAX_LOG_SCALE, MAX_SH_DEGREE, Splats, sh_coeffs_for_degree};
pub use splat_format::{SPLAT_RECORD_BYTES, detect_and_parse, parse_splat};
