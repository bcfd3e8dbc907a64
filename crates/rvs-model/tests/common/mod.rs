//! Shared by the model tests: a tiny config, a CPU autodiff device, blocking reads.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use burn::tensor::{Device, Distribution, Tensor};
use rvs_model::config::ModelConfig;
use rvs_model::trainer::TrainerConfig;

pub fn device() -> Device {
    Device::ndarray().autodiff()
}

pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = future.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

pub fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().try_to_vec::<f32>().unwrap()
}

/// Small enough for debug-build CPU tests, same code paths as the full model.
pub fn tiny_model() -> ModelConfig {
    ModelConfig { width_mult: 0.25, depth_mult: 0.34, d_model: 16, d_ff: 16, heads: 2, layers: 1, head_hidden: 16, max_positions: 8 }
}

pub fn tiny_trainer_config(freeze_batch_norm: bool) -> TrainerConfig {
    TrainerConfig { model: tiny_model(), freeze_batch_norm, seed: 7, ..TrainerConfig::default() }
}

/// `n` random images of 32×48 and random camera-to-world poses (valid rotations).
pub fn batch(n: usize, seed: u64, device: &Device) -> (Tensor<4>, Tensor<3>) {
    device.seed(seed);
    let inner = device.clone().inner();
    let images = Tensor::<4>::random([n, 3, 32, 48], Distribution::Normal(0.0, 1.0), &inner);
    let r6 = Tensor::<2>::random([n, 6], Distribution::Normal(0.0, 1.0), &inner);
    let rotation = rvs_model::rotation::rotation_from_6d(r6);
    let t = Tensor::<2>::random([n, 3, 1], Distribution::Uniform(-1.0, 1.0), &inner);
    (images, Tensor::cat(vec![rotation, t.reshape([n, 3, 1])], 2))
}
