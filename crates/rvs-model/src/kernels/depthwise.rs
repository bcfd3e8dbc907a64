//! Depthwise convolution (EfficientNet's K×K, one filter per channel) as WGSL kernels in NCHW:
//! the forward and the input gradient a thread per pixel (Burn's direct kernels work in NHWC,
//! with two layout copies around each call: ~13 ms of a full-model step on an H100), and the
//! weight gradient (`depthwise_weight_grad.wgsl`; Burn's generic one gave each weight a single
//! thread looping over every output pixel of the batch, ~70 ms).

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::fusion::custom::TensorSpec;
use burn::backend::ops::FloatTensorOps;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, Dispatch, backend_extension};
use burn::tensor::Tensor;
use burn_cubecl::CubeBackend;
use burn_cubecl::kernel::into_contiguous;
use burn_cubecl::tensor::CubeTensor;

use super::half::weight_source;
use super::{Wgsl, binding, empty_f32, launch, launch_grid, words};

/// Output pixels a workgroup of the weight-gradient kernel takes at least (whole images): the
/// full model's 120×214 maps get one image each, small maps several.
const PIXELS_PER_GROUP: usize = 4096;

/// `x` [N, C, H, W] convolved with `weight` [C, 1, K, K] (f32, or halved for inference: see
/// `half.rs`), per channel, at `stride` with `padding` on every side; no bias.
pub fn depthwise_conv2d(x: Tensor<4>, weight: Tensor<4>, stride: usize, padding: usize) -> Tensor<4> {
    Tensor::from_dispatch(Dispatch::depthwise_conv2d(x.into_dispatch(), weight.into_dispatch(), stride, padding))
}

/// Whether `depthwise_conv2d` takes this convolution: one filter per channel, square kernel,
/// the same stride both ways.
pub fn supports(channels_in: usize, channels_out: usize, groups: usize, kernel: [usize; 2], stride: [usize; 2], dilation: [usize; 2]) -> bool {
    groups == channels_in && channels_out == channels_in && kernel[0] == kernel[1] && stride[0] == stride[1] && dilation == [1, 1]
}

#[backend_extension(Cube, Fusion, Autodiff)]
pub trait DepthwiseOps: Backend {
    #[fusion(meta = output_spec)]
    fn depthwise_conv2d(x: FloatTensor<Self>, weight: FloatTensor<Self>, stride: usize, padding: usize) -> FloatTensor<Self>;
}

#[backend_extension(Cube, Fusion)]
pub trait DepthwiseKernels: Backend {
    #[fusion(meta = |x, _grad, _weight, _stride, _padding| x.clone())]
    fn depthwise_input_grad(x: FloatTensor<Self>, grad: FloatTensor<Self>, weight: FloatTensor<Self>, stride: usize, padding: usize) -> FloatTensor<Self>;

    #[fusion(meta = |_x, _grad, weight, _stride, _padding| weight.clone())]
    fn depthwise_weight_grad(x: FloatTensor<Self>, grad: FloatTensor<Self>, weight: FloatTensor<Self>, stride: usize, padding: usize) -> FloatTensor<Self>;
}

fn output_size(size: usize, kernel: usize, stride: usize, padding: usize) -> usize {
    (size + 2 * padding - kernel) / stride + 1
}

fn output_spec(x: &TensorSpec, weight: &TensorSpec, stride: &usize, padding: &usize) -> TensorSpec {
    let k = weight.shape[2];
    let shape = [x.shape[0], x.shape[1], output_size(x.shape[2], k, *stride, *padding), output_size(x.shape[3], k, *stride, *padding)];
    TensorSpec::new(shape.into(), x.dtype)
}

/// Pixels per workgroup of the forward and input-gradient kernels (`@workgroup_size(256)`).
const PIXELS_PER_WORKGROUP: usize = 256;

/// `template` (the forward or the input gradient) from `from` [N, C, ·, ·] into a new
/// [N, C, height, width]; `sizes` = [N, C, H, W, OH, OW] of the convolution.
fn launch_per_pixel(name: &'static str, template: &'static str, from: &CubeTensor, weight: &CubeTensor, sizes: [usize; 6], out_size: [usize; 2], stride: usize, padding: usize) -> CubeTensor {
    let [n, c, ..] = sizes;
    let out = empty_f32(from, &[n, c, out_size[0], out_size[1]]);
    let k = weight.meta.shape()[2];
    let params = words(from, &sizes.map(|v| v as u32));
    let values = vec![("kernel", k.to_string()), ("stride", stride.to_string()), ("padding", padding.to_string()), weight_source(weight, 1)];
    let groups = ((out_size[0] * out_size[1]).div_ceil(PIXELS_PER_WORKGROUP) as u32, c as u32, n as u32);
    launch_grid(from, Wgsl { name, template, values }, groups, vec![binding(from), binding(weight), params.binding(), binding(&out)]);
    out
}

