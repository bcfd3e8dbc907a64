//! Fused multi-head attention: `fused_attention(qkv, heads)` takes the Q/K/V projection's output
//! [batch, tokens, 3·d] as is and returns the heads' context [batch, tokens, d], ready for the
//! output projection. Forward and backward stream keys through workgroup memory, so neither
//! stores [batch, heads, tokens, tokens] scores (1 GB per layer for RAP's rotation branch at
//! batch 24) nor needs the head split/merge copies around Burn's matmuls.

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

use super::{Wgsl, binding, empty_f32, launch, words};

/// Largest head width the kernels take: each thread keeps up to three head-wide rows in
/// registers (the query backward: q, its context gradient and dq).
const MAX_HEAD_DIM: usize = 64;

/// Query rows per workgroup of the kernels on subgroup matrices (the score gradients' query
/// axis is padded to it).
const MATRIX_ROWS: usize = 64;
/// Key rows per workgroup of the key-side kernel on subgroup matrices (16 per subgroup; its
/// query tiles' loads and barriers are shared by all of them): 128 where its 48,384 bytes of
/// workgroup memory fit, else 64. The score gradients' key axis is padded to it.
fn matrix_key_rows(qkv: &CubeTensor) -> usize {
    // Two [32][72] f16 query tiles, [keys][36] f32 scores, two [keys][40] f16 tiles, 64 floats.
    let bytes = |keys: usize| 2 * 32 * 72 * 2 + keys * 36 * 4 + 2 * keys * 40 * 2 + 64 * 4;
    if qkv.client.properties().hardware.max_shared_memory_size >= bytes(128) { 128 } else { 64 }
}

/// Whether the backward runs on the matrix units (subgroup matrices, f16 products) for heads of
/// 64 on a device that has them: delta, then the key and value gradients in one kernel that
/// also writes the score gradients (f16, `scores_grad_buffer`), then the
/// query gradient as one product of those with the keys. The f32 passes took 45 ms (queries)
/// and 75 ms (keys, values) of a training step on an H100; these take 28 and 4 ms.
pub fn backward_on_matrix_units(head_dim: usize) -> bool {
    head_dim == 64 && super::matrix_units()
}

/// The score gradients' [image·head, keys, queries] buffer of the matrix-unit backward, f16
/// with the key axis padded to `key_rows` and the query axis to `MATRIX_ROWS` (~540 MB per
/// layer of RAP's rotation branch at batch 24; freed with the layer's backward).
fn scores_grad_buffer(qkv: &CubeTensor, heads: usize, key_rows: usize) -> CubeTensor {
    let [batch, tokens, _] = qkv_dims(qkv, heads);
    let keys = tokens.div_ceil(key_rows) * key_rows;
    let queries = tokens.div_ceil(MATRIX_ROWS) * MATRIX_ROWS;
    // f16 pairs in an f32 tensor: only the kernels read it, as halves.
    empty_f32(qkv, &[batch * heads, keys, queries / 2])
}

fn matrix_kernel(name: &'static str, source: &'static str, key_rows: usize) -> Wgsl {
    Wgsl { name, template: source, values: vec![("keys", key_rows.to_string())] }
}

/// Whether `fused_attention` runs this shape (else the caller composes Burn's operations).
pub fn supports(heads: usize, head_dim: usize) -> bool {
    heads > 0 && head_dim > 0 && head_dim % 4 == 0 && head_dim <= MAX_HEAD_DIM
}

/// softmax(q·kᵀ/√dh)·v for every head; `qkv` is [batch, tokens, 3, heads, dh] flattened to
/// [batch, tokens, 3·heads·dh], the result [batch, tokens, heads·dh]. Shapes per `supports`.
/// `shared_limit`: workgroup memory (bytes) the kernels lay themselves out in; 0 = the device's.
pub fn fused_attention(qkv: Tensor<3>, heads: usize, shared_limit: usize) -> Tensor<3> {
    Tensor::from_dispatch(Dispatch::attention(qkv.into_dispatch(), heads, shared_limit))
}

/// The differentiable operation the model calls.
#[backend_extension(Cube, Fusion, Autodiff)]
pub trait AttentionOps: Backend {
    #[fusion(meta = |qkv, heads, _limit| context_spec(qkv, heads))]
    fn attention(qkv: FloatTensor<Self>, heads: usize, limit: usize) -> FloatTensor<Self>;
}

/// The kernels behind it: the forward with its per-row softmax statistics, and the backward.
#[backend_extension(Cube, Fusion)]
pub trait AttentionKernels: Backend {
    #[fusion(meta = |qkv, heads, _limit| (context_spec(qkv, heads), stats_spec(qkv, heads)))]
    fn attention_forward(qkv: FloatTensor<Self>, heads: usize, limit: usize) -> (FloatTensor<Self>, FloatTensor<Self>);

