//! f16 weights for the inference path: `halve` rounds an f32 weight to f16 and keeps it as a
//! tensor of dtype F16 (half the memory), stored as pairs packed in 32-bit words; the kernels
//! that take weights (1×1 and depthwise convolutions, the token linear layers on matrix units)
//! read it through `weight_source`, which widens each value with WGSL's `unpack2x16float`. That
//! built-in is core WGSL, so halved weights work on every adapter, with or without
//! `shader-f16` (SwiftShader has none); products and sums stay f32. Burn's own operations never
//! see these tensors: layers `widen` a halved weight first where no kernel of ours takes it.

use burn::backend::fusion::custom::TensorSpec;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, Dispatch, backend_extension};
use burn::tensor::{DType, Shape, Tensor};
use burn_cubecl::CubeBackend;
use burn_cubecl::kernel::into_contiguous;
use burn_cubecl::tensor::CubeTensor;

use super::{MAX_GROUPS, WORKGROUP, Wgsl, binding, empty_f32, launch, words};

/// Whether `halve` takes a tensor of this many elements: pairs fill whole words.
pub fn halvable(elements: usize) -> bool {
    elements > 0 && elements % 2 == 0
}

/// `weight` rounded to f16 (round to nearest even), as a tensor of dtype F16; its element count
/// must be `halvable`. Not differentiable: for inference models.
pub fn halve<const D: usize>(weight: Tensor<D>) -> Tensor<D> {
    assert!(halvable(weight.shape().num_elements()), "halve: {:?} has an odd element count", weight.dims());
    Tensor::from_dispatch(Dispatch::halve(weight.into_dispatch()))
}

/// A halved weight back as f32 (exactly the f16 values); f32 tensors come back as they are.
pub fn widen<const D: usize>(weight: Tensor<D>) -> Tensor<D> {
    if !is_half(&weight) {
        return weight;
    }
    Tensor::from_dispatch(Dispatch::widen(weight.into_dispatch()))
}

pub fn is_half<const D: usize>(tensor: &Tensor<D>) -> bool {
    tensor.dtype() == DType::F16
}

#[backend_extension(Cube, Fusion)]
pub trait HalfOps: Backend {
    #[fusion(meta = |x| TensorSpec::new(x.shape.clone(), DType::F16))]
    fn halve(x: FloatTensor<Self>) -> FloatTensor<Self>;

    #[fusion(meta = |x| TensorSpec::new(x.shape.clone(), DType::F32))]
    fn widen(x: FloatTensor<Self>) -> FloatTensor<Self>;
}

/// Launches `template` over `pairs` pairs of values (a thread per pair, grid-stride).
fn convert(name: &'static str, template: &'static str, from: &CubeTensor, to: &CubeTensor, pairs: usize) {
    let params = words(from, &[pairs as u32]);
    let groups = ((pairs as u32).div_ceil(WORKGROUP).clamp(1, MAX_GROUPS), 1);
    launch(from, Wgsl { name, template, values: Vec::new() }, groups, vec![binding(from), params.binding(), binding(to)]);
}

impl HalfOps for CubeBackend {
    fn halve(x: CubeTensor) -> CubeTensor {
        let x = into_contiguous(x);
        let shape: Shape = x.meta.shape().clone();
        let count = shape.num_elements();
        let handle = x.client.empty(count * DType::F16.size());
        let out = CubeTensor::new_contiguous(x.client.clone(), x.device.clone(), shape, handle, DType::F16);
        convert("halve", include_str!("halve.wgsl"), &x, &out, count / 2);
        out
    }

    fn widen(x: CubeTensor) -> CubeTensor {
        // Halved tensors are made contiguous (by `halve`) and only ever reshaped.
        let out = empty_f32(&x, &x.meta.shape().to_vec());
        let count = x.meta.shape().num_elements();
        convert("widen", include_str!("widen.wgsl"), &x, &out, count / 2);
        out
    }
}

/// The WGSL declaration of a weight binding at `binding` in group 0 and its reader
/// `weight_at(i) -> f32` (element i in the weight's own layout), for an f32 or a halved weight.
/// Kernels name the place `{{ weight }}` and read the weight only through `weight_at`.
pub(super) fn weight_source(weight: &CubeTensor, binding: u32) -> (&'static str, String) {
    let source = if weight.dtype == DType::F16 {
        format!(
            "@group(0) @binding({binding}) var<storage, read> weight: array<u32>;\n\
             // Two f16 weights per word, the first in the low half (little-endian).\n\
             fn weight_at(i: u32) -> f32 {{ return unpack2x16float(weight[i >> 1u])[i & 1u]; }}"
        )
    } else {
        format!("@group(0) @binding({binding}) var<storage, read> weight: array<f32>;\nfn weight_at(i: u32) -> f32 {{ return weight[i]; }}")
    };
    ("weight", source)
}

