//! Forward passes shaped for the GPU kernels Burn/cubecl have on WebGPU. Kernel profiles of a
//! training step on an H100 (`bench:train --kernels`) showed most of its time in reductions and
//! weight gradients that launch one or two workgroups: batch-norm statistics (a sum over
//! N·H·W per channel, one thread per channel), bias and layer-norm parameter gradients (a sum
//! over B·T rows per feature) and the weight gradients of 1×1 and stem convolutions (a direct
//! convolution with one thread per weight looping over N·H·W). The same maths written as
//! batched matmuls and row sums gives every kernel thousands of outputs. The backbone keeps
//! Burn's modules as parameter holders, so its names and the torchvision map are unchanged.

use burn::module::{Module, Param};
use burn::nn::conv::Conv2d;
use burn::nn::{BatchNorm, Linear, LinearConfig, PaddingConfig2d};
use burn::tensor::module::conv2d as conv2d_op;
use burn::tensor::ops::ConvOptions;
use burn::tensor::{Device, Tensor, TensorData};

/// `conv.forward(x)`, with 1×1 stride-1 ungrouped convolutions as a batched matmul
/// W[1, C_out, C_in] · X[N, C_in, H·W] (no layout change in NCHW); their weight gradient is then
/// N matmuls with H·W-long dot products plus a sum over N, not one thread per weight.
pub fn conv2d(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    let [c_out, c_in_per_group, kh, kw] = conv.weight.dims();
    #[cfg(target_arch = "wasm32")]
    if let Some(y) = fused_depthwise(conv, x.clone()) {
        return y;
    }
    if [kh, kw] != [1, 1] || conv.stride != [1, 1] || conv.groups != 1 {
        return burn_conv2d(conv, x);
    }
    let [n, c_in, h, w] = x.dims();
    debug_assert_eq!(c_in, c_in_per_group);
    #[cfg(target_arch = "wasm32")]
    let y = if crate::kernels::enabled() {
        crate::kernels::pointwise_conv(x.reshape([n, c_in, h * w]), conv.weight.val().reshape([c_out, c_in]))
    } else {
        f32_weight(conv.weight.val()).reshape([1, c_out, c_in]).matmul(x.reshape([n, c_in, h * w]))
    };
    #[cfg(not(target_arch = "wasm32"))]
    let y = conv.weight.val().reshape([1, c_out, c_in]).matmul(x.reshape([n, c_in, h * w]));
    let y = match &conv.bias {
        Some(bias) => y + bias.val().reshape([1, c_out, 1]),
        None => y,
    };
    y.reshape([n, c_out, h, w])
}

/// A weight as Burn's operations need it: f32 (inference weights halved to f16 by
/// `fold::halve_weights` are widened for the call; only our kernels read f16 weights).
fn f32_weight<const D: usize>(weight: Tensor<D>) -> Tensor<D> {
    #[cfg(target_arch = "wasm32")]
    return crate::kernels::widen(weight);
    #[cfg(not(target_arch = "wasm32"))]
    weight
}

/// Burn's `conv.forward(x)`, with a halved weight widened for the call.
fn burn_conv2d(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    #[cfg(target_arch = "wasm32")]
    if crate::kernels::is_half(&conv.weight.val()) {
        let mut widened = conv.clone();
        widened.weight = Param::from_tensor(f32_weight(conv.weight.val()));
        return widened.forward(x);
    }
    conv.forward(x)
}

/// Burn's `linear.forward(x)` (the pose heads), with a halved weight widened for the call.
pub fn linear_forward(linear: &Linear, x: Tensor<2>) -> Tensor<2> {
    #[cfg(target_arch = "wasm32")]
    if crate::kernels::is_half(&linear.weight.val()) {
        let mut widened = linear.clone();
        widened.weight = Param::from_tensor(f32_weight(linear.weight.val()));
        return widened.forward(x);
    }
    linear.forward(x)
}

