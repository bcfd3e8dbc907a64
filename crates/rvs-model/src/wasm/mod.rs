//! JS API. The model runs on the GPUDevice `navigator.gpu` hands out at creation; @rvs/model
//! points it at the rasterizer's device so rendered batches reach the model by a GPU copy into
//! an `InputSlot` (a Burn tensor's own buffer), never through the CPU.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use burn::tensor::{Device, Tensor};
use js_sys::{Float32Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::captured::{CapturedStep, gpu_range};
use crate::config::ModelConfig;
use crate::trainer::{Trainer, TrainerConfig, read};

mod captured_step;
mod runtime;

use runtime::{burn_device, use_gpu};

unsafe extern "C" {
    /// Runs static constructors (crates registering plugins with `inventory`), synthesised by wasm-ld.
    fn __wasm_call_ctors();
}

/// Runs the constructors once, at instantiation. Without a reference to `__wasm_call_ctors`,
/// wasm-ld links a "command" module and wraps *every export* in a constructor call, so each of
/// the thousands of JS→WASM calls per training step re-ran every registration (this made a step
/// 25 s on an H100). Referencing it here makes wasm-ld leave the exports alone.
#[wasm_bindgen(start)]
fn run_constructors_once() {
    // SAFETY: called exactly once, by wasm-bindgen's start hook, before any other export runs.
    unsafe { __wasm_call_ctors() }
}

thread_local! {
    /// The next trainer's id (ids start at 1; `runtime::GPU_USER` uses 0 for no trainer).
    static NEXT_TRAINER_ID: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
}

fn js_err(message: String) -> JsError {
    JsError::new(&message)
}

/// A fresh [B, 3, H, W] f32 tensor on the model's device and the GPUBuffer range holding it.
#[wasm_bindgen]
pub struct InputSlot {
    /// [B, 3, H, W] normalised, or [B, H, W, 4] RGBA in [0, 1] when `rgba`.
    tensor: Tensor<4>,
    rgba: bool,
    buffer: JsValue,
    offset: f64,
    bytes: f64,
}

#[wasm_bindgen]
impl InputSlot {
    #[wasm_bindgen(getter)]
    pub fn buffer(&self) -> JsValue {
        self.buffer.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn offset(&self) -> f64 {
        self.offset
    }
    #[wasm_bindgen(getter)]
    pub fn bytes(&self) -> f64 {
        self.bytes
    }
    #[wasm_bindgen(getter)]
    pub fn batch(&self) -> usize {
        self.tensor.dims()[0]
    }
}

impl InputSlot {
    fn model_input(&self) -> Tensor<4> {
        if self.rgba { crate::preprocess::rgba_to_input(self.tensor.clone()) } else { self.tensor.clone() }
    }
}

/// The tensor shape of `batch` images of `height`×`width` in `layout` ("nchw": [B, 3, H, W];
/// "rgba": [B, H, W, 4]) and whether it is RGBA; `what` names the caller in errors.
fn input_shape(what: &str, batch: usize, height: usize, width: usize, layout: &str) -> Result<([usize; 4], bool), JsError> {
    if batch == 0 || height == 0 || width == 0 {
        return Err(js_err(format!("{what} of {batch} images of {width}×{height}: every size must be positive")));
    }
    match layout {
        "nchw" => Ok(([batch, 3, height, width], false)),
        "rgba" => Ok(([batch, height, width, 4], true)),
        other => Err(js_err(format!("input layout must be \"nchw\" or \"rgba\", got {other:?}"))),
    }
}

fn input_slot(device: &Device, shape: [usize; 4], rgba: bool) -> Result<InputSlot, JsError> {
    let tensor = Tensor::<4>::zeros(shape, device);
    let range = gpu_range(&tensor).map_err(|e| js_err(format!("input slot: {e}")))?;
    Ok(InputSlot { tensor, rgba, buffer: range.buffer, offset: range.offset, bytes: range.bytes })
}

/// The fused-kernel switch is one per WASM instance; each trainer sets it to its own config
/// before it records GPU work.
fn use_kernels_of(trainer: &Trainer) {
    crate::kernels::set_enabled(trainer.config.fused_kernels);
    crate::kernels::set_subgroup_matrices_wanted(trainer.config.subgroup_matrices);
}

#[wasm_bindgen]
pub struct PoseTrainer {
    inner: Rc<RefCell<Trainer>>,
    /// Unique within this WASM instance (see `GPU_USER`).
    id: u64,
    /// The held inputs and graph of captured steps (`stepInputs`, `capturedStep`); dropped by
    /// every other call that runs or allocates on the GPU.
    captured: RefCell<Option<CapturedStep>>,
}

fn poses_tensor(device: &Device, poses: &[f32], batch: usize) -> Result<Tensor<3>, JsError> {
    if poses.len() != batch * 12 {
        return Err(js_err(format!("{} pose values for {batch} images (expected 12 each: 3×4 camera-to-world)", poses.len())));
    }
    if let Some(i) = poses.iter().position(|v| !v.is_finite()) {
        return Err(js_err(format!("pose value {i} (image {}) is {}", i / 12, poses[i])));
    }
    Ok(Tensor::<1>::from_floats(poses, device).reshape([batch, 3, 4]))
}

impl PoseTrainer {
    /// Drops the recorded step (what the caller is about to run or allocate may be memory the
    /// graph uses) and marks this trainer as the GPU's user. Every call that runs or allocates
    /// on the GPU starts with it; `save` only reads.
    fn leave_captured(&self) {
        self.captured.replace(None);
        use_gpu(self.id);
    }
}

#[wasm_bindgen]
impl PoseTrainer {
    /// `config`: JSON of TrainerConfig (camelCase; missing fields take defaults).
    pub async fn create(config: String) -> Result<PoseTrainer, JsError> {
        let config: TrainerConfig = serde_json::from_str(&config).map_err(|e| js_err(format!("trainer config: {e}")))?;
        let device = burn_device().await?;
        use_gpu(0);
        let trainer = Trainer::new(config, device.autodiff()).map_err(js_err)?;
        let id = NEXT_TRAINER_ID.with(|n| n.replace(n.get() + 1));
        Ok(PoseTrainer { inner: Rc::new(RefCell::new(trainer)), id, captured: RefCell::new(None) })
    }

    #[wasm_bindgen(js_name = parameterCount)]
    pub fn parameter_count(&self) -> f64 {
        self.inner.borrow().parameter_count() as f64
    }

    #[wasm_bindgen(js_name = configJson)]
    pub fn config_json(&self) -> String {
        serde_json::to_string(&self.inner.borrow().config).expect("config serialises")
    }

    /// A buffer range for `batch` images of `height`×`width`: layout "nchw" (normalised, as
    /// `ImageBatch` writes it) or "rgba" ([B, H, W, 4] in [0, 1], as the rasterizer renders).
    #[wasm_bindgen(js_name = inputSlot)]
    pub fn input_slot(&self, batch: usize, height: usize, width: usize, layout: &str) -> Result<InputSlot, JsError> {
        self.leave_captured();
        let (shape, rgba) = input_shape("input slot", batch, height, width, layout)?;
        let device = self.inner.borrow().device.clone().inner();
        input_slot(&device, shape, rgba)
    }

    /// Forward + backward on the images in `slot`; resolves to [loss, mean translation error,
    /// mean rotation error (Frobenius)].
    pub fn accumulate(&self, slot: &InputSlot, poses: Vec<f32>, weight: f64) -> Result<js_sys::Promise, JsError> {
        self.leave_captured();
        let terms = {
            let mut trainer = self.inner.borrow_mut();
            use_kernels_of(&trainer);
            let poses = poses_tensor(&trainer.device.clone().inner(), &poses, slot.batch())?;
            trainer.accumulate(slot.model_input(), poses, weight).map_err(js_err)?
        };
        Ok(future_to_promise(async move {
            let values = read(Tensor::cat(vec![terms.total, terms.translation, terms.rotation], 0)).await.map_err(|e| JsValue::from(JsError::new(&e)))?;
            Ok(Float32Array::from(values.as_slice()).into())
        }))
    }

    pub fn apply(&self, lr: f64) -> Result<(), JsError> {
        self.leave_captured();
        let mut trainer = self.inner.borrow_mut();
        use_kernels_of(&trainer);
        trainer.apply(lr).map_err(js_err)
    }

    /// Resolves to B×12 camera-to-world values (row-major 3×4), inference mode.
    pub fn predict(&self, slot: &InputSlot) -> Result<js_sys::Promise, JsError> {
        self.leave_captured();
        let trainer = self.inner.borrow();
        use_kernels_of(&trainer);
        let poses = trainer.predict(slot.model_input()).map_err(js_err)?;
        Ok(future_to_promise(async move {
            let n = poses.dims().iter().product::<usize>();
            let values = read(poses.reshape([n])).await.map_err(|e| JsValue::from(JsError::new(&e)))?;
            Ok(Float32Array::from(values.as_slice()).into())
        }))
    }

    /// Resolves to the parameter count of the inference model pruned to `keep` of each encoder
    /// layer's heads and feed-forward units; `predict` uses it until the weights change.
    pub fn prune(&self, keep: f64) -> js_sys::Promise {
        self.leave_captured();
        let inner = self.inner.clone();
        future_to_promise(async move {
            // The trainer is only read here; JS awaits this before stepping again.
            let trainer = inner.borrow();
            use_kernels_of(&trainer);
            let count = trainer.prune(keep).await.map_err(|e| JsValue::from(JsError::new(&e)))?;
            Ok(JsValue::from_f64(count as f64))
        })
    }

    /// "f16" or "f32": the precision of the inference model's convolution and linear weights
    /// from now on (see `Trainer::set_half_inference_weights`).
    #[wasm_bindgen(js_name = setInferenceWeights)]
    pub fn set_inference_weights(&self, precision: &str) -> Result<(), JsError> {
        self.leave_captured();
        let half = match precision {
            "f16" => true,
            "f32" => false,
            other => return Err(js_err(format!("inference weights must be \"f16\" or \"f32\", got \"{other}\""))),
        };
        let mut trainer = self.inner.borrow_mut();
        use_kernels_of(&trainer);
        trainer.set_half_inference_weights(half).map_err(js_err)
    }

    /// Bytes the inference model's parameters take on the GPU (building it if needed).
    #[wasm_bindgen(js_name = inferenceWeightBytes)]
    pub fn inference_weight_bytes(&self) -> f64 {
        self.leave_captured();
        let trainer = self.inner.borrow();
        use_kernels_of(&trainer);
        trainer.inference_weight_bytes() as f64
    }

    /// Resolves to the checkpoint as safetensors bytes; `metadata` (JSON object of strings) is
    /// stored alongside (epoch, schedule, RNG state).
    pub fn save(&self, metadata: String) -> Result<js_sys::Promise, JsError> {
        let extra: BTreeMap<String, String> = serde_json::from_str(&metadata).map_err(|e| js_err(format!("checkpoint metadata: {e}")))?;
        let inner = self.inner.clone();
        Ok(future_to_promise(async move {
            // The trainer is only read here; JS awaits this before stepping again.
            let trainer = inner.borrow();
            let bytes = trainer.save(extra).await.map_err(|e| JsValue::from(JsError::new(&e)))?;
            Ok(Uint8Array::from(bytes.as_slice()).into())
        }))
    }

    /// Restores a checkpoint; returns its metadata as JSON.
    pub fn load(&self, bytes: &[u8]) -> Result<String, JsError> {
        self.leave_captured();
        let metadata = self.inner.borrow_mut().load(bytes).map_err(js_err)?;
        Ok(serde_json::to_string(&metadata).expect("metadata serialises"))
    }

    /// Loads torchvision EfficientNet-B0 weights (safetensors); returns how many tensors.
    #[wasm_bindgen(js_name = loadTorchvision)]
    pub fn load_torchvision(&self, bytes: &[u8]) -> Result<usize, JsError> {
        self.leave_captured();
        self.inner.borrow_mut().load_torchvision(bytes).map_err(js_err)
    }
}

/// Parameter count of a model config without building it on a GPU (for docs and `--help`).
#[wasm_bindgen(js_name = modelPresets)]
pub fn model_presets() -> String {
    serde_json::json!({"full": ModelConfig::full(), "edge": ModelConfig::edge()}).to_string()
}