    #[fusion(meta = |qkv, _context, _stats, _grad, _heads, _limit| qkv.clone())]
    fn attention_backward(
        qkv: FloatTensor<Self>,
        context: FloatTensor<Self>,
        stats: FloatTensor<Self>,
        grad: FloatTensor<Self>,
        heads: usize,
        limit: usize,
    ) -> FloatTensor<Self>;
}

fn context_spec(qkv: &TensorSpec, _heads: &usize) -> TensorSpec {
    TensorSpec::new([qkv.shape[0], qkv.shape[1], qkv.shape[2] / 3].into(), qkv.dtype)
}

fn stats_spec(qkv: &TensorSpec, heads: &usize) -> TensorSpec {
    TensorSpec::new([qkv.shape[0], *heads, qkv.shape[1]].into(), DType::F32)
}

/// [batch, tokens, head width] of a qkv tensor.
fn qkv_dims(qkv: &CubeTensor, heads: usize) -> [usize; 3] {
    let shape = qkv.meta.shape();
    [shape[0], shape[1], shape[2] / 3 / heads]
}

/// Which kernel, for its workgroup-memory layout.
#[derive(Clone, Copy)]
enum Pass {
    Forward,
    GradQuery,
    GradKey,
    GradValue,
}

/// Rows (threads) per workgroup and rows per streamed tile for `pass`, so that its workgroup
/// memory fits `budget` bytes: the two streamed tiles (head-wide rows; the key-side passes also
/// two floats of softmax statistics per row) plus, for the query gradient, one head-wide row
/// per thread (its context gradient: q, dq and that row do not all fit in registers). Tiles
/// are multiples of 4 (rows are taken four at a time) and small on purpose: workgroup memory
/// bounds how many workgroups a multiprocessor runs at once, and these kernels need that
/// occupancy (H100, full model, per pass, tile caps measured: forward 16 rows 16.8 ms, 28 rows
/// 17.9, 64 rows 32; query gradient 16 rows 45.5 ms, 32 rows 67; keys and values 28 rows
/// 72 ms). Workgroups of 64 rows where the budget allows, else 32 or 16.
fn layout(pass: Pass, head_dim: usize, budget: usize) -> (usize, usize) {
    let row_bytes = head_dim * 4;
    let (per_tile_row, per_thread, tile_cap) = match pass {
        Pass::Forward => (2 * row_bytes, 0, 16),
        Pass::GradQuery => (2 * row_bytes, row_bytes, 16),
        Pass::GradKey | Pass::GradValue => (2 * row_bytes + 8, 0, 28),
    };
    let rows = [64, 32, 16].into_iter().find(|rows| rows * per_thread + 4 * per_tile_row <= budget).unwrap_or(16);
    let tile = (budget.saturating_sub(rows * per_thread) / per_tile_row / 4 * 4).clamp(4, tile_cap);
    (rows, tile)
}

fn kernel(pass: Pass, head_dim: usize, budget: usize) -> (Wgsl, usize) {
    let (rows, tile) = layout(pass, head_dim, budget);
    let (name, template) = match pass {
        Pass::Forward => ("attention_forward", concat!(include_str!("attention_key_tiles.wgsl"), include_str!("attention_forward.wgsl"))),
        Pass::GradQuery => ("attention_grad_query", concat!(include_str!("attention_key_tiles.wgsl"), include_str!("attention_grad_query.wgsl"))),
        Pass::GradKey | Pass::GradValue => ("attention_grad_key", include_str!("attention_grad_key.wgsl")),
    };
    let mut values = vec![("dh4", (head_dim / 4).to_string()), ("rows", rows.to_string()), ("tile", tile.to_string())];
    match pass {
        Pass::GradKey => values.push(("key_grad", "true".to_string())),
        Pass::GradValue => values.push(("key_grad", "false".to_string())),
        Pass::Forward | Pass::GradQuery => {}
    }
    (Wgsl { name, template, values }, rows)
}

/// Workgroup memory the kernels may use: `limit` if set (tests force small layouts), else the
/// device's.
fn budget(qkv: &CubeTensor, limit: usize) -> usize {
    if limit > 0 { limit } else { qkv.client.properties().hardware.max_shared_memory_size }
}

/// tokens, heads, log2(e)/√dh and 1/√dh, as the kernels read them.
fn params(qkv: &CubeTensor, heads: usize) -> burn_cubecl::cubecl::server::Handle {
    let [_, tokens, head_dim] = qkv_dims(qkv, heads);
    let inverse_root = 1.0 / (head_dim as f32).sqrt();
    words(qkv, &[tokens as u32, heads as u32, (std::f32::consts::LOG2_E * inverse_root).to_bits(), inverse_root.to_bits()])
}

fn groups(qkv: &CubeTensor, heads: usize, rows: usize) -> (u32, u32) {
    let [batch, tokens, _] = qkv_dims(qkv, heads);
    (tokens.div_ceil(rows) as u32, (batch * heads) as u32)
}

