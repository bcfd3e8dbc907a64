//! Captured training steps (WebGPU). Recording a step costs ~3,500 kernel launches through
//! Burn's autodiff and fusion, cubecl and the browser's (or Dawn's) WebGPU binding: on an H100
//! host the CPU took as long as the GPU. A step of one micro-batch does the same launches on the
//! same buffers every time, so after two ordinary steps on held inputs one step is recorded as a
//! cubecl graph (pipelines and bind groups built once) and every later step replays it.
//!
//! What a replay reads and writes has to stay in the buffers it was recorded with: the inputs
//! (images, poses, Adam's settings) are held here and filled by the caller before each step; the
//! weights, Adam's moments and the batch-norm running statistics are updated in place by the
//! fused kernels (`kernels::adam_update`, `kernels::overwrite`). Anything else the trainer does
//! (an ordinary step, a prediction, loading weights) drops the graph first: memory it allocates
//! may be memory the graph uses for its intermediate results.

use burn::backend::{Backend, BackendGraph, Dispatch};
use burn::tensor::{Device, Tensor};
use burn_cubecl::cubecl::wgpu::{AutoCompiler, WgpuServer};
use burn_cubecl::{Cube, CubeBackend};
use wasm_bindgen::JsValue;

use crate::kernels::AdamSettings;
use crate::trainer::Trainer;

/// Ordinary steps on the held inputs before one is recorded: the first runs Burn's autotuning
/// and fusion search, the second allocates what the steady state allocates.
const ORDINARY_STEPS: usize = 2;

thread_local! {
    /// The device whose stream a capture was prepared on and not yet recorded or closed: one at
    /// a time (cubecl refuses a second), whichever trainer prepared it.
    static PREPARED: std::cell::RefCell<Option<Device>> = const { std::cell::RefCell::new(None) };
}

fn prepare(device: &Device) -> Result<(), String> {
    release_prepared();
    Dispatch::graph_prepare(device.as_dispatch()).map_err(|e| format!("preparing to capture a step: {e:?}"))?;
    PREPARED.with(|p| *p.borrow_mut() = Some(device.clone()));
    Ok(())
}

/// Closes a capture prepared and not recorded (its trainer gave way to other GPU work, or
/// went away), so the stream can run and prepare again.
pub fn release_prepared() {
    if let Some(device) = PREPARED.with(|p| p.borrow_mut().take()) {
        let _ = Dispatch::graph_stop_capture(device.as_dispatch());
    }
}

/// A tensor's buffer range on the WebGPU device, for the caller's copies and writes.
pub struct GpuRange {
    pub buffer: JsValue,
    pub offset: f64,
    pub bytes: f64,
}

/// The range holding `tensor` (a Burn tensor on the wgpu backend); everything Burn encoded so
/// far is submitted first, so a pending kernel never overwrites what the caller writes next.
pub fn gpu_range<const D: usize>(tensor: &Tensor<D>) -> Result<GpuRange, String> {
    let fused = tensor.clone().try_into_primitive::<Cube>().map_err(|e| format!("tensor is not on the wgpu backend: {e:?}"))?;
    let cube = fused.client.clone().resolve_tensor_float::<CubeBackend>(fused);
    let managed = cube.client.get_resource::<WgpuServer<AutoCompiler>>(cube.handle.clone()).map_err(|e| format!("tensor buffer: {e:?}"))?;
    let resource = managed.resource();
    let buffer = resource.buffer.as_webgpu().ok_or("the model is not on a WebGPU device")?;
    let bytes = (tensor.dims().iter().product::<usize>() * 4) as f64;
    cube.client.flush().map_err(|e| format!("flush: {e:?}"))?;
    Ok(GpuRange { buffer: JsValue::from(buffer.clone()), offset: resource.offset as f64, bytes })
}

/// Images [B, 3, H, W] (or [B, H, W, 4] RGBA), poses [B, 3, 4] and Adam's settings, held across
/// steps, and the graph once recorded.
pub struct CapturedStep {
    images: Tensor<4>,
    pub rgba: bool,
    pub poses: Tensor<3>,
    settings: AdamSettings,
    pub ranges: [GpuRange; 3],
    ordinary_steps: usize,
    /// The trainer's device without autodiff, where captures are driven.
    device: Device,
    graph: Option<BackendGraph<Dispatch>>,
    /// [loss, translation, rotation] of the recorded step, which every replay overwrites.
    terms: Option<Tensor<1>>,
}

