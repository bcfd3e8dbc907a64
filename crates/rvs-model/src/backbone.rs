//! EfficientNet-B0 up to its 112-channel stage (torchvision's `features[0..=5]`), laid out so
//! every parameter maps one-to-one onto a torchvision name (see `names.rs`).
//! Stage 3 (40 channels, stride 8) feeds the rotation branch, stage 5 (112, stride 16) the
//! translation branch, as in RAP.

use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, PaddingConfig2d};
use burn::tensor::activation::{sigmoid, silu};
use burn::tensor::{Device, Tensor};

use crate::config::{ModelConfig, scaled_channels, scaled_repeats};
use crate::layers::{batch_norm, conv2d, patch_conv2d, scale_rows, sum_rows};

/// torchvision's B0 table up to stage 5: (expand ratio, kernel, stride, out channels, repeats).
pub const B0_STAGES: [(usize, usize, usize, usize, usize); 5] =
    [(1, 3, 1, 16, 1), (6, 3, 2, 24, 2), (6, 5, 2, 40, 2), (6, 3, 2, 80, 3), (6, 5, 1, 112, 3)];
pub const STEM_CHANNELS: usize = 32;
/// Index (1-based, torchvision's) of the stage whose output feeds the rotation branch.
pub const ROTATION_STAGE: usize = 3;

#[derive(Module, Debug)]
pub struct ConvBn {
    pub conv: Conv2d,
    /// None once folded into `conv` for inference (see `fold.rs`).
    pub bn: Option<BatchNorm>,
}

impl ConvBn {
    fn new(device: &Device, c_in: usize, c_out: usize, kernel: usize, stride: usize, groups: usize) -> Self {
        let pad = (kernel - 1) / 2;
        let conv = Conv2dConfig::new([c_in, c_out], [kernel, kernel])
            .with_stride([stride, stride])
            .with_padding(PaddingConfig2d::Explicit(pad, pad, pad, pad))
            .with_groups(groups)
            .with_bias(false)
            .init(device);
        Self { conv, bn: Some(BatchNormConfig::new(c_out).init(device)) }
    }

    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        self.normalize(conv2d(&self.conv, x))
    }

    fn normalize(&self, y: Tensor<4>) -> Tensor<4> {
        match &self.bn {
            Some(bn) => batch_norm(bn, y),
            None => y,
        }
    }
}

#[derive(Module, Debug)]
pub struct SqueezeExcite {
    pub fc1: Conv2d,
    pub fc2: Conv2d,
}

impl SqueezeExcite {
    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let [b, c, h, w] = x.dims();
        // On rows [B·C, H·W]: the pooling and the scale's gradient are row sums.
        let rows = x.reshape([b * c, h * w]);
        let pooled = (sum_rows(rows.clone()) / (h * w) as f64).reshape([b, c, 1, 1]);
        let scale = sigmoid(conv2d(&self.fc2, silu(conv2d(&self.fc1, pooled))));
        scale_rows(rows, scale.reshape([b * c, 1])).reshape([b, c, h, w])
    }
}

#[derive(Module, Debug)]
pub struct MbConv {
    pub expand: Option<ConvBn>,
    pub depthwise: ConvBn,
    pub se: SqueezeExcite,
    pub project: ConvBn,
    pub residual: bool,
}

impl MbConv {
    fn new(device: &Device, c_in: usize, c_out: usize, expand_ratio: usize, kernel: usize, stride: usize) -> Self {
        let expanded = scaled_channels(c_in * expand_ratio, 1.0);
        let expanded = if expand_ratio == 1 { c_in } else { expanded };
        let squeeze = (c_in / 4).max(1);
        let se_conv = |a, b| Conv2dConfig::new([a, b], [1, 1]).init(device);
        Self {
            expand: (expand_ratio != 1).then(|| ConvBn::new(device, c_in, expanded, 1, 1, 1)),
            depthwise: ConvBn::new(device, expanded, expanded, kernel, stride, expanded),
            se: SqueezeExcite { fc1: se_conv(expanded, squeeze), fc2: se_conv(squeeze, expanded) },
            project: ConvBn::new(device, expanded, c_out, 1, 1, 1),
            residual: stride == 1 && c_in == c_out,
        }
    }

    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let mut h = x.clone();
        if let Some(expand) = &self.expand {
            h = silu(expand.forward(h));
        }
        h = silu(self.depthwise.forward(h));
        h = self.project.forward(self.se.forward(h));
        if self.residual { h + x } else { h }
    }
}

#[derive(Module, Debug)]
pub struct Backbone {
    pub stem: ConvBn,
    pub stages: Vec<Vec<MbConv>>,
}

/// The two feature maps the pose branches read.
pub struct Features {
    pub rotation: Tensor<4>,
    pub translation: Tensor<4>,
}

impl Backbone {
    pub fn new(config: &ModelConfig, device: &Device) -> Self {
        let stem_out = scaled_channels(STEM_CHANNELS, config.width_mult);
        let mut c_in = stem_out;
        let stages = B0_STAGES
            .iter()
            .map(|&(expand, kernel, stride, out, repeats)| {
                let c_out = scaled_channels(out, config.width_mult);
                let blocks = (0..scaled_repeats(repeats, config.depth_mult))
                    .map(|i| {
                        let block = MbConv::new(device, c_in, c_out, expand, kernel, if i == 0 { stride } else { 1 });
                        c_in = c_out;
                        block
                    })
                    .collect();
                blocks
            })
            .collect();
        Self { stem: ConvBn::new(device, 3, stem_out, 3, 2, 1), stages }
    }

    pub fn channels(config: &ModelConfig) -> (usize, usize) {
        let c = |stage: usize| scaled_channels(B0_STAGES[stage - 1].3, config.width_mult);
        (c(ROTATION_STAGE), c(B0_STAGES.len()))
    }

    /// Burn's BatchNorm keeps running-statistic updates aside until read with `value_sync`;
    /// visits and maps (saving, `valid()`) read the stored value, so sync before them.
    pub fn sync_running_stats(&self) {
        let sync = |layer: &ConvBn| {
            if let Some(bn) = &layer.bn {
                bn.running_mean.value_sync();
                bn.running_var.value_sync();
            }
        };
        sync(&self.stem);
        for block in self.stages.iter().flatten() {
            if let Some(expand) = &block.expand {
                sync(expand);
            }
            sync(&block.depthwise);
            sync(&block.project);
        }
    }

    pub fn forward(&self, images: Tensor<4>) -> Features {
        let mut x = silu(self.stem.normalize(patch_conv2d(&self.stem.conv, images)));
        let mut rotation = None;
        for (index, stage) in self.stages.iter().enumerate() {
            for block in stage {
                x = block.forward(x);
            }
            if index + 1 == ROTATION_STAGE {
                rotation = Some(x.clone());
            }
        }
        Features { rotation: rotation.expect("backbone has a rotation stage"), translation: x }
    }
}
