//! One training run's state: model, optimiser, accumulated gradients. Backend-agnostic: the WASM
//! build runs it on the rasterizer's wgpu device, native tests on NdArray.

use std::collections::{BTreeMap, HashSet};

use burn::module::{Module, ParamId};
use burn::optim::{GradientsAccumulator, GradientsParams};
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

use crate::config::ModelConfig;
use crate::fold::fold_batch_norms;
use crate::prune::prune_encoders;
use crate::loss::{LossTerms, pose_loss};
use crate::model::PoseRegressor;
use crate::optim::{Adam, AdamConfig};
use crate::params::{LoadReport, Values, coverage, named_tensors, replace_tensors, torchvision_name};
use crate::safetensors::{self, Entry, f32_entry};

pub const CHECKPOINT_FORMAT: &str = "rvs-apr/1";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct TrainerConfig {
    pub model: ModelConfig,
    pub adam: AdamConfig,
    /// RAP's initial loss weights.
    pub sx: f32,
    pub sq: f32,
    pub learn_loss_weights: bool,
    /// Batch norms use their running statistics and keep γ, β fixed (fine-tuning from ImageNet
    /// weights, or micro-batches too small for batch statistics). Makes accumulation exact.
    pub freeze_batch_norm: bool,
    /// Memory-bound activations (element-wise results) are recomputed in the backward pass
    /// instead of kept from the forward pass: less GPU memory per image (the full model's batch
    /// 24 in one pass fits an 80 GB card), a little more GPU work, the same gradients.
    pub gradient_checkpointing: bool,
    /// On WebGPU, attention, Adam, the depthwise and 1×1 convolutions' weight gradients and long
    /// row and column sums run as rvs's hand-written WGSL kernels (`kernels/`) instead of Burn's
    /// composed operations: same results, no [tokens, tokens] attention matrices, far fewer
    /// kernel launches. Ignored elsewhere.
    pub fused_kernels: bool,
    /// With `fused_kernels`, the transformers' linear layers (d_in and d_out multiples of 64)
    /// and, for heads of 64, the attention's backward pass run on the GPU's matrix units where
    /// the device has WebGPU subgroup matrices (tensor cores: f16 products, f32 sums, as
    /// mixed-precision training does). Ignored elsewhere.
    pub subgroup_matrices: bool,
    pub seed: u64,
}

impl Default for TrainerConfig {
    fn default() -> Self {
        Self { model: ModelConfig::full(), adam: AdamConfig::default(), sx: -3.0, sq: -6.5, learn_loss_weights: false, freeze_batch_norm: false, gradient_checkpointing: false, fused_kernels: true, subgroup_matrices: true, seed: 0 }
    }
}

pub struct Trainer {
    pub config: TrainerConfig,
    pub device: Device,
    /// Always Some between calls; taken only while a by-value transform runs.
    model: Option<PoseRegressor>,
    pub adam: Adam,
    accumulated: GradientsAccumulator<PoseRegressor>,
    accumulated_parts: usize,
    frozen: HashSet<ParamId>,
    /// The folded inference model, built on the first prediction after the weights changed.
    inference: std::cell::RefCell<Option<PoseRegressor>>,
    /// Whether the inference model's weights are halved to f16 (`set_half_inference_weights`).
    half_inference: bool,
}

fn freeze_norms(model: PoseRegressor) -> PoseRegressor {
    use crate::backbone::{ConvBn, MbConv};
    let freeze = |layer: ConvBn| ConvBn { bn: layer.bn.map(|bn| bn.freeze()), ..layer };
    let mut backbone = model.backbone;
    backbone.stem = freeze(backbone.stem);
    backbone.stages = std::mem::take(&mut backbone.stages)
        .into_iter()
        .map(|stage| {
            stage
                .into_iter()
                .map(|b| MbConv { expand: b.expand.map(freeze), depthwise: freeze(b.depthwise), project: freeze(b.project), ..b })
                .collect()
        })
        .collect();
    PoseRegressor { backbone, ..model }
}

impl Trainer {
    /// `device` must be an autodiff device.
    pub fn new(config: TrainerConfig, device: Device) -> Result<Self, String> {
        if !device.is_autodiff() {
            return Err("the trainer needs an autodiff device".into());
        }
        let device = if config.gradient_checkpointing { device.gradient_checkpointing() } else { device };
        device.seed(config.seed);
        let mut model = PoseRegressor::new(&config.model, &device, config.sx, config.sq)?;
        if config.freeze_batch_norm {
            model = freeze_norms(model);
        }
        let mut frozen = HashSet::new();
        if !config.learn_loss_weights {
            frozen.insert(model.sx.id);
            frozen.insert(model.sq.id);
        }
        let adam = Adam::new(config.adam.clone());
        Ok(Self { config, device, model: Some(model), adam, accumulated: GradientsAccumulator::new(), accumulated_parts: 0, frozen, inference: Default::default(), half_inference: false })
    }

    /// The model with its batch-norm running statistics synced (see `Backbone::sync_running_stats`).
    pub fn model(&self) -> &PoseRegressor {
        let model = self.model.as_ref().expect("model present between calls");
        model.backbone.sync_running_stats();
        model
    }

