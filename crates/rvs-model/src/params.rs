//! Named access to a module's tensors: list them (for saving), replace them by name (for
//! loading), and translate our names to torchvision's EfficientNet-B0 names.

use std::collections::BTreeMap;

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::tensor::{Tensor, TensorData};

use crate::backbone::B0_STAGES;

/// A parameter or running statistic, flattened, with its shape.
pub struct NamedTensor {
    pub name: String,
    pub shape: Vec<usize>,
    pub values: Tensor<1>,
}

#[derive(Default)]
struct Collect {
    path: Vec<String>,
    out: Vec<NamedTensor>,
}

impl ModuleVisitor for Collect {
    fn enter_module(&mut self, name: &str, _container: &str) {
        self.path.push(name.to_string());
    }
    fn exit_module(&mut self, _name: &str, _container: &str) {
        self.path.pop();
    }
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let tensor = param.val();
        let shape = tensor.dims().to_vec();
        let count = shape.iter().product::<usize>();
        self.out.push(NamedTensor { name: self.path.join("."), shape, values: tensor.inner().reshape([count]) });
    }
}

pub fn named_tensors<M: Module>(module: &M) -> Vec<NamedTensor> {
    let mut collect = Collect::default();
    module.visit(&mut collect);
    collect.out
}

/// Bytes of a module's float parameters and running statistics in their stored dtypes.
pub fn parameter_bytes<M: Module>(module: &M) -> usize {
    struct Bytes(usize);
    impl ModuleVisitor for Bytes {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            let tensor = param.val();
            self.0 += tensor.shape().num_elements() * tensor.dtype().size();
        }
    }
    let mut bytes = Bytes(0);
    module.visit(&mut bytes);
    bytes.0
}

/// Values by name, as f32 with their shape.
pub type Values = BTreeMap<String, (Vec<usize>, Vec<f32>)>;

struct Replace<'a> {
    path: Vec<String>,
    values: &'a Values,
    rename: &'a dyn Fn(&str) -> Option<String>,
    loaded: Vec<String>,
    missing: Vec<String>,
    mismatched: Vec<String>,
}

impl ModuleMapper for Replace<'_> {
    fn enter_module(&mut self, name: &str, _container: &str) {
        self.path.push(name.to_string());
    }
    fn exit_module(&mut self, _name: &str, _container: &str) {
        self.path.pop();
    }
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let ours = self.path.join(".");
        let Some(key) = (self.rename)(&ours) else { return param };
        let Some((shape, values)) = self.values.get(&key) else {
            self.missing.push(key);
            return param;
        };
        let (id, tensor, mapper) = param.consume();
        let dims = tensor.dims();
        if shape.as_slice() != dims.as_slice() {
            self.mismatched.push(format!("{key}: file {shape:?}, model {dims:?}"));
            return Param::from_mapped_value(id, tensor, mapper);
        }
        let require_grad = tensor.is_require_grad();
        let device = tensor.device();
        let mut loaded = Tensor::<D>::from_data(TensorData::new(values.clone(), dims.to_vec()), &device);
        if require_grad {
            loaded = loaded.require_grad();
        }
        self.loaded.push(key);
        Param::from_mapped_value(id, loaded, mapper)
    }
}

pub struct LoadReport {
    pub loaded: Vec<String>,
    pub missing: Vec<String>,
    pub mismatched: Vec<String>,
}

/// Replaces every tensor whose (renamed) key is in `values`; `rename` returns None for tensors
/// the source does not cover (kept as they are).
pub fn replace_tensors<M: Module>(module: M, values: &Values, rename: &dyn Fn(&str) -> Option<String>) -> (M, LoadReport) {
    let mut replace = Replace { path: Vec::new(), values, rename, loaded: Vec::new(), missing: Vec::new(), mismatched: Vec::new() };
    let module = module.map(&mut replace);
    (module, LoadReport { loaded: replace.loaded, missing: replace.missing, mismatched: replace.mismatched })
}

/// Our backbone name → torchvision `efficientnet_b0` state-dict name; None outside the backbone.
/// torchvision: features.0 = stem (0: conv, 1: bn); features.{s}.{b}.block = [expand (when the
/// ratio is not 1)], depthwise, SE (fc1, fc2), project; each conv block is (0: conv, 1: bn).
pub fn torchvision_name(ours: &str) -> Option<String> {
    let rest = ours.strip_prefix("backbone.")?;
    let bn = |field: &str| match field {
        "gamma" => "weight".to_string(),
        "beta" => "bias".to_string(),
        other => other.to_string(),
    };
    let conv_bn = |prefix: String, part: &str| -> Option<String> {
        let (layer, field) = part.split_once('.')?;
        match layer {
            "conv" => Some(format!("{prefix}.0.{field}")),
            "bn" => Some(format!("{prefix}.1.{}", bn(field))),
            _ => None,
        }
    };
    if let Some(part) = rest.strip_prefix("stem.") {
        return conv_bn("features.0".into(), part);
    }
    let rest = rest.strip_prefix("stages.")?;
    let mut it = rest.splitn(3, '.');
    let stage: usize = it.next()?.parse().ok()?;
    let block: usize = it.next()?.parse().ok()?;
    let part = it.next()?;
    let has_expand = B0_STAGES.get(stage)?.0 != 1;
    let first = if has_expand { 1 } else { 0 };
    let prefix = |index: usize| format!("features.{}.{block}.block.{index}", stage + 1);
    let (layer, field) = part.split_once('.')?;
    match layer {
        "expand" => conv_bn(prefix(0), field),
        "depthwise" => conv_bn(prefix(first), field),
        "se" => Some(format!("{}.{field}", prefix(first + 1))),
        "project" => conv_bn(prefix(first + 2), field),
        _ => None,
    }
}

/// What `replace_tensors` would load, without touching the module: lets a load fail before it
/// changes anything.
pub fn coverage<M: Module>(module: &M, values: &Values, rename: &dyn Fn(&str) -> Option<String>) -> LoadReport {
    let mut report = LoadReport { loaded: Vec::new(), missing: Vec::new(), mismatched: Vec::new() };
    for t in named_tensors(module) {
        let Some(key) = rename(&t.name) else { continue };
        match values.get(&key) {
            None => report.missing.push(key),
            Some((shape, _)) if *shape != t.shape => report.mismatched.push(format!("{key}: file {shape:?}, model {:?}", t.shape)),
            Some(_) => report.loaded.push(key),
        }
    }
    report
}
