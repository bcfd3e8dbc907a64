//! Structured pruning of the encoders: what has no effect goes first, shapes shrink, bad input
//! is refused.

#[allow(dead_code)]
mod common;

use burn::module::{Module, Param};
use burn::tensor::{Tensor, TensorData};
use common::{batch, block_on, device, tiny_model, values};
use rvs_model::encoder::EncoderLayer;
use rvs_model::model::PoseRegressor;
use rvs_model::prune::prune_encoders;

/// Zeroes the output rows of the first half of the heads and of the feed-forward units.
fn silence_first_half(layer: &mut EncoderLayer) {
    let mask_rows = |w: Tensor<2>, silent: usize| {
        let [rows, cols] = w.dims();
        let mask: Vec<f32> = (0..rows * cols).map(|i| if i / cols < silent { 0.0 } else { 1.0 }).collect();
        let device = w.device();
        Param::from_tensor(w * Tensor::<2>::from_data(TensorData::new(mask, [rows, cols]), &device))
    };
    let head_rows = layer.heads / 2 * layer.head_dim;
    layer.attention_out.weight = mask_rows(layer.attention_out.weight.val(), head_rows);
    let units = layer.ff_out.weight.dims()[0];
    layer.ff_out.weight = mask_rows(layer.ff_out.weight.val(), units / 2);
}

fn model() -> PoseRegressor {
    let config = tiny_model();
    PoseRegressor::new(&config, &device(), -3.0, -6.5).unwrap().valid()
}

#[test]
fn pruning_silent_heads_and_units_keeps_every_prediction() {
    let mut model = model();
    for branch in [&mut model.rotation, &mut model.translation] {
        for layer in branch.encoder.layers.iter_mut() {
            silence_first_half(layer);
        }
    }
    let (images, _) = batch(3, 2, &device());
    let before = values(model.forward(images.clone()).unwrap().pose());
    let full = model.num_params();
    let pruned = block_on(prune_encoders(model, 0.5)).unwrap();
    for branch in [&pruned.rotation, &pruned.translation] {
        for layer in &branch.encoder.layers {
            assert_eq!(layer.heads, tiny_model().heads / 2);
            assert_eq!(layer.ff_in.weight.dims()[1], tiny_model().d_ff / 2);
            assert_eq!(layer.ff_out.weight.dims()[0], tiny_model().d_ff / 2);
        }
    }
    assert!(pruned.num_params() < full, "{} parameters after pruning, {full} before", pruned.num_params());
    let after = values(pruned.forward(images).unwrap().pose());
    for (i, (a, b)) in after.iter().zip(&before).enumerate() {
        assert!((a - b).abs() < 1e-5, "pose value {i}: {a} after pruning, {b} before");
    }
}

#[test]
fn keeping_everything_changes_nothing_and_bad_fractions_are_refused() {
    let model = model();
    let (images, _) = batch(2, 3, &device());
    let before = values(model.forward(images.clone()).unwrap().pose());
    let same = block_on(prune_encoders(model.clone(), 1.0)).unwrap();
    assert_eq!(values(same.forward(images).unwrap().pose()), before);
    for keep in [0.0, -0.5, 1.5, f64::NAN] {
        let err = block_on(prune_encoders(model.clone(), keep)).err().expect("refused");
        assert!(err.contains("fraction in (0, 1]"), "{err}");
    }
}
