//! Token linear layers on the GPU's matrix units (tensor cores): `linear(x, weight)` is
//! x [rows, d_in] · weight [d_in, d_out] with f16 products and f32 sums
//! (`matmul_subgroup.wgsl`), forward and both gradients, where the device offers WebGPU's
//! subgroup matrices (Dawn's `chromium-experimental-subgroup-matrix` with f16 16×16×16 → f32).
//! Burn's matmul runs f32 on the ordinary cores, and its weight gradient of a token layer
//! was one product per image plus a sum; here it is one split-K product over all tokens.

use std::sync::atomic::{AtomicBool, Ordering};

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::fusion::custom::TensorSpec;
use burn::backend::ops::FloatTensorOps;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Backend, Dispatch, backend_extension};
use burn::tensor::{Slice, Tensor};
use burn_cubecl::CubeBackend;
use burn_cubecl::kernel::into_contiguous;
use burn_cubecl::tensor::CubeTensor;

use super::half::matrix_operand_source;
use super::{Wgsl, binding, empty_f32, launch_grid, words};

/// C tile edge of one workgroup (`TILE_M`, `TILE_N` in the WGSL) and its K step (`TILE_K`).
const TILE: usize = 64;
const TILE_K: usize = 32;
/// Split K until a product has about this many workgroups (the H100 has 132 multiprocessors;
/// a 256×768 weight gradient has only 48 tiles).
const TARGET_GROUPS: usize = 1024;

/// Whether this device runs subgroup matrices of f16 16×16×16 with f32 results in subgroups of
/// 32 (set from JS, which sees the GPUDevice's features; wgpu's web backend does not list them).
static AVAILABLE: AtomicBool = AtomicBool::new(false);
/// The trainer's switch (`subgroupMatrices`), set before each of its passes.
static WANTED: AtomicBool = AtomicBool::new(true);

pub fn set_available(on: bool) {
    AVAILABLE.store(on, Ordering::Relaxed);
}

pub fn set_wanted(on: bool) {
    WANTED.store(on, Ordering::Relaxed);
}

pub fn available() -> bool {
    AVAILABLE.load(Ordering::Relaxed)
}

/// Whether the kernels may use the matrix units now: the device has them and the trainer wants
/// them.
pub fn matrix_units() -> bool {
    available() && WANTED.load(Ordering::Relaxed)
}

/// Whether `linear` runs a d_in → d_out layer on the matrix units (else Burn's matmul).
pub fn supports(d_in: usize, d_out: usize) -> bool {
    matrix_units() && d_in % TILE == 0 && d_out % TILE == 0 && d_in > 0 && d_out > 0
}

/// x [B, T, d_in] · weight [d_in, d_out] → [B, T, d_out]; shapes per `supports`.
pub fn linear(x: Tensor<3>, weight: Tensor<2>) -> Tensor<3> {
    let [batch, tokens, d_in] = x.dims();
    let d_out = weight.dims()[1];
    let rows = x.reshape([batch * tokens, d_in]);
    Tensor::<2>::from_dispatch(Dispatch::linear(rows.into_dispatch(), weight.into_dispatch())).reshape([batch, tokens, d_out])
}

#[backend_extension(Cube, Fusion, Autodiff)]
pub trait LinearOps: Backend {
    #[fusion(meta = |x, weight| TensorSpec::new([x.shape[0], weight.shape[1]].into(), x.dtype))]
    fn linear(x: FloatTensor<Self>, weight: FloatTensor<Self>) -> FloatTensor<Self>;
}

#[backend_extension(Cube, Fusion)]
pub trait MatmulKernels: Backend {
    #[fusion(meta = |a, b, trans_a, trans_b| product_spec(a, b, *trans_a, *trans_b))]
    fn subgroup_matmul(a: FloatTensor<Self>, b: FloatTensor<Self>, trans_a: bool, trans_b: bool) -> FloatTensor<Self>;
}

