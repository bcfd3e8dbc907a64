use std::rc::Rc;

use std::cell::OnceCell;

use rvs_gpu::{read_buffer, storage_buffer, storage_buffer_init, BufferPool, BufferUse, Frame, GpuContext};
use rvs_raster::{CameraBatch, GpuScene, RasterMode, RasterPipelines, RenderSettings};
use rvs_sort::RadixSorter;
use wasm_bindgen::prelude::*;

use crate::convert::js_error;
use crate::{WasmRender, WasmScene};

/// One WebGPU device with the rvs kernels compiled for it.
#[wasm_bindgen]
pub struct RvsGpu {
    ctx: GpuContext,
    sorter: Rc<RadixSorter>,
    // Compiled on first render: apps that only sort never pay for them.
    raster: OnceCell<Rc<RasterPipelines>>,
    // Scratch and image buffers reused across calls (creating big buffers is slow).
    pool: Rc<BufferPool>,
    // Resize/normalise pipelines, compiled on the first batch and shared by all batches.
    image: OnceCell<Rc<rvs_image::ResizePipelines>>,
}

impl RvsGpu {
    /// For other glue modules (image kernels, …) that run on the same device.
    pub(crate) fn ctx(&self) -> &GpuContext {
        &self.ctx
    }

    pub(crate) fn pool(&self) -> Rc<BufferPool> {
        self.pool.clone()
    }

    pub(crate) fn image_pipelines(&self) -> Rc<rvs_image::ResizePipelines> {
        self.image.get_or_init(|| Rc::new(rvs_image::ResizePipelines::new(&self.ctx))).clone()
    }
}

/// Idle bytes the pool may keep: a few batches' worth, bounded by what the device can bind.
fn pool_cap(ctx: &GpuContext) -> u64 {
    (ctx.max_binding_bytes() * 4).min(6 << 30)
}

#[wasm_bindgen]
impl RvsGpu {
    /// Takes the adapter `navigator.gpu` offers (the JS side points that at an existing
    /// device when the caller brings one).
    pub async fn create() -> Result<RvsGpu, JsError> {
        let ctx = GpuContext::request().await.map_err(js_error)?;
        let sorter = Rc::new(RadixSorter::for_context(&ctx));
        let pool = Rc::new(BufferPool::new(&ctx.device, pool_cap(&ctx)));
        Ok(RvsGpu { ctx, sorter, raster: OnceCell::new(), pool, image: OnceCell::new() })
    }

    /// The `GPUDevice` the kernels run on, so JS can share it.
    #[wasm_bindgen(getter)]
    pub fn device(&self) -> JsValue {
        self.ctx.device.as_webgpu().map(|d| JsValue::from(d.clone())).unwrap_or(JsValue::NULL)
    }

    /// Largest storage binding in bytes.
    #[wasm_bindgen(getter, js_name = maxBindingBytes)]
    pub fn max_binding_bytes(&self) -> f64 {
        self.ctx.max_binding_bytes() as f64
    }