impl CapturedStep {
    /// Held inputs for `images_shape` on `device`, the trainer's without autodiff (`rgba`:
    /// [B, H, W, 4]).
    pub fn new(device: &Device, images_shape: [usize; 4], rgba: bool) -> Result<Self, String> {
        let images = Tensor::<4>::zeros(images_shape, device);
        let poses = Tensor::<3>::zeros([images_shape[0], 3, 4], device);
        let settings = Tensor::<1>::zeros([8], device);
        let ranges = [gpu_range(&images)?, gpu_range(&poses)?, gpu_range(&settings)?];
        Ok(Self { images, rgba, poses, settings: AdamSettings::held(settings), ranges, ordinary_steps: 0, device: device.clone(), graph: None, terms: None })
    }

    pub fn shape(&self) -> [usize; 4] {
        self.images.dims()
    }

    pub fn is_recorded(&self) -> bool {
        self.graph.is_some()
    }

    /// What the caller writes into the settings range before the trainer's next step.
    pub fn next_settings(trainer: &Trainer, lr: f64) -> [f32; 8] {
        AdamSettings::values(&trainer.adam.config, lr, trainer.adam.state.step + 1)
    }

    /// One step (forward, backward, Adam at `lr`) on what the caller wrote into the held
    /// inputs; the settings must hold `next_settings(lr)`. Returns [loss, translation, rotation]
    /// to read.
    pub fn step(&mut self, trainer: &mut Trainer, lr: f64) -> Result<Tensor<1>, String> {
        if let Some(graph) = &self.graph {
            trainer.adam.state.step += 1;
            trainer.weights_changed();
            // SAFETY: the graph's inputs and state (held here, and the trainer's weights, moments
            // and running statistics, updated in place) are alive and in the buffers it was
            // recorded with; nothing else allocated since it was recorded (every other trainer
            // call drops it first); everything runs on the one stream of this WASM instance.
            unsafe { Dispatch::graph_replay(self.device.as_dispatch(), graph) }.map_err(|e| format!("replaying the captured step: {e:?}"))?;
            return Ok(self.terms.clone().expect("a recorded step has its outputs"));
        }
        let dispatch = self.device.as_dispatch();
        if self.ordinary_steps == 0 {
            prepare(&self.device)?;
        }
        let record = self.ordinary_steps == ORDINARY_STEPS;
        if record {
            Dispatch::graph_start_capture(dispatch).map_err(|e| format!("capturing a step: {e:?}"))?;
        }
        // Everything from the held buffers on is recorded, the RGBA conversion included: work
        // queued before the window opens runs then, and its output would be read, not remade.
        let model_input = if self.rgba { crate::preprocess::rgba_to_input(self.images.clone()) } else { self.images.clone() };
        trainer.adam.held_settings = Some(self.settings.clone());
        let result = trainer.accumulate(model_input, self.poses.clone(), 1.0).and_then(|terms| trainer.apply(lr).map(|()| terms));
        trainer.adam.held_settings = None;
        let terms = result.map(|terms| Tensor::cat(vec![terms.total, terms.translation, terms.rotation], 0));
        if !record {
            self.ordinary_steps += 1;
            return terms;
        }
        // Closes the window whatever happened inside it.
        PREPARED.with(|p| p.borrow_mut().take());
        let graph = Dispatch::graph_stop_capture(dispatch).map_err(|e| format!("capturing a step: {e:?}"));
        let (terms, graph) = (terms?, graph?);
        // Recording does not run the launches: the first replay is this step.
        // SAFETY: as in the replay above; the recorded step's tensors are still held.
        unsafe { Dispatch::graph_replay(dispatch, &graph) }.map_err(|e| format!("replaying the captured step: {e:?}"))?;
        self.graph = Some(graph);
        self.terms = Some(terms.clone());
        Ok(terms)
    }
}

impl Drop for CapturedStep {
    /// A capture prepared but never recorded holds the stream until it is closed.
    fn drop(&mut self) {
        if self.ordinary_steps > 0 && self.graph.is_none() {
            release_prepared();
        }
    }
}
