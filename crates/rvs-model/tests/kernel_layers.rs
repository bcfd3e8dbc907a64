//! The kernel-friendly layers (`layers.rs`, `encoder.rs`) against the Burn modules they
//! replace: same outputs and same gradients for the same parameters.

#[allow(dead_code)]
mod common;

use burn::module::Param;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::transformer::{TransformerEncoderConfig, TransformerEncoderInput};
use burn::nn::{BatchNormConfig, LayerNormConfig, LinearConfig};
use burn::tensor::{Distribution, Tensor};
use common::{device, values};
use rvs_model::encoder::{Encoder, EncoderLayer, LAYER_NORM_EPSILON};
use burn::nn::PaddingConfig2d;
use rvs_model::layers::{TokenLinear, batch_norm, conv2d, normalize_last, patch_conv2d};

fn assert_close(a: &[f32], b: &[f32], tolerance: f32, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!((x - y).abs() <= tolerance * (1.0 + y.abs()), "{what}[{i}]: {x} vs {y}");
    }
}

fn random<const D: usize>(shape: [usize; D]) -> Tensor<D> {
    Tensor::random(shape, Distribution::Normal(0.0, 1.0), &device())
}

/// `ours` against Burn's `conv.forward` on `x`, with and without a bias: the output, the weight
/// and bias gradients, and the input gradient when `x` requires one.
fn check_convolution(conv: impl Fn(bool) -> Conv2d, x: Tensor<4>, weights: Tensor<4>, ours: fn(&Conv2d, Tensor<4>) -> Tensor<4>, tolerance: f32) {
    for bias in [true, false] {
        let conv = conv(bias);
        let run = |use_ours: bool| {
            let y = if use_ours { ours(&conv, x.clone()) } else { conv.forward(x.clone()) };
            let grads = (y.clone() * weights.clone()).sum().backward();
            let mut out = vec![values(y)];
            out.extend(x.grad(&grads).map(values));
            out.push(values(conv.weight.grad(&grads).unwrap()));
            if let Some(b) = &conv.bias {
                out.push(values(b.grad(&grads).unwrap()));
            }
            out
        };
        for (i, (a, b)) in run(true).iter().zip(run(false)).enumerate() {
            assert_close(a, &b, tolerance, &format!("bias {bias}, output/gradient {i}"));
        }
    }
}

#[test]
fn one_by_one_convolution_as_matmul_matches_conv2d() {
    let conv = |bias| Conv2dConfig::new([5, 7], [1, 1]).with_bias(bias).init(&device());
    check_convolution(conv, random([2, 5, 3, 4]).require_grad(), random([2, 7, 3, 4]), conv2d, 1e-5);
}

#[test]
fn strided_convolution_from_patches_matches_conv2d() {
    let conv = |bias| {
        Conv2dConfig::new([3, 5], [3, 3]).with_stride([2, 2]).with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1)).with_bias(bias).init(&device())
    };
    check_convolution(conv, random([2, 3, 9, 7]), random([2, 5, 5, 4]), patch_conv2d, 1e-4);
}

#[test]
fn batch_norm_with_two_stage_sums_matches_burn() {
    let make = || {
        let mut bn = BatchNormConfig::new(6).init(&device());
        bn.gamma = Param::from_tensor(Tensor::<1>::from_floats([0.5, 1.0, 1.5, -0.7, 2.0, 0.9], &device()));
        bn.beta = Param::from_tensor(Tensor::<1>::from_floats([0.1, -0.2, 0.3, 0.0, 0.5, -1.0], &device()));
        bn
    };
    let (ours, burn) = (make(), make());
    let x = (random([3, 6, 4, 5]) * 2.0 + 0.5).require_grad();
    let weights = random([3, 6, 4, 5]);
    let run = |bn: &burn::nn::BatchNorm, mine: bool| {
        let y = if mine { batch_norm(bn, x.clone()) } else { bn.forward(x.clone()) };
        let grads = (y.clone() * weights.clone()).sum().backward();
        vec![values(y), values(x.grad(&grads).unwrap()), values(bn.gamma.grad(&grads).unwrap()), values(bn.beta.grad(&grads).unwrap())]
    };
    for (i, (a, b)) in run(&ours, true).iter().zip(run(&burn, false)).enumerate() {
        assert_close(a, &b, 1e-4, &format!("output/gradient {i}"));
    }
    assert_close(&values(ours.running_mean.value_sync()), &values(burn.running_mean.value_sync()), 1e-5, "running mean");
    // Ours keeps PyTorch's unbiased running variance, Burn the biased one: m·var·n/(n−1) vs m·var.
    let count = (3 * 4 * 5) as f32;
    let keep = 1.0 - burn.momentum as f32;
    let ours_var: Vec<f32> = values(ours.running_var.value_sync()).iter().map(|v| v - keep).collect();
    let burn_var: Vec<f32> = values(burn.running_var.value_sync()).iter().map(|v| (v - keep) * count / (count - 1.0)).collect();
    assert_close(&ours_var, &burn_var, 1e-4, "running variance");
}