/// The same for the B operand of `matmul_subgroup.wgsl` (binding 1), read four values at a time:
/// `read_b(i) -> vec4<f32>` is its i-th group of four.
pub(super) fn matrix_operand_source(b: &CubeTensor) -> (&'static str, String) {
    let source = if b.dtype == DType::F16 {
        "@group(0) @binding(1) var<storage, read> b: array<vec2<u32>>;\n\
         fn read_b(i: u32) -> vec4<f32> { let w = b[i]; return vec4<f32>(unpack2x16float(w.x), unpack2x16float(w.y)); }"
    } else {
        "@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;\nfn read_b(i: u32) -> vec4<f32> { return b[i]; }"
    };
    ("b", source.to_string())
}

/// Checks of halved weights on the device at hand (part of `verify`): the round trip against
/// f16 rounding done on the CPU (exact), and each weight-taking kernel given a halved weight
/// against the same kernel or Burn's operation given that weight widened (summation order only;
/// f16 products on matrix units round the inputs anyway).
pub(super) async fn checks(device: &burn::tensor::Device) -> Result<Vec<super::Check>, String> {
    use burn::tensor::{Distribution, TensorData, f16};
    use burn::tensor::module::conv2d;
    use burn::tensor::ops::ConvOptions;

    use super::verify::{F16_PRODUCT_TOLERANCE, compare, compare_within};
    use super::{depthwise_conv2d, linear, pointwise_conv};
    use crate::trainer::read;

    let normal = Distribution::Normal(0.0, 1.0);
    let device = &device.clone().inner();
    let mut checks = Vec::new();

    // Rows of different scales (about 2.5e-3 to 400 times normal values: within f16's range).
    let weight = Tensor::<2>::random([37, 42], normal, device) * Tensor::<2>::random([37, 1], Distribution::Uniform(-6.0, 6.0), device).exp();
    let rounded: Vec<f32> = read(weight.clone().reshape([37 * 42])).await?.into_iter().map(|v| f16::from_f32(v).to_f32()).collect();
    let rounded = Tensor::<2>::from_data(TensorData::new(rounded, [37, 42]), device);
    // 1e-7 of the largest value: a value of 0.2 rounded to the wrong neighbour shows; subnormal
    // values flushed to zero (allowed in WGSL) do not.
    checks.push(compare_within("f16 weights: halved and widened vs rounded on the CPU".into(), widen(halve(weight)), rounded, 1e-7).await?);

    let (batch, c_in, c_out, length) = (2, 70, 40, 131);
    let x = Tensor::<3>::random([batch, c_in, length], normal, device);
    let weight = halve(Tensor::<2>::random([c_out, c_in], normal, device));
    let reference = widen(weight.clone()).unsqueeze::<3>().matmul(x.clone());
    checks.push(compare(format!("f16 weights: pointwise {c_in} → {c_out}, batch {batch}, {length} positions"), pointwise_conv(x, weight), reference).await?);

    for (kernel, stride) in [(3, 1), (5, 2)] {
        let (batch, channels, height, width, padding) = (2, 6, 13, 11, (kernel - 1) / 2);
        let x = Tensor::<4>::random([batch, channels, height, width], normal, device);
        let weight = halve(Tensor::<4>::random([channels, 1, kernel, kernel], normal, device));
        let options = ConvOptions::new([stride, stride], [padding, padding], [1, 1], channels);
        let reference = conv2d(x.clone(), widen(weight.clone()), None, options);
        let name = format!("f16 weights: depthwise {kernel}×{kernel} stride {stride}, {channels} channels of {height}×{width}");
        checks.push(compare(name, depthwise_conv2d(x, weight, stride, padding), reference).await?);
    }

    // Only where the device has subgroup matrices (the H100 runs it).
    if super::subgroup_matrices_available() {
        let (batch, tokens, d_in, d_out) = (2, 37, 64, 128);
        let x = Tensor::<3>::random([batch, tokens, d_in], normal, device);
        let weight = halve(Tensor::<2>::random([d_in, d_out], normal, device));
        let reference = x.clone().matmul(widen(weight.clone()).unsqueeze());
        let name = format!("f16 weights: linear on subgroup matrices, {batch}×{tokens} tokens, {d_in} → {d_out}");
        checks.push(compare_within(name, linear(x, weight), reference, F16_PRODUCT_TOLERANCE).await?);
    }
    Ok(checks)
}