/// `conv.forward(x)` through the depthwise kernel (`kernels/depthwise.rs`) when the fused
/// kernels are on and `conv` is a depthwise convolution with even padding.
#[cfg(target_arch = "wasm32")]
fn fused_depthwise(conv: &Conv2d, x: Tensor<4>) -> Option<Tensor<4>> {
    let [c_out, _, kh, kw] = conv.weight.dims();
    let c_in = x.dims()[1];
    let PaddingConfig2d::Explicit(top, left, bottom, right) = conv.padding else { return None };
    let even = top == left && top == bottom && top == right;
    if !crate::kernels::enabled() || !even || !crate::kernels::depthwise_supports(c_in, c_out, conv.groups, [kh, kw], conv.stride, conv.dilation) {
        return None;
    }
    let y = crate::kernels::depthwise_conv2d(x, conv.weight.val(), conv.stride[0], top);
    Some(match &conv.bias {
        Some(bias) => y + bias.val().reshape([1, c_out, 1, 1]),
        None => y,
    })
}

/// `conv.forward(x)` for an ungrouped convolution with few input channels (the stem: 3), as
/// patches × weights with one output row per matmul batch: [N, H', C_in·k², W'] patches times
/// W[C_out, C_in·k²]. Its weight gradient is then N·H' small matmuls and a sum over them, where
/// Burn's direct kernel gave each of the C_out·C_in·k² weights one thread looping over N·H'·W'.
/// The patches come from a convolution with one-hot kernels (`unfolding_weight`); the image
/// input needs no gradient.
pub fn patch_conv2d(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    let [c_out, c_in, kh, kw] = conv.weight.dims();
    let PaddingConfig2d::Explicit(top, left, bottom, right) = conv.padding else { return burn_conv2d(conv, x) };
    if conv.groups != 1 || top != bottom || left != right {
        return burn_conv2d(conv, x);
    }
    let k = c_in * kh * kw;
    let weight = unfolding_weight(&x.device(), c_in, kh, kw);
    let options = ConvOptions::new(conv.stride, [top, left], conv.dilation, 1);
    let patches = conv2d_op(x, weight, None, options);
    let y = patch_product(conv.weight.val().reshape([c_out, k]), patches);
    match &conv.bias {
        Some(bias) => y + bias.val().reshape([1, c_out, 1, 1]),
        None => y,
    }
}

/// weight [C_out, K] applied to every pixel's K patch values, [N, K, H, W] → [N, C_out, H, W]:
/// a 1×1 convolution, on its kernel (`kernels/pointwise.rs`) when the fused kernels run.
fn patch_product(weight: Tensor<2>, patches: Tensor<4>) -> Tensor<4> {
    let [c_out, k] = weight.dims();
    #[cfg(target_arch = "wasm32")]
    if crate::kernels::enabled() {
        let [n, _, h, w] = patches.dims();
        return crate::kernels::pointwise_conv(patches.reshape([n, k, h * w]), weight).reshape([n, c_out, h, w]);
    }
    f32_weight(weight).reshape([1, 1, c_out, k]).matmul(patches.swap_dims(1, 2)).swap_dims(1, 2)
}

thread_local! {
    /// `unfolding_weight`s made so far, by device and (C_in, kh, kw).
    static UNFOLDING_WEIGHTS: std::cell::RefCell<Vec<(Device, [usize; 3], Tensor<4>)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// [C_in·kh·kw, C_in, kh, kw] one-hot kernels: a convolution with them lays every kh×kw patch
/// out along the channels, in (channel, row, column) order (what `unfold4d` does). Made once
/// per device and shape: Burn's `unfold4d` uploads them at every call, and a captured training
/// step (`captured.rs`) can't contain uploads.
fn unfolding_weight(device: &Device, c_in: usize, kh: usize, kw: usize) -> Tensor<4> {
    UNFOLDING_WEIGHTS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, _, weight)) = cache.iter().find(|(d, shape, _)| d == device && *shape == [c_in, kh, kw]) {
            return weight.clone();
        }
        let k = c_in * kh * kw;
        let mut values = vec![0.0f32; k * k];
        for c in 0..c_in {
            for i in 0..kh {
                for j in 0..kw {
                    let out = (c * kh + i) * kw + j;
                    values[out * k + out] = 1.0;
                }
            }
        }
        let weight = Tensor::<4>::from_data(TensorData::new(values, [k, c_in, kh, kw]), device);
        cache.push((device.clone(), [c_in, kh, kw], weight.clone()));
        weight
    })
}

