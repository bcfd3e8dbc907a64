//! Hand-written WGSL kernels where Burn's are slow or many: multi-head attention (forward and
//! backward without the [tokens, tokens] matrices; on subgroup matrices where the device has
//! them), the token linear layers on subgroup matrices, depthwise and 1×1 convolutions in NCHW
//! (Burn's went through layout copies, matmuls shaped for other sizes and weight gradients on
//! a few dozen workgroups), layer norm, row and column sums (batch-norm statistics,
//! squeeze-excitation, bias gradients; Burn's gave each row or column one thread) and the Adam
//! update (one pass per parameter instead of ~15 element-wise operations, each recorded and
//! launched from WASM). They plug into Burn as backend extensions (Cube, its Fusion wrapper,
//! and Autodiff for the differentiable ones). WebGPU only: natively the model runs Burn's
//! composed operations (the NdArray tests), and the JS tests compare both paths on SwiftShader.

mod adam;
mod attention;
mod bias;
mod depthwise;
mod half;
mod layer_norm;
mod matmul;
mod overwrite;
mod pointwise;
mod rows;
mod verify;

use std::sync::atomic::{AtomicBool, Ordering};

use burn::tensor::{DType, Shape};
use burn_cubecl::cubecl::prelude::KernelId;
use burn_cubecl::cubecl::server::{BufferBinding, Handle, KernelArguments};
use burn_cubecl::cubecl::{CubeCount, CubeDim};
use burn_cubecl::template::{KernelSource, SourceKernel, SourceTemplate};
use burn_cubecl::tensor::CubeTensor;

pub use adam::{AdamSettings, adam_update};
pub use attention::{fused_attention, backward_on_matrix_units, supports as attention_supports};
pub use bias::{add_bias, column_sum};
pub use depthwise::{depthwise_conv2d, supports as depthwise_supports};
pub use half::{halvable, halve, is_half, widen};
pub use layer_norm::{layer_norm, supports as layer_norm_supports};
pub use matmul::{available as subgroup_matrices_available, linear, matrix_units, set_available as set_subgroup_matrices_available, set_wanted as set_subgroup_matrices_wanted, supports as linear_supports};
pub use overwrite::overwrite;
pub use pointwise::pointwise_conv;
pub use rows::{row_sum, scale_rows, shift_rows};
pub use verify::{Check, verify};

/// Whether the model uses these kernels (the trainer config's `fusedKernels`, set before each
/// of its passes); off runs Burn's composed operations.
static ENABLED: AtomicBool = AtomicBool::new(true);

pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

pub fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// Whether the device is a software adapter (SwiftShader and the like), where every workgroup
/// and barrier costs CPU time: some kernels are kept for longer rows there.
static SOFTWARE_ADAPTER: AtomicBool = AtomicBool::new(false);

pub fn software_adapter() -> bool {
    SOFTWARE_ADAPTER.load(Ordering::Relaxed)
}

pub fn set_software_adapter(software: bool) {
    SOFTWARE_ADAPTER.store(software, Ordering::Relaxed);
}

/// One WGSL template with its `{{ name }}` values filled in; the values key the pipeline cache.
#[derive(Debug)]
struct Wgsl {
    name: &'static str,
    template: &'static str,
    values: Vec<(&'static str, String)>,
}

impl KernelSource for Wgsl {
    fn source(&self) -> SourceTemplate {
        self.values.iter().fold(SourceTemplate::new(self.template), |source, (key, value)| source.register(*key, value.clone()))
    }

    fn id(&self) -> KernelId {
        KernelId::new::<Self>().info((self.name, self.values.clone()))
    }

    fn lang(&self) -> &'static str {
        "wgsl"
    }
}

/// Threads per workgroup of the Adam kernel (`@workgroup_size(64)`).
const WORKGROUP: u32 = 64;
/// Workgroups a grid-stride kernel launches at most (WebGPU allows 65,535 per dimension; this
/// many already fill any GPU, and a software adapter runs them in reasonable time).
const MAX_GROUPS: u32 = 4096;

/// `groups` workgroups of the template's own `@workgroup_size` (cubecl's CubeDim only keys the
/// launch; WGSL fixes the size).
fn launch(reference: &CubeTensor, kernel: Wgsl, groups: (u32, u32), buffers: Vec<BufferBinding>) {
    launch_grid(reference, kernel, (groups.0, groups.1, 1), buffers);
}

fn launch_grid(reference: &CubeTensor, kernel: Wgsl, groups: (u32, u32, u32), buffers: Vec<BufferBinding>) {
    reference.client.launch(
        Box::new(SourceKernel::new(kernel, CubeDim::new_1d(WORKGROUP))),
        CubeCount::Static(groups.0, groups.1, groups.2),
        KernelArguments::new().with_buffers(buffers),
    );
}

/// Distinct parameter lists kept at most (a training run uses a few hundred); past this the
/// cache starts over.
const MAX_CACHED_WORDS: usize = 4096;

thread_local! {
    /// Parameter buffers by content. Every upload is a queue write, before which cubecl ends
    /// the compute pass and submits the commands recorded so far: once per launch of these
    /// kernels, ~600 submits per training step. A step repeats the same shapes, so after the
    /// first one every launch finds its buffer here (one device per WASM instance).
    static WORDS: std::cell::RefCell<std::collections::HashMap<Vec<u32>, Handle>> = std::cell::RefCell::new(std::collections::HashMap::new());
}

/// A small read-only buffer of 32-bit words (sizes, scales), shared by every launch with the
/// same words (the kernels never write it).
fn words(reference: &CubeTensor, values: &[u32]) -> Handle {
    WORDS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(handle) = cache.get(values) {
            return handle.clone();
        }
        if cache.len() >= MAX_CACHED_WORDS {
            cache.clear();
        }
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        let handle = reference.client.create_from_slice(&bytes);
        cache.insert(values.to_vec(), handle.clone());
        handle
    })
}

/// A new contiguous f32 tensor on `reference`'s device; the kernels write every element.
fn empty_f32(reference: &CubeTensor, shape: &[usize]) -> CubeTensor {
    let shape = Shape::from(shape.to_vec());
    let handle = reference.client.empty(shape.num_elements() * DType::F32.size());
    CubeTensor::new_contiguous(reference.client.clone(), reference.device.clone(), shape, handle, DType::F32)
}

fn binding(tensor: &CubeTensor) -> BufferBinding {
    tensor.handle.clone().binding()
}