fn product_spec(a: &TensorSpec, b: &TensorSpec, trans_a: bool, trans_b: bool) -> TensorSpec {
    let m = if trans_a { a.shape[1] } else { a.shape[0] };
    let n = if trans_b { b.shape[0] } else { b.shape[1] };
    TensorSpec::new([m, n].into(), a.dtype)
}

impl MatmulKernels for CubeBackend {
    fn subgroup_matmul(a: CubeTensor, b: CubeTensor, trans_a: bool, trans_b: bool) -> CubeTensor {
        let (a, b) = (into_contiguous(a), into_contiguous(b));
        let [a_rows, a_cols] = [0, 1].map(|i| a.meta.shape()[i]);
        let [b_rows, b_cols] = [0, 1].map(|i| b.meta.shape()[i]);
        let (m, k) = if trans_a { (a_cols, a_rows) } else { (a_rows, a_cols) };
        let n = if trans_b { b_rows } else { b_cols };
        let m_pad = m.div_ceil(TILE) * TILE;
        let tiles = (m_pad / TILE) * (n / TILE);
        let splits = TARGET_GROUPS.div_ceil(tiles).clamp(1, k.div_ceil(TILE_K).max(1));
        let chunk = k.div_ceil(splits).div_ceil(TILE_K) * TILE_K;
        let splits = k.div_ceil(chunk).max(1);
        let out = empty_f32(&a, &[splits, m_pad, n]);
        let params = words(&a, &[m as u32, n as u32, k as u32, chunk as u32, m_pad as u32]);
        let values = vec![("trans_a", trans_a.to_string()), ("trans_b", trans_b.to_string()), matrix_operand_source(&b)];
        let kernel = Wgsl { name: "matmul_subgroup", template: concat!(include_str!("matrix_prologue.wgsl"), include_str!("matmul_subgroup.wgsl")), values };
        let groups = ((n / TILE) as u32, (m_pad / TILE) as u32, splits as u32);
        launch_grid(&a, kernel, groups, vec![binding(&a), binding(&b), params.binding(), binding(&out)]);
        let summed = if splits > 1 { Self::float_sum_dim(out, 0) } else { out };
        let c = Self::float_reshape(summed, [m_pad, n].into());
        if m_pad == m { c } else { Self::float_slice(c, &[Slice::new(0, Some(m as isize), 1), Slice::new(0, None, 1)]) }
    }
}

impl LinearOps for CubeBackend {
    fn linear(x: CubeTensor, weight: CubeTensor) -> CubeTensor {
        Self::subgroup_matmul(x, weight, false, false)
    }
}

/// dx = dy·weightᵀ and dweight = xᵀ·dy, both on the matrix units; the forward keeps x and the
/// weight (compute-bound: kept, not recomputed).
impl<B: MatmulKernels, C: CheckpointStrategy> LinearOps for Autodiff<B, C> {
    fn linear(x: FloatTensor<Self>, weight: FloatTensor<Self>) -> FloatTensor<Self> {
        #[derive(Debug)]
        struct LinearBackward;

        impl<B: MatmulKernels> Backward<B, 2> for LinearBackward {
            type State = (FloatTensor<B>, FloatTensor<B>);

            fn backward(self, ops: Ops<Self::State, 2>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
                let [x_node, weight_node] = ops.parents;
                let grad = grads.consume::<B>(&ops.node);
                let (x, weight) = ops.state;
                if let Some(node) = weight_node {
                    grads.register::<B>(node.id, B::subgroup_matmul(x, grad.clone(), true, false));
                }
                if let Some(node) = x_node {
                    grads.register::<B>(node.id, B::subgroup_matmul(grad, weight, false, true));
                }
            }
        }

        match LinearBackward.prepare::<C>([x.node(), weight.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (x, weight) = (x.into_primitive(), weight.into_primitive());
                let y = B::subgroup_matmul(x.clone(), weight.clone(), false, false);
                prep.finish((x, weight), y)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::subgroup_matmul(x.into_primitive(), weight.into_primitive(), false, false)),
        }
    }
}
