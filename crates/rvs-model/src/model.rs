//! The absolute pose regressor: image batch [B, 3, H, W] (ImageNet-normalised) → camera-to-world
//! poses. RAP's layout: rotation from the stride-8 stage, translation from the stride-16 stage.

use burn::module::{Module, Param};
use burn::tensor::{Device, Tensor};

use crate::backbone::Backbone;
use crate::branch::PoseBranch;
use crate::config::ModelConfig;
use crate::rotation::rotation_from_6d;

#[derive(Module, Debug)]
pub struct PoseRegressor {
    pub backbone: Backbone,
    pub rotation: PoseBranch,
    pub translation: PoseBranch,
    /// RAP's loss weights (log-variances) for translation and rotation; trained only when the
    /// loss says so (see `loss.rs`), but always saved so a resume restores them.
    pub sx: Param<Tensor<1>>,
    pub sq: Param<Tensor<1>>,
}

pub struct Prediction {
    /// [B, 3]
    pub translation: Tensor<2>,
    /// [B, 3, 3]
    pub rotation: Tensor<3>,
}

impl Prediction {
    /// [B, 3, 4] camera-to-world matrices [R | t].
    pub fn pose(self) -> Tensor<3> {
        let [b, _] = self.translation.dims();
        Tensor::cat(vec![self.rotation, self.translation.reshape([b, 3, 1])], 2)
    }
}

impl PoseRegressor {
    pub fn new(config: &ModelConfig, device: &Device, sx: f32, sq: f32) -> Result<Self, String> {
        config.validate()?;
        let (rot_channels, trans_channels) = Backbone::channels(config);
        let scalar = |v: f32| Param::from_tensor(Tensor::<1>::from_floats([v], device));
        Ok(Self {
            backbone: Backbone::new(config, device),
            rotation: PoseBranch::new(config, device, rot_channels, 6),
            translation: PoseBranch::new(config, device, trans_channels, 3),
            sx: scalar(sx),
            sq: scalar(sq),
        })
    }

    pub fn forward(&self, images: Tensor<4>) -> Result<Prediction, String> {
        let [_, channels, height, width] = images.dims();
        if channels != 3 {
            return Err(format!("expected 3-channel images, got {channels}"));
        }
        if height < 16 || width < 16 {
            return Err(format!("images of {width}×{height} are too small: the backbone downsamples 16×"));
        }
        let features = self.backbone.forward(images);
        let r6 = self.rotation.forward(features.rotation)?;
        let translation = self.translation.forward(features.translation)?;
        Ok(Prediction { translation, rotation: rotation_from_6d(r6) })
    }
}