impl AttentionKernels for CubeBackend {
    fn attention_forward(qkv: CubeTensor, heads: usize, limit: usize) -> (CubeTensor, CubeTensor) {
        let qkv = into_contiguous(qkv);
        let [batch, tokens, head_dim] = qkv_dims(&qkv, heads);
        let context = empty_f32(&qkv, &[batch, tokens, heads * head_dim]);
        let stats = empty_f32(&qkv, &[batch, heads, tokens]);
        let params = params(&qkv, heads);
        let (kernel, rows) = kernel(Pass::Forward, head_dim, budget(&qkv, limit));
        launch(&qkv, kernel, groups(&qkv, heads, rows), vec![binding(&qkv), params.binding(), binding(&context), binding(&stats)]);
        (context, stats)
    }

    fn attention_backward(qkv: CubeTensor, context: CubeTensor, stats: CubeTensor, grad: CubeTensor, heads: usize, limit: usize) -> CubeTensor {
        let (qkv, context, grad) = (into_contiguous(qkv), into_contiguous(context), into_contiguous(grad));
        let [batch, tokens, head_dim] = qkv_dims(&qkv, heads);
        let grad_qkv = empty_f32(&qkv, &[batch, tokens, 3 * heads * head_dim]);
        let delta = empty_f32(&qkv, &[batch, heads, tokens]);
        let params = params(&qkv, heads);
        if backward_on_matrix_units(head_dim) {
            let key_rows = matrix_key_rows(&qkv);
            let scores_grad = scores_grad_buffer(&qkv, heads, key_rows);
            let delta_kernel = Wgsl { name: "attention_delta", template: include_str!("attention_delta.wgsl"), values: Vec::new() };
            launch(&qkv, delta_kernel, groups(&qkv, heads, MATRIX_ROWS), vec![binding(&context), binding(&grad), params.clone().binding(), binding(&delta)]);
            let key = matrix_kernel("attention_grad_key_matrix", concat!(include_str!("matrix_prologue.wgsl"), include_str!("attention_grad_key_matrix.wgsl")), key_rows);
            let key_buffers = vec![binding(&qkv), binding(&grad), binding(&stats), binding(&delta), params.clone().binding(), binding(&grad_qkv), binding(&scores_grad)];
            launch(&qkv, key, groups(&qkv, heads, key_rows), key_buffers);
            let query = matrix_kernel("attention_grad_query_scores", concat!(include_str!("matrix_prologue.wgsl"), include_str!("attention_grad_query_scores.wgsl")), key_rows);
            launch(&qkv, query, groups(&qkv, heads, MATRIX_ROWS), vec![binding(&qkv), binding(&scores_grad), params.binding(), binding(&grad_qkv)]);
        } else {
            let budget = budget(&qkv, limit);
            let (query, rows) = kernel(Pass::GradQuery, head_dim, budget);
            let query_buffers = vec![binding(&qkv), binding(&context), binding(&grad), binding(&stats), params.clone().binding(), binding(&grad_qkv), binding(&delta)];
            launch(&qkv, query, groups(&qkv, heads, rows), query_buffers);
            for pass in [Pass::GradKey, Pass::GradValue] {
                let (key, rows) = kernel(pass, head_dim, budget);
                launch(&qkv, key, groups(&qkv, heads, rows), vec![binding(&qkv), binding(&grad), binding(&stats), binding(&delta), params.clone().binding(), binding(&grad_qkv)]);
            }
        }
        grad_qkv
    }
}

impl AttentionOps for CubeBackend {
    fn attention(qkv: CubeTensor, heads: usize, limit: usize) -> CubeTensor {
        Self::attention_forward(qkv, heads, limit).0
    }
}

/// The gradient of the context flows to qkv through the backward kernels; the forward keeps
/// qkv, the context and the softmax statistics for them (compute-bound: kept, not recomputed).
impl<B: AttentionKernels, C: CheckpointStrategy> AttentionOps for Autodiff<B, C> {
    fn attention(qkv: FloatTensor<Self>, heads: usize, limit: usize) -> FloatTensor<Self> {
        #[derive(Debug)]
        struct AttentionBackward;

        impl<B: AttentionKernels> Backward<B, 1> for AttentionBackward {
            type State = (FloatTensor<B>, FloatTensor<B>, FloatTensor<B>, usize, usize);

            fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
                let [parent] = ops.parents;
                let grad = grads.consume::<B>(&ops.node);
                let (qkv, context, stats, heads, limit) = ops.state;
                if let Some(parent) = parent {
                    grads.register::<B>(parent.id, B::attention_backward(qkv, context, stats, grad, heads, limit));
                }
            }
        }

        match AttentionBackward.prepare::<C>([qkv.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let qkv = qkv.into_primitive();
                let (context, stats) = B::attention_forward(qkv.clone(), heads, limit);
                prep.finish((qkv, context.clone(), stats, heads, limit), context)
            }
            OpsKind::UnTracked(prep) => prep.finish(B::attention_forward(qkv.into_primitive(), heads, limit).0),
        }
    }
}