#[test]
fn token_linear_matches_linear_with_the_same_parameters() {
    let linear = LinearConfig::new(6, 10).init(&device());
    let ours = TokenLinear { weight: linear.weight.clone(), bias: linear.bias.clone().unwrap() };
    let x = random([2, 5, 6]).require_grad();
    let weights = random([2, 5, 10]);
    let run = |mine: bool| {
        let y = if mine { ours.forward(x.clone()) } else { linear.forward(x.clone()) };
        let grads = (y.clone() * weights.clone()).sum().backward();
        vec![
            values(y),
            values(x.grad(&grads).unwrap()),
            values(linear.weight.grad(&grads).unwrap()),
            values(linear.bias.as_ref().unwrap().grad(&grads).unwrap()),
        ]
    };
    for (i, (a, b)) in run(true).iter().zip(run(false)).enumerate() {
        assert_close(a, &b, 1e-5, &format!("output/gradient {i}"));
    }
}

#[test]
fn normalize_last_is_layer_norm_with_unit_scale_and_zero_shift() {
    let norm = LayerNormConfig::new(8).with_epsilon(LAYER_NORM_EPSILON).init(&device());
    let x = random([2, 3, 8]) * 3.0;
    assert_close(&values(normalize_last(x.clone(), LAYER_NORM_EPSILON)), &values(norm.forward(x)), 1e-5, "normalised");
}

#[test]
fn encoder_layer_matches_burns_pre_norm_transformer_layer() {
    let (d, d_ff, heads) = (8, 16, 2);
    let burn = TransformerEncoderConfig::new(d, d_ff, heads, 1).with_norm_first(true).with_dropout(0.0).init(&device());
    let reference = &burn.layers[0];
    let mha = &reference.mha;
    let cat_weights = Tensor::cat(vec![mha.query.weight.val(), mha.key.weight.val(), mha.value.weight.val()], 1);
    let bias = |l: &burn::nn::Linear| l.bias.as_ref().unwrap().val();
    let cat_bias = Tensor::cat(vec![bias(&mha.query), bias(&mha.key), bias(&mha.value)], 0);
    let token = |l: &burn::nn::Linear| TokenLinear { weight: l.weight.clone(), bias: l.bias.clone().unwrap() };
    let ours = EncoderLayer {
        qkv: TokenLinear { weight: Param::from_tensor(cat_weights.detach()), bias: Param::from_tensor(cat_bias.detach()) },
        attention_out: token(&mha.output),
        ff_in: token(&reference.pwff.linear_inner),
        ff_out: token(&reference.pwff.linear_outer),
        heads,
        head_dim: d / heads,
    };
    let x = random([2, 5, d]);
    let expected = burn.forward(TransformerEncoderInput::new(x.clone()));
    assert_close(&values(ours.forward(x, None)), &values(expected), 1e-4, "encoder output");
}

#[test]
fn padded_encoder_matches_its_layers_on_the_real_tokens() {
    // 5 tokens run padded to 8 with the padding masked out of attention: outputs and input
    // gradients must be those of the layers run on the 5 tokens alone.
    let encoder = Encoder::new(&device(), 8, 16, 2, 2);
    let x = random([2, 5, 8]).require_grad();
    let weights = random([2, 5, 8]);
    let padded = encoder.forward(x.clone());
    let alone = encoder.layers.iter().fold(x.clone(), |x, layer| layer.forward(x, None));
    assert_close(&values(padded.clone()), &values(alone.clone()), 1e-5, "outputs");
    let g_padded = x.grad(&(padded * weights.clone()).sum().backward()).unwrap();
    let g_alone = x.grad(&(alone * weights).sum().backward()).unwrap();
    assert_close(&values(g_padded), &values(g_alone), 1e-5, "input gradients");
}
