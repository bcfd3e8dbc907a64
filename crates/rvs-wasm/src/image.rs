use std::cell::RefCell;
use std::rc::Rc;

use rvs_gpu::{BufferPool, GpuContext};
use rvs_image::{BatchSpec, GpuBatch, ImageShape, Normalize, OutputDtype, PixelFormat, ResizePipelines};
use wasm_bindgen::prelude::*;

use crate::convert::js_error;
use crate::{RvsGpu, WasmRender};

fn rgb(name: &str, v: Vec<f32>) -> Result<[f32; 3], JsError> {
    v.try_into().map_err(|v: Vec<f32>| JsError::new(&format!("{name} must have 3 numbers (r, g, b), got {}", v.len())))
}

#[wasm_bindgen]
impl RvsGpu {
    /// A model input batch [size, 3, height, width] on this device, normalised with
    /// `mean`/`std` (RGB); `dtype` is "f32" or "f16" (needs shader-f16).
    #[wasm_bindgen(js_name = createBatch)]
    pub fn create_batch(&self, size: u32, width: u32, height: u32, mean: Vec<f32>, std: Vec<f32>, dtype: &str) -> Result<WasmBatch, JsError> {
        let dtype = match dtype {
            "f32" => OutputDtype::F32,
            "f16" => OutputDtype::F16,
            other => return Err(JsError::new(&format!("dtype must be \"f32\" or \"f16\", got \"{other}\""))),
        };
        let normalize = Normalize { mean: rgb("mean", mean)?, std: rgb("std", std)? };
        let spec = BatchSpec { size, width, height, dtype, normalize };
        let ctx = self.ctx().clone();
        let pipes = self.image_pipelines();
        let pool = self.pool();
        let batch = GpuBatch::new(&ctx, &pipes, &pool, spec).map_err(js_error)?;
        Ok(WasmBatch { batch: RefCell::new(Some(batch)), spec, ctx, pool, pipes })
    }

    /// Whether the device can write f16 batches (WebGPU feature "shader-f16").
    #[wasm_bindgen(getter, js_name = supportsF16)]
    pub fn supports_f16(&self) -> bool {
        self.ctx().features.contains(wgpu::Features::SHADER_F16)
    }
}

/// A model input batch on the GPU, NCHW [size, 3, height, width]; filled by resizing and
/// normalising renders or RGBA8 images into chosen image slots.
#[wasm_bindgen]
pub struct WasmBatch {
    batch: RefCell<Option<GpuBatch>>,
    // Copied out so getters still answer after `destroy`.
    spec: BatchSpec,
    ctx: GpuContext,
    pool: Rc<BufferPool>,
    pipes: Rc<ResizePipelines>,
}

impl WasmBatch {
    fn with_batch<T>(&self, what: &str, f: impl FnOnce(&GpuBatch) -> Result<T, JsError>) -> Result<T, JsError> {
        match self.batch.borrow().as_ref() {
            Some(b) => f(b),
            None => Err(JsError::new(&format!("{what}: this batch was destroyed"))),
        }
    }
}

#[wasm_bindgen]
impl WasmBatch {
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> u32 {
        self.spec.size
    }

    #[wasm_bindgen(getter)]
    pub fn width(&self) -> u32 {
        self.spec.width
    }

    #[wasm_bindgen(getter)]
    pub fn height(&self) -> u32 {
        self.spec.height
    }

    #[wasm_bindgen(getter)]
    pub fn dtype(&self) -> String {
        self.spec.dtype.name().to_string()
    }

    /// Bytes of the batch data at the start of `buffer` (the buffer may be larger).
    #[wasm_bindgen(getter, js_name = byteLength)]
    pub fn byte_length(&self) -> f64 {
        self.spec.bytes() as f64
    }

    /// The `GPUBuffer` holding the batch (valid until `destroy`).
    #[wasm_bindgen(getter)]
    pub fn buffer(&self) -> Result<JsValue, JsError> {
        self.with_batch("buffer", |b| Ok(b.buffer.as_webgpu().map(|b| JsValue::from(b.clone())).unwrap_or(JsValue::NULL)))
    }

    /// Resizes + normalises every view of `render` into images `first..first + cameras`.
    #[wasm_bindgen(js_name = writeRenders)]
    pub fn write_renders(&self, render: &WasmRender, first: u32) -> Result<(), JsError> {
        self.with_batch("writeRenders", |b| {
            render.with_output(|o| {
                let src = ImageShape { format: PixelFormat::RgbaF32, count: o.cameras, width: o.width, height: o.height };
                b.write(&self.ctx, &self.pipes, &self.pool, &o.rgba, &src, first)
            })?
            .map_err(|e| JsError::new(&format!("writeRenders: {e}")))
        })
    }

    /// Uploads RGBA8 images (count·height·width·4 bytes, rows top-down) and resizes +
    /// normalises them into images `first..first + count`.
    #[wasm_bindgen(js_name = writeImages)]
    pub fn write_images(&self, rgba8: &[u8], width: u32, height: u32, first: u32) -> Result<(), JsError> {
        self.with_batch("writeImages", |b| {
            b.write_rgba8(&self.ctx, &self.pipes, &self.pool, rgba8, width, height, first)
                .map_err(|e| JsError::new(&format!("writeImages: {e}")))
        })
    }

    /// Resolves to a Float32Array of size·3·height·width (f16 batches widened to f32).
    #[wasm_bindgen(js_name = readNchw)]
    pub fn read_nchw(&self) -> Result<js_sys::Promise, JsError> {
        self.with_batch("readNchw", |b| {
            let batch = GpuBatch { buffer: b.buffer.clone(), spec: b.spec };
            let ctx = self.ctx.clone();
            Ok(wasm_bindgen_futures::future_to_promise(async move {
                let data = batch.read_f32(&ctx).await.map_err(js_error)?;
                Ok(js_sys::Float32Array::from(data.as_slice()).into())
            }))
        })
    }

    /// Returns the buffer to the pool (work already submitted finishes first).
    pub fn destroy(&self) {
        if let Some(b) = self.batch.borrow_mut().take() {
            b.release(&self.pool);
        }
    }
}
