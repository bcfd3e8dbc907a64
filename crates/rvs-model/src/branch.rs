//! One RAP pose branch: 1×1 projection of a feature map to d channels, learned row/column
//! position embeddings (DETR-style, d/2 each), a learned pose token in front of the H·W tokens,
//! a pre-norm transformer encoder, and an MLP head reading the (normalised) pose token.

use burn::module::{Module, Param};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{Linear, LinearConfig};
use burn::tensor::activation::gelu;
use burn::tensor::{Device, Distribution, Tensor};

use crate::config::ModelConfig;
use crate::encoder::{Encoder, LAYER_NORM_EPSILON};
use crate::layers::{conv2d, linear_forward, normalize_last};

#[derive(Module, Debug)]
pub struct PoseBranch {
    pub input_proj: Conv2d,
    pub row_embed: Param<Tensor<2>>,
    pub col_embed: Param<Tensor<2>>,
    pub pose_token: Param<Tensor<2>>,
    pub encoder: Encoder,
    pub fc1: Linear,
    pub fc2: Linear,
}

impl PoseBranch {
    pub fn new(config: &ModelConfig, device: &Device, in_channels: usize, outputs: usize) -> Self {
        let d = config.d_model;
        let uniform = |rows: usize, cols: usize| {
            Param::from_tensor(Tensor::<2>::random([rows, cols], Distribution::Uniform(0.0, 1.0), device))
        };
        let encoder = Encoder::new(device, d, config.d_ff, config.heads, config.layers);
        Self {
            input_proj: Conv2dConfig::new([in_channels, d], [1, 1]).init(device),
            row_embed: uniform(config.max_positions, d / 2),
            col_embed: uniform(config.max_positions, d / 2),
            pose_token: Param::from_tensor(Tensor::<2>::random([1, d], Distribution::Normal(0.0, 0.02), device)),
            encoder,
            fc1: LinearConfig::new(d, config.head_hidden).init(device),
            fc2: LinearConfig::new(config.head_hidden, outputs).init(device),
        }
    }

    pub fn forward(&self, features: Tensor<4>) -> Result<Tensor<2>, String> {
        let x = conv2d(&self.input_proj, features);
        let [b, d, h, w] = x.dims();
        let max = self.row_embed.dims()[0];
        if h > max || w > max {
            return Err(format!(
                "feature map {h}×{w} exceeds the {max} learned positions; lower the input size or raise maxPositions"
            ));
        }
        // Position of token (y, x) = [row_embed[y] | col_embed[x]], added to the features.
        let rows = self.row_embed.val().narrow(0, 0, h).reshape([h, 1, d / 2]).expand([h, w, d / 2]);
        let cols = self.col_embed.val().narrow(0, 0, w).reshape([1, w, d / 2]).expand([h, w, d / 2]);
        let position = Tensor::cat(vec![rows, cols], 2).reshape([1, h * w, d]);
        let tokens = x.reshape([b, d, h * w]).swap_dims(1, 2) + position;
        let token = self.pose_token.val().reshape([1, 1, d]).expand([b, 1, d]);
        let sequence = Tensor::cat(vec![token, tokens], 1);
        let encoded = self.encoder.forward(sequence);
        let pose_token = normalize_last(encoded.narrow(1, 0, 1), LAYER_NORM_EPSILON).reshape([b, d]);
        Ok(linear_forward(&self.fc2, gelu(linear_forward(&self.fc1, pose_token))))
    }
}
