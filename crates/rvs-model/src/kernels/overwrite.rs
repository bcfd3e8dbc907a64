//! `overwrite(dst, src)`: src's values written into dst's buffer, for state a captured training
//! step must update in place (a replay reads and writes the buffers it was recorded with).

use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, Dispatch, backend_extension};
use burn::tensor::Tensor;
use burn_cubecl::CubeBackend;
use burn_cubecl::kernel::into_contiguous;
use burn_cubecl::tensor::CubeTensor;

use super::{MAX_GROUPS, WORKGROUP, Wgsl, binding, launch};

/// dst with src's values, in dst's buffer (dst must be contiguous: a copy would defeat it).
/// Both non-autodiff tensors of the same shape.
pub fn overwrite<const D: usize>(dst: Tensor<D>, src: Tensor<D>) -> Tensor<D> {
    assert_eq!(dst.dims(), src.dims(), "overwrite: shapes differ");
    Tensor::from_dispatch(Dispatch::overwrite(dst.into_dispatch(), src.into_dispatch()))
}

#[backend_extension(Cube, Fusion)]
pub trait OverwriteOps: Backend {
    #[fusion(meta = |dst, _src| dst.clone())]
    fn overwrite(dst: FloatTensor<Self>, src: FloatTensor<Self>) -> FloatTensor<Self>;
}

impl OverwriteOps for CubeBackend {
    fn overwrite(dst: CubeTensor, src: CubeTensor) -> CubeTensor {
        let (dst, src) = (into_contiguous(dst), into_contiguous(src));
        let count = dst.meta.shape().num_elements() as u32;
        let groups = (count.div_ceil(WORKGROUP).clamp(1, MAX_GROUPS), 1);
        let kernel = Wgsl { name: "overwrite", template: include_str!("overwrite.wgsl"), values: Vec::new() };
        launch(&dst, kernel, groups, vec![binding(&dst), binding(&src)]);
        dst
    }
}
