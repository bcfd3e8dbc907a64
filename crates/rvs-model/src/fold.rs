//! Inference path: every batch norm folded into the convolution before it
//! (w' = w·γ/√(σ²+ε), b' = β − μ·γ/√(σ²+ε)), removing one full pass over each activation;
//! optionally the weights then halved to f16 (`halve_weights`).

use burn::module::Param;
use burn::nn::conv::Conv2d;
use burn::tensor::Tensor;

use crate::backbone::{Backbone, ConvBn};
use crate::model::PoseRegressor;

fn fold_conv_bn(layer: ConvBn) -> ConvBn {
    let ConvBn { mut conv, bn } = layer;
    let Some(bn) = bn else { return ConvBn { conv, bn: None } };
    let scale = bn.gamma.val() / bn.running_var.value().add_scalar(bn.epsilon).sqrt();
    let [c_out, ..] = conv.weight.dims();
    let weight = conv.weight.val() * scale.clone().reshape([c_out, 1, 1, 1]);
    let old_bias = conv.bias.as_ref().map(|b| b.val()).unwrap_or_else(|| Tensor::zeros([c_out], &scale.device()));
    let bias = bn.beta.val() + (old_bias - bn.running_mean.value()) * scale;
    conv.weight = Param::from_tensor(weight);
    conv.bias = Some(Param::from_tensor(bias));
    ConvBn { conv, bn: None }
}

/// `backbone` with `conv_bn` applied to its stem and to every block's expansion, depthwise and
/// projection, and `conv` to every squeeze-excitation convolution.
fn map_backbone(backbone: Backbone, conv_bn: &impl Fn(ConvBn) -> ConvBn, conv: &impl Fn(Conv2d) -> Conv2d) -> Backbone {
    Backbone {
        stem: conv_bn(backbone.stem),
        stages: backbone
            .stages
            .into_iter()
            .map(|stage| {
                stage
                    .into_iter()
                    .map(|mut block| {
                        block.expand = block.expand.map(conv_bn);
                        block.depthwise = conv_bn(block.depthwise);
                        block.se.fc1 = conv(block.se.fc1);
                        block.se.fc2 = conv(block.se.fc2);
                        block.project = conv_bn(block.project);
                        block
                    })
                    .collect()
            })
            .collect(),
    }
}

/// Expects a model already in inference mode (`valid()`): running statistics, no autodiff.
pub fn fold_batch_norms(model: PoseRegressor) -> PoseRegressor {
    PoseRegressor { backbone: map_backbone(model.backbone, &fold_conv_bn, &|conv| conv), ..model }
}

/// The inference model with its convolution and linear weights in f16 (`kernels::halve`: half
/// the weight memory; every weight-taking kernel reads them, products stay f32). Biases, position
/// embeddings, the pose token and the loss weights stay f32. Expects a folded model.
#[cfg(target_arch = "wasm32")]
pub fn halve_weights(model: PoseRegressor) -> PoseRegressor {
    use crate::branch::PoseBranch;
    use crate::kernels::{halvable, halve};

    fn half<const D: usize>(weight: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let tensor = weight.val();
        if halvable(tensor.shape().num_elements()) { Param::from_tensor(halve(tensor)) } else { weight }
    }
    fn conv(mut conv: Conv2d) -> Conv2d {
        conv.weight = half(conv.weight);
        conv
    }
    fn conv_bn(layer: ConvBn) -> ConvBn {
        ConvBn { conv: conv(layer.conv), ..layer }
    }
    fn linear(mut linear: burn::nn::Linear) -> burn::nn::Linear {
        linear.weight = half(linear.weight);
        linear
    }
    fn token_linear(mut linear: crate::layers::TokenLinear) -> crate::layers::TokenLinear {
        linear.weight = half(linear.weight);
        linear
    }
    fn branch(branch: PoseBranch) -> PoseBranch {
        let layers = branch.encoder.layers.into_iter().map(|layer| crate::encoder::EncoderLayer {
            qkv: token_linear(layer.qkv),
            attention_out: token_linear(layer.attention_out),
            ff_in: token_linear(layer.ff_in),
            ff_out: token_linear(layer.ff_out),
            ..layer
        });
        let encoder = crate::encoder::Encoder { layers: layers.collect() };
        PoseBranch { input_proj: conv(branch.input_proj), encoder, fc1: linear(branch.fc1), fc2: linear(branch.fc2), ..branch }
    }

    let backbone = map_backbone(model.backbone, &conv_bn, &conv);
    PoseRegressor { backbone, rotation: branch(model.rotation), translation: branch(model.translation), ..model }
}
