//! Adam's update of one parameter as one kernel (see adam.wgsl): the optimiser step was a
//! quarter of a training step's CPU time, ~15 tensor operations per parameter, each recorded by
//! Burn's fusion and launched from WASM.

use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, Dispatch, backend_extension};
use burn::tensor::{Device, Tensor};
use burn_cubecl::CubeBackend;
use burn_cubecl::kernel::into_contiguous;
use burn_cubecl::tensor::CubeTensor;

use super::{MAX_GROUPS, WORKGROUP, Wgsl, binding, launch};
use crate::optim::AdamConfig;

/// One step's scalars, uploaded once and shared by every parameter's update.
#[derive(Clone)]
pub struct AdamSettings(Tensor<1>);

impl AdamSettings {
    pub fn new(config: &AdamConfig, lr: f64, step: u64, device: &Device) -> Self {
        Self(Tensor::<1>::from_floats(Self::values(config, lr, step).as_slice(), device))
    }

    /// A tensor the caller fills with `values` before each step (a captured step replays
    /// against its buffer).
    pub fn held(tensor: Tensor<1>) -> Self {
        Self(tensor)
    }

    /// The kernel's settings for `step` (1-based): learning rate, β1, β2, ε, weight decay,
    /// decoupled, and the bias corrections 1−β1^t, 1−β2^t.
    pub fn values(config: &AdamConfig, lr: f64, step: u64) -> [f32; 8] {
        let step = step as i32;
        [
            lr,
            config.beta1,
            config.beta2,
            config.epsilon,
            config.weight_decay,
            if config.decoupled { 1.0 } else { 0.0 },
            1.0 - config.beta1.powi(step),
            1.0 - config.beta2.powi(step),
        ]
        .map(|v| v as f32)
    }
}

/// (weights, first moment, second moment) after one step; all flattened to the same length.
/// Updated in place: the results are the given tensors' buffers (contiguous ones; others are
/// copied first), so a parameter keeps its buffer across steps.
pub fn adam_update(weights: Tensor<1>, grad: Tensor<1>, first: Tensor<1>, second: Tensor<1>, settings: &AdamSettings) -> (Tensor<1>, Tensor<1>, Tensor<1>) {
    let (w, m, v) = Dispatch::adam_step(
        weights.into_dispatch(),
        grad.into_dispatch(),
        first.into_dispatch(),
        second.into_dispatch(),
        settings.0.clone().into_dispatch(),
    );
    (Tensor::from_dispatch(w), Tensor::from_dispatch(m), Tensor::from_dispatch(v))
}

#[backend_extension(Cube, Fusion)]
pub trait AdamOps: Backend {
    #[fusion(meta = |w, _g, m, v, _s| (w.clone(), m.clone(), v.clone()))]
    fn adam_step(
        weights: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        first: FloatTensor<Self>,
        second: FloatTensor<Self>,
        settings: FloatTensor<Self>,
    ) -> (FloatTensor<Self>, FloatTensor<Self>, FloatTensor<Self>);
}

impl AdamOps for CubeBackend {
    fn adam_step(weights: CubeTensor, grad: CubeTensor, first: CubeTensor, second: CubeTensor, settings: CubeTensor) -> (CubeTensor, CubeTensor, CubeTensor) {
        let [weights, grad, first, second] = [weights, grad, first, second].map(into_contiguous);
        let count = weights.meta.shape().num_elements();
        let groups = ((count as u32).div_ceil(WORKGROUP).min(MAX_GROUPS), 1);
        let kernel = Wgsl { name: "adam", template: include_str!("adam.wgsl"), values: Vec::new() };
        let buffers: Vec<_> = [&weights, &grad, &first, &second, &settings].into_iter().map(binding).collect();
        launch(&weights, kernel, groups, buffers);
        (weights, first, second)
    }
}
