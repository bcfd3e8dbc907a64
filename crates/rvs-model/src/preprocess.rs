//! Rendered views arrive as [B, H, W, 4] f32 RGBA in [0, 1] (the rasterizer's layout, already at
//! the model's input size); the model wants ImageNet-normalised [B, 3, H, W]. Done here, on the
//! GPU, so a render reaches the model with one buffer copy.

use burn::tensor::Tensor;

pub const IMAGENET_MEAN: [f32; 3] = [0.485, 0.456, 0.406];
pub const IMAGENET_STD: [f32; 3] = [0.229, 0.224, 0.225];

pub fn rgba_to_input(rgba: Tensor<4>) -> Tensor<4> {
    let device = rgba.device();
    let rgb = rgba.narrow(3, 0, 3).permute([0, 3, 1, 2]);
    let mean = Tensor::<1>::from_floats(IMAGENET_MEAN, &device).reshape([1, 3, 1, 1]);
    let std = Tensor::<1>::from_floats(IMAGENET_STD, &device).reshape([1, 3, 1, 1]);
    (rgb - mean) / std
}
