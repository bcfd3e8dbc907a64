use std::rc::Rc;

use rvs_gpu::{read_buffer, GpuContext};
use rvs_raster::RenderOutput;
use wasm_bindgen::prelude::*;

use crate::convert::js_error;

/// Views rendered by one `render` call, still on the GPU.
#[wasm_bindgen]
pub struct WasmRender {
    pub(crate) out: Rc<RenderOutput>,
    pub(crate) ctx: GpuContext,
}

fn read_f32(ctx: GpuContext, buffer: wgpu::Buffer, bytes: u64) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        let data = read_buffer(&ctx.device, &ctx.queue, &buffer, 0, bytes).await.map_err(js_error)?;
        Ok(js_sys::Float32Array::from(bytemuck::cast_slice::<u8, f32>(&data)).into())
    })
}

#[wasm_bindgen]
impl WasmRender {
    #[wasm_bindgen(getter)]
    pub fn cameras(&self) -> u32 {
        self.out.cameras
    }

    #[wasm_bindgen(getter)]
    pub fn width(&self) -> u32 {
        self.out.width
    }

    #[wasm_bindgen(getter)]
    pub fn height(&self) -> u32 {
        self.out.height
    }

    /// Sub-batches the cameras were split into to fit the device's limits.
    #[wasm_bindgen(getter)]
    pub fn chunks(&self) -> u32 {
        self.out.stats.chunks
    }

    #[wasm_bindgen(getter)]
    pub fn intersections(&self) -> f64 {
        self.out.stats.intersections as f64
    }

    /// `GPUBuffer` holding rgba [C, H, W, 4] f32.
    #[wasm_bindgen(getter, js_name = rgbaBuffer)]
    pub fn rgba_buffer(&self) -> JsValue {
        self.out.rgba.as_webgpu().map(|b| JsValue::from(b.clone())).unwrap_or(JsValue::NULL)
    }

    /// `GPUBuffer` holding expected depth [C, H, W] f32.
    #[wasm_bindgen(getter, js_name = depthBuffer)]
    pub fn depth_buffer(&self) -> JsValue {
        self.out.depth.as_webgpu().map(|b| JsValue::from(b.clone())).unwrap_or(JsValue::NULL)
    }

    /// GPU milliseconds per pipeline stage/pass (`{label, ms, passes}[]`); empty unless
    /// rendered with `profile` on a device with timestamp queries.
    #[wasm_bindgen(getter, js_name = stageTimes)]
    pub fn stage_times(&self) -> js_sys::Array {
        self.out
            .stage_times
            .iter()
            .map(|t| {
                let o = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&o, &"label".into(), &t.label.as_str().into());
                let _ = js_sys::Reflect::set(&o, &"ms".into(), &t.ms.into());
                let _ = js_sys::Reflect::set(&o, &"passes".into(), &t.passes.into());
                JsValue::from(o)
            })
            .collect()
    }

    /// Resolves to a Float32Array of C·H·W·4 (RGBA, rows top-down).
    #[wasm_bindgen(js_name = readRgba)]
    pub fn read_rgba(&self) -> js_sys::Promise {
        read_f32(self.ctx.clone(), self.out.rgba.clone(), self.out.pixels() * 16)
    }

    /// Resolves to a Float32Array of C·H·W expected depths (0 where nothing was hit).
    #[wasm_bindgen(js_name = readDepth)]
    pub fn read_depth(&self) -> js_sys::Promise {
        read_f32(self.ctx.clone(), self.out.depth.clone(), self.out.pixels() * 4)
    }

    pub fn destroy(&self) {
        self.out.destroy();
    }
}