impl DepthwiseOps for CubeBackend {
    fn depthwise_conv2d(x: CubeTensor, weight: CubeTensor, stride: usize, padding: usize) -> CubeTensor {
        let (x, weight) = (into_contiguous(x), into_contiguous(weight));
        let [n, c, h, w] = [0, 1, 2, 3].map(|i| x.meta.shape()[i]);
        let k = weight.meta.shape()[2];
        let (oh, ow) = (output_size(h, k, stride, padding), output_size(w, k, stride, padding));
        launch_per_pixel("depthwise_forward", include_str!("depthwise_forward.wgsl"), &x, &weight, [n, c, h, w, oh, ow], [oh, ow], stride, padding)
    }
}

impl DepthwiseKernels for CubeBackend {
    fn depthwise_input_grad(x: CubeTensor, grad: CubeTensor, weight: CubeTensor, stride: usize, padding: usize) -> CubeTensor {
        let (grad, weight) = (into_contiguous(grad), into_contiguous(weight));
        let [n, c, h, w] = [0, 1, 2, 3].map(|i| x.meta.shape()[i]);
        let [oh, ow] = [2, 3].map(|i| grad.meta.shape()[i]);
        launch_per_pixel("depthwise_input_grad", include_str!("depthwise_input_grad.wgsl"), &grad, &weight, [n, c, h, w, oh, ow], [h, w], stride, padding)
    }

    fn depthwise_weight_grad(x: CubeTensor, grad: CubeTensor, weight: CubeTensor, stride: usize, padding: usize) -> CubeTensor {
        let (x, grad) = (into_contiguous(x), into_contiguous(grad));
        let [n, c, h, w] = [0, 1, 2, 3].map(|i| x.meta.shape()[i]);
        let [oh, ow] = [2, 3].map(|i| grad.meta.shape()[i]);
        let k = weight.meta.shape()[2];
        // Enough output pixels per workgroup to be worth one (a whole image at least).
        let images = PIXELS_PER_GROUP.div_ceil(oh * ow).clamp(1, n);
        let groups = n.div_ceil(images);
        let partial = empty_f32(&x, &[c, groups, k * k]);
        let params = words(&x, &[n, c, h, w, oh, ow].map(|v| v as u32));
        let values = vec![("kernel", k.to_string()), ("stride", stride.to_string()), ("padding", padding.to_string()), ("images", images.to_string())];
        let kernel = Wgsl { name: "depthwise_weight_grad", template: include_str!("depthwise_weight_grad.wgsl"), values };
        launch(&x, kernel, (c as u32, groups as u32), vec![binding(&x), binding(&grad), params.binding(), binding(&partial)]);
        Self::float_reshape(Self::float_sum_dim(partial, 1), [c, 1, k, k].into())
    }
}

/// Forward, input gradient and weight gradient by the kernels above.
impl<B: DepthwiseOps + DepthwiseKernels, C: CheckpointStrategy> DepthwiseOps for Autodiff<B, C> {
    fn depthwise_conv2d(x: FloatTensor<Self>, weight: FloatTensor<Self>, stride: usize, padding: usize) -> FloatTensor<Self> {
        #[derive(Debug)]
        struct DepthwiseBackward;

        impl<B: DepthwiseKernels> Backward<B, 2> for DepthwiseBackward {
            type State = (FloatTensor<B>, FloatTensor<B>, usize, usize);

            fn backward(self, ops: Ops<Self::State, 2>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
                let [x_node, weight_node] = ops.parents;
                let grad = grads.consume::<B>(&ops.node);
                let (x, weight, stride, padding) = ops.state;
                if let Some(node) = weight_node {
                    grads.register::<B>(node.id, B::depthwise_weight_grad(x.clone(), grad.clone(), weight.clone(), stride, padding));
                }
                if let Some(node) = x_node {
                    grads.register::<B>(node.id, B::depthwise_input_grad(x, grad, weight, stride, padding));
                }
            }
        }

        match DepthwiseBackward.prepare::<C>([x.node(), weight.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (x, weight) = (x.into_primitive(), weight.into_primitive());
                let y = B::depthwise_conv2d(x.clone(), weight.clone(), stride, padding);
                prep.finish((x, weight, stride, padding), y)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::depthwise_conv2d(x.into_primitive(), weight.into_primitive(), stride, padding)),
        }
    }
}
