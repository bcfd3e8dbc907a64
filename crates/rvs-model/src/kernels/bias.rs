//! A bias added to every token, x [B, T, C] + b [C], whose gradient (a sum over all B·T
//! tokens per feature) is a column-sum kernel (`column_sum.wgsl`) instead of Burn's
//! one-thread-per-feature reduction. The forward pass is Burn's broadcast add, which its
//! fusion merges with the neighbouring element-wise work.

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

/// Rows each workgroup of the column sum takes at least: fewer, longer partial sums for small
/// inputs, up to `MAX_GROUPS` workgroups for large ones.
const ROWS_PER_GROUP: usize = 64;

/// x [B, T, C] + bias [C] on every token.
pub fn add_bias(x: Tensor<3>, bias: Tensor<1>) -> Tensor<3> {
    Tensor::from_dispatch(Dispatch::add_bias(x.into_dispatch(), bias.into_dispatch()))
}

/// [rows, columns] → [columns], the sum over the rows.
pub fn column_sum(x: Tensor<2>) -> Tensor<1> {
    Tensor::from_dispatch(Dispatch::column_sum(x.into_dispatch()))
}

#[backend_extension(Cube, Fusion, Autodiff)]
pub trait BiasOps: Backend {
    #[fusion(meta = |x, _bias| x.clone())]
    fn add_bias(x: FloatTensor<Self>, bias: FloatTensor<Self>) -> FloatTensor<Self>;
}

#[backend_extension(Cube, Fusion)]
pub trait ColumnKernels: Backend {
    #[fusion(meta = |x| TensorSpec::new([x.shape[1]].into(), x.dtype))]
    fn column_sum(x: FloatTensor<Self>) -> FloatTensor<Self>;
}

/// x + bias, the bias [C] broadcast over every leading axis of x [.., C]: the forward pass on
/// any backend (here, and under Autodiff on its inner one, where Burn's fusion merges it).
fn plus_bias<B: Backend>(x: FloatTensor<B>, bias: FloatTensor<B>) -> FloatTensor<B> {
    let rank = x.shape().num_dims();
    let mut shape = vec![1; rank];
    shape[rank - 1] = bias.shape()[0];
    B::float_add(x, B::float_reshape(bias, shape.into()))
}

impl BiasOps for CubeBackend {
    fn add_bias(x: CubeTensor, bias: CubeTensor) -> CubeTensor {
        plus_bias::<Self>(x, bias)
    }
}

impl ColumnKernels for CubeBackend {
    fn column_sum(x: CubeTensor) -> CubeTensor {
        let x = into_contiguous(x);
        let [rows, columns] = [0, 1].map(|i| x.meta.shape()[i]);
        let groups = rows.div_ceil(ROWS_PER_GROUP).clamp(1, MAX_GROUPS as usize);
        let partial = empty_f32(&x, &[groups, columns]);
        let params = words(&x, &[rows as u32, columns as u32]);
        let kernel = Wgsl { name: "column_sum", template: include_str!("column_sum.wgsl"), values: Vec::new() };
        launch(&x, kernel, (groups as u32, 1), vec![binding(&x), params.binding(), binding(&partial)]);
        Self::float_reshape(Self::float_sum_dim(partial, 0), [columns].into())
    }
}

impl<B: BiasOps + ColumnKernels, C: CheckpointStrategy> BiasOps for Autodiff<B, C> {
    fn add_bias(x: FloatTensor<Self>, bias: FloatTensor<Self>) -> FloatTensor<Self> {
        #[derive(Debug)]
        struct AddBiasBackward;

        impl<B: ColumnKernels> Backward<B, 2> for AddBiasBackward {
            type State = ();

            fn backward(self, ops: Ops<Self::State, 2>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
                let [x_node, bias_node] = ops.parents;
                let grad = grads.consume::<B>(&ops.node);
                if let Some(node) = bias_node {
                    let shape = grad.shape();
                    let columns = shape[shape.num_dims() - 1];
                    let rows = shape.num_elements() / columns;
                    grads.register::<B>(node.id, B::column_sum(B::float_reshape(grad.clone(), [rows, columns].into())));
                }
                if let Some(node) = x_node {
                    grads.register::<B>(node.id, grad);
                }
            }
        }

        let prep = AddBiasBackward.prepare::<C>([x.node(), bias.node()]).compute_bound().stateful();
        let y = plus_bias::<B>(x.into_primitive(), bias.into_primitive());
        match prep {
            OpsKind::Tracked(prep) => prep.finish((), y),
            OpsKind::UnTracked(prep) => prep.finish(y),
        }
    }
}
