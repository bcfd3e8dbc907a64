//! wasm-bindgen glue only: converts JS arguments, calls the kernel crates, returns
//! promises. Numbers are checked in the kernel crates, not here.

mod convert;
mod gpu;
mod image;
mod render;
mod scene;

pub use gpu::RvsGpu;
pub use image::WasmBatch;
pub use render::WasmRender;
pub use scene::WasmScene;

#[wasm_bindgen::prelude::wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}
