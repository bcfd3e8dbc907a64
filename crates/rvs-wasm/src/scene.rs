use std::rc::Rc;

use rvs_raster::GpuScene;
use wasm_bindgen::prelude::*;

/// A scene uploaded to the GPU.
#[wasm_bindgen]
pub struct WasmScene {
    pub(crate) inner: Rc<GpuScene>,
}

#[wasm_bindgen]
impl WasmScene {
    #[wasm_bindgen(getter, js_name = numSplats)]
    pub fn num_splats(&self) -> u32 {
        self.inner.num_splats
    }

    #[wasm_bindgen(getter, js_name = shDegree)]
    pub fn sh_degree(&self) -> u32 {
        self.inner.sh_degree
    }

    /// Hash of the scene's content (hex), for cache keys.
    #[wasm_bindgen(getter, js_name = contentHash)]
    pub fn content_hash(&self) -> String {
        format!("{:016x}", self.inner.content_hash)
    }

    #[wasm_bindgen(getter, js_name = gpuBytes)]
    pub fn gpu_bytes(&self) -> f64 {
        self.inner.gpu_bytes() as f64
    }

    /// Frees the GPU buffers now rather than when the handle is collected.
    pub fn destroy(&self) {
        self.inner.destroy();
    }
}

/// The embedded demo scene (a procedural room, no download) as INRIA PLY bytes; the same
/// seed gives the same file everywhere. World axes: y down, floor at y = +1.5.
#[wasm_bindgen(js_name = demoScenePly)]
pub fn demo_scene_ply(seed: u32) -> Vec<u8> {
    rvs_splat::write_ply(&rvs_splat::demo_scene(u64::from(seed)))
}
