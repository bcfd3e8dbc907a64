//! Our Adam against the textbook update written out per element, over several steps, with both
//! kinds of weight decay and a frozen parameter.

mod common;

use std::collections::HashSet;

use burn::module::{Module, Param};
use burn::optim::GradientsParams;
use burn::tensor::Tensor;
use common::{device, values};
use rvs_model::optim::{Adam, AdamConfig};

#[derive(Module, Debug)]
struct Two {
    a: Param<Tensor<2>>,
    b: Param<Tensor<1>>,
    frozen: Param<Tensor<1>>,
}

fn two() -> Two {
    let d = device();
    Two {
        a: Param::from_tensor(Tensor::<2>::from_floats([[0.5, -1.0, 2.0], [0.25, 0.0, -0.75]], &d)),
        b: Param::from_tensor(Tensor::<1>::from_floats([1.0, -2.0], &d)),
        frozen: Param::from_tensor(Tensor::<1>::from_floats([3.0, 4.0], &d)),
    }
}

/// The loss's per-element factors (a row-major).
const C_A: [f32; 6] = [1.0, 2.0, -1.0, 0.5, 3.0, 1.0];
const C_B: [f32; 2] = [-1.0, 0.5];

/// loss = Σ c_a·a³ + Σ c_b·b² + Σ frozen: gradients 3·c_a·a², 2·c_b·b and 1, different per element.
fn grads(m: &Two) -> GradientsParams {
    let d = device();
    let c_a = Tensor::<1>::from_floats(C_A, &d).reshape([2, 3]);
    let c_b = Tensor::<1>::from_floats(C_B, &d);
    let loss = (m.a.val().powi_scalar(3) * c_a).sum() + (m.b.val().powi_scalar(2) * c_b).sum() + m.frozen.val().sum();
    GradientsParams::from_grads(loss.backward(), m)
}

/// The same steps on plain floats, one element at a time.
struct Reference {
    w: Vec<f32>,
    m: Vec<f64>,
    v: Vec<f64>,
}

impl Reference {
    fn step(&mut self, g: &[f32], cfg: &AdamConfig, lr: f64, t: i32) {
        for i in 0..self.w.len() {
            let w = self.w[i] as f64;
            let mut g = g[i] as f64;
            if !cfg.decoupled {
                g += w * cfg.weight_decay;
            }
            self.m[i] = self.m[i] * cfg.beta1 + g * (1.0 - cfg.beta1);
            self.v[i] = self.v[i] * cfg.beta2 + g * g * (1.0 - cfg.beta2);
            let mut update = (self.m[i] / (1.0 - cfg.beta1.powi(t))) / ((self.v[i] / (1.0 - cfg.beta2.powi(t))).sqrt() + cfg.epsilon);
            if cfg.decoupled {
                update += w * cfg.weight_decay;
            }
            self.w[i] = (w - lr * update) as f32;
        }
    }
}

fn flat(m: &Two) -> Vec<f32> {
    [values(m.a.val().reshape([6])), values(m.b.val())].concat()
}

fn analytic_grads(w: &[f32]) -> Vec<f32> {
    (0..8).map(|i| if i < 6 { 3.0 * C_A[i] * w[i] * w[i] } else { 2.0 * C_B[i - 6] * w[i] }).collect()
}

fn check(cfg: AdamConfig) {
    let mut model = two();
    let frozen = HashSet::from([model.frozen.id]);
    let mut adam = Adam::new(cfg.clone());
    let mut reference = Reference { w: flat(&model), m: vec![0.0; 8], v: vec![0.0; 8] };
    let lr = 0.05;
    for t in 1..=4 {
        let g = analytic_grads(&reference.w);
        reference.step(&g, &cfg, lr, t);
        let mut gp = grads(&model);
        model = adam.step(model, &mut gp, lr, &frozen);
        assert_eq!(adam.state.first.len(), 2, "moments for each trained parameter, none for the frozen one");
        let got = flat(&model);
        for (i, (a, b)) in got.iter().zip(&reference.w).enumerate() {
            assert!((a - b).abs() <= 1e-5 * (1.0 + b.abs()), "step {t}, element {i}: {a} vs reference {b}");
        }
        assert_eq!(values(model.frozen.val()), vec![3.0, 4.0], "frozen parameters stay put");
    }
}

#[test]
fn adam_matches_the_per_element_update() {
    check(AdamConfig::default());
}

#[test]
fn adam_with_l2_weight_decay() {
    check(AdamConfig { weight_decay: 0.1, ..AdamConfig::default() });
}

#[test]
fn adamw_with_decoupled_weight_decay() {
    check(AdamConfig { weight_decay: 0.1, decoupled: true, ..AdamConfig::default() });
}
