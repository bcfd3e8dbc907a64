//! Adam and AdamW, written out so their state is plain named tensors: checkpoints store the
//! moments under the parameter's path and a resume continues the exact trajectory.

use std::collections::{HashMap, HashSet};

use burn::module::{Module, ModuleMapper, Param, ParamId};
use burn::optim::GradientsParams;
use burn::tensor::Tensor;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdamConfig {
    pub beta1: f64,
    pub beta2: f64,
    pub epsilon: f64,
    pub weight_decay: f64,
    /// AdamW: weight decay applied to the weights directly instead of through the gradient.
    pub decoupled: bool,
}

impl Default for AdamConfig {
    fn default() -> Self {
        Self { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weight_decay: 0.0, decoupled: false }
    }
}

#[derive(Default)]
pub struct AdamState {
    pub step: u64,
    /// First and second moments, flattened, keyed by parameter path.
    pub first: HashMap<String, Tensor<1>>,
    pub second: HashMap<String, Tensor<1>>,
}

pub struct Adam {
    pub config: AdamConfig,
    pub state: AdamState,
    /// Settings the fused kernel reads from a buffer the caller fills before each step instead
    /// of one uploaded per step (captured steps, `captured.rs`).
    #[cfg(target_arch = "wasm32")]
    pub held_settings: Option<crate::kernels::AdamSettings>,
}

impl Adam {
    pub fn new(config: AdamConfig) -> Self {
        Self {
            config,
            state: AdamState::default(),
            #[cfg(target_arch = "wasm32")]
            held_settings: None,
        }
    }

    /// One update of every parameter that has a gradient and is not in `frozen`.
    pub fn step<M: Module>(&mut self, module: M, grads: &mut GradientsParams, lr: f64, frozen: &HashSet<ParamId>) -> M {
        self.state.step += 1;
        let mut mapper = AdamMapper {
            path: Vec::new(),
            grads,
            adam: self,
            lr,
            frozen,
            #[cfg(target_arch = "wasm32")]
            settings: None,
        };
        module.map(&mut mapper)
    }
}

struct AdamMapper<'a> {
    path: Vec<String>,
    grads: &'a mut GradientsParams,
    adam: &'a mut Adam,
    lr: f64,
    frozen: &'a HashSet<ParamId>,
    /// This step's scalars for the fused kernel, uploaded at the first parameter.
    #[cfg(target_arch = "wasm32")]
    settings: Option<crate::kernels::AdamSettings>,
}

impl ModuleMapper for AdamMapper<'_> {
    fn enter_module(&mut self, name: &str, _container: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container: &str) {
        self.path.pop();
    }

    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (id, tensor, mapper) = param.consume();
        let grad = self.grads.remove::<D>(id);
        let Some(grad) = grad.filter(|_| !self.frozen.contains(&id)) else {
            return Param::from_mapped_value(id, tensor, mapper);
        };
        let name = self.path.join(".");
        let cfg = &self.adam.config;
        let step = self.adam.state.step as i32;
        let shape = tensor.dims();
        let count = shape.iter().product::<usize>();
        let require_grad = tensor.is_require_grad();
        // `from_inner` below would give the default strategy; a gradient-checkpointing device's
        // weights must keep theirs (operations refuse to mix strategies).
        let strategy = tensor.gradient_checkpointing_strategy();
        let flat = tensor.inner().reshape([count]);
        let grad = grad.reshape([count]);
        let zeros = || Tensor::<1>::zeros([count], &flat.device());
        let first = self.adam.state.first.remove(&name).unwrap_or_else(zeros);
        let second = self.adam.state.second.remove(&name).unwrap_or_else(zeros);
        #[cfg(target_arch = "wasm32")]
        let (weights, m, v) = if crate::kernels::enabled() {
            let (held, lr, step) = (&self.adam.held_settings, self.lr, self.adam.state.step);
            let settings = self.settings.get_or_insert_with(|| held.clone().unwrap_or_else(|| crate::kernels::AdamSettings::new(cfg, lr, step, &flat.device())));
            crate::kernels::adam_update(flat, grad, first, second, settings)
        } else {
            composed_update(cfg, self.lr, step, flat, grad, first, second)
        };
        #[cfg(not(target_arch = "wasm32"))]
        let (weights, m, v) = composed_update(cfg, self.lr, step, flat, grad, first, second);
        let weights = weights.reshape(shape);
        self.adam.state.first.insert(name.clone(), m);
        self.adam.state.second.insert(name, v);
        let mut out = Tensor::from_inner(weights);
        if let Some(strategy) = strategy {
            out = out.with_gradient_checkpointing_strategy(strategy);
        }
        if require_grad {
            out = out.require_grad();
        }
        Param::from_mapped_value(id, out, mapper)
    }
}

/// (weights, first moment, second moment) after one step of Burn's element-wise operations;
/// the fused WGSL kernel (`kernels/adam.wgsl`) does the same in one pass.
pub(crate) fn composed_update(cfg: &AdamConfig, lr: f64, step: i32, weights: Tensor<1>, grad: Tensor<1>, first: Tensor<1>, second: Tensor<1>) -> (Tensor<1>, Tensor<1>, Tensor<1>) {
    let mut grad = grad;
    if cfg.weight_decay > 0.0 && !cfg.decoupled {
        grad = grad + weights.clone() * cfg.weight_decay;
    }
    let m = first * cfg.beta1 + grad.clone() * (1.0 - cfg.beta1);
    let v = second * cfg.beta2 + grad.powi_scalar(2) * (1.0 - cfg.beta2);
    let m_hat = m.clone() / (1.0 - cfg.beta1.powi(step));
    let v_hat = v.clone() / (1.0 - cfg.beta2.powi(step));
    let mut update = m_hat / v_hat.sqrt().add_scalar(cfg.epsilon);
    if cfg.weight_decay > 0.0 && cfg.decoupled {
        update = update + weights.clone() * cfg.weight_decay;
    }
    (weights - update * lr, m, v)
}
