//! Inference path: every batch norm folded into the convolution before it
//! (w' = w·γ/√(σ²+ε), b' = β − μ·γ/√(σ²+ε)), removing one full pass over each activation.

use burn::module::Param;
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

fn fold_backbone(backbone: Backbone) -> Backbone {
    Backbone {
        stem: fold_conv_bn(backbone.stem),
        stages: backbone
            .stages
            .into_iter()
            .map(|stage| {
                stage
                    .into_iter()
                    .map(|mut block| {
                        block.expand = block.expand.map(fold_conv_bn);
                        block.depthwise = fold_conv_bn(block.depthwise);
                        block.project = fold_conv_bn(block.project);
                        block
                    })
                    .collect()
            })
            .collect(),
    }
}

/// Expects a model already in inference mode (`valid()`): running statistics, no autodiff.
pub fn fold_batch_norms(model: PoseRegressor) -> PoseRegressor {
    PoseRegressor { backbone: fold_backbone(model.backbone), ..model }
}
