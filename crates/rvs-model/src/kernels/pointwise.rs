//! 1×1 convolutions as W[C_out, C_in] · X[N, C_in, H·W], on WGSL kernels made for their
//! memory-bound shapes (16 to 672 channels, up to 616,320 pixels at batch 24): Burn's matmul
//! took 0.5–1.9 ms for products that move 100–300 MB (an H100 moves that in ~0.1 ms), and its
//! weight gradient needed dy and x transposed into [N·S, C, L/S] copies first. The forward and
//! the input gradient are one kernel (`pointwise_product.wgsl`, the weight read transposed in
//! place); the weight gradient sums partial products over stretches of pixels
//! (`pointwise_weight_grad.wgsl`).

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::fusion::custom::TensorSpec;
use burn::backend::tensor::FloatTensor;
use burn::backend::ops::FloatTensorOps;
use burn::backend::{Autodiff, Backend, Dispatch, backend_extension};
use burn::tensor::Tensor;
use burn_cubecl::CubeBackend;
use burn_cubecl::kernel::into_contiguous;
use burn_cubecl::tensor::CubeTensor;

use super::half::weight_source;
use super::{Wgsl, binding, empty_f32, launch_grid, words};

/// Workgroups the weight gradient aims for (an H100 has 132 multiprocessors).
const TARGET_GROUPS: usize = 2048;
/// Shortest stretch of pixels worth its own partial sum.
const MIN_STRETCH: usize = 256;
/// Output channels and pixels per workgroup of `pointwise_product.wgsl`; the gradient tile of
/// `pointwise_weight_grad.wgsl`.
const PRODUCT_OUTS: usize = 16;
const PRODUCT_PIXELS: usize = 64;
const GRADIENT_TILE: usize = 32;

/// x [N, C_in, L] → [N, C_out, L] with `weight` [C_out, C_in] (f32, or halved for inference:
/// see `half.rs`).
pub fn pointwise_conv(x: Tensor<3>, weight: Tensor<2>) -> Tensor<3> {
    Tensor::from_dispatch(Dispatch::pointwise(x.into_dispatch(), weight.into_dispatch()))
}

#[backend_extension(Cube, Fusion, Autodiff)]
pub trait PointwiseOps: Backend {
    #[fusion(meta = |x, weight| TensorSpec::new([x.shape[0], weight.shape[0], x.shape[2]].into(), x.dtype))]
    fn pointwise(x: FloatTensor<Self>, weight: FloatTensor<Self>) -> FloatTensor<Self>;
}

/// The kernels behind it: the input gradient (the weight's transpose times dy) and the weight
/// gradient.
#[backend_extension(Cube, Fusion)]
pub trait PointwiseKernels: Backend {
    #[fusion(meta = |grad, weight| TensorSpec::new([grad.shape[0], weight.shape[1], grad.shape[2]].into(), grad.dtype))]
    fn pointwise_input_grad(grad: FloatTensor<Self>, weight: FloatTensor<Self>) -> FloatTensor<Self>;

    #[fusion(meta = |x, grad| TensorSpec::new([grad.shape[1], x.shape[1]].into(), x.dtype))]
    fn pointwise_weight_grad(x: FloatTensor<Self>, grad: FloatTensor<Self>) -> FloatTensor<Self>;
}

/// out[n] = W · x[n] with W(o, c) = weight[o·stride_o + c·stride_c], [C_out, C_in].
fn product(x: CubeTensor, weight: CubeTensor, c_out: usize, strides: [usize; 2]) -> CubeTensor {
    let (x, weight) = (into_contiguous(x), into_contiguous(weight));
    let [n, c_in, length] = [0, 1, 2].map(|i| x.meta.shape()[i]);
    let out = empty_f32(&x, &[n, c_out, length]);
    let params = words(&x, &[c_out, c_in, length, strides[0], strides[1]].map(|v| v as u32));
    let kernel = Wgsl { name: "pointwise_product", template: include_str!("pointwise_product.wgsl"), values: vec![weight_source(&weight, 1)] };
    let groups = (length.div_ceil(PRODUCT_PIXELS) as u32, c_out.div_ceil(PRODUCT_OUTS) as u32, n as u32);
    launch_grid(&x, kernel, groups, vec![binding(&x), binding(&weight), params.binding(), binding(&out)]);
    out
}

/// Stretches each image's L pixels are cut into for the weight gradient: enough workgroups in
/// all (`TARGET_GROUPS`) with stretches no shorter than `MIN_STRETCH`.
fn parts(n: usize, length: usize, tiles: usize) -> usize {
    // WebGPU allows 65,535 workgroups along y (n · parts).
    TARGET_GROUPS.div_ceil(n * tiles).clamp(1, length.div_ceil(MIN_STRETCH).max(1)).min((65_535 / n).max(1))
}

impl PointwiseOps for CubeBackend {
    fn pointwise(x: CubeTensor, weight: CubeTensor) -> CubeTensor {
        let [c_out, c_in] = [0, 1].map(|i| weight.meta.shape()[i]);
        product(x, weight, c_out, [c_in, 1])
    }
}

impl PointwiseKernels for CubeBackend {
    fn pointwise_input_grad(grad: CubeTensor, weight: CubeTensor) -> CubeTensor {
        let c_in = weight.meta.shape()[1];
        product(grad, weight, c_in, [1, c_in])
    }

    fn pointwise_weight_grad(x: CubeTensor, grad: CubeTensor) -> CubeTensor {
        let (x, grad) = (into_contiguous(x), into_contiguous(grad));
        let [n, c_in, length] = [0, 1, 2].map(|i| x.meta.shape()[i]);
        let c_out = grad.meta.shape()[1];
        let tiles = c_out.div_ceil(GRADIENT_TILE) * c_in.div_ceil(GRADIENT_TILE);
        let parts = parts(n, length, tiles);
        let stretch = length.div_ceil(parts);
        let partial = empty_f32(&x, &[n * parts, c_out, c_in]);
        let params = words(&x, &[c_out, c_in, length, parts, stretch].map(|v| v as u32));
        let kernel = Wgsl { name: "pointwise_weight_grad", template: include_str!("pointwise_weight_grad.wgsl"), values: Vec::new() };
        launch_grid(&x, kernel, (tiles as u32, (n * parts) as u32, 1), vec![binding(&x), binding(&grad), params.binding(), binding(&partial)]);
        Self::float_reshape(Self::float_sum_dim(partial, 0), [c_out, c_in].into())
    }
}

/// dx = weightᵀ · dy and dweight by the kernels above. The forward keeps x and the weight.
impl<B: PointwiseOps + PointwiseKernels, C: CheckpointStrategy> PointwiseOps for Autodiff<B, C> {
    fn pointwise(x: FloatTensor<Self>, weight: FloatTensor<Self>) -> FloatTensor<Self> {
        #[derive(Debug)]
        struct PointwiseBackward;

        impl<B: PointwiseKernels> Backward<B, 2> for PointwiseBackward {
            type State = (FloatTensor<B>, FloatTensor<B>);

            fn backward(self, ops: Ops<Self::State, 2>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
                let [x_node, weight_node] = ops.parents;
                let grad = grads.consume::<B>(&ops.node);
                let (x, weight) = ops.state;
                if let Some(node) = weight_node {
                    grads.register::<B>(node.id, B::pointwise_weight_grad(x, grad.clone()));
                }
                if let Some(node) = x_node {
                    grads.register::<B>(node.id, B::pointwise_input_grad(grad, weight));
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
