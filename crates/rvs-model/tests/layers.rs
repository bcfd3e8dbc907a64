//! Custom layers against finite differences, and the torchvision name map.

mod common;

use burn::tensor::{Tensor, TensorData};
use common::{device, values};
use rvs_model::rotation::{rotation_from_6d, rotation_to_6d};

/// Checks d(sum(w ⊙ f(x)))/dx from autodiff against central differences.
fn check_gradient(x0: Vec<f32>, shape: [usize; 2], weights: Vec<f32>, f: impl Fn(Tensor<2>) -> Tensor<2>) {
    let dev = device();
    let objective = |x: Tensor<2>| {
        let y = f(x);
        let [a, b] = y.dims();
        let on = y.device();
        (y * Tensor::<2>::from_data(TensorData::new(weights.clone(), [a, b]), &on)).sum()
    };
    let x = Tensor::<2>::from_data(TensorData::new(x0.clone(), shape), &dev).require_grad();
    let grads = objective(x.clone()).backward();
    let analytic = values(x.grad(&grads).unwrap());
    let h = 1e-2f32;
    for i in 0..x0.len() {
        let at = |delta: f32| {
            let mut v = x0.clone();
            v[i] += delta;
            values(objective(Tensor::<2>::from_data(TensorData::new(v, shape), &dev.clone().inner())))[0] as f64
        };
        let numeric = (at(h) - at(-h)) / (2.0 * h as f64);
        let err = (numeric - analytic[i] as f64).abs();
        assert!(err < 2e-2 * (1.0 + numeric.abs()), "element {i}: autodiff {} vs finite difference {numeric}", analytic[i]);
    }
}

#[test]
fn rotation_from_6d_gradient_matches_finite_differences() {
    let x0 = vec![0.9, 0.2, -0.3, 0.1, 1.1, 0.4, -0.5, 0.7, 0.2, 0.6, 0.1, -0.8];
    let weights: Vec<f32> = (0..18).map(|i| ((i * 7 % 11) as f32 - 5.0) / 5.0).collect();
    check_gradient(x0, [2, 6], weights, |x| {
        let [b, _] = x.dims();
        rotation_from_6d(x).reshape([b, 9])
    });
}

#[test]
fn rotation_from_6d_is_orthonormal_and_inverts_to_6d() {
    let dev = device().inner();
    let x = Tensor::<2>::from_floats([[3.0, 0.1, 0.2, 0.5, 2.0, -0.1], [0.0, 0.0, 1.0, 1.0, 0.0, 1.0]], &dev);
    let r = rotation_from_6d(x);
    let rtr = r.clone().swap_dims(1, 2).matmul(r.clone());
    for (i, v) in values(rtr).iter().enumerate() {
        let expected = if i % 9 % 4 == 0 { 1.0 } else { 0.0 };
        assert!((v - expected).abs() < 1e-5, "RᵀR[{i}] = {v}");
    }
    let again = rotation_from_6d(rotation_to_6d(r.clone()));
    for (a, b) in values(r).iter().zip(values(again)) {
        assert!((a - b).abs() < 1e-5);
    }
}

#[test]
fn pose_loss_gradient_matches_finite_differences() {
    use rvs_model::loss::pose_loss;
    use burn::module::Module;
    use rvs_model::model::{PoseRegressor, Prediction};
    let dev = device();
    let model = PoseRegressor::new(&common::tiny_model(), &dev, -1.0, -2.0).unwrap();
    let target = Tensor::<3>::from_floats(
        [[[0.0, -1.0, 0.0, 0.3], [1.0, 0.0, 0.0, -0.2], [0.0, 0.0, 1.0, 1.5]], [[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 2.0], [0.0, 0.0, 1.0, -1.0]]],
        &dev.clone().inner(),
    );
    // The prediction as one [2, 9] input: translation (3) then 6D rotation (6).
    let x0 = vec![0.1, 0.2, 1.0, 0.8, 0.3, 0.1, -0.2, 1.0, 0.3, 0.5, 1.7, -0.9, 0.9, 0.1, 0.2, 0.0, 1.2, -0.1];
    check_gradient(x0, [2, 9], vec![1.0], |x| {
        let on = x.device();
        let prediction = Prediction { translation: x.clone().narrow(1, 0, 3), rotation: rotation_from_6d(x.narrow(1, 3, 6)) };
        let model_on = if on.is_autodiff() { model.clone() } else { model.valid() };
        pose_loss(&model_on, prediction, target.clone().to_device(&on), true).total.reshape([1, 1])
    });
}

#[test]
fn every_backbone_tensor_has_a_torchvision_name() {
    use rvs_model::config::ModelConfig;
    use rvs_model::model::PoseRegressor;
    use rvs_model::params::{named_tensors, torchvision_name};
    let model = PoseRegressor::new(&ModelConfig::full(), &device().inner(), -3.0, -6.5).unwrap();
    let names: Vec<(String, Option<String>)> = named_tensors(&model).into_iter().map(|t| (t.name.clone(), torchvision_name(&t.name))).collect();
    let backbone: Vec<_> = names.iter().filter(|(n, _)| n.starts_with("backbone.")).collect();
    assert!(backbone.iter().all(|(_, tv)| tv.is_some()), "unmapped: {:?}", backbone.iter().find(|(_, tv)| tv.is_none()));
    let tv: std::collections::HashSet<_> = backbone.iter().filter_map(|(_, tv)| tv.clone()).collect();
    assert_eq!(tv.len(), backbone.len(), "two tensors map to one torchvision name");
    for expected in ["features.0.0.weight", "features.0.1.running_var", "features.1.0.block.0.0.weight", "features.1.0.block.1.fc1.bias",
        "features.1.0.block.2.1.weight", "features.2.1.block.0.1.bias", "features.3.0.block.1.0.weight", "features.5.2.block.2.fc2.weight",
        "features.5.2.block.3.1.running_mean"] {
        assert!(tv.contains(expected), "{expected} not produced");
    }
    // torchvision's B0 to features.5: 209 tensors with running stats (no num_batches_tracked).
    assert_eq!(tv.len(), 209);
}
