//! 1×1 convolutions as W[C_out, C_in] · X[N, C_in, H·W], with a weight gradient that fills the
//! GPU. Burn's gradient of the broadcast matmul is one [C_out, C_in] product per image, each a
//! single workgroup looping over H·W (24 workgroups for 25,680-long sums at batch 24: 9 ms per
//! layer on an H100). Here each image's H·W is cut into chunks first, so there are N·chunks
//! products to sum. Forward and input gradient stay Burn's matmuls.

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::fusion::custom::TensorSpec;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, Dispatch, TensorMetadata, backend_extension};
use burn::tensor::Tensor;
use burn_cubecl::CubeBackend;
use burn_cubecl::tensor::CubeTensor;

/// Products the weight gradient aims for (an H100 has 132 multiprocessors).
const TARGET_PRODUCTS: usize = 512;
/// Shortest chunk of H·W worth its own product.
const MIN_CHUNK: usize = 128;

/// x [N, C_in, L] → [N, C_out, L] with `weight` [C_out, C_in].
pub fn pointwise_conv(x: Tensor<3>, weight: Tensor<2>) -> Tensor<3> {
    Tensor::from_dispatch(Dispatch::pointwise(x.into_dispatch(), weight.into_dispatch()))
}

#[backend_extension(Cube, Fusion, Autodiff)]
pub trait PointwiseOps: Backend {
    #[fusion(meta = |x, weight| TensorSpec::new([x.shape[0], weight.shape[0], x.shape[2]].into(), x.dtype))]
    fn pointwise(x: FloatTensor<Self>, weight: FloatTensor<Self>) -> FloatTensor<Self>;
}

/// weight [C_out, C_in] · x [N, C_in, L] on any backend.
fn product<B: Backend>(weight: FloatTensor<B>, x: FloatTensor<B>) -> FloatTensor<B> {
    let [c_out, c_in] = [0, 1].map(|i| weight.shape()[i]);
    B::float_matmul(B::float_reshape(weight, [1, c_out, c_in].into()), x)
}

/// How many chunks each image's L values are cut into: a divisor of L, so that N·chunks reaches
/// `TARGET_PRODUCTS` with chunks no shorter than `MIN_CHUNK`; 1 when L is short.
fn chunks(n: usize, length: usize) -> usize {
    let wanted = TARGET_PRODUCTS.div_ceil(n.max(1));
    (wanted..=length / MIN_CHUNK).find(|s| length % s == 0).or_else(|| (2..wanted.min(length / MIN_CHUNK + 1)).rev().find(|s| length % s == 0)).unwrap_or(1)
}

/// Σ over images of grad[n] · x[n]ᵀ → [C_out, C_in], as N·chunks products.
fn weight_gradient<B: Backend>(x: FloatTensor<B>, grad: FloatTensor<B>) -> FloatTensor<B> {
    let [n, c_in, length] = [0, 1, 2].map(|i| x.shape()[i]);
    let c_out = grad.shape()[1];
    let s = chunks(n, length);
    let split = |t: FloatTensor<B>, c: usize| {
        if s == 1 {
            return t;
        }
        // [N, C, L] → [N, C, S, L/S] → [N, S, C, L/S] (a copy) → [N·S, C, L/S].
        let t = B::float_swap_dims(B::float_reshape(t, [n, c, s, length / s].into()), 1, 2);
        B::float_reshape(t, [n * s, c, length / s].into())
    };
    let (x, grad) = (split(x, c_in), split(grad, c_out));
    let products = B::float_matmul(grad, B::float_swap_dims(x, 1, 2));
    B::float_reshape(B::float_sum_dim(products, 0), [c_out, c_in].into())
}

impl PointwiseOps for CubeBackend {
    fn pointwise(x: CubeTensor, weight: CubeTensor) -> CubeTensor {
        product::<Self>(weight, x)
    }
}

/// dx = weightᵀ · dy (Burn's matmul); dweight per `weight_gradient`. The forward keeps x and the
/// weight.
impl<B: PointwiseOps, C: CheckpointStrategy> PointwiseOps for Autodiff<B, C> {
    fn pointwise(x: FloatTensor<Self>, weight: FloatTensor<Self>) -> FloatTensor<Self> {
        #[derive(Debug)]
        struct PointwiseBackward;

        impl<B: Backend> Backward<B, 2> for PointwiseBackward {
            type State = (FloatTensor<B>, FloatTensor<B>);

            fn backward(self, ops: Ops<Self::State, 2>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
                let [x_node, weight_node] = ops.parents;
                let grad = grads.consume::<B>(&ops.node);
                let (x, weight) = ops.state;
                if let Some(node) = weight_node {
                    grads.register::<B>(node.id, weight_gradient::<B>(x, grad.clone()));
                }
                if let Some(node) = x_node {
                    grads.register::<B>(node.id, product::<B>(B::float_transpose(weight), grad));
                }
            }
        }

        match PointwiseBackward.prepare::<C>([x.node(), weight.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (x, weight) = (x.into_primitive(), weight.into_primitive());
                let y = B::pointwise(x.clone(), weight.clone());
                prep.finish((x, weight), y)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::pointwise(x.into_primitive(), weight.into_primitive())),
        }
    }
}
