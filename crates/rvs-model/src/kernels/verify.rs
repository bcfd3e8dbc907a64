//! Checks the fused kernels against Burn's composed operations on the device at hand
//! (`verifyFusedKernels` in JS; the tests run it on SwiftShader): the largest difference of
//! each output and gradient, beside the largest magnitude of the composed result.

use burn::tensor::{Device, Distribution, Tensor};
use serde::Serialize;

use burn::tensor::module::conv2d;
use burn::tensor::ops::ConvOptions;

use super::{AdamSettings, adam_update, add_bias, depthwise_conv2d, layer_norm, fused_attention, backward_on_matrix_units, linear, pointwise_conv, row_sum, scale_rows, shift_rows};
use crate::encoder::{LAYER_NORM_EPSILON, composed_attention};
use crate::layers::composed_normalize_last;
use crate::optim::{AdamConfig, composed_update};
use crate::trainer::read;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub name: String,
    pub max_difference: f32,
    pub max_magnitude: f32,
    /// The largest `max_difference / max(1, max_magnitude)` this kernel may show: f32 kernels
    /// differ from Burn's only in summation order; f16 products (subgroup matrices) round.
    pub tolerance: f32,
}

/// Relative tolerance of the f32 kernels.
const F32_TOLERANCE: f32 = 2e-5;
/// Relative tolerance of the subgroup-matrix products: inputs rounded to f16 (2⁻¹¹ relative
/// each), sums in f32; a wrong tile or transpose differs by the values' own size.
pub(super) const F16_PRODUCT_TOLERANCE: f32 = 4e-3;

/// (batch, tokens, heads, head width): several tiles and workgroups of rows, partial last
/// chunks, the edge and full models' head widths (64: also the matrix-unit key pass, with
/// partial tiles of keys and queries), and the narrowest head.
const ATTENTION_SHAPES: [(usize, usize, usize, usize); 4] = [(2, 37, 2, 16), (1, 130, 3, 64), (2, 5, 1, 4), (2, 77, 2, 64)];
/// Workgroup-memory budgets the attention kernels lay out for: the device's (0) and WebGPU's
/// default 16 KiB (smaller workgroups and tiles).
const SHARED_LIMITS: [usize; 2] = [0, 16 * 1024];
/// [rows, length]: rows longer and shorter than a workgroup, and more rows than the kernel
/// launches workgroups (4,096: some take two rows).
const ROW_SHAPES: [[usize; 2]; 3] = [[7, 1000], [3, 5], [5000, 3]];
/// [batch, tokens, features] for a bias on every token: few and many rows per workgroup of the
/// column sum, and more features than its 256 threads.
const BIAS_SHAPES: [[usize; 3]; 3] = [[2, 37, 12], [3, 700, 8], [1, 3, 300]];
/// (batch, channels, height, width, kernel, stride): EfficientNet's 3×3 stride 1 and 5×5
/// stride 2 (padding (K−1)/2), on odd sizes so windows hang over every edge; small maps share
/// a workgroup of the weight gradient across images, the last one takes an image per group.
/// (batch, tokens, d_in, d_out) of a token linear layer on subgroup matrices: rows past the
/// last 64-row tile, K split into several slices (few output tiles), d_out below d_in.
const LINEAR_SHAPES: [(usize, usize, usize, usize); 3] = [(2, 37, 64, 128), (3, 700, 128, 64), (1, 5, 256, 192)];
/// (batch, C_in, C_out, H·W) of a 1×1 convolution: H·W cut into 2 chunks, into 32, and not cut.
const POINTWISE_SHAPES: [(usize, usize, usize, usize); 4] = [(2, 5, 7, 300), (3, 16, 8, 4096), (1, 4, 3, 100), (2, 70, 40, 131)];
/// [batch, tokens, d] of a layer norm: the encoders' widths, a narrow one, and more rows than the
/// kernel launches workgroups for (4,096 × 4: some take two blocks).
const LAYER_NORM_SHAPES: [[usize; 3]; 3] = [[2, 37, 256], [3, 5, 20], [2, 9000, 8]];
const DEPTHWISE_SHAPES: [(usize, usize, usize, usize, usize, usize); 3] = [(2, 5, 13, 11, 3, 1), (3, 4, 9, 10, 5, 2), (3, 2, 70, 65, 3, 1)];