    /// Stable sort of `keys` [n] with `values` [n] by the low `key_bits` bits of each key, on the GPU.
    /// Resolves to `[sortedKeys, sortedValues]` (two `Uint32Array`s).
    #[wasm_bindgen(js_name = sortPairs)]
    pub fn sort_pairs(&self, keys: Vec<u32>, values: Vec<u32>, key_bits: u32) -> Result<js_sys::Promise, JsError> {
        if keys.len() != values.len() {
            return Err(JsError::new(&format!(
                "sortPairs: keys has {} entries but values has {}; they must match",
                keys.len(),
                values.len()
            )));
        }
        if !(1..=32).contains(&key_bits) {
            return Err(JsError::new(&format!("sortPairs: keyBits must be 1..=32, got {key_bits}")));
        }
        let n = u32::try_from(keys.len()).map_err(|_| JsError::new("sortPairs: more than 2^32 keys"))?;
        let bytes = u64::from(n) * 4;
        self.ctx.check_binding("sortPairs keys", bytes).map_err(js_error)?;
        let ctx = self.ctx.clone();
        let sorter = self.sorter.clone();
        let pool = self.pool.clone();
        Ok(wasm_bindgen_futures::future_to_promise(async move {
            let device = &ctx.device;
            let k = storage_buffer_init(device, "sort keys", &keys);
            let v = storage_buffer_init(device, "sort values", &values);
            let k_alt = storage_buffer(device, "sort keys alt", bytes, BufferUse::Transfer);
            let v_alt = storage_buffer(device, "sort values alt", bytes, BufferUse::Transfer);
            let mut encoder = device.create_command_encoder(&Default::default());
            let frame = Frame::new(device, &pool);
            let sorted = sorter.encode(&frame, &mut encoder, &k, &v, &k_alt, &v_alt, n, key_bits);
            frame.flush(&ctx.queue);
            ctx.queue.submit([encoder.finish()]);
            frame.finish();
            let out_k = read_buffer(device, &ctx.queue, &sorted.keys, 0, bytes).await.map_err(js_error)?;
            let out_v = read_buffer(device, &ctx.queue, &sorted.values, 0, bytes).await.map_err(js_error)?;
            for b in [k, v, k_alt, v_alt] {
                b.destroy();
            }
            let out = js_sys::Array::new();
            out.push(&js_sys::Uint32Array::from(bytemuck::cast_slice::<u8, u32>(&out_k)));
            out.push(&js_sys::Uint32Array::from(bytemuck::cast_slice::<u8, u32>(&out_v)));
            Ok(out.into())
        }))
    }

    /// Parses a .ply (INRIA 3DGS layout) or antimatter15 .splat file and uploads it.
    #[wasm_bindgen(js_name = loadScene)]
    pub fn load_scene(&self, bytes: &[u8]) -> Result<WasmScene, JsError> {
        let splats = rvs_splat::detect_and_parse(bytes).map_err(js_error)?;
        let scene = GpuScene::upload(&self.ctx, &splats).map_err(js_error)?;
        Ok(WasmScene { inner: Rc::new(scene) })
    }

    /// Renders C cameras in one batch. Bad arguments throw at once; the promise
    /// resolves to a `WasmRender` whose images stay on the GPU until read.
    #[allow(clippy::too_many_arguments)]
    pub fn render(
        &self,
        scene: &WasmScene,
        viewmats: Vec<f32>,
        ks: Vec<f32>,
        width: u32,
        height: u32,
        sh_degree: Option<u32>,
        background: Vec<f32>,
        mode: &str,
        profile: bool,
    ) -> Result<js_sys::Promise, JsError> {
        let cameras = CameraBatch::new(&viewmats, &ks).map_err(js_error)?;
        let mode = match mode {
            "classic" => RasterMode::Classic,
            "antialiased" => RasterMode::Antialiased,
            other => return Err(JsError::new(&format!("mode must be \"classic\" or \"antialiased\", got \"{other}\""))),
        };
        let background: [f32; 3] = background
            .try_into()
            .map_err(|b: Vec<f32>| JsError::new(&format!("background must have 3 numbers (r, g, b), got {}", b.len())))?;
        let settings = RenderSettings { width, height, sh_degree, background, mode, profile };
        let ctx = self.ctx.clone();
        let pipes = self.raster.get_or_init(|| Rc::new(RasterPipelines::new(&ctx))).clone();
        let scene = scene.inner.clone();
        let pool = self.pool.clone();
        Ok(wasm_bindgen_futures::future_to_promise(async move {
            let out = rvs_raster::render(&ctx, &pipes, &pool, &scene, &cameras, &settings).await.map_err(js_error)?;
            Ok(WasmRender::new(out, ctx, pool).into())
        }))
    }

    /// GPU bytes held idle for reuse by later calls.
    #[wasm_bindgen(getter, js_name = pooledBytes)]
    pub fn pooled_bytes(&self) -> f64 {
        self.pool.idle_bytes() as f64
    }

    /// Frees the idle buffers kept for reuse.
    #[wasm_bindgen(js_name = releasePool)]
    pub fn release_pool(&self) {
        self.pool.clear();
    }
}
