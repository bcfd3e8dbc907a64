//! Per-row sums of [rows, length] tensors and the row broadcasts whose gradients need them:
//! batch-norm statistics and their gradients, squeeze-excitation pooling and scaling. Burn reduced each of these rows (a channel of one image, up to 120×214 values)
//! with a single thread, ~37 ms of a full-model step on an H100 in 3-workgroup launches;
//! `row_sum.wgsl` gives each row a workgroup.

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::fusion::custom::TensorSpec;
use burn::backend::ops::FloatTensorOps;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, Dispatch, TensorMetadata, backend_extension};
use burn::tensor::Tensor;
use burn_cubecl::CubeBackend;
use burn_cubecl::kernel::into_contiguous;
use burn_cubecl::tensor::CubeTensor;

use super::{MAX_GROUPS, Wgsl, binding, empty_f32, launch, words};

/// [rows, length] → [rows, 1].
pub fn row_sum(x: Tensor<2>) -> Tensor<2> {
    Tensor::from_dispatch(Dispatch::row_sum(x.into_dispatch()))
}

/// x · scale with `scale` [rows, 1] broadcast along each row of `x`.
pub fn scale_rows(x: Tensor<2>, scale: Tensor<2>) -> Tensor<2> {
    Tensor::from_dispatch(Dispatch::scale_rows(x.into_dispatch(), scale.into_dispatch()))
}

/// x + shift with `shift` [rows, 1] broadcast along each row of `x`.
pub fn shift_rows(x: Tensor<2>, shift: Tensor<2>) -> Tensor<2> {
    Tensor::from_dispatch(Dispatch::shift_rows(x.into_dispatch(), shift.into_dispatch()))
}

/// Differentiable: the forward passes of the broadcasts are Burn's (its fusion merges them
/// with their neighbours); only the gradients of `scale` and `shift` take the row kernel.
#[backend_extension(Cube, Fusion, Autodiff)]
pub trait RowOps: Backend {
    #[fusion(meta = sums_spec)]
    fn row_sum(x: FloatTensor<Self>) -> FloatTensor<Self>;

    #[fusion(meta = |x, _scale| x.clone())]
    fn scale_rows(x: FloatTensor<Self>, scale: FloatTensor<Self>) -> FloatTensor<Self>;

    #[fusion(meta = |x, _shift| x.clone())]
    fn shift_rows(x: FloatTensor<Self>, shift: FloatTensor<Self>) -> FloatTensor<Self>;
}

#[backend_extension(Cube, Fusion)]
pub trait RowKernels: Backend {
    #[fusion(meta = |a, _b| sums_spec(a))]
    fn row_dot(a: FloatTensor<Self>, b: FloatTensor<Self>) -> FloatTensor<Self>;
}

fn sums_spec(x: &TensorSpec) -> TensorSpec {
    TensorSpec::new([x.shape[0], 1].into(), x.dtype)
}

/// Σ a (or Σ a·b) along each row, by `row_sum.wgsl`.
fn row_sums(a: CubeTensor, b: Option<CubeTensor>) -> CubeTensor {
    let a = into_contiguous(a);
    let [rows, length] = [0, 1].map(|i| a.meta.shape()[i]);
    let sums = empty_f32(&a, &[rows, 1]);
    let params = words(&a, &[rows as u32, length as u32]);
    let product = b.is_some();
    let b = b.map(into_contiguous).unwrap_or_else(|| a.clone());
    let kernel = Wgsl { name: "row_sum", template: include_str!("row_sum.wgsl"), values: vec![("product", product.to_string())] };
    launch(&a, kernel, ((rows as u32).min(MAX_GROUPS), 1), vec![binding(&a), binding(&b), params.binding(), binding(&sums)]);
    sums
}

impl RowKernels for CubeBackend {
    fn row_dot(a: CubeTensor, b: CubeTensor) -> CubeTensor {
        row_sums(a, Some(b))
    }
}