/// `device` must be an autodiff device (gradients are compared).
pub async fn verify(device: &Device) -> Result<Vec<Check>, String> {
    let normal = Distribution::Normal(0.0, 1.0);
    let mut checks = Vec::new();
    for (limit, (batch, tokens, heads, head_dim)) in SHARED_LIMITS.into_iter().flat_map(|limit| ATTENTION_SHAPES.map(|shape| (limit, shape))) {
        let qkv = Tensor::<3>::random([batch, tokens, 3 * heads * head_dim], normal, device);
        // A random linear read-out, so every context element gets its own gradient.
        let readout = Tensor::<3>::random([batch, tokens, heads * head_dim], normal, device);
        let run = |fused: bool| {
            let input = qkv.clone().detach().require_grad();
            let context = if fused { fused_attention(input.clone(), heads, limit) } else { composed_attention(input.clone(), heads, head_dim, None) };
            let grads = (context.clone() * readout.clone()).sum().backward();
            (context.inner(), input.grad(&grads).expect("qkv has a gradient"))
        };
        let ((fused, fused_grad), (composed, composed_grad)) = (run(true), run(false));
        let memory = if limit == 0 { "device workgroup memory".to_string() } else { format!("{limit} B workgroup memory") };
        let shape = format!("attention, batch {batch}, {tokens} tokens, {heads} heads of {head_dim}, {memory}");
        checks.push(compare(format!("{shape}: context"), fused, composed).await?);
        // Heads of 64 take their key and value gradients from f16 products where the device
        // has subgroup matrices.
        let tolerance = if backward_on_matrix_units(head_dim) { F16_PRODUCT_TOLERANCE } else { F32_TOLERANCE };
        checks.push(compare_within(format!("{shape}: qkv gradient"), fused_grad, composed_grad, tolerance).await?);
    }
    for (batch, channels, height, width, kernel, stride) in DEPTHWISE_SHAPES {
        let padding = (kernel - 1) / 2;
        let x = Tensor::<4>::random([batch, channels, height, width], normal, device);
        let weight = Tensor::<4>::random([channels, 1, kernel, kernel], normal, device);
        let out = |size: usize| (size + 2 * padding - kernel) / stride + 1;
        let readout = Tensor::<4>::random([batch, channels, out(height), out(width)], normal, device);
        let run = |fused: bool| {
            let (x, weight) = (x.clone().detach().require_grad(), weight.clone().detach().require_grad());
            let y = if fused {
                depthwise_conv2d(x.clone(), weight.clone(), stride, padding)
            } else {
                conv2d(x.clone(), weight.clone(), None, ConvOptions::new([stride, stride], [padding, padding], [1, 1], channels))
            };
            let grads = (y.clone() * readout.clone()).sum().backward();
            (y.inner(), x.grad(&grads).expect("x has a gradient"), weight.grad(&grads).expect("weight has a gradient"))
        };
        let (fused, composed) = (run(true), run(false));
        let shape = format!("depthwise {kernel}×{kernel} stride {stride}, batch {batch}, {channels} channels of {height}×{width}");
        checks.push(compare(format!("{shape}: output"), fused.0, composed.0).await?);
        checks.push(compare(format!("{shape}: input gradient"), fused.1, composed.1).await?);
        checks.push(compare(format!("{shape}: weight gradient"), fused.2, composed.2).await?);
    }
    for [batch, tokens, width] in LAYER_NORM_SHAPES {
        // Rows of different offsets and spreads, so the mean and the variance both matter.
        let x = Tensor::<3>::random([batch, tokens, width], normal, device) * Tensor::<3>::random([batch, tokens, 1], Distribution::Uniform(0.5, 3.0), device)
            + Tensor::<3>::random([batch, tokens, 1], normal, device);
        let readout = Tensor::<3>::random([batch, tokens, width], normal, device);
        let run = |fused: bool| {
            let x = x.clone().detach().require_grad();
            let y = if fused { layer_norm(x.clone(), LAYER_NORM_EPSILON as f32) } else { composed_normalize_last(x.clone(), LAYER_NORM_EPSILON) };
            let grads = (y.clone() * readout.clone()).sum().backward();
            (y.inner(), x.grad(&grads).expect("x has a gradient"))
        };
        let (fused, composed) = (run(true), run(false));
        let shape = format!("layer norm, batch {batch}, {tokens} tokens of {width}");
        checks.push(compare(format!("{shape}: output"), fused.0, composed.0).await?);
        checks.push(compare(format!("{shape}: input gradient"), fused.1, composed.1).await?);
    }
    for (batch, c_in, c_out, length) in POINTWISE_SHAPES {
        let x = Tensor::<3>::random([batch, c_in, length], normal, device);
        let weight = Tensor::<2>::random([c_out, c_in], normal, device);
        let readout = Tensor::<3>::random([batch, c_out, length], normal, device);
        let run = |fused: bool| {
            let (x, weight) = (x.clone().detach().require_grad(), weight.clone().detach().require_grad());
            let y = if fused { pointwise_conv(x.clone(), weight.clone()) } else { weight.clone().unsqueeze::<3>().matmul(x.clone()) };
            let grads = (y.clone() * readout.clone()).sum().backward();
            (y.inner(), x.grad(&grads).expect("x has a gradient"), weight.grad(&grads).expect("weight has a gradient"))
        };
        let (fused, composed) = (run(true), run(false));
        let name = format!("pointwise {c_in} → {c_out}, batch {batch}, {length} positions");
        checks.push(compare(format!("{name}: output"), fused.0, composed.0).await?);
        checks.push(compare(format!("{name}: input gradient"), fused.1, composed.1).await?);
        checks.push(compare(format!("{name}: weight gradient"), fused.2, composed.2).await?);
    }
    for shape in ROW_SHAPES {
        let x = Tensor::<2>::random(shape, normal, device);
        let [scale, shift] = [(); 2].map(|_| Tensor::<2>::random([shape[0], 1], normal, device));
        let readout = Tensor::<2>::random(shape, normal, device);
        let run = |fused: bool| {
            let [x, scale, shift] = [&x, &scale, &shift].map(|t| t.clone().detach().require_grad());
            let (sums, y) = if fused {
                (row_sum(x.clone()), shift_rows(scale_rows(x.clone(), scale.clone()), shift.clone()))
            } else {
                (x.clone().sum_dim(1), x.clone() * scale.clone() + shift.clone())
            };
            // Both outputs feed the loss, so x's gradient takes both backward paths.
            let grads = ((y.clone() * readout.clone()).sum() + (sums.clone() * sums.clone()).sum()).backward();
            let grad = |t: &Tensor<2>| t.grad(&grads).expect("input has a gradient");
            (sums.inner(), y.inner(), grad(&x), grad(&scale), grad(&shift))
        };
        let (fused, composed) = (run(true), run(false));
        let name = format!("rows {}×{}", shape[0], shape[1]);
        checks.push(compare(format!("{name}: row sums"), fused.0, composed.0).await?);
        checks.push(compare(format!("{name}: scaled and shifted"), fused.1, composed.1).await?);
        checks.push(compare(format!("{name}: input gradient"), fused.2, composed.2).await?);
        checks.push(compare(format!("{name}: scale gradient"), fused.3, composed.3).await?);
        checks.push(compare(format!("{name}: shift gradient"), fused.4, composed.4).await?);
    }
    for shape in BIAS_SHAPES {
        let x = Tensor::<3>::random(shape, normal, device);
        let bias = Tensor::<1>::random([shape[2]], normal, device);
        let readout = Tensor::<3>::random(shape, normal, device);
        let run = |fused: bool| {
            let (x, bias) = (x.clone().detach().require_grad(), bias.clone().detach().require_grad());
            let y = if fused { add_bias(x.clone(), bias.clone()) } else { x.clone() + bias.clone().reshape([1, 1, shape[2]]) };
            let grads = (y.clone() * readout.clone()).sum().backward();
            (y.inner(), x.grad(&grads).expect("x has a gradient"), bias.grad(&grads).expect("bias has a gradient"))
        };
        let (fused, composed) = (run(true), run(false));
        let name = format!("bias on {}×{} tokens of {}", shape[0], shape[1], shape[2]);
        checks.push(compare(format!("{name}: output"), fused.0, composed.0).await?);
        checks.push(compare(format!("{name}: input gradient"), fused.1, composed.1).await?);
        checks.push(compare(format!("{name}: bias gradient"), fused.2, composed.2).await?);
    }
    // Only where the device has subgroup matrices (not SwiftShader): the H100 runs these.
    if super::subgroup_matrices_available() {
        for (batch, tokens, d_in, d_out) in LINEAR_SHAPES {
            let x = Tensor::<3>::random([batch, tokens, d_in], normal, device);
            let weight = Tensor::<2>::random([d_in, d_out], normal, device);
            let readout = Tensor::<3>::random([batch, tokens, d_out], normal, device);
            let run = |fused: bool| {
                let (x, weight) = (x.clone().detach().require_grad(), weight.clone().detach().require_grad());
                let y = if fused { linear(x.clone(), weight.clone()) } else { x.clone().matmul(weight.clone().unsqueeze()) };
                let grads = (y.clone() * readout.clone()).sum().backward();
                (y.inner(), x.grad(&grads).expect("x has a gradient"), weight.grad(&grads).expect("weight has a gradient"))
            };
            let (fused, composed) = (run(true), run(false));
            let name = format!("linear on subgroup matrices, {batch}×{tokens} tokens, {d_in} → {d_out}");
            checks.push(compare_within(format!("{name}: output"), fused.0, composed.0, F16_PRODUCT_TOLERANCE).await?);
            checks.push(compare_within(format!("{name}: input gradient"), fused.1, composed.1, F16_PRODUCT_TOLERANCE).await?);
            checks.push(compare_within(format!("{name}: weight gradient"), fused.2, composed.2, F16_PRODUCT_TOLERANCE).await?);
        }
    }
    checks.extend(super::half::checks(device).await?);
    let inner = device.clone().inner();
    for (decoupled, weight_decay) in [(false, 0.0), (false, 0.01), (true, 0.01)] {
        let config = AdamConfig { weight_decay, decoupled, ..AdamConfig::default() };
        // More elements than the kernel has threads (4,096 × 64): some threads take two.
        let count = 300_000;
        let [weights, grad, first] = [(); 3].map(|_| Tensor::<1>::random([count], normal, &inner));
        let second = Tensor::<1>::random([count], Distribution::Uniform(0.0, 1.0), &inner);
        let (lr, step) = (1e-3, 3);
        let settings = AdamSettings::new(&config, lr, step, &inner);
        // The composed update is queued first: the kernel then overwrites the inputs in place.
        let composed = composed_update(&config, lr, step as i32, weights.clone(), grad.clone(), first.clone(), second.clone());
        let fused = adam_update(weights, grad, first, second, &settings);
        let name = format!("Adam (weight decay {weight_decay}{})", if decoupled { ", decoupled" } else { "" });
        for (part, fused, composed) in [("weights", fused.0, composed.0), ("first moment", fused.1, composed.1), ("second moment", fused.2, composed.2)] {
            checks.push(compare(format!("{name}: {part}"), fused, composed).await?);
        }
    }
    Ok(checks)
}

pub(super) async fn compare<const D: usize>(name: String, fused: Tensor<D>, composed: Tensor<D>) -> Result<Check, String> {
    compare_within(name, fused, composed, F32_TOLERANCE).await
}

pub(super) async fn compare_within<const D: usize>(name: String, fused: Tensor<D>, composed: Tensor<D>, tolerance: f32) -> Result<Check, String> {
    let max = |t: Tensor<D>| t.abs().max().reshape([1]);
    let values = read(Tensor::cat(vec![max(fused - composed.clone()), max(composed)], 0)).await?;
    Ok(Check { name, max_difference: values[0], max_magnitude: values[1], tolerance })
}