/// `bn.forward(x)` for [N, C, H, W]: batch statistics when training (and the running statistics
/// updated as Burn does, with PyTorch's unbiased variance), running statistics otherwise.
/// Everything runs on rows of one image's channel, [N·C, H·W]: per-channel sums are a sum along
/// each contiguous row (N·C outputs) then over N, and per-channel factors are broadcast per row,
/// so their gradients are again row sums. Burn's own version broadcasts [1, C, 1, 1] over
/// [N, C, H, W], whose gradient reduces N·H·W values per channel in a single workgroup.
pub fn batch_norm(bn: &BatchNorm, x: Tensor<4>) -> Tensor<4> {
    if !(x.device().is_autodiff() && bn.training.is_enabled()) {
        return bn.forward(x);
    }
    let [n, c, h, w] = x.dims();
    let count = (n * h * w) as f64;
    let rows = x.reshape([n * c, h * w]);
    // [N·C, H·W] → [1, C], and [1, C] → one value per row.
    let channel_sum = |t: Tensor<2>| sum_rows(t).reshape([n, c]).sum_dim(0);
    let per_row = |t: Tensor<2>| t.expand([n, c]).reshape([n * c, 1]);
    let mean = channel_sum(rows.clone()) / count;
    let centered = shift_rows(rows, -per_row(mean.clone()));
    let variance = channel_sum(centered.clone() * centered.clone()) / count;
    let scale = variance.clone().add_scalar(bn.epsilon).sqrt().recip() * bn.gamma.val().reshape([1, c]);
    let y = shift_rows(scale_rows(centered, per_row(scale)), per_row(bn.beta.val().reshape([1, c])));

    let device = y.device();
    let unbiased = variance.detach().reshape([c]) * (count / (count - 1.0).max(1.0));
    let keep = 1.0 - bn.momentum;
    let old_mean = bn.running_mean.value_sync().to_device(&device);
    let old_var = bn.running_var.value_sync().to_device(&device);
    let running_mean = old_mean.clone() * keep + mean.detach().reshape([c]) * bn.momentum;
    let running_var = old_var.clone() * keep + unbiased * bn.momentum;
    set_running(&bn.running_mean, old_mean, running_mean.detach());
    set_running(&bn.running_var, old_var, running_var.detach());
    y.reshape([n, c, h, w])
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    /// This step's in-place writes of running statistics, held until the next step starts so
    /// that Burn's fusion runs them (the states keep their tensors, whose buffers they fill).
    static RUNNING_WRITES: std::cell::RefCell<Vec<Tensor<1>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Lets go of the previous step's running-statistic writes (queued by now); the trainer calls
/// it as a step starts.
pub fn release_running_writes() {
    #[cfg(target_arch = "wasm32")]
    RUNNING_WRITES.with(|writes| writes.borrow_mut().clear());
}

/// Sets a running statistic to `new` (computed from `old`, its current value). Where the fused
/// kernels run, `new` is written into `old`'s buffer and the state keeps its tensor: a captured
/// training step (`captured.rs`) replays against the buffers it was recorded with, and Burn's
/// `update` would hand the state a new tensor each step (its sync divides by the update count).
fn set_running(state: &burn::module::RunningState<Tensor<1>>, old: Tensor<1>, new: Tensor<1>) {
    #[cfg(target_arch = "wasm32")]
    if crate::kernels::enabled() {
        let written = Tensor::from_inner(crate::kernels::overwrite(old.inner(), new.inner()));
        RUNNING_WRITES.with(|writes| writes.borrow_mut().push(written));
        return;
    }
    let _ = old;
    state.update(new);
}

/// Rows at least this long go to the row kernel (`kernels/rows.rs`) when the fused kernels run:
/// it gives each row a workgroup, which long rows need (Burn's reduction gives each row one
/// thread). On a GPU that pays from 256 on (the full model's 405-pixel maps: H100 step
/// 154 → 136 ms); a software adapter pays for every workgroup and barrier, so there only rows
/// of 1,024 and more (the tiny test model trained 2.7× slower on SwiftShader with all rows on
/// the kernel).
#[cfg(target_arch = "wasm32")]
fn row_kernel_min_length() -> usize {
    if crate::kernels::software_adapter() { 1024 } else { 256 }
}

#[cfg(target_arch = "wasm32")]
fn row_kernel_for(x: &Tensor<2>) -> bool {
    crate::kernels::enabled() && x.dims()[1] >= row_kernel_min_length()
}

/// Σ along each row, [R, L] → [R, 1].
pub fn sum_rows(x: Tensor<2>) -> Tensor<2> {
    #[cfg(target_arch = "wasm32")]
    if row_kernel_for(&x) {
        return crate::kernels::row_sum(x);
    }
    x.sum_dim(1)
}

/// x · scale, `scale` [R, 1] per row of `x` [R, L]; the scale's gradient is a row sum.
pub fn scale_rows(x: Tensor<2>, scale: Tensor<2>) -> Tensor<2> {
    #[cfg(target_arch = "wasm32")]
    if row_kernel_for(&x) {
        return crate::kernels::scale_rows(x, scale);
    }
    x * scale
}

/// x + shift, `shift` [R, 1] per row of `x` [R, L]; its gradient is a row sum.
pub fn shift_rows(x: Tensor<2>, shift: Tensor<2>) -> Tensor<2> {
    #[cfg(target_arch = "wasm32")]
    if row_kernel_for(&x) {
        return crate::kernels::shift_rows(x, shift);
    }
    x + shift
}

/// Layer norm over the last axis without a learned scale and shift: in a pre-norm transformer
/// every norm feeds a linear layer, which absorbs them (diag(γ)·W, β·W + b), and their
/// gradients were sums over all B·T tokens per feature.
pub fn normalize_last(x: Tensor<3>, epsilon: f64) -> Tensor<3> {
    #[cfg(target_arch = "wasm32")]
    if crate::kernels::enabled() && crate::kernels::layer_norm_supports(x.dims()[2]) {
        return crate::kernels::layer_norm(x, epsilon as f32);
    }
    composed_normalize_last(x, epsilon)
}

/// `normalize_last` from Burn's operations (native, and the reference the kernel is checked
/// against).
pub fn composed_normalize_last(x: Tensor<3>, epsilon: f64) -> Tensor<3> {
    let mean = x.clone().mean_dim(2);
    let centered = x - mean;
    let variance = (centered.clone() * centered.clone()).mean_dim(2);
    centered * variance.add_scalar(epsilon).sqrt().recip()
}

/// A linear layer on [B, T, d_in] whose bias rides in the matmul: the input gets a constant
/// column [1, 0, 0, 0] (four keep rows a multiple of the vector width) and the weight the rows
/// [b; 0; 0; 0], so the bias gradient comes out of the weight-gradient matmul instead of a sum
/// over all B·T rows with one thread per output.
#[derive(Module, Debug)]
pub struct TokenLinear {
    /// [d_in, d_out], as Burn's `Linear`.
    pub weight: Param<Tensor<2>>,
    pub bias: Param<Tensor<1>>,
}

const PAD: usize = 4;

impl TokenLinear {
    /// Burn's `Linear` initialisation (uniform ±1/√d_in for weight and bias).
    pub fn new(device: &Device, d_in: usize, d_out: usize) -> Self {
        let linear = LinearConfig::new(d_in, d_out).init(device);
        Self { weight: linear.weight, bias: linear.bias.expect("LinearConfig has a bias by default") }
    }

    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        // With the fused kernels the bias's gradient has its own column-sum kernel, so the
        // bias is added, not carried through the matmul (no concatenations per call).
        #[cfg(target_arch = "wasm32")]
        if crate::kernels::enabled() {
            let [d_in, d_out] = self.weight.dims();
            let product = if crate::kernels::linear_supports(d_in, d_out) {
                crate::kernels::linear(x, self.weight.val())
            } else {
                x.matmul(f32_weight(self.weight.val()).unsqueeze())
            };
            return crate::kernels::add_bias(product, self.bias.val());
        }
        let [b, t, _] = x.dims();
        let [_, d_out] = self.weight.dims();
        let device = x.device();
        let one = Tensor::<3>::ones([b, t, 1], &device);
        let input = Tensor::cat(vec![x, one, Tensor::zeros([b, t, PAD - 1], &device)], 2);
        let weight = Tensor::cat(
            vec![f32_weight(self.weight.val()), self.bias.val().reshape([1, d_out]), Tensor::zeros([PAD - 1, d_out], &device)],
            0,
        );
        input.matmul(weight.unsqueeze())
    }
}