impl RowOps for CubeBackend {
    fn row_sum(x: CubeTensor) -> CubeTensor {
        row_sums(x, None)
    }

    fn scale_rows(x: CubeTensor, scale: CubeTensor) -> CubeTensor {
        Self::float_mul(x, scale)
    }

    fn shift_rows(x: CubeTensor, shift: CubeTensor) -> CubeTensor {
        Self::float_add(x, shift)
    }
}

impl<B: RowOps + RowKernels, C: CheckpointStrategy> RowOps for Autodiff<B, C> {
    fn row_sum(x: FloatTensor<Self>) -> FloatTensor<Self> {
        #[derive(Debug)]
        struct RowSumBackward;

        impl<B: RowOps> Backward<B, 1> for RowSumBackward {
            type State = burn::tensor::Shape;

            fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
                let [parent] = ops.parents;
                let grad = grads.consume::<B>(&ops.node);
                if let Some(parent) = parent {
                    grads.register::<B>(parent.id, B::float_expand(grad, ops.state));
                }
            }
        }

        let shape = x.primitive().shape();
        match RowSumBackward.prepare::<C>([x.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => prep.finish(shape, B::row_sum(x.into_primitive())),
            OpsKind::UnTracked(prep) => prep.finish(B::row_sum(x.into_primitive())),
        }
    }

    fn scale_rows(x: FloatTensor<Self>, scale: FloatTensor<Self>) -> FloatTensor<Self> {
        #[derive(Debug)]
        struct ScaleRowsBackward;

        impl<B: RowOps + RowKernels> Backward<B, 2> for ScaleRowsBackward {
            /// x (for the scale's gradient) and scale (for x's), when needed.
            type State = (Option<FloatTensor<B>>, Option<FloatTensor<B>>);

            fn backward(self, ops: Ops<Self::State, 2>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
                let [x_node, scale_node] = ops.parents;
                let grad = grads.consume::<B>(&ops.node);
                let (x, scale) = ops.state;
                if let (Some(node), Some(x)) = (scale_node, x) {
                    grads.register::<B>(node.id, B::row_dot(grad.clone(), x));
                }
                if let (Some(node), Some(scale)) = (x_node, scale) {
                    grads.register::<B>(node.id, B::float_mul(grad, scale));
                }
            }
        }

        let (x_tracked, scale_tracked) = (x.is_tracked(), scale.is_tracked());
        match ScaleRowsBackward.prepare::<C>([x.node(), scale.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (x, scale) = (x.into_primitive(), scale.into_primitive());
                let state = (scale_tracked.then(|| x.clone()), x_tracked.then(|| scale.clone()));
                prep.finish(state, B::float_mul(x, scale))
            }
            OpsKind::UnTracked(prep) => prep.finish(B::float_mul(x.into_primitive(), scale.into_primitive())),
        }
    }

    fn shift_rows(x: FloatTensor<Self>, shift: FloatTensor<Self>) -> FloatTensor<Self> {
        #[derive(Debug)]
        struct ShiftRowsBackward;

        impl<B: RowOps> Backward<B, 2> for ShiftRowsBackward {
            type State = ();

            fn backward(self, ops: Ops<Self::State, 2>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
                let [x_node, shift_node] = ops.parents;
                let grad = grads.consume::<B>(&ops.node);
                if let Some(node) = shift_node {
                    grads.register::<B>(node.id, B::row_sum(grad.clone()));
                }
                if let Some(node) = x_node {
                    grads.register::<B>(node.id, grad);
                }
            }
        }

        let prep = ShiftRowsBackward.prepare::<C>([x.node(), shift.node()]).compute_bound().stateful();
        let y = B::float_add(x.into_primitive(), shift.into_primitive());
        match prep {
            OpsKind::Tracked(prep) => prep.finish((), y),
            OpsKind::UnTracked(prep) => prep.finish(y),
        }
    }
}