    pub fn parameter_count(&self) -> usize {
        self.model().num_params()
    }

    /// Forward + backward on one micro-batch; gradients are summed until `apply`. `weight` is the
    /// micro-batch's share of the full batch (its size / the full batch size), so N micro-batches
    /// give the gradient of the full batch's mean loss.
    pub fn accumulate(&mut self, images: Tensor<4>, poses: Tensor<3>, weight: f64) -> Result<LossTerms, String> {
        if !(weight.is_finite() && weight > 0.0 && weight <= 1.0) {
            return Err(format!("micro-batch weight must be in (0, 1], got {weight}"));
        }
        let [b, ..] = images.dims();
        let [pb, rows, cols] = poses.dims();
        if pb != b || rows != 3 || cols != 4 {
            return Err(format!("{b} images but poses of shape [{pb}, {rows}, {cols}] (expected [{b}, 3, 4])"));
        }
        let images = images.to_device(&self.device);
        let poses = poses.to_device(&self.device);
        crate::layers::release_running_writes();
        let model = self.model();
        let prediction = model.forward(images)?;
        let terms = pose_loss(model, prediction, poses, self.config.learn_loss_weights);
        let grads = (terms.total.clone() * weight).backward();
        let grads = GradientsParams::from_grads(grads, model);
        self.accumulated.accumulate(self.model.as_ref().expect("model present"), grads);
        self.accumulated_parts += 1;
        Ok(LossTerms { total: terms.total.detach(), translation: terms.translation.detach(), rotation: terms.rotation.detach() })
    }

    /// One optimiser step with everything accumulated since the last one.
    pub fn apply(&mut self, lr: f64) -> Result<(), String> {
        if self.accumulated_parts == 0 {
            return Err("no gradients accumulated: call accumulate before apply".into());
        }
        if !(lr.is_finite() && lr >= 0.0) {
            return Err(format!("learning rate must be finite and non-negative, got {lr}"));
        }
        let mut grads = self.accumulated.grads();
        self.accumulated_parts = 0;
        let model = self.model.take().expect("model present");
        self.model = Some(self.adam.step(model, &mut grads, lr, &self.frozen));
        self.inference.replace(None);
        Ok(())
    }

    /// Forgets the inference model built from the previous weights (after a step that changed
    /// them outside `apply`: a captured step's replay).
    pub fn weights_changed(&self) {
        self.inference.replace(None);
    }

    /// The model for inference: running statistics, no autodiff, batch norms folded, weights
    /// halved when asked.
    pub fn inference_model(&self) -> PoseRegressor {
        self.with_inference_weights(self.folded_model())
    }

    /// Running statistics, no autodiff, batch norms folded; weights as trained.
    fn folded_model(&self) -> PoseRegressor {
        fold_batch_norms(self.model().valid())
    }

    fn with_inference_weights(&self, model: PoseRegressor) -> PoseRegressor {
        #[cfg(target_arch = "wasm32")]
        if self.half_inference {
            return crate::fold::halve_weights(model);
        }
        model
    }

    /// Inference from now on with the convolution and linear weights in f16 (`half`) or f32.
    /// A pruned model (`prune`) is halved as it is; going back to f32 drops it (the next
    /// prediction uses the whole model, prune again to have it pruned). WebGPU only.
    pub fn set_half_inference_weights(&mut self, half: bool) -> Result<(), String> {
        if cfg!(not(target_arch = "wasm32")) && half {
            return Err("f16 inference weights need the WebGPU build (the kernels that read them)".into());
        }
        if half == self.half_inference {
            return Ok(());
        }
        self.half_inference = half;
        let cached = self.inference.replace(None);
        if half {
            self.inference.replace(cached.map(|model| self.with_inference_weights(model)));
        }
        Ok(())
    }

    /// Bytes of the inference model's parameters as stored on the GPU (f16 ones count 2 each).
    pub fn inference_weight_bytes(&self) -> usize {
        let mut cached = self.inference.borrow_mut();
        let model = cached.get_or_insert_with(|| self.inference_model());
        crate::params::parameter_bytes(model)
    }

    /// Predictions from now on use `keep` of every encoder layer's heads and feed-forward units
    /// (see `prune.rs`), until the weights change (a step or a load brings back the full model).
    /// Returns the pruned inference model's parameter count.
    pub async fn prune(&self, keep: f64) -> Result<usize, String> {
        let model = self.with_inference_weights(prune_encoders(self.folded_model(), keep).await?);
        let count = model.num_params();
        self.inference.replace(Some(model));
        Ok(count)
    }

    /// Poses from the inference path: batch norms folded, no autodiff.
    pub fn predict(&self, images: Tensor<4>) -> Result<Tensor<3>, String> {
        let mut cached = self.inference.borrow_mut();
        let model = cached.get_or_insert_with(|| self.inference_model());
        let images = images.to_device(&self.device.clone().inner());
        Ok(model.forward(images)?.pose())
    }

