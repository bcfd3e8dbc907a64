//! RAP's pose loss with homoscedastic weights (Kendall et al.):
//! L = mean‖Δt‖·e^(−sx) + sx + mean‖ΔR‖_F·e^(−sq) + sq, with sx = −3, sq = −6.5 by default.
//! ‖ΔR‖_F is the Frobenius norm of the rotation-matrix difference (2√2·sin(θ/2) for an angle θ).

use burn::tensor::Tensor;

use crate::model::{PoseRegressor, Prediction};

/// Keeps sqrt differentiable at a perfect prediction.
const EPS: f64 = 1e-12;

pub struct LossTerms {
    pub total: Tensor<1>,
    /// Mean translation error (scene units) and mean Frobenius rotation error, for logging.
    pub translation: Tensor<1>,
    pub rotation: Tensor<1>,
}

/// `target`: [B, 3, 4] camera-to-world poses. `learn_weights` lets gradients reach sx and sq.
pub fn pose_loss(model: &PoseRegressor, prediction: Prediction, target: Tensor<3>, learn_weights: bool) -> LossTerms {
    let [b, _, _] = target.dims();
    let target_rotation = target.clone().narrow(2, 0, 3);
    let target_translation = target.narrow(2, 3, 1).reshape([b, 3]);
    let translation = (prediction.translation - target_translation)
        .powi_scalar(2)
        .sum_dim(1)
        .add_scalar(EPS)
        .sqrt()
        .mean();
    let rotation = (prediction.rotation - target_rotation)
        .reshape([b, 9])
        .powi_scalar(2)
        .sum_dim(1)
        .add_scalar(EPS)
        .sqrt()
        .mean();
    let (sx, sq) = if learn_weights {
        (model.sx.val(), model.sq.val())
    } else {
        (model.sx.val().detach(), model.sq.val().detach())
    };
    let total = translation.clone() * sx.clone().neg().exp() + sx + rotation.clone() * sq.clone().neg().exp() + sq;
    LossTerms { total, translation, rotation }
}
