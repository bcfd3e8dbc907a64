//! Rendered views arrive as [B, H, W, 4] f32 RGBA in [0, 1] (the rasterizer's layout, already at
//! the model's input size); the model wants ImageNet-normalised [B, 3, H, W]. Done here, on the
//! GPU, so a render reaches the model with one buffer copy.

use burn::tensor::Tensor;

pub const IMAGENET_MEAN: [f32; 3] = [0.485, 0.456, 0.406];
pub const IMAGENET_STD: [f32; 3] = [0.229, 0.224, 0.225];

pub fn rgba_to_input(rgba: Tensor<4>) -> Tensor<4> {
    let device = rgba.device();
    let rgb = rgba.narrow(3, 0, 3).permute([0, 3, 1, 2]);
    // Filled on the GPU rather than uploaded: a captured training step (`captured.rs`) can't
    // contain uploads, and this runs in every step.
    let per_channel = |values: [f32; 3]| Tensor::cat(values.map(|v| Tensor::<4>::full([1, 1, 1, 1], v, &device)).to_vec(), 1);
    (rgb - per_channel(IMAGENET_MEAN)) / per_channel(IMAGENET_STD)
}
