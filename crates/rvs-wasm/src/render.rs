use std::cell::RefCell;
use std::rc::Rc;

use rvs_gpu::{read_buffer, BufferPool, GpuContext};
use rvs_raster::RenderOutput;
use wasm_bindgen::prelude::*;

use crate::convert::js_error;

/// Views rendered by one `render` call, still on the GPU.
#[wasm_bindgen]
pub struct WasmRender {
    out: RefCell<Option<RenderOutput>>,
    // Copied out so getters still answer after `destroy`.
    meta: (u32, u32, u32, u32, f64),
    ctx: GpuContext,
    pool: Rc<BufferPool>,
}

impl WasmRender {
    pub(crate) fn new(out: RenderOutput, ctx: GpuContext, pool: Rc<BufferPool>) -> Self {
        let meta = (out.cameras, out.width, out.height, out.stats.chunks, out.stats.intersections as f64);
        Self { out: RefCell::new(Some(out)), meta, ctx, pool }
    }

    /// The rendered images, for kernels that consume them on the GPU (None once destroyed).
    pub(crate) fn with_output<T>(&self, f: impl FnOnce(&RenderOutput) -> T) -> Result<T, JsError> {
        self.with_out(f)
    }

    fn with_out<T>(&self, f: impl FnOnce(&RenderOutput) -> T) -> Result<T, JsError> {
        self.out.borrow().as_ref().map(f).ok_or_else(|| JsError::new("this render was destroyed; its images are gone"))
    }
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
        self.meta.0
    }

    #[wasm_bindgen(getter)]
    pub fn width(&self) -> u32 {
        self.meta.1
    }

    #[wasm_bindgen(getter)]
    pub fn height(&self) -> u32 {
        self.meta.2
    }

    /// Sub-batches the cameras were split into to fit the device's limits.
    #[wasm_bindgen(getter)]
    pub fn chunks(&self) -> u32 {
        self.meta.3
    }

    #[wasm_bindgen(getter)]
    pub fn intersections(&self) -> f64 {
        self.meta.4
    }

    /// `GPUBuffer` holding rgba [C, H, W, 4] f32.
    #[wasm_bindgen(getter, js_name = rgbaBuffer)]
    pub fn rgba_buffer(&self) -> Result<JsValue, JsError> {
        self.with_out(|o| o.rgba.as_webgpu().map(|b| JsValue::from(b.clone())).unwrap_or(JsValue::NULL))
    }

    /// `GPUBuffer` holding expected depth [C, H, W] f32.
    #[wasm_bindgen(getter, js_name = depthBuffer)]
    pub fn depth_buffer(&self) -> Result<JsValue, JsError> {
        self.with_out(|o| o.depth.as_webgpu().map(|b| JsValue::from(b.clone())).unwrap_or(JsValue::NULL))
    }

    /// GPU milliseconds per pipeline stage/pass (`{label, ms, passes}[]`); empty unless
    /// rendered with `profile` on a device with timestamp queries.
    #[wasm_bindgen(getter, js_name = stageTimes)]
    pub fn stage_times(&self) -> Result<js_sys::Array, JsError> {
        self.with_out(|o| o
            .stage_times
            .iter()
            .map(|t| {
                let o = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&o, &"label".into(), &t.label.as_str().into());
                let _ = js_sys::Reflect::set(&o, &"ms".into(), &t.ms.into());
                let _ = js_sys::Reflect::set(&o, &"passes".into(), &t.passes.into());
                JsValue::from(o)
            })
            .collect())
    }

    /// Resolves to a Float32Array of C·H·W·4 (RGBA, rows top-down).
    #[wasm_bindgen(js_name = readRgba)]
    pub fn read_rgba(&self) -> Result<js_sys::Promise, JsError> {
        self.with_out(|o| read_f32(self.ctx.clone(), o.rgba.clone(), o.pixels() * 16))
    }

    /// Resolves to a Float32Array of C·H·W expected depths (0 where nothing was hit).
    #[wasm_bindgen(js_name = readDepth)]
    pub fn read_depth(&self) -> Result<js_sys::Promise, JsError> {
        self.with_out(|o| read_f32(self.ctx.clone(), o.depth.clone(), o.pixels() * 4))
    }

    /// Returns the image buffers to the pool for later renders (reads already started finish first:
    /// WebGPU orders the reuse after them).
    pub fn destroy(&self) {
        if let Some(out) = self.out.borrow_mut().take() {
            out.release(&self.pool);
        }
    }
}