    /// Model, optimiser moments and step, config and the caller's metadata, as safetensors.
    pub async fn save(&self, extra: BTreeMap<String, String>) -> Result<Vec<u8>, String> {
        let mut tensors: BTreeMap<String, Entry> = BTreeMap::new();
        for t in named_tensors(self.model()) {
            tensors.insert(format!("model.{}", t.name), f32_entry(t.shape, &read(t.values).await?));
        }
        for (kind, moments) in [("first", &self.adam.state.first), ("second", &self.adam.state.second)] {
            for (name, values) in moments {
                let values = read(values.clone()).await?;
                tensors.insert(format!("optim.{kind}.{name}"), f32_entry(vec![values.len()], &values));
            }
        }
        let mut metadata = extra;
        metadata.insert("format".into(), CHECKPOINT_FORMAT.into());
        metadata.insert("config".into(), serde_json::to_string(&self.config).expect("config serialises"));
        metadata.insert("adamStep".into(), self.adam.state.step.to_string());
        Ok(safetensors::encode(&tensors, &metadata))
    }

    /// Restores a checkpoint written by `save` (same model config), returning its metadata.
    pub fn load(&mut self, bytes: &[u8]) -> Result<BTreeMap<String, String>, String> {
        let decoded = safetensors::decode(bytes)?;
        let format = decoded.metadata.get("format").map(String::as_str);
        if format != Some(CHECKPOINT_FORMAT) {
            return Err(format!("not an rvs checkpoint (format {format:?}, expected {CHECKPOINT_FORMAT:?})"));
        }
        let config: TrainerConfig = serde_json::from_str(decoded.metadata.get("config").ok_or("checkpoint has no config")?)
            .map_err(|e| format!("checkpoint config: {e}"))?;
        if config.model != self.config.model {
            return Err(format!("checkpoint is for model {:?}, this trainer has {:?}", config.model, self.config.model));
        }
        let mut values = Values::new();
        let mut first = BTreeMap::new();
        let mut second = BTreeMap::new();
        for (name, entry) in &decoded.tensors {
            let data = safetensors::to_f32(entry).map_err(|e| format!("{name}: {e}"))?;
            if let Some(rest) = name.strip_prefix("optim.first.") {
                first.insert(rest.to_string(), data);
            } else if let Some(rest) = name.strip_prefix("optim.second.") {
                second.insert(rest.to_string(), data);
            } else {
                values.insert(name.clone(), (entry.shape.clone(), data));
            }
        }
        let rename = |ours: &str| Some(format!("model.{ours}"));
        check_complete(&coverage(self.model(), &values, &rename), "checkpoint")?;
        let model = self.model.take().expect("model present");
        self.model = Some(replace_tensors(model, &values, &rename).0);
        self.inference.replace(None);
        let inner = self.device.clone().inner();
        let to_tensor = |v: Vec<f32>| Tensor::<1>::from_floats(v.as_slice(), &inner);
        self.adam.state.first = first.into_iter().map(|(k, v)| (k, to_tensor(v))).collect();
        self.adam.state.second = second.into_iter().map(|(k, v)| (k, to_tensor(v))).collect();
        self.adam.state.step = decoded.metadata.get("adamStep").and_then(|s| s.parse().ok()).unwrap_or(0);
        self.accumulated = GradientsAccumulator::new();
        self.accumulated_parts = 0;
        Ok(decoded.metadata)
    }

    /// Loads ImageNet EfficientNet-B0 weights saved from torchvision (`model.state_dict()` as
    /// safetensors). Only the backbone is read; the full-width model is required.
    pub fn load_torchvision(&mut self, bytes: &[u8]) -> Result<usize, String> {
        let decoded = safetensors::decode(bytes)?;
        let mut values = Values::new();
        for (name, entry) in &decoded.tensors {
            if entry.dtype == "I64" || entry.dtype == "U8" {
                continue; // num_batches_tracked
            }
            values.insert(name.clone(), (entry.shape.clone(), safetensors::to_f32(entry).map_err(|e| format!("{name}: {e}"))?));
        }
        let report = coverage(self.model(), &values, &torchvision_name);
        check_complete(&report, "torchvision weights")?;
        let model = self.model.take().expect("model present");
        self.model = Some(replace_tensors(model, &values, &torchvision_name).0);
        self.inference.replace(None);
        Ok(report.loaded.len())
    }
}

fn check_complete(report: &LoadReport, what: &str) -> Result<(), String> {
    if !report.mismatched.is_empty() {
        return Err(format!("{what}: {} tensors have the wrong shape, e.g. {}", report.mismatched.len(), report.mismatched[0]));
    }
    if !report.missing.is_empty() {
        return Err(format!("{what}: {} tensors missing, e.g. {}", report.missing.len(), report.missing[..report.missing.len().min(3)].join(", ")));
    }
    Ok(())
}

pub async fn read(values: Tensor<1>) -> Result<Vec<f32>, String> {
    let data = values.into_data_async().await.map_err(|e| format!("GPU read-back failed: {e:?}"))?;
    data.try_to_vec::<f32>().map_err(|e| format!("{e:?}"))
}
