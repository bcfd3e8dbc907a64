use rvs_gpu::{bind_buffers, compute_pipeline, encode_pass, Dispatch, Frame};

use crate::PrefixSum;

const SORT_COMMON_WGSL: &str = include_str!("../shaders/sort_common.wgsl");
const SORT_COUNT_WGSL: &str = include_str!("../shaders/sort_count.wgsl");
const SORT_SCATTER_WGSL: &str = include_str!("../shaders/sort_scatter.wgsl");
const RADIX_BITS: u32 = 4;
const RADIX: u32 = 1 << RADIX_BITS;
const SORT_THREADS: u32 = 256;

#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct SortParams {
    n: u32,
    shift: u32,
    num_blocks: u32,
    groups_x: u32,
}

/// Which of the two buffer pairs holds the sorted result (passes ping-pong between them).
pub struct SortedPairs {
    pub keys: wgpu::Buffer,
    pub values: wgpu::Buffer,
}

/// Stable LSD radix sort of u32 keys with u32 values, 4 bits per pass.
/// Only the low `key_bits` bits are sorted, so small keys cost fewer passes.
pub struct RadixSorter {
    /// Keys one workgroup handles per pass (256 threads × keys per thread).
    block: u32,
    count: wgpu::ComputePipeline,
    scatter: wgpu::ComputePipeline,
    scan: PrefixSum,
}

impl RadixSorter {
    /// `keys_per_thread` trades parallelism for fewer workgroup barriers: 4 suits GPUs;
    /// CPU emulations (SwiftShader) pay per barrier and run 8× faster with 32 (measured).
    pub fn new(device: &wgpu::Device, keys_per_thread: u32) -> Self {
        // Per-thread digit counts live in 16-bit lanes, so a block must stay below 65536 keys.
        let keys_per_thread = keys_per_thread.clamp(1, 64);
        let block = SORT_THREADS * keys_per_thread;
        let common = SORT_COMMON_WGSL
            .replace("const SORT_PER_THREAD: u32 = 4u;", &format!("const SORT_PER_THREAD: u32 = {keys_per_thread}u;"))
            .replace("const SORT_BLOCK: u32 = 1024u;", &format!("const SORT_BLOCK: u32 = {block}u;"));
        Self {
            block,
            count: compute_pipeline(device, "sort_count", &[&common, SORT_COUNT_WGSL], "sort_count"),
            scatter: compute_pipeline(device, "sort_scatter", &[&common, SORT_SCATTER_WGSL], "sort_scatter"),
            scan: PrefixSum::new(device),
        }
    }

    /// The block size that suits the device: see `new`.
    pub fn for_context(ctx: &rvs_gpu::GpuContext) -> Self {
        Self::new(&ctx.device, if ctx.software { 32 } else { 4 })
    }

    /// Records a sort of `n` pairs. `keys`/`values` [n] hold the input; `keys_alt`/`values_alt`
    /// [n] are scratch of the same size. The result lands in one of the two pairs.
    #[allow(clippy::too_many_arguments)]
    pub fn encode(
        &self,
        frame: &Frame<'_>,
        encoder: &mut wgpu::CommandEncoder,
        keys: &wgpu::Buffer,
        values: &wgpu::Buffer,
        keys_alt: &wgpu::Buffer,
        values_alt: &wgpu::Buffer,
        n: u32,
        key_bits: u32,
    ) -> SortedPairs {
        let passes = key_bits.clamp(1, 32).div_ceil(RADIX_BITS);
        let num_blocks = n.div_ceil(self.block).max(1);
        let grid = Dispatch::for_groups(num_blocks);
        // [RADIX, num_blocks] digit counts, scanned in place into run starts.
        let counts = frame.scratch("sort counts", u64::from(RADIX * num_blocks) * 4);
        let mut src = (keys.clone(), values.clone());
        let mut dst = (keys_alt.clone(), values_alt.clone());
        for pass in 0..passes {
            let params = frame.uniform(&SortParams { n, shift: pass * RADIX_BITS, num_blocks, groups_x: grid.x });
            let bind = bind_buffers(frame.device, &self.count, "sort_count", &[(0, &params), (1, &src.0), (2, &counts)]);
            encode_pass(encoder, "sort_count", &self.count, &bind, grid);
            self.scan.encode(frame, encoder, &counts, RADIX * num_blocks);
            let bind = bind_buffers(
                frame.device,
                &self.scatter,
                "sort_scatter",
                &[(0, &params), (1, &src.0), (2, &src.1), (3, &counts), (4, &dst.0), (5, &dst.1)],
            );
            encode_pass(encoder, "sort_scatter", &self.scatter, &bind, grid);
            std::mem::swap(&mut src, &mut dst);
        }
        SortedPairs { keys: src.0, values: src.1 }
    }
}
