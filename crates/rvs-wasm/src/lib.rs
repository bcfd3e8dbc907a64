//! wasm-bindgen glue only: converts JS arguments, calls the kernel crates, returns
//! promises. Numbers are checked in the kernel crates, not here. The COLMAP binary readers
//! (`rvs-colmap`) ride along for `@rvs/core`, so the fuzzed parser is the one that ships.

mod colmap;
mod convert;
mod gpu;
mod image;
mod render;
mod scene;

pub use colmap::{WasmColmapCameras, WasmColmapImages, WasmColmapPoints};
pub use gpu::RvsGpu;
pub use image::WasmBatch;
pub use render::WasmRender;
pub use scene::WasmScene;

#[wasm_bindgen::prelude::wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}
