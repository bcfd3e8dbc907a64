//! Layer norm over the last axis without scale and shift (the encoder's pre-norms; the linear
//! layer after each absorbs them): forward and backward one kernel launch each
//! (`layer_norm.wgsl`) instead of Burn's ~10 element-wise and reduction launches per pass over
//! [tokens, d].

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::fusion::custom::TensorSpec;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, Dispatch, backend_extension};
use burn::tensor::{DType, Tensor};
use burn_cubecl::CubeBackend;
use burn_cubecl::kernel::into_contiguous;
use burn_cubecl::tensor::CubeTensor;

use super::{MAX_GROUPS, Wgsl, binding, empty_f32, launch, words};

/// Rows per workgroup of `layer_norm.wgsl`.
const ROWS_PER_GROUP: usize = 4;

/// Whether `layer_norm` takes rows of `width` (vec4 loads).
pub fn supports(width: usize) -> bool {
    width > 0 && width % 4 == 0
}

/// (x − mean)/√(var + ε) along the last axis of x [B, T, d]; `supports(d)`.
pub fn layer_norm(x: Tensor<3>, epsilon: f32) -> Tensor<3> {
    Tensor::from_dispatch(Dispatch::layer_norm(x.into_dispatch(), epsilon.to_bits() as usize))
}

#[backend_extension(Cube, Fusion, Autodiff)]
pub trait LayerNormOps: Backend {
    #[fusion(meta = |x, _epsilon| x.clone())]
    fn layer_norm(x: FloatTensor<Self>, epsilon_bits: usize) -> FloatTensor<Self>;
}

/// The kernels behind it: the forward with each row's 1/√(var + ε), and the backward from the
/// output and those.
#[backend_extension(Cube, Fusion)]
pub trait LayerNormKernels: Backend {
    #[fusion(meta = |x, _epsilon| (x.clone(), rstd_spec(x)))]
    fn layer_norm_forward(x: FloatTensor<Self>, epsilon_bits: usize) -> (FloatTensor<Self>, FloatTensor<Self>);

    #[fusion(meta = |y, _rstd, _grad| y.clone())]
    fn layer_norm_backward(y: FloatTensor<Self>, rstd: FloatTensor<Self>, grad: FloatTensor<Self>) -> FloatTensor<Self>;
}

fn rstd_spec(x: &TensorSpec) -> TensorSpec {
    TensorSpec::new([x.shape[0] * x.shape[1]].into(), DType::F32)
}

/// `layer_norm.wgsl` over a's rows: the forward (b unused) or the backward (a = dy, b = y).
fn run(a: &CubeTensor, b: &CubeTensor, out: &CubeTensor, rstd: &CubeTensor, backward: bool, epsilon_bits: usize) {
    let shape = a.meta.shape();
    let rows = shape[0] * shape[1];
    let params = words(a, &[rows as u32, (shape[2] / 4) as u32, epsilon_bits as u32]);
    let kernel = Wgsl { name: "layer_norm", template: include_str!("layer_norm.wgsl"), values: vec![("backward", backward.to_string())] };
    let groups = (rows.div_ceil(ROWS_PER_GROUP) as u32).min(MAX_GROUPS);
    launch(a, kernel, (groups, 1), vec![binding(a), binding(b), params.binding(), binding(out), binding(rstd)]);
}

impl LayerNormKernels for CubeBackend {
    fn layer_norm_forward(x: CubeTensor, epsilon_bits: usize) -> (CubeTensor, CubeTensor) {
        let x = into_contiguous(x);
        let shape = x.meta.shape();
        let y = empty_f32(&x, &[shape[0], shape[1], shape[2]]);
        let rstd = empty_f32(&x, &[shape[0] * shape[1]]);
        run(&x, &x, &y, &rstd, false, epsilon_bits);
        (y, rstd)
    }

    fn layer_norm_backward(y: CubeTensor, rstd: CubeTensor, grad: CubeTensor) -> CubeTensor {
        let grad = into_contiguous(grad);
        let shape = grad.meta.shape();
        let dx = empty_f32(&grad, &[shape[0], shape[1], shape[2]]);
        run(&grad, &y, &dx, &rstd, true, 0);
        dx
    }
}

impl LayerNormOps for CubeBackend {
    fn layer_norm(x: CubeTensor, epsilon_bits: usize) -> CubeTensor {
        Self::layer_norm_forward(x, epsilon_bits).0
    }
}

/// The forward keeps its output and the rows' 1/√(var + ε) for the backward.
impl<B: LayerNormKernels, C: CheckpointStrategy> LayerNormOps for Autodiff<B, C> {
    fn layer_norm(x: FloatTensor<Self>, epsilon_bits: usize) -> FloatTensor<Self> {
        #[derive(Debug)]
        struct LayerNormBackward;

        impl<B: LayerNormKernels> Backward<B, 1> for LayerNormBackward {
            type State = (FloatTensor<B>, FloatTensor<B>);

            fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
                let [parent] = ops.parents;
                let grad = grads.consume::<B>(&ops.node);
                let (y, rstd) = ops.state;
                if let Some(parent) = parent {
                    grads.register::<B>(parent.id, B::layer_norm_backward(y, rstd, grad));
                }
            }
        }

        match LayerNormBackward.prepare::<C>([x.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (y, rstd) = B::layer_norm_forward(x.into_primitive(), epsilon_bits);
                prep.finish((y.clone(), rstd), y)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::layer_norm_forward(x.into_primitive(), epsilon_bits).0),
        }
    }
}
